"""test_sniff.py: `sockctl sniff` on a veth pair between two network
namespaces this test creates (sockctl-sniff-a, sockctl-sniff-b), on loopback,
and over pcap files. Known frames are injected with an AF_PACKET socket in
namespace a and captured in b; filters must select what tcpdump selects on
the same frames, -w files must read back in tcpdump with the same lines, and
--json must agree with tshark. Malformed pcaps and bad flags end in one line
and the spec's exit code. netlink events of a namespace are watched."""
import json
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import threading
import unittest

from sockctl import BINARY, Case, next_event, run, start, stop

NS_A, NS_B = "sockctl-sniff-a", "sockctl-sniff-b"
IF_A, IF_B = "sksniff-a", "sksniff-b"
MAC_A, MAC_B = bytes.fromhex("020000000a01"), bytes.fromhex("020000000b02")
IP_A, IP_B = "10.77.0.1", "10.77.0.2"
# Injected frames go to an address b does not have, so b never answers them.
IP_X = "10.77.0.99"


def sh(*args, check=True, **kw):
    return subprocess.run(args, check=check, capture_output=True, timeout=20, **kw)


def in_ns(ns, *args):
    return ["ip", "netns", "exec", ns, *args]


# --- frames -------------------------------------------------------------------

def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(proto, payload, src=IP_A, dst=IP_X, ident=1, ihl=5, frag=0x4000, total=None, options=b""):
    total = total if total is not None else 4 * ihl + len(payload)
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, total, ident, frag, 64, proto, 0,
                    socket.inet_aton(src), socket.inet_aton(dst)) + options
    h = h[:10] + struct.pack("!H", checksum(h)) + h[12:]
    return h + payload


def udp(sport, dport, data):
    return struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data


def tcp(sport, dport, seq, ack, flags, data=b"", window=502):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, window, 0, 0) + data


def ether(payload, ethertype, src=MAC_A, dst=MAC_B):
    return dst + src + struct.pack("!H", ethertype) + payload


def vlan(payload, ethertype, vid):
    return MAC_B + MAC_A + struct.pack("!HHH", 0x8100, vid, ethertype) + payload


def arp_request():
    return struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, MAC_A, socket.inet_aton(IP_A),
                       b"\0" * 6, socket.inet_aton(IP_X))


def ipv6(nh, payload, src="fd00::1", dst="fd00::2"):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nh, 64,
                       socket.inet_pton(socket.AF_INET6, src), socket.inet_pton(socket.AF_INET6, dst)) + payload


def icmp_echo(ident, seq, data=b"sockctl!"):
    body = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + data
    return body[:2] + struct.pack("!H", checksum(body)) + body[4:]


# The frames every live test sends, in order: what they are, the bytes.
FRAMES = [
    ("udp", ether(ipv4(17, udp(40000, 40053, b"query")), 0x0800)),
    ("icmp", ether(ipv4(1, icmp_echo(7, 1)), 0x0800)),
    ("arp", ether(arp_request(), 0x0806)),
    ("vlan", vlan(ipv4(17, udp(40001, 9999, b"tagged")), 0x0800, 42)),
    # Hop-by-hop (8 bytes), destination options (8), then a fragment header,
    # then UDP.
    ("ipv6", ether(ipv6(0, bytes([60, 0, 1, 4, 0, 0, 0, 0]) + bytes([44, 0, 1, 4, 0, 0, 0, 0])
                         + struct.pack("!BBHI", 17, 0, 0, 0x1234) + udp(5000, 6000, b"v6")), 0x86DD)),
    ("syn", ether(ipv4(6, tcp(41000, 80, 1000, 0, 0x02)), 0x0800)),
    ("data", ether(ipv4(6, tcp(41000, 80, 1001, 5001, 0x18, b"x" * 100)), 0x0800)),
]


def write_pcap(path, frames, linktype=1, snaplen=262144, caplens=None):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype))
        for i, frame in enumerate(frames):
            wire = len(frame)
            cap = caplens[i] if caplens else wire
            f.write(struct.pack("<IIII", 1700000000 + i, i, cap, wire) + frame[:cap])


