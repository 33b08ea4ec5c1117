"""peers.py: helpers for the listen/connect tests: sockctl servers that
report their endpoint, plain python3 socket peers, and counting a process's
open descriptors. Everything started here is stopped by pid."""
import json
import os
import re
import socket
import subprocess
import threading

from sockctl import BINARY, next_event, start, stop


class Server:
    """`sockctl --json listen ARGS...`; .endpoint and .port come from its listening event."""

    def __init__(self, *args, stdin=subprocess.DEVNULL, json_mode=True, env=None, **popen_kw):
        pre = ["--json"] if json_mode else ["-v"]
        # Unbuffered: wait() and events() end with communicate(), which reads
        # the descriptor itself and would miss what a buffered reader held.
        self.proc = start(*pre, "listen", *args, stdin=stdin, env=env, bufsize=0, **popen_kw)
        if json_mode:
            ev = next_event(self.proc)
            assert ev["event"] == "listening", ev
            self.local = ev["local"]
            self.endpoint = self.local["endpoint"]
            self.port = self.local.get("port")
        else:
            line = self.proc.stderr.readline().decode()
            m = re.search(r"listening on (\S+)", line)
            assert m, line
            self.endpoint = m.group(1)
            self.port = int(self.endpoint.rsplit(":", 1)[1]) if self.endpoint.startswith(("tcp", "udp")) else None
            self.local = None

    def _communicate(self, timeout):
        # communicate() flushes a stdin the test has already closed.
        if self.proc.stdin and self.proc.stdin.closed:
            self.proc.stdin = None
        return self.proc.communicate(timeout=timeout)

    def events(self, timeout=10):
        """Every remaining event until the server exits (it must exit by itself)."""
        out, err = self._communicate(timeout)
        self.stderr = err.decode()
        return [json.loads(l) for l in out.decode().splitlines()]

    def event(self, timeout=10):
        return next_event(self.proc, timeout)

    def wait(self, timeout=10):
        """Exit code, stdout bytes, stderr text once the server exits by itself."""
        out, err = self._communicate(timeout)
        return self.proc.returncode, out, err.decode()

    def stop(self):
        stop(self.proc)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def connect(*args, input=b"", timeout=20, stdout=subprocess.PIPE, **kw):
    """Runs `sockctl connect ARGS` to completion."""
    return subprocess.run([BINARY, "connect", *args], input=input, stdout=stdout,
                          stderr=subprocess.PIPE, timeout=timeout, **kw)


def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def tcp_server(handler, family=socket.AF_INET, host="127.0.0.1"):
    """A python3 TCP server on a free port running handler(conn) once in a thread.
    Returns (port, thread); the thread ends after the handler."""
    srv = socket.socket(family, socket.SOCK_STREAM)
    srv.bind((host, 0))
    srv.listen(8)
    port = srv.getsockname()[1]

    def run():
        with srv:
            srv.settimeout(20)
            conn, _ = srv.accept()
            with conn:
                conn.settimeout(20)
                handler(conn)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return port, t


def recv_all(conn):
    chunks = []
    while True:
        b = conn.recv(65536)
        if not b:
            return b"".join(chunks)
        chunks.append(b)


def free_port(kind=socket.SOCK_STREAM):
    """A port nobody listens on right now (for tools that cannot report theirs)."""
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
