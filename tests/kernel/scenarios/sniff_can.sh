#!/bin/bash
# sniff_can.sh: `sockctl sniff -i sniffcan0` (a vcan of its own) captures the CAN frames cansend
# (can-utils) writes: classic, extended and FD frames with their ids, flags
# and data in JSON; a filter over the pcap layout (big-endian can_id) picks
# one id; -w writes a CAN_SOCKETCAN pcap that -r reads back in candump's
# compact form.
# lab-timeout: 60
. /lab/lib.sh
need_sockctl
need_module vcan
need_module can-raw

ip link add sniffcan0 type vcan || fail "no sniffcan0"
ip link set sniffcan0 mtu 72
ip link set sniffcan0 up

timeout -s KILL 20 sockctl --json sniff -i sniffcan0 -c 3 >can.json 2>can.err &
sniffer=$!
wait_for 5 grep -q listening can.json || fail "sniff never started: $(cat can.err)"
cansend sniffcan0 123#DEADBEEF
cansend sniffcan0 12345678#01
cansend sniffcan0 321##1AABB
wait $sniffer
cat can.json

frame() { python3 - "$@" <<'PY'
import json, sys
want = dict(a.split("=", 1) for a in sys.argv[1:])
for line in open("can.json"):
    e = json.loads(line)
    c = e.get("can")
    if c and all(str(c.get(k)).lower() == v.lower() for k, v in want.items()):
        sys.exit(0)
sys.exit(1)
PY
}
check "link type CAN_SOCKETCAN" grep -q '"link":"CAN_SOCKETCAN"' can.json
check "classic frame 0x123 with its data" frame id=291 extended=false fd=false len=4 data=deadbeef
check "extended frame 0x12345678" frame id=305419896 extended=true len=1 data=01
check "FD frame 0x321 with BRS" frame id=801 fd=true brs=true len=2 data=aabb
check "three packets captured" grep -q '"captured":3' can.json

timeout -s KILL 20 sockctl sniff -i sniffcan0 -c 1 'link[0:4] & 0x1fffffff = 0x456' >filtered.txt 2>filtered.err &
sniffer=$!
wait_for 5 grep -q listening filtered.err || fail "filtered sniff never started: $(cat filtered.err)"
cansend sniffcan0 123#11
cansend sniffcan0 456#22
wait $sniffer
cat filtered.txt filtered.err
check "the filter picks id 0x456 only" grep -q '456' filtered.txt
check "and not 0x123" bash -c '! grep -q "123" filtered.txt'

timeout -s KILL 20 sockctl sniff -i sniffcan0 -c 2 -w can.pcap 2>write.err &
sniffer=$!
wait_for 5 grep -q listening write.err || fail "sniff -w never started: $(cat write.err)"
cansend sniffcan0 7FF#0102
cansend sniffcan0 1FFFFFFF#R
wait $sniffer
sockctl sniff -r can.pcap >read.txt 2>&1
cat read.txt
check "-r reads the classic frame back" grep -q '7FF' read.txt
check "-r reads the extended remote frame back" grep -q '1FFFFFFF' read.txt
check "-r sees two records" test "$(wc -l <read.txt)" -eq 2
finish
