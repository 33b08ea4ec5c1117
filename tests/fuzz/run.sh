#!/bin/sh
# run.sh NAME [SECONDS]: fuzz tests/fuzz/fuzz_NAME.cpp for SECONDS (default 20).
# Configures a clang build with -DSOCKCTL_FUZZ=ON in $SOCKCTL_FUZZ_BUILD
# (default build-fuzz) on first use, builds only fuzz_NAME, then runs it over
# tests/fuzz/corpus/NAME/ (read-only: new inputs go to $SOCKCTL_FUZZ_BUILD/corpus/NAME,
# so later runs in the same build directory start from what earlier ones found).
# Exits non-zero when libFuzzer finds a crash, a leak or a sanitizer report;
# the input is kept in $SOCKCTL_FUZZ_BUILD/artifacts/. See tests/fuzz/README.md.
set -eu
cd "$(dirname "$0")/../.."
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: tests/fuzz/run.sh NAME [SECONDS]" >&2
  exit 64
fi
name=$1
seconds=${2:-20}
build=${SOCKCTL_FUZZ_BUILD:-build-fuzz}
src=tests/fuzz/fuzz_$name.cpp
[ -f "$src" ] || { echo "run.sh: no fuzz target '$src'" >&2; exit 64; }
command -v clang++ >/dev/null || { echo "run.sh: clang++ is missing (./build.sh build installs it)" >&2; exit 69; }

if [ ! -f "$build/build.ninja" ]; then
  launcher=; command -v ccache >/dev/null && launcher=-DCMAKE_CXX_COMPILER_LAUNCHER=ccache
  cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DSOCKCTL_FUZZ=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo $launcher >/dev/null
fi
cmake --build "$build" --target "fuzz_$name" -j2

found=$build/corpus/$name
mkdir -p "$build/artifacts" "$found"
dict=; [ -f "tests/fuzz/$name.dict" ] && dict=-dict=tests/fuzz/$name.dict
# -timeout: one input taking over 10 s is a hang; -rss_limit_mb: a blow-up.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
  "$build/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$build/artifacts/$name-" $dict \
  "$found" "tests/fuzz/corpus/$name"
