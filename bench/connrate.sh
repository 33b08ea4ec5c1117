#!/bin/bash
# connrate.sh: short connections per second against sockctl listen
# --keep-open --echo beside ncat -l -k --exec cat, socat fork with EXEC:cat
# and with PIPE, in one run.
#
# One client (bench/connrate.c, built here with cc -O2) drives N
# connections, CONC at a time, each: connect, send 64 bytes, read the echo,
# close; any error, short or wrong echo, or a 10 s stall is a failure. Every
# server gets the same client and the same N. Prints connections per
# second, failures, and "sockctl x" (sockctl's rate over the server's: above
# 1, sockctl is faster), plus the load average before and after: the machine
# is shared, so read ratios, not absolute rates.
# Usage: [N=20000] [CONC=32] bench/connrate.sh   (SOCKCTL=path/to/sockctl)
# See: sockctl-listen(1), ncat(1), socat(1).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
SOCKCTL=${SOCKCTL:-$(dirname "$here")/build/sockctl}
N=${N:-20000}
CONC=${CONC:-32}
work=$(mktemp -d /tmp/sockctl-bench-connrate.XXXXXX)
trap 'rm -rf "$work"' EXIT
cc -O2 -Wall -o "$work/connrate" "$here/connrate.c"
port=$((20000 + RANDOM % 20000))
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

wait_port() { for _ in $(seq 500); do ss -Hltn "sport = :$1" | grep -q . && return; sleep 0.01; done; }

declare -A rate fails
order=()
# measure NAME SERVER_CMD (@P@ is the port): ok, failed and seconds of one client run.
measure() {
  local name=$1 port_now=$((port += 1))
  local cmd=${2//@P@/$port_now}
  bash -c "exec $cmd" >/dev/null 2>"$work/$name.err" &
  local spid=$!
  wait_port $port_now
  read -r ok failed secs < <("$work/connrate" $port_now "$N" "$CONC" 2>>"$work/$name.client")
  kill $spid 2>/dev/null || true
  wait $spid 2>/dev/null || true
  rate[$name]=$(echo "$ok / $secs" | bc -l)
  fails[$name]=$failed
  order+=("$name")
}

measure sockctl "$SOCKCTL listen --keep-open --echo tcp:127.0.0.1:@P@"
measure ncat-exec "ncat -l -k 127.0.0.1 @P@ --exec /bin/cat"
measure socat-exec "socat TCP-LISTEN:@P@,bind=127.0.0.1,fork,reuseaddr,backlog=4096 EXEC:cat"
measure socat-pipe "socat TCP-LISTEN:@P@,bind=127.0.0.1,fork,reuseaddr,backlog=4096 PIPE"

printf 'short connections (connect, 64 bytes, echo, close): N=%s, %s at a time, 127.0.0.1\n' "$N" "$CONC"
printf '%-11s %10s %8s %11s\n' server conn/s failed "sockctl x"
best=0
for name in "${order[@]}"; do
  printf '%-11s %10.0f %8s %11.2f\n' "$name" "${rate[$name]}" "${fails[$name]}" \
    "$(echo "${rate[sockctl]} / ${rate[$name]}" | bc -l)"
  [ "$name" != sockctl ] && [ "$(echo "${rate[$name]} > $best" | bc -l)" = 1 ] && best=${rate[$name]}
done
printf 'sockctl: %.2f x the best of ncat/socat (goal >= 2), %s failed connections (goal 0)\n' \
  "$(echo "${rate[sockctl]} / $best" | bc -l)" "${fails[sockctl]}"
for f in "$work"/*.client; do [ -s "$f" ] && { echo "${f##*/}:"; head -5 "$f"; }; done
printf 'load average: before %s, after %s (%s cores)\n' "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(nproc)"
