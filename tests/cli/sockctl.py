"""sockctl.py: helpers for integration tests that run the real binary.

run() runs sockctl to completion with a timeout; start() starts a server and
events() reads its JSON Lines. Servers bind port 0 and report the real port in
their "listening" event, so tests never guess ports and never sleep.
"""
import json
import os
import select
import subprocess
import time
import unittest

BINARY = os.environ.get("SOCKCTL") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "sockctl")


def run(*args, input=b"", timeout=20, env=None, **kw):
    """Runs sockctl ARGS and returns the CompletedProcess (stdout/stderr bytes)."""
    if isinstance(input, str):
        input = input.encode()
    return subprocess.run([BINARY, *args], input=input, capture_output=True,
                          timeout=timeout, env=env, **kw)


def run_json(*args, **kw):
    """Runs sockctl --json ARGS, asserts exit 0, returns the parsed document."""
    p = run("--json", *args, **kw)
    if p.returncode != 0:
        raise AssertionError(f"sockctl {' '.join(args)} exited {p.returncode}: {p.stderr.decode()}")
    return json.loads(p.stdout)


def start(*args, stdin=subprocess.PIPE, **kw):
    """Starts sockctl ARGS in the background with pipes; the caller stops it."""
    return subprocess.Popen([BINARY, *args], stdin=stdin, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **kw)


def _held(stream):
    """The bytes a buffered reader has already taken from the pipe (b"" if
    none, or for an unbuffered stream), without waiting for more."""
    if not hasattr(stream, "peek"):
        return b""
    os.set_blocking(stream.fileno(), False)
    try:
        return stream.peek()
    finally:
        os.set_blocking(stream.fileno(), True)


def next_event(proc, timeout=10):
    """Reads one JSON Lines event from a started sockctl's stdout within
    `timeout` seconds. select() on the descriptor knows nothing of lines a
    buffered reader has already read ahead, so those are taken first, and
    what follows the event stays for the next read. With an unbuffered stdout
    (start(..., bufsize=0)) it is read a byte at a time, so nothing follows the
    event out of the pipe: use that when communicate(), which reads the
    descriptor itself, comes after."""
    stream = proc.stdout
    deadline = time.monotonic() + timeout
    line = b""
    while not line.endswith(b"\n"):
        held = _held(stream)
        if held:
            end = held.find(b"\n")
            line += stream.read(len(held) if end < 0 else end + 1)
            continue
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([stream], [], [], left)[0]:
            raise AssertionError(f"no event from sockctl within {timeout}s" + (f", only {line!r}" if line else ""))
        # Readable now, so neither read blocks; b"" is the end of the file.
        more = stream.peek() if hasattr(stream, "peek") else stream.read(1)
        if not more:
            raise AssertionError(f"sockctl closed stdout after {line!r}: " +
                                 (proc.stderr.read().decode() if proc.stderr else ""))
        if not hasattr(stream, "peek"):
            line += more
    return json.loads(line)


def stop(proc, timeout=5):
    """Ends a process this test started, by its pid, and reaps it."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for f in (proc.stdin, proc.stdout, proc.stderr):
        if f:
            f.close()


class Case(unittest.TestCase):
    """A TestCase with assertions for sockctl's error contract."""

    def assertFails(self, p, code, *fragments):
        """Exit code is `code`, stdout is empty, stderr is one line naming every fragment."""
        err = p.stderr.decode()
        self.assertEqual(p.returncode, code, f"stderr: {err!r} stdout: {p.stdout[:200]!r}")
        self.assertEqual(p.stdout, b"", "nothing may reach stdout on failure")
        self.assertEqual(err.count("\n"), 1, f"one line expected: {err!r}")
        self.assertTrue(err.startswith("sockctl: ") or err.startswith('{"error"'), err)
        for f in fragments:
            self.assertIn(f, err)
