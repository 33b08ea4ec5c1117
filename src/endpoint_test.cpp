// endpoint_test.cpp: the endpoint grammar of every family, as tables: what
// parses (socket triple, sockaddr bytes, Python-style fields, canonical text),
// what is refused (exit 64 and the reason), and the round trip
// parse(format(a)) == a. Pure: no family needs kernel support; interface
// names are numbers or 'lo', which every network namespace has.
#include <arpa/inet.h>
#include <linux/can.h>
#include <linux/if_alg.h>
#include <linux/netlink.h>
#include <linux/if_packet.h>
#include <linux/tipc.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "family/family.hpp"
#include "sockctl/endpoint.hpp"

using namespace sockctl;
using namespace std::string_view_literals;

namespace {

std::string hex(SockAddr const& a) {
  std::string out;
  for (auto b : a.bytes()) out += fmt::format("{:02x}", static_cast<unsigned>(b));
  return out;
}

/// An endpoint that must parse: the socket triple, the sockaddr bytes (after
/// resolve_endpoint, which only fills interface indexes here), the codec's
/// fields as JSON, and the canonical text format_endpoint prints.
struct Good {
  std::string_view text;
  int family, type, protocol;
  std::string_view hex;
  std::string_view fields;
  std::string_view canonical;
};

/// An endpoint that must be refused with exit 64 and this reason.
struct Bad {
  std::string_view text;
  std::string_view why;
};

SockAddr resolved(Endpoint const& ep) {
  auto addrs = resolve_endpoint(ep);
  REQUIRE_MESSAGE(addrs.has_value(), (addrs ? "" : addrs.error().message()));
  REQUIRE(addrs->size() == 1);
  return addrs->front();
}

void check_good(Good const& g, ParseOptions opts = {}) {
  CAPTURE(g.text);
  auto ep = parse_endpoint(g.text, opts);
  REQUIRE_MESSAGE(ep.has_value(), (ep ? "" : ep.error().message()));
  CHECK(ep->family == g.family);
  CHECK(ep->type == g.type);
  CHECK(ep->protocol == g.protocol);
  REQUIRE(ep->address.has_value());
  auto a = resolved(*ep);
  CHECK(hex(a) == g.hex);
  auto j = address_json(a, *ep->scheme, ep->protocol);
  CHECK(j["endpoint"] == g.canonical);
  j.erase("family");
  j.erase("endpoint");
  CHECK(j.dump() == g.fields);
  // The round trip: the printed text parses back to the same bytes, under the
  // same scheme and protocol, and prints the same again.
  auto text = format_endpoint(a, *ep->scheme, ep->protocol);
  CHECK(text == g.canonical);
  auto again = parse_endpoint(text, opts);
  REQUIRE_MESSAGE(again.has_value(), (again ? "" : again.error().message()));
  CHECK(again->scheme == ep->scheme);
  CHECK(again->protocol == ep->protocol);
  CHECK(resolved(*again) == a);
}

void check_bad(Bad const& b, ParseOptions opts = {}) {
  CAPTURE(b.text);
  auto ep = parse_endpoint(b.text, opts);
  REQUIRE_FALSE(ep.has_value());
  CHECK(ep.error().exit == Exit::usage);
  auto message = ep.error().message();
  CHECK_MESSAGE(message.find(fmt::format("'{}'", b.text)) != std::string::npos, message);
  CHECK_MESSAGE(message.find(b.why) != std::string::npos, message);
}

}  // namespace

// --- inet: tcp udp sctp mptcp, raw ip -----------------------------------------

TEST_CASE("endpoint: inet endpoints parse, print and round-trip") {
  REQUIRE(if_nametoindex("lo") == 1);
  Good const table[] = {
      {"tcp:127.0.0.1:80", AF_INET, SOCK_STREAM, IPPROTO_TCP, "020000507f0000010000000000000000",
       R"({"host":"127.0.0.1","port":80})", "tcp:127.0.0.1:80"},
      {"127.0.0.1:22", AF_INET, SOCK_STREAM, IPPROTO_TCP, "020000167f0000010000000000000000",
       R"({"host":"127.0.0.1","port":22})", "tcp:127.0.0.1:22"},
      {"[::1]:22", AF_INET6, SOCK_STREAM, IPPROTO_TCP,
       "0a000016000000000000000000000000000000000000000100000000",
       R"({"host":"::1","port":22,"flowinfo":0,"scope_id":0})", "tcp:[::1]:22"},
      {"tcp:[::1]:8080", AF_INET6, SOCK_STREAM, IPPROTO_TCP,
       "0a001f90000000000000000000000000000000000000000100000000",
       R"({"host":"::1","port":8080,"flowinfo":0,"scope_id":0})", "tcp:[::1]:8080"},
      {"tcp:[fe80::1%lo]:8080", AF_INET6, SOCK_STREAM, IPPROTO_TCP,
       "0a001f9000000000fe80000000000000000000000000000101000000",
       R"({"host":"fe80::1%lo","port":8080,"flowinfo":0,"scope_id":1})", "tcp:[fe80::1%lo]:8080"},
      {"tcp:[fe80::1%1]:22", AF_INET6, SOCK_STREAM, IPPROTO_TCP,
       "0a00001600000000fe80000000000000000000000000000101000000",
       R"({"host":"fe80::1%lo","port":22,"flowinfo":0,"scope_id":1})", "tcp:[fe80::1%lo]:22"},
      {"tcp6:[2001:DB8:0:0:0:0:0:1]:443", AF_INET6, SOCK_STREAM, IPPROTO_TCP,
       "0a0001bb0000000020010db800000000000000000000000100000000",
       R"({"host":"2001:db8::1","port":443,"flowinfo":0,"scope_id":0})", "tcp6:[2001:db8::1]:443"},
      {"tcp4:0.0.0.0:0", AF_INET, SOCK_STREAM, IPPROTO_TCP, "02000000000000000000000000000000",
       R"({"host":"0.0.0.0","port":0})", "tcp4:0.0.0.0:0"},
      {"udp:<broadcast>:9", AF_INET, SOCK_DGRAM, IPPROTO_UDP, "02000009ffffffff0000000000000000",
       R"({"host":"255.255.255.255","port":9})", "udp:255.255.255.255:9"},
      {"udp4:10.1.2.3:53", AF_INET, SOCK_DGRAM, IPPROTO_UDP, "020000350a0102030000000000000000",
       R"({"host":"10.1.2.3","port":53})", "udp4:10.1.2.3:53"},
      {"udp6:[::]:53", AF_INET6, SOCK_DGRAM, IPPROTO_UDP,
       "0a000035000000000000000000000000000000000000000000000000",
       R"({"host":"::","port":53,"flowinfo":0,"scope_id":0})", "udp6:[::]:53"},
      {"udp6:[::ffff:1.2.3.4]:53", AF_INET6, SOCK_DGRAM, IPPROTO_UDP,
       "0a0000350000000000000000000000000000ffff0102030400000000",
       R"({"host":"::ffff:1.2.3.4","port":53,"flowinfo":0,"scope_id":0})", "udp6:[::ffff:1.2.3.4]:53"},
      {"sctp:10.0.0.1:9899", AF_INET, SOCK_STREAM, IPPROTO_SCTP, "020026ab0a0000010000000000000000",
       R"({"host":"10.0.0.1","port":9899})", "sctp:10.0.0.1:9899"},
      {"sctp-seqpacket:[::1]:1", AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP,
       "0a000001000000000000000000000000000000000000000100000000",
       R"({"host":"::1","port":1,"flowinfo":0,"scope_id":0})", "sctp-seqpacket:[::1]:1"},
      {"mptcp:127.0.0.1:80", AF_INET, SOCK_STREAM, IPPROTO_MPTCP, "020000507f0000010000000000000000",
       R"({"host":"127.0.0.1","port":80})", "mptcp:127.0.0.1:80"},
      {"ip:127.0.0.1:1", AF_INET, SOCK_RAW, IPPROTO_ICMP, "020000017f0000010000000000000000",
       R"({"host":"127.0.0.1","port":1})", "ip:127.0.0.1:1"},
      {"ip4:127.0.0.1:255", AF_INET, SOCK_RAW, IPPROTO_RAW, "020000ff7f0000010000000000000000",
       R"({"host":"127.0.0.1","port":255})", "ip4:127.0.0.1:255"},
      {"ip6:[::1]:58", AF_INET6, SOCK_RAW, IPPROTO_ICMPV6,
       "0a00003a000000000000000000000000000000000000000100000000",
       R"({"host":"::1","port":58,"flowinfo":0,"scope_id":0})", "ip6:[::1]:58"},
  };
  for (auto const& g : table) check_good(g);
}

TEST_CASE("endpoint: protocol names and port ranges") {
  // /etc/protocols names, when the system has them, become the number.
  if (auto ep = parse_endpoint("ip:127.0.0.1:icmp")) {
    CHECK(ep->protocol == IPPROTO_ICMP);
    CHECK(format_endpoint(*ep->address, *ep->scheme) == "ip:127.0.0.1:1");
  }
  ParseOptions range;
  range.allow_port_range = true;
  auto ep = parse_endpoint("tcp:127.0.0.1:20-25", range);
  REQUIRE(ep.has_value());
  CHECK(ep->service == "20");
  CHECK(ep->port_last == 25);
  CHECK(format_endpoint(*ep->address, *ep->scheme) == "tcp:127.0.0.1:20");
  check_bad({"tcp:127.0.0.1:25-20", "runs backwards"}, range);
  check_bad({"tcp:127.0.0.1:20-70000", "is not two ports from 0 to 65535"}, range);
}

