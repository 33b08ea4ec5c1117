#!/bin/bash
# relay.sh: bulk relay throughput of sockctl listen/connect beside socat, ncat,
# OpenBSD nc and the limit, in one run.
#
# SIZE bytes (2 GiB by default) of zeros go from a client's stdin (a file of
# that size, so the source costs nothing) through loopback TCP, or a UNIX
# stream socket, to a listener whose stdout is /dev/null. Every tool does
# the same job; iperf3 (TCP only, one stream, no stdio) is the limit of the
# loopback itself. Prints MB/s per tool, "x iperf3" and "sockctl x" (sockctl's
# rate over the tool's: above 1, sockctl is faster), and the peak RSS of the
# sockctl listener.
# Usage: [SIZE=2G] bench/relay.sh   (SOCKCTL=path/to/sockctl)
# See: sockctl-listen(1), splice(2), iperf3(1).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
SOCKCTL=${SOCKCTL:-$(dirname "$here")/build/sockctl}
SIZE=${SIZE:-2G}
work=$(mktemp -d /tmp/sockctl-bench-relay.XXXXXX)
trap 'rm -rf "$work"' EXIT
src=$work/src
truncate -s "$SIZE" "$src"
bytes=$(stat -c %s "$src")
port=$((20000 + RANDOM % 20000))

# wait_port PORT | wait_unix PATH: until something listens. Not by connecting:
# a one-shot server would take the probe for its one client.
wait_port() { for _ in $(seq 500); do ss -Hltn "sport = :$1" | grep -q . && return; sleep 0.01; done; }
wait_unix() { for _ in $(seq 500); do ss -Hlx | grep -qF "$1" && return; sleep 0.01; done; }

# run NAME SERVER_CMD CLIENT_CMD WAITER: seconds for the client to finish and the server to exit.
run() {
  local name=$1 server=$2 client=$3 waiter=$4
  bash -c "$server" >/dev/null 2>"$work/$name.err" &
  local spid=$!
  eval "$waiter"
  local t0 t1
  t0=$(date +%s.%N)
  bash -c "$client" <"$src" >/dev/null 2>>"$work/$name.err"
  wait $spid || true
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

declare -A secs
for transport in tcp unix; do
  port=$((port + 10))
  sock=$work/s.$transport
  if [ $transport = tcp ]; then
    W="wait_port $port"
    secs[$transport/sockctl]=$(run sockctl "/usr/bin/time -f %M -o $work/rss $SOCKCTL listen tcp:127.0.0.1:$port" "$SOCKCTL connect tcp:127.0.0.1:$port" "$W"); port=$((port+1)); W="wait_port $port"
    secs[$transport/socat]=$(run socat "socat -u TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr STDOUT" "socat -u STDIN TCP:127.0.0.1:$port" "$W"); port=$((port+1)); W="wait_port $port"
    secs[$transport/ncat]=$(run ncat "ncat -l 127.0.0.1 $port --recv-only" "ncat --send-only 127.0.0.1 $port" "$W"); port=$((port+1)); W="wait_port $port"
    secs[$transport/nc]=$(run nc "nc.openbsd -l 127.0.0.1 $port" "nc.openbsd -N 127.0.0.1 $port" "$W"); port=$((port+1))
    iperf3 -s -1 -p $port -B 127.0.0.1 >/dev/null 2>&1 &
    wait_port $port
    ibps=$(iperf3 -c 127.0.0.1 -p $port -n "$bytes" -J 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"])')
    wait
    secs[$transport/iperf3]=$(echo "$bytes * 8 / $ibps" | bc -l)
  else
    rm -f "$sock"
    secs[$transport/sockctl]=$(run sockctl "/usr/bin/time -f %M -o $work/rss.unix $SOCKCTL listen unix:$sock" "$SOCKCTL connect unix:$sock" "wait_unix $sock"); rm -f "$sock"
    secs[$transport/socat]=$(run socat "socat -u UNIX-LISTEN:$sock STDOUT" "socat -u STDIN UNIX-CONNECT:$sock" "wait_unix $sock"); rm -f "$sock"
    secs[$transport/ncat]=$(run ncat "ncat -l -U $sock --recv-only" "ncat --send-only -U $sock" "wait_unix $sock"); rm -f "$sock"
    secs[$transport/nc]=$(run nc "nc.openbsd -l -U $sock" "nc.openbsd -N -U $sock" "wait_unix $sock"); rm -f "$sock"
    # The limit without a socket: splice-free copy of the same bytes through a pipe.
    t0=$(date +%s.%N); dd if="$src" bs=1M status=none | dd of=/dev/null bs=1M status=none; t1=$(date +%s.%N)
    secs[$transport/dd-pipe]=$(echo "$t1 - $t0" | bc -l)
  fi
done

printf 'relay of %s bytes, stdin file -> socket -> stdout /dev/null\n' "$bytes"
printf '%-6s %-8s %9s %10s %10s %11s\n' transport tool seconds MB/s "x limit" "sockctl x"
for transport in tcp unix; do
  limit=iperf3; [ $transport = unix ] && limit=dd-pipe
  for tool in sockctl socat ncat nc $limit; do
    s=${secs[$transport/$tool]}
    printf '%-9s %-8s %9.2f %10.0f %10.2f %11.2f\n' $transport $tool "$s" \
      "$(echo "$bytes / $s / 1000000" | bc -l)" \
      "$(echo "${secs[$transport/$limit]} / $s" | bc -l)" \
      "$(echo "$s / ${secs[$transport/sockctl]}" | bc -l)"
  done
done
printf 'sockctl listener peak RSS: tcp %s KiB, unix %s KiB\n' "$(cat "$work/rss")" "$(cat "$work/rss.unix")"
