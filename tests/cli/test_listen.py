"""test_listen.py: `sockctl listen`: the listening socket (port 0, dual
stack, SO_REUSEADDR, backlog, unix paths, socket activation), --keep-open
serving thousands of connections from one process without leaking a
descriptor, --max-conns, --allow/--deny, --exec children, --idle-timeout,
datagram listeners, and bad arguments."""
import errno
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import unittest

from peers import Server, fd_count, recv_all
from sockctl import BINARY, Case, run


def echo_once(port, data=b"x" * 64, family=socket.AF_INET, host="127.0.0.1"):
    with socket.socket(family, socket.SOCK_STREAM) as c:
        c.settimeout(10)
        c.connect((host, port))
        c.sendall(data)
        c.shutdown(socket.SHUT_WR)
        return recv_all(c)


class EventReader:
    """Drains a JSON server's stdout in a thread so it never blocks on a full
    pipe, counting events by kind."""

    def __init__(self, server):
        self.counts = {}
        self.events = []
        self.cond = threading.Condition()
        # The thread reads its own copy of the descriptor until EOF (the server
        # exited): were it to read the test's, closing that would let it read
        # whatever the next test's pipe gets the same number.
        stream = os.fdopen(os.dup(server.proc.stdout.fileno()), "rb")
        self.thread = threading.Thread(target=self._run, args=(stream,), daemon=True)
        self.thread.start()

    def _run(self, stream):
        with stream:
            for line in stream:
                ev = json.loads(line)
                with self.cond:
                    self.counts[ev["event"]] = self.counts.get(ev["event"], 0) + 1
                    if ev["event"] != "closed" or len(self.events) < 5000:
                        self.events.append(ev)
                    self.cond.notify_all()

    def wait_for(self, kind, n, timeout=30):
        with self.cond:
            ok = self.cond.wait_for(lambda: self.counts.get(kind, 0) >= n, timeout)
        if not ok:
            raise AssertionError(f"{self.counts.get(kind, 0)} {kind} events, expected {n}")


