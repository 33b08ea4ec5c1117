"""test_cli.py: the global contract: --version, --help, usage errors, JSON errors."""
import json
import unittest

from sockctl import Case, run


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


if __name__ == "__main__":
    unittest.main()
