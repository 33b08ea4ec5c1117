#!/bin/bash
# can_bcm.sh: `sockctl can bcm` cyclic sends seen by candump at the right
# period; --watch change and timeout events; `sockctl can gen` traffic seen
# by candump, frame for frame.
# lab-timeout: 240
. /lab/lib.sh
need_sockctl
need_module can-bcm

# Every receiver is waited for before anything is sent: candump until the
# kernel lists its filters, sockctl until it says "listening" (lib.sh).

# --- cyclic send, every 100 ms ---------------------------------------------------------
start_candump cyc.out -td -n 8 -T 5000 vcan0,123:7FF
cd_pid=$last_pid
sockctl can bcm vcan0 --cyclic 100 123#11 123#22 --duration 5 &
bcm_pid=$!
wait $cd_pid
kill $bcm_pid
check "candump saw 8 cyclic frames" test "$(wc -l <cyc.out)" -eq 8
check "the frames alternate as given" test "$(awk '{print $5}' cyc.out | tr -d '\n')" = 1122112211221122
check "the period is 100 ms (within 20 ms)" python3 - cyc.out <<'PY'
import sys
gaps = [float(l.split()[0].strip("()")) for l in open(sys.argv[1])][1:]
bad = [g for g in gaps if abs(g - 0.100) > 0.020]
assert not bad, gaps
PY
cat cyc.out

# --- a counted cyclic send ends with an expired event -------------------------------------
start_candump count.out -n 5 -T 5000 -L vcan0
sockctl --json can bcm vcan0 --cyclic 10 --tx-count 5 12345678#AB >expired.json
check "--tx-count 5 ends by itself" test $? = 0
wait
check "candump saw 5 frames" test "$(wc -l <count.out)" -eq 5
check "an expired event" grep -q '"event":"expired"' expired.json

# --- watching: changes and timeouts ----------------------------------------------------------
start_sockctl 1 watch.json --json can bcm vcan0 --watch 123#0F -n 3 --duration 10
for f in 123#01 123#01 123#81 123#02 123#0203; do cansend vcan0 $f; done
wait
check "changes reported, repeats and unwatched bits not" python3 - watch.json <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])][1:]
assert [(r["event"], r["data"]) for r in rows] == [("changed", "01"), ("changed", "02"), ("changed", "0203")], rows
PY
sockctl --json can bcm vcan0 --watch 124#FF --rx-timeout 200 -n 1 --duration 10 >timeout.json
check "a timeout event when the id stays away" grep -q '"event":"timeout","interface":"vcan0","id":292' timeout.json
cat watch.json timeout.json

# --- gen ---------------------------------------------------------------------------------------
start_candump gen.out -n 500 -T 5000 -L vcan0
check "gen 500 frames, -g 1" sockctl can gen vcan0 -g 1 -n 500 -I i -L 8 -D i
wait
check "candump saw 500 frames" test "$(wc -l <gen.out)" -eq 500
check "ids and data count up" test "$(sed -n '2p;500p' gen.out | cut -d' ' -f3 | tr '\n' ' ')" = "001#0100000000000000 1F3#F301000000000000 "
start_candump genfd.out -n 50 -T 5000 -L vcan1
check "gen FD frames" sockctl can gen vcan1 -g 1 -n 50 --fd --brs -e --seed 7
wait
check "candump saw 50 FD frames with BRS" test "$(grep -c '##5' genfd.out)" -eq 50
sockctl can gen vcan0 --fd -n 1 2>/dev/null
check "gen --fd on a classic interface exits 69" test $? = 69
sockctl can bcm vcan0 123#11 2>/dev/null
check "bcm without --cyclic or --watch exits 64" test $? = 64
finish
