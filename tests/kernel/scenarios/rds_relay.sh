#!/bin/bash
# rds_relay.sh: sockctl over RDS (rds_tcp loaded; local peers go through
# RDS's loopback transport): a message from sockctl to python3 and back,
# byte-exact, python3 to sockctl listen, sockctl to sockctl --echo; the
# bound source sockctl picks; bad endpoints. Listeners bind port 0 and the
# port is read from what they print.
. /lab/lib.sh
need_sockctl
sockctl --help | grep -q '^  listen ' || skip "this sockctl has no listen/connect yet"
need_module rds
need_module rds_tcp

head -c 3000 /dev/urandom >small.bin
# listening_port FILE: the port of the first listening event (--json) or line (stderr).
listening_port() {
  sed -n 's/.*listening.*:\([0-9][0-9]*\)"*[},]*.*/\1/p' "$1" | head -n1
}
wait_listening() { wait_for 5 grep -q listening "$1" || fail "no listener in $1: $(cat "$1")"; }

# RDS cannot send from an unbound socket: connect binds the source address
# the route to the peer would use (127.0.0.1 here) before connecting.
timeout -s KILL 20 python3 -c '
import socket
s = socket.socket(socket.AF_RDS, socket.SOCK_SEQPACKET)
s.bind(("127.0.0.1", 0))
open("py.port", "w").write(str(s.getsockname()[1]))
data, peer = s.recvfrom(70000)
open("py.peer", "w").write(peer[0])
s.sendto(data[::-1], peer)' &
wait_for 5 test -s py.port || fail "python3 never bound"
timeout -s KILL 20 sockctl --json connect rds:127.0.0.1:$(cat py.port) <small.bin >rds.events
echo "# connect exit $?"
wait
check "sockctl connect -> python -> back over rds, byte-exact" python3 -c '
import json, base64, sys
data = b"".join(base64.b64decode(e["base64"]) if "base64" in e else e["text"].encode()
                for e in map(json.loads, open("rds.events")) if e.get("event") in ("data", "datagram"))
sys.exit(data != open("small.bin", "rb").read()[::-1])'
check "connect bound 127.0.0.1 before sending" grep -qx 127.0.0.1 py.peer
check "the connected event names the bound local address" grep -q '"local":{"family":"inet","host":"127.0.0.1"' rds.events

timeout -s KILL 20 sockctl listen --once rds:127.0.0.1:0 >rds.srv 2>rds.srv.err &
srv=$!
wait_listening rds.srv.err
port=$(listening_port rds.srv.err)
timeout -s KILL 20 python3 -c '
import socket, sys
s = socket.socket(socket.AF_RDS, socket.SOCK_SEQPACKET)
s.bind(("127.0.0.1", 0))
s.sendto(open("small.bin", "rb").read(), ("127.0.0.1", int(sys.argv[1])))' $port
wait $srv
check "sockctl listen --once exits 0 after one message" test $? = 0
check "python -> sockctl listen over rds, byte-exact" cmp small.bin rds.srv

timeout -s KILL 20 sockctl listen --echo rds:127.0.0.1:0 2>echo.err &
echo_pid=$!
wait_listening echo.err
port=$(listening_port echo.err)
timeout -s KILL 20 sockctl connect rds:127.0.0.1:$port <small.bin >echo.out
check "sockctl connect <-> sockctl listen --echo over rds, byte-exact" cmp small.bin echo.out
kill $echo_pid

timeout -s KILL 10 sockctl connect rds:127.0.0.1 </dev/null >bad.out 2>&1
check "rds:127.0.0.1 (no port) exits 64" test $? = 64
timeout -s KILL 10 sockctl connect rds:[::1]:4000 </dev/null >bad6.out 2>&1
rc=$?; cat bad6.out
check "rds over IPv6 exits 64" test $rc = 64
timeout -s KILL 10 sockctl listen rds::4000 </dev/null >wild.out 2>&1
rc=$?; cat wild.out
check "rds listener on the wildcard is refused" test $rc != 0
check "and the error names the endpoint" grep -q "rds::4000" wild.out
finish
