// netlink_test.cpp: request lines, reply splitting, knowing when replies are
// complete, and one real RTM_GETLINK dump over this kernel's rtnetlink.
#include <doctest/doctest.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <cstring>
#include <string>
#include <unistd.h>

#include "sockctl/hex.hpp"
#include "sockctl/netlink.hpp"

using namespace sockctl;

namespace {

// An RTM_GETLINK dump request: nlmsghdr + struct ifinfomsg (16 bytes), seq 1.
constexpr char kGetLinkDump[] = "20000000120001030100000000000000" "00000000000000000000000000000000";

std::vector<std::byte> message(uint16_t type, uint16_t flags, uint32_t seq, std::vector<std::byte> body = {}) {
  nlmsghdr h{};
  h.nlmsg_len = static_cast<uint32_t>(sizeof h + body.size());
  h.nlmsg_type = type;
  h.nlmsg_flags = flags;
  h.nlmsg_seq = seq;
  std::vector<std::byte> out((sizeof h + body.size() + 3) & ~size_t(3));
  std::memcpy(out.data(), &h, sizeof h);
  if (!body.empty()) std::memcpy(out.data() + sizeof h, body.data(), body.size());
  return out;
}

std::vector<std::byte> error_message(uint32_t seq, int32_t err) {
  std::vector<std::byte> body(sizeof(nlmsgerr));
  std::memcpy(body.data(), &err, sizeof err);
  return message(NLMSG_ERROR, 0, seq, body);
}

std::vector<std::byte> concat(std::vector<std::vector<std::byte>> parts) {
  std::vector<std::byte> out;
  for (auto const& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

}  // namespace

TEST_CASE("netlink: request lines become datagrams, nlmsg_len 0 is filled in") {
  struct Row {
    std::string line;
    std::string bytes;
  };
  Row const rows[] = {
      {kGetLinkDump, kGetLinkDump},
      {std::string("  ") + kGetLinkDump + " \r", kGetLinkDump},
      {"00000000120001030100000000000000", "10000000120001030100000000000000"},
      {"00000000 12000103 01000000 00000000 00000000", "14000000120001030100000000000000" "00000000"},
      // Two messages in one datagram; the last one's length filled in.
      {"1000000003000200020000000000000000000000030002000300000000000000",
       "1000000003000200020000000000000010000000030002000300000000000000"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.line);
    auto d = netlink::parse_request(r.line);
    REQUIRE(d);
    CHECK(hex_encode(*d) == r.bytes);
  }
}

TEST_CASE("netlink: malformed request lines exit 65 and say why") {
  struct Row {
    std::string line;
    std::string what, why;
  };
  Row const rows[] = {
      {"zz", "bad hex 'zz'", "not a hex digit"},
      {"123", "bad hex '123'", "odd number"},
      {"0000", "bad netlink request '0000'", "message 1 has 2 bytes, less than the 16-byte header"},
      {"08000000120001030100000000000000", "bad netlink request", "nlmsg_len 8, less than its 16-byte header"},
      {"40000000120001030100000000000000", "bad netlink request", "nlmsg_len 64 but 16 bytes are left"},
      {"1000000003000200020000000000000001", "bad netlink request", "message 2 has 1 bytes"},
      // Found by fuzz_netlink: an NLMSG_ERROR too short for its code, which split() refuses.
      {"10000000120000003652000000000000 00000000020000000000000000000000", "bad netlink request",
       "NLMSG_ERROR of 16 bytes has no error code"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.line);
    auto d = netlink::parse_request(r.line);
    REQUIRE_FALSE(d);
    CHECK(d.error().exit == Exit::data);
    CHECK(d.error().what.find(r.what) != std::string::npos);
    CHECK(d.error().why.find(r.why) != std::string::npos);
  }
}

TEST_CASE("netlink: replies split into messages; lying headers exit 65") {
  auto two = concat({message(RTM_NEWLINK, NLM_F_MULTI, 7, std::vector<std::byte>(5)), message(NLMSG_DONE, NLM_F_MULTI, 7)});
  auto m = netlink::split(two);
  REQUIRE(m);
  REQUIRE(m->size() == 2);
  CHECK((*m)[0].type == RTM_NEWLINK);
  CHECK((*m)[0].len == 21);
  CHECK((*m)[0].bytes.size() == 21);
  CHECK((*m)[1].type == NLMSG_DONE);
  CHECK((*m)[1].seq == 7);

  auto err_bytes = error_message(3, -EPERM);
  auto err = netlink::split(err_bytes);
  REQUIRE(err);
  CHECK((*err)[0].error == EPERM);
  auto ack_bytes = error_message(3, 0);
  auto ack = netlink::split(ack_bytes);
  REQUIRE(ack);
  CHECK((*ack)[0].error == 0);

  struct Bad {
    std::vector<std::byte> bytes;
    std::string why;
  };
  auto long_len = message(RTM_NEWLINK, 0, 1);
  long_len[0] = std::byte{0x40};
  auto short_len = message(RTM_NEWLINK, 0, 1);
  short_len[0] = std::byte{0x04};
  Bad const bad[] = {
      {std::vector<std::byte>(3), "3 stray bytes after message 0"},
      {long_len, "message 1 says nlmsg_len 64 but 16 bytes are left"},
      {short_len, "message 1 says nlmsg_len 4, less than its 16-byte header"},
      {message(NLMSG_ERROR, 0, 1), "NLMSG_ERROR of 16 bytes has no error code"},
  };
  for (auto const& b : bad) {
    CAPTURE(b.why);
    auto r = netlink::split(b.bytes);
    REQUIRE_FALSE(r);
    CHECK(r.error().exit == Exit::data);
    CHECK(r.error().why == b.why);
  }
}

TEST_CASE("netlink: the exchange knows when each request has its answer") {
  struct Step {
    std::vector<std::byte> reply;
    bool waiting_after;
  };
  struct Row {
    std::string name;
    uint16_t flags;
    std::vector<Step> steps;
  };
  auto const dump = uint16_t(NLM_F_REQUEST | NLM_F_DUMP);
  Row const rows[] = {
      {"dump ends at DONE", dump,
       {{message(RTM_NEWLINK, NLM_F_MULTI, 5), true}, {message(RTM_NEWLINK, NLM_F_MULTI, 5), true},
        {message(NLMSG_DONE, NLM_F_MULTI, 5), false}}},
      {"dump ends at an error", dump, {{error_message(5, -EOPNOTSUPP), false}}},
      {"other seq is not ours", dump, {{message(NLMSG_DONE, NLM_F_MULTI, 6), true}}},
      {"ack", NLM_F_REQUEST | NLM_F_ACK, {{message(RTM_NEWLINK, 0, 5), true}, {error_message(5, 0), false}}},
      {"plain request, one reply", NLM_F_REQUEST, {{message(RTM_NEWLINK, 0, 5), false}}},
      {"plain request, multi-part reply", NLM_F_REQUEST,
       {{message(RTM_NEWLINK, NLM_F_MULTI, 5), true}, {message(NLMSG_DONE, NLM_F_MULTI, 5), false}}},
      {"not a request: nothing owed", 0, {}},
  };
  for (auto const& r : rows) {
    CAPTURE(r.name);
    netlink::Exchange ex;
    auto req_bytes = message(RTM_GETLINK, r.flags, 5);
    auto req = netlink::split(req_bytes);
    REQUIRE(req);
    ex.sent(*req);
    CHECK(ex.waiting() == (r.flags != 0));
    for (auto const& s : r.steps) {
      auto m = netlink::split(s.reply);
      REQUIRE(m);
      ex.received((*m)[0]);
      CHECK(ex.waiting() == s.waiting_after);
    }
  }
}

TEST_CASE("netlink: the kernel's error is kept, naming the request") {
  netlink::Exchange ex;
  auto req_bytes = message(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, 9);
  auto req = netlink::split(req_bytes);
  REQUIRE(req);
  ex.sent(*req);
  auto reply_bytes = error_message(9, -EPERM);
  auto reply = netlink::split(reply_bytes);
  REQUIRE(reply);
  ex.received((*reply)[0]);
  CHECK_FALSE(ex.waiting());
  REQUIRE(ex.error());
  CHECK(ex.error()->exit == Exit::no_perm);
  CHECK(ex.error()->what == "netlink request seq 9 (type 16)");
}

TEST_CASE("netlink: an RTM_GETLINK dump over rtnetlink lists loopback") {
  auto sock = Socket::open(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
  REQUIRE(sock);
  int pipefd[2];
  REQUIRE(::pipe(pipefd) == 0);
  std::string line = std::string(kGetLinkDump) + "\n";
  REQUIRE(::write(pipefd[1], line.data(), line.size()) == static_cast<ssize_t>(line.size()));
  ::close(pipefd[1]);
  bool saw_lo = false, saw_done = false;
  auto r = netlink::exchange(*sock, {pipefd[0], 5.0}, [&](netlink::Message const& m) -> Result<void> {
    if (m.type == RTM_NEWLINK) {
      std::string bytes(reinterpret_cast<char const*>(m.bytes.data()), m.bytes.size());
      saw_lo = saw_lo || bytes.find(std::string("lo\0", 3)) != std::string::npos;
    }
    saw_done = saw_done || m.type == NLMSG_DONE;
    return {};
  });
  ::close(pipefd[0]);
  CHECK(r);
  CHECK(saw_lo);
  CHECK(saw_done);
}

TEST_CASE("netlink: subscribe joins every group of the mask, and a watch ends in silence") {
  auto sock = Socket::open(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
  REQUIRE(sock);
  std::uint32_t groups = (1u << (RTNLGRP_LINK - 1)) | (1u << (RTNLGRP_IPV4_IFADDR - 1));
  REQUIRE(netlink::subscribe(*sock, groups));
  std::uint32_t joined[4] = {};
  socklen_t len = sizeof joined;
  REQUIRE(::getsockopt(sock->fd(), SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, joined, &len) == 0);
  CHECK(joined[0] == groups);

  // No input and nothing to answer: a watch ends after its idle time, without error.
  int pipefd[2];
  REQUIRE(::pipe(pipefd) == 0);
  ::close(pipefd[1]);
  netlink::ExchangeOptions eo{pipefd[0], 0.05, true};
  auto r = netlink::exchange(*sock, eo, [](netlink::Message const&) -> Result<void> { return {}; });
  ::close(pipefd[0]);
  CHECK(r);
}

TEST_CASE("netlink: replies described in ip monitor's words and as sniff's JSON") {
  // RTM_NEWLINK for ifindex 1, flags UP|LOOPBACK, IFLA_IFNAME "lo".
  std::vector<std::byte> body(16);
  uint32_t index = 1, flags = 0x9;
  uint16_t hatype = 772;
  std::memcpy(body.data() + 2, &hatype, 2);
  std::memcpy(body.data() + 4, &index, 4);
  std::memcpy(body.data() + 8, &flags, 4);
  uint16_t attr[2] = {7, IFLA_IFNAME};
  body.resize(body.size() + 8);
  std::memcpy(body.data() + 16, attr, 4);
  std::memcpy(body.data() + 20, "lo\0", 3);
  auto bytes = message(RTM_NEWLINK, NLM_F_MULTI, 1, body);
  auto m = netlink::split(bytes);
  REQUIRE(m);
  auto text = netlink::summary((*m)[0], NETLINK_ROUTE);
  CHECK(text.find("new link 1: lo: <") != std::string::npos);
  auto json = netlink::json_members((*m)[0], NETLINK_ROUTE);
  CHECK(json.starts_with("\"netlink\":{"));
  CHECK(json.find("\"ifname\":\"lo\"") != std::string::npos);
}
