"""test_connect.py: `sockctl connect` against python3 socket servers: the
relay both ways, half-close, one total deadline over every resolved address,
--source, -z probes, --wait, --send-file, --exec, and every exit code."""
import base64
import hashlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import unittest

from peers import Server, connect, recv_all, tcp_server
from sockctl import BINARY, Case


def blackhole(family=socket.AF_INET, host="127.0.0.1"):
    """A listener whose accept queue is full: further SYNs are dropped, so a
    connect to it neither succeeds nor fails until its deadline."""
    srv = socket.socket(family, socket.SOCK_STREAM)
    srv.bind((host, 0))
    srv.listen(0)
    port = srv.getsockname()[1]
    fillers = []
    for _ in range(8):
        c = socket.socket(family, socket.SOCK_STREAM)
        c.setblocking(False)
        c.connect_ex((host, port))
        fillers.append(c)
        time.sleep(0.02)
    return srv, fillers, port


class HostsFile:
    """Runs sockctl in a private mount namespace whose /etc/hosts holds
    `lines` and whose resolver reads files only: names resolve the same on
    every machine, and no DNS server is asked."""

    def __init__(self, test, lines):
        if os.geteuid() != 0 or not shutil.which("unshare"):
            test.skipTest("needs root and unshare(1) for a private /etc/hosts")
        self.dir = tempfile.TemporaryDirectory()
        test.addCleanup(self.dir.cleanup)
        self.hosts = os.path.join(self.dir.name, "hosts")
        self.nss = os.path.join(self.dir.name, "nsswitch.conf")
        with open(self.hosts, "w") as f:
            f.write("".join(l + "\n" for l in lines))
        with open(self.nss, "w") as f:
            f.write("hosts: files\n")
        probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
        if probe.returncode != 0:
            test.skipTest("unshare -m is not permitted here: " + probe.stderr.decode().strip())

    def run(self, *args, timeout=20):
        script = 'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/nsswitch.conf && shift 2 && exec "$@"'
        return subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", self.hosts, self.nss, BINARY, *args],
                              input=b"", capture_output=True, timeout=timeout)


class RelayTest(Case):
    def test_relays_stdin_to_server_and_reply_to_stdout(self):
        got = {}

        def handler(conn):
            got["request"] = recv_all(conn)
            conn.sendall(got["request"].upper())

        port, t = tcp_server(handler)
        p = connect(f"tcp:127.0.0.1:{port}", input=b"hello server\n")
        t.join(5)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(got["request"], b"hello server\n")
        self.assertEqual(p.stdout, b"HELLO SERVER\n")

    def test_half_close_passes_eof_and_reads_the_whole_reply(self):
        reply = os.urandom(4 << 20)

        def handler(conn):
            recv_all(conn)  # only after our EOF does the server answer
            conn.sendall(reply)

        port, t = tcp_server(handler)
        p = connect(f"tcp:127.0.0.1:{port}", input=b"request")
        t.join(5)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(hashlib.sha256(p.stdout).digest(), hashlib.sha256(reply).digest())

    def test_no_shutdown_keeps_the_write_side_open(self):
        seen = {}

        def handler(conn):
            seen["data"] = conn.recv(100)
            conn.settimeout(0.5)
            try:
                seen["eof"] = conn.recv(100) == b""
            except socket.timeout:
                seen["eof"] = False
            conn.sendall(b"bye")

        port, t = tcp_server(handler)
        p = connect("--no-shutdown", f"tcp:127.0.0.1:{port}", input=b"abc")
        t.join(5)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(seen, {"data": b"abc", "eof": False})
        self.assertEqual(p.stdout, b"bye")

    def test_json_reports_connected_data_and_closed(self):
        def handler(conn):
            recv_all(conn)
            conn.sendall(b"text\n")
            time.sleep(0.05)
            conn.sendall(b"\xff\x00")

        port, t = tcp_server(handler)
        p = subprocess.run([BINARY, "--json", "connect", f"tcp:127.0.0.1:{port}"], input=b"12345",
                           capture_output=True, timeout=20)
        t.join(5)
        self.assertEqual(p.returncode, 0, p.stderr)
        events = [json.loads(l) for l in p.stdout.decode().splitlines()]
        self.assertEqual(events[0]["event"], "connected")
        self.assertEqual(events[0]["peer"]["endpoint"], f"tcp:127.0.0.1:{port}")
        self.assertEqual(events[0]["peer"]["port"], port)
        data = [e for e in events if e["event"] == "data"]
        self.assertEqual(b"".join(e["text"].encode() if "text" in e else base64.b64decode(e["base64"])
                                  for e in data), b"text\n\xff\x00")
        self.assertTrue(all(e["bytes"] > 0 and e["peer"]["port"] == port for e in data))
        closed = events[-1]
        self.assertEqual(closed["event"], "closed")
        self.assertEqual((closed["sent"], closed["received"], closed["reason"]), (5, 7, "eof"))
        self.assertGreaterEqual(closed["duration"], 0)

    def test_stats_prints_a_summary_on_stderr(self):
        port, t = tcp_server(lambda c: c.sendall(recv_all(c)))
        p = connect("--stats", f"tcp:127.0.0.1:{port}", input=b"x" * 1000)
        t.join(5)
        self.assertEqual(p.returncode, 0)
        self.assertRegex(p.stderr.decode(), r"sockctl: connect: closed tcp:127\.0\.0\.1:\d+: sent 1000 B, "
                                             r"received 1000 B in [\d.]+ s .*eof\n")

    def test_source_address_is_bound_first(self):
        peers = []
        port, t = tcp_server(lambda c: peers.append(c.getpeername()))
        p = connect("--source", "127.0.0.7", f"tcp:127.0.0.1:{port}")
        t.join(5)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(peers[0][0], "127.0.0.7")

    def test_source_of_the_wrong_family_is_a_usage_error(self):
        port, t = tcp_server(lambda c: None)
        self.assertFails(connect("--source", "[::1]", f"tcp:127.0.0.1:{port}"), 64, "[::1]")
        socket.create_connection(("127.0.0.1", port)).close()
        t.join(5)

    def test_exec_relays_the_socket_through_a_command(self):
        got = {}

        def handler(conn):
            conn.sendall(b"shout this\n")
            conn.shutdown(socket.SHUT_WR)
            got["reply"] = recv_all(conn)

        port, t = tcp_server(handler)
        p = connect("--exec", "tr a-z A-Z", f"tcp:127.0.0.1:{port}")
        t.join(5)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(got["reply"], b"SHOUT THIS\n")

    def test_exec_that_fails_exits_1_and_names_the_command(self):
        port, t = tcp_server(lambda c: recv_all(c))
        p = connect("--sh-exec", "exit 3", f"tcp:127.0.0.1:{port}")
        t.join(5)
        self.assertFails(p, 1, "command 'exit 3'", "exited with status 3")

    def test_send_file_sends_the_whole_file(self):
        data = os.urandom(3 << 20)
        with tempfile.NamedTemporaryFile() as f:
            f.write(data)
            f.flush()
            got = {}

            def handler(conn):
                got["data"] = recv_all(conn)
                conn.sendall(b"ok")

            port, t = tcp_server(handler)
            p = connect("--send-file", f.name, f"tcp:127.0.0.1:{port}", input=b"stdin is not read")
            t.join(5)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(got["data"], data)
        self.assertEqual(p.stdout, b"ok")

    def test_send_file_that_is_missing_exits_66(self):
        self.assertFails(connect("--send-file", "/nonexistent/file", "tcp:127.0.0.1:1"), 66, "/nonexistent/file")


