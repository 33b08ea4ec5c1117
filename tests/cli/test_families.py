"""test_families.py: the families this host's kernel has (netlink, packet,
mptcp, fd:) end to end, and the refusals of the Bluetooth controller verb. TIPC,
Bluetooth, SCTP, RDS and vsock run in the kernel lab:
tests/kernel/scenarios/{tipc,bt,sctp,rds,vsock}_*.sh.
"""
import base64
import json
import os
import socket
import subprocess
import unittest

from sockctl import BINARY, Case, next_event, run, stop

USAGE, UNAVAILABLE = 64, 69


def have_bluetooth():
    try:
        socket.socket(31, socket.SOCK_RAW, 1).close()  # AF_BLUETOOTH, BTPROTO_HCI
        return True
    except OSError:
        return False


class InetHci(Case):
    def test_bad_scan_mode_exits_64_and_names_it(self):
        self.assertFails(run("inet", "hci", "hci0", "--scan", "sideways"), USAGE, "'sideways'")

    def test_bad_controller_exits_64_and_names_it(self):
        self.assertFails(run("inet", "hci", "eth0", "--up"), USAGE, "bad controller 'eth0'")

    def test_up_without_controller_exits_64(self):
        self.assertFails(run("inet", "hci", "--up"), USAGE, "need a controller")

    def test_up_and_down_together_exit_64(self):
        p = run("inet", "hci", "hci0", "--up", "--down")
        self.assertEqual(p.returncode, USAGE)
        self.assertEqual(p.stdout, b"")

    def test_kernel_without_bluetooth_exits_69(self):
        if have_bluetooth():
            self.skipTest("this kernel has AF_BLUETOOTH: the lab's bt_controllers scenario covers it")
        self.assertFails(run("inet", "hci"), UNAVAILABLE, "hci socket")


