#!/bin/bash
# can.sh: `sockctl can dump` against candump under a `cangen -g 0` flood on
# vcan0, in the kernel lab (it needs AF_CAN and vcan):
#
#   tests/kernel/lab.sh --sockctl build/sockctl --results /tmp/lab bench/can.sh
#   cat /tmp/lab/can.log
#
# Part 1, the same run: candump, sockctl (human), sockctl --json and
# sockctl --log - all receive one flood at once; frames received and dropped
# (socket overflow, SO_RXQ_OVFL) by each. Part 2, one receiver at a time:
# CPU seconds each spends on the flood and the frames/s that makes (frames
# received per CPU second: the rate it could keep up with), beside the
# flood's own rate (cangen's frames/s: the limit on this guest).
# Environment: FRAMES (default 50000).
set -u
FRAMES=${FRAMES:-50000}
cd "${LAB_TMP:-/tmp}"
[ -e /sys/class/net/vcan0 ] || { echo "no vcan0: run inside the kernel lab"; exit 77; }
. /lab/lib.sh
# Every receiver here registers one filter (all frames): the flood starts
# once the kernel lists them all.
base=$(can_receivers)
wait_receivers() { wait_for 10 can_at_least $((base + $1)) || fail "receivers never registered"; }
flood() { cangen -g 0 -n "$FRAMES" -I i -L 8 -D i vcan0; }
count() { grep -vc 'DROPCOUNT\|"event":"listening"' "$1"; }

declare -A CMD=(
  [candump]="candump -T 3000 vcan0"
  [sockctl]="sockctl -q can dump --timeout 3 vcan0"
  [sockctl_json]="sockctl -q --json can dump --timeout 3 vcan0"
  [sockctl_log]="sockctl -q can dump --timeout 3 --log - vcan0"
  [candump_log]="candump -T 3000 -L vcan0"
)
ORDER="candump sockctl sockctl_json candump_log sockctl_log"

echo "== part 1: one flood of $FRAMES frames, every receiver at once"
for t in $ORDER; do ${CMD[$t]} >"$t.all" & done
wait_receivers 5
flood
wait
printf '%-14s %10s %10s\n' receiver received dropped
for t in $ORDER; do
  n=$(count "$t.all")
  printf '%-14s %10d %10d\n' "$t" "$n" $((FRAMES - n))
done

echo "== part 2: one receiver at a time (frames per CPU second)"
TIMEFORMAT='%3R %3U %3S'
# busybox date has no %N; bash's clock has microseconds.
start=$EPOCHREALTIME
flood
end=$EPOCHREALTIME
limit=$(awk -v n="$FRAMES" -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", n / (b - a) }')
echo "flood alone (cangen -g 0): $limit frames/s"
printf '%-14s %10s %10s %8s %8s %12s %8s\n' receiver received dropped user sys frames/cpu-s ratio
for t in $ORDER; do
  { time ${CMD[$t]} >"$t.one"; } 2>"$t.time" &
  wait_receivers 1
  flood
  wait
  read -r _ user sys <<<"$(tail -n 1 "$t.time")"
  n=$(count "$t.one")
  rate=$(awk -v n="$n" -v u="$user" -v s="$sys" 'BEGIN { c = u + s; printf "%.0f", (c > 0 ? n / c : 0) }')
  eval "rate_$t=$rate"
  case $t in *_log) ref=${rate_candump_log:-$rate} ;; *) ref=$rate_candump ;; esac
  ratio=$(awk -v r="$rate" -v c="$ref" 'BEGIN { printf "%.2f", (c > 0 ? r / c : 0) }')
  printf '%-14s %10d %10d %8s %8s %12s %8s\n' "$t" "$n" $((FRAMES - n)) "$user" "$sys" "$rate" "$ratio"
done
echo "(ratio: frames per CPU second against candump's, --log against candump -L; part 2's CPU time includes the 3 s idle timeout, which costs nothing)"
