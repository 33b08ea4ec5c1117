// decode_test.cpp: the decoders and renderers on crafted bytes: tcpdump's
// lines for the common cases, the JSON layers, and damage reported (never a
// read past the end) for truncated and malformed layers.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <linux/can.h>
#include <linux/rtnetlink.h>
#include <linux/tipc.h>

#include <cstring>
#include <string>
#include <vector>

#include "sockctl/decode.hpp"
#include "sockctl/json.hpp"

using namespace sockctl;

namespace {

using Buf = std::vector<std::uint8_t>;

Buf operator+(Buf a, Buf const& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
void be16(Buf& b, unsigned v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
void be32(Buf& b, std::uint32_t v) {
  be16(b, v >> 16);
  be16(b, v & 0xffff);
}
Buf addr4(char const* s) {
  Buf b(4);
  inet_pton(AF_INET, s, b.data());
  return b;
}
Buf addr6(char const* s) {
  Buf b(16);
  inet_pton(AF_INET6, s, b.data());
  return b;
}

constexpr char kMacA[] = "\x02\x00\x00\x00\x00\x01";
constexpr char kMacB[] = "\x02\x00\x00\x00\x00\x02";

Buf eth(unsigned type, Buf const& payload, char const* dst = kMacB, char const* src = kMacA) {
  Buf b(dst, dst + 6);
  b.insert(b.end(), src, src + 6);
  be16(b, type);
  return b + payload;
}
Buf ip4(char const* src, char const* dst, unsigned proto, Buf const& payload, unsigned frag = 0x4000,
        Buf const& options = {}) {
  Buf b;
  b.push_back(static_cast<std::uint8_t>(0x40 | (5 + options.size() / 4)));
  b.push_back(0);
  be16(b, static_cast<unsigned>(20 + options.size() + payload.size()));
  be16(b, 1);
  be16(b, frag);
  b.push_back(64);
  b.push_back(static_cast<std::uint8_t>(proto));
  be16(b, 0);
  return b + addr4(src) + addr4(dst) + options + payload;
}
Buf ip6(char const* src, char const* dst, unsigned nh, Buf const& payload) {
  Buf b;
  be32(b, 0x60000000);
  be16(b, static_cast<unsigned>(payload.size()));
  b.push_back(static_cast<std::uint8_t>(nh));
  b.push_back(64);
  return b + addr6(src) + addr6(dst) + payload;
}
Buf tcp(unsigned sport, unsigned dport, std::uint32_t seq, std::uint32_t ack, unsigned flags, unsigned win,
        Buf const& options = {}, std::size_t data = 0) {
  Buf b;
  be16(b, sport);
  be16(b, dport);
  be32(b, seq);
  be32(b, ack);
  b.push_back(static_cast<std::uint8_t>((20 + options.size()) / 4 << 4));
  b.push_back(static_cast<std::uint8_t>(flags));
  be16(b, win);
  be32(b, 0);
  return b + options + Buf(data, 'x');
}
Buf udp(unsigned sport, unsigned dport, std::size_t data) {
  Buf b;
  be16(b, sport);
  be16(b, dport);
  be16(b, static_cast<unsigned>(8 + data));
  be16(b, 0);
  return b + Buf(data, 'u');
}
Buf icmp(unsigned type, unsigned code, unsigned id, unsigned seq, Buf const& data) {
  Buf b{static_cast<std::uint8_t>(type), static_cast<std::uint8_t>(code), 0, 0};
  be16(b, id);
  be16(b, seq);
  return b + data;
}
Buf arp(unsigned op, char const* sha, char const* spa, char const* tha, char const* tpa) {
  Buf b;
  be16(b, 1);
  be16(b, 0x0800);
  b.push_back(6);
  b.push_back(4);
  be16(b, op);
  b.insert(b.end(), sha, sha + 6);
  b = b + addr4(spa);
  b.insert(b.end(), tha, tha + 6);
  return b + addr4(tpa);
}

const Buf kSynOptions = {2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 100, 0, 0, 0, 0, 1, 3, 3, 7};
const Buf kTsOptions = {1, 1, 8, 10, 0, 0, 0, 100, 0, 0, 0, 0};

std::string line(Link link, Buf const& b, TcpSeqTracker* seqs = nullptr, LineOptions const& opt = {}) {
  Packet p;
  decode_packet(link, Bytes(b.data(), b.size()), static_cast<std::uint32_t>(b.size()), p);
  std::string out;
  append_summary(out, p, opt, seqs);
  return out;
}

Json layers(Link link, Buf const& b) {
  Packet p;
  decode_packet(link, Bytes(b.data(), b.size()), static_cast<std::uint32_t>(b.size()), p);
  std::string out = "{\"x\":0";
  append_layers_json(out, p);
  out += '}';
  return Json::parse(out);
}

Damage damage(Link link, Buf const& b) {
  Packet p;
  decode_packet(link, Bytes(b.data(), b.size()), static_cast<std::uint32_t>(b.size()), p);
  return p.damage;
}

}  // namespace

TEST_CASE("decode: a TCP connection reads as tcpdump prints it, relative sequence numbers included") {
  TcpSeqTracker seqs;
  struct Row {
    Buf frame;
    char const* expected;
  };
  Row const rows[] = {
      {eth(0x800, ip4("10.0.0.1", "10.0.0.2", 6, tcp(40000, 443, 1000, 0, 0x02, 64240, kSynOptions))),
       "IP 10.0.0.1.40000 > 10.0.0.2.443: Flags [S], seq 1000, win 64240, options [mss 1460,sackOK,TS val 100 "
       "ecr 0,nop,wscale 7], length 0"},
      {eth(0x800, ip4("10.0.0.2", "10.0.0.1", 6, tcp(443, 40000, 5000, 1001, 0x12, 65160, kSynOptions))),
       "IP 10.0.0.2.443 > 10.0.0.1.40000: Flags [S.], seq 5000, ack 1001, win 65160, options [mss 1460,sackOK,TS "
       "val 100 ecr 0,nop,wscale 7], length 0"},
      {eth(0x800, ip4("10.0.0.1", "10.0.0.2", 6, tcp(40000, 443, 1001, 5001, 0x10, 502, kTsOptions))),
       "IP 10.0.0.1.40000 > 10.0.0.2.443: Flags [.], ack 1, win 502, options [nop,nop,TS val 100 ecr 0], length 0"},
      {eth(0x800, ip4("10.0.0.1", "10.0.0.2", 6, tcp(40000, 443, 1001, 5001, 0x18, 502, kTsOptions, 100))),
       "IP 10.0.0.1.40000 > 10.0.0.2.443: Flags [P.], seq 1:101, ack 1, win 502, options [nop,nop,TS val 100 ecr "
       "0], length 100"},
      {eth(0x800, ip4("10.0.0.2", "10.0.0.1", 6, tcp(443, 40000, 5001, 1101, 0x10, 509))),
       "IP 10.0.0.2.443 > 10.0.0.1.40000: Flags [.], ack 101, win 509, length 0"},
      {eth(0x800, ip4("10.0.0.1", "10.0.0.2", 6, tcp(40000, 443, 1101, 5001, 0x11, 502))),
       "IP 10.0.0.1.40000 > 10.0.0.2.443: Flags [F.], seq 101, ack 1, win 502, length 0"},
      {eth(0x800, ip4("10.0.0.1", "10.0.0.2", 6, tcp(40000, 443, 1102, 5001, 0x04, 0))),
       "IP 10.0.0.1.40000 > 10.0.0.2.443: Flags [R], seq 1102, win 0, length 0"},
  };
  for (auto const& row : rows) CHECK(line(Link::ethernet, row.frame, &seqs) == row.expected);
}

TEST_CASE("decode: common packets read as tcpdump -n prints them") {
  struct Row {
    Buf frame;
    char const* expected;
  };
  Buf ns = icmp(135, 0, 0, 0, addr6("fd00::2"));
  Row const rows[] = {
      {eth(0x800, ip4("10.0.0.1", "10.0.0.2", 17, udp(40000, 41000, 5))),
       "IP 10.0.0.1.40000 > 10.0.0.2.41000: UDP, length 5"},
      {eth(0x800, ip4("10.0.0.1", "10.0.0.2", 1, icmp(8, 0, 7, 1, Buf(56, 'a')))),
       "IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 7, seq 1, length 64"},
      {eth(0x800, ip4("10.0.0.2", "10.0.0.1", 1, icmp(0, 0, 7, 1, Buf(56, 'a')))),
       "IP 10.0.0.2 > 10.0.0.1: ICMP echo reply, id 7, seq 1, length 64"},
      {eth(0x806, arp(1, kMacA, "10.0.0.1", "\0\0\0\0\0\0", "10.0.0.2")),
       "ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28"},
      {eth(0x806, arp(2, kMacB, "10.0.0.2", kMacA, "10.0.0.1")),
       "ARP, Reply 10.0.0.2 is-at 02:00:00:00:00:02, length 28"},
      {eth(0x806, arp(1, kMacA, "10.0.0.1", "\xff\xff\xff\xff\xff\xff", "10.0.0.2")),
       "ARP, Request who-has 10.0.0.2 (ff:ff:ff:ff:ff:ff) tell 10.0.0.1, length 28"},
      {eth(0x86dd, ip6("fd00::1", "fd00::2", 17, udp(40000, 41000, 5))),
       "IP6 fd00::1.40000 > fd00::2.41000: UDP, length 5"},
      {eth(0x86dd, ip6("fd00::1", "fd00::2", 58, icmp(128, 0, 7, 1, Buf(8, 'a')))),
       "IP6 fd00::1 > fd00::2: ICMP6, echo request, id 7, seq 1, length 16"},
      {eth(0x86dd, ip6("fe80::1", "ff02::1:ff00:2", 58, ns)),
       "IP6 fe80::1 > ff02::1:ff00:2: ICMP6, neighbor solicitation, who has fd00::2, length 24"},
      {eth(0x86dd, ip6("fd00::1", "fd00::2", 0, Buf{17, 0, 1, 4, 0, 0, 0, 0} + udp(40000, 41000, 2))),
       "IP6 fd00::1 > fd00::2: HBH 40000 > 41000: UDP, length 2"},
      {eth(0x86dd, ip6("fd00::1", "fd00::2", 44, Buf{17, 0, 0, 1, 0, 0, 0, 42} + udp(40000, 41000, 4))),
       "IP6 fd00::1 > fd00::2: frag (0|12) 40000 > 41000: UDP, length 4"},
      {eth(0x86dd, ip6("fd00::1", "fd00::2", 59, {})), "IP6 fd00::1 > fd00::2: no next header"},
      {eth(0x8100, Buf{0x60, 100, 0x08, 0x00} + ip4("10.0.0.1", "10.0.0.2", 17, udp(40000, 41000, 4))),
       "IP 10.0.0.1.40000 > 10.0.0.2.41000: UDP, length 4"},
      {eth(0x800, ip4("10.0.0.1", "10.0.0.2", 17, udp(40000, 41000, 8), 0x2000)),
       "IP 10.0.0.1.40000 > 10.0.0.2.41000: UDP, length 8"},
      {eth(0x800, ip4("10.0.0.1", "10.0.0.2", 17, Buf(8, '1'), 0x0001)), "IP 10.0.0.1 > 10.0.0.2: ip-proto-17"},
      {eth(0x800, ip4("10.0.0.2", "10.0.0.1", 1, icmp(3, 3, 0, 0, ip4("10.0.0.1", "10.0.0.2", 17, udp(40000, 9, 0))))),
       "IP 10.0.0.2 > 10.0.0.1: ICMP 10.0.0.2 udp port 9 unreachable, length 36"},
      {eth(0x800, ip4("10.0.0.2", "10.0.0.1", 1, icmp(11, 0, 0, 0, ip4("10.0.0.1", "10.0.0.2", 17, udp(1, 9, 0))))),
       "IP 10.0.0.2 > 10.0.0.1: ICMP time exceeded in-transit, length 36"},
      {eth(0x800, ip4("10.0.0.1", "10.0.0.2", 17, udp(40000, 41000, 3), 0x4000, Buf{0x94, 4, 0, 0})),
       "IP 10.0.0.1.40000 > 10.0.0.2.41000: UDP, length 3"},
      {eth(0x800, ip4("10.0.0.1", "10.0.0.2", 253, Buf(8, 0))), "IP 10.0.0.1 > 10.0.0.2:  ip-proto-253 8"},
      {eth(0x1234, Buf(40, 'a')),
       "02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype Unknown (0x1234), length 54"},
      {eth(0x800, ip4("10.0.0.1", "10.0.0.2", 6, tcp(40000, 443, 1, 0, 0xe2, 100, Buf{5, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}))),
       "IP 10.0.0.1.40000 > 10.0.0.2.443: Flags [SUEW], seq 1, win 100, urg 0, options [sack 1 {0:0},eol], "
       "length 0"},
  };
  for (auto const& row : rows) CHECK(line(Link::ethernet, row.frame) == row.expected);
}

TEST_CASE("decode: -e shows MAC addresses, ethertypes and VLAN tags as tcpdump -e does") {
  LineOptions e;
  e.link_header = true;
  struct Row {
    Buf frame;
    char const* expected;
  };
  Row const rows[] = {
      {eth(0x800, ip4("10.0.0.1", "10.0.0.2", 17, udp(40000, 41000, 5))),
       "02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 47: 10.0.0.1.40000 > "
       "10.0.0.2.41000: UDP, length 5"},
      {eth(0x8100, Buf{0x60, 100, 0x86, 0xdd} + ip6("fd00::1", "fd00::2", 17, udp(40000, 41000, 4))),
       "02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype 802.1Q (0x8100), length 70: vlan 100, p 3, ethertype "
       "IPv6 (0x86dd), fd00::1.40000 > fd00::2.41000: UDP, length 4"},
      {eth(0x88a8, Buf{0, 10, 0x81, 0} + Buf{0, 20, 0x08, 0} + ip4("10.0.0.1", "10.0.0.2", 17, udp(40000, 41000, 4))),
       "02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype 802.1Q-QinQ (0x88a8), length 54: vlan 10, p 0, "
       "ethertype 802.1Q (0x8100), vlan 20, p 0, ethertype IPv4 (0x0800), 10.0.0.1.40000 > 10.0.0.2.41000: UDP, "
       "length 4"},
      {eth(0x8100, Buf{0x60, 100, 0x08, 0x06} + arp(1, kMacA, "10.0.0.1", "\0\0\0\0\0\0", "10.0.0.2")),
       "02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype 802.1Q (0x8100), length 46: vlan 100, p 3, ethertype ARP "
       "(0x0806), Request who-has 10.0.0.2 tell 10.0.0.1, length 28"},
  };
  for (auto const& row : rows) CHECK(line(Link::ethernet, row.frame, nullptr, e) == row.expected);
}

TEST_CASE("decode: cooked v2 records name the interface and direction") {
  Buf sll2;
  be16(sll2, 0x0800);
  be16(sll2, 0);
  be32(sll2, 1);
  be16(sll2, 772);
  sll2.push_back(0);
  sll2.push_back(6);
  sll2.resize(20);
  Buf rec = sll2 + ip4("127.0.0.1", "127.0.0.1", 17, udp(35065, 40001, 2));
  LineOptions opt;
  opt.interface_name = [](std::uint32_t i) { return i == 1 ? std::string_view("lo") : std::string_view("?"); };
  CHECK(line(Link::linux_sll2, rec, nullptr, opt) == "lo    In  IP 127.0.0.1.35065 > 127.0.0.1.40001: UDP, length 2");
  opt.link_header = true;
  CHECK(line(Link::linux_sll2, rec, nullptr, opt) ==
        "lo    In  ifindex 1 00:00:00:00:00:00 ethertype IPv4 (0x0800), length 50: 127.0.0.1.35065 > "
        "127.0.0.1.40001: UDP, length 2");
  Packet p;
  decode_packet(Link::linux_sll2, Bytes(rec.data(), rec.size()), static_cast<std::uint32_t>(rec.size()), p);
  CHECK(packet_ifindex(p) == 1);
  CHECK(p.network_offset == 20);
}

TEST_CASE("decode: raw IP records pick IPv4 or IPv6 by the version nibble") {
  CHECK(line(Link::raw, ip4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, 0))) == "IP 10.0.0.1.1 > 10.0.0.2.2: UDP, length 0");
  CHECK(line(Link::raw, ip6("::1", "::1", 17, udp(1, 2, 1))) == "IP6 ::1.1 > ::1.2: UDP, length 1");
  CHECK(line(Link::ipv4, ip4("10.0.0.1", "10.0.0.2", 1, icmp(8, 0, 1, 2, {}))) ==
        "IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 2, length 8");
}

