"""test_cli.py: the global contract: --version, --help, usage errors, JSON errors,
and no start-up work a command does not use (libraries loaded on demand)."""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

from sockctl import BINARY, Case, next_event, run, stop


class GlobalTest(Case):
    def test_version_human_and_json(self):
        p = run("--version")
        self.assertEqual(p.returncode, 0)
        self.assertRegex(p.stdout.decode(), r"^sockctl \d+\.\d+\.\d+\n$")
        p = run("--json", "--version")
        self.assertEqual(json.loads(p.stdout)["version"], p.stdout.decode().split('"')[3])

    def test_help_exits_0_and_lists_commands(self):
        p = run("--help")
        self.assertEqual(p.returncode, 0)
        self.assertIn(b"inet", p.stdout)

    def test_help_and_dump_cli_show_every_command_wherever_they_stand(self):
        # Only the named command's parser is built at start-up; the whole
        # tree must still appear wherever it is the answer.
        every = {c["name"] for c in json.loads(run("--dump-cli").stdout)["subcommands"]}
        self.assertIn("inet", every)
        for args in [("inet", "--dump-cli"), ("--json", "--dump-cli", "inet")]:
            with self.subTest(args=args):
                dump = json.loads(run(*args).stdout)
                self.assertEqual({c["name"] for c in dump["subcommands"]}, every)
        for args in [("-h",), ("--json", "--help")]:
            with self.subTest(args=args):
                p = run(*args)
                self.assertEqual(p.returncode, 0)
                for name in every:
                    self.assertIn(f"  {name} ".encode(), p.stdout)
        p = run("inet", "--help")
        self.assertEqual(p.returncode, 0)
        self.assertIn(b"pton", p.stdout)

    def test_inet_verbs_answer_the_same_when_only_the_named_one_is_built(self):
        # inet builds only the parser of the verb named; every other form of
        # the command line must still see the verbs it did.
        self.assertFails(run("inet", "frobnicate"), 64, "'frobnicate'")
        self.assertFails(run("inet"), 64, "VERB")
        help_text = run("inet", "const", "--help")
        self.assertEqual(help_text.returncode, 0)
        self.assertIn(b"--list", help_text.stdout)
        for args in [("inet", "--help"), ("--help", "inet")]:
            with self.subTest(args=args):
                p = run(*args)
                self.assertEqual(p.returncode, 0)
                for verb in [b"aton", b"const", b"parse", b"schemes", b"hci"]:
                    self.assertIn(verb, p.stdout)
        self.assertEqual(json.loads(run("inet", "--json", "-v", "const", "SO_REUSEADDR").stdout)["name"], "SO_REUSEADDR")
        self.assertFails(run("inet", "const", "--no-resolve", "x"), 64, "--no-resolve")

    def test_unknown_command_is_usage_error(self):
        self.assertFails(run("frobnicate"), 64, "frobnicate")

    def test_unknown_flag_is_usage_error_as_json(self):
        p = run("--json", "inet", "--no-such-flag")
        self.assertEqual(p.returncode, 64)
        self.assertEqual(p.stdout, b"")
        err = json.loads(p.stderr)["error"]
        self.assertEqual(err["exit"], 64)
        self.assertIn("--no-such-flag", err["message"])

    def test_no_command_is_usage_error(self):
        p = run()
        self.assertEqual(p.returncode, 64)
        self.assertEqual(p.stdout, b"")