TEST_CASE("endpoint: names are kept for resolution, not looked up while parsing") {
  struct Named {
    std::string_view text;
    std::string_view host, zone, service;
    int family;
  } const table[] = {
      {"tcp:localhost:http", "localhost", "", "http", AF_UNSPEC},
      {"tcp:example.com.:443", "example.com.", "", "443", AF_UNSPEC},
      {"tcp::8080", "", "", "8080", AF_UNSPEC},
      {":8080", "", "", "8080", AF_UNSPEC},
      {"udp6:ip6-localhost:domain", "ip6-localhost", "", "domain", AF_INET6},
      {"tcp:[fe80::1%eth0]:ssh", "fe80::1", "eth0", "ssh", AF_UNSPEC},
      {"tcp4:host_with_underscore:1", "host_with_underscore", "", "1", AF_INET},
  };
  for (auto const& n : table) {
    CAPTURE(n.text);
    auto ep = parse_endpoint(n.text);
    REQUIRE_MESSAGE(ep.has_value(), (ep ? "" : ep.error().message()));
    CHECK(ep->host == n.host);
    CHECK(ep->zone == n.zone);
    CHECK(ep->service == n.service);
    CHECK(ep->family == n.family);
    CHECK_FALSE(ep->address.has_value());
  }
}

TEST_CASE("endpoint: malformed inet endpoints exit 64 and say why") {
  std::string long_label = "tcp:" + std::string(64, 'a') + ".example:80";
  std::string long_host = "tcp:" + std::string(254, 'a') + ":80";
  Bad const table[] = {
      {"tcp:[::1]", "missing port after ']'"},
      {"tcp:[::1", "missing ']'"},
      {"tcp:[::1]x80", "expected ':' after ']'"},
      {"tcp:[1.2.3.4]:80", "'1.2.3.4' is not an IPv6 address"},
      {"tcp4:[::1]:80", "tcp4 takes IPv4 addresses only"},
      {"tcp6:127.0.0.1:80", "tcp6 takes IPv6 addresses only"},
      {"tcp6:<broadcast>:9", "<broadcast> is IPv4 only"},
      {"tcp:::1:80", "must be in brackets"},
      {"::1:80", "missing scheme before ':'"},
      {"tcp:fe80::1:80", "must be in brackets"},
      {"tcp:a:b:c", "too many ':'"},
      {"tcp:localhost", "missing ':' before the port"},
      {"tcp:localhost:", "missing port"},
      {"tcp:localhost:65536", "port 65536 is out of range 0-65535"},
      {"tcp:localhost:-1", "is not a number from 0 to 65535"},
      {"tcp:localhost:20-25", "a port range '20-25' is not allowed here"},
      {"tcp:localhost:ht tp", "neither a port number nor a service name"},
      {"tcp:a..b:80", "empty label"},
      {"tcp:a b:80", "character ' ' is not allowed"},
      {"tcp:1.2.3.4%lo:80", "a zone needs brackets"},
      {"tcp:[fe80::1%]:80", "empty zone"},
      {"tcp:[fe80::1%abcdefghijklmnopq]:80", "is too long"},
      {"ip:127.0.0.1:nosuchprotocol", "unknown protocol 'nosuchprotocol'"},
      {"ip:127.0.0.1:256", "unknown protocol '256'"},
      {"ip:127.0.0.1:", "missing protocol"},
  };
  for (auto const& b : table) check_bad(b);
  check_bad({long_label, "label of 64 characters"});
  check_bad({long_host, "host name is 254 characters"});
}

// --- unix -----------------------------------------------------------------------

TEST_CASE("endpoint: unix endpoints parse, print and round-trip") {
  std::string path107 = "unix:/" + std::string(106, 'p');
  std::string path108 = "unix:/" + std::string(107, 'p');
  Good const table[] = {
      {"unix:/tmp/sock", AF_UNIX, SOCK_STREAM, 0, "01002f746d702f736f636b00", R"({"abstract":false,"path":"/tmp/sock"})",
       "unix:/tmp/sock"},
      {"unix:relative", AF_UNIX, SOCK_STREAM, 0, "010072656c617469766500", R"({"abstract":false,"path":"relative"})",
       "unix:relative"},
      {"unix:@sockctl-demo", AF_UNIX, SOCK_STREAM, 0, "010000736f636b63746c2d64656d6f",
       R"({"abstract":true,"path":"@sockctl-demo"})", "unix:@sockctl-demo"},
      {"unix:@a\\x00b", AF_UNIX, SOCK_STREAM, 0, "010000610062", R"({"abstract":true,"path":"@a\\x00b"})",
       "unix:@a\\x00b"},
      {"unix:@back\\\\slash", AF_UNIX, SOCK_STREAM, 0, "0100006261636b5c736c617368",
       R"({"abstract":true,"path":"@back\\\\slash"})", "unix:@back\\\\slash"},
      {"unix:@\\x41\\xff", AF_UNIX, SOCK_STREAM, 0, "01000041ff", R"({"abstract":true,"path":"@A\\xff"})",
       "unix:@A\\xff"},
      {"unix:@", AF_UNIX, SOCK_STREAM, 0, "010000", R"({"abstract":true,"path":"@"})", "unix:@"},
      {"unix:", AF_UNIX, SOCK_STREAM, 0, "0100", R"({"abstract":false,"path":""})", "unix:"},
      {"unix-dgram:/dev/log", AF_UNIX, SOCK_DGRAM, 0, "01002f6465762f6c6f6700", R"({"abstract":false,"path":"/dev/log"})",
       "unix-dgram:/dev/log"},
      {"unix-seqpacket:@seq", AF_UNIX, SOCK_SEQPACKET, 0, "010000736571", R"({"abstract":true,"path":"@seq"})",
       "unix-seqpacket:@seq"},
  };
  for (auto const& g : table) check_good(g);
  for (auto const& [text, size] : {std::pair{path107, 2 + 107 + 1}, std::pair{path108, 2 + 108}}) {
    CAPTURE(text);
    auto ep = parse_endpoint(text);
    REQUIRE(ep.has_value());
    CHECK(ep->address->size() == size);
    CHECK(format_endpoint(*ep->address, *ep->scheme) == text);
  }
}

TEST_CASE("endpoint: malformed unix endpoints exit 64 and say why") {
  std::string path109 = "unix:/" + std::string(108, 'p');
  std::string abstract108 = "unix:@" + std::string(108, 'a');
  std::string escaped108 = "unix:@";
  for (int i = 0; i < 108; ++i) escaped108 += "\\x41";
  std::string nul_path("unix:/tmp/a\0b", 13);
  Bad const table[] = {
      {"unix:@\\q", "bad escape in abstract name"},
      {"unix:@\\", "bad escape in abstract name"},
      {"unix:@ab\\", "bad escape in abstract name"},
      {"unix:@\\x4", "bad escape in abstract name"},
      {"unix:@\\x", "bad escape in abstract name"},
      {"unix:@\\xzz", "bad \\x escape"},
      {"unix:@\\x4g", "bad \\x escape"},
      {"unix:@\\X41", "bad escape in abstract name"},
      {"unix-dgram:@\\n", "bad escape in abstract name"},
      {path109, "path is 109 bytes, the limit is 108"},
      {abstract108, "abstract name is 108 bytes, the limit is 107"},
      {escaped108, "abstract name is 108 bytes, the limit is 107"},
      {nul_path, "NUL byte in path"},
  };
  for (auto const& b : table) check_bad(b);
}

TEST_CASE("endpoint: a unix path starting with '@' prints so that it is not read as abstract") {
  sockaddr_un sun{};
  sun.sun_family = AF_UNIX;
  std::memcpy(sun.sun_path, "@file", 6);
  SockAddr a(reinterpret_cast<sockaddr const*>(&sun), 2 + 6);
  CHECK(format_endpoint(a, *find_scheme("unix")) == "unix:./@file");
  auto ep = parse_endpoint("unix:./@file");
  REQUIRE(ep.has_value());
  CHECK(format_endpoint(*ep->address, *ep->scheme) == "unix:./@file");
}

TEST_CASE("endpoint: short and oversized sockaddrs print without reading past their family's struct") {
  unsigned char big[128] = {AF_UNIX, 0};
  std::memset(big + 2, 'p', sizeof big - 2);
  SockAddr a(reinterpret_cast<sockaddr const*>(big), sizeof big);
  CHECK(format_endpoint(a, *find_scheme("unix")) == "unix:" + std::string(108, 'p'));
  big[2] = 0;
  CHECK(format_endpoint(SockAddr(reinterpret_cast<sockaddr const*>(big), sizeof big), *find_scheme("unix")) ==
        "unix:@" + std::string(107, 'p'));
  unsigned char short_in[] = {AF_INET, 0, 0, 80};
  CHECK(format_endpoint(SockAddr(reinterpret_cast<sockaddr const*>(short_in), sizeof short_in), *find_scheme("tcp")) ==
        "tcp:<sockaddr 02000050>");
}

// --- the scheme table ------------------------------------------------------------

