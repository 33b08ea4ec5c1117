"""test_resolve.py: `sockctl resolve` against a real DNS server, compared with Python.

dnsmasq serves generated records (A, AAAA, CNAME chains, names with several
addresses, PTRs) on a private loopback address; sockctl, getent and python3's
socket module all run inside a mount namespace whose /etc/resolv.conf, /etc/hosts
and /etc/nsswitch.conf are the test's own (dns_lab.py), and must give the
same answers in the same order and the same errors.
"""
import json
import os
import socket
import unittest

from dns_lab import DnsLab, can_unshare
from sockctl import BINARY, Case, run

# Exit codes the spec gives each failure of the socket module's name services.
GAI_EXIT = {socket.EAI_NONAME: 68, socket.EAI_SERVICE: 68, socket.EAI_NODATA: 68,
            socket.EAI_ADDRFAMILY: 68, socket.EAI_AGAIN: 75, socket.EAI_FAMILY: 64,
            socket.EAI_SOCKTYPE: 64, socket.EAI_BADFLAGS: 64}
HERROR_EXIT = {1: 68, 2: 75, 3: 71, 4: 68}  # HOST_NOT_FOUND TRY_AGAIN NO_RECOVERY NO_DATA


def expected_exit(error):
    if error["type"] == "gaierror":
        return GAI_EXIT[error["errno"]]
    if error["type"] == "herror":
        return HERROR_EXIT[error["errno"]]
    return 68  # getservby*/getprotobyname: "not found"


def as_tuple(result):
    """A sockctl JSON result in the shape of Python's 5-tuple."""
    sa = result["sockaddr"]
    address = [sa["host"], sa["port"]]
    if result["family"] == "inet6":
        address += [sa["flowinfo"], sa["scope_id"]]
    return [result["family"], result["type"], result["proto"], result["canonname"], address]


def flag_value(names):
    value = 0
    for n in names.split(","):
        value |= getattr(socket, n) if n else 0
    return value


