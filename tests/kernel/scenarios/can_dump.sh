#!/bin/bash
# can_dump.sh: `sockctl can dump` against candump on the same traffic, byte
# for byte: candump's human columns, its -L log (the same kernel timestamps),
# every filter form; cansend, `sockctl can send` and canplayer/`can replay`
# in both directions; the JSON fields; bad input exits 65/69 and sends nothing.
# lab-timeout: 240
. /lab/lib.sh
need_sockctl

# Receivers are started one at a time and each is waited for: candump until
# the kernel lists its filters, sockctl until it says "listening"
# (start_candump, start_sockctl in lib.sh). No frame goes out before.

CLASSIC="123#DEADBEEF 7FF# 000#R 123#R3 1FFFFFFF#1122 00000001#R 123#1122334455667788
  456#11.22.33 20000080#0000000000000000 100#01 10F#02 1F0#03 200#04 12345678#05 12345600#06"
FD="123##0 123##1AABB 123##2AABB 123##3 1FFFFFFF##1112233445566778899AABBCC 123#11 7FF##1$(printf 'AA%.0s' $(seq 64))
  20000004#0011223344556677 000##0112233445566778899AABBCCDDEEFF001122334455667788"

# Every frame, error frames included (they need an error mask).
V0=vcan0,0:0,#FFFFFFFF
V1=vcan1,0:0,#FFFFFFFF

# --- human output and -L log, classic and FD, against candump ---------------------
bg_candump cd_h0.out -T 5000 $V0
bg_candump cd_h1.out -T 5000 -ta $V1
bg_candump cd_L.out -T 5000 -L $V0 $V1
ready_candumps
bg_sockctl 1 sc_h0.out can dump --timeout 5 $V0
bg_sockctl 1 sc_h1.out can dump --timeout 5 --fd -ta $V1
bg_sockctl 2 sc_L.out can dump --timeout 5 --fd --log - $V0 $V1
bg_sockctl 2 sc.json --json can dump --timeout 5 --fd $V0 $V1
ready_sockctls
for f in $CLASSIC; do cansend vcan0 $f; done
for f in $FD; do cansend vcan1 $f; done
wait
check "candump printed every classic frame" test "$(wc -l <cd_h0.out)" -eq 15
check "human output matches candump (classic)" diff cd_h0.out sc_h0.out
check "human output with -ta matches candump -ta (FD)" diff cd_h1.out sc_h1.out
check "--log - matches candump -L, timestamps included" diff cd_L.out sc_L.out
check "candump saw every frame" test "$(wc -l <cd_L.out)" -eq 24
check "JSON: one object per frame with issue 5's fields" python3 - sc.json <<'PY'
import json, sys
events = [json.loads(l) for l in open(sys.argv[1])]
ready = [e["local"]["endpoint"] for e in events if e["event"] == "listening"]
assert ready == ["can:vcan0", "can:vcan1"], ready
rows = [e for e in events if e["event"] == "frame"]
assert len(rows) == 24, len(rows)
want = ["event", "interface", "timestamp", "id", "extended", "rtr", "fd", "brs", "esi", "error", "len", "data"]
for r in rows:
    assert list(r)[:len(want)] == want, list(r)
first = rows[0]
assert first["interface"] == "vcan0" and first["id"] == 0x123 and first["data"] == "deadbeef" and first["len"] == 4, first
ext = [r for r in rows if r["id"] == 0x1FFFFFFF and not r["fd"]][0]
assert ext["extended"] and ext["data"] == "1122", ext
rtr = [r for r in rows if r["rtr"]]
assert len(rtr) == 3, rtr
err = [r for r in rows if r["error"]]
assert len(err) == 2, err
fd = [r for r in rows if r["fd"]]
assert len(fd) == 7, len(fd)
brs = [r for r in fd if r["brs"]]; esi = [r for r in fd if r["esi"]]
assert len(brs) == 4 and len(esi) == 2, (brs, esi)
assert max(r["len"] for r in fd) == 64
PY

# --- sockctl can send, seen by candump --------------------------------------------
start_candump send.out -T 5000 -L $V0 $V1
check "sockctl can send classic frames" sockctl can send vcan0 $CLASSIC
check "sockctl can send FD frames" sockctl can send vcan1 $FD
wait
# candump shows received FD frames with FDF (flags nibble 4) set.
python3 - $CLASSIC -- $FD <<'PY' >send.want
import sys
args = sys.argv[1:]; i = args.index("--")
for iface, frames in (("vcan0", args[:i]), ("vcan1", args[i+1:])):
    for f in frames:
        if "##" in f:
            h, t = f.split("##"); f = "%s##%X%s" % (h, int(t[0], 16) | 4, t[1:])
        print(iface, f.replace(".", ""))
PY
cut -d' ' -f2- send.out >send.got
check "candump saw exactly the frames sockctl sent" diff send.want send.got

# --- filters, all at once on the same traffic ---------------------------------------
FILTERS="vcan0,123:7FF vcan0,100:700 vcan0,123~7FF vcan0,12345678:1FFFFFFF vcan0,12345600:1FFFFF00
  vcan0,100:7F0,200:700 vcan0,100:700,j,10F:70F vcan0,#FFFFFFFF vcan0,0:0,#FFFFFFFF vcan0,1F0:7F0,#FFFFFFFF,j"
