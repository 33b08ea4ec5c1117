# lib.sh: helpers for kernel lab scenarios, sourced as `. /lab/lib.sh`.
# check/finish report a list of checks TAP-style and fail at the end if any
# failed; skip exits 77, which lab.sh reports as a skip, never a pass;
# wait_for polls instead of sleeping blindly.

lab_failed=0
lab_checks=0

# check DESCRIPTION COMMAND...: run COMMAND, print ok/not ok, keep going.
check() {
  local desc=$1 out
  shift
  lab_checks=$((lab_checks + 1))
  if out=$("$@" 2>&1); then
    echo "ok $lab_checks - $desc"
  else
    echo "not ok $lab_checks - $desc"
    [ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/#   /'
    lab_failed=$((lab_failed + 1))
  fi
}

# finish: the scenario's exit status from the checks so far.
finish() {
  echo "1..$lab_checks"
  if [ "$lab_failed" -ne 0 ]; then
    echo "# $lab_failed of $lab_checks checks failed"
    exit 1
  fi
  exit 0
}

# skip REASON: the guest lacks something this scenario needs.
skip() {
  echo "SKIP: $*"
  exit 77
}

# fail MESSAGE: stop here, failed.
fail() {
  echo "FAIL: $*"
  exit 1
}

# wait_for SECS COMMAND...: poll COMMAND every 20 ms until it succeeds;
# return 1 after SECS seconds.
wait_for() {
  local limit=$1 i=0
  shift
  while ! "$@" >/dev/null 2>&1; do
    i=$((i + 1))
    [ "$i" -ge $((limit * 50)) ] && return 1
    usleep 20000
  done
}

# need_sockctl: fail (not skip) when lab.sh was run without --sockctl.
need_sockctl() {
  [ -x /usr/bin/sockctl ] ||
    fail "no sockctl binary in the guest: run lab.sh with --sockctl PATH"
}

# need_module NAME: skip when the kernel module did not load at start-up.
need_module() {
  if grep -qx "$1" /run/lab-modules.failed 2>/dev/null; then
    skip "kernel module $1 failed to load"
  fi
}
