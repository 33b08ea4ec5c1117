"""test_inet.py: every `sockctl inet` verb against python3's socket module.

The same inputs go to sockctl and to Python: what Python returns, sockctl
must print (packed bytes as hex); what Python refuses, sockctl must refuse
with the documented exit code, one stderr line naming the value, and nothing
on stdout.
"""
import json
import re
import shutil
import socket
import struct
import subprocess
import unittest

from sockctl import Case, run, run_json

USAGE, DATA, NO_HOST, UNAVAILABLE = 64, 65, 68, 69


def out(*args):
    p = run(*args)
    if p.returncode != 0:
        raise AssertionError(f"sockctl {' '.join(args)} exited {p.returncode}: {p.stderr.decode()}")
    return p.stdout.decode()


def python_refuses(fn, *args):
    try:
        fn(*args)
    except (OSError, ValueError, OverflowError):
        return True
    return False


class AtonNtoaTest(Case):
    GOOD = ["127.0.0.1", "127.1", "0x7f.1", "0177.0.0.1", "1.2.3", "4294967295", "1.16777215",
            "0", "255.255.255.255", "1.2.3.4 junk", "010.0x10.0.1"]
    BAD = ["", " 1.2.3.4", "1.2.3.256", "1..2", "0x", "08.1.1.1", "1.2.3.4.5", "4294967296",
           "1.16777216", "a.b.c.d", "-1", "1.2.3.-4"]

    def test_aton_matches_python(self):
        for text in self.GOOD:
            with self.subTest(text=text):
                self.assertEqual(bytes.fromhex(out("inet", "aton", text)), socket.inet_aton(text))

    def test_aton_json(self):
        self.assertEqual(run_json("inet", "aton", "127.1"), {"address": "127.1", "packed": "7f000001"})

    def test_aton_refuses_what_python_refuses(self):
        for text in self.BAD:
            with self.subTest(text=text):
                self.assertTrue(python_refuses(socket.inet_aton, text))
                self.assertFails(run("inet", "aton", "--", text), USAGE, f"'{text}'")

    def test_ntoa_matches_python(self):
        for packed in [b"\x7f\0\0\1", b"\xff" * 4, b"\0" * 4, bytes([10, 20, 30, 40])]:
            with self.subTest(packed=packed):
                self.assertEqual(out("inet", "ntoa", packed.hex()), socket.inet_ntoa(packed) + "\n")
        self.assertEqual(run_json("inet", "ntoa", "x:7f:00:00:01"), {"packed": "7f000001", "address": "127.0.0.1"})

    def test_ntoa_refuses_wrong_lengths_and_bad_hex(self):
        for packed in [b"", b"\1\2\3", b"\1\2\3\4\5"]:
            with self.subTest(packed=packed):
                self.assertTrue(python_refuses(socket.inet_ntoa, packed))
                self.assertFails(run("inet", "ntoa", packed.hex()), DATA, f"'{packed.hex()}'", "inet_ntoa takes 4")
        for text in ["7f00001", "7f0000zz", "0x7f000001"]:
            with self.subTest(text=text):
                self.assertFails(run("inet", "ntoa", text), DATA, f"bad hex '{text}'")