@unittest.skipUnless(can_unshare(), "needs root: the tests run in a private mount namespace (unshare -m)")
class ResolveTest(Case):
    @classmethod
    def setUpClass(cls):
        cls.lab = DnsLab().start()

    @classmethod
    def tearDownClass(cls):
        cls.lab.stop()

    def sockctl(self, *args, input=b""):
        return self.lab.run([BINARY, *args], input=input)

    def sockctl_json(self, *args):
        p = self.sockctl("--json", *args)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        return json.loads(p.stdout)

    def assertSameFailure(self, p, error, query):
        """sockctl failed as Python did: exit code by cause, the query named."""
        err = json.loads(p.stderr)["error"]
        self.assertEqual(p.stdout, b"")
        self.assertEqual(p.returncode, expected_exit(error), (query, err, error))
        self.assertEqual(err["exit"], p.returncode)
        self.assertIn(f"'{query}'", err["message"])

    # --- getaddrinfo ------------------------------------------------------

    # (host, service, family, type, proto, flags)
    GETADDRINFO = [
        ("one.test", "", "", "", "", ""),
        ("both.test", "80", "", "stream", "", ""),
        ("multi.test", "", "", "", "", ""),
        ("multi.test", "53", "inet", "dgram", "", ""),
        ("chain-multi.test", "", "", "stream", "", "AI_CANONNAME"),
        ("alias2.test", "http", "", "", "", "AI_CANONNAME"),
        ("v6only.test", "22", "inet6", "", "", ""),
        ("hostsonly.test", "", "", "", "", "AI_CANONNAME"),
        ("one", "", "", "stream", "", ""),
        ("localhost", "domain", "", "", "udp", ""),
        ("one.test", "", "inet6", "stream", "", "AI_V4MAPPED"),
        ("both.test", "", "inet6", "stream", "", "AI_V4MAPPED,AI_ALL"),
        ("multi.test", "", "unspec", "stream", "tcp", "AI_ADDRCONFIG"),
        ("10.0.0.1", "80", "", "", "", "AI_NUMERICHOST,AI_NUMERICSERV"),
        ("fd00::2", "", "", "raw", "", ""),
        # Failures: each with Python's error and the spec's exit code.
        ("nosuch.test", "", "", "", "", ""),
        ("nosuch.invalid", "", "", "", "", ""),
        ("v6only.test", "", "inet", "", "", ""),
        ("one.test", "nosuchservice", "", "", "", ""),
        ("one.test", "", "", "", "", "AI_NUMERICHOST"),
        ("one.test", "http", "", "", "", "AI_NUMERICSERV"),
        ("one.test", "", "unix", "", "", ""),
    ]

    def test_getaddrinfo_matches_python(self):
        calls = []
        for host, service, family, type_, proto, flags in self.GETADDRINFO:
            calls.append(["getaddrinfo", host, service or None,
                          getattr(socket, "AF_" + family.upper()) if family else 0,
                          getattr(socket, "SOCK_" + type_.upper()) if type_ else 0,
                          socket.getprotobyname(proto) if proto else 0, flag_value(flags)])
        expected = self.lab.python(calls)
        for (host, service, family, type_, proto, flags), want in zip(self.GETADDRINFO, expected):
            with self.subTest(host=host, service=service, family=family, type=type_, flags=flags):
                args = ["resolve", host] + ([service] if service else [])
                for opt, value in (("--family", family), ("--type", type_), ("--proto", proto), ("--flags", flags)):
                    if value:
                        args += [opt, value]
                p = self.sockctl("--json", *args)
                if "error" in want:
                    self.assertSameFailure(p, want["error"], host)
                    self.assertIn(want["error"]["message"], json.loads(p.stderr)["error"]["message"])
                    continue
                self.assertEqual(p.returncode, 0, p.stderr.decode())
                doc = json.loads(p.stdout)
                self.assertEqual([as_tuple(r) for r in doc["results"]], want["ok"])
                self.assertEqual(doc["host"], host)
                self.assertEqual(doc["service"], service or None)

    def test_getaddrinfo_human_prints_all_five_fields(self):
        p = self.sockctl("resolve", "chain-multi.test", "80", "--type", "stream", "--flags", "AI_CANONNAME")
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.decode().splitlines()
        self.assertEqual(len(lines), 5)
        self.assertEqual(lines[0].split(), ["inet6", "stream", "tcp", "multi.test", "tcp:[fd00::1:1]:80"])
        self.assertEqual(lines[4].split(), ["inet", "stream", "tcp", "-", "tcp:10.0.1.3:80"])
        # Columns line up, and every endpoint parses back as an endpoint.
        self.assertEqual(len({line.index("tcp:") for line in lines}), 1)
        for line in lines:
            self.assertEqual(run("inet", "parse", line.split()[-1]).returncode, 0, line)

    def test_endpoints_in_json_use_the_spec_grammar(self):
        doc = self.sockctl_json("resolve", "both.test", "53")
        endpoints = [r["sockaddr"]["endpoint"] for r in doc["results"]]
        # A raw result keeps the number in its sockaddr's port field, which is
        # where the ip: grammar keeps the protocol.
        self.assertEqual(endpoints, ["tcp:[fd00::2]:53", "udp:[fd00::2]:53", "ip:[fd00::2]:53",
                                     "tcp:10.0.0.2:53", "udp:10.0.0.2:53", "ip:10.0.0.2:53"])
        self.assertEqual(set(doc["results"][0]["sockaddr"]),
                         {"family", "host", "port", "flowinfo", "scope_id", "endpoint"})

    # --- getnameinfo and gethostbyaddr --------------------------------------

    # (ADDR[:PORT] as typed, Python's sockaddr, NI_* flags)
    GETNAMEINFO = [
        ("10.0.0.1:80", ("10.0.0.1", 80), ""),
        ("10.0.0.1", ("10.0.0.1", 0), "NI_NOFQDN"),
        ("10.0.1.2:53", ("10.0.1.2", 53), "NI_DGRAM"),
        ("[fd00::2]:22", ("fd00::2", 22, 0, 0), ""),
        ("fd00::66", ("fd00::66", 0, 0, 0), "NI_NUMERICSERV"),
        ("10.9.9.9:443", ("10.9.9.9", 443), "NI_NUMERICHOST"),
        ("10.0.0.99:80", ("10.0.0.99", 80), ""),
        ("10.0.0.99", ("10.0.0.99", 0), "NI_NAMEREQD"),
    ]

    def test_getnameinfo_matches_python(self):
        expected = self.lab.python([["getnameinfo", list(sa), flag_value(f)] for _, sa, f in self.GETNAMEINFO])
        for (text, sa, flags), want in zip(self.GETNAMEINFO, expected):
            with self.subTest(address=text, flags=flags):
                p = self.sockctl("--json", "resolve", "--reverse", text, *(["--flags", flags] if flags else []))
                if "error" in want:
                    self.assertEqual(p.returncode, expected_exit(want["error"]), p.stderr)
                    self.assertIn(want["error"]["message"], p.stderr.decode())
                    continue
                self.assertEqual(p.returncode, 0, p.stderr.decode())
                doc = json.loads(p.stdout)
                self.assertEqual([doc["host"], doc["port"]], want["ok"])
                self.assertEqual(doc["sockaddr"]["host"], sa[0])

    REVERSE_ALIASES = ["10.0.0.1", "10.0.1.3", "fd00::2", "fd00::1:2", "10.9.9.9", "10.0.0.99", "10.200.0.1"]

    def test_gethostbyaddr_matches_python(self):
        expected = self.lab.python([["gethostbyaddr", a] for a in self.REVERSE_ALIASES])
        for address, want in zip(self.REVERSE_ALIASES, expected):
            with self.subTest(address=address):
                p = self.sockctl("--json", "resolve", "--reverse", "--aliases", address)
                if "error" in want:
                    self.assertSameFailure(p, want["error"], address)
                    self.assertIn(want["error"]["message"], json.loads(p.stderr)["error"]["message"])
                    continue
                self.assertEqual(p.returncode, 0, p.stderr.decode())
                doc = json.loads(p.stdout)
                self.assertEqual([doc["name"], doc["aliases"], doc["addresses"]], want["ok"])

    # --- gethostbyname_ex ---------------------------------------------------

    ALIASES = ["alias2.test", "chain-multi.test", "multi.test", "hostsonly.test", "one", "localhost",
               "10.0.0.1", "nosuch.test", "v6only.test", "nosuch.invalid"]

    def test_gethostbyname_ex_matches_python(self):
        expected = self.lab.python([["gethostbyname_ex", n] for n in self.ALIASES])
        for name, want in zip(self.ALIASES, expected):
            with self.subTest(name=name):
                p = self.sockctl("--json", "resolve", "--aliases", name)
                if "error" in want:
                    self.assertSameFailure(p, want["error"], name)
                    self.assertIn(want["error"]["message"], json.loads(p.stderr)["error"]["message"])
                    continue
                self.assertEqual(p.returncode, 0, p.stderr.decode())
                doc = json.loads(p.stdout)
                self.assertEqual([doc["name"], doc["aliases"], doc["addresses"]], want["ok"])

    def test_aliases_human_output(self):
        p = self.sockctl("resolve", "--aliases", "alias2.test")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.decode().splitlines(),
                         ["name       one.test", "aliases    alias2.test alias.test", "addresses  10.0.0.1"])

    # --- services, protocols, host names -------------------------------------

    SERVICES = [("http", "getservbyname", ["http"]), ("domain/udp", "getservbyname", ["domain", "udp"]),
                ("22", "getservbyport", [22]), ("53/udp", "getservbyport", [53, "udp"]),
                ("nosuchservice", "getservbyname", ["nosuchservice"]),
                ("ssh/udp", "getservbyname", ["ssh", "udp"]), ("9/ddp", "getservbyport", [9, "ddp"])]

    def test_services_match_python(self):
        expected = self.lab.python([[fn, *args] for _, fn, args in self.SERVICES])
        for (spec, fn, _), want in zip(self.SERVICES, expected):
            with self.subTest(service=spec):
                p = self.sockctl("--json", "resolve", "--service", spec)
                if "error" in want:
                    self.assertFails(p, 68, f"'{spec}'")
                    continue
                self.assertEqual(p.returncode, 0, p.stderr.decode())
                doc = json.loads(p.stdout)
                self.assertEqual(doc["port"] if fn == "getservbyname" else doc["name"], want["ok"])
                if "/" in spec:
                    self.assertEqual(doc["proto"], spec.split("/")[1])

    PROTOCOLS = ["tcp", "udp", "icmp", "ipv6-icmp", "TCP", "nosuchproto"]

    def test_protocols_match_python(self):
        expected = self.lab.python([["getprotobyname", n] for n in self.PROTOCOLS])
        for name, want in zip(self.PROTOCOLS, expected):
            with self.subTest(protocol=name):
                p = self.sockctl("--json", "resolve", "--proto-name", name)
                if "error" in want:
                    self.assertFails(p, 68, f"'{name}'")
                    continue
                self.assertEqual(json.loads(p.stdout)["proto"], want["ok"])
        self.assertEqual(self.sockctl_json("resolve", "--proto-name", "17")["name"], "udp")

    def test_hostname_and_fqdn_match_python(self):
        names = ["", "one.test", "10.0.0.1", "hostsonly.test", "hostsonly-alias", "fd00::2",
                 "nosuch.test", "multi.test", "  one.test  ", "0.0.0.0"]
        expected = self.lab.python([["gethostname"]] + [["getfqdn", n] for n in names])
        self.assertEqual(self.sockctl_json("resolve", "--hostname")["hostname"], expected[0]["ok"])
        for name, want in zip(names, expected[1:]):
            with self.subTest(name=name):
                args = ["resolve", "--fqdn"] + ([name] if name else [])
                self.assertEqual(self.sockctl_json(*args)["fqdn"], want["ok"])
        p = self.sockctl("resolve", "--fqdn", "hostsonly.test")
        self.assertEqual(p.stdout, b"hostsonly.test\n")

    # --- getent, the other peer ----------------------------------------------

    # getent's key database, the names asked, and sockctl's equivalent flags:
    # ahosts is getaddrinfo with AI_ADDRCONFIG|AI_CANONNAME, ahostsv6 adds
    # AF_INET6 and AI_V4MAPPED (getent(1)).
    AHOSTS = {"ahosts": ([], "AI_ADDRCONFIG,AI_CANONNAME"),
              "ahostsv4": (["--family", "inet"], "AI_ADDRCONFIG,AI_CANONNAME"),
              "ahostsv6": (["--family", "inet6"], "AI_ADDRCONFIG,AI_CANONNAME,AI_V4MAPPED")}
    AHOSTS_NAMES = ["one.test", "multi.test", "chain-multi.test", "both.test", "v6only.test", "hostsonly.test",
                    "alias2.test", "one", "nosuch.test"]

    def getent(self, *args):
        p = self.lab.run(["getent", *args])
        rows = [line.split() for line in p.stdout.decode().splitlines()]
        return p.returncode, rows

    def test_ahosts_match_getent(self):
        for db, (family, flags) in self.AHOSTS.items():
            for name in self.AHOSTS_NAMES:
                with self.subTest(db=db, name=name):
                    code, rows = self.getent(db, name)
                    p = self.sockctl("--json", "resolve", name, *family, "--flags", flags)
                    if code == 2:  # getent: key not found
                        self.assertFails(p, 68, f"'{name}'")
                        continue
                    self.assertEqual(code, 0)
                    self.assertEqual(p.returncode, 0, p.stderr.decode())
                    ours = [[r["sockaddr"]["host"], r["type"].upper()] + ([r["canonname"]] if r["canonname"] else [])
                            for r in json.loads(p.stdout)["results"]]
                    self.assertEqual(ours, rows)

    def test_reverse_aliases_match_getent_hosts(self):
        for address in ["10.0.0.1", "10.0.1.2", "fd00::2", "10.9.9.9", "10.0.0.99"]:
            with self.subTest(address=address):
                code, rows = self.getent("hosts", address)
                p = self.sockctl("--json", "resolve", "--reverse", "--aliases", address)
                if code == 2:
                    self.assertFails(p, 68, f"'{address}'")
                    continue
                doc = json.loads(p.stdout)
                self.assertEqual(rows, [[doc["addresses"][0], doc["name"], *doc["aliases"]]])

    def test_services_and_protocols_match_getent(self):
        for spec in ["http", "domain/udp", "22", "53/udp", "ssh/udp", "nosuchservice"]:
            with self.subTest(service=spec):
                code, rows = self.getent("services", spec)
                p = self.sockctl("resolve", "--service", spec)
                if code == 2:
                    self.assertFails(p, 68, f"'{spec}'")
                    continue
                ours = p.stdout.decode().split()
                self.assertEqual(ours[:2], rows[0][:2])
                self.assertEqual([a for a in ours[2:] if a != "-"], rows[0][2:])
        for name in ["tcp", "icmp", "17", "ipv6-icmp", "nosuchproto"]:
            with self.subTest(protocol=name):
                code, rows = self.getent("protocols", name)
                p = self.sockctl("resolve", "--proto-name", name)
                if code == 2:
                    self.assertFails(p, 68, f"'{name}'")
                    continue
                ours = p.stdout.decode().split()
                self.assertEqual([a for a in ours if a != "-"], rows[0])

    # --- batch ---------------------------------------------------------------

    def batch_input(self, n=1000):
        """n query lines with failures, services, comments and malformed lines."""
        names = ["one.test", "multi.test", "both.test", "hostsonly.test", "chain-multi.test",
                 "one.test http", "v6only.test 22", "nosuch-{}.test", "one.test nosuchservice",
                 "two words here", "10.0.0.{}", "alias2.test"]
        lines = []
        for i in range(n):
            lines.append(names[i % len(names)].format(i % 250))
            if i % 100 == 50:
                lines.append("# a comment is not a query")
                lines.append("")
        return lines

    def test_batch_of_1000_answers_each_query_once_in_order(self):
        lines = self.batch_input()
        queries = [(no, l) for no, l in enumerate(lines, 1) if l and not l.startswith("#")]
        self.assertEqual(len(queries), 1000)
        p = self.sockctl("--json", "resolve", "--batch", "-", "--type", "stream", "--concurrency", "16",
                         input="\n".join(lines) + "\n")
        answers = [json.loads(l) for l in p.stdout.decode().splitlines()]
        self.assertEqual([(a["line"], a["query"]) for a in answers], queries)
        # The exit code is the first failure's: line 8 is an unknown name.
        self.assertEqual(p.returncode, 68, p.stderr)
        self.assertEqual(p.stderr, b"")

        unique = sorted({q for _, q in queries})
        expected = self.lab.python([["getaddrinfo", *(q.split() + [None])[:2], 0, socket.SOCK_STREAM, 0, 0]
                                    for q in unique if len(q.split()) <= 2])
        python = dict(zip([q for q in unique if len(q.split()) <= 2], expected))
        failures = 0
        for a in answers:
            with self.subTest(line=a["line"], query=a["query"]):
                if a["query"] == "two words here":
                    self.assertEqual(a["error"]["exit"], 64)
                    failures += 1
                    continue
                want = python[a["query"]]
                if "error" in want:
                    self.assertEqual(a["error"]["exit"], expected_exit(want["error"]))
                    self.assertIn(want["error"]["message"], a["error"]["message"])
                    failures += 1
                else:
                    self.assertEqual([as_tuple(r) for r in a["results"]], want["ok"])
        self.assertEqual(failures, sum(1 for _, q in queries if q.startswith(("nosuch", "one.test nosuch", "two"))))

    def test_unordered_batch_answers_each_query_exactly_once(self):
        lines = self.batch_input()
        p = self.sockctl("--json", "resolve", "--batch", "-", "--unordered", "-c", "64", "-t", "stream",
                         input="\n".join(lines))
        self.assertEqual(p.returncode, 68, p.stderr)
        answers = [json.loads(l) for l in p.stdout.decode().splitlines()]
        want = sorted((no, l) for no, l in enumerate(lines, 1) if l and not l.startswith("#"))
        self.assertEqual(sorted((a["line"], a["query"]) for a in answers), want)

    def test_batch_from_file_human_text_and_clean_exit(self):
        path = os.path.join(self.lab.dir, "names.txt")
        with open(path, "w") as f:
            f.write("one.test\nhostsonly.test 80\n\nboth.test\n")
        p = self.sockctl("resolve", "--batch", path, "--type", "stream", "--family", "inet")
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = [line.split() for line in p.stdout.decode().splitlines()]
        self.assertEqual(rows, [["one.test", "inet", "stream", "tcp", "-", "tcp:10.0.0.1:0"],
                                ["hostsonly.test", "80", "inet", "stream", "tcp", "-", "tcp:10.9.9.9:80"],
                                ["both.test", "inet", "stream", "tcp", "-", "tcp:10.0.0.2:0"]])

    def test_batch_exit_code_is_the_first_failure_in_input_order(self):
        p = self.sockctl("--json", "resolve", "--batch", "-", "--unordered",
                         input="one.test\nnosuch.invalid\nnosuch.test\n")
        self.assertEqual(p.returncode, 75)
        p = self.sockctl("resolve", "--batch", "-", input="one.test\nnosuch.test\nnosuch.invalid\n")
        self.assertEqual(p.returncode, 68)
        self.assertIn(b"nosuch.test       error  Name or service not known", p.stdout)

    # --- bad input -------------------------------------------------------------

    def test_bad_input_exits_with_the_spec_codes(self):
        label64 = "a" * 64 + ".test"
        long_name = ".".join(["abcdefghi"] * 26)
        cases = [
            (["resolve", ""], 64, "empty host name"),
            (["resolve", label64], 64, label64),
            (["resolve", long_name], 64, "the limit is 253"),
            (["resolve", "--aliases", label64], 64, label64),
            (["resolve", "--fqdn", long_name], 64, long_name),
            (["resolve", "bad name.test"], 64, "'bad name.test'"),
            (["resolve", "one.test", "--flags", "AI_BOGUS"], 64, "'AI_BOGUS'"),
            (["resolve", "one.test", "--flags", "NI_NAMEREQD"], 64, "'NI_NAMEREQD'"),
            (["resolve", "--reverse", "10.0.0.1", "--flags", "AI_CANONNAME"], 64, "'AI_CANONNAME'"),
            (["resolve", "one.test", "--family", "bogus"], 64, "'bogus'"),
            (["resolve", "one.test", "--type", "bogus"], 64, "'bogus'"),
            (["resolve", "one.test", "--proto", "bogus"], 64, "'bogus'"),
            (["resolve", "--reverse", "10.0.0"], 64, "'10.0.0'"),
            (["resolve", "--reverse", "one.test"], 64, "'one.test'"),
            (["resolve", "--reverse", "[fd00::2"], 64, "'[fd00::2'"),
            (["resolve", "--reverse", "10.0.0.1:99999"], 64, "'10.0.0.1:99999'"),
            (["resolve", "--reverse", "fd00::2%nosuchif0"], 69, "nosuchif0"),
            (["resolve", "--service", "99999"], 64, "'99999'"),
            (["resolve", "--service", "http/"], 64, "'http/'"),
            (["resolve", "--batch", "-", "--concurrency", "0"], 64, "--concurrency"),
            (["resolve", "--batch", "/nonexistent/names"], 66, "/nonexistent/names"),
            (["resolve", "--concurrency", "4", "one.test"], 64, "--concurrency"),
            (["resolve", "--hostname", "one.test"], 64, "'one.test'"),
            (["resolve", "--service", "http", "--proto-name", "tcp"], 64, "excludes"),
            (["resolve"], 64, "HOST"),
            (["resolve", "--bogus", "one.test"], 64, "'--bogus'"),
        ]
        for args, code, fragment in cases:
            with self.subTest(args=args):
                self.assertFails(self.sockctl(*args), code, fragment)

    def test_bad_names_in_a_batch_fail_their_own_line_with_64(self):
        label64 = "a" * 64 + ".test"
        long_name = ".".join(["abcdefghi"] * 26)
        p = self.sockctl("--json", "resolve", "--batch", "-", "-t", "stream",
                         input=f"one.test\n{label64}\n{long_name}\nbad name.test x y\nboth.test\n")
        self.assertEqual(p.returncode, 64, p.stderr)
        answers = [json.loads(l) for l in p.stdout.decode().splitlines()]
        self.assertEqual([a["line"] for a in answers], [1, 2, 3, 4, 5])
        self.assertEqual([a.get("error", {}).get("exit", 0) for a in answers], [0, 64, 64, 64, 0])
        self.assertIn("limit is 63", answers[1]["error"]["message"])
        self.assertIn("limit is 253", answers[2]["error"]["message"])

    def test_errors_as_json_carry_gai_strerror_and_the_query(self):
        p = self.sockctl("--json", "resolve", "nosuch.test", "http")
        self.assertEqual(p.returncode, 68)
        err = json.loads(p.stderr)["error"]
        self.assertEqual(err["message"], "getaddrinfo 'nosuch.test' service 'http': Name or service not known")
        self.assertEqual(err["exit"], 68)

    def test_write_error_on_stdout_is_74(self):
        for args in (["resolve", "--batch", "-"], ["resolve", "one.test"]):
            p = self.lab.run(["sh", "-c", 'exec "$@" >/dev/full', "sh", BINARY, *args], input="one.test\n" * 10)
            self.assertEqual(p.returncode, 74, p.stderr)


if __name__ == "__main__":
    unittest.main()
