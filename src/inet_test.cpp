// inet_test.cpp: the inet helpers against the answers and refusals of
// Python's socket module (the expected values were taken from CPython 3.11).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <sys/socket.h>

#include "sockctl/inet.hpp"

using namespace sockctl;
using namespace sockctl::inet;

TEST_CASE("inet: numbers for the verbs") {
  CHECK(parse_unsigned("0") == 0u);
  CHECK(parse_unsigned("0x10") == 16u);
  CHECK(parse_unsigned("0X1f") == 31u);
  CHECK(parse_unsigned("18446744073709551615") == UINT64_MAX);
  for (std::string bad : {"", "-1", "+1", "0x", "0x-1", "1.5", " 1", "1 ", "18446744073709551616", "0x0x1", "abc"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_unsigned(bad));
  }
  CHECK(parse_signed("-1") == -1);
  CHECK(parse_signed("-0x10") == -16);
  CHECK(parse_signed("-9223372036854775808") == INT64_MIN);
  CHECK_FALSE(parse_signed("-9223372036854775809"));
  CHECK_FALSE(parse_signed("9223372036854775808"));
  CHECK_FALSE(parse_signed("--1"));
}

TEST_CASE("inet: aton reads the classic forms as Python does") {
  struct Row {
    std::string text, packed;
  };
  Row const rows[] = {
      {"127.0.0.1", "7f000001"}, {"127.1", "7f000001"},    {"0x7f.1", "7f000001"},
      {"0177.0.0.1", "7f000001"}, {"1.2.3", "01020003"},   {"4294967295", "ffffffff"},
      {"1.16777215", "01ffffff"}, {"1.2.3.4 junk", "01020304"}, {"0", "00000000"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.text);
    auto b = aton(r.text);
    REQUIRE(b);
    CHECK(hex_encode(*b) == r.packed);
  }
  std::string const refused[] = {"",           " 1.2.3.4",  "1.2.3.256", "1..2",    "0x",
                                 "08.1.1.1",   "1.2.3.4.5", "4294967296", "1.16777216", "a.b.c.d",
                                 std::string("1.2.3.4\0x", 9)};
  for (auto const& bad : refused) {
    CAPTURE(bad);
    auto b = aton(bad);
    REQUIRE_FALSE(b);
    CHECK(b.error().exit == Exit::usage);
    CHECK(b.error().what == "bad IPv4 address '" + bad + "'");
  }
}

TEST_CASE("inet: ntoa takes exactly four bytes") {
  auto ok = ntoa(*hex_decode("7f000001"));
  REQUIRE(ok);
  CHECK(*ok == "127.0.0.1");
  for (std::string bad : {"", "010203", "0102030405"}) {
    auto r = ntoa(*hex_decode(bad));
    REQUIRE_FALSE(r);
    CHECK(r.error().exit == Exit::data);
    CHECK(r.error().what == "packed IPv4 address '" + bad + "'");
    CHECK(r.error().why == std::to_string(bad.size() / 2) + " bytes, inet_ntoa takes 4");
  }
}

TEST_CASE("inet: address families for pton and ntop") {
  struct Row {
    std::string text;
    int family;
  };
  Row const rows[] = {{"inet", AF_INET},      {"inet6", AF_INET6}, {"AF_INET", AF_INET},
                      {"af_inet6", AF_INET6}, {"2", AF_INET},      {"10", AF_INET6}};
  for (auto const& r : rows) {
    CAPTURE(r.text);
    CHECK(address_family(r.text).value() == r.family);
  }
  for (std::string bad : {"unix", "1", "foo", "", "AF_PACKET"}) {
    CAPTURE(bad);
    auto f = address_family(bad);
    REQUIRE_FALSE(f);
    CHECK(f.error().exit == Exit::usage);
    CHECK(f.error().what.find("'" + bad + "'") != std::string::npos);
  }
}

