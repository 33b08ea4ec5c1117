#!/bin/bash
# tipc_topology.sh: `sockctl sniff --tipc` reports a service name published
# and then withdrawn by another process, with the range and the publishing
# socket, and `tipc nametable show` agrees while the name is bound.
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
