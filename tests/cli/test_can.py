"""test_can.py: `sockctl can` on the build host. This kernel lacks AF_CAN, so
what runs here is the checking done before any socket opens: every
malformed frame, filter, log line, mode and option with the spec's exit
code and the value named, and the 69 a kernel without AF_CAN gives. The
traffic itself, against can-utils, runs in the kernel lab:
tests/kernel/scenarios/can_dump.sh, can_isotp.sh, can_bcm.sh, can_relay.sh."""
import os
import socket
import tempfile
import unittest

from sockctl import Case, run

USAGE, DATA, NO_INPUT, UNAVAILABLE = 64, 65, 66, 69


def kernel_has_can():
    try:
        socket.socket(socket.AF_CAN, socket.SOCK_RAW, socket.CAN_RAW).close()
        return True
    except OSError:
        return False


class BadFrames(Case):
    # (frame, a fragment of the reason): the spec's classes of malformed frame.
    BAD = [
        ("123#112233445566778899", "at most 8"),
        ("1234#11", "8-digit form"),
        ("800#00", "above 0x7FF"),
        ("FFF#11", "above 0x7FF"),
        ("3FFFFFFFF#00", "more than 8 hex digits"),
        ("123#1", ""),
        ("123#1G", ""),
        ("123#11..22", ""),
        ("123#R9", ""),
        ("123##1" + "AA" * 9, "9"),
        ("123##1" + "AA" * 65, ""),
        ("123##", ""),
        ("123", "#"),
        ("#11", "missing id"),
        ("", ""),
        ("123#1122334455667788_G", ""),
    ]

    def test_malformed_frames_exit_65_and_name_the_frame(self):
        for frame, why in self.BAD:
            with self.subTest(frame=frame):
                # A good frame first: nothing may be sent when any is bad.
                p = run("can", "send", "vcan0", "123#01", frame)
                self.assertFails(p, DATA, f"frame '{frame}'", why)

    def test_json_error_object(self):
        p = run("--json", "can", "send", "vcan0", "1234#11")
        self.assertEqual(p.returncode, DATA)
        self.assertIn('"exit":65', p.stderr.decode())


class BadArguments(Case):
    def test_bad_filters_exit_64(self):
        for source in ["vcan0,12:zz", "vcan0,123", "vcan0,#GG", "vcan0,123:7FF,", ",123:7FF", "vcan0,x"]:
            with self.subTest(source=source):
                self.assertFails(run("can", "dump", source), USAGE, f"'{source}'")

    def test_bad_time_format_exits_64(self):
        self.assertFails(run("can", "dump", "vcan0", "-t", "q"), USAGE, "'q'")

    def test_bad_gen_modes_exit_64(self):
        for flag, value in [("-I", "800"), ("-L", "9"), ("-D", "zz"), ("-I", "1234")]:
            with self.subTest(flag=flag, value=value):
                self.assertFails(run("can", "gen", "vcan0", flag, value), USAGE, f"'{value}'")

    def test_bad_isotp_arguments_exit_64(self):
        self.assertFails(run("can", "isotp", "vcan0", "7e0", "7e8", "talk"), USAGE, "'talk'")
        self.assertFails(run("can", "isotp", "vcan0", "7e0", "7e8", "send", "--pad", "XYZ", input=b"x"),
                         USAGE, "'XYZ'")
        self.assertFails(run("can", "isotp", "vcan0", "7e0", "7e8", "send", "--stmin", "200", input=b"x"),
                         USAGE, "'200'")
        # 11-bit ids stop at 7FF; 800 needs the 29-bit form, 00000800 (issue 5).
        self.assertFails(run("can", "isotp", "vcan0", "800", "7e8", "send", input=b"x"), USAGE,
                         "TX id '800' is above the 11-bit maximum 7FF", "00000800")

    def test_isotp_payload_sizes_exit_65(self):
        self.assertFails(run("can", "isotp", "vcan0", "7e0", "7e8", "send", input=b"x" * 4096), DATA,
                         "payload of 4096 bytes")
        self.assertFails(run("can", "isotp", "vcan0", "7e0", "7e8", "send", input=b""), DATA,
                         "payload of 0 bytes")
        self.assertFails(run("can", "isotp", "vcan0", "7e0", "7e8", "send", "--hex", input=b"11 2G\n"), DATA,
                         "'2G'")

    def test_bcm_needs_a_mode(self):
        self.assertFails(run("can", "bcm", "vcan0", "123#11"), USAGE, "--cyclic")
        self.assertFails(run("can", "bcm", "vcan0", "123#11", "--cyclic", "0"), USAGE, "'0'")

    def test_replay_checks_the_whole_log_first(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "bad.log")
            with open(path, "w") as f:
                f.write("# a comment line\n(1.000000) vcan0 123#00\n(2.000000) vcan0 123#112233445566778899\n")
            self.assertFails(run("can", "replay", path), DATA, "line 3", "frame '123#112233445566778899'")
            self.assertFails(run("can", "replay", os.path.join(d, "missing.log")), NO_INPUT, "missing.log")
            self.assertFails(run("can", "replay", path, "vcan0"), USAGE, "'vcan0'")


class ConnectListen(Case):
    """connect/listen on CAN endpoints: what is refused before a socket opens."""

    def test_bcm_endpoints_point_to_can_bcm(self):
        for cmd in ["connect", "listen"]:
            with self.subTest(cmd=cmd):
                self.assertFails(run(cmd, "can-bcm:vcan0"), USAGE, "'can-bcm:vcan0'", "sockctl can bcm")

    def test_connection_flags_exit_64(self):
        for args in [("connect", "can:vcan0", "-z"), ("connect", "can:vcan0", "--wait", "1"),
                     ("connect", "can-isotp:vcan0:7e0:7e8", "--exec", "cat"),
                     ("listen", "can:vcan0", "--exec", "cat"), ("listen", "can:vcan0", "--allow", "10.0.0.0/8")]:
            with self.subTest(args=args):
                self.assertFails(run(*args), USAGE, args[2], f"'{args[1]}'")

    def test_bad_isotp_ids_exit_64(self):
        self.assertFails(run("connect", "can-isotp:vcan0:800:7e8"), USAGE, "'800'", "00000800")
        self.assertFails(run("listen", "can-isotp:vcan0:7e0:20000000"), USAGE, "'20000000'", "1FFFFFFF")

    def test_missing_interface_exits_69(self):
        self.assertFails(run("connect", "can:sockctl-nx0", input=b"123#00\n"), UNAVAILABLE, "'sockctl-nx0'")
        self.assertFails(run("listen", "can-isotp:sockctl-nx0:7e0:7e8"), UNAVAILABLE, "'sockctl-nx0'")


class Unavailable(Case):
    def test_no_af_can_exits_69(self):
        if kernel_has_can():
            self.skipTest("this kernel has AF_CAN: the lab scenarios test interfaces")
        for args in [("send", "vcan0", "123#00"), ("dump", "vcan0"), ("gen", "vcan0", "-n", "1"),
                     ("bcm", "vcan0", "123#00", "--watch"),
                     ("isotp", "vcan0", "7e0", "7e8", "recv")]:
            with self.subTest(args=args):
                self.assertFails(run("can", *args), UNAVAILABLE)


if __name__ == "__main__":
    unittest.main()