TEST_CASE("decode: JSON layers carry scapy's field names") {
  auto j = layers(Link::ethernet, eth(0x800, ip4("10.0.0.1", "10.0.0.2", 6,
                                                    tcp(40000, 443, 1000, 7, 0x12, 64240, kSynOptions, 3))));
  CHECK(j["eth"]["src"] == "02:00:00:00:00:01");
  CHECK(j["eth"]["dst"] == "02:00:00:00:00:02");
  CHECK(j["eth"]["type"] == 0x800);
  CHECK(j["ip"]["src"] == "10.0.0.1");
  CHECK(j["ip"]["dst"] == "10.0.0.2");
  CHECK(j["ip"]["proto"] == 6);
  CHECK(j["ip"]["len"] == 20 + 40 + 3);
  CHECK(j["ip"]["flags"] == Json::array({"df"}));
  CHECK(j["tcp"]["sport"] == 40000);
  CHECK(j["tcp"]["dport"] == 443);
  CHECK(j["tcp"]["seq"] == 1000);
  CHECK(j["tcp"]["ack"] == 7);
  CHECK(j["tcp"]["flags"] == Json::array({"syn", "ack"}));
  CHECK(j["tcp"]["options"]["mss"] == 1460);
  CHECK(j["tcp"]["options"]["wscale"] == 7);
  CHECK(j["tcp"]["options"]["sack_ok"] == true);
  CHECK(j["tcp"]["options"]["ts_val"] == 100);
  CHECK(j["tcp"]["len"] == 3);
  CHECK_FALSE(j.contains("damage"));

  auto v = layers(Link::ethernet, eth(0x88a8, Buf{0, 10, 0x81, 0} + Buf{0x20, 20, 0x86, 0xdd} +
                                                  ip6("fd00::1", "fd00::2", 44, Buf{17, 0, 0, 1, 0, 0, 0, 42} + udp(1, 2, 4))));
  REQUIRE(v["vlan"].size() == 2);
  CHECK(v["vlan"][0]["vlan"] == 10);
  CHECK(v["vlan"][1]["vlan"] == 20);
  CHECK(v["vlan"][1]["prio"] == 1);
  CHECK(v["ipv6"]["src"] == "fd00::1");
  CHECK(v["ipv6"]["ext"][0]["name"] == "frag");
  CHECK(v["ipv6"]["ext"][0]["id"] == 42);
  CHECK(v["ipv6"]["ext"][0]["offset"] == 0);
  CHECK(v["ipv6"]["ext"][0]["m"] == true);
  CHECK(v["udp"]["dport"] == 2);

  auto a = layers(Link::ethernet, eth(0x806, arp(2, kMacB, "10.0.0.2", kMacA, "10.0.0.1")));
  CHECK(a["arp"]["op"] == 2);
  CHECK(a["arp"]["psrc"] == "10.0.0.2");
  CHECK(a["arp"]["hwsrc"] == "02:00:00:00:00:02");

  auto i = layers(Link::ethernet, eth(0x800, ip4("10.0.0.2", "10.0.0.1", 1, icmp(3, 3, 0, 0, ip4("10.0.0.1", "10.0.0.2", 17, udp(5, 9, 0))))));
  CHECK(i["icmp"]["type"] == 3);
  CHECK(i["icmp"]["quoted"]["dport"] == 9);
  CHECK(i["icmp"]["len"] == 36);

  auto tunnel = layers(Link::raw, ip4("10.0.0.1", "10.0.0.2", 4, ip4("10.1.0.1", "10.1.0.2", 17, udp(1, 2, 0))));
  CHECK(tunnel["ip"]["src"] == "10.0.0.1");
  CHECK(tunnel["inner_ip"]["src"] == "10.1.0.1");
}

