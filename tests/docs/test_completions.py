"""test_completions.py: the generated completions work in real shells.

For every command path the parser knows, bash's and fish's completion
functions are run as the shells would run them and must offer that path's
subcommands and options; zsh's file must at least parse.
"""
import json
import os
import subprocess
import unittest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
BINARY = os.environ["SOCKCTL"]
COMP = os.path.join(ROOT, "completions")


def tree():
    dump = json.loads(subprocess.run([BINARY, "--dump-cli"], check=True, capture_output=True).stdout)
    out = []

    def walk(node, path):
        out.append((path, node))
        for s in node["subcommands"]:
            walk(s, path + [s["name"]])

    walk(dump, [])
    return dump, out


def bash_complete(words):
    """COMPREPLY for `sockctl WORDS... ''` from the bash completion function."""
    line = " ".join(["sockctl", *words, ""])
    script = (f"source {COMP}/sockctl.bash; COMP_WORDS=(sockctl {' '.join(words)} ''); "
              f"COMP_CWORD={len(words) + 1}; COMP_LINE='{line}'; _sockctl; printf '%s\\n' \"${{COMPREPLY[@]}}\"")
    return subprocess.run(["bash", "-c", script], check=True, capture_output=True, text=True).stdout.split()


def fish_complete(words, prefix=""):
    line = " ".join(["sockctl", *words, prefix])
    out = subprocess.run(["fish", "-c", f"source {COMP}/sockctl.fish; complete -C '{line}'"],
                         check=True, capture_output=True, text=True).stdout
    return [l.split("\t")[0] for l in out.splitlines()]


class CompletionTest(unittest.TestCase):
    def test_bash_offers_subcommands_and_options_at_every_path(self):
        dump, nodes = tree()
        for path, node in nodes:
            with self.subTest(path=path):
                offered = set(bash_complete(path))
                for s in node["subcommands"]:
                    self.assertIn(s["name"], offered)
                for o in node["options"] + dump["options"]:
                    for n in o["names"]:
                        self.assertIn(n, offered)

    def test_fish_offers_subcommands_and_long_options_at_every_path(self):
        dump, nodes = tree()
        for path, node in nodes:
            with self.subTest(path=path):
                offered = set(fish_complete(path))
                for s in node["subcommands"]:
                    self.assertIn(s["name"], offered)
                long_opts = set(fish_complete(path, "--"))
                for o in node["options"] + dump["options"]:
                    for n in o["names"]:
                        if n.startswith("--"):
                            self.assertIn(n, long_opts)

    def test_zsh_file_parses(self):
        p = subprocess.run(["zsh", "-n", os.path.join(COMP, "_sockctl")], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)


if __name__ == "__main__":
    unittest.main()
