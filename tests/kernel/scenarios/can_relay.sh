#!/bin/bash
# can_relay.sh: `connect` and `listen` on can: and can-isotp: endpoints
# (issue 5) against can-utils: frame lines from `connect can:` are what
# candump sees; cansend's frames come out of connect/listen as the same
# syntax (and as can dump's JSON); two connects piped together are a gateway;
# ISO-TP PDUs as hex lines both ways with isotpsend/isotprecv, 1 to 4095
# bytes; bad endpoints and lines exit 64/65/69 and send nothing.
# lab-timeout: 240
. /lab/lib.sh
need_sockctl
need_module can-isotp

CLASSIC="123#DEADBEEF 7FF# 000#R 123#R3 1FFFFFFF#1122 00000001#R 123#1122334455667788 456#11.22.33 100#01 12345678#05"
FD="123##0 123##1AABB 123##2AABB 123##3 1FFFFFFF##1112233445566778899AABBCC 123#11 7FF##1$(printf 'AA%.0s' $(seq 64))"
ERR="20000080#0000000000000000"

# candump -L lines as sockctl prints frames: no interface or time, "." gone,
# and the FDF bit (4) a received FD frame carries left out of the flags.
frames_of() { python3 - "$1" <<'PY'
import sys
for line in open(sys.argv[1]):
    f = line.split()[2]
    if "##" in f:
        h, t = f.split("##")
        f = "%s##%X%s" % (h, int(t[0], 16) & 3, t[1:])
    print(f)
PY
}
lines_at_least() { [ "$(wc -l <"$1")" -ge "$2" ]; }
# The frames as typed, in the form sockctl prints them.
typed() { for f in "$@"; do echo "${f//./}"; done; }

# --- connect can: sends stdin's frame lines; candump sees exactly them ------------------
start_candump sent.out -T 5000 -L vcan0,0:0,#FFFFFFFF vcan1
typed $CLASSIC $ERR | sockctl connect can:vcan0 --idle-timeout 0.2
check "connect can:vcan0 sent the classic and error frames" test $? = 0
typed $FD | sockctl connect can:vcan1 --idle-timeout 0.2
check "connect can:vcan1 sent the FD frames" test $? = 0
wait
typed $CLASSIC $ERR $FD >sent.want
frames_of sent.out >sent.got
check "candump saw exactly the frames connect sent" diff sent.want sent.got

# --- cansend's frames come out of listen and connect -------------------------------------
# The listeners run until stopped: lines are written as frames arrive, and
# SIGTERM (as Ctrl-C) ends them in order once they have printed everything.
start_sockctl 1 listen.out -v listen can:vcan0 -O CAN_RAW_ERR_FILTER=0x1FFFFFFF
l0=$last_pid
start_sockctl 1 listenfd.out -v listen can:vcan1
l1=$last_pid
start_sockctl 1 listen.json --json listen can:vcan0 -O CAN_RAW_ERR_FILTER=0x1FFFFFFF
l2=$last_pid
start_candump seen.out -n 18 -T 10000 -L vcan0,0:0,#FFFFFFFF vcan1
for f in $CLASSIC $ERR; do cansend vcan0 $f; done
for f in $FD; do cansend vcan1 $f; done
wait_for 10 lines_at_least listen.out 11
wait_for 10 lines_at_least listenfd.out 7
wait_for 10 lines_at_least listen.json 12
kill $l0 $l1 $l2
wait
# (The guest has no /dev/fd for <(...): files instead.)
frames_of seen.out >seen.frames
head -11 seen.frames >seen0.frames
tail -n +12 seen.frames >seen1.frames
check "listen printed cansend's frames as candump saw them" diff seen0.frames listen.out
check "listen on the FD interface too" diff seen1.frames listenfd.out
check "listen's JSON frames have can dump's fields" python3 - listen.json <<'PY'
import json, sys
events = [json.loads(l) for l in open(sys.argv[1])]
assert events[0]["event"] == "listening" and events[0]["local"]["endpoint"] == "can:vcan0", events[0]
frames = [e for e in events if e["event"] == "frame"]
assert len(frames) == 11, len(frames)
want = ["event", "interface", "timestamp", "id", "extended", "rtr", "fd", "brs", "esi", "error", "len", "data"]
assert all(list(f)[:len(want)] == want for f in frames), frames[0]
assert frames[0]["id"] == 0x123 and frames[0]["data"] == "deadbeef", frames[0]
assert frames[-1]["error"] and frames[-1]["len"] == 8, frames[-1]
closed = events[-1]
assert closed["event"] == "closed" and closed["received"] == 11 and closed["reason"] == "interrupted", closed
PY