TEST_CASE("decode: malformed and truncated layers are reported, never read past") {
  struct Row {
    Link link;
    Buf frame;
    char const* layer;
    char const* message;
  };
  Buf bad_ihl = ip4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, 5));
  bad_ihl[0] = 0x43;
  Buf bad_total = ip4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, 5));
  bad_total[2] = 0;
  bad_total[3] = 10;
  Buf long_total = ip4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, 5));
  long_total[3] = static_cast<std::uint8_t>(long_total[3] + 3);
  Buf short_tcp = ip4("10.0.0.1", "10.0.0.2", 6, tcp(1, 2, 3, 4, 2, 5));
  short_tcp[20 + 12] = 0x30;
  Buf cut_tcp = ip4("10.0.0.1", "10.0.0.2", 6, tcp(1, 2, 3, 4, 2, 5));
  cut_tcp.resize(30);
  Buf hbh_loop = ip6("fd00::1", "fd00::2", 0, Buf{0, 0, 1, 4, 0, 0, 0, 0} + Buf{0, 0, 1, 4, 0, 0, 0, 0} + Buf{17, 0, 1, 4, 0, 0, 0, 0});
  Buf many_dstopts;
  for (int i = 0; i < 3; ++i) many_dstopts = many_dstopts + Buf{60, 0, 1, 4, 0, 0, 0, 0};
  Buf too_long_ext = ip6("fd00::1", "fd00::2", 60, Buf{17, 200, 1, 4, 0, 0, 0, 0});
  Buf udp_short_len = ip4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, 5));
  udp_short_len[20 + 5] = 3;
  Row const rows[] = {
      {Link::ethernet, {}, "eth", "eth truncated: 0 of 14 bytes"},
      {Link::ethernet, Buf{1, 2, 3}, "eth", "eth truncated: 3 of 14 bytes"},
      {Link::ethernet, eth(0x800, {}), "ip", "ip truncated: 0 of 20 bytes"},
      {Link::ethernet, eth(0x800, bad_ihl), "ip", "ip bad header length 12"},
      {Link::raw, bad_total, "ip", "ip bad total length 10 (want 20)"},
      {Link::raw, long_total, "ip", "ip truncated: 33 of 36 bytes"},
      {Link::raw, cut_tcp, "ip", "ip truncated: 30 of 40 bytes"},
      {Link::raw, short_tcp, "tcp", "tcp bad header length 12"},
      {Link::raw, hbh_loop, "ipv6", "ipv6 extension header loop"},
      {Link::raw, ip6("fd00::1", "fd00::2", 60, many_dstopts + udp(1, 2, 0)), "ipv6", "ipv6 extension header loop 60"},
      {Link::raw, too_long_ext, "ipv6", "ipv6 extension header length 1608 (want 8)"},
      {Link::raw, udp_short_len, "udp", "udp bad length 3"},
      {Link::raw, Buf{0x60}, "ipv6", "ipv6 truncated: 1 of 40 bytes"},
      {Link::raw, Buf{0x70, 0, 0, 0}, "ip", "ip truncated: 4 of 20 bytes"},
      {Link::linux_sll2, Buf(19, 0), "sll2", "sll2 truncated: 19 of 20 bytes"},
      {Link::can, Buf(5, 0), "can", "can truncated: 5 of 8 bytes"},
      {Link::bt_monitor, Buf{0, 0, 0, 2, 3, 0x0c, 9}, "hci", "hci truncated: 7 of 16 bytes"},
      {Link::netlink, Buf(16, 0) + Buf{8, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "netlink", "netlink bad message length 8"},
      {Link::tipc, Buf(47, 0), "tipc", "tipc truncated: 47 of 48 bytes"},
      {static_cast<Link>(147), Buf(4, 0), "link", "link unsupported link type 147"},
  };
  for (auto const& row : rows) {
    CAPTURE(row.message);
    auto d = damage(row.link, row.frame);
    CHECK(d.layer == row.layer);
    CHECK(d.message() == row.message);
  }
  // Damage is printed after what was decoded, and as a JSON member.
  CHECK(line(Link::raw, short_tcp) == "IP 10.0.0.1 > 10.0.0.2: [tcp bad header length 12]");
  auto j = layers(Link::raw, hbh_loop);
  CHECK(j["damage"]["layer"] == "ipv6");
  CHECK(j["damage"]["message"] == "ipv6 extension header loop");
}

