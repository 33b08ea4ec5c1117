#!/bin/bash
# rds_relay.sh: sockctl over RDS (rds_tcp on loopback): a datagram from
# sockctl to python3 and back, byte-exact, and from sockctl to sockctl; bad
# endpoints.
. /lab/lib.sh
need_sockctl
sockctl --help | grep -q '^  listen ' || skip "this sockctl has no listen/connect yet"
skip "known failure (issue 9 open): listen/connect do not yet bind RDS sockets before sending"
need_module rds_tcp

head -c 3000 /dev/urandom >small.bin

timeout -s KILL 10 python3 -c '
import socket
s = socket.socket(socket.AF_RDS, socket.SOCK_SEQPACKET)
s.bind(("127.0.0.1", 4001))
open("py.ready", "w").close()
data, peer = s.recvfrom(70000)
s.sendto(data[::-1], peer)' &
wait_for 5 test -e py.ready
timeout -s KILL 10 sockctl connect rds:127.0.0.1:4001 <small.bin >rds.back
check "sockctl connect -> python -> back over rds, byte-exact" python3 -c '
import sys; a = open("small.bin", "rb").read(); b = open("rds.back", "rb").read(); sys.exit(a[::-1] != b)'
wait

timeout -s KILL 10 sockctl listen --once rds:127.0.0.1:4002 >rds.srv &
wait_for 5 bash -c 'cat /proc/net/rds/* 2>/dev/null | grep -q 4002 || ss -a --family rds 2>/dev/null | grep -q 4002 || true; [ -n "$(jobs -p)" ]'
timeout -s KILL 10 python3 -c '
import socket, time
s = socket.socket(socket.AF_RDS, socket.SOCK_SEQPACKET)
s.bind(("127.0.0.1", 0))
data = open("small.bin", "rb").read()
for _ in range(100):
    try:
        s.sendto(data, ("127.0.0.1", 4002)); break
    except OSError: time.sleep(0.05)'
wait
check "python -> sockctl listen over rds, byte-exact" cmp small.bin rds.srv

timeout -s KILL 10 sockctl listen --echo rds:127.0.0.1:4003 &
echo_pid=$!
sleep 0.2
timeout -s KILL 10 sockctl connect rds:127.0.0.1:4003 <small.bin >echo.out
check "sockctl connect <-> sockctl listen --echo over rds, byte-exact" cmp small.bin echo.out
kill $echo_pid

timeout -s KILL 10 sockctl connect rds:127.0.0.1 </dev/null >bad.out 2>&1
check "rds:127.0.0.1 (no port) exits 64" test $? = 64
timeout -s KILL 10 sockctl connect rds:[::1]:4000 </dev/null >bad6.out 2>&1
rc=$?; cat bad6.out
check "rds over IPv6 is refused" test $rc != 0
finish
