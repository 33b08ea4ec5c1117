// socket_test.cpp: Socket and Deadline on loopback: close-on-exec, the
// accept/connect round trip, refusal, a connect that cannot finish in time,
// and sendmsg/recvmsg with a descriptor. See: socket(7), tcp(7), unix(7).
#include <cstring>
#include <optional>
#include <vector>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include "sockctl/endpoint.hpp"
#include "sockctl/socket.hpp"

using namespace sockctl;

namespace {

// A listening socket on 127.0.0.1 and an ephemeral port.
Socket listener(int backlog) {
  auto ep = parse_endpoint("tcp4:127.0.0.1:0");
  REQUIRE(ep);
  auto s = Socket::open_for(*ep, *ep->address);
  REQUIRE(s);
  REQUIRE(s->bind(*ep->address));
  REQUIRE(s->listen(backlog));
  return s.release_value();
}

Socket client_for(SockAddr const& a) {
  auto ep = parse_endpoint("tcp4:127.0.0.1:0");
  REQUIRE(ep);
  auto s = Socket::open_for(*ep, a);
  REQUIRE(s);
  return s.release_value();
}

}  // namespace

TEST_CASE("socket: every socket is close-on-exec and knows its family, type and protocol") {
  struct Row {
    int family, type, protocol;
  } const rows[] = {
      {AF_INET, SOCK_STREAM, IPPROTO_TCP}, {AF_INET6, SOCK_DGRAM, IPPROTO_UDP}, {AF_UNIX, SOCK_SEQPACKET, 0},
      {AF_UNIX, SOCK_DGRAM, 0},
  };
  for (auto const& r : rows) {
    CAPTURE(r.family);
    CAPTURE(r.type);
    auto s = Socket::open(r.family, r.type, r.protocol);
    REQUIRE(s);
    CHECK((::fcntl(s->fd(), F_GETFD) & FD_CLOEXEC) != 0);
    CHECK(s->family() == r.family);
    CHECK(s->type() == r.type);
    CHECK(s->protocol() == r.protocol);
  }
  auto missing = Socket::open(AF_INET, SOCK_STREAM, IPPROTO_UDP);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().exit == Exit::unavailable);
}

TEST_CASE("socket: connect with a deadline, accept, and both ends name each other") {
  auto server = listener(4);
  auto bound = server.local();
  REQUIRE(bound);
  REQUIRE(bound->as<sockaddr_in>(AF_INET));
  CHECK(bound->as<sockaddr_in>(AF_INET)->sin_port != 0);
  auto client = client_for(*bound);
  REQUIRE(client.connect(*bound, Deadline::after(5)));
  SockAddr peer;
  auto conn = server.accept(&peer);
  REQUIRE(conn);
  CHECK((::fcntl(conn->fd(), F_GETFD) & FD_CLOEXEC) != 0);
  auto client_local = client.local();
  REQUIRE(client_local);
  CHECK(format_endpoint(peer, conn->scheme()) == format_endpoint(*client_local, client.scheme()));

  // The connect with a deadline leaves the socket blocking, as it was.
  CHECK((::fcntl(client.fd(), F_GETFL) & O_NONBLOCK) == 0);
  char const text[] = "ping";
  auto sent = client.send(std::as_bytes(std::span(text, 4)));
  REQUIRE(sent);
  CHECK(*sent == 4);
  REQUIRE(client.shutdown_write());
  std::byte buf[16];
  auto got = conn->recv(buf);
  REQUIRE(got);
  CHECK(std::memcmp(buf, "ping", 4) == 0);
  auto eof = conn->recv(buf);
  REQUIRE(eof);
  CHECK(*eof == 0);
}

TEST_CASE("socket: a port nobody listens on refuses, exit 1, with or without a deadline") {
  // Bound but not listening: the port is ours and closed.
  auto any = parse_endpoint("tcp4:127.0.0.1:0");
  REQUIRE(any);
  auto closed = Socket::open_for(*any, *any->address);
  REQUIRE(closed);
  REQUIRE(closed->bind(*any->address));
  auto port = closed->local();
  REQUIRE(port);
  for (auto deadline : {Deadline::never(), Deadline::after(5)}) {
    auto client = client_for(*port);
    auto r = client.connect(*port, deadline);
    REQUIRE_FALSE(r);
    CHECK(r.error().err == ECONNREFUSED);
    CHECK(r.error().exit == Exit::no);
  }
}

TEST_CASE("socket: a connect the deadline cannot wait for times out, exit 75") {
  // A listener with a full accept queue drops further SYNs (tcp(7)), so the
  // next connect stays in progress until the deadline.
  auto server = listener(0);
  auto bound = server.local();
  REQUIRE(bound);
  std::vector<Socket> queued;
  std::optional<Error> failure;
  for (int i = 0; i < 8 && !failure; ++i) {
    queued.push_back(client_for(*bound));
    if (auto r = queued.back().connect(*bound, Deadline::after(0.2)); !r) failure = r.error();
  }
  REQUIRE(failure);
  CHECK(failure->err == ETIMEDOUT);
  CHECK(failure->exit == Exit::timeout);
}

TEST_CASE("socket: sendmsg and recvmsg carry bytes and a descriptor") {
  int sv[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0);
  auto a = Socket::adopt(Fd(sv[0]));
  auto b = Socket::adopt(Fd(sv[1]));
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->family() == AF_UNIX);
  CHECK(a->type() == SOCK_SEQPACKET);

  alignas(cmsghdr) std::byte control[CMSG_SPACE(sizeof(int))] = {};
  auto* c = reinterpret_cast<cmsghdr*>(control);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  int passed = STDIN_FILENO;
  std::memcpy(CMSG_DATA(c), &passed, sizeof passed);
  char const text[] = "fd";
  auto sent = a->sendmsg({std::as_bytes(std::span(text, 2)), control});
  REQUIRE(sent);
  CHECK(*sent == 2);

  std::byte buf[8];
  alignas(cmsghdr) std::byte in[CMSG_SPACE(sizeof(int))] = {};
  auto got = b->recvmsg(buf, in);
  REQUIRE(got);
  CHECK(got->bytes == 2);
  CHECK((got->flags & (MSG_TRUNC | MSG_CTRUNC)) == 0);
  REQUIRE(got->control_bytes == CMSG_SPACE(sizeof(int)));
  auto const* r = reinterpret_cast<cmsghdr const*>(in);
  REQUIRE(r->cmsg_type == SCM_RIGHTS);
  int received = -1;
  std::memcpy(&received, CMSG_DATA(r), sizeof received);
  CHECK(received > STDERR_FILENO);
  // The received descriptor is close-on-exec too (MSG_CMSG_CLOEXEC).
  CHECK((::fcntl(received, F_GETFD) & FD_CLOEXEC) != 0);
  ::close(received);
}