TEST_CASE("decode: every prefix and every single-byte corruption of the samples decodes safely") {
  std::vector<std::pair<Link, Buf>> samples = {
      {Link::ethernet, eth(0x800, ip4("10.0.0.1", "10.0.0.2", 6, tcp(1, 2, 3, 4, 0x12, 5, kSynOptions, 10)))},
      {Link::ethernet, eth(0x8100, Buf{0, 5, 0x86, 0xdd} + ip6("::1", "::2", 0, Buf{44, 0, 1, 4, 0, 0, 0, 0} + Buf{58, 0, 0, 0, 0, 0, 0, 1} + icmp(1, 4, 0, 0, ip6("::2", "::1", 17, udp(1, 2, 0)))))},
      {Link::ethernet, eth(0x806, arp(1, kMacA, "10.0.0.1", kMacB, "10.0.0.2"))},
      {Link::ethernet, eth(0x800, ip4("10.0.0.2", "10.0.0.1", 1, icmp(3, 3, 0, 0, ip4("10.0.0.1", "10.0.0.2", 6, tcp(1, 2, 3, 4, 2, 5)))))},
  };
  TcpSeqTracker seqs;
  LineOptions opt;
  opt.link_header = true;
  for (auto const& [link, frame] : samples) {
    for (std::size_t n = 0; n <= frame.size(); ++n) {
      Buf cut(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(n));
      CHECK_NOTHROW(line(link, cut, &seqs, opt));
      CHECK_NOTHROW(layers(link, cut));
    }
    for (std::size_t i = 0; i < frame.size(); ++i) {
      for (std::uint8_t v : {std::uint8_t{0}, std::uint8_t{0xff}, std::uint8_t{0x0f}}) {
        Buf bent = frame;
        bent[i] = v;
        CHECK_NOTHROW(line(link, bent, &seqs, opt));
        CHECK_NOTHROW(layers(link, bent));
      }
    }
  }
}

