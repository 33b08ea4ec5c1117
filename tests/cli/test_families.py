"""test_families.py: the families this host's kernel has (netlink, packet)
end to end, and the refusals of the Bluetooth controller verb. TIPC,
Bluetooth, SCTP, RDS and vsock run in the kernel lab:
tests/kernel/scenarios/{tipc,bt,sctp,rds,vsock}_*.sh.
"""
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
    """sniff --netlink inside a network namespace this test creates."""

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


if __name__ == "__main__":
    unittest.main()
