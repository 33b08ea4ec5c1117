#!/bin/bash
# relay.sh: bulk relay throughput of sockctl listen/connect beside socat, ncat,
# OpenBSD nc and the limit, in one run.
#
# SIZE bytes (2 GiB by default) of zeros go from a client's stdin (a file of
# that size, read once first so every tool finds it in the page cache: the
# first read of a fresh sparse file costs seconds on this VM, and whichever
# tool ran first used to pay it) through loopback TCP, or a UNIX stream
# socket, to a listener whose stdout is /dev/null. Every tool does the same
# job, REPEAT times (3 by default); the best run counts, so a busy shared
# machine hurts less. The limits move the same bytes from memory to memory
# without stdio: iperf3 over TCP, and for UNIX a python3 sender and receiver
# with 1 MiB buffers (which copy every byte twice, so a splicing relay can
# pass it). Prints MB/s per tool, "x limit" and "sockctl x" (sockctl's rate
# over the tool's: above 1, sockctl is faster), the peak RSS of both sockctl
# processes, and the load average before and after.
# Usage: [SIZE=2G] [REPEAT=3] bench/relay.sh   (SOCKCTL=path/to/sockctl)
# See: sockctl-listen(1), splice(2), iperf3(1).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
SOCKCTL=${SOCKCTL:-$(dirname "$here")/build/sockctl}
SIZE=${SIZE:-2G}
REPEAT=${REPEAT:-3}
work=$(mktemp -d /tmp/sockctl-bench-relay.XXXXXX)
trap 'rm -rf "$work"' EXIT
src=$work/src
truncate -s "$SIZE" "$src"
cat "$src" >/dev/null
bytes=$(stat -c %s "$src")
port=$((20000 + RANDOM % 20000))
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# wait_port PORT | wait_unix PATH: until something listens. Not by connecting:
# a one-shot server would take the probe for its one client.
wait_port() { for _ in $(seq 500); do ss -Hltn "sport = :$1" | grep -q . && return; sleep 0.01; done; }
wait_unix() { for _ in $(seq 500); do ss -Hlx | grep -qF "$1" && return; sleep 0.01; done; }