TEST_CASE("decode: CAN frames in candump, compact and JSON form") {
  auto frame = [](std::uint32_t id, std::uint8_t len, std::uint8_t flags, Buf data, CanIdOrder order) {
    Buf b(4);
    if (order == CanIdOrder::network) {
      b = {};
      be32(b, id);
    } else {
      std::memcpy(b.data(), &id, 4);
    }
    b.push_back(len);
    b.push_back(flags);
    b.push_back(0);
    b.push_back(0);
    return b + data;
  };
  struct Row {
    Buf bytes;
    CanIdOrder order;
    char const* candump;
    char const* compact;
  };
  Row const rows[] = {
      {frame(0x123, 4, 0, {0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0}, CanIdOrder::network), CanIdOrder::network,
       "123   [4]  DE AD BE EF", "123#DEADBEEF"},
      {frame(0x123, 4, 0, {0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0}, CanIdOrder::host), CanIdOrder::host,
       "123   [4]  DE AD BE EF", "123#DEADBEEF"},
      {frame(0x12345678 | CAN_EFF_FLAG, 1, 0, {1, 0, 0, 0, 0, 0, 0, 0}, CanIdOrder::host), CanIdOrder::host,
       "12345678   [1]  01", "12345678#01"},
      {frame(0x123 | CAN_RTR_FLAG, 0, 0, {0, 0, 0, 0, 0, 0, 0, 0}, CanIdOrder::network), CanIdOrder::network,
       "123   [0]  remote request", "123#R"},
      {frame(0x123, 12, CANFD_FDF | CANFD_BRS, Buf(64, 0x11), CanIdOrder::network), CanIdOrder::network,
       "123  [12]  11 11 11 11 11 11 11 11 11 11 11 11", "123##1111111111111111111111111"},
      {frame(0x80 | CAN_ERR_FLAG, 8, 0, Buf(8, 0), CanIdOrder::network), CanIdOrder::network,
       "20000080   [8]  00 00 00 00 00 00 00 00   ERRORFRAME", "20000080#0000000000000000"},
  };
  for (auto const& row : rows) {
    auto f = decode_can_frame(Bytes(row.bytes.data(), row.bytes.size()), row.order);
    REQUIRE(f);
    std::string candump, compact;
    append_can_candump(candump, *f);
    append_can_compact(compact, *f);
    CHECK(candump == row.candump);
    CHECK(compact == row.compact);
  }
  auto fd = decode_can_frame(Bytes(rows[4].bytes.data(), rows[4].bytes.size()), CanIdOrder::network);
  std::string json;
  append_can_json(json, *fd);
  auto j = Json::parse(json);
  CHECK(j["id"] == 0x123);
  CHECK(j["fd"] == true);
  CHECK(j["brs"] == true);
  CHECK(j["esi"] == false);
  CHECK(j["rtr"] == false);
  CHECK(j["len"] == 12);
  CHECK(j["data"] == "111111111111111111111111");

  struct Bad {
    Buf bytes;
    char const* why;
  };
  Bad const bad[] = {
      {frame(0x123, 9, 0, Buf(8, 0), CanIdOrder::network), "CAN frame: bad length 9"},
      {frame(0x123, 13, CANFD_FDF, Buf(64, 0), CanIdOrder::network), "CAN frame: bad length 13"},
      {frame(0x123, 8, 0, Buf(4, 0), CanIdOrder::network), "CAN frame: truncated: 12 of 16 bytes"},
      {Buf(3, 0), "CAN frame: truncated: 3 of 8 bytes"},
  };
  for (auto const& row : bad) {
    auto f = decode_can_frame(Bytes(row.bytes.data(), row.bytes.size()), CanIdOrder::network);
    REQUIRE_FALSE(f);
    CHECK(f.error().exit == Exit::data);
    CHECK(f.error().message() == row.why);
  }
  CHECK(line(Link::can, rows[0].bytes) == "CAN 123   [4]  DE AD BE EF");
}