TEST_CASE("endpoint: an unknown scheme suggests the nearest one") {
  Bad const table[] = {
      {"tpc:localhost:80", "unknown scheme 'tpc' in 'tpc:localhost:80', did you mean 'tcp'?"},
      {"udpp:host:53", "did you mean 'udp'?"},
      {"vsok:2:9000", "did you mean 'vsock'?"},
      {"can-isotop:vcan0:7e0:7e8", "did you mean 'can-isotp'?"},
      {"unx:/tmp/sock", "did you mean 'unix'?"},
      {"cam:vcan0", "did you mean 'can'?"},
      {"netlnk:route:link", "did you mean 'netlink'?"},
      {"tcp", "expected SCHEME:BODY or HOST:PORT, did you mean 'tcp:...'?"},
      {"localhost", "expected SCHEME:BODY or HOST:PORT"},
      {"zzzzzz:a:b", "unknown scheme 'zzzzzz'"},
      {"", "empty endpoint"},
  };
  for (auto const& b : table) {
    CAPTURE(b.text);
    auto ep = parse_endpoint(b.text);
    REQUIRE_FALSE(ep.has_value());
    CHECK(ep.error().exit == Exit::usage);
    CHECK_MESSAGE(ep.error().message().find(b.why) != std::string::npos, ep.error().message());
  }
  CHECK(suggest_scheme("zzzzzz").empty());
  // A host that merely looks like a scheme, before a port number, is a host.
  auto ep = parse_endpoint("cam:80");
  REQUIRE(ep.has_value());
  CHECK(ep->scheme->name == "tcp");
  CHECK(ep->host == "cam");
}

TEST_CASE("endpoint: the table is sorted and every row's example parses") {
  std::string_view prev;
  for (auto const& s : schemes()) {
    CAPTURE(s.name);
    CHECK(prev < s.name);
    prev = s.name;
    CHECK(find_scheme(s.name) == &s);
    auto ep = parse_endpoint(s.example);
    CHECK_MESSAGE(ep.has_value(), (ep ? "" : ep.error().message()));
    if (ep) CHECK(ep->scheme == &s);
  }
  CHECK(find_scheme("nope") == nullptr);
}


TEST_CASE("endpoint: scheme_for names the socket the kernel hands over") {
  struct Row {
    int family, type, protocol;
    std::string_view scheme;
  } const table[] = {
      {AF_INET, SOCK_STREAM, IPPROTO_TCP, "tcp"},
      {AF_INET6, SOCK_STREAM, IPPROTO_TCP, "tcp"},
      {AF_INET6, SOCK_DGRAM, IPPROTO_UDP, "udp"},
      {AF_INET, SOCK_STREAM, IPPROTO_MPTCP, "mptcp"},
      {AF_INET, SOCK_STREAM, IPPROTO_SCTP, "sctp"},
      {AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP, "sctp-seqpacket"},
      {AF_INET, SOCK_RAW, IPPROTO_ICMP, "ip"},
      {AF_UNIX, SOCK_STREAM, 0, "unix"},
      {AF_UNIX, SOCK_DGRAM, 0, "unix-dgram"},
      {AF_UNIX, SOCK_SEQPACKET, 0, "unix-seqpacket"},
      {AF_VSOCK, SOCK_STREAM, 0, "vsock"},
      {AF_TIPC, SOCK_RDM, 0, "tipc"},
      {AF_TIPC, SOCK_STREAM, 0, "tipc-stream"},
      {AF_TIPC, SOCK_SEQPACKET, 0, "tipc-seqpacket"},
      {AF_TIPC, SOCK_DGRAM, 0, "tipc-dgram"},
      {AF_CAN, SOCK_RAW, CAN_RAW, "can"},
      {AF_CAN, SOCK_DGRAM, CAN_BCM, "can-bcm"},
      {AF_CAN, SOCK_DGRAM, 6, "can-isotp"},
      {AF_BLUETOOTH, SOCK_SEQPACKET, 0, "l2cap"},
      {AF_BLUETOOTH, SOCK_STREAM, 0, "l2cap-stream"},
      {AF_BLUETOOTH, SOCK_STREAM, 3, "rfcomm"},
      {AF_BLUETOOTH, SOCK_SEQPACKET, 2, "sco"},
      {AF_BLUETOOTH, SOCK_RAW, 1, "hci"},
      {AF_ALG, SOCK_SEQPACKET, 0, "alg"},
      {AF_NETLINK, SOCK_RAW, 0, "netlink"},
      {AF_NETLINK, SOCK_RAW, 9, "netlink"},
      {AF_PACKET, SOCK_RAW, 0x0300, "packet"},
      {AF_PACKET, SOCK_DGRAM, 0x0008, "packet-dgram"},
      {AF_RDS, SOCK_SEQPACKET, 0, "rds"},
  };
  for (auto const& r : table) {
    CAPTURE(r.scheme);
    auto const* s = scheme_for(r.family, r.type, r.protocol);
    REQUIRE(s != nullptr);
    CHECK(s->name == r.scheme);
  }
  CHECK(scheme_for(AF_INET, SOCK_DGRAM, IPPROTO_ICMP) == nullptr);
  CHECK(scheme_for(AF_X25, SOCK_SEQPACKET, 0) == nullptr);
  CHECK(scheme_for(AF_CAN, SOCK_DGRAM, 7) == nullptr);
}

TEST_CASE("endpoint: an address prints under its own family when the scheme cannot show it") {
  auto unix_addr = *parse_endpoint("unix:/tmp/sock")->address;
  auto tcp_addr = *parse_endpoint("tcp:127.0.0.1:80")->address;
  auto v6_addr = *parse_endpoint("udp6:[::1]:53")->address;
  CHECK(format_endpoint(unix_addr, *find_scheme("tcp")) == "unix:/tmp/sock");
  CHECK(format_endpoint(tcp_addr, *find_scheme("unix-dgram")) == "udp:127.0.0.1:80");
  CHECK(format_endpoint(tcp_addr, *find_scheme("fd")) == "tcp:127.0.0.1:80");
  CHECK(format_endpoint(v6_addr, *find_scheme("tcp4")) == "tcp:[::1]:53");
  CHECK(format_endpoint(tcp_addr, *find_scheme("systemd")) == "tcp:127.0.0.1:80");
  CHECK(address_json(unix_addr, *find_scheme("fd")).dump() ==
        R"({"family":"unix","abstract":false,"path":"/tmp/sock","endpoint":"unix:/tmp/sock"})");
  unsigned char const x25[] = {AF_X25, 0, 1, 2};
  SockAddr odd(reinterpret_cast<sockaddr const*>(x25), sizeof x25);
  CHECK(format_endpoint(odd, *find_scheme("tcp")) == "x25:<sockaddr 09000102>");
  CHECK(address_json(odd, *find_scheme("tcp")).dump() ==
        R"({"family":"x25","sockaddr":"09000102","endpoint":"x25:<sockaddr 09000102>"})");
  CHECK(format_endpoint(SockAddr(), *find_scheme("tcp")) == "unspec:<empty sockaddr>");
}

// --- vsock ------------------------------------------------------------------------

TEST_CASE("endpoint: vsock endpoints parse, print and round-trip") {
  Good const table[] = {
      {"vsock:local:9000", AF_VSOCK, SOCK_STREAM, 0, "28000000282300000100000000000000",
       R"({"cid":1,"port":9000})", "vsock:local:9000"},
      {"vsock:host:22", AF_VSOCK, SOCK_STREAM, 0, "28000000160000000200000000000000", R"({"cid":2,"port":22})",
       "vsock:host:22"},
      {"vsock:hypervisor:1", AF_VSOCK, SOCK_STREAM, 0, "28000000010000000000000000000000",
       R"({"cid":0,"port":1})", "vsock:hypervisor:1"},
      {"vsock:any:any", AF_VSOCK, SOCK_STREAM, 0, "28000000ffffffffffffffff00000000",
       R"({"cid":4294967295,"port":4294967295})", "vsock:any:any"},
      {"vsock:3:1024", AF_VSOCK, SOCK_STREAM, 0, "28000000000400000300000000000000", R"({"cid":3,"port":1024})",
       "vsock:3:1024"},
      {"vsock:0x10:0x10", AF_VSOCK, SOCK_STREAM, 0, "28000000100000001000000000000000", R"({"cid":16,"port":16})",
       "vsock:16:16"},
      {"vsock:2:0", AF_VSOCK, SOCK_STREAM, 0, "28000000000000000200000000000000", R"({"cid":2,"port":0})",
       "vsock:host:0"},
      {"vsock:4294967295:4294967294", AF_VSOCK, SOCK_STREAM, 0, "28000000feffffffffffffff00000000",
       R"({"cid":4294967295,"port":4294967294})", "vsock:any:4294967294"},
  };
  for (auto const& g : table) check_good(g);
}

TEST_CASE("endpoint: malformed vsock endpoints exit 64 and say why") {
  Bad const table[] = {
      {"vsock:", "expected CID:PORT"},
      {"vsock:3", "expected CID:PORT"},
      {"vsock::9000", "missing CID"},
      {"vsock:3:", "missing port"},
      {"vsock:guest:1", "CID 'guest' is not a number"},
      {"vsock:-1:1", "CID '-1' is not a number"},
      {"vsock:4294967296:1", "CID '4294967296' is not a number up to 4294967295"},
      {"vsock:0x:1", "CID '0x' is not a number"},
      {"vsock: 3:1", "CID ' 3' is not a number"},
      {"vsock:LOCAL:1", "CID 'LOCAL' is not a number"},
      {"vsock:3:http", "port 'http' is not a number"},
      {"vsock:3:4294967296", "port '4294967296' is not a number up to 4294967295"},
      {"vsock:3:-5", "port '-5' is not a number"},
      {"vsock:3:1:2", "port '1:2' is not a number"},
      {"vsock:3:1.5", "port '1.5' is not a number"},
  };
  for (auto const& b : table) check_bad(b);
}

