"""test_check_sync.py: the docs sync check fails when something is missing.

check_sync.py runs against a copy of man/ and completions/ from which one
option, one subcommand or one global option has been removed; it must exit 1
and name what is missing. The unmodified copy must pass, so the failures come
from the removal and nothing else.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
BINARY = os.environ["SOCKCTL"]
CHECK = os.path.join(ROOT, "tests", "docs", "check_sync.py")


def unescape(roff):
    return re.sub(r"\\f[BIRP]", "", roff).replace("\\-", "-").replace("\\&", "")


def mentions(text, word):
    return re.search(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", text) is not None


class CheckSyncTest(unittest.TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.root = tmp.name
        for d in ("man", "completions"):
            shutil.copytree(os.path.join(ROOT, d), os.path.join(self.root, d))

    def check(self):
        env = dict(os.environ, SOCKCTL_DOCS_ROOT=self.root)
        p = subprocess.run([sys.executable, CHECK, BINARY], env=env, capture_output=True, text=True, timeout=60)
        return p.returncode, p.stdout

    def drop_lines(self, relpath, word):
        """Remove every line of a copied file that mentions WORD."""
        path = os.path.join(self.root, relpath)
        lines = open(path).read().splitlines(keepends=True)
        kept = [l for l in lines if not mentions(unescape(l), word)]
        self.assertLess(len(kept), len(lines), f"{relpath} never mentions {word}")
        open(path, "w").write("".join(kept))

    def test_the_unmodified_copy_passes(self):
        code, out = self.check()
        self.assertEqual(code, 0, out)

    def test_an_option_missing_from_its_man_page_fails(self):
        self.drop_lines("man/sockctl-inet.1", "--no-resolve")
        code, out = self.check()
        self.assertEqual(code, 1, out)
        self.assertIn("sockctl inet parse: option --no-resolve is not in man/sockctl-inet.1", out)

    def test_a_subcommand_missing_from_its_man_page_fails(self):
        self.drop_lines("man/sockctl-inet.1", "cmsg-space")
        code, out = self.check()
        self.assertEqual(code, 1, out)
        self.assertIn("sockctl inet cmsg-space: subcommand 'cmsg-space' is not in man/sockctl-inet.1", out)

    def test_a_global_option_missing_from_sockctl_1_fails(self):
        self.drop_lines("man/sockctl.1", "--quiet")
        code, out = self.check()
        self.assertEqual(code, 1, out)
        self.assertIn("global option --quiet is not in man/sockctl.1", out)

    def test_an_option_missing_from_each_completion_fails(self):
        for f, word in [("sockctl.bash", "--no-resolve"), ("_sockctl", "--no-resolve"),
                        ("sockctl.fish", "no-resolve")]:
            with self.subTest(completion=f):
                self.setUp()
                self.drop_lines(os.path.join("completions", f), word)
                code, out = self.check()
                self.assertEqual(code, 1, out)
                self.assertIn(f"option --no-resolve is not in completions/{f}", out)
                self.assertIn(f"completions/{f} is stale", out)


if __name__ == "__main__":
    unittest.main()