TEST_CASE("decode: CAN XL frames") {
  Buf b;
  be32(b, 0x0005007b);  // VCID 5, priority 0x7b
  b.push_back(CANXL_XLF | CANXL_SEC);
  b.push_back(0x03);  // SDT
  b.push_back(3);     // length, little-endian
  b.push_back(0);
  b = b + Buf{0x78, 0x56, 0x34, 0x12} + Buf{1, 2, 3};
  auto f = decode_can_frame(Bytes(b.data(), b.size()), CanIdOrder::network);
  REQUIRE(f);
  CHECK(f->kind == CanFrame::Kind::xl);
  CHECK(f->can_id == 0x7b);
  CHECK(f->vcid == 5);
  CHECK(f->af == 0x12345678);
  CHECK(f->len == 3);
  std::string compact;
  append_can_compact(compact, *f);
  CHECK(compact == "0507B###010312345678#010203");
}

TEST_CASE("decode: HCI monitor records read as btmon names them") {
  struct Row {
    Buf record;
    char const* expected;
  };
  Buf new_index = Buf{0, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66} + Buf{'h', 'c', 'i', '0', 0, 0, 0, 0};
  Row const rows[] = {
      {Buf{0, 0, 0, 2, 0x03, 0x0c, 0}, "HCI hci0 < Command: Reset (0x03|0x0003) plen 0"},
      {Buf{0, 1, 0, 3, 0x0e, 4, 1, 0x03, 0x0c, 0},
       "HCI hci1 > Event: Command Complete (0x0e) plen 4, Reset (0x03|0x0003) status 0x00"},
      {Buf{0, 0, 0, 3, 0x0f, 4, 0x0c, 1, 0x05, 0x04},
       "HCI hci0 > Event: Command Status (0x0f) plen 4, Create Connection (0x01|0x0005) status 0x0c"},
      {Buf{0, 0, 0, 5, 0x2a, 0x20, 8, 0, 4, 0, 1, 0, 1, 2, 3, 4},
       "HCI hci0 > ACL Data RX: handle 42 flags 0x02 dlen 8, L2CAP cid 0x0001 len 4"},
      {Buf{0, 0, 0, 0} + new_index, "HCI hci0 = New Index: 66:55:44:33:22:11 (Primary,bus 0,hci0)"},
      {Buf{0xff, 0xff, 0, 12, 'h', 'i', 0}, "HCI - = Note: hi"},
  };
  for (auto const& row : rows) CHECK(line(Link::bt_monitor, row.record) == row.expected);
  auto j = layers(Link::bt_monitor, rows[0].record);
  CHECK(j["hci"]["index"] == 0);
  CHECK(j["hci"]["type"] == "Command");
  CHECK(j["hci"]["ogf"] == 3);
  CHECK(j["hci"]["ocf"] == 3);
  CHECK(j["hci"]["name"] == "Reset");
}