class PtonNtopTest(Case):
    GOOD = [(socket.AF_INET6, "inet6", "::ffff:1.2.3.4"), (socket.AF_INET6, "inet6", "::1"),
            (socket.AF_INET6, "AF_INET6", "2001:DB8::0:1"), (socket.AF_INET6, "10", "fe80::1:2:3:4"),
            (socket.AF_INET6, "inet6", "1:2:3:4:5:6:7:8"), (socket.AF_INET6, "inet6", "::"),
            (socket.AF_INET, "inet", "127.0.0.1"), (socket.AF_INET, "AF_INET", "255.255.255.255"),
            (socket.AF_INET, "2", "0.0.0.0")]
    BAD = [(socket.AF_INET, "inet", "127.1"), (socket.AF_INET, "inet", "1.2.3.04"),
           (socket.AF_INET, "inet", "::1"), (socket.AF_INET, "inet", ""),
           (socket.AF_INET6, "inet6", "fe80::1%lo"), (socket.AF_INET6, "inet6", "::g"),
           (socket.AF_INET6, "inet6", "1:2:3:4:5:6:7:8:9"), (socket.AF_INET6, "inet6", "1.2.3.4")]

    def test_pton_matches_python(self):
        for family, name, text in self.GOOD:
            with self.subTest(text=text):
                self.assertEqual(bytes.fromhex(out("inet", "pton", name, text)), socket.inet_pton(family, text))

    def test_pton_acceptance_mapped_address(self):
        self.assertEqual(out("inet", "pton", "inet6", "::ffff:1.2.3.4"), "00000000000000000000ffff01020304\n")
        doc = run_json("inet", "pton", "inet6", "::ffff:1.2.3.4")
        self.assertEqual(doc, {"family": "inet6", "address": "::ffff:1.2.3.4",
                               "packed": socket.inet_pton(socket.AF_INET6, "::ffff:1.2.3.4").hex()})

    def test_pton_refuses_what_python_refuses(self):
        for family, name, text in self.BAD:
            with self.subTest(text=text):
                self.assertTrue(python_refuses(socket.inet_pton, family, text))
                self.assertFails(run("inet", "pton", name, "--", text), USAGE, f"'{text}'")

    def test_ntop_matches_python(self):
        for family, name, text in self.GOOD:
            packed = socket.inet_pton(family, text)
            with self.subTest(text=text):
                self.assertEqual(out("inet", "ntop", name, packed.hex()), socket.inet_ntop(family, packed) + "\n")

    def test_ntop_refuses_wrong_lengths(self):
        for family, name, packed in [(socket.AF_INET, "inet", b"\1\2\3"), (socket.AF_INET, "inet", b"\0" * 16),
                                     (socket.AF_INET6, "inet6", b"\0" * 15), (socket.AF_INET6, "inet6", b"\0" * 4),
                                     (socket.AF_INET6, "inet6", b"")]:
            with self.subTest(packed=packed):
                self.assertTrue(python_refuses(socket.inet_ntop, family, packed))
                self.assertFails(run("inet", "ntop", name, packed.hex()), DATA, f"'{packed.hex()}'")
        self.assertFails(run("inet", "ntop", "inet6", "x:abc"), DATA, "bad hex 'x:abc'")

    def test_other_families_are_refused(self):
        for name, number in [("unix", socket.AF_UNIX), ("1", 1), ("packet", socket.AF_PACKET)]:
            with self.subTest(family=name):
                self.assertTrue(python_refuses(socket.inet_pton, number, "x"))
                self.assertTrue(python_refuses(socket.inet_ntop, number, b"\0" * 4))
                self.assertFails(run("inet", "pton", name, "1.2.3.4"), USAGE, f"'{name}'")
                self.assertFails(run("inet", "ntop", name, "01020304"), USAGE, f"'{name}'")
        self.assertFails(run("inet", "pton", "nosuchfamily", "1.2.3.4"), USAGE, "unknown family 'nosuchfamily'")