TEST_CASE("inet: pton and ntop") {
  struct Row {
    int family;
    std::string text, packed, canonical;
  };
  Row const rows[] = {
      {AF_INET6, "::ffff:1.2.3.4", "00000000000000000000ffff01020304", "::ffff:1.2.3.4"},
      {AF_INET6, "::1", "00000000000000000000000000000001", "::1"},
      {AF_INET6, "2001:DB8:0:0:0:0:0:1", "20010db8000000000000000000000001", "2001:db8::1"},
      {AF_INET6, "fe80::1", "fe800000000000000000000000000001", "fe80::1"},
      {AF_INET6, "2001:db8:0:1:1:1:1:1", "20010db8000000010001000100010001", "2001:db8:0:1:1:1:1:1"},
      {AF_INET, "127.0.0.1", "7f000001", "127.0.0.1"},
      {AF_INET, "255.255.255.255", "ffffffff", "255.255.255.255"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.text);
    auto b = pton(r.family, r.text);
    REQUIRE(b);
    CHECK(hex_encode(*b) == r.packed);
    auto back = ntop(r.family, *b);
    REQUIRE(back);
    CHECK(*back == r.canonical);
  }
  struct Bad {
    int family;
    std::string text, why;
  };
  Bad const bad[] = {
      {AF_INET, "127.1", "inet_pton takes four decimal parts a.b.c.d (inet aton reads short forms)"},
      {AF_INET, "1.2.3.04", "inet_pton takes four decimal parts"},
      {AF_INET, "", "inet_pton takes four decimal parts"},
      {AF_INET, "::1", "inet_pton takes four decimal parts"},
      {AF_INET6, "fe80::1%lo", "the zone '%lo' is not part of the address"},
      {AF_INET6, "::g", "inet_pton cannot read it"},
      {AF_INET6, "1:2:3:4:5:6:7:8:9", "inet_pton cannot read it"},
      {AF_INET6, "", "inet_pton cannot read it"},
  };
  for (auto const& r : bad) {
    CAPTURE(r.text);
    auto b = pton(r.family, r.text);
    REQUIRE_FALSE(b);
    CHECK(b.error().exit == Exit::usage);
    CHECK(b.error().what.find("'" + r.text + "'") != std::string::npos);
    CHECK(b.error().why.find(r.why) != std::string::npos);
  }
  struct Length {
    int family;
    std::string packed, why;
  };
  Length const lengths[] = {
      {AF_INET, "010203", "3 bytes, inet takes 4"},
      {AF_INET, "0102030405", "5 bytes, inet takes 4"},
      {AF_INET6, "000000000000000000000000000000", "15 bytes, inet6 takes 16"},
      {AF_INET6, "7f000001", "4 bytes, inet6 takes 16"},
      {AF_INET6, "", "0 bytes, inet6 takes 16"},
  };
  for (auto const& r : lengths) {
    CAPTURE(r.packed);
    auto s = ntop(r.family, *hex_decode(r.packed));
    REQUIRE_FALSE(s);
    CHECK(s.error().exit == Exit::data);
    CHECK(s.error().what.find("'" + r.packed + "'") != std::string::npos);
    CHECK(s.error().why == r.why);
  }
}

TEST_CASE("inet: byte order, with Python's overflow refusals") {
  struct Row {
    Order which;
    std::string text;
    uint32_t result;
  };
  Row const rows[] = {
      {Order::htonl, "1", 16777216u},         {Order::htonl, "0x01020304", 0x04030201u},
      {Order::htonl, "4294967295", 4294967295u}, {Order::htonl, "0", 0u},
      {Order::htonl, "-0", 0u},               {Order::ntohl, "16777216", 1u},
      {Order::htons, "1", 256u},              {Order::htons, "65535", 65535u},
      {Order::ntohs, "0x1234", 0x3412u},
  };
  for (auto const& r : rows) {
    CAPTURE(r.text);
    auto v = byte_order(r.which, r.text);
    REQUIRE(v);
    CHECK(*v == r.result);
  }
  struct Bad {
    Order which;
    std::string text, message;
  };
  Bad const bad[] = {
      {Order::htonl, "-1", "htonl '-1': negative, the range is 0 to 4294967295"},
      {Order::htonl, "4294967296", "htonl '4294967296': too large, the range is 0 to 4294967295"},
      {Order::ntohl, "99999999999999999999999", "ntohl '99999999999999999999999': too large"},
      {Order::htonl, "-99999999999999999999999", "negative"},
      {Order::htons, "65536", "htons '65536': too large, the range is 0 to 65535"},
      {Order::ntohs, "-1", "ntohs '-1': negative, the range is 0 to 65535"},
      {Order::htonl, "abc", "htonl 'abc': not a decimal or 0x hex integer"},
      {Order::htonl, "", "htonl '': not a decimal or 0x hex integer"},
      {Order::htonl, "+1", "not a decimal or 0x hex integer"},
      {Order::htonl, "1.5", "not a decimal or 0x hex integer"},
      {Order::htonl, "-x", "not a decimal or 0x hex integer"},
  };
  for (auto const& r : bad) {
    CAPTURE(r.text);
    auto v = byte_order(r.which, r.text);
    REQUIRE_FALSE(v);
    CHECK(v.error().exit == Exit::usage);
    CHECK_MESSAGE(v.error().message().find(r.message) != std::string::npos, v.error().message());
  }
}

