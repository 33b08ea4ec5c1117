#!/bin/sh
# result.sh: one kernel lab scenario's result for ctest: prints the log that
# lab.sh (run once by the lab_boot fixture) wrote for NAME and exits with the
# scenario's status, 77 meaning skipped.
#
#   result.sh RESULTS_DIR NAME
set -u
[ $# -eq 2 ] || { echo "usage: result.sh RESULTS_DIR NAME" >&2; exit 64; }
dir=$1 name=$2

[ -f "$dir/$name.log" ] && cat "$dir/$name.log"
if [ ! -f "$dir/$name.status" ]; then
  echo "result.sh: no result for scenario $name in $dir: lab_boot did not run it" \
    "(see lab_boot's output and $dir/lab-console.txt)" >&2
  exit 1
fi
status=$(cat "$dir/$name.status")
case $status in
  ''|*[!0-9]*) echo "result.sh: bad status '$status' in $dir/$name.status" >&2; exit 1 ;;
esac
case $status in
  0) ;;
  77) echo "result.sh: $name skipped" ;;
  124) echo "result.sh: $name timed out" ;;
  *) echo "result.sh: $name failed with exit status $status" ;;
esac
exit "$status"
