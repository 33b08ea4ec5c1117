// cmsg_test.cpp: the arithmetic matches glibc's macros, built buffers match
// what the macros build, hostile bytes are walked safely, and descriptors
// survive a real round trip (and a truncated one closes what arrived).
#include <cerrno>
#include <cstdint>
#include <fcntl.h>
#include <limits>
#include <netinet/in.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include "sockctl/cmsg.hpp"

using namespace sockctl;

namespace {

// A cmsghdr written at byte offset at of buf, as a hostile sender might.
void put_header(std::vector<std::byte>& buf, size_t at, size_t len, int level, int type) {
  cmsghdr h{};
  h.cmsg_len = len;
  h.cmsg_level = level;
  h.cmsg_type = type;
  if (buf.size() < at + sizeof h) buf.resize(at + sizeof h);
  std::memcpy(buf.data() + at, &h, sizeof h);
}

bool is_open(int fd) { return ::fcntl(fd, F_GETFD) >= 0; }

// One byte with SCM_RIGHTS, sent with the raw syscall: the builder's bytes
// are what the kernel reads.
void send_rights(int sock, std::span<int const> fds) {
  CmsgBuilder builder;
  REQUIRE(builder.add_rights(fds));
  char byte = 'x';
  iovec iov{&byte, 1};
  msghdr h{};
  h.msg_iov = &iov;
  h.msg_iovlen = 1;
  h.msg_control = const_cast<std::byte*>(builder.bytes().data());
  h.msg_controllen = builder.bytes().size();
  REQUIRE(::sendmsg(sock, &h, 0) == 1);
}

struct RawControl {
  std::vector<std::byte> control;   // as long as the kernel filled it
  bool truncated = false;           // MSG_CTRUNC
};

// One byte and its control data, with room for n descriptors.
RawControl recv_control(int sock, size_t n) {
  RawControl r{std::vector<std::byte>(control_space(n, false))};
  char byte;
  iovec iov{&byte, 1};
  msghdr h{};
  h.msg_iov = &iov;
  h.msg_iovlen = 1;
  h.msg_control = r.control.data();
  h.msg_controllen = r.control.size();
  REQUIRE(::recvmsg(sock, &h, MSG_CMSG_CLOEXEC) == 1);
  r.control.resize(h.msg_controllen);
  r.truncated = (h.msg_flags & MSG_CTRUNC) != 0;
  return r;
}

}  // namespace

TEST_CASE("cmsg: arithmetic matches CMSG_LEN and CMSG_SPACE") {
  for (size_t n : {0, 1, 3, 4, 7, 8, 9, 12, 16, 17, 253 * 4, 4096}) {
    CAPTURE(n);
    CHECK(cmsg_len(n) == CMSG_LEN(n));
    CHECK(cmsg_space(n) == CMSG_SPACE(n));
    CHECK(cmsg_align(n) == CMSG_ALIGN(n));
  }
}

TEST_CASE("cmsg: arithmetic near SIZE_MAX overflows to nullopt") {
  constexpr size_t max = std::numeric_limits<size_t>::max();
  struct Row {
    size_t n;
    bool align, len, space;
  } const rows[] = {
      {max, false, false, false},
      {max - 6, false, false, false},
      {max - 7, true, false, false},
      {max - 16, true, true, false},
      {max - 31, true, true, true},
  };
  for (auto const& r : rows) {
    CAPTURE(max - r.n);
    CHECK(cmsg_align(r.n).has_value() == r.align);
    CHECK(cmsg_len(r.n).has_value() == r.len);
    CHECK(cmsg_space(r.n).has_value() == r.space);
  }
}

TEST_CASE("cmsg: the builder lays out what CMSG_FIRSTHDR/CMSG_NXTHDR expect") {
  int const fds[] = {0, 1, 2};
  ucred creds{42, 1000, 100};
  std::uint32_t op = 1;  // an ALG_SET_OP-style 4-byte value at another level
  CmsgBuilder b;
  REQUIRE(b.add_rights(fds));
  REQUIRE(b.add_credentials(creds));
  REQUIRE(b.add_value(279, 3, op));
  CHECK(b.bytes().size() == CMSG_SPACE(sizeof fds) + CMSG_SPACE(sizeof creds) + CMSG_SPACE(sizeof op));

  std::vector<std::byte> copy(b.bytes().begin(), b.bytes().end());
  msghdr h{};
  h.msg_control = copy.data();
  h.msg_controllen = copy.size();
  struct Row {
    int level, type;
    size_t len;
  } const want[] = {
      {SOL_SOCKET, SCM_RIGHTS, CMSG_LEN(sizeof fds)},
      {SOL_SOCKET, SCM_CREDENTIALS, CMSG_LEN(sizeof creds)},
      {279, 3, CMSG_LEN(sizeof op)},
  };
  cmsghdr* c = CMSG_FIRSTHDR(&h);
  for (auto const& w : want) {
    REQUIRE(c != nullptr);
    CHECK(c->cmsg_level == w.level);
    CHECK(c->cmsg_type == w.type);
    CHECK(c->cmsg_len == w.len);
    c = CMSG_NXTHDR(&h, c);
  }
  CHECK(c == nullptr);

  auto walk = walk_cmsgs(b.bytes());
  REQUIRE(walk.messages.size() == 3);
  CHECK(walk.malformed_bytes == 0);
  CHECK(cmsg_fds(walk.messages[0]) == std::vector<int>{0, 1, 2});
  auto got = walk.messages[1].as<ucred>();
  REQUIRE(got);
  CHECK(got->pid == 42);
  CHECK(got->uid == 1000u);
  CHECK(got->gid == 100u);
  CHECK(walk.messages[2].as<std::uint32_t>() == op);
  CHECK_FALSE(walk.messages[2].as<std::uint64_t>());
}