# once SERVER_CMD CLIENT_CMD WAITER: seconds for the client to finish and the server to exit.
once() {
  local server=$1 client=$2 waiter=$3
  bash -c "$server" >/dev/null 2>>"$work/err" &
  local spid=$!
  eval "$waiter"
  local t0 t1
  t0=$(date +%s.%N)
  bash -c "$client" <"$src" >/dev/null 2>>"$work/err"
  wait $spid || true
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

# best KEY SERVER_CMD CLIENT_CMD WAITER_FN ENDPOINT_FN: the best of REPEAT runs.
# Each run gets a fresh port or path from ENDPOINT_FN (in $ep; @E@ in the commands).
best() {
  local key=$1 server=$2 client=$3 waiter=$4 next=$5 b= s
  for _ in $(seq "$REPEAT"); do
    $next
    s=$(once "${server//@E@/$ep}" "${client//@E@/$ep}" "$waiter $ep")
    [ $transport = unix ] && rm -f "$ep"
    if [ -z "$b" ] || [ "$(echo "$s < $b" | bc -l)" = 1 ]; then b=$s; fi
  done
  secs[$key]=$b
}
next_port() { port=$((port + 1)); ep=$port; }
n=0
next_path() { n=$((n + 1)); ep=$work/s$n; }

declare -A secs
rss="/usr/bin/time -f %M -a -o"
for transport in tcp unix; do
  if [ $transport = tcp ]; then
    W=wait_port N=next_port
    best tcp/sockctl "$rss $work/rss.l.tcp $SOCKCTL listen tcp:127.0.0.1:@E@" \
      "$rss $work/rss.c.tcp $SOCKCTL connect tcp:127.0.0.1:@E@" $W $N
    best tcp/socat "socat -u TCP-LISTEN:@E@,bind=127.0.0.1,reuseaddr STDOUT" "socat -u STDIN TCP:127.0.0.1:@E@" $W $N
    best tcp/ncat "ncat -l 127.0.0.1 @E@ --recv-only" "ncat --send-only 127.0.0.1 @E@" $W $N
    best tcp/nc "nc.openbsd -l 127.0.0.1 @E@" "nc.openbsd -N 127.0.0.1 @E@" $W $N
    b=
    for _ in $(seq "$REPEAT"); do
      next_port
      iperf3 -s -1 -p "$ep" -B 127.0.0.1 >/dev/null 2>&1 &
      wait_port "$ep"
      bps=$(iperf3 -c 127.0.0.1 -p "$ep" -n "$bytes" -J 2>/dev/null |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"])')
      wait
      s=$(echo "$bytes * 8 / $bps" | bc -l)
      if [ -z "$b" ] || [ "$(echo "$s < $b" | bc -l)" = 1 ]; then b=$s; fi
    done
    secs[tcp/iperf3]=$b
  else
    W=wait_unix N=next_path
    best unix/sockctl "$rss $work/rss.l.unix $SOCKCTL listen unix:@E@" \
      "$rss $work/rss.c.unix $SOCKCTL connect unix:@E@" $W $N
    best unix/socat "socat -u UNIX-LISTEN:@E@ STDOUT" "socat -u STDIN UNIX-CONNECT:@E@" $W $N
    best unix/ncat "ncat -l -U @E@ --recv-only" "ncat --send-only -U @E@" $W $N
    best unix/nc "nc.openbsd -l -U @E@" "nc.openbsd -N -U @E@" $W $N
    b=
    for _ in $(seq "$REPEAT"); do
      next_path
      s=$(python3 - "$ep" "$bytes" <<'EOF'
import os, socket, sys, time
path, n = sys.argv[1], int(sys.argv[2])
srv = socket.socket(socket.AF_UNIX)
srv.bind(path)
srv.listen(1)
if os.fork() == 0:
    c = socket.socket(socket.AF_UNIX)
    c.connect(path)
    buf, left = memoryview(bytearray(1 << 20)), n
    while left > 0:
        c.sendall(buf[:min(left, len(buf))])
        left -= min(left, len(buf))
    c.close()
    os._exit(0)
conn, _ = srv.accept()
buf, got, t0 = bytearray(1 << 20), 0, time.monotonic()
while k := conn.recv_into(buf):
    got += k
os.wait()
assert got == n, got
print(time.monotonic() - t0)
EOF
)
      if [ -z "$b" ] || [ "$(echo "$s < $b" | bc -l)" = 1 ]; then b=$s; fi
    done
    secs[unix/py-mem]=$b
  fi
done

printf 'relay of %s bytes, stdin file (cached) -> socket -> stdout /dev/null, best of %s\n' "$bytes" "$REPEAT"
printf '%-9s %-8s %9s %10s %10s %11s\n' transport tool seconds MB/s "x limit" "sockctl x"
for transport in tcp unix; do
  limit=iperf3; [ $transport = unix ] && limit=py-mem
  for tool in sockctl socat ncat nc $limit; do
    s=${secs[$transport/$tool]}
    printf '%-9s %-8s %9.2f %10.0f %10.2f %11.2f\n' $transport $tool "$s" \
      "$(echo "$bytes / $s / 1000000" | bc -l)" \
      "$(echo "${secs[$transport/$limit]} / $s" | bc -l)" \
      "$(echo "$s / ${secs[$transport/sockctl]}" | bc -l)"
  done
  best_peer=$(for tool in socat ncat nc; do echo "${secs[$transport/$tool]}"; done | sort -g | head -1)
  printf '%-9s sockctl: %.2f x %s (goal >= 0.8), %.2f x the best of socat/ncat/nc (goal >= 2)\n' $transport \
    "$(echo "${secs[$transport/$limit]} / ${secs[$transport/sockctl]}" | bc -l)" $limit \
    "$(echo "$best_peer / ${secs[$transport/sockctl]}" | bc -l)"
done
peak() { sort -n "$1" | tail -1; }
printf 'sockctl peak RSS (KiB): tcp listen %s connect %s, unix listen %s connect %s\n' \
  "$(peak "$work/rss.l.tcp")" "$(peak "$work/rss.c.tcp")" "$(peak "$work/rss.l.unix")" "$(peak "$work/rss.c.unix")"
printf 'load average: before %s, after %s (%s cores)\n' "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(nproc)"
