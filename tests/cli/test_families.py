"""test_families.py: the families this host's kernel has (netlink, packet)
end to end, and the refusals of the Bluetooth controller verb. TIPC,
Bluetooth, SCTP, RDS and vsock run in the kernel lab:
tests/kernel/scenarios/{tipc,bt,sctp,rds,vsock}_*.sh.
"""
import socket
import unittest

from sockctl import Case, run

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


if __name__ == "__main__":
    unittest.main()