// --- tipc -------------------------------------------------------------------------

TEST_CASE("endpoint: tipc endpoints parse, print and round-trip") {
  Good const table[] = {
      {"tipc:18888:17@cluster", AF_TIPC, SOCK_RDM, 0, "1e000202c84900001100000000000000",
       R"({"addr_type":"service","type":18888,"instance":17,"scope":"cluster"})", "tipc:18888:17"},
      {"tipc:18888:17", AF_TIPC, SOCK_RDM, 0, "1e000202c84900001100000000000000",
       R"({"addr_type":"service","type":18888,"instance":17,"scope":"cluster"})", "tipc:18888:17"},
      {"tipc:0x49c8:0x11@node", AF_TIPC, SOCK_RDM, 0, "1e000203c84900001100000000000000",
       R"({"addr_type":"service","type":18888,"instance":17,"scope":"node"})", "tipc:18888:17@node"},
      {"tipc-dgram:18888:0-99", AF_TIPC, SOCK_DGRAM, 0, "1e000102c84900000000000063000000",
       R"({"addr_type":"range","type":18888,"lower":0,"upper":99,"scope":"cluster"})", "tipc-dgram:18888:0-99"},
      {"tipc-seqpacket:1000:5-5@zone", AF_TIPC, SOCK_SEQPACKET, 0, "1e000101e80300000500000005000000",
       R"({"addr_type":"range","type":1000,"lower":5,"upper":5,"scope":"zone"})", "tipc-seqpacket:1000:5-5@zone"},
      {"tipc-stream:id:0x1001001:42", AF_TIPC, SOCK_STREAM, 0, "1e0003002a0000000110000100000000",
       R"({"addr_type":"id","node":16781313,"ref":42,"scope":0})", "tipc-stream:id:0x1001001:42"},
      {"tipc:id:16781313:42@cluster", AF_TIPC, SOCK_RDM, 0, "1e0003022a0000000110000100000000",
       R"({"addr_type":"id","node":16781313,"ref":42,"scope":"cluster"})", "tipc:id:0x1001001:42@cluster"},
      {"tipc:id:0:0", AF_TIPC, SOCK_RDM, 0, "1e000300000000000000000000000000",
       R"({"addr_type":"id","node":0,"ref":0,"scope":0})", "tipc:id:0x0:0"},
      {"tipc:1:4294967295@0", AF_TIPC, SOCK_RDM, 0, "1e00020001000000ffffffff00000000",
       R"({"addr_type":"service","type":1,"instance":4294967295,"scope":0})", "tipc:1:4294967295@0"},
      {"tipc:18888:17@-2", AF_TIPC, SOCK_RDM, 0, "1e0002fec84900001100000000000000",
       R"({"addr_type":"service","type":18888,"instance":17,"scope":-2})", "tipc:18888:17@-2"},
      {"tipc:0:0-4294967295@127", AF_TIPC, SOCK_RDM, 0, "1e00017f0000000000000000ffffffff",
       R"({"addr_type":"range","type":0,"lower":0,"upper":4294967295,"scope":127})",
       "tipc:0:0-4294967295@127"},
  };
  for (auto const& g : table) check_good(g);
}

TEST_CASE("endpoint: tipc addresses the grammar cannot express print as bytes") {
  sockaddr_tipc st{};
  st.family = AF_TIPC;
  st.addrtype = TIPC_SERVICE_ADDR;
  st.addr.name.domain = 7;
  CHECK(format_endpoint(SockAddr::of(st), *find_scheme("tipc")) ==
        "tipc:<sockaddr 1e000200000000000000000007000000>");
  st.addrtype = 9;
  CHECK(format_endpoint(SockAddr::of(st), *find_scheme("tipc")).starts_with("tipc:<sockaddr "));
  CHECK(format_endpoint(SockAddr(reinterpret_cast<sockaddr const*>(&st), 4), *find_scheme("tipc")) ==
        "tipc:<sockaddr 1e000900>");
}

TEST_CASE("endpoint: malformed tipc endpoints exit 64 and say why") {
  Bad const table[] = {
      {"tipc:", "expected TYPE:INSTANCE, TYPE:LOWER-UPPER or id:NODE:REF"},
      {"tipc:@node", "expected TYPE:INSTANCE"},
      {"tipc:18888", "missing ':' after '18888'"},
      {"tipc::17", "missing service type"},
      {"tipc:18888:", "missing instance"},
      {"tipc:x:17", "service type 'x' is not a number"},
      {"tipc:18888:y", "instance 'y' is not a number"},
      {"tipc:4294967296:1", "service type '4294967296' is not a number up to 4294967295"},
      {"tipc:1:2:3", "instance '2:3' is not a number"},
      {"tipc:1:5-3", "instance range '5-3' runs backwards"},
      {"tipc:1:5-", "missing upper instance"},
      {"tipc:1:-5", "missing lower instance"},
      {"tipc:1:1-2-3", "upper instance '2-3' is not a number"},
      {"tipc:id:1", "expected id:NODE:REF"},
      {"tipc:id::1", "missing node"},
      {"tipc:id:1:", "missing port reference"},
      {"tipc:id:node:1", "node 'node' is not a number"},
      {"tipc:1:2@", "scope '' is not zone, cluster, node"},
      {"tipc:1:2@galaxy", "scope 'galaxy' is not zone, cluster, node"},
      {"tipc:1:2@128", "scope '128' is not"},
      {"tipc:1:2@-129", "scope '-129' is not"},
      {"tipc:1:2@node@zone", "instance '2@node' is not a number"},
  };
  for (auto const& b : table) check_bad(b);
}

// --- can, can-bcm, can-isotp ----------------------------------------------------------

TEST_CASE("endpoint: can endpoints parse, print and round-trip") {
  Good const table[] = {
      {"can:lo", AF_CAN, SOCK_RAW, CAN_RAW, "1d00000001000000", R"({"interface":"lo"})", "can:lo"},
      {"can:1", AF_CAN, SOCK_RAW, CAN_RAW, "1d00000001000000", R"({"interface":"lo"})", "can:lo"},
      {"can:any", AF_CAN, SOCK_RAW, CAN_RAW, "1d00000000000000", R"({"interface":"any"})", "can:any"},
      {"can:0", AF_CAN, SOCK_RAW, CAN_RAW, "1d00000000000000", R"({"interface":"any"})", "can:any"},
      {"can:99999", AF_CAN, SOCK_RAW, CAN_RAW, "1d0000009f860100", R"({"interface":"99999"})", "can:99999"},
      {"can-bcm:lo", AF_CAN, SOCK_DGRAM, CAN_BCM, "1d00000001000000", R"({"interface":"lo"})", "can-bcm:lo"},
      {"can-bcm:any", AF_CAN, SOCK_DGRAM, CAN_BCM, "1d00000000000000", R"({"interface":"any"})", "can-bcm:any"},
      {"can-isotp:lo:7e0:7e8", AF_CAN, SOCK_DGRAM, CAN_ISOTP, "1d00000001000000e8070000e0070000",
       R"({"interface":"lo","tx_id":2016,"rx_id":2024})", "can-isotp:lo:7e0:7e8"},
      {"can-isotp:1:7E0:7E8", AF_CAN, SOCK_DGRAM, CAN_ISOTP, "1d00000001000000e8070000e0070000",
       R"({"interface":"lo","tx_id":2016,"rx_id":2024})", "can-isotp:lo:7e0:7e8"},
      {"can-isotp:lo:0007ff:1", AF_CAN, SOCK_DGRAM, CAN_ISOTP, "1d0000000100000001000000ff070000",
       R"({"interface":"lo","tx_id":2047,"rx_id":1})", "can-isotp:lo:7ff:001"},
      {"can-isotp:lo:1:7ff", AF_CAN, SOCK_DGRAM, CAN_ISOTP, "1d00000001000000ff07000001000000",
       R"({"interface":"lo","tx_id":1,"rx_id":2047})", "can-isotp:lo:001:7ff"},
      {"can-isotp:lo:18da00f1:18daf100", AF_CAN, SOCK_DGRAM, CAN_ISOTP, "1d0000000100000000f1da98f100da98",
       R"({"interface":"lo","tx_id":2564423921,"rx_id":2564485376})", "can-isotp:lo:18da00f1:18daf100"},
      {"can-isotp:lo:00000123:00000800", AF_CAN, SOCK_DGRAM, CAN_ISOTP, "1d000000010000000008008023010080",
       R"({"interface":"lo","tx_id":2147483939,"rx_id":2147485696})", "can-isotp:lo:00000123:00000800"},
      {"can-isotp:lo:1fffffff:0", AF_CAN, SOCK_DGRAM, CAN_ISOTP, "1d0000000100000000000000ffffff9f",
       R"({"interface":"lo","tx_id":2684354559,"rx_id":0})", "can-isotp:lo:1fffffff:000"},
  };
  for (auto const& g : table) check_good(g);
}

