"""test_relay.py: listen and connect with socat, ncat and OpenBSD nc as the
other end, in both directions, over TCP, UDP and every kind of UNIX socket;
1 GiB of random bytes end to end, checked with sha256 (plain, through --exec
cat, and with tiny socket buffers); and output errors that are never success.
Tool servers cannot report a port, so sockctl reaches them with --wait, never
after a sleep."""
import base64
import fcntl
import hashlib
import os
import select
import shutil
import socket
import subprocess
import tempfile
import threading
import unittest

from peers import Server, connect, free_port, recv_all
from sockctl import BINARY, Case, stop

GIB = 1 << 30
IPPROTO_MPTCP, SOL_MPTCP, MPTCP_INFO = 262, 284, 1
RAW_PROTO = 253  # "for experimentation" (RFC 3692): nothing else on the host speaks it


def echo_once(port, data):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
        c.sendall(data)
        c.shutdown(socket.SHUT_WR)
        return recv_all(c)


def need(test, tool):
    if not shutil.which(tool):
        test.skipTest(f"{tool} is not installed")


class ToolClientTest(Case):
    """sockctl listen, a tool connects: the tool's line reaches sockctl's stdout
    and sockctl's stdin reaches the tool."""

    def exchange(self, endpoint, client_argv_for):
        srv = Server(endpoint, stdin=subprocess.PIPE, json_mode=False)
        try:
            srv.proc.stdin.write(b"from sockctl\n")
            srv.proc.stdin.close()
            tool = subprocess.run(client_argv_for(srv.endpoint), input=b"from the tool\n", capture_output=True,
                                  timeout=10)
            code, out, err = srv.wait()
        finally:
            srv.stop()
        self.assertEqual(code, 0, err)
        self.assertEqual(out, b"from the tool\n")
        self.assertEqual(tool.stdout, b"from sockctl\n", tool.stderr)

    def test_socat_connects_over_tcp_unix_and_abstract(self):
        need(self, "socat")
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        cases = {
            "tcp:127.0.0.1:0": lambda ep: ["socat", "-", "TCP:127.0.0.1:" + ep.rsplit(":", 1)[1]],
            "tcp:[::1]:0": lambda ep: ["socat", "-", "TCP6:[::1]:" + ep.rsplit(":", 1)[1]],
            f"unix:{d}/s": lambda ep: ["socat", "-", "UNIX-CONNECT:" + ep[5:]],
            "unix:@sockctl-relay-test": lambda ep: ["socat", "-", "ABSTRACT-CONNECT:sockctl-relay-test"],
            f"unix-seqpacket:{d}/q": lambda ep: ["socat", "-", "UNIX-CONNECT:" + ep[15:] + ",type=5"],
        }
        for endpoint, argv in cases.items():
            with self.subTest(endpoint=endpoint):
                self.exchange(endpoint, argv)

    def test_ncat_connects_over_tcp_and_unix(self):
        need(self, "ncat")
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        cases = {
            "tcp:127.0.0.1:0": lambda ep: ["ncat", "127.0.0.1", ep.rsplit(":", 1)[1]],
            f"unix:{d}/s": lambda ep: ["ncat", "-U", ep[5:]],
        }
        for endpoint, argv in cases.items():
            with self.subTest(endpoint=endpoint):
                self.exchange(endpoint, argv)

    def test_nc_connects_over_tcp_and_unix(self):
        need(self, "nc.openbsd")
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        cases = {
            "tcp:127.0.0.1:0": lambda ep: ["nc.openbsd", "-N", "127.0.0.1", ep.rsplit(":", 1)[1]],
            f"unix:{d}/s": lambda ep: ["nc.openbsd", "-N", "-U", ep[5:]],
        }
        for endpoint, argv in cases.items():
            with self.subTest(endpoint=endpoint):
                self.exchange(endpoint, argv)

    def test_socat_sends_datagrams_to_a_udp_and_unix_dgram_listener(self):
        need(self, "socat")
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        cases = {
            "udp:127.0.0.1:0": lambda ep: ["socat", "-u", "-", "UDP-SENDTO:127.0.0.1:" + ep.rsplit(":", 1)[1]],
            f"unix-dgram:{d}/g": lambda ep: ["socat", "-u", "-", "UNIX-SENDTO:" + ep[11:]],
        }
        for endpoint, argv in cases.items():
            with self.subTest(endpoint=endpoint):
                srv = Server("--once", endpoint)
                try:
                    subprocess.run(argv(srv.endpoint), input=b"one datagram", check=True, timeout=10)
                    ev = srv.event()
                    self.assertEqual((ev["event"], ev["text"]), ("datagram", "one datagram"))
                    code, _, err = srv.wait()
                    self.assertEqual(code, 0, err)
                finally:
                    srv.stop()