class ByteOrderTest(Case):
    FUNCTIONS = {"htonl": (socket.htonl, 2**32 - 1), "ntohl": (socket.ntohl, 2**32 - 1),
                 "htons": (socket.htons, 2**16 - 1), "ntohs": (socket.ntohs, 2**16 - 1)}

    def test_results_match_python(self):
        for verb, (fn, top) in self.FUNCTIONS.items():
            for value in [0, 1, 0x1234, 0xff, top, top // 3, 0x0102 if top < 2**16 else 0x01020304]:
                with self.subTest(verb=verb, value=value):
                    self.assertEqual(int(out("inet", verb, str(value))), fn(value))
                    self.assertEqual(int(out("inet", verb, hex(value))), fn(value))
        self.assertEqual(run_json("inet", "htonl", "1"), {"value": 1, "result": 16777216})

    def test_overflow_is_refused_like_python(self):
        for verb, (fn, top) in self.FUNCTIONS.items():
            for value in [-1, top + 1, -(2**70), 2**70]:
                with self.subTest(verb=verb, value=value):
                    self.assertTrue(python_refuses(fn, value))
                    self.assertFails(run("inet", verb, str(value)), USAGE, f"{verb} '{value}'",
                                     "negative" if value < 0 else "too large")
        for text in ["abc", "1.5", "+1", "", "0x"]:
            with self.subTest(text=text):
                self.assertFails(run("inet", "htonl", "--", text), USAGE, f"htonl '{text}'", "not a decimal")


class CmsgTest(Case):
    @staticmethod
    def python_limit(fn):
        lo, hi = 0, 2**40
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if python_refuses(fn, mid):
                hi = mid - 1
            else:
                lo = mid
        return lo

    def test_sizes_and_limits_match_python(self):
        for verb, fn in [("cmsg-len", socket.CMSG_LEN), ("cmsg-space", socket.CMSG_SPACE)]:
            limit = self.python_limit(fn)
            for n in [0, 1, 4, 7, 8, 9, 12, 100, limit]:
                with self.subTest(verb=verb, n=n):
                    self.assertEqual(int(out("inet", verb, str(n))), fn(n))
            for n in [limit + 1, -1, 2**64]:
                with self.subTest(verb=verb, n=n):
                    self.assertTrue(python_refuses(fn, n))
                    self.assertFails(run("inet", verb, str(n)), USAGE, f"'{n}'")
        self.assertEqual(run_json("inet", "cmsg-space", "4"), {"length": 4, "result": socket.CMSG_SPACE(4)})


class InterfaceTest(Case):
    def test_ifaces_json_is_if_nameindex(self):
        doc = run_json("inet", "ifaces")
        self.assertEqual([(i["index"], i["name"]) for i in doc["interfaces"]], sorted(socket.if_nameindex()))
        lo = next(i for i in doc["interfaces"] if i["name"] == "lo")
        self.assertIn("loopback", lo["flags"])
        self.assertIn({"family": "inet", "address": "127.0.0.1", "prefixlen": 8}, lo["addresses"])

    @unittest.skipUnless(shutil.which("ip"), "iproute2's ip is not installed")
    def test_ifaces_agree_with_ip(self):
        links = json.loads(subprocess.run(["ip", "-j", "address", "show"], check=True, capture_output=True,
                                          timeout=10).stdout)
        ours = {i["name"]: i for i in run_json("inet", "ifaces")["interfaces"]}
        for link in links:
            name = link["ifname"]
            with self.subTest(interface=name):
                self.assertEqual(ours[name]["index"], link["ifindex"])
                self.assertEqual(ours[name]["mtu"], link["mtu"])
                if link.get("address") and link.get("link_type") != "none":
                    self.assertEqual(ours[name]["mac"], link["address"])
                self.assertEqual(set(f.lower() for f in link["flags"]) - {"unknown"} <= set(ours[name]["flags"]), True)
                want = {(a["local"], a["prefixlen"]) for a in link["addr_info"] if a["family"] in ("inet", "inet6")}
                have = {(a["address"], a["prefixlen"]) for a in ours[name]["addresses"]}
                self.assertEqual(have, want)

    def test_ifaces_human_lists_every_interface(self):
        lines = out("inet", "ifaces").splitlines()
        self.assertEqual([tuple(l.split()[:2]) for l in lines], [(str(i), n) for i, n in sorted(socket.if_nameindex())])

    def test_ifindex_and_ifname_match_python(self):
        for index, name in socket.if_nameindex():
            with self.subTest(name=name):
                self.assertEqual(out("inet", "ifindex", name), f"{socket.if_nametoindex(name)}\n")
                self.assertEqual(out("inet", "ifname", str(index)), f"{socket.if_indextoname(index)}\n")
        self.assertEqual(run_json("inet", "ifindex", "lo"), {"name": "lo", "index": socket.if_nametoindex("lo")})
        self.assertEqual(run_json("inet", "ifname", "1"), {"index": 1, "name": socket.if_indextoname(1)})

    def test_unknown_interfaces_are_unavailable(self):
        for name in ["no-such-if0", "", "x" * 40]:
            with self.subTest(name=name):
                self.assertTrue(python_refuses(socket.if_nametoindex, name))
                self.assertFails(run("inet", "ifindex", "--", name), UNAVAILABLE, f"interface '{name}'")
        for index in [0, 99999]:
            with self.subTest(index=index):
                self.assertTrue(python_refuses(socket.if_indextoname, index))
                self.assertFails(run("inet", "ifname", str(index)), UNAVAILABLE, f"'{index}'")
        for text in ["-1", "abc", "4294967296"]:
            with self.subTest(text=text):
                self.assertFails(run("inet", "ifname", "--", text), USAGE, f"'{text}'")


class ConstTest(Case):
    # Python defines these itself for a never-merged akcipher patch; mainline's
    # 6 at SOL_ALG is ALG_SET_DRBG_ENTROPY, so sockctl does not carry them.
    NOT_KERNEL = {"ALG_OP_SIGN", "ALG_OP_VERIFY", "ALG_SET_PUBKEY"}
    ERRNO = {"EAGAIN", "EBADF", "EWOULDBLOCK"}

    def python_constants(self):
        return {n: getattr(socket, n) for n in dir(socket)
                if re.fullmatch(r"[A-Z][A-Z0-9_]+", n) and isinstance(getattr(socket, n), int)
                and n not in self.NOT_KERNEL | self.ERRNO}

    def test_every_python_constant_is_known_with_its_value(self):
        ours = {c["name"]: c["value"] for c in run_json("inet", "const", "--list")["constants"]}
        theirs = self.python_constants()
        self.assertGreater(len(theirs), 300)
        missing = sorted(set(theirs) - set(ours))
        self.assertEqual(missing, [])
        wrong = {n: (ours[n], v) for n, v in theirs.items() if ours[n] != v}
        self.assertEqual(wrong, {})

    def test_acceptance_so_reuseaddr(self):
        self.assertEqual(out("inet", "const", "SO_REUSEADDR").split(),
                         ["SO_REUSEADDR", str(socket.SO_REUSEADDR), hex(socket.SO_REUSEADDR), "option", "SOL_SOCKET",
                          "0|1"])
        doc = run_json("inet", "const", "so_reuseaddr")
        self.assertEqual(doc, {"name": "SO_REUSEADDR", "value": socket.SO_REUSEADDR, "group": "option",
                               "level": socket.SOL_SOCKET, "level_name": "SOL_SOCKET", "value_type": "bool",
                               "syntax": "0|1"})

    def test_single_names_match_python(self):
        for name in ["TCP_NODELAY", "IP_TTL", "IPV6_V6ONLY", "CAN_RAW_FD_FRAMES", "TIPC_IMPORTANCE", "SOL_TIPC",
                     "ALG_SET_KEY", "SOL_ALG", "AF_INET6", "MSG_PEEK", "EAI_NONAME", "INADDR_BROADCAST", "NI_MAXHOST"]:
            with self.subTest(name=name):
                self.assertEqual(run_json("inet", "const", name)["value"], getattr(socket, name))

    def test_lookup_by_value_with_prefix(self):
        names = {c["name"] for c in run_json("inet", "const", "2", "--prefix", "SO_")["constants"]}
        self.assertIn("SO_REUSEADDR", names)
        self.assertTrue(all(n.startswith("SO_") for n in names))
        names = {c["name"] for c in run_json("inet", "const", "-2")["constants"]}
        self.assertEqual(names, {"EAI_NONAME"})
        self.assertEqual({c["name"] for c in run_json("inet", "const", "--list", "shut_")["constants"]},
                         {"SHUT_RD", "SHUT_WR", "SHUT_RDWR"})

    def test_misses_and_misspellings(self):
        self.assertFails(run("inet", "const", "SO_REUSEADR"), NO_HOST, "'SO_REUSEADR'", "did you mean 'SO_REUSEADDR'")
        self.assertFails(run("inet", "const", "reuseaddr"), NO_HOST, "did you mean 'SO_REUSEADDR'")
        self.assertFails(run("inet", "const", "--list", "NO_SUCH_PREFIX_"), 1, "'NO_SUCH_PREFIX_'")
        self.assertFails(run("inet", "const"), USAGE, "QUERY")

    def test_a_value_no_constant_has_is_unknown_like_a_name(self):
        # Python has no constant with these values either (its enums refuse them).
        for value in ["999999", "123456789", "-999", "0x7ffffff0"]:
            with self.subTest(value=value):
                self.assertNotIn(int(value, 0), self.python_constants().values())
                self.assertFails(run("inet", "const", "--", value), NO_HOST, f"'{value}'")
        self.assertFails(run("inet", "const", "2", "--prefix", "NO_SUCH_"), NO_HOST, "'2'", "'NO_SUCH_'")
        p = run("--json", "inet", "const", "999999")
        self.assertEqual(p.returncode, NO_HOST)
        self.assertEqual(p.stdout, b"")
        self.assertEqual(json.loads(p.stderr)["error"]["exit"], NO_HOST)

    def test_sockopt_encodings_match_struct_pack(self):
        cases = [
            ("SO_REUSEADDR=1", socket.SOL_SOCKET, socket.SO_REUSEADDR, struct.pack("i", 1)),
            ("SO_LINGER=on,5", socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 5)),
            ("SO_RCVTIMEO=1.5", socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("qq", 1, 500000)),
            ("SO_BINDTODEVICE=lo", socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"lo"),
            ("TCP_NODELAY=on", socket.IPPROTO_TCP, socket.TCP_NODELAY, struct.pack("i", 1)),
            ("TCP_CONGESTION=cubic", socket.IPPROTO_TCP, socket.TCP_CONGESTION, b"cubic"),
            ("IP_ADD_MEMBERSHIP=224.1.2.3,1", socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
             socket.inet_aton("224.1.2.3") + socket.inet_aton("0.0.0.0") + struct.pack("i", 1)),
            ("IPV6_JOIN_GROUP=ff02::1,1", socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
             socket.inet_pton(socket.AF_INET6, "ff02::1") + struct.pack("I", 1)),
            ("CAN_RAW_FILTER=123:7FF", socket.SOL_CAN_RAW, socket.CAN_RAW_FILTER, struct.pack("II", 0x123, 0x7FF)),
            ("6:1=1", socket.IPPROTO_TCP, socket.TCP_NODELAY, struct.pack("i", 1)),
        ]
        for text, level, option, optval in cases:
            with self.subTest(text=text):
                doc = run_json("inet", "const", text)
                self.assertEqual((doc["level"], doc["option"], bytes.fromhex(doc["optval"]), doc["optlen"]),
                                 (level, option, optval, len(optval)))

    def test_sockopt_bytes_are_what_the_kernel_takes(self):
        # Python sets the bytes sockctl computed; the kernel reads them back.
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            for text, level, option, fmt, want in [("SO_LINGER=on,7", socket.SOL_SOCKET, socket.SO_LINGER, "ii", (1, 7)),
                                                   ("IP_TTL=33", socket.IPPROTO_IP, socket.IP_TTL, "i", (33,)),
                                                   ("TCP_KEEPIDLE=77", socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, "i", (77,))]:
                with self.subTest(text=text):
                    s.setsockopt(level, option, bytes.fromhex(run_json("inet", "const", text)["optval"]))
                    self.assertEqual(struct.unpack(fmt, s.getsockopt(level, option, struct.calcsize(fmt))), want)

    def test_bad_sockopts_exit_64_or_65(self):
        self.assertFails(run("inet", "const", "SO_REUSEADR=1"), USAGE, "'SO_REUSEADR'", "did you mean 'SO_REUSEADDR'")
        self.assertFails(run("inet", "const", "SO_LINGER=5"), USAGE, "'SO_LINGER=5'", "ON,SECS")
        self.assertFails(run("inet", "const", "ALG_SET_KEY=x:abc"), DATA, "'x:abc'")