class SniffNetlink(Case):
    """sniff --netlink and connect netlink:route:GROUPS inside a network namespace this test creates."""

    def setUp(self):
        self.ns = f"sockctl-fam-{os.getpid()}"
        p = subprocess.run(["ip", "netns", "add", self.ns], capture_output=True, timeout=10)
        if p.returncode != 0:
            self.skipTest("cannot create a network namespace: " + p.stderr.decode().strip())
        self.addCleanup(subprocess.run, ["ip", "netns", "del", self.ns], capture_output=True, timeout=10)

    def test_sees_a_link_added_in_the_namespace(self):
        sniff = subprocess.Popen(["ip", "netns", "exec", self.ns, BINARY, "--json", "sniff", "--netlink", "route:link",
                                  "-c", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(stop, sniff)
        self.assertEqual(next_event(sniff)["event"], "listening")
        subprocess.run(["ip", "-n", self.ns, "link", "add", "fam0", "type", "veth", "peer", "name", "fam1"],
                       check=True, timeout=10)
        ev = next_event(sniff)
        self.assertEqual(ev["netlink"]["action"], "new", ev)
        self.assertIn(ev["netlink"]["link"]["ifname"], ("fam0", "fam1"), ev)
        self.assertEqual(sniff.wait(10), 0)

    def test_connect_with_groups_prints_their_notifications(self):
        conn = subprocess.Popen(["ip", "netns", "exec", self.ns, BINARY, "--json", "connect", "--idle-timeout", "1",
                                 "netlink:route:link"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        self.addCleanup(stop, conn)
        self.assertEqual(next_event(conn)["event"], "connected")
        subprocess.run(["ip", "-n", self.ns, "link", "add", "fam2", "type", "veth", "peer", "name", "fam3"],
                       check=True, timeout=10)
        ev = next_event(conn)
        self.assertEqual(ev["event"], "message", ev)
        self.assertEqual(ev["netlink"]["action"], "new", ev)
        self.assertIn(ev["netlink"]["link"]["ifname"], ("fam2", "fam3"), ev)
        # A second of silence ends the watch, successfully.
        self.assertEqual(conn.wait(10), 0)


class Packet(Case):
    """packet: frames sent on one end of a veth pair arrive at the other."""

    def setUp(self):
        self.ns = f"sockctl-pkt-{os.getpid()}"
        p = subprocess.run(["ip", "netns", "add", self.ns], capture_output=True, timeout=10)
        if p.returncode != 0:
            self.skipTest("cannot create a network namespace: " + p.stderr.decode().strip())
        self.addCleanup(subprocess.run, ["ip", "netns", "del", self.ns], capture_output=True, timeout=10)
        for cmd in (["link", "add", "pkt0", "type", "veth", "peer", "name", "pkt1"],
                    ["link", "set", "pkt0", "up"], ["link", "set", "pkt1", "up"]):
            subprocess.run(["ip", "-n", self.ns, *cmd], check=True, timeout=10)

    def in_ns(self, *args):
        return ["ip", "netns", "exec", self.ns, BINARY, *args]

    def relay_frame(self, scheme, frame):
        """Sends FRAME from pkt0 to a `listen --once SCHEME:pkt1:0x88b5`; returns its datagram event."""
        listener = subprocess.Popen(self.in_ns("--json", "listen", "--once", f"{scheme}:pkt1:0x88b5"),
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(stop, listener)
        self.assertEqual(next_event(listener)["event"], "listening")
        sent = subprocess.run(self.in_ns("connect", "packet:pkt0"), input=frame, capture_output=True, timeout=10)
        self.assertEqual(sent.returncode, 0, sent.stderr)
        ev = next_event(listener)
        while ev["event"] != "datagram":
            ev = next_event(listener)
        self.assertEqual(listener.wait(10), 0)
        return ev

    def test_frame_crosses_the_veth_byte_exact(self):
        # Broadcast, a locally administered source, the local experimental ethertype 0x88b5.
        frame = bytes.fromhex("ffffffffffff" "020000000001" "88b5") + os.urandom(100)
        ev = self.relay_frame("packet", frame)
        self.assertEqual(base64.b64decode(ev["base64"]), frame)
        self.assertEqual(ev["peer"]["interface"], "pkt1", ev)

    def test_packet_dgram_receives_the_payload_without_the_link_header(self):
        frame = bytes.fromhex("ffffffffffff" "020000000002" "88b5") + os.urandom(60)
        ev = self.relay_frame("packet-dgram", frame)
        self.assertEqual(base64.b64decode(ev["base64"]), frame[14:])

    def test_missing_interface_exits_69(self):
        self.assertFails(subprocess.run(self.in_ns("connect", "packet:nosuch0"), capture_output=True, timeout=10),
                         UNAVAILABLE, "nosuch0")


class Mptcp(Case):
    """mptcp: relays both ways over Multipath TCP on loopback."""

    def setUp(self):
        try:
            socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262).close()  # IPPROTO_MPTCP
        except OSError as e:
            self.skipTest(f"this kernel has no MPTCP: {e}")

    def test_relay_both_ways_byte_exact(self):
        up, down = os.urandom(200000), os.urandom(3000)
        listener = subprocess.Popen([BINARY, "--json", "listen", "--once", "mptcp:127.0.0.1:0"],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(stop, listener)
        local = next_event(listener)["local"]
        self.assertEqual(local["endpoint"], f"mptcp:127.0.0.1:{local['port']}")
        listener.stdin.write(down)
        listener.stdin.close()
        p = run("connect", local["endpoint"], input=up, timeout=10)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, down)
        got = b""
        for line in listener.stdout:
            ev = json.loads(line)
            if ev["event"] == "data":
                got += base64.b64decode(ev["base64"]) if "base64" in ev else ev["text"].encode()
        self.assertEqual(listener.wait(10), 0)
        self.assertEqual(got, up)


class FdEndpoint(Case):
    """fd:N: a descriptor the caller passed in, relayed as it is."""

    def test_inherited_socket_relays_both_ways(self):
        ours, theirs = socket.socketpair()
        self.addCleanup(ours.close)
        with theirs:
            proc = subprocess.Popen([BINARY, "connect", f"fd:{theirs.fileno()}"], pass_fds=[theirs.fileno()],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(stop, proc)
        proc.stdin.write(b"request\n")
        proc.stdin.close()
        ours.settimeout(10)
        got = b""
        while not got.endswith(b"\n"):
            got += ours.recv(100)
        self.assertEqual(got, b"request\n")
        ours.sendall(b"reply\n")
        ours.shutdown(socket.SHUT_WR)
        self.assertEqual(proc.stdout.read(), b"reply\n")
        self.assertEqual(proc.wait(10), 0, proc.stderr.read())

    def test_not_a_socket_exits_64_and_names_it(self):
        with open(os.devnull, "rb") as f:
            fd = f.fileno()
            p = subprocess.run([BINARY, "connect", f"fd:{fd}"], pass_fds=[fd], input=b"", capture_output=True,
                               timeout=10)
        self.assertFails(p, USAGE, f"fd:{fd}")


class NetlinkConnect(Case):
    """connect netlink:route: requests as hex lines, replies decoded."""

    GETLINK_DUMP = "20000000120001030100000000000000" "00000000000000000000000000000000"

    def test_getlink_dump_returns_loopback(self):
        p = run("--json", "connect", "netlink:route", input=self.GETLINK_DUMP + "\n", timeout=10)
        self.assertEqual(p.returncode, 0, p.stderr)
        events = [json.loads(line) for line in p.stdout.decode().splitlines()]
        links = [e["netlink"]["link"]["ifname"] for e in events
                 if e.get("event") == "message" and "link" in e.get("netlink", {})]
        self.assertIn("lo", links)
        self.assertEqual(events[-2 if events[-1].get("event") == "closed" else -1]["netlink"]["type"], 3, events[-1])

    def test_human_output_names_loopback(self):
        p = run("connect", "netlink:route", input=self.GETLINK_DUMP + "\n", timeout=10)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout.decode(), r"rtnetlink new link 1: lo: <LOOPBACK")

    def test_kernel_error_is_reported_with_its_errno(self):
        # RTM_NEWLINK with NLM_F_ACK and no attributes: the kernel refuses it.
        p = run("connect", "netlink:route", input="20000000100005000200000000000000" + "00" * 16 + "\n", timeout=10)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("netlink request seq 2 (type 16)", p.stderr.decode())

    def test_bad_hex_exits_65_and_names_it(self):
        self.assertFails(run("connect", "netlink:route", input="zz\n", timeout=10), 65, "bad hex 'zz'")

    def test_short_message_exits_65(self):
        self.assertFails(run("connect", "netlink:route", input="0000\n", timeout=10), 65,
                         "less than the 16-byte header")


if __name__ == "__main__":
    unittest.main()
