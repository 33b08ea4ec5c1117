#!/usr/bin/env python3
"""check_sync.py: fails when the parser, the man pages and the completions disagree.

Every subcommand and every option that `sockctl --dump-cli` reports must be
documented in man/sockctl-<command>.1 (global options and commands in
man/sockctl.1) and present in the bash, zsh and fish completions; every
endpoint scheme must be in man/sockctl.1's table; the committed completions
must be exactly what completions/generate.py writes today (curl's tests
971/1139 and git's --git-completion-helper do the same job).
"""
import json
import os
import re
import subprocess
import sys
import tempfile

# SOCKCTL_DOCS_ROOT: check another copy of man/ and completions/ (its self-test).
ROOT = os.environ.get("SOCKCTL_DOCS_ROOT") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def man_text(name):
    path = os.path.join(ROOT, "man", name)
    if not os.path.exists(path):
        return None
    text = open(path).read()
    # Undo roff escapes so "\fB\-\-json\fR" reads as "--json".
    text = re.sub(r"\\f[BIRP]|\\f\(..|\\f\[[A-Z]*\]", "", text)
    return text.replace("\\-", "-").replace("\\(em", "-").replace("\\&", "")


def mentions(text, word):
    return re.search(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", text) is not None


def main():
    binary = sys.argv[1]
    dump = json.loads(subprocess.run([binary, "--dump-cli"], check=True, capture_output=True).stdout)
    problems = []
    top = man_text("sockctl.1")
    if top is None:
        problems.append("man/sockctl.1 is missing")
        top = ""
    for o in dump["options"]:
        for n in o["names"]:
            if not mentions(top, n):
                problems.append(f"global option {n} is not in man/sockctl.1")
    for scheme in dump.get("schemes", []):
        if not mentions(top, scheme):
            problems.append(f"endpoint scheme '{scheme}' is not in man/sockctl.1")

    comp = {}
    for f in ("sockctl.bash", "_sockctl", "sockctl.fish"):
        p = os.path.join(ROOT, "completions", f)
        comp[f] = open(p).read() if os.path.exists(p) else None
        if comp[f] is None:
            problems.append(f"completions/{f} is missing")

    def check_node(node, path):
        page_name = f"sockctl-{path[0]}.1" if path else "sockctl.1"
        page = man_text(page_name) if path else top
        label = " ".join(["sockctl", *path])
        if path and page is None:
            problems.append(f"{label}: man/{page_name} is missing")
            page = ""
        if path and not mentions(top, path[0]):
            problems.append(f"command '{path[0]}' is not in man/sockctl.1")
        if len(path) > 1 and not mentions(page, path[-1]):
            problems.append(f"{label}: subcommand '{path[-1]}' is not in man/{page_name}")
        for o in node["options"]:
            for n in o["names"]:
                if path and n in ("-h", "--help"):
                    continue  # every command has it; documented once in sockctl(1)
                if not mentions(page, n):
                    problems.append(f"{label}: option {n} is not in man/{page_name}")
                for f, text in comp.items():
                    if text is None:
                        continue
                    word = n
                    if f == "sockctl.fish":
                        word = ("-l " + n[2:]) if n.startswith("--") else ("-s " + n[1:])
                    if word not in text:
                        problems.append(f"{label}: option {n} is not in completions/{f}")
        for s in node["subcommands"]:
            for f, text in comp.items():
                if text is not None and s["name"] not in text:
                    problems.append(f"{label}: subcommand '{s['name']}' is not in completions/{f}")
            check_node(s, path + [s["name"]])

    check_node(dump, [])

    # The committed completions must be what the generator writes now.
    with tempfile.TemporaryDirectory() as tmp:
        gen = os.path.join(ROOT, "completions", "generate.py")
        src = open(gen).read()
        local = os.path.join(tmp, "generate.py")
        open(local, "w").write(src)
        subprocess.run([sys.executable, local, binary], check=True)
        for f, text in comp.items():
            fresh = os.path.join(tmp, f)
            if text is not None and open(fresh).read() != text:
                problems.append(f"completions/{f} is stale: run python3 completions/generate.py {binary}")

    for p in problems:
        print(p)
    print(f"docs sync: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
