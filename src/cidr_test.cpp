// cidr_test.cpp: address blocks parse, reject bad text with exit 64, and match
// IPv4, IPv6 and IPv4-mapped peers.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string>

#include <doctest/doctest.h>

#include "sockctl/cidr.hpp"

using namespace sockctl;

namespace {

SockAddr addr(char const* text) {
  sockaddr_in sin{};
  if (inet_pton(AF_INET, text, &sin.sin_addr) == 1) {
    sin.sin_family = AF_INET;
    return SockAddr::of(sin);
  }
  sockaddr_in6 sin6{};
  REQUIRE(inet_pton(AF_INET6, text, &sin6.sin6_addr) == 1);
  sin6.sin6_family = AF_INET6;
  return SockAddr::of(sin6);
}

}  // namespace

TEST_CASE("cidr: blocks parse to family and prefix") {
  struct Row {
    char const* text;
    int family;
    int prefix;
  } const rows[] = {
      {"10.0.0.0/8", AF_INET, 8},       {"127.0.0.1", AF_INET, 32},   {"0.0.0.0/0", AF_INET, 0},
      {"::1", AF_INET6, 128},           {"[fe80::]/10", AF_INET6, 10}, {"2001:db8::/32", AF_INET6, 32},
      {"::ffff:127.0.0.1", AF_INET, 32}, {"::ffff:10.0.0.0/104", AF_INET, 8}, {"::/0", AF_INET6, 0},
  };
  for (auto const& r : rows) {
    CAPTURE(r.text);
    auto c = parse_cidr(r.text);
    REQUIRE(c);
    CHECK(c->family == r.family);
    CHECK(c->prefix == r.prefix);
  }
}

TEST_CASE("cidr: bad blocks exit 64 and name the text") {
  struct Row {
    char const* text;
    char const* why;
  } const rows[] = {
      {"", "missing address"},          {"10.0.0.0/", "missing prefix"},  {"10.0.0.0/33", "0 to 32"},
      {"::/129", "0 to 128"},           {"10.0.0.0/-1", "0 to 32"},       {"10.0.0.0/8x", "0 to 32"},
      {"localhost", "not an IPv4"},     {"300.1.1.1", "not an IPv4"},     {"/8", "missing address"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.text);
    auto c = parse_cidr(r.text);
    REQUIRE_FALSE(c);
    CHECK(c.error().exit == Exit::usage);
    CHECK(c.error().what == std::string("bad address block '") + r.text + "'");
    CHECK(c.error().why.find(r.why) != std::string::npos);
  }
}

TEST_CASE("cidr: contains matches IPv4, IPv6 and IPv4-mapped peers") {
  struct Row {
    char const* block;
    char const* peer;
    bool inside;
  } const rows[] = {
      {"127.0.0.1", "127.0.0.1", true},         {"127.0.0.1", "127.0.0.2", false},
      {"127.0.0.0/8", "127.255.0.9", true},     {"10.0.0.0/9", "10.128.0.1", false},
      {"10.0.0.0/9", "10.127.0.1", true},       {"0.0.0.0/0", "192.0.2.1", true},
      {"127.0.0.1", "::ffff:127.0.0.1", true},  {"127.0.0.0/8", "::ffff:127.1.2.3", true},
      {"::ffff:127.0.0.1", "127.0.0.1", true},  {"::1", "::1", true},
      {"::1", "127.0.0.1", false},              {"127.0.0.1", "::1", false},
      {"fe80::/10", "fe80::1", true},           {"fe80::/10", "fec0::1", false},
      {"::/0", "::ffff:127.0.0.1", false},      {"2001:db8::/33", "2001:db8:8000::1", false},
  };
  for (auto const& r : rows) {
    CAPTURE(r.block);
    CAPTURE(r.peer);
    auto c = parse_cidr(r.block);
    REQUIRE(c);
    CHECK(c->contains(addr(r.peer)) == r.inside);
  }
}

TEST_CASE("cidr: deny wins over allow, and allow-lists refuse the rest") {
  AccessList open;
  CHECK(open.permits(addr("192.0.2.1")));

  AccessList deny_only;
  deny_only.deny(*parse_cidr("127.0.0.1"));
  CHECK_FALSE(deny_only.permits(addr("127.0.0.1")));
  CHECK_FALSE(deny_only.permits(addr("::ffff:127.0.0.1")));
  CHECK(deny_only.permits(addr("127.0.0.2")));
  CHECK(deny_only.permits(addr("::1")));

  AccessList both;
  both.allow(*parse_cidr("10.0.0.0/8"));
  both.deny(*parse_cidr("10.1.0.0/16"));
  CHECK(both.permits(addr("10.2.3.4")));
  CHECK_FALSE(both.permits(addr("10.1.3.4")));
  CHECK_FALSE(both.permits(addr("192.0.2.1")));
}