def tcpdump_lines(path, *filter_words):
    p = sh("tcpdump", "-nn", "-r", path, *filter_words)
    return [line for line in p.stdout.decode().splitlines()]


class Namespaces:
    """Two namespaces joined by a veth pair, quiet (no IPv6 autoconfiguration)."""

    @staticmethod
    def create():
        Namespaces.destroy()
        sh("ip", "netns", "add", NS_A)
        sh("ip", "netns", "add", NS_B)
        sh("ip", "link", "add", IF_A, "netns", NS_A, "address", MAC_A.hex(":"), "type", "veth",
           "peer", "name", IF_B, "netns", NS_B, "address", MAC_B.hex(":"))
        for ns, ifname, ip in ((NS_A, IF_A, IP_A), (NS_B, IF_B, IP_B)):
            sh(*in_ns(ns, "sysctl", "-q", "-w", f"net.ipv6.conf.{ifname}.disable_ipv6=1"))
            sh("ip", "-n", ns, "addr", "add", ip + "/24", "dev", ifname)
            sh("ip", "-n", ns, "link", "set", ifname, "up")
            sh("ip", "-n", ns, "link", "set", "lo", "up")

    @staticmethod
    def destroy():
        for ns in (NS_A, NS_B):
            sh("ip", "netns", "del", ns, check=False)


INJECT = """
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
data = sys.stdin.buffer.read()
while data:
    n = int.from_bytes(data[:4], "big")
    s.send(data[4:4 + n])
    data = data[4 + n:]
"""


def inject(frames):
    """Sends frames out of namespace a's end of the veth, in order."""
    blob = b"".join(len(f).to_bytes(4, "big") + f for f in frames)
    sh(*in_ns(NS_A, "python3", "-c", INJECT, IF_A), input=blob)


