#!/bin/bash
# can_isotp.sh: `sockctl can isotp` against isotpsend/isotprecv both ways,
# 1 to 4095 bytes (single frame, first frame + consecutive frames, the
# 12-bit length's limit); padding seen by candump; CAN FD link layer;
# payloads ISO-TP cannot carry exit 65.
# lab-timeout: 240
. /lab/lib.sh
need_sockctl
need_module can-isotp

# Every receiver is waited for before anything is sent: isotprecv until the
# kernel lists its two (the RX id, and the TX id for its echo, "isotpe"),
# sockctl until it says "listening" (lib.sh).

python3 -c 'import sys; sys.stdout.buffer.write(bytes((i * 7 + 3) % 256 for i in range(4096)))' >payload.bin
for n in 1 7 8 62 63 4095; do
  head -c $n payload.bin >p$n.bin
  python3 -c 'import sys; print("".join("%02X " % b for b in open(sys.argv[1], "rb").read()))' p$n.bin >p$n.hexline

  start_can 2 r$n.out isotprecv -s 7e8 -d 7e0 vcan0
  check "$n bytes: sockctl can isotp send" sockctl can isotp vcan0 7e0 7e8 send <p$n.bin
  wait
  check "$n bytes: isotprecv got them" diff p$n.hexline r$n.out

  start_sockctl 1 g$n.bin can isotp vcan0 7e8 7e0 recv --timeout 10
  check "$n bytes: isotpsend" sh -c "isotpsend -s 7e0 -d 7e8 vcan0 <p$n.hexline"
  wait
  check "$n bytes: sockctl can isotp recv got them" cmp p$n.bin g$n.bin
done

# --hex speaks isotpsend's input and isotprecv's output.
start_sockctl 1 hex.out can isotp vcan0 7e8 7e0 recv --hex --timeout 10
check "send --hex" sh -c "sockctl can isotp vcan0 7e0 7e8 send --hex <p63.hexline"
wait
check "recv --hex prints isotprecv's line" diff p63.hexline hex.out

# Padding: every frame of the transfer is 8 bytes, filled with CC.
start_candump pad.out -T 1500 vcan0,7e0:7FF
start_sockctl 1 pad.bin can isotp vcan0 7e8 7e0 recv --timeout 10
check "send with --pad CC" sockctl can isotp vcan0 7e0 7e8 send --pad CC <p1.bin
wait
check "the single frame is padded with CC" grep -q '7E0   \[8\]  01 03 CC CC CC CC CC CC' pad.out

# CAN FD link layer on vcan1.
start_sockctl 1 fd.bin can isotp vcan1 7e8 7e0 recv --fd --timeout 10
check "FD: send 4095 bytes" sockctl can isotp vcan1 7e0 7e8 send --fd <p4095.bin
wait
check "FD: received intact" cmp p4095.bin fd.bin

# JSON: a pdu event per payload.
start_sockctl 1 pdu.json --json can isotp vcan0 7e8 7e0 recv -n 2 --timeout 10
sockctl can isotp vcan0 7e0 7e8 send <p7.bin
sockctl can isotp vcan0 7e0 7e8 send <p8.bin
wait
check "JSON pdu events" python3 - pdu.json <<'PY'
import json, sys
events = [json.loads(l) for l in open(sys.argv[1])]
assert events[0]["event"] == "listening" and events[0]["local"]["endpoint"] == "can-isotp:vcan0:7e8:7e0", events[0]
rows = events[1:]
assert [r["len"] for r in rows] == [7, 8], rows
assert rows[0]["event"] == "pdu" and rows[0]["data"] == open("p7.bin", "rb").read().hex(), rows[0]
PY

# Bad input.
sockctl can isotp vcan0 7e0 7e8 send <payload.bin 2>err.txt
check "4096 bytes exit 65" test $? = 65
check "the size is named" grep -q "payload of 4096 bytes" err.txt
sockctl can isotp vcan0 7e0 7e8 send </dev/null 2>/dev/null
check "an empty payload exits 65" test $? = 65
sockctl can isotp vcan0 7e0 7e8 recv --timeout 0.3 >/dev/null 2>&1
check "recv times out with 75" test $? = 75
sockctl can isotp vcan0 7e0 7e8 send --stmin 200 <p1.bin 2>/dev/null
check "a separation time above 127 ms exits 64" test $? = 64
sockctl can isotp vcan0 800 7e8 send <p1.bin 2>err.txt
check "an 11-bit id above 7FF exits 64" test $? = 64
check "and names the 8-digit form" grep -q "00000800" err.txt
sockctl can isotp vcan0 7e0 7e8 send <p1.bin 2>err.txt
check "a send nobody answers is not silent" test $? = 0 -o -s err.txt
finish
