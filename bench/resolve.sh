#!/bin/bash
# resolve.sh: `sockctl resolve --batch` against the tools it replaces, in one run.
#
# N names (10,000 by default) are served by a private dnsmasq on loopback
# (tests/cli/dns_lab.py: unshare -m with our own resolv.conf, hosts and
# nsswitch.conf; nothing leaves the machine). Every tool asks for the IPv4
# address (one A query per name) and must answer every name:
#   sockctl --batch     getaddrinfo on a thread pool (default and -c 128)
#   getent ahostsv4     a serial shell loop, one process per name
#   dig -f              one process, queries one after another
#   python3             getaddrinfo on a ThreadPoolExecutor of 32 threads
#   dnsperf             the server's own limit: raw UDP queries, 100 in flight
# Each runs REPS times (default 5; the getent loop once) and the median
# counts. Prints seconds, names per second, how many names each answered, and
# "vs sockctl": the tool's time over sockctl's (above 1: sockctl is faster).
# Usage: [REPS=5] bench/resolve.sh [N] (needs root for unshare -m; SOCKCTL=path/to/sockctl)
# See: sockctl-resolve(1), tests/cli/dns_lab.py.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
SOCKCTL=${SOCKCTL:-$root/build/sockctl}
N=${1:-10000}

if [ -z "${DNS_LAB_SERVER:-}" ]; then
  work=$(mktemp -d /tmp/sockctl-bench-resolve.XXXXXX)
  # dnsmasq reads the hosts file after dropping root (as nobody).
  chmod 755 "$work"
  [ -n "${BENCH_TRACE:-}" ] || trap 'rm -rf "$work"' EXIT
  # 10.128.0.0/9 gives every name its own address.
  python3 - "$N" "$work" <<'EOF'
import sys
n, work = int(sys.argv[1]), sys.argv[2]
with open(f"{work}/hosts", "w") as hosts, open(f"{work}/names", "w") as names, \
        open(f"{work}/dig", "w") as dig:
    for i in range(n):
        name = f"n{i}.bench.test"
        hosts.write(f"10.{128 + (i >> 16)}.{(i >> 8) & 255}.{i & 255} {name}\n")
        names.write(name + "\n")
        dig.write(f"{name} A\n")
EOF
  export SOCKCTL BENCH_WORK=$work N
  python3 "$root/tests/cli/dns_lab.py" --addn-hosts "$work/hosts" -- bash ${BENCH_TRACE:+-x} "$0" "$@"
  exit
fi

# Inside the namespace: /etc/resolv.conf names only $DNS_LAB_SERVER.
work=$BENCH_WORK
now() { date +%s.%N; }
declare -a rows

# time_it LABEL COMMAND...: runs COMMAND $reps times (stdout to $work/out)
# and keeps the median time; counts the names the last run answered with
# the check in $count. The machine is shared, so one run can be far off.
time_it() {
  local label=$1; shift
  local t0 t1 times=()
  for ((i = 0; i < reps; i++)); do
    t0=$(now)
    "$@" >"$work/out" 2>"$work/err" || true
    t1=$(now)
    times+=("$(echo "$t1 - $t0" | bc -l)")
  done
  local median answered
  median=$(printf '%s\n' "${times[@]}" | sort -g | sed -n "$(((reps + 1) / 2))p")
  answered=$(eval "$count" <"$work/out")
  rows+=("$label|$median|$answered|$reps")
}

reps=${REPS:-5}
count='grep -c "\"results\""'
time_it "sockctl --batch (-c 32)" "$SOCKCTL" --json resolve --batch "$work/names" --family inet --type stream
time_it "sockctl --batch -c 128" "$SOCKCTL" --json resolve --batch "$work/names" --family inet --type stream -c 128

count='grep -c .'
time_it "python3 ThreadPool(32)" python3 -c '
import socket, sys
from concurrent.futures import ThreadPoolExecutor
names = open(sys.argv[1]).read().split()
def one(n):
    try:
        return socket.getaddrinfo(n, None, socket.AF_INET, socket.SOCK_STREAM)[0][4][0]
    except socket.gaierror:
        return None
with ThreadPoolExecutor(32) as pool:
    for a in pool.map(one, names):
        if a:
            print(a)
' "$work/names"

count='grep -c "IN[[:space:]]*A"'
time_it "dig -f (serial)" dig -f "$work/dig" "@$DNS_LAB_SERVER" +noall +answer +tries=1 +time=2

count='grep -c STREAM'
reps=1
time_it "getent ahostsv4 loop" sh -c 'while read -r n; do getent ahostsv4 "$n" | head -n1; done <"$1"' sh "$work/names"

if command -v dnsperf >/dev/null; then
  count='sed -n "s/^ *Queries completed: *\([0-9]*\).*/\1/p"'
  reps=${REPS:-5}
  time_it "dnsperf (server limit)" dnsperf -s "$DNS_LAB_SERVER" -d "$work/dig" -n 1 -q 100 -t 2
else
  echo "dnsperf: not installed (apt-get install dnsperf), server limit not measured" >&2
fi

sockctl_secs=$(echo "${rows[0]}" | cut -d'|' -f2)
printf '%d names, %s, %d cores, load %s\n' "$N" "$(uname -r)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-26s %5s %9s %10s %12s %11s\n' tool runs seconds names/s answered "vs sockctl"
for row in "${rows[@]}"; do
  IFS='|' read -r label secs answered runs <<<"$row"
  printf '%-26s %5s %9.3f %10.0f %12s %10.2fx\n' "$label" "$runs" "$secs" "$(echo "$N / $secs" | bc -l)" \
    "$answered/$N" "$(echo "$secs / $sockctl_secs" | bc -l)"
done
