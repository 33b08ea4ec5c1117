"""test_alg.py: `sockctl alg` on the build host. This kernel may lack AF_ALG,
so what runs here is what needs no crypto socket: /proc/crypto listing,
argument checking before any socket is opened (bad hex, missing keys and
files, conflicting flags) with the spec's exit codes, and the 69 a kernel
without AF_ALG gives. Known answers, cross-checks against kcapi-tools and
sha256sum, and the kernel's own refusals run in the kernel lab:
tests/kernel/scenarios/alg_kat.sh, alg_cross.sh, alg_errors.sh."""
import hashlib
import json
import os
import socket
import tempfile
import unittest

from sockctl import Case, run, run_json

K = "2b7e151628aed2a6abf7158809cf4f3c"
IV = "000102030405060708090a0b0c0d0e0f"


def have_af_alg():
    try:
        s = socket.socket(socket.AF_ALG, socket.SOCK_SEQPACKET, 0)
    except OSError:
        return False
    s.close()
    return True


def proc_crypto_names():
    with open("/proc/crypto") as f:
        return {line.split(":", 1)[1].strip() for line in f if line.startswith("name")}


class ListTest(Case):
    def test_list_json_matches_proc_crypto(self):
        names = proc_crypto_names()
        doc = run_json("alg", "list")
        self.assertEqual({e["name"] for e in doc}, names)
        for e in doc:
            self.assertIsInstance(e["priority"], int)
            self.assertIn("driver", e)
            self.assertIn("selftest", e)

    def test_list_pattern_and_type_filter(self):
        if "sha256" not in proc_crypto_names():
            self.skipTest("this kernel's /proc/crypto has no sha256")
        doc = run_json("alg", "list", "--type", "hash", "sha256")
        self.assertTrue(doc)
        for e in doc:
            self.assertIn(e["type"], ("shash", "ahash"))
            self.assertTrue("sha256" in e["name"] or "sha256" in e["driver"])
        self.assertTrue(any(e["name"] == "sha256" and e["digestsize"] == 32 for e in doc))

    def test_list_glob(self):
        doc = run_json("alg", "list", "sha2*")
        for e in doc:
            self.assertTrue(e["name"].startswith("sha2") or e["driver"].startswith("sha2"), e)

    def test_list_human_has_a_header_and_a_line_per_algorithm(self):
        p = run("alg", "list")
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.decode().splitlines()
        self.assertTrue(lines[0].startswith("NAME"))
        self.assertEqual(len(lines) - 1, len(run_json("alg", "list")))

    def test_list_nothing_matching_exits_1(self):
        self.assertFails(run("alg", "list", "no-such-algorithm-zz"), 1, "'no-such-algorithm-zz'")

    def test_list_bad_type_exits_64(self):
        self.assertFails(run("alg", "list", "--type", "bogus"), 64, "--type 'bogus'")


class BadInputTest(Case):
    """Checked before any socket is opened, so the same on every kernel."""

    def test_odd_hex_key_exits_65_naming_it(self):
        self.assertFails(run("alg", "encrypt", "cbc(aes)", "--key", K + "0", "--iv", IV), 65, f"bad hex '{K}0'")

    def test_non_hex_iv_exits_65(self):
        self.assertFails(run("alg", "decrypt", "cbc(aes)", "--key", K, "--iv", "zz"), 65, "bad hex 'zz'")

    def test_odd_hex_hmac_key_exits_65(self):
        self.assertFails(run("alg", "hmac", "sha256", "--key", "abc"), 65, "bad hex 'abc'")

    def test_odd_hex_seed_exits_65(self):
        self.assertFails(run("alg", "rng", "-n", "4", "--seed", "123"), 65, "bad hex '123'")

    def test_missing_key_exits_64(self):
        self.assertFails(run("alg", "encrypt", "cbc(aes)", "--iv", IV), 64, "'cbc(aes)'", "needs a key")
        self.assertFails(run("alg", "hmac", "sha256"), 64, "'hmac(sha256)'", "needs a key")

    def test_key_and_key_file_exits_64(self):
        self.assertFails(run("alg", "hmac", "sha256", "--key", "00", "--key-file", "/dev/null"), 64,
                         "--key and --key-file")

    def test_missing_key_file_exits_66(self):
        self.assertFails(run("alg", "hmac", "sha256", "--key-file", "/nonexistent/key"), 66, "/nonexistent/key")

    def test_missing_input_file_exits_66(self):
        self.assertFails(run("alg", "encrypt", "cbc(aes)", "--key", K, "--iv", IV, "/nonexistent/in"), 66,
                         "/nonexistent/in")

    def test_raw_with_json_exits_64(self):
        self.assertFails(run("--json", "alg", "hash", "--raw", "sha256"), 64, "--raw")

    def test_raw_with_check_exits_64(self):
        self.assertFails(run("alg", "hash", "--raw", "--check", "x", "sha256"), 64, "--raw")

    def test_check_with_files_exits_64(self):
        self.assertFails(run("alg", "hash", "sha256", "--check", "list", "f"), 64, "'f'")

    def test_rng_needs_bytes(self):
        p = run("alg", "rng")
        self.assertEqual(p.returncode, 64)
        self.assertIn(b"--bytes", p.stderr)

    def test_json_error_is_a_json_object(self):
        p = run("--json", "alg", "hmac", "sha256", "--key", "abc")
        self.assertEqual(p.returncode, 65)
        self.assertEqual(json.loads(p.stderr)["error"]["exit"], 65)


class KernelTest(Case):
    def test_hash_or_unavailable(self):
        """With AF_ALG: sha256 of stdin equals hashlib's; without: exit 69 naming AF_ALG."""
        data = os.urandom(100_001)
        p = run("alg", "hash", "sha256", input=data)
        if have_af_alg():
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(p.stdout.decode(), hashlib.sha256(data).hexdigest() + "  -\n")
        else:
            self.assertFails(p, 69, "socket(AF_ALG)")

    def test_hash_of_a_file_or_unavailable(self):
        with tempfile.NamedTemporaryFile() as f:
            f.write(b"abc")
            f.flush()
            p = run("--json", "alg", "hash", "sha256", f.name)
            if not have_af_alg():
                self.assertEqual(p.returncode, 69)
                self.assertEqual(json.loads(p.stderr)["error"]["exit"], 69)
                return
            d = json.loads(p.stdout)
            self.assertEqual(d["digests"], [{"file": f.name, "bytes": 3, "digest": hashlib.sha256(b"abc").hexdigest()}])


if __name__ == "__main__":
    unittest.main()
