#!/bin/bash
# tipc_sockopts.sh: TIPC socket options by name through -O (TIPC_IMPORTANCE,
# TIPC_SRC_DROPPABLE, TIPC_DEST_DROPPABLE, TIPC_CONN_TIMEOUT): read back from
# the listener's own socket (pidfd_getfd), data still flows, the kernel's
# refusal of a bad value is reported.
. /lab/lib.sh
need_sockctl
sockctl --help | grep -q '^  listen ' || skip "this sockctl has no listen/connect yet"
need_module tipc

bound() { tipc nametable show | grep -Eq "^$1 +$2 +$3 "; }
timeout -s KILL 10 sockctl listen --once -O TIPC_IMPORTANCE=TIPC_HIGH_IMPORTANCE -O TIPC_SRC_DROPPABLE=1 \
  -O TIPC_DEST_DROPPABLE=0 -O TIPC_CONN_TIMEOUT=2500 tipc:18891:1 >opts.out &
srv=$!
wait_for 5 bound 18891 1 1 || fail "listen tipc:18891:1 never bound"

# A copy of the listener's socket (pidfd_getfd, syscall 438) shows what was set.
check "the listener's socket holds every -O value" socket_of $srv 30 '
got = {n: s.getsockopt(socket.SOL_TIPC, getattr(socket, n, v))
       for n, v in [("TIPC_IMPORTANCE", 127), ("TIPC_SRC_DROPPABLE", 128),
                    ("TIPC_DEST_DROPPABLE", 129), ("TIPC_CONN_TIMEOUT", 130)]}
print("#", got)
sys.exit(got != {"TIPC_IMPORTANCE": 2, "TIPC_SRC_DROPPABLE": 1,
                 "TIPC_DEST_DROPPABLE": 0, "TIPC_CONN_TIMEOUT": 2500})'

echo important | timeout -s KILL 10 sockctl connect -O TIPC_IMPORTANCE=TIPC_CRITICAL_IMPORTANCE tipc:18891:1
check "connect with TIPC_IMPORTANCE=TIPC_CRITICAL_IMPORTANCE exits 0" test $? = 0
wait $srv
check "the datagram arrived" grep -qx important opts.out

timeout -s KILL 10 sockctl connect -O TIPC_IMPORTANCE=7 tipc:18891:1 </dev/null >bad.out 2>&1
rc=$?; cat bad.out
check "TIPC_IMPORTANCE=7 is refused by the kernel, named, non-zero exit" \
  bash -c "[ $rc != 0 ] && grep -q TIPC_IMPORTANCE bad.out"
timeout -s KILL 10 sockctl connect -O TIPC_IMPORTANCE=TIPC_HUGE_IMPORTANCE tipc:18891:1 </dev/null >bad2.out 2>&1
rc=$?; cat bad2.out
check "an unknown value name exits 64" test $rc = 64
finish