TEST_CASE("endpoint: can interfaces are looked up at resolution, missing ones exit 69") {
  auto ep = parse_endpoint("can:sockctl-nx0");
  REQUIRE(ep.has_value());
  CHECK(ep->interface == "sockctl-nx0");
  CHECK(hex(*ep->address) == "1d00000000000000");
  auto addrs = resolve_endpoint(*ep);
  REQUIRE_FALSE(addrs.has_value());
  CHECK(addrs.error().exit == Exit::unavailable);
  CHECK(addrs.error().message() == "interface 'sockctl-nx0' in 'can:sockctl-nx0': no such interface");
}

TEST_CASE("endpoint: can addresses the grammar cannot express print as bytes") {
  sockaddr_can sc{};
  sc.can_family = AF_CAN;
  sc.can_ifindex = 1;
  sc.can_addr.tp.tx_id = CAN_RTR_FLAG | 0x123;
  sc.can_addr.tp.rx_id = 0x7e8;
  SockAddr rtr(reinterpret_cast<sockaddr const*>(&sc), 16);
  CHECK(format_endpoint(rtr, *find_scheme("can-isotp")) == "can-isotp:<sockaddr 1d00000001000000e807000023010040>");
  sc.can_addr.tp.tx_id = 0x800;  // above 11 bits without CAN_EFF_FLAG
  CHECK(format_endpoint(SockAddr(reinterpret_cast<sockaddr const*>(&sc), 16), *find_scheme("can-isotp"))
            .starts_with("can-isotp:<sockaddr"));
  CHECK(format_endpoint(SockAddr(reinterpret_cast<sockaddr const*>(&sc), 6), *find_scheme("can")) ==
        "can:<sockaddr 1d0000000100>");
}

TEST_CASE("endpoint: malformed can endpoints exit 64 and say why") {
  Bad const table[] = {
      {"can:", "missing interface name"},
      {"can-bcm:", "missing interface name"},
      {"can:vcan0:1", "may not contain ':'"},
      {"can:a b", "may not contain ' '"},
      {"can:a\tb", "may not contain '\\x09'"},
      {"can:a/b", "may not contain '/'"},
      {"can:.", "'.' is not an interface name"},
      {"can:..", "'..' is not an interface name"},
      {"can:abcdefghijklmnop", "interface name 'abcdefghijklmnop' is 16 bytes, the limit is 15"},
      {"can-bcm:vcan0 ", "may not contain ' '"},
      {"can-isotp:", "expected IFACE:TXID:RXID"},
      {"can-isotp:vcan0", "expected IFACE:TXID:RXID"},
      {"can-isotp:vcan0:7e0", "expected IFACE:TXID:RXID"},
      {"can-isotp::7e0:7e8", "missing interface name"},
      {"can-isotp:any:7e0:7e8", "ISO-TP needs one interface"},
      {"can-isotp:0:7e0:7e8", "ISO-TP needs one interface"},
      {"can-isotp:000:7e0:7e8", "ISO-TP needs one interface"},
      {"can-isotp:vcan0::7e8", "missing TX id"},
      {"can-isotp:vcan0:7e0:", "missing RX id"},
      {"can-isotp:vcan0:xyz:7e8", "TX id 'xyz' is not 1 to 8 hex digits"},
      {"can-isotp:vcan0:0x7e0:7e8", "TX id '0x7e0' is not 1 to 8 hex digits"},
      {"can-isotp:vcan0:7e0:-7e8", "RX id '-7e8' is not 1 to 8 hex digits"},
      {"can-isotp:vcan0:7e0:123456789", "RX id '123456789' is not 1 to 8 hex digits"},
      {"can-isotp:vcan0:20000000:7e8", "TX id '20000000' is above the 29-bit maximum 1FFFFFFF"},
      {"can-isotp:vcan0:7e0:7e8:1", "RX id '7e8:1' is not"},
      {"can-isotp:vcan0:800:7e8", "TX id '800' is above the 11-bit maximum 7FF: a 29-bit id takes 8 digits (00000800)"},
      {"can-isotp:vcan0:7e0:fff", "RX id 'fff' is above the 11-bit maximum 7FF"},
      {"can-isotp:vcan0:7e0:18daf1", "RX id '18daf1' is above the 11-bit maximum 7FF: a 29-bit id takes 8 digits (0018daf1)"},
      {"can-isotp:vcan0:7e0:ffffffff", "RX id 'ffffffff' is above the 29-bit maximum 1FFFFFFF"},
      {"can-isotp:abcdefghijklmnop:7e0:7e8", "is 16 bytes, the limit is 15"},
  };
  for (auto const& b : table) check_bad(b);
}

// --- bluetooth: l2cap rfcomm sco hci --------------------------------------------------

TEST_CASE("endpoint: bluetooth endpoints parse, print and round-trip") {
  Good const table[] = {
      {"l2cap:00:11:22:33:44:55:4097", AF_BLUETOOTH, SOCK_SEQPACKET, 0, "1f00011055443322110000000000",
       R"({"bdaddr":"00:11:22:33:44:55","psm":4097,"cid":0,"bdaddr_type":0})", "l2cap:00:11:22:33:44:55:4097"},
      {"l2cap:any:0x1001", AF_BLUETOOTH, SOCK_SEQPACKET, 0, "1f00011000000000000000000000",
       R"({"bdaddr":"00:00:00:00:00:00","psm":4097,"cid":0,"bdaddr_type":0})", "l2cap:00:00:00:00:00:00:4097"},
      {"l2cap:aa:bb:cc:dd:ee:ff:1", AF_BLUETOOTH, SOCK_SEQPACKET, 0, "1f000100ffeeddccbbaa00000000",
       R"({"bdaddr":"AA:BB:CC:DD:EE:FF","psm":1,"cid":0,"bdaddr_type":0})", "l2cap:AA:BB:CC:DD:EE:FF:1"},
      {"l2cap:00:11:22:33:44:55:0", AF_BLUETOOTH, SOCK_SEQPACKET, 0, "1f00000055443322110000000000",
       R"({"bdaddr":"00:11:22:33:44:55","psm":0,"cid":0,"bdaddr_type":0})", "l2cap:00:11:22:33:44:55:0"},
      {"l2cap:00:11:22:33:44:55:0xfe01", AF_BLUETOOTH, SOCK_SEQPACKET, 0, "1f0001fe55443322110000000000",
       R"({"bdaddr":"00:11:22:33:44:55","psm":65025,"cid":0,"bdaddr_type":0})", "l2cap:00:11:22:33:44:55:65025"},
      {"l2cap-stream:00:11:22:33:44:55:4097", AF_BLUETOOTH, SOCK_STREAM, 0, "1f00011055443322110000000000",
       R"({"bdaddr":"00:11:22:33:44:55","psm":4097,"cid":0,"bdaddr_type":0})", "l2cap-stream:00:11:22:33:44:55:4097"},
      {"rfcomm:00:11:22:33:44:55:3", AF_BLUETOOTH, SOCK_STREAM, 3, "1f005544332211000300",
       R"({"bdaddr":"00:11:22:33:44:55","channel":3})", "rfcomm:00:11:22:33:44:55:3"},
      {"rfcomm:any:0", AF_BLUETOOTH, SOCK_STREAM, 3, "1f000000000000000000",
       R"({"bdaddr":"00:00:00:00:00:00","channel":0})", "rfcomm:00:00:00:00:00:00:0"},
      {"rfcomm:01:02:03:04:05:06:30", AF_BLUETOOTH, SOCK_STREAM, 3, "1f000605040302011e00",
       R"({"bdaddr":"01:02:03:04:05:06","channel":30})", "rfcomm:01:02:03:04:05:06:30"},
      {"sco:00:11:22:33:44:55", AF_BLUETOOTH, SOCK_SEQPACKET, 2, "1f00554433221100",
       R"({"bdaddr":"00:11:22:33:44:55"})", "sco:00:11:22:33:44:55"},
      {"sco:any", AF_BLUETOOTH, SOCK_SEQPACKET, 2, "1f00000000000000", R"({"bdaddr":"00:00:00:00:00:00"})",
       "sco:00:00:00:00:00:00"},
      {"hci:0", AF_BLUETOOTH, SOCK_RAW, 1, "1f0000000000", R"({"dev":0,"channel":"raw"})", "hci:0"},
      {"hci:3:raw", AF_BLUETOOTH, SOCK_RAW, 1, "1f0003000000", R"({"dev":3,"channel":"raw"})", "hci:3"},
      {"hci:none", AF_BLUETOOTH, SOCK_RAW, 1, "1f00ffff0000", R"({"dev":65535,"channel":"raw"})", "hci:none"},
      {"hci:65535", AF_BLUETOOTH, SOCK_RAW, 1, "1f00ffff0000", R"({"dev":65535,"channel":"raw"})", "hci:none"},
      {"hci:1:user", AF_BLUETOOTH, SOCK_RAW, 1, "1f0001000100", R"({"dev":1,"channel":"user"})", "hci:1:user"},
      {"hci:0:monitor", AF_BLUETOOTH, SOCK_RAW, 1, "1f00ffff0200", R"({"dev":65535,"channel":"monitor"})",
       "hci:none:monitor"},
      {"hci:none:monitor", AF_BLUETOOTH, SOCK_RAW, 1, "1f00ffff0200", R"({"dev":65535,"channel":"monitor"})",
       "hci:none:monitor"},
      {"hci:none:control", AF_BLUETOOTH, SOCK_RAW, 1, "1f00ffff0300", R"({"dev":65535,"channel":"control"})",
       "hci:none:control"},
      {"hci:none:logging", AF_BLUETOOTH, SOCK_RAW, 1, "1f00ffff0400", R"({"dev":65535,"channel":"logging"})",
       "hci:none:logging"},
  };
  for (auto const& g : table) check_good(g);
}

