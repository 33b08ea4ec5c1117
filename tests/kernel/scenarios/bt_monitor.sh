#!/bin/bash
# bt_monitor.sh: `sockctl sniff --hci` decodes the Bluetooth monitor channel:
# the commands and events of `sockctl inet hci --up --scan page`, and the
# connection l2test (BlueZ) makes between two btvirt controllers: Create
# Connection, Connect Request/Complete, and ACL data with L2CAP headers.
# lab-timeout: 90
. /lab/lib.sh
need_sockctl
need_module hci_vhci

timeout -s KILL 80 btvirt -l2 >btvirt.log 2>&1 &
wait_for 10 bash -c 'sockctl inet hci | grep -q hci1' || fail "btvirt made no controllers"

timeout -s KILL 40 sockctl --json sniff --hci any >mon.json &
sniffer=$!
wait_for 5 grep -q listening mon.json || fail "sniff --hci never started: $(cat mon.json)"
check "hci0 up, page scan" sockctl inet hci hci0 --up --scan page
check "hci1 up" sockctl inet hci hci1 --up
addr0=$(sockctl --json inet hci hci0 | python3 -c 'import json,sys; print(json.load(sys.stdin)["controllers"][0]["bdaddr"])')

timeout -s KILL 20 l2test -i hci0 -d -P 4097 >l2recv.log 2>&1 &
receiver=$!
wait_for 5 grep -q 'Waiting for connection' l2recv.log
timeout -s KILL 20 l2test -i hci1 -s -N 1 -P 4097 "$addr0" >l2send.log 2>&1
wait_for 5 grep -q 'Connect' mon.json
kill $sniffer $receiver 2>/dev/null
wait $sniffer 2>/dev/null

count() { python3 - "$@" <<'PY'
import json, sys
want = dict(a.split("=", 1) for a in sys.argv[1:])
n = 0
for line in open("mon.json"):
    e = json.loads(line).get("hci")
    if e and all(str(e.get(k)) == v for k, v in want.items()):
        n += 1
print(n)
sys.exit(n == 0)
PY
}
check "Write Scan Enable command on hci0" count index=0 type=Command name="Write Scan Enable"
check "its Command Complete, status 0" count index=0 type=Event name="Command Complete" command=3098 status=0
check "Create Connection command on hci1" count index=1 type=Command name="Create Connection"
check "Connect Request event on hci0" count index=0 type=Event name="Connect Request"
check "Connect Complete event on both" count type=Event name="Connect Complete"
check "ACL data with an L2CAP header" count type="ACL Data TX"
check "L2CAP signalling channel (cid 1) seen" count l2cap_cid=1
echo "# $(wc -l <mon.json) monitor records; l2test: $(tail -1 l2send.log)"
timeout -s KILL 10 sockctl sniff --hci hci0 --duration 3 >mon.txt 2>mon.err &
sniffer=$!
wait_for 5 grep -q listening mon.err
sockctl inet hci hci0 --scan off >/dev/null
wait $sniffer
cat mon.txt
check "human line in btmon's words" grep -q '^.*HCI hci0 < Command: Write Scan Enable (0x03|0x001a) plen 1' mon.txt
finish