TEST_CASE("inet: CMSG_LEN and CMSG_SPACE with Python's bounds") {
  struct Row {
    bool space;
    std::string text;
    uint64_t result;
  };
  Row const rows[] = {
      {false, "0", 16},          {false, "4", 20},          {false, "2147483631", 2147483647},
      {true, "0", 16},           {true, "1", 24},           {true, "4", 24},
      {true, "9", 32},           {true, "2147483623", 2147483640},
  };
  for (auto const& r : rows) {
    CAPTURE(r.text);
    auto v = r.space ? cmsg_space(r.text) : cmsg_len(r.text);
    REQUIRE(v);
    CHECK(*v == r.result);
  }
  struct Bad {
    bool space;
    std::string text, message;
  };
  Bad const bad[] = {
      {false, "2147483632", "CMSG_LEN '2147483632': too large, the range is 0 to 2147483631"},
      {false, "-1", "CMSG_LEN '-1': negative"},
      {false, "18446744073709551616", "too large"},
      {true, "2147483624", "CMSG_SPACE '2147483624': too large, the range is 0 to 2147483623"},
      {true, "-1", "CMSG_SPACE '-1': negative"},
      {true, "x", "not a decimal or 0x hex integer"},
  };
  for (auto const& r : bad) {
    CAPTURE(r.text);
    auto v = r.space ? cmsg_space(r.text) : cmsg_len(r.text);
    REQUIRE_FALSE(v);
    CHECK(v.error().exit == Exit::usage);
    CHECK_MESSAGE(v.error().message().find(r.message) != std::string::npos, v.error().message());
  }
}

TEST_CASE("inet: interface names and indexes") {
  auto lo = ifindex("lo");
  REQUIRE(lo);
  CHECK(*lo > 0);
  CHECK(ifname(std::to_string(*lo)).value() == "lo");
  CHECK(ifname("0x" + std::to_string(*lo)).has_value() == (*lo < 10));
  for (std::string bad : {"no-such-if0", "", "abcdefghijklmnopqrstuvwxyz"}) {
    CAPTURE(bad);
    auto i = ifindex(bad);
    REQUIRE_FALSE(i);
    CHECK(i.error().exit == Exit::unavailable);
    CHECK(i.error().message() == "interface '" + bad + "': no such interface");
  }
  struct Bad {
    std::string text;
    Exit exit;
  };
  Bad const bad[] = {{"0", Exit::unavailable}, {"4294967295", Exit::unavailable}, {"abc", Exit::usage},
                     {"-1", Exit::usage},      {"4294967296", Exit::usage},       {"", Exit::usage}};
  for (auto const& r : bad) {
    CAPTURE(r.text);
    auto n = ifname(r.text);
    REQUIRE_FALSE(n);
    CHECK(n.error().exit == r.exit);
    CHECK(n.error().what.find("'" + r.text + "'") != std::string::npos);
  }
}

TEST_CASE("inet: interfaces list the loopback with its address") {
  auto all = interfaces();
  REQUIRE(all);
  auto lo = std::find_if(all->begin(), all->end(), [](auto const& i) { return i.name == "lo"; });
  REQUIRE(lo != all->end());
  CHECK(lo->index == ifindex("lo").value());
  auto flags = interface_flags(lo->flags);
  CHECK(std::find(flags.begin(), flags.end(), "loopback") != flags.end());
  CHECK(std::find(flags.begin(), flags.end(), "up") != flags.end());
  CHECK(lo->mtu.value_or(0) > 0);
  CHECK(lo->mac == "00:00:00:00:00:00");
  bool v4 = std::any_of(lo->addresses.begin(), lo->addresses.end(),
                        [](auto const& a) { return a.address == "127.0.0.1" && a.prefixlen == 8; });
  CHECK(v4);
  CHECK(std::is_sorted(all->begin(), all->end(), [](auto const& a, auto const& b) { return a.index < b.index; }));
}

TEST_CASE("inet: interface flag names") {
  CHECK(interface_flags(0).empty());
  CHECK(interface_flags(0x1 | 0x8 | 0x40 | 0x10000) ==
        std::vector<std::string>{"up", "loopback", "running", "lower_up"});
}