class ParseTest(Case):
    def test_acceptance_link_local_with_zone(self):
        doc = run_json("inet", "parse", "tcp:[fe80::1%lo]:8080")
        lo = socket.if_nametoindex("lo")
        self.assertEqual((doc["scheme"], doc["family"], doc["type"], doc["proto"], doc["proto_name"]),
                         ("tcp", "inet6", "stream", socket.IPPROTO_TCP, "tcp"))
        (entry,) = doc["sockaddrs"]
        info = socket.getaddrinfo("fe80::1%lo", 8080, socket.AF_INET6, socket.SOCK_STREAM)[0]
        host, port, flowinfo, scope_id = info[4]
        # Python (3.7 on) leaves the zone out of the host and gives it as
        # scope_id; sockctl's address fields keep it in the host as well.
        self.assertEqual(entry["sockaddr"], {"family": "inet6", "host": f"{host}%lo", "port": port,
                                             "flowinfo": flowinfo, "scope_id": scope_id,
                                             "endpoint": "tcp:[fe80::1%lo]:8080"})
        self.assertEqual(scope_id, lo)
        packed = struct.pack("=H", socket.AF_INET6) + struct.pack("!HI", 8080, 0) + \
            socket.inet_pton(socket.AF_INET6, "fe80::1") + struct.pack("=I", lo)
        self.assertEqual((entry["length"], bytes.fromhex(entry["hex"])), (len(packed), packed))

    def test_no_resolve_keeps_the_zone_name(self):
        doc = run_json("inet", "parse", "--no-resolve", "tcp:[fe80::1%lo]:8080")
        self.assertFalse(doc["resolved"])
        self.assertEqual(doc["interface"], "lo")
        self.assertEqual(doc["sockaddrs"][0]["sockaddr"]["scope_id"], 0)
        self.assertEqual(run_json("inet", "parse", "-n", "tcp:localhost:http")["sockaddrs"], [])

    def test_names_resolve_as_getaddrinfo(self):
        doc = run_json("inet", "parse", "tcp:localhost:http")
        ours = {(e["sockaddr"]["host"], e["sockaddr"]["port"]) for e in doc["sockaddrs"]}
        theirs = {ai[4][:2] for ai in socket.getaddrinfo("localhost", "http", type=socket.SOCK_STREAM,
                                                          flags=socket.AI_ADDRCONFIG)}
        self.assertEqual(ours, theirs)
        self.assertEqual((doc["host"], doc["service"], doc["family"]), ("localhost", "http", "unspec"))

    def test_sockaddr_bytes(self):
        cases = [("udp4:127.0.0.1:53", struct.pack("=H", socket.AF_INET) + struct.pack("!H", 53) +
                  socket.inet_aton("127.0.0.1") + bytes(8)),
                 ("unix:@sockctl", struct.pack("=H", socket.AF_UNIX) + b"\0sockctl")]
        for text, packed in cases:
            with self.subTest(endpoint=text):
                (entry,) = run_json("inet", "parse", text)["sockaddrs"]
                self.assertEqual(bytes.fromhex(entry["hex"]), packed)
                self.assertEqual(entry["length"], len(packed))

    def test_human_output_names_the_fields(self):
        text = out("inet", "parse", "tcp:[::1]:80")
        self.assertRegex(text, r"(?m)^family\s+inet6$")
        self.assertRegex(text, r"(?m)^proto\s+6$")
        self.assertRegex(text, r"(?m)^sockaddr\s+tcp:\[::1\]:80$")
        self.assertRegex(text, r"(?m)^  hex\s+0a000050")

    def test_bad_endpoints(self):
        self.assertFails(run("inet", "parse", "tpc:localhost:80"), USAGE, "'tpc'", "did you mean 'tcp'")
        self.assertFails(run("inet", "parse", "tcp:[::1]"), USAGE, "'tcp:[::1]'")
        self.assertFails(run("inet", "parse", "tcp:[fe80::1%no-such-if0]:1"), UNAVAILABLE, "'no-such-if0'")


