#!/bin/bash
# tipc_relay.sh: sockctl over TIPC on one node: RDM (the default), stream and
# seqpacket relays both ways, byte-exact, between sockctl processes and with
# python3's socket module; dgram with node scope; a name range bound by one
# socket, multicast to a range; id:NODE:REF; `tipc nametable show` agrees on
# what is bound.
. /lab/lib.sh
need_sockctl
sockctl --help | grep -q '^  listen ' || skip "this sockctl has no listen/connect yet"
need_module tipc

head -c 200000 /dev/urandom >big.bin
head -c 3000 /dev/urandom >small.bin
bound() { tipc nametable show | grep -Eq "^$1 +$2 +$3 "; }

# RDM: python sends a datagram to sockctl; sockctl sends one to python, which answers.
timeout -s KILL 10 sockctl listen --once tipc:18888:17 >rdm.out &
wait_for 5 bound 18888 17 17 || fail "listen tipc:18888:17 never bound: $(tipc nametable show)"
check "tipc nametable show lists the RDM listener" bound 18888 17 17
timeout -s KILL 10 python3 -c '
import socket, sys
s = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)
s.sendto(open("small.bin", "rb").read(), (socket.TIPC_ADDR_NAME, 18888, 17, 0))'
wait
check "python -> sockctl listen (rdm) byte-exact" cmp small.bin rdm.out

timeout -s KILL 10 python3 -c '
import socket
s = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)
s.bind((socket.TIPC_ADDR_NAME, 18888, 18, 0))
open("py.ready", "w").close()
data, peer = s.recvfrom(70000)
s.sendto(data[::-1], peer)' &
wait_for 5 test -e py.ready
timeout -s KILL 10 sockctl connect tipc:18888:18 <small.bin >rdm.back
check "sockctl connect (rdm) -> python -> back, byte-exact" python3 -c '
import sys; a = open("small.bin", "rb").read(); b = open("rdm.back", "rb").read(); sys.exit(a[::-1] != b)'
wait

# RDM between two sockctl processes, both ways: an echoing listener.
timeout -s KILL 10 sockctl listen --echo tipc:18888:19 &
echo_pid=$!
wait_for 5 bound 18888 19 19
timeout -s KILL 10 sockctl connect tipc:18888:19 <small.bin >echo.out
check "sockctl connect <-> sockctl listen --echo (rdm) byte-exact" cmp small.bin echo.out
kill $echo_pid

# Stream and seqpacket: a listener and a client, each sending a file.
for kind in stream seqpacket; do
  inst=$([ $kind = stream ] && echo 30 || echo 31)
  timeout -s KILL 10 sockctl listen --once tipc-$kind:18888:$inst <small.bin >$kind.srv 2>$kind.srv.err &
  srv=$!
  wait_for 5 bound 18888 $inst $inst || fail "tipc-$kind listener never bound"
  timeout -s KILL 10 sockctl connect tipc-$kind:18888:$inst <big.bin >$kind.cli 2>$kind.cli.err
  cli_rc=$?
  wait $srv
  srv_rc=$?
  cat $kind.srv.err $kind.cli.err
  check "connect -> listen over tipc-$kind, byte-exact" cmp big.bin $kind.srv
  check "listen -> connect over tipc-$kind, byte-exact" cmp small.bin $kind.cli
  # TIPC has no half-close: the end is an orderly shutdown, an EOF, not a reset.
  check "tipc-$kind: both ends exit 0 (listen $srv_rc, connect $cli_rc)" test $srv_rc$cli_rc = 00
done

# tipc-dgram, and a name bound and reached with node scope.
timeout -s KILL 10 sockctl listen --once tipc-dgram:18888:70@node >dgram.out &
srv=$!
wait_for 5 bound 18888 70 70 || fail "tipc-dgram listener never bound: $(tipc nametable show)"
check "tipc nametable show gives 18888:70 node scope" bash -c 'tipc nametable show | grep -E "^18888 +70 +70 " | grep -qw node'
echo dgram | timeout -s KILL 10 sockctl connect tipc-dgram:18888:70@node
check "connect tipc-dgram:18888:70@node exits 0" test $? = 0
wait $srv
check "listen tipc-dgram received the datagram, exit 0" bash -c "[ $? = 0 ] && grep -qx dgram dgram.out"

# A name range bound by one socket receives a name inside it and multicast to it.
timeout -s KILL 10 sockctl listen --once tipc:18888:100-199 >range.out &
wait_for 5 bound 18888 100 199 || fail "range listener never bound: $(tipc nametable show)"
check "tipc nametable show lists the range 100-199" bound 18888 100 199
echo in-range | timeout -s KILL 10 sockctl connect tipc:18888:150
wait
check "a name inside the bound range reaches it" grep -qx in-range range.out

timeout -s KILL 10 sockctl listen --once tipc:18888:41 >mc41.out &
timeout -s KILL 10 sockctl listen --once tipc:18888:42 >mc42.out &
timeout -s KILL 10 sockctl listen --once tipc:18888:0-9 >mc0.out &
wait_for 5 bound 18888 42 42 && wait_for 5 bound 18888 41 41 && wait_for 5 bound 18888 0 9
echo multicast | timeout -s KILL 10 sockctl connect tipc:18888:0-99
wait
check "multicast to 0-99 reaches instance 41" grep -qx multicast mc41.out
check "multicast to 0-99 reaches instance 42" grep -qx multicast mc42.out
check "multicast to 0-99 reaches the range 0-9" grep -qx multicast mc0.out

# id:NODE:REF: the address the listener reports is one a client can use.
timeout -s KILL 10 sockctl --json listen --once tipc-stream:18888:60 >id.events &
wait_for 5 grep -q listening id.events
id=$(python3 -c 'import json; print(json.loads(open("id.events").readline())["local"]["endpoint"])')
echo "# listener's socket: $id"
check "the listener reports a tipc-stream:id: address" bash -c "[[ '$id' == tipc-stream:id:* ]]"
echo by-id | timeout -s KILL 10 sockctl connect "$id" >/dev/null
wait
check "connect to it by id:NODE:REF" grep -q by-id id.events

# Bad endpoints and nobody there.
timeout -s KILL 10 sockctl connect tipc:18888 </dev/null >bad.out 2>&1
check "tipc:18888 (no instance) exits 64" test $? = 64
timeout -s KILL 10 sockctl connect tipc-stream:18888:999 </dev/null >none.out 2>&1
rc=$?
cat none.out
check "nobody bound to tipc-stream:18888:999: exit 1" test $rc = 1
finish
