"""test_fdpass.py: `sockctl fdpass send|recv` against itself and against
Python's socket.send_fds/recv_fds, both ways: files, pipes, TCP and UNIX
sockets and /dev/null travel, and the bytes written through them arrive;
--exec installs exactly what was sent; truncation closes what arrived (counted
in /proc/PID/fd); control messages nobody asked for; credentials; -O; bad
input and its exit codes. socat is a client of a received listening socket."""
import array
import json
import os
import select
import socket
import struct
import subprocess
import sys
import tempfile
import unittest

from sockctl import BINARY, Case, next_event, run, start, stop


# Linux 6.5's names, which Python 3.11 lacks.
SO_PASSPIDFD = 76
SCM_PIDFD = 4


def open_fds(pid):
    return sorted(int(n) for n in os.listdir(f"/proc/{pid}/fd"))


def stderr_line(proc, timeout=10):
    r, _, _ = select.select([proc.stderr], [], [], timeout)
    if not r:
        raise AssertionError("no stderr line within %ss" % timeout)
    return proc.stderr.readline().decode()


def open_sockets(pid):
    links = (os.readlink(f"/proc/{pid}/fd/{n}") for n in open_fds(pid))
    return [link for link in links if link.startswith("socket:")]


def py_server(path):
    s = socket.socket(socket.AF_UNIX)
    s.bind(path)
    s.listen()
    return s


def py_connect(path, type=socket.SOCK_STREAM):
    s = socket.socket(socket.AF_UNIX, type)
    s.connect(path)
    return s


# A child for --exec --as 3: reads the file at 3 and writes what it read
# through the pipe (4), /dev/null (5), the TCP (6) and UNIX (7) sockets.
WRITER = """
import os, sys
data = os.read(3, 100)
os.write(4, b"pipe got " + data)
os.write(5, b"into the void")
os.write(6, b"tcp got " + data)
os.write(7, b"unix got " + data)
sys.exit(5)
"""


class Kinds:
    """One of each kind of descriptor, with the far ends the test keeps."""

    def __init__(self, tmpdir):
        self.file = os.path.join(tmpdir, "data.txt")
        with open(self.file, "wb") as f:
            f.write(b"from a file\n")
        self.file_fd = os.open(self.file, os.O_RDONLY)
        self.pipe_r, self.pipe_w = os.pipe()
        self.null_fd = os.open("/dev/null", os.O_WRONLY)
        listener = socket.create_server(("127.0.0.1", 0))
        self.tcp_port = listener.getsockname()[1]
        self.tcp = socket.create_connection(("127.0.0.1", self.tcp_port))
        self.tcp_far, _ = listener.accept()
        listener.close()
        self.unix, self.unix_far = socket.socketpair()
        for s in (self.tcp_far, self.unix_far):
            s.settimeout(10)

    def sent(self):
        """What a sender passes, in order: file, pipe, /dev/null, TCP, UNIX."""
        return [self.file_fd, self.pipe_w, self.null_fd, self.tcp.fileno(), self.unix.fileno()]

    def close_sent(self):
        for fd in (self.file_fd, self.pipe_w, self.null_fd):
            os.close(fd)
        self.tcp.close()
        self.unix.close()

    def check_arrived(self, test, prefix=b""):
        """The bytes a receiver wrote through each descriptor reached the far ends."""
        data = prefix + b"from a file\n"
        test.assertEqual(os.read(self.pipe_r, 100), b"pipe got " + data)
        test.assertEqual(self.tcp_far.recv(100), b"tcp got " + data)
        test.assertEqual(self.unix_far.recv(100), b"unix got " + data)

    def check_described(self, test, fds):
        test.assertEqual([f["type"] for f in fds], ["file", "pipe", "char", "socket", "socket"])
        test.assertEqual(fds[0]["path"], self.file)
        test.assertEqual(fds[0]["size"], 12)
        test.assertTrue(fds[1]["path"].startswith("pipe:["))
        test.assertEqual(fds[2]["path"], "/dev/null")
        tcp = fds[3]["socket"]
        test.assertEqual((tcp["family"], tcp["type"], tcp["proto"]), ("inet", "stream", 6))
        test.assertEqual(tcp["peer"]["endpoint"], f"tcp:127.0.0.1:{self.tcp_port}")
        test.assertFalse(tcp["listening"])
        test.assertEqual((fds[4]["socket"]["family"], fds[4]["socket"]["type"]), ("unix", "stream"))

    def close(self):
        for fd in (self.pipe_r,):
            os.close(fd)
        self.tcp_far.close()
        self.unix_far.close()


