// sockaddr_test.cpp: SockAddr keeps exactly the bytes and length it is given.
#include <netinet/in.h>
#include <sys/un.h>

#include <doctest/doctest.h>

#include "sockctl/sockaddr.hpp"

using namespace sockctl;

TEST_CASE("sockaddr: copies bytes and length, views by family") {
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(80);
  auto a = SockAddr::of(sin);
  CHECK(a.family() == AF_INET);
  CHECK(a.size() == sizeof sin);
  REQUIRE(a.as<sockaddr_in>(AF_INET) != nullptr);
  CHECK(ntohs(a.as<sockaddr_in>(AF_INET)->sin_port) == 80);
  CHECK(a.as<sockaddr_in6>(AF_INET6) == nullptr);
}

TEST_CASE("sockaddr: a short length is kept and too-short views are refused") {
  sockaddr_un sun{};
  sun.sun_family = AF_UNIX;
  SockAddr a(reinterpret_cast<sockaddr*>(&sun), sizeof(sa_family_t) + 3);
  CHECK(a.size() == sizeof(sa_family_t) + 3);
  CHECK(a.as<sockaddr_un>(AF_UNIX) == nullptr);
  CHECK(a.as<sockaddr_un>(AF_UNIX, sizeof(sa_family_t)) != nullptr);
  CHECK(SockAddr().family() == AF_UNSPEC);
}

TEST_CASE("sockaddr: an oversized length is clamped, equality compares bytes") {
  sockaddr_storage big{};
  big.ss_family = AF_INET6;
  SockAddr a(reinterpret_cast<sockaddr*>(&big), 10000);
  CHECK(a.size() == sizeof(sockaddr_storage));
  SockAddr b = a;
  CHECK(a == b);
  b.set_size(8);
  CHECK_FALSE(a == b);
}
