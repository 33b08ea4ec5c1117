#!/bin/bash
# smoke.sh: proves the lab itself: the CAN interfaces are up, python3 can
# open every socket family the host kernel lacks, and the peer tools
# (can-utils, kcapi-tools, tipc, btvirt, hciconfig) work against this kernel.
# lab-timeout: 120
. /lab/lib.sh

if_up() { ip link show "$1" | grep -q '[<,]UP[,>]'; }
check "all modules in /etc/lab-modules loaded" test ! -s /run/lab-modules.failed
check "vcan0 is up" if_up vcan0
check "vcan1 is up" if_up vcan1
check "vcan0 is classic CAN (MTU 16)" test "$(cat /sys/class/net/vcan0/mtu)" = 16
check "vcan1 is CAN FD (MTU 72)" test "$(cat /sys/class/net/vcan1/mtu)" = 72

# socket() for each family the host kernel lacks, from python3 as a peer.
pysock() {
  python3 -c "import socket as s; x = s.socket($1); print(x); x.close()"
}
check "python3 AF_CAN raw socket, bound to vcan0" \
  python3 -c "import socket as s; x = s.socket(s.AF_CAN, s.SOCK_RAW, s.CAN_RAW); x.bind(('vcan0',))"
check "python3 AF_TIPC RDM socket" pysock "s.AF_TIPC, s.SOCK_RDM"
check "python3 AF_BLUETOOTH HCI raw socket" pysock "s.AF_BLUETOOTH, s.SOCK_RAW, s.BTPROTO_HCI"
check "python3 AF_RDS socket" pysock "s.AF_RDS, s.SOCK_SEQPACKET, 0"
check "python3 SCTP socket" pysock "s.AF_INET, s.SOCK_STREAM, s.IPPROTO_SCTP"
check "python3 AF_VSOCK socket" pysock "s.AF_VSOCK, s.SOCK_STREAM"

printf 'sockctl kernel lab\n' >input
want=$(sha256sum <input | cut -d' ' -f1)
alg_sha256() {
  python3 - <<'EOF'
import socket
alg = socket.socket(socket.AF_ALG, socket.SOCK_SEQPACKET)
alg.bind(("hash", "sha256"))
op, _ = alg.accept()
with open("input", "rb") as f:
    op.sendall(f.read())
print(op.recv(32).hex())
EOF
}
check "python3 AF_ALG sha256 matches sha256sum" test "$(alg_sha256)" = "$want"
check "kcapi-dgst sha256 matches sha256sum" \
  test "$(kcapi-dgst -c sha256 --hex <input)" = "$want"

# candump must be listening before cansend, or the frame is gone: wait for
# its receiver to show up in the CAN core's receive list.
can_roundtrip() {
  candump -n 1 -T 5000 vcan0 >candump.out 2>&1 &
  local pid=$!
  wait_for 5 grep -q '^ *vcan0 ' /proc/net/can/rcvlist_all || { echo "candump never listened"; return 1; }
  cansend vcan0 123#DEADBEEF || return 1
  wait "$pid"
  cat candump.out
  grep -q 'vcan0  123   \[4\]  DE AD BE EF' candump.out
}
check "cansend vcan0 123#DEADBEEF is seen by candump" can_roundtrip
check "tipc command talks to the kernel" tipc node get identity

# btvirt creates virtual controllers through /dev/vhci (hci_vhci).
two_controllers() {
  btvirt -l2 >btvirt.out 2>&1 &
  wait_for 10 test -e /sys/class/bluetooth/hci1 || { cat btvirt.out; return 1; }
  hciconfig -a
  hciconfig hci0 >/dev/null && hciconfig hci1 >/dev/null
}
check "btvirt -l2 creates hci0 and hci1" two_controllers

finish
