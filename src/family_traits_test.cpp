// family_traits_test.cpp: which families pass EOF on, which run without
// connections, message limits and send flags, as tables.
#include <doctest/doctest.h>
#include <initializer_list>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sockctl/family_traits.hpp"

using namespace sockctl;

TEST_CASE("family_traits: half-close only where the peer can still answer") {
  struct Row {
    int family, type, protocol;
    bool half_close;
  };
  Row const rows[] = {
      {AF_INET, SOCK_STREAM, IPPROTO_TCP, true},     {AF_INET6, SOCK_STREAM, 0, true},
      {AF_UNIX, SOCK_STREAM, 0, true},               {AF_UNIX, SOCK_SEQPACKET, 0, true},
      {AF_VSOCK, SOCK_STREAM, 0, true},              {AF_INET, SOCK_STREAM, IPPROTO_SCTP, false},
      {AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP, false}, {AF_TIPC, SOCK_STREAM, 0, false},
      {AF_TIPC, SOCK_SEQPACKET, 0, false},           {AF_BLUETOOTH, SOCK_SEQPACKET, 0, false},
      {AF_BLUETOOTH, SOCK_STREAM, 3, false},         {AF_INET, SOCK_DGRAM, IPPROTO_UDP, false},
  };
  for (auto const& r : rows) {
    CAPTURE(r.family);
    CAPTURE(r.type);
    CHECK(has_half_close(r.family, r.type, r.protocol) == r.half_close);
  }
}

TEST_CASE("family_traits: RDS runs seqpacket sockets without connections") {
  CHECK(is_connectionless_family(AF_RDS, SOCK_SEQPACKET));
  CHECK_FALSE(is_connectionless_family(AF_UNIX, SOCK_SEQPACKET));
  CHECK_FALSE(is_connectionless_family(AF_TIPC, SOCK_SEQPACKET));
}

TEST_CASE("family_traits: which connections end with shutdown before close") {
  struct Row {
    int family, type;
    bool expected;
  };
  for (auto [family, type, expected] : {Row{AF_TIPC, SOCK_STREAM, true}, Row{AF_TIPC, SOCK_SEQPACKET, true},
                                        Row{AF_TIPC, SOCK_RDM, false}, Row{AF_INET, SOCK_STREAM, false},
                                        Row{AF_BLUETOOTH, SOCK_STREAM, false}}) {
    CAPTURE(family);
    CAPTURE(type);
    CHECK(closes_with_shutdown(family, type) == expected);
  }
}

TEST_CASE("family_traits: send flags and message limits") {
  CHECK(closes_with_reset(AF_BLUETOOTH));
  CHECK_FALSE(closes_with_reset(AF_INET));
  CHECK(send_flags(AF_RDS, MSG_NOSIGNAL | MSG_DONTWAIT) == MSG_DONTWAIT);
  CHECK(send_flags(AF_INET, MSG_NOSIGNAL | MSG_DONTWAIT) == (MSG_NOSIGNAL | MSG_DONTWAIT));
  int fds[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_SEQPACKET, 0, fds) == 0);
  CHECK(message_limit(fds[0], AF_UNIX, SOCK_SEQPACKET, 0, 65507) == 65507);
  // Not an L2CAP socket, whatever the caller claims: getsockopt fails, the fallback stands.
  CHECK(message_limit(fds[0], AF_BLUETOOTH, SOCK_SEQPACKET, 0, 65507) == 65507);
  ::close(fds[0]);
  ::close(fds[1]);
}