TEST_CASE("endpoint: bluetooth addresses print what parses back, and the kernel's extras in JSON") {
  unsigned char l2[] = {0x1f, 0, 0x01, 0x10, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00, 0x40, 0x00, 0x01, 0};
  SockAddr got(reinterpret_cast<sockaddr const*>(l2), sizeof l2);
  CHECK(address_json(got, *find_scheme("l2cap")).dump() ==
        R"({"family":"bluetooth","bdaddr":"00:11:22:33:44:55","psm":4097,"cid":64,"bdaddr_type":1,)"
        R"("endpoint":"l2cap:00:11:22:33:44:55:4097"})");
  unsigned char hci[] = {0x1f, 0, 0, 0, 2, 0};  // the monitor with a device: the kernel refuses it
  CHECK(format_endpoint(SockAddr(reinterpret_cast<sockaddr const*>(hci), sizeof hci), *find_scheme("hci")) ==
        "hci:<sockaddr 1f0000000200>");
  unsigned char rc[] = {0x1f, 0, 1, 2, 3, 4, 5, 6, 31, 0};
  CHECK(format_endpoint(SockAddr(reinterpret_cast<sockaddr const*>(rc), sizeof rc), *find_scheme("rfcomm")) ==
        "rfcomm:<sockaddr 1f000102030405061f00>");
}

TEST_CASE("endpoint: malformed bluetooth endpoints exit 64 and say why") {
  Bad const table[] = {
      {"l2cap:", "expected BDADDR:PSM"},
      {"l2cap:00:11:22:33:44:55", "missing PSM after the address"},
      {"l2cap:00:11:22:33:44:55:", "missing PSM"},
      {"l2cap::4097", "missing Bluetooth address"},
      {"l2cap:00:11:22:33:44:4097", "'00:11:22:33:44' is not a Bluetooth address"},
      {"l2cap:00-11-22-33-44-55:4097", "'00-11-22-33-44-55' is not a Bluetooth address"},
      {"l2cap:0:1:2:3:4:5:4097", "'0:1:2:3:4:5' is not a Bluetooth address"},
      {"l2cap:gg:11:22:33:44:55:4097", "'gg:11:22:33:44:55' is not a Bluetooth address"},
      {"l2cap:ANY:4097", "'ANY' is not a Bluetooth address"},
      {"l2cap:00:11:22:33:44:55:4096", "PSM 4096 (0x1000) is not valid: a PSM is odd and has bit 8 (0x0100) clear"},
      {"l2cap:00:11:22:33:44:55:0x0101", "PSM 257 (0x0101) is not valid"},
      {"l2cap:00:11:22:33:44:55:65536", "PSM '65536' is not a number up to 65535"},
      {"l2cap:00:11:22:33:44:55:sdp", "PSM 'sdp' is not a number"},
      {"l2cap:00:11:22:33:44:55:-1", "PSM '-1' is not a number"},
      {"rfcomm:", "expected BDADDR:CHANNEL"},
      {"rfcomm:00:11:22:33:44:55", "missing channel after the address"},
      {"rfcomm:00:11:22:33:44:55:31", "channel '31' is not a number from 1 to 30"},
      {"rfcomm:00:11:22:33:44:55:0x3", "channel '0x3' is not a number"},
      {"rfcomm:00:11:22:33:44:5:3", "'00:11:22:33:44:5' is not a Bluetooth address"},
      {"sco:", "missing Bluetooth address"},
      {"sco:any:1", "'any:1' is not a Bluetooth address"},
      {"sco:00:11:22:33:44:555", "is not a Bluetooth address"},
      {"sco:00:11:22:33:44:55:", "is not a Bluetooth address"},
      {"hci:", "missing HCI device"},
      {"hci::monitor", "missing HCI device"},
      {"hci:x", "HCI device 'x' is not a number up to 65535 or none"},
      {"hci:65536", "HCI device '65536' is not a number"},
      {"hci:-1", "HCI device '-1' is not a number"},
      {"hci:0x1", "HCI device '0x1' is not a number"},
      {"hci:0:sniff", "HCI channel 'sniff' is not raw, user, monitor, control or logging"},
      {"hci:0:", "HCI channel '' is not"},
      {"hci:0:raw:1", "HCI channel 'raw:1' is not"},
      {"hci:none:user", "the user channel needs a device"},
  };
  for (auto const& b : table) check_bad(b);
}

// --- alg --------------------------------------------------------------------------------

namespace {
// sockaddr_alg: family, type[14], feat, mask, name[64], as hex.
std::string alg_hex(std::string_view type, std::string_view name) {
  std::string t(type), n(name);
  t.resize(14);
  n.resize(64);
  std::string out = "2600";
  for (char c : t) out += fmt::format("{:02x}", static_cast<unsigned char>(c));
  out += "0000000000000000";
  for (char c : n) out += fmt::format("{:02x}", static_cast<unsigned char>(c));
  return out;
}
}  // namespace

TEST_CASE("endpoint: alg endpoints parse, print and round-trip") {
  std::string name63(63, 'n');
  struct Row {
    std::string text, type, name;
  } const table[] = {
      {"alg:hash:sha256", "hash", "sha256"},
      {"alg:hash:hmac(sha256)", "hash", "hmac(sha256)"},
      {"alg:skcipher:cbc(aes)", "skcipher", "cbc(aes)"},
      {"alg:aead:authenc(hmac(sha256),cbc(aes))", "aead", "authenc(hmac(sha256),cbc(aes))"},
      {"alg:aead:gcm(aes)", "aead", "gcm(aes)"},
      {"alg:rng:stdrng", "rng", "stdrng"},
      {"alg:akcipher:rsa", "akcipher", "rsa"},
      {"alg:kpp:dh", "kpp", "dh"},
      {"alg:hash:odd:name", "hash", "odd:name"},
      {"alg:hash:" + name63, "hash", name63},
  };
  for (auto const& r : table) {
    std::string hex = alg_hex(r.type, r.name);
    std::string fields = fmt::format(R"({{"type":"{}","name":"{}"}})", r.type, r.name);
    check_good({r.text, AF_ALG, SOCK_SEQPACKET, 0, hex, fields, r.text});
  }
}

TEST_CASE("endpoint: alg addresses the grammar cannot express print as bytes") {
  auto a = *parse_endpoint("alg:hash:sha1")->address;
  auto* sa = reinterpret_cast<sockaddr_alg*>(a.get());
  sa->salg_feat = 1;
  CHECK(format_endpoint(a, *find_scheme("alg")).starts_with("alg:<sockaddr 2600"));
  sa->salg_feat = 0;
  std::memcpy(sa->salg_type, "compress", 9);
  CHECK(format_endpoint(a, *find_scheme("alg")).starts_with("alg:<sockaddr 2600"));
  CHECK(address_json(a, *find_scheme("alg")).dump().find(R"("type":"compress","name":"sha1")") != std::string::npos);
}

TEST_CASE("endpoint: malformed alg endpoints exit 64 and say why") {
  std::string name64 = "alg:hash:" + std::string(64, 'n');
  Bad const table[] = {
      {"alg:", "expected TYPE:NAME"},
      {"alg:hash", "expected TYPE:NAME"},
      {"alg:hash:", "missing algorithm name"},
      {"alg::sha256", "algorithm type '' is not one of hash, skcipher, aead, rng, akcipher, kpp"},
      {"alg:digest:sha256", "algorithm type 'digest' is not one of"},
      {"alg:HASH:sha256", "algorithm type 'HASH' is not one of"},
      {"alg:cipher:aes", "algorithm type 'cipher' is not one of"},
      {"alg:hash :sha256", "algorithm type 'hash ' is not one of"},
      {name64, "algorithm name is 64 bytes, the limit is 63"},
      {"alg:hash:sha 256", "has a space or a byte that does not print"},
      {"alg:hash:sha256\n", "has a space or a byte that does not print"},
      {"alg:hash:\x7f", "has a space or a byte that does not print"},
      {"alg:hash:sh\xc3\xa4", "has a space or a byte that does not print"},
  };
  for (auto const& b : table) check_bad(b);
}

TEST_CASE("endpoint: JSON fields stay valid UTF-8 whatever bytes a sockaddr holds") {
  auto ep = parse_endpoint("unix:/tmp/\xff\xc3\xa4");
  REQUIRE(ep.has_value());
  auto j = address_json(*ep->address, *ep->scheme);
  CHECK(j["path"] == "/tmp/\\xff\xc3\xa4");
  CHECK(j["endpoint"] == "unix:/tmp/\\xff\xc3\xa4");
  CHECK_NOTHROW(j.dump());
  // The text form keeps the bytes, so it parses back to the same path.
  CHECK(format_endpoint(*ep->address, *ep->scheme) == "unix:/tmp/\xff\xc3\xa4");
}

// --- netlink ----------------------------------------------------------------------------