class AddressTest(Case):
    def test_every_resolved_address_is_tried_in_turn(self):
        # Nothing listens on [::1]:PORT, the server is on 127.0.0.1:PORT.
        port, t = tcp_server(lambda c: c.sendall(b"reached"))
        hosts = HostsFile(self, ["::1 multi.test", "127.0.0.1 multi.test"])
        p = hosts.run("-v", "connect", f"tcp:multi.test:{port}")
        t.join(5)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, b"reached")
        err = p.stderr.decode()
        self.assertIn(f"trying tcp:[::1]:{port}", err)
        self.assertIn(f"trying tcp:127.0.0.1:{port}", err)

    def test_one_deadline_spans_every_address(self):
        hole6, fill6, port = blackhole(socket.AF_INET6, "::1")
        with hole6:
            # The same port on 127.0.0.1 is a second black hole.
            try:
                hole4 = socket.socket()
                hole4.bind(("127.0.0.1", port))
            except OSError:
                self.skipTest("port taken on 127.0.0.1")
            hole4.listen(0)
            fill4 = [socket.socket() for _ in range(8)]
            for c in fill4:
                c.setblocking(False)
                c.connect_ex(("127.0.0.1", port))
            hosts = HostsFile(self, ["::1 slow.test", "127.0.0.1 slow.test"])
            began = time.monotonic()
            p = hosts.run("connect", "--timeout", "1", f"tcp:slow.test:{port}")
            elapsed = time.monotonic() - began
            hole4.close()
            for c in fill4 + fill6:
                c.close()
        self.assertFails(p, 75, str(port), "timed out")
        self.assertLess(elapsed, 1.8, "the deadline is for all addresses together")

    def test_timeout_exits_75(self):
        hole, fill, port = blackhole()
        with hole:
            p = connect("--timeout", "0.3", f"tcp:127.0.0.1:{port}")
            for c in fill:
                c.close()
        self.assertFails(p, 75, f"tcp:127.0.0.1:{port}", "timed out")

    def test_refused_exits_1(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
            self.assertFails(connect(f"tcp:127.0.0.1:{port}"), 1, f"tcp:127.0.0.1:{port}", "refused")

    def test_missing_unix_socket_exits_1(self):
        self.assertFails(connect("unix:/nonexistent/sockctl.sock"), 1, "unix:/nonexistent/sockctl.sock")

    def test_unknown_host_exits_68(self):
        hosts = HostsFile(self, ["127.0.0.1 localhost"])
        self.assertFails(hosts.run("connect", "tcp:no-such-host.invalid:80"), 68, "no-such-host.invalid")

    def test_family_this_kernel_lacks_exits_69(self):
        p = connect("sctp:127.0.0.1:9")
        if p.returncode == 1:
            self.skipTest("this kernel has SCTP")
        self.assertFails(p, 69, "sctp")

    def test_raw_socket_without_privilege_exits_77(self):
        if os.geteuid() != 0 or not shutil.which("setpriv"):
            self.skipTest("needs root to drop to nobody with setpriv(1)")
        p = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
                            BINARY, "connect", "ip4:127.0.0.1:icmp"], input=b"", capture_output=True, timeout=10)
        self.assertFails(p, 77, "ip4")

    def test_peer_reset_exits_1_and_says_so(self):
        def handler(conn):
            conn.recv(10)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            conn.close()

        port, t = tcp_server(handler)
        reader, writer = os.pipe()
        os.write(writer, b"first")
        # stdin stays open, so the relay is still running when the reset arrives.
        p = subprocess.Popen([BINARY, "connect", f"tcp:127.0.0.1:{port}"], stdin=reader, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        os.close(reader)
        try:
            out, err = p.communicate(timeout=10)
        finally:
            os.close(writer)
        t.join(5)
        self.assertEqual(p.returncode, 1, err)
        self.assertIn(b"reset by peer", err)
        self.assertEqual(err.count(b"\n"), 1)


class ProbeTest(Case):
    def test_probe_reports_each_port_of_a_range(self):
        with Server("--keep-open", "tcp:127.0.0.1:0") as srv:
            lo = srv.port - 1
            p = subprocess.run([BINARY, "--json", "connect", "-z", f"tcp:127.0.0.1:{lo}-{srv.port}"],
                               capture_output=True, timeout=10)
        self.assertEqual(p.returncode, 0, p.stderr)
        results = [json.loads(l) for l in p.stdout.decode().splitlines()]
        self.assertEqual([(r["port"], r["open"]) for r in results], [(lo, False), (srv.port, True)])
        self.assertEqual(results[0]["error"], "Connection refused")

    def test_probe_of_a_closed_port_exits_1(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
            p = connect("-z", f"tcp:127.0.0.1:{port}")
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stdout.decode(), f"tcp:127.0.0.1:{port} closed (Connection refused)\n")

    def test_probe_of_a_closed_udp_port_exits_1(self):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.assertEqual(connect("-z", f"udp:127.0.0.1:{port}").returncode, 1)

    def test_wait_retries_until_the_endpoint_accepts(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "late.sock")
            waiter = subprocess.Popen([BINARY, "-v", "connect", "-z", "--wait", "10", f"unix:{path}"],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            # The waiter must have failed at least once before the server exists.
            lines = []
            while not any(b"waiting" in l for l in lines) and len(lines) < 10:
                lines.append(waiter.stderr.readline())
            self.assertIn(b"waiting", lines[-1])
            with Server(f"unix:{path}"):
                out, err = waiter.communicate(timeout=10)
        self.assertEqual(waiter.returncode, 0, err)
        self.assertIn(b"open", out)

    def test_wait_gives_up_with_75(self):
        began = time.monotonic()
        p = connect("-z", "--wait", "0.5", "unix:/nonexistent/sockctl.sock")
        self.assertFails(p, 75, "unix:/nonexistent/sockctl.sock", "0.5 s")
        self.assertLess(time.monotonic() - began, 3)


class BadArgumentTest(Case):
    def test_bad_arguments_exit_64_and_name_the_value(self):
        cases = [
            (["--timeout", "-1", "tcp:127.0.0.1:1"], "-1"),
            (["--timeout", "soon", "tcp:127.0.0.1:1"], "soon"),
            (["--wait", "0", "tcp:127.0.0.1:1"], "--wait"),
            (["--idle-timeout", "nan", "tcp:127.0.0.1:1"], "--idle-timeout"),
            (["tcp:127.0.0.1:99999"], "99999"),
            (["tcp:127.0.0.1:20-25"], "20-25"),
            (["tpc:127.0.0.1:80"], "tpc"),
            (["--exec", "cat 'x", "tcp:127.0.0.1:1"], "cat 'x"),
            (["--exec", "cat", "--sh-exec", "cat", "tcp:127.0.0.1:1"], "--sh-exec"),
            (["-z", "--send-file", "/etc/hostname", "tcp:127.0.0.1:1"], "--send-file"),
            (["-O", "SO_NOSUCH=1", "tcp:127.0.0.1:1"], "SO_NOSUCH"),
            (["--source", "not an address", "tcp:127.0.0.1:1"], "not an address"),
            ([], "endpoint"),
        ]
        for args, fragment in cases:
            with self.subTest(args=args):
                self.assertFails(connect(*args), 64, fragment)

    def test_missing_command_exits_69(self):
        self.assertFails(connect("--exec", "sockctl-no-such-program", "tcp:127.0.0.1:1"), 69,
                         "sockctl-no-such-program")


if __name__ == "__main__":
    unittest.main()