class SchemesTest(Case):
    def test_schemes_are_the_endpoint_table(self):
        dump = json.loads(run("--dump-cli").stdout)
        doc = run_json("inet", "schemes")
        self.assertEqual([s["name"] for s in doc["schemes"]], dump["schemes"])
        tcp = next(s for s in doc["schemes"] if s["name"] == "tcp")
        self.assertEqual((tcp["type"], tcp["proto"], tcp["proto_name"], tcp["body"]),
                         ("stream", socket.IPPROTO_TCP, "tcp", "HOST:PORT"))
        self.assertEqual(len(out("inet", "schemes").splitlines()), len(dump["schemes"]))

    def test_every_example_parses_under_its_scheme(self):
        for s in run_json("inet", "schemes")["schemes"]:
            with self.subTest(scheme=s["name"]):
                p = run("--json", "inet", "parse", "--no-resolve", s["example"])
                if b"not written yet" in p.stderr:
                    self.skipTest(f"the {s['name']} codec is not written yet (issue 2)")
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertEqual(json.loads(p.stdout)["scheme"], s["name"])


class ErrorsTest(Case):
    def test_json_errors(self):
        p = run("--json", "inet", "aton", "1.2.3.256")
        self.assertEqual(p.returncode, USAGE)
        self.assertEqual(p.stdout, b"")
        err = json.loads(p.stderr)["error"]
        self.assertEqual(err["exit"], USAGE)
        self.assertIn("'1.2.3.256'", err["message"])

    def test_verb_is_required(self):
        self.assertFails(run("inet"), USAGE)
        self.assertFails(run("inet", "nosuchverb"), USAGE, "nosuchverb")
        self.assertFails(run("inet", "aton"), USAGE)


if __name__ == "__main__":
    unittest.main()