# connect prints what arrives while it sends; after stdin's end it lingers.
start_sockctl 1 both.json --json listen can:vcan0 --once
# Its stdin stays open until the answer is printed.
(echo 321#01; wait_for 20 grep -q '"id":1620' reply.json) |
  sockctl --json connect can:vcan0 --idle-timeout 0.5 >reply.json &
connect_pid=$!
wait_for 10 grep -q '"event":"connected"' reply.json || fail "connect never bound: $(cat reply.json)"
wait_for 10 grep -q '"event":"closed"' both.json
check "listen --once got connect's frame" grep -q '"id":801' both.json
cansend vcan0 654#AB
wait $connect_pid
check "connect printed the frame sent to it" grep -q '"id":1620,.*"data":"ab"' reply.json

# Two connects piped together are a gateway from vcan0 to vcan1.
start_candump gw.out -T 4000 -L vcan1
sockctl -v connect can:vcan0 --idle-timeout 2 </dev/null 2>gw.err | sockctl connect can:vcan1 --idle-timeout 2 &
wait_for 10 grep -q "bound to can:vcan0" gw.err || fail "gateway never bound: $(cat gw.err)"
for f in 111#01 222#0203 12345678#R; do cansend vcan0 $f; done
wait
check "the gateway forwarded every frame to vcan1" test "$(cut -d' ' -f3 gw.out | tr '\n' ' ')" = "111#01 222#0203 12345678#R "

# listen --echo sends each frame back onto the bus.
start_sockctl 1 echo.out -v listen can:vcan0 --echo --once
start_candump echoed.out -n 2 -T 5000 -L vcan0
cansend vcan0 5A5#0102
wait
check "listen --echo: candump saw the frame twice" test "$(cut -d' ' -f3 echoed.out | tr '\n' ' ')" = "5A5#0102 5A5#0102 "

# --- ISO-TP: hex lines both ways, 1 to 4095 bytes -------------------------------------------
python3 -c 'import sys; sys.stdout.buffer.write(bytes((i * 7 + 3) % 256 for i in range(4095)))' >payload.bin
for n in 1 7 8 62 63 4095; do
  head -c $n payload.bin | python3 -c 'import sys; print("".join("%02X " % b for b in sys.stdin.buffer.read()))' >p$n.hex
done
for n in 1 7 8 62 63 4095; do
  start_can 2 r$n.out isotprecv -s 7e8 -d 7e0 vcan0
  sockctl connect can-isotp:vcan0:7e0:7e8 --idle-timeout 0.2 <p$n.hex
  check "$n bytes: connect can-isotp sent the line" test $? = 0
  wait
  check "$n bytes: isotprecv got it as one PDU" diff p$n.hex r$n.out
done
# Several lines, several PDUs, in order.
cat p1.hex p7.hex p8.hex p62.hex p63.hex p4095.hex >many.want
start_sockctl 1 many.out can isotp vcan0 7e8 7e0 recv --hex -n 6 --timeout 20
sockctl connect can-isotp:vcan0:7e0:7e8 --idle-timeout 0.2 <many.want
wait
check "each line went out as one PDU" diff many.want many.out

for n in 1 7 8 62 63 4095; do
  start_sockctl 1 l$n.out -v listen can-isotp:vcan0:7e8:7e0 --once
  isotpsend -s 7e0 -d 7e8 vcan0 <p$n.hex
  wait
  check "$n bytes: listen printed isotpsend's PDU as isotprecv would" diff p$n.hex l$n.out
done

# A request and its answer: connect to a listen --echo.
start_sockctl 1 server.out -v listen can-isotp:vcan0:7e8:7e0 --echo --once
echo "22 F1 90" | sockctl connect can-isotp:vcan0:7e0:7e8 >answer.out
wait
check "connect printed the echoed answer" test "$(cat answer.out)" = "22 F1 90 "

# --- bad endpoints and lines -----------------------------------------------------------------
start_candump none.out vcan0,0:0,#FFFFFFFF vcan1
none_pid=$last_pid
sockctl connect can:nosuch0 </dev/null 2>err.txt
check "missing interface exits 69" test $? = 69
check "and is named" grep -q "'nosuch0'" err.txt
sockctl listen can:lo 2>err.txt
check "non-CAN interface exits 69" test $? = 69
check "and says so" grep -q "not a CAN interface" err.txt
sockctl listen can-isotp:lo:7e0:7e8 2>/dev/null
check "non-CAN interface for ISO-TP exits 69" test $? = 69
sockctl connect can-isotp:vcan0:800:7e8 </dev/null 2>err.txt
check "an 11-bit id above 7FF exits 64" test $? = 64
check "and names the 29-bit form" grep -q "00000800" err.txt
sockctl connect can-bcm:vcan0 </dev/null 2>err.txt
check "can-bcm with connect exits 64" test $? = 64
check "pointing to sockctl can bcm" grep -q "sockctl can bcm" err.txt
sockctl connect can:vcan0 -z 2>/dev/null
check "-z with a CAN endpoint exits 64" test $? = 64
echo 1234#00 | sockctl connect can:vcan0 --idle-timeout 0.2 2>err.txt
check "a malformed frame line exits 65" test $? = 65
check "naming the line" grep -q "stdin line 1: frame '1234#00'" err.txt
echo 123##1AA | sockctl connect can:vcan0 --idle-timeout 0.2 2>err.txt
check "an FD frame on a classic interface exits 69" test $? = 69
echo "11 2G" | sockctl connect can-isotp:vcan0:7e0:7e8 --idle-timeout 0.2 2>err.txt
check "a malformed hex line exits 65" test $? = 65
python3 -c 'import os, sys; os.setgroups([]); os.setgid(65534); os.setuid(65534); os.execvp(sys.argv[1], sys.argv[1:])' \
  sockctl listen can:vcan0 -O SO_RCVBUFFORCE=1000000 --idle-timeout 0.1 2>err.txt
check "a privileged -O without the privilege exits 77" test $? = 77
kill $none_pid
wait
check "nothing was sent by the failed commands" test ! -s none.out
cat none.out
finish
