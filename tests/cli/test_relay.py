"""test_relay.py: listen and connect with socat, ncat and OpenBSD nc as the
other end, in both directions, over TCP, UDP and every kind of UNIX socket;
1 GiB of random bytes end to end, checked with sha256 (plain, through --exec
cat, and with tiny socket buffers); and output errors that are never success.
Tool servers cannot report a port, so sockctl reaches them with --wait, never
after a sleep."""
import os
import shutil
import socket
import subprocess
import tempfile
import unittest

from peers import Server, connect, free_port
from sockctl import BINARY, Case

GIB = 1 << 30


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


class IntegrityTest(Case):
    """1 GiB of random bytes from connect to listen, sha256 equal at both ends."""

    def pipeline(self, listen_args, connect_args, size=GIB, echoed=False):
        """With echoed, the bytes come back to connect's stdout (listen -e cat) and are hashed there."""
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        out_sum = open(os.path.join(d, "out"), "w+")
        self.addCleanup(out_sum.close)
        sha = subprocess.Popen(["sha256sum"], stdin=subprocess.PIPE, stdout=out_sum)
        srv = subprocess.Popen([BINARY, "-v", "listen", *listen_args, "tcp:127.0.0.1:0"], stdin=subprocess.DEVNULL,
                               stdout=sha.stdin, stderr=subprocess.PIPE)
        sha.stdin.close()
        try:
            endpoint = srv.stderr.readline().decode().split("listening on ")[1].strip()
            script = 'head -c "$2" /dev/urandom | tee >(sha256sum >"$3") | "$0" connect "${@:5}" "$1" >"$4"'
            if echoed:
                script = ('set -o pipefail; head -c "$2" /dev/urandom | tee >(sha256sum >"$3") | '
                          '"$0" connect "${@:5}" "$1" | sha256sum >"$4"')
            p = subprocess.run(["bash", "-c", script, BINARY, endpoint, str(size), os.path.join(d, "in"),
                                os.path.join(d, "back" if echoed else "/dev/null"), *connect_args], capture_output=True, timeout=240)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(srv.wait(60), 0, srv.stderr.read())
            sha.wait(60)
        finally:
            for proc in (srv, sha):
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            srv.stderr.close()
        with open(os.path.join(d, "in")) as a:
            if echoed:
                with open(os.path.join(d, "back")) as b:
                    self.assertEqual(a.read().split()[0], b.read().split()[0])
            else:
                out_sum.seek(0)
                self.assertEqual(a.read().split()[0], out_sum.read().split()[0])

    def test_one_gib_arrives_intact(self):
        self.pipeline([], [])

    def test_one_gib_arrives_intact_through_exec_cat(self):
        self.pipeline(["-e", "cat"], [], echoed=True)

    def test_one_gib_arrives_intact_with_tiny_socket_buffers(self):
        self.pipeline(["-O", "SO_RCVBUF=4096"], ["-O", "SO_SNDBUF=4096"])


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
