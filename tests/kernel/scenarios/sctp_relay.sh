#!/bin/bash
# sctp_relay.sh: sockctl over SCTP: stream (one-to-one) and seqpacket
# (one-to-many) relays both ways, byte-exact, between sockctl processes and
# with python3's socket module; SCTP_NODELAY by name; multi-homing: a
# wildcard listener reached on both addresses of a two-address interface, and
# a listener bound to a name's two addresses; bad endpoints. Listeners bind port 0 and the port is read from what they print.
. /lab/lib.sh
need_sockctl
sockctl --help | grep -q '^  listen ' || skip "this sockctl has no listen/connect yet"
need_module sctp

head -c 300000 /dev/urandom >big.bin
head -c 5000 /dev/urandom >small.bin
# listening_port FILE: the port of the first listening event (--json) or line (stderr).
listening_port() {
  sed -n 's/.*listening.*:\([0-9][0-9]*\)"*[},]*.*/\1/p; s/.*listening on .*:\([0-9][0-9]*\)$/\1/p' "$1" | head -n1
}
wait_listening() { wait_for 5 grep -q listening "$1" || fail "no listener in $1: $(cat "$1")"; }

for kind in sctp sctp-seqpacket; do
  # sockctl <-> sockctl, on another loopback address than the client's own.
  timeout -s KILL 20 sockctl listen $kind:127.0.0.2:0 <small.bin >$kind.srv 2>$kind.srv.err &
  srv=$!
  wait_listening $kind.srv.err
  port=$(listening_port $kind.srv.err)
  timeout -s KILL 20 sockctl connect $kind:127.0.0.2:$port -O SCTP_NODELAY=1 <big.bin >$kind.cli
  echo "# connect exit $?"
  wait $srv
  echo "# listen exit $?"
  cat $kind.srv.err
  check "connect -> listen over $kind, byte-exact" cmp big.bin $kind.srv
  check "listen -> connect over $kind, byte-exact" cmp small.bin $kind.cli

  # python3 -> sockctl listen --json with SCTP_NODELAY set on the listener.
  timeout -s KILL 20 sockctl --json listen $kind:127.0.0.1:0 -O SCTP_NODELAY=1 >$kind.events &
  srv=$!
  wait_listening $kind.events
  port=$(listening_port $kind.events)
  timeout -s KILL 20 python3 -c '
import socket, sys
kind, port = sys.argv[1], int(sys.argv[2])
t = socket.SOCK_STREAM if kind == "sctp" else socket.SOCK_SEQPACKET
s = socket.socket(socket.AF_INET, t, socket.IPPROTO_SCTP)
s.connect(("127.0.0.1", port))
data = open("small.bin", "rb").read()
if t == socket.SOCK_STREAM:
    s.sendall(data)
else:
    for i in range(0, len(data), 1000):
        s.sendto(data[i:i + 1000], ("127.0.0.1", port))
s.close()' $kind $port
  wait $srv
  check "sockctl listen over $kind exits 0 when python3 closes" test $? = 0
  check "python -> sockctl listen over $kind, byte-exact" python3 -c '
import json, base64, sys
data = b"".join(base64.b64decode(e["base64"]) if "base64" in e else e["text"].encode()
                for e in map(json.loads, open(sys.argv[1])) if e.get("event") in ("data", "datagram"))
sys.exit(data != open("small.bin", "rb").read())' $kind.events
done

# A python3 one-to-many listener answers sockctl's seqpacket messages.
timeout -s KILL 20 python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_SEQPACKET, socket.IPPROTO_SCTP)
s.bind(("127.0.0.1", 0)); s.listen()
open("py.port", "w").write(str(s.getsockname()[1]))
data, peer = s.recvfrom(70000)
s.sendto(data[::-1], peer)' &
wait_for 5 test -s py.port || fail "python3 listener never listened"
timeout -s KILL 20 sockctl connect sctp-seqpacket:127.0.0.1:$(cat py.port) <small.bin >py.back
check "sockctl connect sctp-seqpacket -> python3 -> back, byte-exact" python3 -c '
import sys; a = open("small.bin", "rb").read(); b = open("py.back", "rb").read(); sys.exit(a[::-1] != b)'
wait