def sniff_in_b(*args):
    """Starts sockctl --json sniff in namespace b and waits for it to listen."""
    proc = subprocess.Popen(in_ns(NS_B, BINARY, "--json", "sniff", "-i", IF_B, *args),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    event = next_event(proc)
    assert event["event"] == "listening", event
    return proc


def read_event(proc, timeout=10):
    """The next JSON Lines event. sockctl writes a batch of lines at once, so
    select() on the pipe cannot tell whether one is already buffered: a
    timer ends the process instead if nothing comes."""
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    try:
        line = proc.stdout.readline()
    finally:
        timer.cancel()
    if not line:
        raise AssertionError("sockctl ended: " + proc.stderr.read().decode())
    return json.loads(line)


def finish(proc, timeout=10):
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop(proc)
        raise AssertionError("sniff did not end by itself")
    return proc.returncode, out.decode(), err.decode()


@unittest.skipUnless(os.geteuid() == 0, "needs root to create network namespaces")
class VethCapture(Case):
    @classmethod
    def setUpClass(cls):
        Namespaces.create()
        cls.tmp = tempfile.mkdtemp(prefix="sockctl-sniff-")

    @classmethod
    def tearDownClass(cls):
        Namespaces.destroy()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def test_known_frames_decode_to_their_fields(self):
        proc = sniff_in_b("-c", str(len(FRAMES)), "-x", "not ip6 or ip6")
        inject([f for _, f in FRAMES])
        code, out, err = finish(proc)
        self.assertEqual(code, 0, err)
        events = [json.loads(line) for line in out.splitlines()]
        packets = [e for e in events if e["event"] == "packet"]
        self.assertEqual(len(packets), len(FRAMES))
        by = dict(zip([n for n, _ in FRAMES], packets))
        self.assertEqual(by["udp"]["ip"]["src"], IP_A)
        self.assertEqual(by["udp"]["udp"]["dport"], 40053)
        self.assertEqual(by["udp"]["eth"]["src"], MAC_A.hex(":"))
        self.assertEqual(by["udp"]["data"], FRAMES[0][1][14:].hex())
        self.assertEqual(by["icmp"]["icmp"]["type"], 8)
        self.assertEqual(by["icmp"]["icmp"]["id"], 7)
        self.assertEqual(by["arp"]["arp"]["op"], 1)
        self.assertEqual(by["arp"]["arp"]["pdst"], IP_X)
        self.assertEqual(by["vlan"]["vlan"][0]["vlan"], 42, "the stripped tag is put back")
        self.assertEqual(by["vlan"]["udp"]["dport"], 9999)
        v6 = by["ipv6"]["ipv6"]
        self.assertEqual([e["type"] for e in v6["ext"]], [0, 60, 44])
        self.assertEqual(v6["proto"], 17)
        self.assertEqual(by["ipv6"]["udp"]["sport"], 5000)
        self.assertEqual(by["syn"]["tcp"]["flags"], ["syn"])
        self.assertEqual(by["data"]["tcp"]["flags"], ["psh", "ack"])
        self.assertEqual(by["data"]["tcp"]["len"], 100)
        stats = events[-1]
        self.assertEqual(stats["event"], "stats")
        self.assertEqual(stats["captured"], len(FRAMES))
        self.assertEqual(stats["dropped"], 0)

    def test_filters_select_what_tcpdump_selects(self):
        sent = self.path("sent.pcap")
        write_pcap(sent, [f for _, f in FRAMES])
        filters = ["udp", "icmp", "arp", "vlan", "ip6", "tcp[tcpflags] & tcp-syn != 0",
                   "udp port 40053 or tcp port 80", "not ip", "ether src 02:00:00:00:0a:01 and len > 100"]
        for expr in filters:
            with self.subTest(filter=expr):
                want = tcpdump_lines(sent, expr)
                self.assertTrue(want, "every filter matches something")
                got = self.path("got.pcap")
                proc = sniff_in_b("-c", str(len(want)), "--duration", "5", "-w", got, expr)
                inject([f for _, f in FRAMES])
                code, _, err = finish(proc)
                self.assertEqual(code, 0, err)
                # Times differ; the summaries after them must not.
                strip = lambda lines: [line.split(" ", 1)[1] for line in lines]
                self.assertEqual(strip(tcpdump_lines(got)), strip(want))

    def test_tcp_udp_icmp_traffic_reads_back_in_tcpdump_and_tshark(self):
        pcap = self.path("traffic.pcap")
        # Pure ACKs come and go with delayed-ACK timing; the rest is fixed.
        proc = sniff_in_b("-w", pcap, "-c", "8", "not arp and not (tcp[tcpflags] = tcp-ack and len <= 66)")
        server = subprocess.Popen(in_ns(NS_B, "python3", "-c", TRAFFIC_SERVER, IP_B),
                                  stdout=subprocess.PIPE)
        self.assertEqual(server.stdout.readline().strip(), b"ready")
        sh(*in_ns(NS_A, "python3", "-c", TRAFFIC_CLIENT, IP_B))
        server.wait(10)
        server.stdout.close()
        code, out, err = finish(proc)
        self.assertEqual(code, 0, err)
        stats = json.loads(out.splitlines()[-1])
        self.assertEqual((stats["captured"], stats["received"], stats["dropped"]), (8, 8, 0))

        theirs = tcpdump_lines(pcap)
        p = run("sniff", "-r", pcap)
        self.assertEqual(p.returncode, 0, p.stderr)
        ours = p.stdout.decode().splitlines()
        self.assertEqual(len(ours), 8)
        self.assertEqual(ours, theirs)

        p = run("--json", "sniff", "-r", pcap)
        mine = [json.loads(line) for line in p.stdout.decode().splitlines()]
        mine = [e for e in mine if e["event"] == "packet"]
        self.assertEqual(len(mine), 8)
        shark = json.loads(sh("tshark", "-r", pcap, "-T", "json").stdout)
        self.assertEqual(len(mine), len(shark))
        for m, t in zip(mine, shark):
            layers = t["_source"]["layers"]
            self.assertEqual(m["len"], int(layers["frame"]["frame.len"]))
            self.assertEqual(m["ip"]["src"], layers["ip"]["ip.src"])
            self.assertEqual(m["ip"]["dst"], layers["ip"]["ip.dst"])
            self.assertEqual(m["ip"]["len"], int(layers["ip"]["ip.len"]))
            self.assertEqual(m["ip"]["proto"], int(layers["ip"]["ip.proto"]))
            if "tcp" in layers:
                tl = layers["tcp"]
                self.assertEqual(m["tcp"]["sport"], int(tl["tcp.srcport"]))
                self.assertEqual(m["tcp"]["dport"], int(tl["tcp.dstport"]))
                self.assertEqual(m["tcp"]["len"], int(tl["tcp.len"]))
                self.assertEqual(m["tcp"]["seq"], int(tl["tcp.seq_raw"]))
                flags = int(tl["tcp.flags"], 16)
                names = ["fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr"]
                self.assertEqual(m["tcp"]["flags"], [n for i, n in enumerate(names) if flags >> i & 1])
            elif "udp" in layers:
                self.assertEqual(m["udp"]["sport"], int(layers["udp"]["udp.srcport"]))
                self.assertEqual(m["udp"]["dport"], int(layers["udp"]["udp.dstport"]))
                self.assertEqual(m["udp"]["len"], int(layers["udp"]["udp.length"]))
            else:
                self.assertEqual(m["icmp"]["type"], int(layers["icmp"]["icmp.type"]))

    def test_netlink_events_of_a_namespace(self):
        proc = subprocess.Popen(in_ns(NS_B, BINARY, "--json", "sniff", "--netlink", "route:link,ipv4-ifaddr"),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            self.assertEqual(next_event(proc)["event"], "listening")
            sh("ip", "-n", NS_B, "link", "add", "sksniff-d", "type", "bridge")
            sh("ip", "-n", NS_B, "addr", "add", "10.78.0.1/24", "dev", "sksniff-d")
            sh("ip", "-n", NS_B, "link", "del", "sksniff-d")
            msgs = []
            while not msgs or (msgs[-1]["action"], "link" in msgs[-1]) != ("del", True):
                msgs.append(read_event(proc)["netlink"])
            # SIGTERM ends a capture cleanly, with its counts.
            proc.terminate()
            code, out, err = finish(proc)
        finally:
            stop(proc)
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out.splitlines()[-1])["event"], "stats")
        self.assertEqual((msgs[0]["action"], msgs[0]["link"]["ifname"]), ("new", "sksniff-d"))
        addr = next(m for m in msgs if "address" in m)
        self.assertEqual((addr["action"], addr["address"]["address"], addr["address"]["prefixlen"]),
                         ("new", "10.78.0.1", 24))
        self.assertEqual(msgs[-1]["link"]["ifname"], "sksniff-d")

    def test_no_promisc_and_snaplen_cut_packets(self):
        proc = sniff_in_b("-p", "-s", "60", "-c", "1", "tcp")
        inject([FRAMES[6][1]])
        code, out, err = finish(proc)
        self.assertEqual(code, 0, err)
        packet = json.loads(out.splitlines()[0])
        self.assertEqual(packet["caplen"], 60)
        self.assertEqual(packet["len"], len(FRAMES[6][1]))