TEST_CASE("endpoint: netlink endpoints parse, print and round-trip") {
  Good const table[] = {
      {"netlink:route:link,ipv4-ifaddr", AF_NETLINK, SOCK_RAW, 0, "100000000000000011000000",
       R"({"pid":0,"groups":17})", "netlink:route:link,ipv4-ifaddr"},
      {"netlink:route:ipv4_ifaddr,link", AF_NETLINK, SOCK_RAW, 0, "100000000000000011000000",
       R"({"pid":0,"groups":17})", "netlink:route:link,ipv4-ifaddr"},
      {"netlink:route:0x11", AF_NETLINK, SOCK_RAW, 0, "100000000000000011000000", R"({"pid":0,"groups":17})",
       "netlink:route:link,ipv4-ifaddr"},
      {"netlink:route", AF_NETLINK, SOCK_RAW, 0, "100000000000000000000000", R"({"pid":0,"groups":0})",
       "netlink:route"},
      {"netlink:0", AF_NETLINK, SOCK_RAW, 0, "100000000000000000000000", R"({"pid":0,"groups":0})", "netlink:route"},
      {"netlink:route:0", AF_NETLINK, SOCK_RAW, 0, "100000000000000000000000", R"({"pid":0,"groups":0})",
       "netlink:route"},
      {"netlink:route:link,link,neigh,tc,nsid", AF_NETLINK, SOCK_RAW, 0, "10000000000000000d000008",
       R"({"pid":0,"groups":134217741})", "netlink:route:link,neigh,tc,nsid"},
      {"netlink:route:ipv6-route,ipv6-ifinfo,ipv6-prefix,ipv6-rule", AF_NETLINK, SOCK_RAW, 0,
       "1000000000000000000c0600", R"({"pid":0,"groups":396288})",
       "netlink:route:ipv6-route,ipv6-ifinfo,ipv6-prefix,ipv6-rule"},
      {"netlink:route:nexthop", AF_NETLINK, SOCK_RAW, 0, "100000000000000000000080",
       R"({"pid":0,"groups":2147483648})", "netlink:route:nexthop"},
      {"netlink:route:0x2001", AF_NETLINK, SOCK_RAW, 0, "100000000000000001200000", R"({"pid":0,"groups":8193})",
       "netlink:route:0x2001"},
      {"netlink:route:link@1234", AF_NETLINK, SOCK_RAW, 0, "10000000d204000001000000",
       R"({"pid":1234,"groups":1})", "netlink:route:link@1234"},
      {"netlink:route@0x10", AF_NETLINK, SOCK_RAW, 0, "100000001000000000000000", R"({"pid":16,"groups":0})",
       "netlink:route@16"},
      {"netlink:audit", AF_NETLINK, SOCK_RAW, NETLINK_AUDIT, "100000000000000000000000", R"({"pid":0,"groups":0})",
       "netlink:audit"},
      {"netlink:audit:1", AF_NETLINK, SOCK_RAW, NETLINK_AUDIT, "100000000000000001000000",
       R"({"pid":0,"groups":1})", "netlink:audit:0x1"},
      {"netlink:kobject_uevent:1", AF_NETLINK, SOCK_RAW, NETLINK_KOBJECT_UEVENT, "100000000000000001000000",
       R"({"pid":0,"groups":1})", "netlink:kobject-uevent:kernel"},
      {"netlink:kobject-uevent:kernel,udev", AF_NETLINK, SOCK_RAW, NETLINK_KOBJECT_UEVENT,
       "100000000000000003000000", R"({"pid":0,"groups":3})", "netlink:kobject-uevent:kernel,udev"},
      {"netlink:inet_diag", AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG, "100000000000000000000000",
       R"({"pid":0,"groups":0})", "netlink:sock-diag"},
      {"netlink:generic:0xffffffff@4294967295", AF_NETLINK, SOCK_RAW, NETLINK_GENERIC, "10000000ffffffffffffffff",
       R"({"pid":4294967295,"groups":4294967295})", "netlink:generic:0xffffffff@4294967295"},
      {"netlink:17", AF_NETLINK, SOCK_RAW, 17, "100000000000000000000000", R"({"pid":0,"groups":0})", "netlink:17"},
      {"netlink:31:5", AF_NETLINK, SOCK_RAW, 31, "100000000000000005000000", R"({"pid":0,"groups":5})",
       "netlink:31:0x5"},
  };
  for (auto const& g : table) check_good(g);
  // Every protocol name prints back as itself.
  for (auto name : {"usersock", "firewall", "sock-diag", "nflog", "xfrm", "selinux", "iscsi", "fib-lookup",
                    "connector", "netfilter", "ip6-fw", "dnrtmsg", "generic", "scsitransport", "ecryptfs", "rdma",
                    "crypto", "smc"}) {
    auto text = fmt::format("netlink:{}", name);
    auto ep = parse_endpoint(text);
    REQUIRE(ep.has_value());
    CHECK(format_endpoint(*ep->address, *ep->scheme, ep->protocol) == text);
  }
}

TEST_CASE("endpoint: a netlink address prints under the socket's protocol") {
  auto a = *parse_endpoint("netlink:route:link")->address;
  CHECK(format_endpoint(a, *find_scheme("netlink")) == "netlink:route:link");
  CHECK(format_endpoint(a, *find_scheme("netlink"), NETLINK_KOBJECT_UEVENT) == "netlink:kobject-uevent:kernel");
  CHECK(format_endpoint(a, *find_scheme("netlink"), NETLINK_AUDIT) == "netlink:audit:0x1");
  CHECK(address_json(a, *find_scheme("netlink"), NETLINK_AUDIT)["endpoint"] == "netlink:audit:0x1");
  CHECK(format_endpoint(a, *find_scheme("netlink"), 99).starts_with("netlink:<sockaddr"));
}

TEST_CASE("endpoint: malformed netlink endpoints exit 64 and say why") {
  Bad const table[] = {
      {"netlink:", "missing netlink protocol"},
      {"netlink:@1", "missing netlink protocol"},
      {"netlink::link", "missing netlink protocol"},
      {"netlink:rout", "unknown netlink protocol 'rout', did you mean 'route'?"},
      {"netlink:ROUTE", "unknown netlink protocol 'ROUTE', did you mean 'route'?"},
      {"netlink:kobject", "unknown netlink protocol 'kobject'"},
      {"netlink:32", "netlink protocol 32 is above 31"},
      {"netlink:-1", "unknown netlink protocol '-1'"},
      {"netlink:route:", "missing groups after ':'"},
      {"netlink:route:link,,neigh", "empty group name in 'link,,neigh'"},
      {"netlink:route:link,", "empty group name"},
      {"netlink:route:lnk", "unknown route group 'lnk', did you mean 'link'?"},
      {"netlink:route:link:neigh", "unknown route group 'link:neigh'"},
      {"netlink:route:brvlan", "group 'brvlan' is number 33, and a sockaddr holds groups 1 to 32 only: join it with "
                               "-O NETLINK_ADD_MEMBERSHIP=33"},
      {"netlink:route:link,ipv6-acaddr", "group 'ipv6-acaddr' is number 39"},
      {"netlink:route:0x100000000", "group mask '0x100000000' is not a number up to 0xffffffff"},
      {"netlink:route:12ab", "group mask '12ab' is not a number"},
      {"netlink:audit:foo", "netlink protocol 'audit' has no group names: give a bit mask"},
      {"netlink:route@", "missing port id after '@'"},
      {"netlink:route@me", "port id 'me' is not a number up to 4294967295"},
      {"netlink:route@4294967296", "port id '4294967296' is not a number"},
      {"netlink:route@-1", "port id '-1' is not a number"},
  };
  for (auto const& b : table) check_bad(b);
}

// --- packet -----------------------------------------------------------------------------

TEST_CASE("endpoint: packet endpoints parse, print and round-trip") {
  auto const all = R"({"interface":"lo","proto":3,"pkttype":0,"hatype":0,"addr":""})";
  Good const table[] = {
      {"packet:lo", AF_PACKET, SOCK_RAW, 0x0300, "1100000301000000000000000000000000000000", all, "packet:lo"},
      {"packet:1:all", AF_PACKET, SOCK_RAW, 0x0300, "1100000301000000000000000000000000000000", all, "packet:lo"},
      {"packet:lo:0x0003", AF_PACKET, SOCK_RAW, 0x0300, "1100000301000000000000000000000000000000", all,
       "packet:lo"},
      {"packet:lo:0x0806", AF_PACKET, SOCK_RAW, 0x0608, "1100080601000000000000000000000000000000",
       R"({"interface":"lo","proto":2054,"pkttype":0,"hatype":0,"addr":""})", "packet:lo:arp"},
      {"packet:lo:2048", AF_PACKET, SOCK_RAW, 0x0008, "1100080001000000000000000000000000000000",
       R"({"interface":"lo","proto":2048,"pkttype":0,"hatype":0,"addr":""})", "packet:lo:ip"},
      {"packet:any:ip", AF_PACKET, SOCK_RAW, 0x0008, "1100080000000000000000000000000000000000",
       R"({"interface":"any","proto":2048,"pkttype":0,"hatype":0,"addr":""})", "packet:any:ip"},
      {"packet:any", AF_PACKET, SOCK_RAW, 0x0300, "1100000300000000000000000000000000000000",
       R"({"interface":"any","proto":3,"pkttype":0,"hatype":0,"addr":""})", "packet:any"},
      {"packet-dgram:lo:ipv6", AF_PACKET, SOCK_DGRAM, 0xdd86, "110086dd01000000000000000000000000000000",
       R"({"interface":"lo","proto":34525,"pkttype":0,"hatype":0,"addr":""})", "packet-dgram:lo:ipv6"},
      {"packet:lo:8021q", AF_PACKET, SOCK_RAW, 0x0081, "1100810001000000000000000000000000000000",
       R"({"interface":"lo","proto":33024,"pkttype":0,"hatype":0,"addr":""})", "packet:lo:8021q"},
      {"packet:lo:0x88cc", AF_PACKET, SOCK_RAW, 0xcc88, "110088cc01000000000000000000000000000000",
       R"({"interface":"lo","proto":35020,"pkttype":0,"hatype":0,"addr":""})", "packet:lo:lldp"},
      {"packet:lo:can", AF_PACKET, SOCK_RAW, 0x0c00, "1100000c01000000000000000000000000000000",
       R"({"interface":"lo","proto":12,"pkttype":0,"hatype":0,"addr":""})", "packet:lo:can"},
      {"packet:lo:pppoe_disc", AF_PACKET, SOCK_RAW, 0x6388, "1100886301000000000000000000000000000000",
       R"({"interface":"lo","proto":34915,"pkttype":0,"hatype":0,"addr":""})", "packet:lo:pppoe-disc"},
      {"packet:lo:0x1234", AF_PACKET, SOCK_RAW, 0x3412, "1100123401000000000000000000000000000000",
       R"({"interface":"lo","proto":4660,"pkttype":0,"hatype":0,"addr":""})", "packet:lo:0x1234"},
      {"packet:lo:0", AF_PACKET, SOCK_RAW, 0, "1100000001000000000000000000000000000000",
       R"({"interface":"lo","proto":0,"pkttype":0,"hatype":0,"addr":""})", "packet:lo:0x0000"},
  };
  for (auto const& g : table) check_good(g);
}