# Multi-homing: an interface with two addresses; one wildcard listener is
# reached on each, and an association made to one address spans both (SCTP
# lists every local address in its INIT and INIT-ACK): /proc/net/sctp/assocs
# shows them while a connection is held open.
ip link add sctpmh0 type dummy && ip link set sctpmh0 up &&
  ip addr add 10.77.0.1/24 dev sctpmh0 && ip addr add 10.77.0.2/24 dev sctpmh0 ||
  fail "cannot set up the two-address interface"
timeout -s KILL 20 sockctl --json listen --keep-open --echo sctp::0 >mh.events &
mh=$!
wait_listening mh.events
port=$(listening_port mh.events)
for addr in 10.77.0.1 10.77.0.2; do
  echo "via $addr" | timeout -s KILL 10 sockctl connect sctp:$addr:$port -O SCTP_NODELAY=1 >mh.$addr
  check "wildcard SCTP listener echoes on $addr" grep -qx "via $addr" mh.$addr
done
mkfifo hold
timeout -s KILL 10 sockctl connect sctp:10.77.0.1:$port <hold >mh.hold &
hold=$!
exec 3>hold
wait_for 5 grep -q "10.77.0.2" /proc/net/sctp/assocs
cat /proc/net/sctp/assocs
check "an association to 10.77.0.1 lists 10.77.0.2 too" grep -q "10.77.0.1.*10.77.0.2\|10.77.0.2.*10.77.0.1" /proc/net/sctp/assocs
exec 3>&-
wait $hold
kill $mh; wait $mh 2>/dev/null

# A multi-homed bind: a name with two addresses is one socket bound to both
# (sctp_bindx), not a wildcard: a third address of the interface is refused.
ip addr add 10.77.0.3/24 dev sctpmh0
# (glibc returns every /etc/hosts address of a name only with "multi on",
# which Debian's /etc/host.conf says and the guest lacks.)
cp /etc/hosts hosts.saved
[ -e /etc/host.conf ] && cp /etc/host.conf host.conf.saved
printf '10.77.0.1 sctp-mh\n10.77.0.2 sctp-mh\n' >>/etc/hosts
echo "multi on" >/etc/host.conf
timeout -s KILL 20 sockctl --json listen --keep-open --echo sctp:sctp-mh:0 >mh2.events &
mh=$!
wait_listening mh2.events
port=$(listening_port mh2.events)
check "one listening socket for both addresses" test "$(grep -c listening mh2.events)" = 1
wait_for 5 grep -q " $port .*10.77.0.1 10.77.0.2" /proc/net/sctp/eps
cat /proc/net/sctp/eps
check "the endpoint is bound to 10.77.0.1 and 10.77.0.2" grep -q " $port .*10.77.0.1 10.77.0.2" /proc/net/sctp/eps
for addr in 10.77.0.1 10.77.0.2; do
  echo "bound $addr" | timeout -s KILL 10 sockctl connect sctp:$addr:$port >mh2.$addr
  check "multi-homed listener echoes on $addr" grep -qx "bound $addr" mh2.$addr
done
timeout -s KILL 10 sockctl connect --timeout 3 sctp:10.77.0.3:$port </dev/null >mh2.other 2>&1
rc=$?
cat mh2.other
check "an address it was not bound to is refused (exit 1)" test $rc = 1
kill $mh; wait $mh 2>/dev/null
cp hosts.saved /etc/hosts
if [ -e host.conf.saved ]; then cp host.conf.saved /etc/host.conf; else rm /etc/host.conf; fi
ip link del sctpmh0

timeout -s KILL 10 sockctl connect sctp:127.0.0.1 </dev/null >bad.out 2>&1
check "sctp:127.0.0.1 (no port) exits 64" test $? = 64
timeout -s KILL 10 sockctl connect sctp:127.0.0.1:99999 </dev/null >bad2.out 2>&1
check "sctp:127.0.0.1:99999 (port out of range) exits 64" test $? = 64
timeout -s KILL 10 sockctl connect sctp:127.0.0.1:1 </dev/null >refused.out 2>&1
rc=$?
cat refused.out
check "nobody on sctp:127.0.0.1:1: exit 1" test $rc = 1
timeout -s KILL 10 sockctl listen sctp:127.0.0.1:0 -O SCTP_NODELAY=x </dev/null >badopt.out 2>&1
check "SCTP_NODELAY=x exits 64" test $? = 64
finish