namespace {

// A netlink record as LINKTYPE_NETLINK holds it: a cooked header, then the message.
Buf netlink_record(std::uint16_t type, Buf body) {
  Buf rec(16, 0);
  rec[2] = 0x03;
  rec[3] = 0x38;  // ARPHRD_NETLINK, 824
  Buf hdr(16, 0);
  std::uint32_t len = static_cast<std::uint32_t>(16 + body.size());
  std::memcpy(hdr.data(), &len, 4);
  std::memcpy(hdr.data() + 4, &type, 2);
  return rec + hdr + body;
}
void attr(Buf& b, std::uint16_t type, Buf const& value) {
  std::uint16_t len = static_cast<std::uint16_t>(4 + value.size());
  Buf a(4);
  std::memcpy(a.data(), &len, 2);
  std::memcpy(a.data() + 2, &type, 2);
  b = b + a + value;
  while (b.size() % 4) b.push_back(0);
}
Buf host32(std::uint32_t v) {
  Buf b(4);
  std::memcpy(b.data(), &v, 4);
  return b;
}

}  // namespace

TEST_CASE("decode: rtnetlink messages read like ip monitor") {
  Buf link(16, 0);
  link[2] = 1;  // ARPHRD_ETHER
  std::uint32_t index = 7, flags = 0x1003;
  std::memcpy(link.data() + 4, &index, 4);
  std::memcpy(link.data() + 8, &flags, 4);
  attr(link, IFLA_IFNAME, Buf{'s', 'k', '0', 0});
  attr(link, IFLA_MTU, host32(1500));
  attr(link, IFLA_ADDRESS, Buf{2, 0, 0, 0, 0, 1});
  Buf addr{AF_INET, 24, 0, 0};
  addr = addr + host32(7);
  attr(addr, IFA_LOCAL, addr4("10.9.0.1"));
  attr(addr, IFA_ADDRESS, addr4("10.9.0.1"));
  Buf route{AF_INET, 24, 0, 0, RT_TABLE_MAIN, RTPROT_KERNEL, RT_SCOPE_LINK, RTN_UNICAST, 0, 0, 0, 0};
  attr(route, RTA_DST, addr4("10.9.0.0"));
  attr(route, RTA_OIF, host32(7));
  Buf neigh{AF_INET6, 0, 0, 0};
  neigh = neigh + host32(7) + Buf{2, 0, 0, 0};
  attr(neigh, NDA_DST, addr6("fd00::2"));
  attr(neigh, NDA_LLADDR, Buf{2, 0, 0, 0, 0, 2});
  struct Row {
    Buf record;
    char const* expected;
  };
  Row const rows[] = {
      {netlink_record(RTM_NEWLINK, link),
       "rtnetlink new link 7: sk0: <BROADCAST,MULTICAST,UP> mtu 1500 link/ether 02:00:00:00:00:01"},
      {netlink_record(RTM_DELADDR, addr), "rtnetlink del address 7: inet 10.9.0.1/24 scope global"},
      {netlink_record(RTM_NEWROUTE, route), "rtnetlink new route 10.9.0.0/24 dev 7 table main proto kernel scope link"},
      {netlink_record(RTM_NEWNEIGH, neigh), "rtnetlink new neigh fd00::2 dev 7 lladdr 02:00:00:00:00:02 REACHABLE"},
  };
  for (auto const& row : rows) CHECK(line(Link::netlink, row.record) == row.expected);
  auto j = layers(Link::netlink, rows[0].record);
  CHECK(j["netlink"]["action"] == "new");
  CHECK(j["netlink"]["link"]["ifname"] == "sk0");
  CHECK(j["netlink"]["link"]["ifindex"] == 7);
  CHECK(j["netlink"]["link"]["flags"] == Json::array({"BROADCAST", "MULTICAST", "UP"}));
  auto a = layers(Link::netlink, rows[1].record);
  CHECK(a["netlink"]["action"] == "del");
  CHECK(a["netlink"]["address"]["local"] == "10.9.0.1");
  CHECK(a["netlink"]["address"]["prefixlen"] == 24);
}