class LoadOnDemandTest(Case):
    # What the dynamic loader maps before main() for every command: the C
    # library and the loader. Anything more costs every start (bench/startup.sh);
    # libpcap and its dozen dependencies are loaded by the commands that use it.
    AT_START = {"linux-vdso.so.1", "libc.so.6", "libm.so.6", "ld-linux-x86-64.so.2"}

    def test_one_shot_commands_map_only_the_c_library(self):
        env = dict(os.environ, LD_TRACE_LOADED_OBJECTS="1")
        p = subprocess.run([BINARY, "--version"], env=env, capture_output=True, timeout=10)
        self.assertEqual(p.returncode, 0, p.stderr)
        mapped = {os.path.basename(line.split()[0]) for line in p.stdout.decode().splitlines() if line.strip()}
        self.assertLessEqual(mapped, self.AT_START, "new start-up dependency: load it where it is used")

    def test_sniff_reads_a_capture_file_through_libpcap(self):
        with tempfile.NamedTemporaryFile(suffix=".pcap") as f:
            # A pcap file with no records: magic, version 2.4, snaplen, DLT_EN10MB.
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
            f.flush()
            p = run("--json", "sniff", "-r", f.name)
            self.assertEqual(p.returncode, 0, p.stderr)

    @unittest.skipUnless(os.geteuid() == 0 and shutil.which("unshare"),
                         "hiding libpcap needs root for unshare -m and a bind mount")
    def test_sniff_without_libpcap_exits_69_naming_it(self):
        # The library is hidden inside a private mount namespace only.
        library = subprocess.run(["sh", "-c", "ldconfig -p | awk '$1 == \"libpcap.so.0.8\" {print $NF; exit}'"],
                                 capture_output=True, text=True, timeout=10).stdout.strip()
        self.assertTrue(library, "ldconfig knows no libpcap.so.0.8")
        script = 'mount --bind /dev/null "$1" && shift && exec "$@"'
        for args in [("sniff", "-r", "/dev/null"), ("--json", "sniff", "-r", "/dev/null")]:
            with self.subTest(args=args):
                p = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh",
                                    os.path.realpath(library), BINARY, *args], capture_output=True, timeout=20)
                self.assertFails(p, 69, "libpcap.so.0.8")
        self.assertEqual(run("--version").returncode, 0)


class NextEventTest(unittest.TestCase):
    """The helper every streaming test reads events with (tests/cli/sockctl.py)."""

    def writer(self, text, bufsize=-1):
        # Writes TEXT at once, then waits for stdin to close: no exit, no more output.
        code = "import sys; sys.stdout.write(sys.argv[1]); sys.stdout.flush(); sys.stdin.read()"
        proc = subprocess.Popen([sys.executable, "-c", code, text], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=bufsize)
        self.addCleanup(stop, proc)
        return proc

    def test_lines_written_together_are_each_an_event(self):
        # The first read takes both lines from the pipe; select() on the
        # descriptor then sees nothing, yet the second event is there.
        for bufsize in [-1, 0]:
            with self.subTest(bufsize=bufsize):
                proc = self.writer('{"n": 1}\n{"n": 2}\n{"n": 3}\n', bufsize)
                self.assertEqual([next_event(proc, timeout=5)["n"] for _ in range(3)], [1, 2, 3])

    def test_what_follows_an_event_stays_for_readline(self):
        for bufsize in [-1, 0]:
            with self.subTest(bufsize=bufsize):
                proc = self.writer('{"n": 1}\nplain text\n', bufsize)
                self.assertEqual(next_event(proc, timeout=5), {"n": 1})
                self.assertEqual(proc.stdout.readline(), b"plain text\n")

    def test_a_partial_line_times_out_and_says_so(self):
        for bufsize in [-1, 0]:
            with self.subTest(bufsize=bufsize):
                proc = self.writer('{"n": 1}\n{"n"', bufsize)
                self.assertEqual(next_event(proc, timeout=5), {"n": 1})
                with self.assertRaisesRegex(AssertionError, "within 0.3s.*'{\"n\"'"):
                    next_event(proc, timeout=0.3)

    def test_end_of_output_is_reported_with_stderr(self):
        proc = subprocess.Popen([sys.executable, "-c", "import sys; sys.stderr.write('gone')"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(stop, proc)
        with self.assertRaisesRegex(AssertionError, "closed stdout.*gone"):
            next_event(proc, timeout=5)


if __name__ == "__main__":
    unittest.main()
