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

# socket_of PID FAMILY CODE: run python3 CODE with `s`, a copy of process
# PID's first socket of address family FAMILY (a number), taken with
# pidfd_getfd (syscall 438), so a scenario reads back what sockctl set on
# its own socket.
socket_of() {
  python3 -c 'import ctypes, os, socket, sys
libc = ctypes.CDLL(None, use_errno=True)
pid, family = int(sys.argv[1]), int(sys.argv[2])
pidfd = os.pidfd_open(pid)
for name in os.listdir(f"/proc/{pid}/fd"):
    if os.readlink(f"/proc/{pid}/fd/{name}").startswith("socket:"):
        s = socket.socket(fileno=libc.syscall(438, pidfd, int(name), 0))
        if s.family == family:
            break
else:
    sys.exit(f"no socket of family {family} in process {pid}")
'"$3" "$1" "$2"
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

# --- CAN: start receivers and return once the kernel (or sockctl) says they
# are registered, so no frame is sent before anyone listens. ---------------------

# can_receivers: receivers registered on every CAN device ('any' too), one line
# each in /proc/net/can/rcvlist_* (raw filters, bcm, isotp and its echo).
can_receivers() { cat /proc/net/can/rcvlist_* | awk 'NF == 7 && $1 != "device"' | wc -l; }
can_at_least() { [ "$(can_receivers)" -ge "$1" ]; }

# candump_filters ARG...: the receivers candump registers for its interface
# arguments: one per ID:MASK or ID~MASK (CAN_RAW's default, all, when there
# is none) and one for an #ERRMASK. Options and their values are skipped.
candump_filters() {
  local n=0 arg f ids err parts
  for arg in "$@"; do
    case $arg in -*|[0-9]*) continue ;; esac
    ids=0 err=0
    IFS=, read -ra parts <<<"$arg"
    for f in "${parts[@]:1}"; do
      case $f in \#*) err=1 ;; *[:~]*) ids=$((ids + 1)) ;; esac
    done
    [ $ids = 0 ] && ids=1
    n=$((n + ids + err))
  done
  echo $n
}

# start_can N OUT COMMAND...: COMMAND >OUT in the background (its pid in
# $last_pid); returns once N more receivers are registered. Start receivers
# one at a time so that the count is theirs alone.
start_can() {
  local n=$1 out=$2 before
  shift 2
  before=$(can_receivers)
  "$@" >"$out" &
  last_pid=$!
  wait_for 10 can_at_least $((before + n)) ||
    fail "'$*' registered $(($(can_receivers) - before)) of $n receivers"
}

# start_candump OUT ARG...: candump ARG... >OUT, returned once it listens.
start_candump() {
  local out=$1
  shift
  start_can "$(candump_filters "$@")" "$out" candump "$@"
}

# start_sockctl N OUT ARG...: sockctl ARG... >OUT 2>OUT.err in the background
# (pid in $last_pid), returned once it has said it listens N times (the
# "listening" event with --json, the stderr line otherwise).
start_sockctl() {
  local n=$1 out=$2
  shift 2
  sockctl "$@" >"$out" 2>"$out.err" &
  last_pid=$!
  wait_for 10 said_listening "$out" "$n" ||
    fail "'sockctl $*' did not listen: $(cat "$out.err")"
}
said_listening() { [ "$(cat "$1" "$1.err" | grep -c '"event":"listening"\|listening on')" -ge "$2" ]; }

# Many receivers at once (faster than one at a time under TCG): start
# candumps with bg_candump, then ready_candumps; then sockctls with
# bg_sockctl, then ready_sockctls. Each ready_ fails when one never listens.
bg_candumps=0
bg_sockctls=()
bg_candump() {
  local out=$1
  shift
  [ "$bg_candumps" = 0 ] && bg_base=$(can_receivers)
  bg_candumps=$((bg_candumps + $(candump_filters "$@")))
  candump "$@" >"$out" &
  last_pid=$!
}
ready_candumps() {
  wait_for 10 can_at_least $((bg_base + bg_candumps)) ||
    fail "candumps registered $(($(can_receivers) - bg_base)) of $bg_candumps receivers"
  bg_candumps=0
}
bg_sockctl() {
  local n=$1 out=$2
  shift 2
  sockctl "$@" >"$out" 2>"$out.err" &
  last_pid=$!
  bg_sockctls+=("$n:$out")
}
ready_sockctls() {
  local p
  for p in "${bg_sockctls[@]}"; do
    wait_for 10 said_listening "${p#*:}" "${p%%:*}" || fail "sockctl >${p#*:} did not listen: $(cat "${p#*:}.err")"
  done
  bg_sockctls=()
}