n=0
for f in $FILTERS; do
  n=$((n + 1))
  bg_candump cd_f$n.out -T 8000 $f
done
ready_candumps
n=0
for f in $FILTERS; do
  n=$((n + 1))
  bg_sockctl 1 sc_f$n.out can dump --timeout 8 $f
done
ready_sockctls
for f in $CLASSIC; do cansend vcan0 $f; done
wait
n=0
for f in $FILTERS; do
  n=$((n + 1))
  check "filter $f: same frames as candump ($(wc -l <cd_f$n.out))" diff cd_f$n.out sc_f$n.out
done
check "the unfiltered dump saw all 15 frames" test "$(wc -l <cd_f9.out)" -eq 15

# --- logs replayed both ways ----------------------------------------------------------
start_sockctl 2 sc_log.out can dump --timeout 5 --fd --log sc.log $V0 $V1
sockctl can send vcan0 $CLASSIC; sockctl can send vcan1 $FD
wait
start_candump replay1.out -T 5000 -L $V0 $V1
check "canplayer replays sockctl's --log" canplayer -I sc.log
wait
cut -d' ' -f2- sc.log >sc.frames; cut -d' ' -f2- replay1.out >replay1.frames
check "sockctl logged every frame" test "$(wc -l <sc.log)" -eq 24
check "canplayer sent the logged frames in order" diff sc.frames replay1.frames
start_candump /dev/null -T 5000 -l vcan0 vcan1
cansend vcan0 123#DEADBEEF; cansend vcan1 123##1AABB; cansend vcan0 12345678#R
wait
mv candump-*.log cd.log
start_sockctl 2 replay2.out can dump --timeout 5 --fd --log - vcan0 vcan1
check "sockctl can replay replays candump -l's log" sockctl can replay cd.log
wait
cut -d' ' -f2- cd.log >cd.frames; cut -d' ' -f2- replay2.out >replay2.frames
check "candump logged 3 frames" test "$(wc -l <cd.log)" -eq 3
check "replay sent the logged frames in order" diff cd.frames replay2.frames
start_sockctl 2 replay3.out can dump --timeout 5 --fd --log - $V0 $V1
check "replay maps interfaces (vcan1=vcan0)" sockctl can replay --fast sc.log vcan1=vcan0
wait
check "every frame went out on vcan1" test "$(grep -c ' vcan1 ' replay3.out)" -eq 24

# --- bad input: exit codes, nothing sent ------------------------------------------------
start_candump none.out $V0 $V1
none_pid=$last_pid
bad_frames=0
for bad in 123#112233445566778899 1234#11 800#00 123#1 123#1G 123##1$(printf 'AA%.0s' $(seq 9)) 123#R9 123 "" 3FFFFFFFF#00; do
  sockctl can send vcan1 123#01 "$bad" 2>err.txt
  status=$?
  if [ $status != 65 ] || ! grep -qF "frame '$bad'" err.txt; then
    echo "# frame '$bad': exit $status: $(cat err.txt)"
    bad_frames=$((bad_frames + 1))
  fi
done
check "every malformed frame exits 65 and is named" test $bad_frames = 0
sockctl can send vcan0 123##1AA 2>err.txt; check "FD frame on a classic interface exits 69" test $? = 69
sockctl can send nosuch0 123#00 2>err.txt; check "missing interface exits 69" test $? = 69
check "missing interface named" grep -q "interface 'nosuch0'" err.txt
sockctl can send lo 123#00 2>err.txt; check "non-CAN interface exits 69" test $? = 69
check "non-CAN interface says so" grep -q "not a CAN interface" err.txt
sockctl can dump vcan0,12:zz 2>err.txt; check "bad filter exits 64" test $? = 64
# CAN_RAW needs no privilege, but a receive buffer above net.core.rmem_max
# does (SO_RCVBUFFORCE, CAP_NET_ADMIN): as nobody that is exit 77.
as_nobody() { python3 -c 'import os, sys; os.setgroups([]); os.setgid(65534); os.setuid(65534); os.execvp(sys.argv[1], sys.argv[1:])' "$@"; }
as_nobody sockctl can dump vcan0 --rcvbuf 100000000 --timeout 0.1 2>err.txt
check "a forced receive buffer without CAP_NET_ADMIN exits 77" test $? = 77
check "naming the buffer" grep -q "receive buffer of 100000000 bytes" err.txt
printf '(1.000000) vcan0 123#00\n(2.000000) vcan0 123#112233445566778899\n' >bad.log
sockctl can replay bad.log 2>err.txt; check "bad log line exits 65" test $? = 65
check "bad log line named by number" grep -q "line 2" err.txt
sockctl can replay /nonexistent.log 2>/dev/null; check "missing log exits 66" test $? = 66
kill $none_pid
wait
check "nothing was sent by the failed commands" test ! -s none.out
cat none.out
for f in cd_h0 sc_h0 cd_h1 sc_h1 cd_L sc_L; do echo "== $f"; head -30 $f.out; done
finish
