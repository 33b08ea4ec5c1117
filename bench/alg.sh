#!/bin/bash
# lab-timeout: 900
# bench/alg.sh: sockctl alg's throughput beside kcapi-dgst, kcapi-enc and
# sha256sum on one file, in one boot of the kernel lab, with the read limit
# (cat of the same file to /dev/null) as the ceiling; prints MB/s and ratios.
# Run it in the lab (it needs AF_ALG):
#   tests/kernel/lab.sh --sockctl build/sockctl --results /tmp/lab bench/alg.sh
# and read /tmp/lab/alg.log. ALG_BENCH_MIB (default 64) sets the file size.
# Under the lab's TCG emulation every figure is far below real hardware; the
# ratios between tools in the same run are what this measures. The guest has
# one CPU, so the "stdin pipe" rows also pay for the cat that fills the pipe.
set -u
mib=${ALG_BENCH_MIB:-64}
runs=3
dir=${LAB_TMP:-$(mktemp -d)}
cd "$dir" || exit 1
head -c $((mib << 20)) /dev/urandom >data
K=2b7e151628aed2a6abf7158809cf4f3c
IV=000102030405060708090a0b0c0d0e0f
printf '%s' $K | xxd -r -p >key

# best NAME COMMAND: the fastest of $runs runs, in MB/s (10^6 bytes/s).
declare -A mbps
best() {
  local name=$1 cmd=$2 t0 t1 us min=0
  for _ in $(seq $runs); do
    # bash's clock in microseconds (busybox date has no %N).
    t0=${EPOCHREALTIME/./}
    bash -c "$cmd" >/dev/null 2>&1 || { echo "bench: '$cmd' failed" >&2; return 1; }
    t1=${EPOCHREALTIME/./}
    us=$((t1 - t0))
    if [ $min = 0 ] || [ $us -lt $min ]; then min=$us; fi
  done
  mbps[$name]=$(awk -v b=$((mib << 20)) -v us=$min 'BEGIN { printf "%.1f", b / us }')
  printf '%-34s %9s MB/s  (%d ms)\n' "$name" "${mbps[$name]}" $((min / 1000))
}
ratio() { awk -v a="${mbps[$1]}" -v b="${mbps[$2]}" 'BEGIN { printf "%-52s %.2f\n", "'"$1 / $2"'", a / b }'; }

echo "== $mib MiB file in tmpfs, best of $runs, kernel $(uname -r) =="
best "read limit (cat > /dev/null)" "cat data"
echo "-- sha256 --"
best "sockctl alg hash (file, splice)" "sockctl alg hash sha256 data"
best "sockctl alg hash (stdin pipe)" "cat data | sockctl alg hash sha256"
best "kcapi-dgst" "kcapi-dgst -c sha256 --hex -i data"
best "sha256sum (user space)" "sha256sum data"
echo "-- cbc(aes) encrypt --"
best "sockctl alg encrypt (file, splice)" "sockctl alg encrypt 'cbc(aes)' --key $K --iv $IV data"
best "sockctl alg encrypt (stdin pipe)" "cat data | sockctl alg encrypt 'cbc(aes)' --key $K --iv $IV"
best "kcapi-enc" "kcapi-enc -q -e -c 'cbc(aes)' --keyfd 3 --iv $IV -i data 3<key"
echo "-- ratios (above 1: sockctl faster) --"
ratio "sockctl alg hash (file, splice)" "kcapi-dgst"
ratio "sockctl alg hash (stdin pipe)" "kcapi-dgst"
ratio "sockctl alg hash (file, splice)" "sha256sum (user space)"
ratio "sockctl alg hash (file, splice)" "read limit (cat > /dev/null)"
ratio "sockctl alg encrypt (file, splice)" "kcapi-enc"
ratio "sockctl alg encrypt (stdin pipe)" "kcapi-enc"
ratio "sockctl alg encrypt (file, splice)" "read limit (cat > /dev/null)"