TEST_CASE("cmsg: SCM_MAX_FD is the most one message carries") {
  std::vector<int> fds(kScmMaxFd, 0);
  CmsgBuilder ok;
  CHECK(ok.add_rights(fds));
  fds.push_back(0);
  CmsgBuilder too_many;
  auto r = too_many.add_rights(fds);
  REQUIRE_FALSE(r);
  CHECK(r.error().exit == Exit::usage);
  CHECK(r.error().message() == "254 descriptors: one message carries at most 253 (SCM_MAX_FD)");
  CHECK(too_many.empty());
}

TEST_CASE("cmsg: the walker stops safely at hostile headers") {
  size_t const h = CMSG_LEN(0);
  struct Row {
    char const* name;
    std::vector<std::byte> bytes;
    size_t messages;
    size_t malformed;
  };
  std::vector<Row> rows;
  rows.push_back({"empty", {}, 0, 0});
  rows.push_back({"shorter than a header", std::vector<std::byte>(h - 1), 0, h - 1});
  {
    std::vector<std::byte> b;
    put_header(b, 0, h - 1, SOL_SOCKET, SCM_RIGHTS);
    rows.push_back({"cmsg_len below the header", b, 0, h});
  }
  {
    std::vector<std::byte> b;
    put_header(b, 0, h + 4, SOL_SOCKET, SCM_RIGHTS);
    rows.push_back({"cmsg_len past the end", b, 0, h});
  }
  {
    std::vector<std::byte> b;
    put_header(b, 0, std::numeric_limits<size_t>::max(), SOL_SOCKET, SCM_RIGHTS);
    rows.push_back({"cmsg_len at SIZE_MAX", b, 0, h});
  }
  {
    std::vector<std::byte> b(h + 4);
    put_header(b, 0, h + 4, SOL_SOCKET, SCM_RIGHTS);
    rows.push_back({"last padding cut off", b, 1, 0});
  }
  {
    std::vector<std::byte> b(CMSG_SPACE(4) + 3);
    put_header(b, 0, h + 4, SOL_SOCKET, SCM_RIGHTS);
    rows.push_back({"trailing bytes", b, 1, 3});
  }
  {
    std::vector<std::byte> b(CMSG_SPACE(4) + h);
    put_header(b, 0, h + 4, SOL_SOCKET, SCM_RIGHTS);
    put_header(b, CMSG_SPACE(4), h, 1, 2);
    rows.push_back({"two with an empty second", b, 2, 0});
  }
  for (auto const& r : rows) {
    CAPTURE(r.name);
    auto walk = walk_cmsgs(r.bytes);
    CHECK(walk.messages.size() == r.messages);
    CHECK(walk.malformed_bytes == r.malformed);
    for (auto const& m : walk.messages) {
      CHECK(m.data.data() >= r.bytes.data());
      CHECK(m.data.data() + m.data.size() <= r.bytes.data() + r.bytes.size());
    }
  }
}

TEST_CASE("cmsg: descriptors are read only from SCM_RIGHTS and SCM_PIDFD, whole ints only") {
  std::byte six[6] = {};
  int one = 7;
  std::memcpy(six, &one, sizeof one);
  struct Row {
    int level, type;
    size_t fds;
  } const rows[] = {
      {SOL_SOCKET, SCM_RIGHTS, 1},
      {SOL_SOCKET, kScmPidfd, 1},
      {SOL_SOCKET, SCM_CREDENTIALS, 0},
      {IPPROTO_IP, SCM_RIGHTS, 0},
  };
  for (auto const& r : rows) {
    CAPTURE(r.type);
    Cmsg m{r.level, r.type, six};
    CHECK(cmsg_fds(m).size() == r.fds);
  }
}

TEST_CASE("cmsg: descriptors survive a socketpair round trip") {
  int sv[2], pipefd[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
  REQUIRE(::pipe2(pipefd, O_CLOEXEC) == 0);
  Fd a(sv[0]), b(sv[1]), r(pipefd[0]), w(pipefd[1]);

  int const send[] = {w.get()};
  send_rights(a.get(), send);
  w.reset();

  auto received = recv_control(b.get(), 4);
  CHECK(received.truncated == false);
  auto walk = walk_cmsgs(received.control);
  REQUIRE(walk.messages.size() == 1);
  auto fds = take_fds(walk.messages[0]);
  REQUIRE(fds.size() == 1);
  CHECK(::write(fds[0].get(), "hi", 2) == 2);
  char buf[2];
  CHECK(::read(r.get(), buf, 2) == 2);
  CHECK(std::string_view(buf, 2) == "hi");
}

TEST_CASE("cmsg: a truncated SCM_RIGHTS still hands over, and closes, what arrived") {
  int sv[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) == 0);
  Fd a(sv[0]), b(sv[1]);
  int const send[] = {0, 1, 2, 0, 1};
  send_rights(a.get(), send);

  auto received = recv_control(b.get(), 2);
  CHECK(received.truncated == true);
  auto walk = walk_cmsgs(received.control);
  REQUIRE(walk.messages.size() == 1);
  std::vector<int> numbers;
  {
    auto fds = take_fds(walk.messages[0]);
    CHECK(fds.size() == 2);
    for (auto const& fd : fds) {
      CHECK(is_open(fd.get()));
      numbers.push_back(fd.get());
    }
  }
  for (int n : numbers) CHECK_FALSE(is_open(n));
}