class FdpassTest(Case):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="sockctl-fdpass-")
        self.addCleanup(self.tmp.cleanup)

    def path(self, name="s.sock"):
        return os.path.join(self.tmp.name, name)

    def receiver(self, *args, endpoint=None, **kw):
        """Starts `fdpass recv` and waits for its listening event. Unbuffered,
        so that select() in next_event() never misses a line already read."""
        ep = endpoint or "unix:" + self.path()
        p = start("--json", "fdpass", "recv", ep, *args, bufsize=0, **kw)
        self.addCleanup(stop, p)
        ev = next_event(p)
        self.assertEqual(ev["event"], "listening", ev)
        return p, ep

    def events(self, proc, timeout=20):
        """Every event of a receiver, once it has exited."""
        out, _ = proc.communicate(timeout=timeout)
        return [json.loads(line) for line in out.decode().splitlines() if line.startswith("{")]

    def kinds(self):
        k = Kinds(self.tmp.name)
        self.addCleanup(k.close)
        return k

    # --- both directions, every kind of descriptor -------------------------

    def test_sockctl_to_sockctl_every_kind_and_the_bytes_arrive(self):
        k = self.kinds()
        rx, ep = self.receiver("--as", "3", "--exec", sys.executable, "-c", WRITER)
        f, w, n, t, u = k.sent()
        # Interleaved on purpose: the order on the command line is the order sent.
        tx = subprocess.Popen([BINARY, "--json", "fdpass", "send", ep, "--file", k.file, str(w),
                               "--open", "/dev/null:w", str(t), str(u)],
                              pass_fds=(w, t, u), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = tx.communicate(timeout=20)
        self.assertEqual(tx.returncode, 0, err)
        connected, sent = [json.loads(line) for line in out.decode().splitlines()]
        self.assertEqual(connected["peer"]["endpoint"], ep)
        self.assertEqual(connected["peer_cred"]["pid"], rx.pid)
        k.check_described(self, sent["fds"])
        self.assertEqual(sent["bytes"], 1)
        k.close_sent()

        events = self.events(rx)
        self.assertEqual(rx.returncode, 5, "recv exits with the command's status")
        kinds = [e["event"] for e in events]
        self.assertEqual(kinds, ["accepted", "received", "spawned", "closed", "exited"])
        self.assertEqual(events[0]["peer_cred"]["pid"], tx.pid)
        k.check_described(self, events[1]["fds"])
        self.assertEqual(events[1]["message"], "\u0000")
        self.assertEqual(events[2]["installed"], [3, 4, 5, 6, 7])
        self.assertEqual(events[4]["status"], 5)
        k.check_arrived(self)

    def test_python_send_fds_to_sockctl(self):
        k = self.kinds()
        rx, ep = self.receiver("--as", "3", "--exec", sys.executable, "-c", WRITER)
        with py_connect(self.path()) as s:
            socket.send_fds(s, [b"from python"], k.sent())
        k.close_sent()
        events = self.events(rx)
        received = [e for e in events if e["event"] == "received"][0]
        self.assertEqual(received["message"], "from python")
        self.assertEqual(received["bytes"], 11)
        k.check_described(self, received["fds"])
        k.check_arrived(self)

    def test_sockctl_to_python_recv_fds(self):
        k = self.kinds()
        with py_server(self.path()) as server:
            p = run("fdpass", "send", "unix:" + self.path(), *map(str, k.sent()), "--message", "hi",
                    pass_fds=k.sent())
            self.assertEqual(p.returncode, 0, p.stderr)
            conn, _ = server.accept()
            with conn:
                msg, fds, flags, _ = socket.recv_fds(conn, 100, 10)
        k.close_sent()
        self.assertEqual(msg, b"hi")
        self.assertEqual(len(fds), 5)
        data = os.read(fds[0], 100)
        os.write(fds[1], b"pipe got " + data)
        os.write(fds[2], b"into the void")
        os.write(fds[3], b"tcp got " + data)
        os.write(fds[4], b"unix got " + data)
        for fd in fds:
            os.close(fd)
        k.check_arrived(self)

    def test_recv_connect_takes_descriptors_from_a_python_server(self):
        k = self.kinds()
        with py_server(self.path()) as server:
            rx = start("--json", "fdpass", "recv", "--connect", "unix:" + self.path(),
                       "--as", "3", "--exec", sys.executable, "-c", WRITER, bufsize=0)
            self.addCleanup(stop, rx)
            conn, _ = server.accept()
            with conn:
                socket.send_fds(conn, [b"served"], k.sent())
        k.close_sent()
        events = self.events(rx)
        self.assertEqual(rx.returncode, 5)
        self.assertEqual(events[0]["event"], "connected")
        self.assertEqual(events[0]["peer"]["endpoint"], "unix:" + self.path())
        self.assertEqual(events[0]["peer_cred"]["pid"], os.getpid())
        k.check_arrived(self)

    def test_printing_mode_describes_and_closes(self):
        rx, ep = self.receiver(endpoint="unix:@sockctl-fdpass-print-%d" % os.getpid())
        p = run("fdpass", "send", ep, "--open", self.path("out.txt") + ":w", "0", input=b"")
        self.assertEqual(p.returncode, 0, p.stderr)
        events = self.events(rx)
        self.assertEqual(rx.returncode, 0)
        fds = events[1]["fds"]
        self.assertEqual([(f["type"], f["access"]) for f in fds], [("file", "w"), ("pipe", "r")])
        self.assertEqual(fds[0]["path"], self.path("out.txt"))

    def test_human_output(self):
        p = subprocess.Popen([BINARY, "fdpass", "recv", "unix:" + self.path()], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, bufsize=0)
        self.addCleanup(stop, p)
        self.assertEqual(p.stdout.readline().decode(), f"listening on unix:{self.path()}\n")
        s = run("fdpass", "send", "unix:" + self.path(), "--file", "/dev/null", "-m", "hello")
        self.assertEqual(s.returncode, 0, s.stderr)
        self.assertRegex(s.stdout.decode(), r"^connected unix:\S+ \(pid \d+ uid \d+ gid \d+\)\n"
                         r"sent 1 descriptor and 5 bytes\n  fd \d+ +char r /dev/null\n$")
        out, _ = p.communicate(timeout=10)
        lines = out.decode().splitlines()
        self.assertRegex(lines[0], r"^accepted unix: \(pid \d+ uid \d+ gid \d+\)$")
        self.assertEqual(lines[1], 'received 1 descriptor and 5 bytes "hello"')
        self.assertRegex(lines[2], r"^  fd \d+ +char r /dev/null$")
        self.assertEqual(lines[3], "closed after 1 message")

    # --- socket types ------------------------------------------------------

    def test_datagram_and_seqpacket(self):
        for scheme, pytype in (("unix-dgram", socket.SOCK_DGRAM), ("unix-seqpacket", socket.SOCK_SEQPACKET)):
            with self.subTest(scheme=scheme):
                path = self.path(scheme)
                rx, ep = self.receiver(endpoint=f"{scheme}:{path}")
                p = run("fdpass", "send", ep, "--file", "/dev/null", "-m", "one")
                self.assertEqual(p.returncode, 0, p.stderr)
                events = self.events(rx)
                self.assertEqual(rx.returncode, 0)
                received = [e for e in events if e["event"] == "received"][0]
                self.assertEqual(received["message"], "one")
                self.assertEqual(received["fds"][0]["path"], "/dev/null")
                if pytype == socket.SOCK_DGRAM:
                    self.assertNotIn("closed", [e["event"] for e in events])

    def test_datagram_names_its_sender(self):
        rx, ep = self.receiver(endpoint="unix-dgram:" + self.path())
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
            s.bind(self.path("sender"))
            s.connect(self.path())
            socket.send_fds(s, [b"d"], [0])
        received = self.events(rx)[0]
        self.assertEqual(received["from"]["endpoint"], "unix-dgram:" + self.path("sender"))

    def test_mismatched_socket_type_is_a_usage_error(self):
        self.receiver(endpoint="unix-dgram:" + self.path())
        self.assertFails(run("fdpass", "send", "unix:" + self.path(), "0"), 64, "socket type")

    # --- exec ----------------------------------------------------------------

    def test_exec_reads_the_received_file_on_stdin(self):
        rx, ep = self.receiver("--exec", "cat")
        with open(self.path("in.txt"), "w") as f:
            f.write("line one\nline two\n")
        p = run("fdpass", "send", ep, "--file", self.path("in.txt"))
        self.assertEqual(p.returncode, 0, p.stderr)
        out, _ = rx.communicate(timeout=20)
        self.assertEqual(rx.returncode, 0)
        text = [line for line in out.decode().splitlines() if not line.startswith("{")]
        self.assertEqual(text, ["line one", "line two"])

    def test_exec_child_holds_only_stdio_and_the_descriptors(self):
        extra = os.open("/dev/null", os.O_RDONLY)  # inheritable: would leak
        os.dup2(extra, 50)
        os.close(extra)
        self.addCleanup(os.close, 50)
        lister = "import os; print('fds', sorted(int(n) for n in os.listdir('/proc/self/fd')))"
        rx, ep = self.receiver("--as", "3", "--exec", sys.executable, "-c", lister, pass_fds=(50,))
        self.assertIn(50, open_fds(rx.pid))
        p = run("fdpass", "send", ep, "0", "1", input=b"")
        self.assertEqual(p.returncode, 0, p.stderr)
        out, _ = rx.communicate(timeout=20)
        line = [l for l in out.decode().splitlines() if l.startswith("fds")][0]
        # 0-2, the two installed at 3 and 4, and listdir's own directory at 5.
        self.assertEqual(line, "fds [0, 1, 2, 3, 4, 5]")

    def test_received_listening_socket_keeps_serving_after_the_sender_exits(self):
        server = socket.create_server(("127.0.0.1", 0))
        port = server.getsockname()[1]
        worker = """
import os, socket
assert os.environ["LISTEN_PID"] == str(os.getpid())
names = os.environ["LISTEN_FDNAMES"]
s = socket.socket(fileno=3)
for i in range(2):
    c, _ = s.accept()
    c.sendall(f"served {i} by {names} ({os.environ['LISTEN_FDS']})".encode())
    c.close()
"""
        rx, ep = self.receiver("--systemd", "--fdname", "web", "--exec", sys.executable, "-c", worker)
        p = run("fdpass", "send", ep, str(server.fileno()), pass_fds=(server.fileno(),))
        self.assertEqual(p.returncode, 0, p.stderr)
        server.close()  # the sender has exited and we let go: only the worker holds it
        with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
            self.assertEqual(c.recv(100), b"served 0 by web (1)")
        # socat as the second client, a peer that is not Python.
        socat = subprocess.run(["socat", "-t", "10", "-T", "10", "-", f"TCP:127.0.0.1:{port}"], input=b"",
                               capture_output=True, timeout=20)
        self.assertEqual(socat.returncode, 0, socat.stderr)
        self.assertEqual(socat.stdout, b"served 1 by web (1)")
        events = self.events(rx)
        self.assertEqual(rx.returncode, 0)
        received = [e for e in events if e["event"] == "received"][0]
        self.assertTrue(received["fds"][0]["socket"]["listening"])
        self.assertEqual([e for e in events if e["event"] == "spawned"][0]["installed"], [3])

    def test_keep_open_runs_a_command_per_message_and_keeps_nothing(self):
        rx, ep = self.receiver("--keep-open", "--count", "4", "--exec", "true")
        with py_connect(self.path()) as s:
            self.assertEqual(next_event(rx)["event"], "accepted")
            before = open_fds(rx.pid)
            exited = 0
            for i in range(3):
                socket.send_fds(s, [b"m%d" % i], [0, 1, 2])
                received = next_event(rx)
                while received["event"] == "exited":
                    exited += 1
                    received = next_event(rx)
                self.assertEqual(received["message"], "m%d" % i)
                self.assertEqual(next_event(rx)["event"], "spawned")
                # The three that arrived went to the child, none stayed here.
                self.assertEqual(open_fds(rx.pid), before)
            socket.send_fds(s, [b"last"], [0])
        events = self.events(rx)
        self.assertEqual(rx.returncode, 0)
        self.assertEqual(exited + [e["event"] for e in events].count("exited"), 4, "every child reaped")

    # --- listen --pass-to: a socket broker ----------------------------------------

    def test_listen_pass_to_hands_each_client_to_the_worker_end_to_end(self):
        worker = "import os; d = os.read(0, 100); os.write(0, b'worker got ' + d)"
        rx, ep = self.receiver("--keep-open", "--count", "2", "--exec", sys.executable, "-c", worker)
        broker = start("--json", "listen", "tcp:127.0.0.1:0", "--keep-open", "--pass-to", ep, bufsize=0)
        self.addCleanup(stop, broker)
        port = next_event(broker)["local"]["port"]
        with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
            client = "tcp:127.0.0.1:%d" % c.getsockname()[1]
            c.sendall(b"ping")
            self.assertEqual(c.recv(100), b"worker got ping")
        socat = subprocess.run(["socat", "-t", "10", "-T", "10", "-", f"TCP:127.0.0.1:{port}"], input=b"pong",
                               capture_output=True, timeout=20)
        self.assertEqual((socat.returncode, socat.stdout), (0, b"worker got pong"), socat.stderr)
        events = [next_event(broker) for _ in range(4)]
        self.assertEqual([e["event"] for e in events], ["accepted", "passed"] * 2)
        self.assertEqual(events[1]["peer"]["endpoint"], client)
        self.assertEqual(events[1]["worker"]["endpoint"], ep)
        self.assertEqual(len(open_sockets(broker.pid)), 1, "the broker keeps its listener and no copy")

        received = [e for e in self.events(rx) if e["event"] == "received"]
        self.assertEqual(received[0]["message"], client, "the client's address comes as the message")
        self.assertEqual(received[0]["fds"][0]["socket"]["peer"]["endpoint"], client)
        self.assertEqual(rx.returncode, 0)

    def test_listen_pass_to_once_and_its_bad_input(self):
        rx, ep = self.receiver("--exec", "true")
        broker = start("--json", "listen", "tcp:127.0.0.1:0", "--pass-to", ep, bufsize=0)
        self.addCleanup(stop, broker)
        port = next_event(broker)["local"]["port"]
        socket.create_connection(("127.0.0.1", port), timeout=10).close()
        broker.communicate(timeout=20)
        self.assertEqual(broker.returncode, 0, "without --keep-open one hand-off and done")

        cases = [
            (("tcp:127.0.0.1:0", "--pass-to", "tcp:127.0.0.1:9"), 64, "tcp:127.0.0.1:9", "only over unix"),
            (("udp:127.0.0.1:0", "--pass-to", ep), 64, "--pass-to", "has none"),
            (("tcp:127.0.0.1:0", "--pass-to", ep, "--echo"), 64, "--pass-to"),
        ]
        for args, code, *fragments in cases:
            with self.subTest(args=args):
                self.assertFails(run("listen", *args), code, *fragments)
        missing = "unix:" + self.path("no-worker.sock")
        broker = start("listen", "tcp:127.0.0.1:0", "--pass-to", missing, "--json", bufsize=0)
        self.addCleanup(stop, broker)
        port = next_event(broker)["local"]["port"]
        socket.create_connection(("127.0.0.1", port), timeout=10).close()
        _, err = broker.communicate(timeout=20)
        self.assertEqual(broker.returncode, 66)
        self.assertIn("no-worker.sock", err.decode())

    # --- truncation ------------------------------------------------------------

    def test_too_many_descriptors_exit_65(self):
        for count, why in ((5, "more descriptors (5) than room was made for (2)"),
                           (200, "control data truncated: room for 2 descriptors")):
            with self.subTest(count=count):
                rx, ep = self.receiver("--max-fds", "2", endpoint=f"unix:{self.path(str(count))}")
                with py_connect(self.path(str(count))) as s:
                    socket.send_fds(s, [b"x"], [0] * count)
                    out, err = rx.communicate(timeout=20)
                self.assertEqual(rx.returncode, 65)
                self.assertEqual(err.decode().count("\n"), 1)
                self.assertEqual(json.loads(err)["error"]["exit"], 65)
                self.assertIn(why, err.decode())

    def test_truncation_closes_every_descriptor_that_arrived(self):
        rx, ep = self.receiver("--keep-open", "--count", "1", "--max-fds", "2")
        with py_connect(self.path()) as s:
            self.assertEqual(next_event(rx)["event"], "accepted")
            before = open_fds(rx.pid)
            for count in (5, 200):
                socket.send_fds(s, [b"too many"], [0] * count)
                err = json.loads(stderr_line(rx))["error"]
                self.assertEqual(err["exit"], 65)
                # Closed before the error was printed: the table is as it was.
                self.assertEqual(open_fds(rx.pid), before)
            socket.send_fds(s, [b"fine"], [0])
            received = next_event(rx)
            self.assertEqual((received["event"], received["message"]), ("received", "fine"))
        rx.communicate(timeout=20)
        self.assertEqual(rx.returncode, 65, "a --keep-open run that had a bad message exits 65")

    def test_scm_max_fd(self):
        rx, ep = self.receiver()
        p = run("fdpass", "send", ep, *["0"] * 253, input=b"")
        self.assertEqual(p.returncode, 0, p.stderr)
        events = self.events(rx)
        self.assertEqual(len(events[1]["fds"]), 253)
        self.assertFails(run("fdpass", "send", ep, *["0"] * 254), 64, "254 descriptors", "SCM_MAX_FD")
        self.assertFails(run("fdpass", "recv", ep, "--max-fds", "254"), 64, "--max-fds 254", "SCM_MAX_FD")

    # --- control messages nobody asked for ---------------------------------------

    def test_unasked_control_messages_are_listed_and_their_descriptors_closed(self):
        # SO_PASSCRED without --creds brings SCM_CREDENTIALS; SO_PASSPIDFD (76,
        # Linux 6.5) brings SCM_PIDFD, a descriptor of the sender nobody wants.
        with socket.socket(socket.AF_UNIX) as probe:
            try:
                probe.setsockopt(socket.SOL_SOCKET, SO_PASSPIDFD, 1)
                pidfd = ["-O", f"SOL_SOCKET:{SO_PASSPIDFD}=1"]
            except OSError:
                pidfd = []  # kernels before 6.5: SCM_CREDENTIALS alone is tested
        rx, ep = self.receiver("--keep-open", "--count", "2", "-O", "SO_PASSCRED=1", *pidfd)
        with py_connect(self.path()) as s:
            self.assertEqual(next_event(rx)["event"], "accepted")
            before = open_fds(rx.pid)
            socket.send_fds(s, [b"one"], [0])
            received = next_event(rx)
            self.assertEqual(open_fds(rx.pid), before, "the pidfd and the passed fd are closed")
            socket.send_fds(s, [b"two"], [0])
        self.events(rx)
        ignored = [(i["level"], i["type"]) for i in received["ignored"]]
        self.assertIn((socket.SOL_SOCKET, socket.SCM_CREDENTIALS), ignored)
        if pidfd:
            self.assertIn((socket.SOL_SOCKET, SCM_PIDFD), ignored)
        self.assertNotIn("creds", received)
        self.assertEqual(len(received["fds"]), 1)

    def test_sockopts_come_before_the_descriptors_and_reach_the_socket(self):
        rx, ep = self.receiver("-O", "SO_PASSCRED=1")
        p = run("--json", "fdpass", "send", ep, "-O", "SO_SNDBUF=65536", "-O", "SO_PASSCRED=1", "0", "1", input=b"")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(len(json.loads(p.stdout.decode().splitlines()[1])["fds"]), 2)
        self.assertEqual([i["type"] for i in self.events(rx)[1]["ignored"]], [socket.SCM_CREDENTIALS])
        self.assertFails(run("fdpass", "send", ep, "-O", "SO_NOSUCH=1", "0"), 64, "SO_NOSUCH")
        self.assertFails(run("fdpass", "recv", "unix:" + self.path("o.sock"), "-O", "SO_RCVBUF=x"), 64, "SO_RCVBUF")
        self.assertFalse(os.path.exists(self.path("o.sock")))

    # --- credentials -----------------------------------------------------------

    def test_credentials_between_sockctls(self):
        rx, ep = self.receiver("--creds")
        tx = subprocess.Popen([BINARY, "--json", "fdpass", "send", ep, "--creds", "0"],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = tx.communicate(timeout=20)
        self.assertEqual(tx.returncode, 0, err)
        sent = json.loads(out.decode().splitlines()[1])
        self.assertEqual(sent["creds"], {"pid": tx.pid, "uid": os.getuid(), "gid": os.getgid()})
        received = self.events(rx)[1]
        self.assertEqual(received["creds"], {"pid": tx.pid, "uid": os.getuid(), "gid": os.getgid()})

    def test_credentials_from_and_to_python(self):
        rx, ep = self.receiver("--creds")
        ucred = struct.pack("3i", os.getpid(), os.getuid(), os.getgid())
        with py_connect(self.path()) as s:
            s.sendmsg([b"c"], [(socket.SOL_SOCKET, socket.SCM_CREDENTIALS, ucred)])
        received = self.events(rx)[1]
        self.assertEqual(received["creds"]["pid"], os.getpid())
        self.assertEqual(received["fds"], [])

        with socket.socket(socket.AF_UNIX) as server:
            server.bind(self.path("py.sock"))
            server.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
            server.listen()
            tx = subprocess.Popen([BINARY, "fdpass", "send", "unix:" + self.path("py.sock"), "--creds"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            conn, _ = server.accept()
            with conn:
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
                conn.settimeout(10)
                msg, anc, _, _ = conn.recvmsg(10, socket.CMSG_SPACE(12))
            tx.communicate(timeout=20)
        self.assertEqual(tx.returncode, 0)
        creds = [struct.unpack("3i", d) for lvl, typ, d in anc if typ == socket.SCM_CREDENTIALS]
        self.assertEqual(creds, [(tx.pid, os.getuid(), os.getgid())])

    # --- bad input ---------------------------------------------------------------

    def test_bad_input_send(self):
        rx, ep = self.receiver()
        not_socket = self.path("plain")
        open(not_socket, "w").close()
        cases = [
            (("77",), 64, "descriptor '77'", "not an open descriptor"),
            (("three",), 64, "descriptor 'three'", "not a descriptor number"),
            (("--file", self.path("missing")), 66, self.path("missing")),
            (("--open", ":w"), 64, "':w'"),
            ((), 64, "nothing to send"),
            (("0", "--message", ""), 64, "--message ''"),
        ]
        for args, code, *fragments in cases:
            with self.subTest(args=args):
                self.assertFails(run("fdpass", "send", ep, *args), code, *fragments)
        self.assertFails(run("fdpass", "send", "unix:" + not_socket, "0"), 64, not_socket,
                         "exists and is not a socket")
        self.assertFails(run("fdpass", "send", "unix:" + self.path("absent.sock"), "0"), 66, "absent.sock")
        self.assertFails(run("fdpass", "send", "tcp:127.0.0.1:9", "0"), 64, "tcp:127.0.0.1:9",
                         "descriptors pass only over unix")
        self.assertFails(run("fdpass", "send", "tpc:127.0.0.1:9", "0"), 64, "tpc")

    def test_bad_input_recv(self):
        not_socket = self.path("plain")
        open(not_socket, "w").close()
        ep = "unix:" + self.path()
        cases = [
            (("udp:127.0.0.1:9",), 64, "descriptors pass only over unix"),
            (("unix:" + not_socket,), 64, "exists and is not a socket"),
            ((ep, "--max-fds", "300"), 64, "SCM_MAX_FD"),
            ((ep, "--as", "3"), 64, "--as", "needs --exec"),
            ((ep, "--systemd"), 64, "--systemd", "needs --exec"),
            ((ep, "--fdname", "a", "--exec", "true"), 64, "--fdname", "needs --systemd"),
            ((ep, "--systemd", "--fdname", "a:b", "--exec", "true"), 64, "'a:b'"),
            ((ep, "--systemd", "--as", "5", "--exec", "true"), 64, "--as 5"),
            ((ep, "--exec", "sockctl-no-such-command"), 69, "sockctl-no-such-command", "not found in PATH"),
            ((ep, "--exec"), 64, "--exec", "needs a command"),
            ((ep, "cat"), 64, "cat"),
            ((ep, "--count", "0"), 64, "--count 0"),
        ]
        for args, code, *fragments in cases:
            with self.subTest(args=args):
                self.assertFails(run("fdpass", "recv", *args), code, *fragments)
        self.assertFalse(os.path.exists(self.path()), "a failed start leaves no socket file")

    def test_recv_timeout_exits_75_and_removes_its_socket_file(self):
        p = run("fdpass", "recv", "unix:" + self.path(), "--timeout", "0.2")
        self.assertEqual(p.returncode, 75)
        self.assertIn(b"timed out", p.stderr)
        self.assertFalse(os.path.exists(self.path()))

    def test_stale_socket_file_is_replaced(self):
        stale = socket.socket(socket.AF_UNIX)
        stale.bind(self.path())
        stale.close()  # the file stays, nobody answers
        rx, ep = self.receiver()
        self.assertEqual(run("fdpass", "send", ep, "--file", "/dev/null").returncode, 0)
        self.events(rx)
        self.assertEqual(rx.returncode, 0)


if __name__ == "__main__":
    unittest.main()