# A TCP handshake, 3 writes and a close, a UDP datagram and an ICMP echo (the
# kernel answers it): 12 packets without ARP.
TRAFFIC_SERVER = """
import socket, sys
srv = socket.create_server((sys.argv[1], 40080))
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind((sys.argv[1], 47000))
print("ready", flush=True)
c, _ = srv.accept()
while c.recv(4096):
    pass
c.close()
u.recv(100)
"""
TRAFFIC_CLIENT = """
import socket, sys
s = socket.create_connection((sys.argv[1], 40080))
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
s.sendall(b"hello " * 20)
s.shutdown(socket.SHUT_WR)
s.recv(1)
s.close()
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"ping", (sys.argv[1], 47000))
r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
body = bytes([8, 0, 0, 0, 0, 9, 0, 1]) + b"sockctl"
s = sum(int.from_bytes(body[i:i + 2], "big") for i in range(0, len(body) - 1, 2)) + (body[-1] << 8)
while s >> 16:
    s = (s & 0xffff) + (s >> 16)
body = body[:2] + (~s & 0xffff).to_bytes(2, "big") + body[4:]
r.sendto(body, (sys.argv[1], 0))
r.settimeout(5)
r.recv(100)
"""


class Files(Case):
    """Reading pcaps: malformed ones are reported, never crash."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sockctl-sniff-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def pcap(self, name, frames, **kw):
        path = os.path.join(self.tmp, name)
        write_pcap(path, frames, **kw)
        return path

    def test_malformed_packets_are_reported_as_damage(self):
        ip_udp = ether(ipv4(17, udp(1, 2, b"abc")), 0x0800)
        loop = ether(ipv6(0, bytes([0, 0, 0, 0, 0, 0, 0, 0]) * 40), 0x86DD)
        cases = [
            ("truncated ethernet", ip_udp[:10], "eth"),
            ("truncated ip", ip_udp[:20], "ip"),
            ("bogus ihl", ether(ipv4(17, udp(1, 2, b"abc"), ihl=3), 0x0800), "ip"),
            ("ihl past the end", ether(ipv4(17, b"", ihl=15), 0x0800), "ip"),
            ("truncated tcp", ether(ipv4(6, tcp(1, 2, 3, 4, 2)[:10]), 0x0800), "tcp"),
            ("ipv6 extension loop", loop, "ipv6"),
        ]
        path = self.pcap("bad.pcap", [c[1] for c in cases])
        p = run("--json", "sniff", "-r", path)
        self.assertEqual(p.returncode, 0, p.stderr)
        events = [json.loads(line) for line in p.stdout.decode().splitlines()]
        packets = [e for e in events if e["event"] == "packet"]
        self.assertEqual(events[-1], {"event": "stats", "captured": len(cases)})
        self.assertEqual(len(packets), len(cases))
        for (name, _, layer), packet in zip(cases, packets):
            with self.subTest(name):
                self.assertEqual(packet["damage"]["layer"], layer, packet)
        text = run("sniff", "-r", path)
        self.assertEqual(text.returncode, 0)
        self.assertEqual(len(text.stdout.decode().splitlines()), len(cases))

    def test_zero_length_captures_are_shown(self):
        frame = ether(ipv4(17, udp(1, 2, b"abc")), 0x0800)
        path = self.pcap("zero.pcap", [frame, frame], caplens=[0, len(frame)])
        p = run("--json", "sniff", "-r", path)
        self.assertEqual(p.returncode, 0, p.stderr)
        packets = [json.loads(line) for line in p.stdout.decode().splitlines()][:-1]
        self.assertEqual([pk["caplen"] for pk in packets], [0, len(frame)])
        self.assertIn("damage", packets[0])

    def test_garbage_file_exits_65(self):
        path = os.path.join(self.tmp, "garbage.pcap")
        with open(path, "wb") as f:
            f.write(os.urandom(1000))
        self.assertFails(run("sniff", "-r", path), 65, path)

    def test_file_cut_inside_a_record_prints_the_rest_and_exits_65(self):
        frame = ether(ipv4(17, udp(1, 2, b"abc")), 0x0800)
        path = self.pcap("cut.pcap", [frame, frame])
        with open(path, "r+b") as f:
            f.truncate(os.path.getsize(path) - 5)
        p = run("sniff", "-r", path)
        self.assertEqual(p.returncode, 65)
        self.assertEqual(len(p.stdout.decode().splitlines()), 1)
        self.assertEqual(p.stderr.decode().count("\n"), 1)

    def test_filter_applies_to_files_and_pcapng_is_read(self):
        frames = [f for _, f in FRAMES]
        path = self.pcap("sent.pcap", frames)
        ng = os.path.join(self.tmp, "sent.pcapng")
        sh("tshark", "-r", path, "-F", "pcapng", "-w", ng)
        for expr in ("udp", "arp or icmp"):
            want = tcpdump_lines(path, expr)
            got = run("sniff", "-r", ng, expr)
            self.assertEqual(got.returncode, 0, got.stderr)
            self.assertEqual(got.stdout.decode().splitlines(), want)

    def test_write_reads_back_byte_identical_records(self):
        path = self.pcap("in.pcap", [f for _, f in FRAMES])
        out = os.path.join(self.tmp, "out.pcap")
        self.assertEqual(run("sniff", "-r", path, "-w", out).returncode, 0)
        self.assertEqual(tcpdump_lines(out), tcpdump_lines(path))
        self.assertEqual(sh("tcpdump", "-r", out, "-xx", "-nn").stdout,
                         sh("tcpdump", "-r", path, "-xx", "-nn").stdout)


class BadInput(Case):
    def test_bad_flags_exit_64_naming_the_value(self):
        cases = [
            (["-i", "lo", "tcp port"], "tcp port"),
            (["-i", "lo", "--ip", "icmp"], "more than one source"),
            (["-r", "/dev/null", "-c", "0"], "'0'"),
            (["-i", "lo", "--duration", "-1"], "--duration"),
            (["-i", "lo", "-s", "999999"], "'999999'"),
            (["-i", "lo", "--buffer", "4T"], "'4T'"),
            (["--ip", "nosuchproto"], "'nosuchproto'"),
            (["--hci", "eth0"], "'eth0'"),
            (["-i", "lo", "-Z", "no-such-user-sockctl"], "'no-such-user-sockctl'"),
        ]
        for args, fragment in cases:
            with self.subTest(args=args):
                self.assertFails(run("sniff", *args), 64, fragment)

    def test_missing_interface_exits_69(self):
        self.assertFails(run("sniff", "-i", "nosuchif0"), 69, "'nosuchif0'")

    def test_missing_file_exits_66(self):
        self.assertFails(run("sniff", "-r", "/nonexistent/x.pcap"), 66, "/nonexistent/x.pcap")

    def test_unwritable_output_exits_74(self):
        self.assertFails(run("sniff", "-i", "lo", "-c", "1", "-w", "/nonexistent/x.pcap"), 74, "/nonexistent/x.pcap")

    def test_json_error_is_one_object(self):
        p = run("--json", "sniff", "-i", "lo", "tcp port")
        self.assertEqual(p.returncode, 64)
        self.assertEqual(p.stdout, b"")
        self.assertEqual(json.loads(p.stderr)["error"]["exit"], 64)

    @unittest.skipUnless(os.geteuid() == 0, "needs root to drop CAP_NET_RAW")
    def test_without_cap_net_raw_exits_77_with_a_hint(self):
        p = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                            "--inh-caps=-all", BINARY, "sniff", "-i", "lo", "-c", "1"],
                           capture_output=True, timeout=10)
        self.assertFails(p, 77, "CAP_NET_RAW")


@unittest.skipUnless(os.geteuid() == 0, "needs root to capture")
class Loopback(Case):
    def test_udp_on_loopback_once_each_and_user_dropped(self):
        rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        rx.bind(("127.0.0.1", 0))
        port = rx.getsockname()[1]
        proc = start("--json", "sniff", "-i", "lo", "-Z", "nobody", "-c", "2", f"udp dst port {port}")
        try:
            self.assertEqual(next_event(proc)["event"], "listening")
            with open(f"/proc/{proc.pid}/status") as f:
                status = f.read()
            uid_line = next(line for line in status.splitlines() if line.startswith("Uid:"))
            self.assertNotIn("\t0\t", uid_line + "\t")
            cap_eff = next(line for line in status.splitlines() if line.startswith("CapEff:"))
            self.assertEqual(int(cap_eff.split()[1], 16), 0)
            tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            for data in (b"one", b"two"):
                tx.sendto(data, ("127.0.0.1", port))
            tx.close()
            packets = [read_event(proc), read_event(proc)]
            self.assertEqual([p["udp"]["len"] for p in packets], [11, 11])
            self.assertEqual(read_event(proc)["event"], "stats")
            self.assertEqual(proc.wait(10), 0)
        finally:
            stop(proc)
            rx.close()


if __name__ == "__main__":
    unittest.main()
