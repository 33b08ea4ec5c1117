// family_traits_test.cpp: which families pass EOF on, which run without
// connections, message limits and send flags, which need an address or a
// bound source to send, and SCTP's end-of-association event, as tables.
#include <doctest/doctest.h>
#include <initializer_list>

#include <cstdint>
#include <netinet/in.h>
#include <span>
#include <sys/socket.h>
// After sys/socket.h: linux/sctp.h needs its types.
#include <linux/sctp.h>
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
  CHECK(message_limit(fds[0], AF_BLUETOOTH, SOCK_STREAM, 0, SIZE_MAX) == SIZE_MAX);
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST_CASE("family_traits: SCTP binds a name's addresses together; one-to-many SCTP names the peer; RDS sends bound") {
  struct Row {
    int family, type, protocol;
    bool need_address;
  };
  Row const rows[] = {
      {AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP, true},  {AF_INET6, SOCK_SEQPACKET, IPPROTO_SCTP, true},
      {AF_INET, SOCK_STREAM, IPPROTO_SCTP, false},    {AF_UNIX, SOCK_SEQPACKET, 0, false},
      {AF_TIPC, SOCK_SEQPACKET, 0, false},            {AF_RDS, SOCK_SEQPACKET, 0, false},
  };
  for (auto const& r : rows) {
    CAPTURE(r.family);
    CAPTURE(r.type);
    CHECK(sends_need_address(r.family, r.type, r.protocol) == r.need_address);
  }
  CHECK(binds_addresses_together(AF_INET, IPPROTO_SCTP));
  CHECK(binds_addresses_together(AF_INET6, IPPROTO_SCTP));
  CHECK_FALSE(binds_addresses_together(AF_INET, IPPROTO_TCP));
  CHECK_FALSE(binds_addresses_together(AF_INET6, 0));
  CHECK(needs_bound_source(AF_RDS));
  CHECK_FALSE(needs_bound_source(AF_INET));
  CHECK_FALSE(needs_bound_source(AF_TIPC));
}

TEST_CASE("family_traits: an SCTP association's end is the peer's EOF") {
  struct Row {
    uint16_t type, state;
    size_t size;
    bool gone;
  };
  Row const rows[] = {
      {SCTP_ASSOC_CHANGE, SCTP_SHUTDOWN_COMP, sizeof(sctp_assoc_change), true},
      {SCTP_ASSOC_CHANGE, SCTP_COMM_LOST, sizeof(sctp_assoc_change), true},
      {SCTP_ASSOC_CHANGE, SCTP_CANT_STR_ASSOC, sizeof(sctp_assoc_change), true},
      {SCTP_ASSOC_CHANGE, SCTP_COMM_UP, sizeof(sctp_assoc_change), false},
      {SCTP_ASSOC_CHANGE, SCTP_RESTART, sizeof(sctp_assoc_change), false},
      {SCTP_PEER_ADDR_CHANGE, SCTP_SHUTDOWN_COMP, sizeof(sctp_assoc_change), false},
      {SCTP_ASSOC_CHANGE, SCTP_SHUTDOWN_COMP, sizeof(sctp_assoc_change) - 1, false},
      {SCTP_ASSOC_CHANGE, SCTP_SHUTDOWN_COMP, 0, false},
  };
  for (auto const& r : rows) {
    CAPTURE(r.type);
    CAPTURE(r.state);
    CAPTURE(r.size);
    sctp_assoc_change change{};
    change.sac_type = r.type;
    change.sac_state = r.state;
    change.sac_length = sizeof change;
    auto bytes = std::as_bytes(std::span(&change, 1)).first(r.size);
    CHECK(is_peer_gone(bytes) == r.gone);
  }
}