class ListeningSocketTest(Case):
    def test_port_0_reports_the_real_port(self):
        with Server("tcp:127.0.0.1:0") as srv:
            self.assertGreater(srv.port, 0)
            self.assertEqual(srv.endpoint, f"tcp:127.0.0.1:{srv.port}")
            with socket.create_connection(("127.0.0.1", srv.port)):
                pass

    def test_port_0_is_printed_on_stderr_in_human_mode(self):
        with Server("tcp:127.0.0.1:0", json_mode=False) as srv:
            self.assertGreater(srv.port, 0)

    def test_first_connection_is_relayed_to_stdio_then_the_listener_closes(self):
        srv = Server("tcp:127.0.0.1:0", stdin=subprocess.PIPE, json_mode=False)
        srv.proc.stdin.write(b"pong\n")
        srv.proc.stdin.close()
        self.assertEqual(echo_once(srv.port, b"ping\n"), b"pong\n")
        code, out, err = srv.wait()
        self.assertEqual((code, out), (0, b"ping\n"), err)
        with self.assertRaises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", srv.port))

    def test_wildcard_ipv6_listener_accepts_ipv4_too(self):
        with Server("--keep-open", "--echo", "tcp::0") as srv:
            self.assertEqual(srv.local["family"], "inet6")
            self.assertEqual(echo_once(srv.port, b"v4"), b"v4")
            self.assertEqual(echo_once(srv.port, b"v6", socket.AF_INET6, "::1"), b"v6")

    def test_ipv6_only_option_refuses_ipv4(self):
        with Server("--keep-open", "--echo", "-O", "IPV6_V6ONLY=1", "tcp::0") as srv:
            self.assertEqual(echo_once(srv.port, b"v6", socket.AF_INET6, "::1"), b"v6")
            with self.assertRaises(ConnectionRefusedError):
                echo_once(srv.port, b"v4")

    def test_a_restarted_server_binds_despite_time_wait(self):
        srv = Server("tcp:127.0.0.1:0")
        c = socket.create_connection(("127.0.0.1", srv.port))
        # The server closes first (stdin is empty), so its side waits in TIME_WAIT.
        self.assertEqual(recv_all(c), b"")
        c.shutdown(socket.SHUT_WR)
        self.assertEqual(srv.wait()[0], 0)
        c.close()
        plain = socket.socket()
        with self.assertRaises(OSError, msg="without SO_REUSEADDR the port is still taken"):
            plain.bind(("127.0.0.1", srv.port))
        plain.close()
        with Server(f"tcp:127.0.0.1:{srv.port}") as again:
            self.assertEqual(again.port, srv.port)

    def test_backlog_reaches_listen(self):
        if not shutil.which("ss"):
            self.skipTest("needs ss(8)")
        with Server("--backlog", "7", "tcp:127.0.0.1:0") as srv:
            ss = subprocess.run(["ss", "-Hltn", f"sport = :{srv.port}"], capture_output=True, text=True)
            self.assertRegex(ss.stdout, r"LISTEN\s+0\s+7\s")

    def test_unix_path_is_removed_at_exit_and_a_stale_one_replaced(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "s.sock")
            stale = socket.socket(socket.AF_UNIX)
            stale.bind(path)
            stale.close()  # the file stays, nobody listens
            srv = Server(f"unix:{path}", stdin=subprocess.PIPE)
            srv.proc.stdin.close()
            with socket.socket(socket.AF_UNIX) as c:
                c.connect(path)
                c.sendall(b"hi")
                c.shutdown(socket.SHUT_WR)
                recv_all(c)
            events = srv.events()
            self.assertEqual(srv.proc.returncode, 0, srv.stderr)
            self.assertEqual([e["event"] for e in events], ["accepted", "data", "closed"])
            self.assertFalse(os.path.exists(path))

    def test_abstract_unix_listener(self):
        name = f"sockctl-test-{os.getpid()}"
        with Server("--keep-open", "--echo", f"unix:@{name}") as srv:
            self.assertEqual(srv.endpoint, f"unix:@{name}")
            with socket.socket(socket.AF_UNIX) as c:
                c.connect("\0" + name)
                c.sendall(b"abstract")
                c.shutdown(socket.SHUT_WR)
                self.assertEqual(recv_all(c), b"abstract")

    def test_systemd_socket_activation(self):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        os.set_inheritable(sock.fileno(), True)
        # LISTEN_PID must be sockctl's own pid: set it in the shell that execs it.
        script = f'exec 3<&{sock.fileno()}; LISTEN_PID=$$ LISTEN_FDS=1 LISTEN_FDNAMES=web exec "$0" "$@"'
        p = subprocess.Popen(["sh", "-c", script, BINARY, "--json", "listen", "--keep-open", "--echo", "systemd:web"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, pass_fds=[sock.fileno()])
        sock.close()
        try:
            ev = json.loads(p.stdout.readline())
            self.assertEqual(ev["event"], "listening", p.stderr.read1() if ev.get("event") != "listening" else "")
            self.assertEqual(ev["local"]["port"], port)
            self.assertEqual(echo_once(port, b"activated"), b"activated")
        finally:
            p.terminate()
            p.communicate(timeout=5)

    def test_systemd_without_activation_exits_66(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("LISTEN_")}
        self.assertFails(run("listen", "systemd:", env=env), 66, "LISTEN_FDS")


class KeepOpenTest(Case):
    def test_thousands_of_connections_in_one_process_leak_no_descriptor(self):
        srv = Server("--keep-open", "--echo", "tcp:127.0.0.1:0")
        reader = EventReader(srv)
        try:
            def concurrent(n):
                conns = [socket.create_connection(("127.0.0.1", srv.port), timeout=10) for _ in range(n)]
                for i, c in enumerate(conns):
                    c.sendall(b"%064d" % i)
                for i, c in enumerate(conns):
                    self.assertEqual(c.recv(100), b"%064d" % i)
                for c in conns:
                    c.close()

            concurrent(200)  # fills the pipe pool, which is reused, not leaked
            reader.wait_for("closed", 200)
            before = fd_count(srv.proc.pid)
            children_before = len(os.listdir(f"/proc/{srv.proc.pid}/task"))
            for i in range(10000):
                with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as c:
                    c.sendall(b"%064d" % i)
                    got = b""
                    while len(got) < 64:
                        got += c.recv(64 - len(got))
                    self.assertEqual(got, b"%064d" % i)
            concurrent(200)
            reader.wait_for("closed", 10400)
            self.assertEqual(fd_count(srv.proc.pid), before)
            self.assertEqual(len(os.listdir(f"/proc/{srv.proc.pid}/task")), children_before, "one thread")
            self.assertEqual(reader.counts["accepted"], 10400)
        finally:
            srv.stop()

    def test_max_conns_holds_with_a_thousand_idle_connections(self):
        srv = Server("--keep-open", "--echo", "--max-conns", "10", "tcp:127.0.0.1:0")
        reader = EventReader(srv)
        conns = []
        try:
            base = fd_count(srv.proc.pid)
            for _ in range(1000):
                conns.append(socket.create_connection(("127.0.0.1", srv.port), timeout=10))
            reader.wait_for("accepted", 10)
            # The eleventh is not accepted while ten are open: ask the first one to echo, so
            # the server has certainly run its loop since the others arrived.
            conns[0].sendall(b"ping")
            self.assertEqual(conns[0].recv(10), b"ping")
            self.assertEqual(reader.counts["accepted"], 10)
            # Per connection: the socket and a splice pipe; plus the epoll and
            # signalfd descriptors, made after the listening event.
            self.assertLessEqual(fd_count(srv.proc.pid), base + 2 + 10 * 3)
            # Closing one lets exactly one more in.
            conns.pop(0).close()
            reader.wait_for("accepted", 11)
            for c in conns:
                c.close()
            reader.wait_for("closed", 1000)
            self.assertEqual(reader.counts["accepted"], 1000)
        finally:
            for c in conns:
                c.close()
            srv.stop()

    def test_idle_timeout_closes_a_silent_connection(self):
        srv = Server("--keep-open", "--echo", "--idle-timeout", "0.3", "tcp:127.0.0.1:0")
        try:
            with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as c:
                self.assertEqual(recv_all(c), b"")
            self.assertEqual(srv.event()["event"], "accepted")
            closed = srv.event()
            self.assertEqual(closed["reason"], "idle-timeout")
            self.assertGreaterEqual(closed["duration"], 0.3)
        finally:
            srv.stop()

    def test_sigterm_stops_the_server_cleanly(self):
        srv = Server("--keep-open", "--discard", "tcp:127.0.0.1:0")
        c = socket.create_connection(("127.0.0.1", srv.port))
        self.assertEqual(srv.event()["event"], "accepted")
        srv.proc.terminate()
        events = srv.events()
        c.close()
        self.assertEqual(srv.proc.returncode, 0)
        self.assertEqual([(e["event"], e.get("reason")) for e in events], [("closed", "stopped"), ("stopped", None)])


class AccessTest(Case):
    def test_deny_refuses_before_reading_and_covers_mapped_ipv4(self):
        srv = Server("--keep-open", "--echo", "--deny", "127.0.0.1", "tcp::0")
        try:
            for family, host in [(socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::ffff:127.0.0.1")]:
                with self.subTest(host=host):
                    try:
                        self.assertEqual(echo_once(srv.port, b"let me in", family, host), b"")
                    except (ConnectionResetError, BrokenPipeError, OSError) as e:
                        # Closed with our bytes unread: the kernel resets, maybe before our shutdown().
                        self.assertIn(e.errno, (errno.ECONNRESET, errno.EPIPE, errno.ENOTCONN))
                    ev = srv.event()
                    self.assertEqual(ev["event"], "denied")
                    self.assertIn(ev["peer"]["host"], ("::ffff:127.0.0.1", "127.0.0.1"))
            self.assertEqual(echo_once(srv.port, b"ok", socket.AF_INET6, "::1"), b"ok")
            self.assertEqual(srv.event()["event"], "accepted")
        finally:
            srv.stop()

    def test_allow_lets_only_listed_peers_in(self):
        with Server("--keep-open", "--echo", "--allow", "127.0.0.2/32", "tcp:0.0.0.0:0") as srv:
            with socket.socket() as c:
                c.bind(("127.0.0.2", 0))
                c.connect(("127.0.0.1", srv.port))
                c.sendall(b"allowed")
                c.shutdown(socket.SHUT_WR)
                self.assertEqual(recv_all(c), b"allowed")
            try:
                self.assertEqual(echo_once(srv.port, b"other"), b"")
            except OSError as e:
                self.assertIn(e.errno, (errno.ECONNRESET, errno.EPIPE, errno.ENOTCONN))

    def test_allow_on_a_unix_endpoint_is_a_usage_error(self):
        self.assertFails(run("listen", "--allow", "127.0.0.1", "unix:@sockctl-x"), 64, "--allow")


class ExecTest(Case):
    def test_exec_children_hold_only_fds_0_to_2(self):
        # The child reports its pid, then becomes cat; we look at its fds from outside.
        with Server("--keep-open", "--exec", "sh -c 'echo $$; exec cat'", "tcp:127.0.0.1:0") as srv:
            with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as c:
                f = c.makefile("rb")
                pid = int(f.readline())
                fds = sorted(int(x) for x in os.listdir(f"/proc/{pid}/fd"))
                targets = [os.readlink(f"/proc/{pid}/fd/{x}") for x in fds]
                c.sendall(b"bye\n")
                c.shutdown(socket.SHUT_WR)
                self.assertEqual(f.read(), b"bye\n")
                f.close()
            self.assertEqual(fds, [0, 1, 2], targets)

    def test_exec_child_sees_its_peer_in_the_environment(self):
        with Server("--sh-exec", 'echo "$SOCKCTL_PEER $SOCKCTL_LOCAL"', "tcp:127.0.0.1:0") as srv:
            with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as c:
                c.shutdown(socket.SHUT_WR)
                line = recv_all(c).decode()
                here = c.getsockname()[1]
        self.assertEqual(line, f"tcp:127.0.0.1:{here} tcp:127.0.0.1:{srv.port}\n")

    def test_exec_reports_the_status_of_each_child(self):
        with Server("--keep-open", "--sh-exec", "cat >/dev/null; exit 5", "tcp:127.0.0.1:0") as srv:
            echo_once(srv.port, b"data")
            self.assertEqual(srv.event()["event"], "accepted")
            closed = srv.event()
            self.assertEqual((closed["event"], closed["received"], closed["status"]), ("closed", 4, 5))

    def test_half_close_reaches_the_command_and_its_reply_comes_back(self):
        with Server("--sh-exec", "sort", "tcp:127.0.0.1:0") as srv:
            self.assertEqual(echo_once(srv.port, b"b\nc\na\n"), b"a\nb\nc\n")


class DatagramTest(Case):
    def test_a_udp_listener_answers_the_peer_it_last_heard_from(self):
        srv = Server("udp:127.0.0.1:0", stdin=subprocess.PIPE, json_mode=False)
        try:
            a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            for s in (a, b):
                s.settimeout(10)
            a.sendto(b"from a\n", ("127.0.0.1", srv.port))
            self.assertEqual(srv.proc.stdout.readline(), b"from a\n")
            srv.proc.stdin.write(b"to a\n")
            srv.proc.stdin.flush()
            self.assertEqual(a.recv(100), b"to a\n")
            b.sendto(b"from b\n", ("127.0.0.1", srv.port))
            self.assertEqual(srv.proc.stdout.readline(), b"from b\n")
            srv.proc.stdin.write(b"to b\n")
            srv.proc.stdin.flush()
            self.assertEqual(b.recv(100), b"to b\n")
            a.close()
            b.close()
        finally:
            srv.stop()

    def test_datagram_boundaries_are_kept_in_events(self):
        srv = Server("udp:127.0.0.1:0")
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as c:
                for d in (b"x", b"yy", b"", b"\xff\xfe"):
                    c.sendto(d, ("127.0.0.1", srv.port))
                evs = [srv.event() for _ in range(4)]
                me = c.getsockname()[1]
        finally:
            srv.stop()
        self.assertEqual([e["event"] for e in evs], ["datagram"] * 4)
        self.assertEqual([e["bytes"] for e in evs], [1, 2, 0, 2])
        self.assertEqual([e.get("text") for e in evs], ["x", "yy", "", None])
        self.assertEqual(evs[3]["base64"], "//4=")
        self.assertTrue(all(e["peer"]["port"] == me for e in evs))

    def test_once_exits_after_one_datagram(self):
        srv = Server("--once", "--echo", "udp:127.0.0.1:0")
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as c:
            c.settimeout(10)
            c.sendto(b"one", ("127.0.0.1", srv.port))
            self.assertEqual(c.recv(10), b"one")
        events = srv.events()
        self.assertEqual(srv.proc.returncode, 0)
        self.assertEqual(events[-1]["reason"], "once")

    def test_unix_dgram_and_seqpacket_keep_boundaries(self):
        with tempfile.TemporaryDirectory() as d:
            for scheme, kind in [("unix-dgram", socket.SOCK_DGRAM), ("unix-seqpacket", socket.SOCK_SEQPACKET)]:
                with self.subTest(scheme=scheme):
                    path = os.path.join(d, scheme)
                    with Server("--keep-open", "--echo", f"{scheme}:{path}") as srv, socket.socket(socket.AF_UNIX, kind) as c:
                        c.settimeout(10)
                        if kind == socket.SOCK_DGRAM:
                            c.bind(os.path.join(d, "client"))  # a named client, so it can be answered
                        c.connect(path)
                        for m in (b"a", b"bb", b"ccc"):
                            c.send(m)
                        self.assertEqual([c.recv(100) for _ in range(3)], [b"a", b"bb", b"ccc"])
                    if kind == socket.SOCK_DGRAM:
                        os.unlink(os.path.join(d, "client"))


class NetnsCase(Case):
    """Runs commands inside a network namespace this test creates (and removes)."""

    def setUp(self):
        if os.geteuid() != 0 or not shutil.which("ip"):
            self.skipTest("needs root and ip(8) for a network namespace")
        self.ns = f"sockctl-relay-{os.getpid()}"
        p = subprocess.run(["ip", "netns", "add", self.ns], capture_output=True)
        if p.returncode != 0:
            self.skipTest("cannot create a network namespace: " + p.stderr.decode().strip())
        self.addCleanup(subprocess.run, ["ip", "netns", "del", self.ns], capture_output=True)
        self.sh("ip link set lo up && ip link add d0 type veth peer name d1 && ip addr add 10.9.0.1/24 dev d0 "
                "&& ip link set d1 up && ip link set d0 up && ip route add 224.0.0.0/4 dev d0 "
                "&& ip route add default dev d0")

    def sh(self, script):
        subprocess.run(["ip", "netns", "exec", self.ns, "sh", "-c", script], check=True, capture_output=True)

    def in_ns(self, *args):
        return ["ip", "netns", "exec", self.ns, BINARY, *args]


class BroadcastMulticastTest(NetnsCase):
    def test_broadcast_sets_so_broadcast_itself(self):
        srv = subprocess.Popen(self.in_ns("--json", "listen", "--once", "udp:0.0.0.0:9999"), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
        try:
            self.assertEqual(json.loads(srv.stdout.readline())["event"], "listening")
            p = subprocess.run(self.in_ns("connect", "--idle-timeout", "0.2", "udp:<broadcast>:9999"),
                               input=b"to everyone", capture_output=True, timeout=10)
            self.assertEqual(p.returncode, 0, p.stderr)
            ev = json.loads(srv.stdout.readline())
            self.assertEqual((ev["event"], ev["text"]), ("datagram", "to everyone"))
        finally:
            srv.terminate()
            srv.communicate(timeout=5)

    def test_multicast_group_joined_with_ip_add_membership(self):
        srv = subprocess.Popen(self.in_ns("--json", "listen", "--once", "-O", "IP_ADD_MEMBERSHIP=239.1.2.3",
                                          "udp:0.0.0.0:9998"), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            self.assertEqual(json.loads(srv.stdout.readline())["event"], "listening")
            p = subprocess.run(self.in_ns("connect", "--idle-timeout", "0.2", "udp:239.1.2.3:9998"),
                               input=b"to the group", capture_output=True, timeout=10)
            self.assertEqual(p.returncode, 0, p.stderr)
            ev = json.loads(srv.stdout.readline())
            self.assertEqual((ev["event"], ev["text"]), ("datagram", "to the group"))
        finally:
            srv.terminate()
            srv.communicate(timeout=5)


class BadArgumentTest(Case):
    def test_bad_arguments_exit_64_and_name_the_value(self):
        cases = [
            (["--max-conns", "0", "--keep-open", "tcp::0"], "0"),
            (["--max-conns", "5", "tcp::0"], "--keep-open"),
            (["--backlog", "0", "tcp::0"], "0"),
            (["--backlog", "many", "tcp::0"], "many"),
            (["--idle-timeout", "-1", "tcp::0"], "-1"),
            (["--once", "--keep-open", "tcp::0"], "--keep-open"),
            (["--echo", "--exec", "cat", "tcp::0"], "--exec"),
            (["--allow", "10.0.0.0/33", "tcp::0"], "10.0.0.0/33"),
            (["--deny", "example.com", "tcp::0"], "example.com"),
            (["--sh-exec", "x", "--exec", "y", "tcp::0"], "--exec"),
            (["--exec", '"unbalanced', "tcp::0"], "unbalanced"),
            (["tcp::70000"], "70000"),
            (["udp"], "udp"),
        ]
        for args, fragment in cases:
            with self.subTest(args=args):
                self.assertFails(run("listen", *args), 64, fragment)

    def test_address_in_use_fails_and_names_it(self):
        with Server("tcp:127.0.0.1:0") as srv:
            p = run("listen", srv.endpoint)
            self.assertNotEqual(p.returncode, 0)
            self.assertFails(p, p.returncode, srv.endpoint, "in use")


if __name__ == "__main__":
    unittest.main()