TEST_CASE("endpoint: a received packet address shows the sender in its fields") {
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(0x0800);
  sll.sll_ifindex = 1;
  sll.sll_hatype = 1;
  sll.sll_pkttype = PACKET_BROADCAST;
  sll.sll_halen = 6;
  unsigned char mac[] = {0x02, 0, 0, 0xaa, 0xbb, 0xcc};
  std::memcpy(sll.sll_addr, mac, 6);
  CHECK(address_json(SockAddr::of(sll), *find_scheme("packet")).dump() ==
        R"({"family":"packet","interface":"lo","proto":2048,"pkttype":1,"hatype":1,"addr":"02:00:00:aa:bb:cc",)"
        R"("endpoint":"packet:lo:ip"})");
}

TEST_CASE("endpoint: malformed packet endpoints exit 64 and say why") {
  Bad const table[] = {
      {"packet:", "missing interface name"},
      {"packet-dgram:", "missing interface name"},
      {"packet::ip", "missing interface name"},
      {"packet:lo:", "missing EtherType after ':'"},
      {"packet:lo:ipv7", "unknown EtherType 'ipv7'"},
      {"packet:lo:IP", "unknown EtherType 'IP'"},
      {"packet:lo:-1", "unknown EtherType '-1'"},
      {"packet:lo:ip:1", "unknown EtherType 'ip:1'"},
      {"packet:lo:0x10000", "EtherType '0x10000' is not a number up to 0xffff"},
      {"packet:lo:65536", "EtherType '65536' is not a number up to 0xffff"},
      {"packet:lo:0x", "EtherType '0x' is not a number"},
      {"packet:a/b", "may not contain '/'"},
      {"packet:lo :ip", "may not contain ' '"},
      {"packet:averyverylongname:ip", "is 17 bytes, the limit is 15"},
      {"packet:..", "'..' is not an interface name"},
  };
  for (auto const& b : table) check_bad(b);
}

// --- rds ----------------------------------------------------------------------------------

TEST_CASE("endpoint: rds endpoints parse, print and round-trip") {
  Good const table[] = {
      {"rds:127.0.0.1:4000", AF_RDS, SOCK_SEQPACKET, 0, "02000fa07f0000010000000000000000",
       R"({"host":"127.0.0.1","port":4000})", "rds:127.0.0.1:4000"},
      {"rds:0.0.0.0:0", AF_RDS, SOCK_SEQPACKET, 0, "02000000000000000000000000000000", R"({"host":"0.0.0.0","port":0})",
       "rds:0.0.0.0:0"},
      {"rds:192.168.1.20:18634", AF_RDS, SOCK_SEQPACKET, 0, "020048cac0a801140000000000000000",
       R"({"host":"192.168.1.20","port":18634})", "rds:192.168.1.20:18634"},
  };
  for (auto const& g : table) check_good(g);
  // A host name stays for resolution, which asks for IPv4 (not AF_RDS).
  auto ep = parse_endpoint("rds:localhost:4000");
  REQUIRE(ep.has_value());
  CHECK(ep->family == AF_RDS);
  CHECK(ep->host == "localhost");
  CHECK_FALSE(ep->address.has_value());
  auto addrs = resolve_endpoint(*ep);
  REQUIRE_MESSAGE(addrs.has_value(), (addrs ? "" : addrs.error().message()));
  for (auto const& a : *addrs) CHECK(a.family() == AF_INET);
}

TEST_CASE("endpoint: malformed rds endpoints exit 64 and say why") {
  Bad const table[] = {
      {"rds:", "missing ':' before the port"},
      {"rds:127.0.0.1", "missing ':' before the port"},
      {"rds:127.0.0.1:", "missing port"},
      {"rds:127.0.0.1:70000", "port 70000 is out of range"},
      {"rds:127.0.0.1:-1", "is not a number from 0 to 65535"},
      {"rds:127.0.0.1:20-25", "a port range '20-25' is not allowed here"},
      {"rds:[::1]:4000", "rds takes IPv4 addresses only"},
      {"rds:[1.2.3.4]:4000", "'1.2.3.4' is not an IPv6 address"},
      {"rds:fe80::1:4000", "must be in brackets"},
      {"rds:1.2.3.4%lo:4000", "a zone needs brackets"},
      {"rds:a b:4000", "character ' ' is not allowed"},
      {"rds:a..b:4000", "empty label"},
      {"rds:host:a b", "neither a port number nor a service name"},
      {"rds::4000", "rds needs a host: RDS binds and sends to one address, never the wildcard"},
      {"rds:<broadcast>:4000", "rds needs a host: RDS binds and sends to one address, never the wildcard"},
  };
  for (auto const& b : table) check_bad(b);
}

// --- fd, systemd --------------------------------------------------------------------------

TEST_CASE("endpoint: fd and systemd endpoints name a descriptor, not an address") {
  struct Row {
    std::string_view text;
    int fd;
    std::string_view name;
  } const table[] = {
      {"fd:3", 3, ""},
      {"fd:0", 0, ""},
      {"fd:007", 7, ""},
      {"fd:2147483647", 2147483647, ""},
      {"systemd:", -1, ""},
      {"systemd:web", -1, "web"},
      {"systemd:a-b_c.d", -1, "a-b_c.d"},
      {"systemd:~!#$%^&*()", -1, "~!#$%^&*()"},
  };
  for (auto const& r : table) {
    CAPTURE(r.text);
    auto ep = parse_endpoint(r.text);
    REQUIRE_MESSAGE(ep.has_value(), (ep ? "" : ep.error().message()));
    CHECK(ep->family == AF_UNSPEC);
    CHECK(ep->fd == r.fd);
    CHECK(ep->name == r.name);
    CHECK_FALSE(ep->address.has_value());
    auto addrs = resolve_endpoint(*ep);
    REQUIRE_FALSE(addrs.has_value());
    CHECK(addrs.error().exit == Exit::usage);
  }
  std::string name255 = "systemd:" + std::string(255, 'n');
  CHECK(parse_endpoint(name255).has_value());
  // What the adopted socket's addresses print as: their own family's text.
  auto a = *parse_endpoint("udp6:[::1]:53")->address;
  CHECK(family::codec_for(Codec::fd).format(a, *find_scheme("fd"), 0) == "tcp:[::1]:53");
  Json j;
  family::codec_for(Codec::systemd).fields(a, j);
  CHECK(j.dump() == R"({"host":"::1","port":53,"flowinfo":0,"scope_id":0})");
}

TEST_CASE("endpoint: malformed fd and systemd endpoints exit 64 and say why") {
  std::string name256 = "systemd:" + std::string(256, 'n');
  Bad const table[] = {
      {"fd:", "missing descriptor number"},
      {"fd:-1", "'-1' is not a descriptor number from 0 to 2147483647"},
      {"fd:x", "'x' is not a descriptor number"},
      {"fd:2147483648", "'2147483648' is not a descriptor number"},
      {"fd:3:4", "'3:4' is not a descriptor number"},
      {"fd: 3", "' 3' is not a descriptor number"},
      {"fd:0x3", "'0x3' is not a descriptor number"},
      {"fd:+3", "'+3' is not a descriptor number"},
      {"fd:3.0", "'3.0' is not a descriptor number"},
      {"fd:stdin", "'stdin' is not a descriptor number"},
      {"systemd:a:b", "a socket name cannot contain ':'"},
      {"systemd::", "a socket name cannot contain ':'"},
      {"systemd:a b", "has a space or a byte that does not print"},
      {"systemd:\t", "has a space or a byte that does not print"},
      {"systemd:a\nb", "has a space or a byte that does not print"},
      {"systemd:\x7f", "has a space or a byte that does not print"},
      {"systemd:caf\xc3\xa9", "has a space or a byte that does not print"},
      {name256, "socket name is 256 bytes, the limit is 255"},
  };
  for (auto const& b : table) check_bad(b);
}