class ToolServerTest(Case):
    """A tool listens, sockctl connects (waiting until it accepts)."""

    def exchange(self, server_argv, endpoint, expect_reply=True):
        tool = subprocess.Popen(server_argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            tool.stdin.write(b"from the tool\n")
            tool.stdin.close()
            p = connect("--wait", "10", endpoint, input=b"from sockctl\n")
            out = tool.stdout.read()
            tool.wait(10)
        finally:
            if tool.poll() is None:
                tool.kill()
                tool.wait()
            tool.stdout.close()
            tool.stderr.close()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(out, b"from sockctl\n")
        if expect_reply:
            self.assertEqual(p.stdout, b"from the tool\n")

    def test_socat_listens_on_tcp_and_unix(self):
        need(self, "socat")
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        port = free_port()
        self.exchange(["socat", f"TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr", "-"], f"tcp:127.0.0.1:{port}")
        self.exchange(["socat", f"UNIX-LISTEN:{d}/s", "-"], f"unix:{d}/s")
        self.exchange(["socat", "ABSTRACT-LISTEN:sockctl-relay-srv", "-"], "unix:@sockctl-relay-srv")

    def test_ncat_listens_on_tcp_and_unix(self):
        need(self, "ncat")
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        port = free_port()
        self.exchange(["ncat", "-l", "127.0.0.1", str(port)], f"tcp:127.0.0.1:{port}")
        self.exchange(["ncat", "-l", "-U", f"{d}/s"], f"unix:{d}/s")

    def test_nc_listens_on_tcp(self):
        need(self, "nc.openbsd")
        port = free_port()
        self.exchange(["nc.openbsd", "-N", "-l", "127.0.0.1", str(port)], f"tcp:127.0.0.1:{port}")

    def ready_tool(self, argv, marker, **kw):
        """Starts a tool whose stderr says when it is bound (socat -d -d, nc -v)."""
        tool = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
        self.addCleanup(stop, tool)
        seen = b""
        # os.read, not readline: readline buffers lines it has not returned
        # yet (socat writes two at once), and select cannot see them.
        while marker not in seen:
            r, _, _ = select.select([tool.stderr], [], [], 10)
            chunk = os.read(tool.stderr.fileno(), 4096) if r else b""
            if not chunk:
                self.fail(f"{argv[0]} never said {marker!r}: {seen!r}")
            seen += chunk
        return tool

    def test_datagram_tools_hear_connect(self):
        need(self, "socat")
        need(self, "nc.openbsd")
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        port = free_port(socket.SOCK_DGRAM)
        # socat answers over UDP: the reply reaches connect's stdout.
        self.ready_tool(["socat", "-d", "-d", f"UDP-LISTEN:{port},bind=127.0.0.1", "PIPE"], b"listening on")
        p = connect(f"udp:127.0.0.1:{port}", input=b"ping")
        self.assertEqual((p.returncode, p.stdout), (0, b"ping"), p.stderr)
        # One way: an unbound unix-dgram sender cannot be answered.
        tool = self.ready_tool(["socat", "-d", "-d", "-u", f"UNIX-RECV:{d}/g", "STDOUT"],
                              b"starting data transfer loop")
        p = connect(f"unix-dgram:{d}/g", input=b"to socat")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(tool.stdout.read(8), b"to socat")
        # Bound with --source, it can.
        self.ready_tool(["socat", "-d", "-d", f"UNIX-RECVFROM:{d}/r", "PIPE"], b"receiving on")
        p = connect("--source", "unix-dgram:@sockctl-relay-cli", f"unix-dgram:{d}/r", input=b"answer me")
        self.assertEqual((p.returncode, p.stdout), (0, b"answer me"), p.stderr)
        port = free_port(socket.SOCK_DGRAM)
        tool = self.ready_tool(["nc.openbsd", "-v", "-u", "-l", "127.0.0.1", str(port)], b"Bound on")
        p = connect(f"udp:127.0.0.1:{port}", input=b"to nc")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(tool.stdout.read(5), b"to nc")

    def test_socat_seqpacket_server_echoes_through_connect(self):
        need(self, "socat")
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        tool = subprocess.Popen(["socat", f"UNIX-LISTEN:{d}/q,type=5", "PIPE"], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.addCleanup(stop, tool)
        p = connect("--wait", "10", f"unix-seqpacket:{d}/q", input=b"one record")
        self.assertEqual((p.returncode, p.stdout), (0, b"one record"), p.stderr)

    def test_python_unix_servers_answer_through_connect(self):
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        cases = [(socket.SOCK_STREAM, f"{d}/s", f"unix:{d}/s"),
                 (socket.SOCK_STREAM, "\0sockctl-relay-py", "unix:@sockctl-relay-py"),
                 (socket.SOCK_SEQPACKET, f"{d}/q", f"unix-seqpacket:{d}/q")]
        for kind, address, endpoint in cases:
            with self.subTest(endpoint=endpoint), socket.socket(socket.AF_UNIX, kind) as srv:
                srv.bind(address)
                srv.listen()
                srv.settimeout(10)
                p = subprocess.Popen([BINARY, "connect", endpoint], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
                conn, _ = srv.accept()
                with conn:
                    conn.settimeout(10)
                    p.stdin.write(b"question")
                    p.stdin.close()
                    self.assertEqual(recv_all(conn), b"question")
                    conn.sendall(b"answer")
                p.stdin = None
                out, err = p.communicate(timeout=10)
                self.assertEqual((p.returncode, out), (0, b"answer"), err)
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as srv:
            srv.bind(f"{d}/g")
            srv.settimeout(10)
            p = connect(f"unix-dgram:{d}/g", input=b"one datagram")
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(srv.recv(100), b"one datagram")

    def test_python_udp_server_answers_through_connect(self):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", 0))
            s.settimeout(10)
            port = s.getsockname()[1]
            p = subprocess.Popen([BINARY, "connect", f"udp:127.0.0.1:{port}"], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            p.stdin.write(b"question")
            p.stdin.close()
            data, peer = s.recvfrom(100)
            s.sendto(b"answer", peer)
            p.stdin = None
            out, err = p.communicate(timeout=10)
            p.stdout.close()
            p.stderr.close()
        self.assertEqual(data, b"question")
        self.assertEqual((p.returncode, out), (0, b"answer"), err)


class HashingPipe:
    """A pipe whose read end a thread hashes as it fills: the relayed bytes
    are never stored. .fd is the write end for the process under test."""

    def __init__(self):
        r, self.fd = os.pipe()
        fcntl.fcntl(self.fd, fcntl.F_SETPIPE_SZ, 1 << 20)
        self.size, self.sha = 0, hashlib.sha256()
        self.thread = threading.Thread(target=self._run, args=(r,), daemon=True)
        self.thread.start()

    def _run(self, r):
        buf = bytearray(1 << 20)
        with open(r, "rb", buffering=0) as f:
            while n := f.readinto(buf):
                self.sha.update(memoryview(buf)[:n])
                self.size += n

    def close_writer(self):
        os.close(self.fd)

    def result(self, timeout=60):
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the relay never closed its output"
        return self.size, self.sha.hexdigest()


class IntegrityTest(Case):
    """1 GiB of random bytes from connect to listen, sha256 equal at both ends.
    The bytes are made once (AES-CTR keystream from openssl: /dev/urandom is
    several times slower) on tmpfs and hashed with OpenSSL's sha256 (hashlib;
    4x coreutils' sha256sum here). Each test relays them from a file on
    connect's stdin (sendfile), or through a pipe (splice), and hashes what
    comes out as it comes out."""

    @classmethod
    def setUpClass(cls):
        # tmpfs when it has room (a container's /dev/shm may hold only 64 MiB).
        shm = "/dev/shm"
        roomy = os.path.isdir(shm) and os.statvfs(shm).f_bavail * os.statvfs(shm).f_frsize > 2 * GIB
        cls.dir = tempfile.mkdtemp(dir=shm if roomy else None)
        cls.src = os.path.join(cls.dir, "src")
        with open(cls.src, "wb") as f:
            if shutil.which("openssl"):
                key = os.urandom(16).hex()
                subprocess.run(f'openssl enc -aes-128-ctr -K {key} -iv 0 -in /dev/zero 2>/dev/null | head -c {GIB}',
                               shell=True, stdout=f, check=True, timeout=120)
            else:
                subprocess.run(["head", "-c", str(GIB), "/dev/urandom"], stdout=f, check=True, timeout=120)
        h = hashlib.sha256()
        with open(cls.src, "rb") as f:
            while chunk := f.read(8 << 20):
                h.update(chunk)
        cls.src_sha = h.hexdigest()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def pipeline(self, listen_args, connect_args, echoed=False, through_pipe=False, endpoint="tcp:127.0.0.1:0"):
        """With echoed, the bytes come back to connect's stdout (listen -e cat) and are hashed there.
        With through_pipe, connect's stdin is a pipe (splice) instead of the file (sendfile)."""
        out = HashingPipe()
        srv = subprocess.Popen([BINARY, "-v", "listen", *listen_args, endpoint], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL if echoed else out.fd, stderr=subprocess.PIPE)
        try:
            endpoint = srv.stderr.readline().decode().split("listening on ")[1].strip()
            argv = [BINARY, "connect", *connect_args, endpoint]
            stdout = out.fd if echoed else subprocess.DEVNULL
            with open(self.src, "rb") as src:
                if through_pipe:
                    cat = subprocess.Popen(["cat"], stdin=src, stdout=subprocess.PIPE)
                    p = subprocess.Popen(argv, stdin=cat.stdout, stdout=stdout, stderr=subprocess.PIPE)
                    cat.stdout.close()
                else:
                    cat = None
                    p = subprocess.Popen(argv, stdin=src, stdout=stdout, stderr=subprocess.PIPE)
            out.close_writer()
            _, err = p.communicate(timeout=120)
            self.assertEqual(p.returncode, 0, err)
            self.assertEqual(srv.wait(60), 0, srv.stderr.read())
            if cat:
                self.assertEqual(cat.wait(10), 0)
        finally:
            for proc in (srv, p) if "p" in locals() else (srv,):
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            srv.stderr.close()
        self.assertEqual(out.result(), (GIB, self.src_sha))

    def test_one_gib_arrives_intact(self):
        self.pipeline([], [])

    def test_one_gib_arrives_intact_over_unix(self):
        self.pipeline([], [], endpoint=f"unix:{self.dir}/s")

    def test_one_gib_arrives_intact_through_exec_cat(self):
        self.pipeline(["-e", "cat"], [], echoed=True)

    def test_one_gib_arrives_intact_with_tiny_socket_buffers(self):
        self.pipeline(["-O", "SO_RCVBUF=4096"], ["-O", "SO_SNDBUF=4096"], through_pipe=True)


class FamilyTest(Case):
    """The families beyond TCP, UDP and UNIX that this kernel has: inherited
    descriptors (fd:N), MPTCP and raw IP."""

    def test_fd_endpoint_connect_relays_an_inherited_socket(self):
        mine, theirs = socket.socketpair()
        with mine:
            p = subprocess.Popen([BINARY, "connect", f"fd:{theirs.fileno()}"], pass_fds=[theirs.fileno()],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            theirs.close()
            p.stdin.write(b"through fd")
            p.stdin.close()
            mine.settimeout(10)
            self.assertEqual(recv_all(mine), b"through fd")  # EOF passed on by shutdown
            mine.sendall(b"answer")
        p.stdin = None
        out, err = p.communicate(timeout=10)
        self.assertEqual((p.returncode, out), (0, b"answer"), err)

    def test_fd_endpoint_listen_accepts_on_an_inherited_listener(self):
        lsock = socket.socket()
        lsock.bind(("127.0.0.1", 0))
        lsock.listen()
        port = lsock.getsockname()[1]
        with lsock:
            srv = Server("--once", "--echo", f"fd:{lsock.fileno()}", pass_fds=[lsock.fileno()])
        try:
            self.assertEqual(srv.port, port)
            self.assertEqual(echo_once(port, b"inherited"), b"inherited")
            code, _, err = srv.wait()
            self.assertEqual(code, 0, err)
        finally:
            srv.stop()

    def need_mptcp(self):
        try:
            with open("/proc/sys/net/mptcp/enabled") as f:
                if f.read().strip() != "1":
                    self.skipTest("MPTCP is disabled (net.mptcp.enabled=0)")
        except FileNotFoundError:
            self.skipTest("kernel lacks MPTCP: no /proc/sys/net/mptcp")

    def assertMptcp(self, sock):
        # MPTCP_INFO answers only on a connection that did not fall back to TCP.
        try:
            sock.getsockopt(SOL_MPTCP, MPTCP_INFO, 256)
        except OSError as e:
            self.fail(f"not an MPTCP connection: {e}")

    def test_mptcp_connect_and_listen_speak_mptcp(self):
        self.need_mptcp()
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_MPTCP) as lsock:
            lsock.bind(("127.0.0.1", 0))
            lsock.listen()
            lsock.settimeout(10)
            p = subprocess.Popen([BINARY, "connect", f"mptcp:127.0.0.1:{lsock.getsockname()[1]}"],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            conn, _ = lsock.accept()
            with conn:
                self.assertMptcp(conn)
                p.stdin.write(b"multipath")
                p.stdin.close()
                conn.settimeout(10)
                self.assertEqual(recv_all(conn), b"multipath")
                conn.sendall(b"reply")
            p.stdin = None
            out, err = p.communicate(timeout=10)
            self.assertEqual((p.returncode, out), (0, b"reply"), err)
        with Server("--once", "--echo", "mptcp:127.0.0.1:0") as srv:
            self.assertTrue(srv.endpoint.startswith("mptcp:"), srv.endpoint)
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_MPTCP) as c:
                c.settimeout(10)
                c.connect(("127.0.0.1", srv.port))
                self.assertMptcp(c)
                c.sendall(b"echo me")
                c.shutdown(socket.SHUT_WR)
                self.assertEqual(recv_all(c), b"echo me")

    def raw_socket(self):
        try:
            s = socket.socket(socket.AF_INET, socket.SOCK_RAW, RAW_PROTO)
        except PermissionError:
            self.skipTest("raw sockets need CAP_NET_RAW")
        s.settimeout(10)
        return s

    def test_raw_ip_datagrams_reach_listen_and_leave_connect(self):
        with self.raw_socket() as peer:
            srv = Server("--once", f"ip:127.0.0.1:{RAW_PROTO}")
            try:
                peer.sendto(b"raw hello", ("127.0.0.1", 0))
                ev = srv.event()
                # A raw IPv4 socket reads the IP header too (raw(7)).
                self.assertEqual(ev["event"], "datagram")
                data = base64.b64decode(ev["base64"])
                self.assertEqual((data[9], data[20:]), (RAW_PROTO, b"raw hello"))
                self.assertEqual(srv.wait()[0], 0)
            finally:
                srv.stop()
        # A fresh socket: the first one also holds a copy of what it sent.
        with self.raw_socket() as peer:
            p = subprocess.run([BINARY, "connect", f"ip:127.0.0.1:{RAW_PROTO}"], input=b"raw out",
                               capture_output=True, timeout=10)
            self.assertEqual(p.returncode, 0, p.stderr)
            packet = peer.recv(100)
            self.assertEqual((packet[9], packet[20:]), (RAW_PROTO, b"raw out"))


class NarrationTest(Case):
    """-v and --stats write to stderr only; stdout carries the bytes alone."""

    def test_verbose_narrates_each_step_on_stderr(self):
        srv = Server("--once", "--stats", "tcp:127.0.0.1:0", json_mode=False)
        try:
            p = subprocess.run([BINARY, "-v", "connect", srv.endpoint], input=b"narrated", capture_output=True,
                               timeout=10)
            code, out, err = srv.wait()
        finally:
            srv.stop()
        self.assertEqual((p.returncode, p.stdout), (0, b""), p.stderr)
        lines = p.stderr.decode().splitlines()
        self.assertEqual(len(lines), 3, lines)
        self.assertRegex(lines[0], rf"^sockctl: connect: trying {srv.endpoint}$")
        self.assertRegex(lines[1], rf"^sockctl: connect: connected to {srv.endpoint} from tcp:127\.0\.0\.1:\d+$")
        self.assertRegex(lines[2], rf"^sockctl: connect: closed {srv.endpoint}: sent 8 B, received 0 B in .*, eof$")
        self.assertEqual((code, out), (0, b"narrated"), err)
        self.assertRegex(err, r"sockctl: listen: accepted tcp:127\.0\.0\.1:\d+\n")
        self.assertRegex(err, r"sockctl: listen: closed tcp:127\.0\.0\.1:\d+: sent 0 B, received 8 B in .*, eof\n")

    def test_stats_alone_prints_only_the_summary(self):
        with Server("--echo", "tcp:127.0.0.1:0") as srv:
            p = subprocess.run([BINARY, "connect", "--stats", srv.endpoint], input=b"x" * 1000,
                               capture_output=True, timeout=10)
        self.assertEqual((p.returncode, p.stdout), (0, b"x" * 1000), p.stderr)
        self.assertRegex(p.stderr.decode(),
                         rf"^sockctl: connect: closed {srv.endpoint}: sent 1000 B, received 1000 B in .*, eof\n$")


class OutputErrorTest(Case):
    def serve(self, nbytes):
        # From a file: a pipe would block the test until the server reads it.
        f = tempfile.TemporaryFile()
        self.addCleanup(f.close)
        f.write(b"z" * nbytes)
        f.seek(0)
        return Server("tcp:127.0.0.1:0", stdin=f)

    def test_stdout_on_dev_full_exits_74(self):
        srv = self.serve(1 << 20)
        try:
            with open("/dev/full", "wb") as full:
                p = connect(srv.endpoint, stdout=full)
        finally:
            srv.stop()
        self.assertEqual(p.returncode, 74, p.stderr)
        self.assertIn(b"write to stdout", p.stderr)

    def test_stdout_closed_early_by_head_is_not_success(self):
        srv = self.serve(64 << 20)
        try:
            p = subprocess.run(["bash", "-c", '"$0" connect "$1" </dev/null | head -c 10 >/dev/null; '
                                'exit ${PIPESTATUS[0]}', BINARY, srv.endpoint], capture_output=True, timeout=20)
        finally:
            srv.stop()
        self.assertEqual(p.returncode, 74, p.stderr)
        self.assertIn(b"Broken pipe", p.stderr)


if __name__ == "__main__":
    unittest.main()
