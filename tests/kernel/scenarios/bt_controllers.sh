#!/bin/bash
# bt_controllers.sh: `sockctl inet hci` lists the two virtual controllers
# btvirt makes, brings one up, sets page and inquiry scan, and brings it down
# again; hciconfig (BlueZ) agrees at every step. `listen hci:none:monitor`
# receives the monitor channel's records.
. /lab/lib.sh
need_sockctl
need_module hci_vhci

btvirt -l2 >btvirt.log 2>&1 &
wait_for 10 bash -c 'sockctl inet hci | grep -q hci1' || fail "btvirt made no controllers: $(cat btvirt.log; sockctl inet hci 2>&1)"

# The monitor channel belongs to no controller: listen reports the address it bound.
timeout -s KILL 20 sockctl --json listen hci:none:monitor >mon.json 2>&1 &
monitor=$!
wait_for 5 grep -q listening mon.json || fail "listen hci:none:monitor never listened: $(cat mon.json)"
check "listen hci:none:monitor reports hci:none:monitor" grep -q '"endpoint":"hci:none:monitor"' mon.json

sockctl --json inet hci >list.json
check "two controllers listed" python3 -c '
import json; c = json.load(open("list.json"))["controllers"]
assert [x["name"] for x in c] == ["hci0", "hci1"], c
assert all(x["bus"] == "virtual" and x["type"] == "primary" for x in c), c'

check "hci0 comes up with page scan" sockctl inet hci hci0 --up --scan page
check "hciconfig sees UP RUNNING PSCAN" bash -c 'hciconfig hci0 | grep -q "UP RUNNING PSCAN"'
addr=$(hciconfig hci0 | sed -n 's/.*BD Address: \([0-9A-F:]*\).*/\1/p')
check "same address as hciconfig ($addr)" bash -c "sockctl inet hci hci0 | grep -q '^hci0  $addr  virtual  primary  up,running,pscan'"
check "scan both (hciconfig's piscan)" sockctl inet hci hci0 --scan piscan
check "hciconfig sees PSCAN ISCAN" bash -c 'hciconfig hci0 | grep -q "PSCAN ISCAN"'
check "up again is not an error" sockctl inet hci hci0 --up
check "hci0 goes down" sockctl inet hci hci0 --down
check "hciconfig sees DOWN" bash -c 'hciconfig hci0 | grep -q DOWN'
check "listen hci:none:monitor received monitor records" grep -q '"event":"datagram"' mon.json
kill $monitor

sockctl inet hci hci7 >missing.out 2>&1
check "a missing controller exits 69" test $? = 69
check "and names it" grep -q "controller 'hci7'" missing.out
finish
