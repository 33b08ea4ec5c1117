#!/bin/bash
# startup.sh: how long a one-shot sockctl command takes from exec to exit,
# next to the tools it replaces (python3's socket module, getent) and to
# /bin/true (the cost of exec itself). The spec asks for about a millisecond:
# no start-up work the command does not use. Commands run without a shell
# (hyperfine -N); `localhost` is answered from /etc/hosts, so nothing leaves
# the machine. python3 runs as users run it, and with -I -S (no site
# packages, no environment): the interpreter's own floor. Add a row per
# one-shot command to CASES, and a pair to PAIRS.
# With valgrind it also counts instructions, which no neighbour on a shared
# machine can disturb, and the share spent building the CLI11 tree.
# Usage: bench/startup.sh [RUNS] (SOCKCTL=path/to/sockctl)  See: hyperfine(1).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
SOCKCTL=${SOCKCTL:-$root/build/sockctl}
RUNS=${1:-300}
command -v hyperfine >/dev/null || { echo "startup.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 69; }
[ -x "$SOCKCTL" ] || { echo "startup.sh: no $SOCKCTL; run ./build.sh build first" >&2; exit 66; }
# The interpreter itself: a pyenv or asdf shim would add its own start-up.
PY=$(python3 -c 'import sys; print(sys.executable)')

# label|command
CASES=(
  "exec /bin/true (limit)|/bin/true"
  "sockctl --version|$SOCKCTL --version"
  "sockctl inet pton|$SOCKCTL inet pton inet6 ::1"
  "sockctl inet const|$SOCKCTL inet const SO_REUSEADDR"
  "sockctl inet parse --json|$SOCKCTL --json inet parse tcp:[fe80::1%lo]:8080"
  "python3 import socket|$PY -c 'import socket'"
  "python3 -I -S import socket|$PY -I -S -c 'import socket'"
  "python3 inet_pton|$PY -c 'import socket; socket.inet_pton(socket.AF_INET6, \"::1\")'"
  "sockctl resolve localhost|$SOCKCTL resolve localhost"
  "getent ahosts localhost|getent ahosts localhost"
  "python3 getaddrinfo|$PY -c 'import socket; socket.getaddrinfo(\"localhost\", None)'"
)
# peer|sockctl: printed as how many times longer the peer takes
PAIRS=(
  "python3 import socket|sockctl --version"
  "python3 import socket|sockctl inet const"
  "python3 -I -S import socket|sockctl inet const"
  "python3 inet_pton|sockctl inet pton"
  "getent ahosts localhost|sockctl resolve localhost"
  "python3 getaddrinfo|sockctl resolve localhost"
)

tmp=$(mktemp -d /tmp/sockctl-bench-startup.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
args=()
for c in "${CASES[@]}"; do args+=(-n "${c%%|*}" "${c#*|}"); done
hyperfine -N --warmup 20 --runs "$RUNS" --style none --export-json "$tmp/wall.json" "${args[@]}" >/dev/null
printf '%s\n' "${PAIRS[@]}" >"$tmp/pairs.txt"
# Every shared object is mapped and relocated before main(): name them.
ldd "$SOCKCTL" | awk '{print $1}' >"$tmp/libs.txt"

if command -v valgrind >/dev/null; then
  for name in true version pton const resolve python python_lean; do
    case $name in
      true) set -- /bin/true ;;
      version) set -- "$SOCKCTL" --version ;;
      pton) set -- "$SOCKCTL" inet pton inet6 ::1 ;;
      const) set -- "$SOCKCTL" inet const SO_REUSEADDR ;;
      resolve) set -- "$SOCKCTL" resolve localhost ;;
      python) set -- "$PY" -c 'import socket' ;;
      python_lean) set -- "$PY" -I -S -c 'import socket' ;;
    esac
    valgrind --tool=callgrind --callgrind-out-file="$tmp/$name.cg" "$@" >/dev/null 2>&1
    callgrind_annotate --inclusive=yes --threshold=100 "$tmp/$name.cg" >"$tmp/$name.txt" 2>/dev/null
  done
fi

printf '%d runs each, %s, %d cores, load %s\n' "$RUNS" "$(uname -r)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$tmp" <<'EOF'
import json, os, re, sys
tmp = sys.argv[1]
results = json.load(open(os.path.join(tmp, "wall.json")))["results"]
runs = {r["command"]: r for r in results}
floor = runs["exec /bin/true (limit)"]
print(f"{'command':28} {'mean ms':>8} {'median ms':>10} {'min ms':>7} {'over true':>10}")
for r in results:
    print(f"{r['command']:28} {r['mean'] * 1e3:8.3f} {r['median'] * 1e3:10.3f} {r['min'] * 1e3:7.3f}"
          f" {(r['median'] - floor['median']) * 1e3:+9.3f}")
print()
# Medians show the usual case; minimums the machine at its quietest.
print(f"{'peer / sockctl':52} {'median':>7} {'min':>7}")
for line in open(os.path.join(tmp, "pairs.txt")).read().splitlines():
    peer, ours = (runs[n] for n in line.split("|"))
    print(f"{peer['command'] + ' / ' + ours['command']:52} {peer['median'] / ours['median']:6.1f}x"
          f" {peer['min'] / ours['min']:6.1f}x")
libs = open(os.path.join(tmp, "libs.txt")).read().split()
print(f"\nshared objects sockctl loads: {len(libs)} ({' '.join(libs)})")

def instructions(name):
    path = os.path.join(tmp, name + ".txt")
    if not os.path.exists(path):
        return None, None
    text = open(path).read()
    total = int(re.search(r"([\d,]+) \(100\.0%\)\s+PROGRAM TOTALS", text).group(1).replace(",", ""))
    # Inclusive counts of the command-table functions (add_inet, add_listen,
    # ...) that build the CLI11 tree: the lines that name the function itself
    # and its binary, not the lambdas inside it or code inlined from headers.
    tree = sum(int(m.group(1).replace(",", "")) for m in re.finditer(
        r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+\S*:sockctl::cmd::add_\w+\(CLI::App&, sockctl::cmd::Dispatch&\) \[",
        text, re.M))
    return total, tree

if os.path.exists(os.path.join(tmp, "true.txt")):
    print(f"\n{'instructions (callgrind)':28} {'total':>12} {'CLI11 tree':>12} {'python3 / it':>12}")
    python, _ = instructions("python")
    for name, label in [("true", "/bin/true"), ("version", "sockctl --version"), ("pton", "sockctl inet pton"),
                        ("const", "sockctl inet const"), ("resolve", "sockctl resolve localhost"),
                        ("python", "python3 import socket"), ("python_lean", "python3 -I -S import socket")]:
        total, tree = instructions(name)
        print(f"{label:28} {total:12,} {tree:12,} {python / total:11.1f}x")
EOF
