#!/bin/bash
# vsock_relay.sh: sockctl over AF_VSOCK with the vsock_loopback transport
# (CID local): relays both ways, byte-exact, between sockctl processes and
# with python3's socket module; bad endpoints.
. /lab/lib.sh
need_sockctl
sockctl --help | grep -q '^  listen ' || skip "this sockctl has no listen/connect yet"
need_module vsock_loopback

head -c 300000 /dev/urandom >big.bin
head -c 5000 /dev/urandom >small.bin

timeout 10 sockctl listen --once vsock:any:9000 <small.bin >srv.out &
wait_for 5 bash -c 'ss -Hl --vsock | grep -q 9000'
timeout 10 sockctl connect vsock:local:9000 <big.bin >cli.out
wait
check "connect -> listen over vsock, byte-exact" cmp big.bin srv.out
check "listen -> connect over vsock, byte-exact" cmp small.bin cli.out

timeout 10 sockctl listen --once vsock:any:9001 >py.out &
wait_for 5 bash -c 'ss -Hl --vsock | grep -q 9001'
timeout 10 python3 -c '
import socket
s = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
s.connect((1, 9001))
s.sendall(open("small.bin", "rb").read())
s.close()'
wait
check "python -> sockctl listen over vsock, byte-exact" cmp small.bin py.out

timeout 10 sockctl connect vsock:local </dev/null >bad.out 2>&1
check "vsock:local (no port) exits 64" test $? = 64
timeout 10 sockctl connect vsock:local:9999 </dev/null >refused.out 2>&1
rc=$?; cat refused.out
check "nobody on vsock:local:9999: exit 1" test $rc = 1
finish