TEST_CASE("decode: TIPC topology events") {
  tipc_event e{};
  e.event = TIPC_PUBLISHED;
  e.found_lower = 17;
  e.found_upper = 17;
  e.port.ref = 99;
  e.port.node = 0x1001001;
  e.s.seq.type = 18888;
  Buf b(sizeof e);
  std::memcpy(b.data(), &e, sizeof e);
  CHECK(line(Link::tipc, b) == "TIPC published 18888:17 by node 0x01001001 ref 99");
  auto j = layers(Link::tipc, b);
  CHECK(j["tipc"]["event"] == "published");
  CHECK(j["tipc"]["type"] == 18888);
}

TEST_CASE("decode: hex dump and time stamps in tcpdump's layout") {
  Buf b{0x45, 0, 0, 0x3c, 0, 1, 0x40, 0, 0x40, 6, 0x26, 0xb9, 0x0a, 0, 0, 1, 0x0a, 0, 0, 2, 0x9c};
  std::string out;
  append_hex_dump(out, Bytes(b.data(), b.size()));
  CHECK(out == "\n\t0x0000:  4500 003c 0001 4000 4006 26b9 0a00 0001\n\t0x0010:  0a00 0002 9c");
  std::string epoch;
  append_epoch(epoch, 1700000000, 123456789);
  CHECK(epoch == "1700000000.123456789");
  std::string tod;
  append_time_of_day(tod, 1700000000, 123456789);
  CHECK(tod.size() == 15);
  CHECK(tod.substr(8) == ".123456");
}
