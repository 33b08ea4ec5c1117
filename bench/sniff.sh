#!/bin/bash
# sniff.sh: capture rate under a UDP flood, sockctl sniff next to tcpdump.
# A veth pair joins two namespaces this script creates (sockctl-bench-a,
# sockctl-bench-b; removed on exit). iperf3 floods UDP (64 and 1400 byte
# payloads) from a into b for a fixed time; each capture runs in b with the
# filter `udp`, printing text to /dev/null (JSON Lines through `tail -n1`,
# which keeps the final stats line). The limit row is the same flood with no
# capture. Packets sent are b's interface counter; captured and dropped are
# each tool's own counts (tcpdump's words).
# Usage: bench/sniff.sh [SECONDS] (SOCKCTL=path/to/sockctl)  See: sockctl-sniff(1), iperf3(1).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
SOCKCTL=${SOCKCTL:-$root/build/sockctl}
SECS=${1:-5}
NA=sockctl-bench-a NB=sockctl-bench-b IA=bnsniff-a IB=bnsniff-b
for tool in iperf3 tcpdump ip; do
  command -v $tool >/dev/null || { echo "sniff.sh: needs $tool" >&2; exit 69; }
done
[ "$(id -u)" = 0 ] || { echo "sniff.sh: needs root (namespaces, capture)" >&2; exit 77; }

work=$(mktemp -d /tmp/sockctl-bench-sniff.XXXXXX)
server=
cleanup() {
  set +e
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  ip netns del $NA 2>/dev/null || true
  ip netns del $NB 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns del $NA 2>/dev/null || true
ip netns del $NB 2>/dev/null || true
ip netns add $NA
ip netns add $NB
ip link add $IA netns $NA type veth peer name $IB netns $NB
for x in "$NA $IA 10.79.0.1" "$NB $IB 10.79.0.2"; do
  set -- $x
  ip netns exec $1 sysctl -q -w net.ipv6.conf.$2.disable_ipv6=1
  ip -n $1 addr add $3/24 dev $2
  ip -n $1 link set $2 up
  ip -n $1 link set lo up
done
ip netns exec $NB iperf3 -s -B 10.79.0.2 >/dev/null 2>&1 &
server=$!
# iperf3 answers once it listens; ask until it does.
for _ in $(seq 50); do ip netns exec $NA iperf3 -c 10.79.0.2 -u -b 1M -n 8K >/dev/null 2>&1 && break; sleep 0.1; done

rx() { ip netns exec $NB cat /sys/class/net/$IB/statistics/rx_packets; }

# run TOOL SIZE: floods for SECS with TOOL capturing (limit: nothing) and
# appends "tool size sent captured dropped" to the results.
run() {
  local tool=$1 size=$2 pid= tailpid=
  rm -f "$work/out" "$work/err" "$work/fifo"
  case $tool in
    tcpdump) ip netns exec $NB tcpdump -i $IB -nn -B 4096 udp >/dev/null 2>"$work/err" & pid=$! ;;
    sockctl) ip netns exec $NB "$SOCKCTL" sniff -i $IB --buffer 4M udp >/dev/null 2>"$work/err" & pid=$! ;;
    sockctl-json)
      mkfifo "$work/fifo"
      tail -n1 <"$work/fifo" >"$work/out" & tailpid=$!
      ip netns exec $NB "$SOCKCTL" --json sniff -i $IB --buffer 4M udp >"$work/fifo" 2>"$work/err" & pid=$! ;;
  esac
  if [ -n "$pid" ]; then
    for _ in $(seq 100); do grep -q "listening on" "$work/err" 2>/dev/null && break; sleep 0.05; done
  fi
  local before after captured dropped=0
  before=$(rx)
  ip netns exec $NA iperf3 -c 10.79.0.2 -u -b 0 -l "$size" -t "$SECS" >/dev/null 2>&1 || true
  after=$(rx)
  captured=$((after - before))
  if [ -n "$pid" ]; then
    # Let the last ring block time out into the capture before stopping it.
    sleep 0.2
    kill -INT "$pid"
    wait "$pid" || true
    [ -n "$tailpid" ] && wait "$tailpid"
    if [ "$tool" = sockctl-json ]; then
      read -r captured dropped < <(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["captured"], s["dropped"])' "$work/out")
    else
      captured=$(sed -n 's/^\(sockctl: \)\?\([0-9]\+\) packets\? captured$/\2/p' "$work/err")
      dropped=$(sed -n 's/^\(sockctl: \)\?\([0-9]\+\) packets\? dropped by kernel$/\2/p' "$work/err")
    fi
  fi
  echo "$tool $size $((after - before)) ${captured:-0} ${dropped:-0}" >>"$work/results"
}

for size in 64 1400; do
  for tool in limit tcpdump sockctl sockctl-json; do run $tool $size; done
done

printf '%ss UDP flood per row (iperf3 -u -b 0), veth in namespaces, %s, %d cores, load %s\n' \
  "$SECS" "$(uname -r)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work/results" "$SECS" <<'EOF'
import sys
secs = float(sys.argv[2])
rows = [line.split() for line in open(sys.argv[1])]
# sent/s differs per row: a capture costs CPU the flood would otherwise use.
# "of limit" is captured/s against the flood with no capture running.
print(f"{'tool':13} {'payload':>7} {'sent/s':>10} {'captured/s':>11} {'dropped':>8} {'lost %':>7} {'vs tcpdump':>10} {'of limit':>9}")
for size in ("64", "1400"):
    group = [r for r in rows if r[1] == size]
    td = next(r for r in group if r[0] == "tcpdump")
    limit = next(r for r in group if r[0] == "limit")
    for label, _, sent, captured, dropped in group:
        sent, captured, dropped = int(sent), int(captured), int(dropped)
        lost = 100.0 * max(sent - captured, 0) / sent if sent else 0
        print(f"{label:13} {size:>7} {sent / secs:10.0f} {captured / secs:11.0f} {dropped:8d} {lost:7.2f}"
              f" {captured / max(int(td[3]), 1):9.2f}x {captured / max(int(limit[2]), 1):8.2f}x")
    print()
EOF
