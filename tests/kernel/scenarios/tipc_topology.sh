#!/bin/bash
# tipc_topology.sh: `sockctl sniff --tipc` reports a service name published
# and then withdrawn by another process (python3, then a sockctl listener),
# with the range and the publishing socket, and `tipc nametable show` agrees
# while the name is bound.
. /lab/lib.sh
need_sockctl
need_module tipc

timeout -s KILL 20 sockctl --json sniff --tipc 18889 -c 2 >topo.json &
sniffer=$!
wait_for 5 grep -q listening topo.json || fail "sniff --tipc never subscribed: $(cat topo.json)"

# Another process publishes 18889:7, checks the name table, then withdraws it.
timeout -s KILL 10 python3 -c '
import socket, subprocess
s = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)
s.bind((socket.TIPC_ADDR_NAME, 18889, 7, 0))
open("nametable.txt", "w").write(subprocess.run(["tipc", "nametable", "show"], capture_output=True, text=True).stdout)
s.close()'
check "tipc nametable show listed 18889:7 while bound" grep -Eq '^18889 +7 +7 ' nametable.txt
wait $sniffer
check "sniff --tipc exits 0 after two events" test $? = 0
cat topo.json
check "published, then withdrawn, 18889:7" python3 -c '
import json
ev = [e["tipc"] for e in map(json.loads, open("topo.json")) if "tipc" in e]
assert [e["event"] for e in ev] == ["published", "withdrawn"], ev
assert all((e["type"], e["lower"], e["upper"]) == (18889, 7, 7) for e in ev), ev
assert ev[0]["ref"] == ev[1]["ref"] and ev[0]["ref"] != 0, ev'

# Another sockctl process publishes: a listener on 18890:5, ended by one datagram.
bound() { tipc nametable show | grep -Eq "^$1 +$2 +$3 "; }
timeout -s KILL 20 sockctl --json sniff --tipc 18890 -c 2 >sock.json &
sniffer=$!
wait_for 5 grep -q listening sock.json || fail "sniff --tipc 18890 never subscribed"
timeout -s KILL 10 sockctl --json listen --once tipc:18890:5 >pub.json &
publisher=$!
wait_for 5 bound 18890 5 5
check "tipc nametable show lists sockctl's 18890:5" bound 18890 5 5
echo bye | timeout -s KILL 10 sockctl connect tipc:18890:5
wait $publisher
check "the publishing listener exits 0" test $? = 0
check "tipc nametable show no longer lists 18890:5" bash -c '! tipc nametable show | grep -Eq "^18890 +5 +5 "'
wait $sniffer
cat pub.json sock.json
check "published, then withdrawn, 18890:5 by the listener's socket" python3 -c '
import json
ev = [e["tipc"] for e in map(json.loads, open("sock.json")) if "tipc" in e]
assert [e["event"] for e in ev] == ["published", "withdrawn"], ev
assert all((e["type"], e["lower"], e["upper"]) == (18890, 5, 5) for e in ev), ev
local = json.loads(open("pub.json").readline())["local"]
print("# listener:", local)
assert ev[0]["ref"] == ev[1]["ref"] == local["ref"], (ev, local)'

# The human line names the event and the range.
timeout -s KILL 20 sockctl sniff --tipc 18889:100-200 -c 1 >topo.txt 2>topo.err &
sniffer=$!
wait_for 5 grep -q listening topo.err
timeout -s KILL 10 python3 -c '
import socket
s = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)
s.bind((socket.TIPC_ADDR_NAMESEQ, 18889, 150, 160))'
wait $sniffer
cat topo.txt
check "human line: TIPC published 18889:150-160" grep -q 'TIPC published 18889:150-160 by node' topo.txt
finish
