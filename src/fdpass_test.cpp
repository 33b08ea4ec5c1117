// fdpass_test.cpp: only unix endpoints are accepted, files open in the mode
// asked, a message round-trips descriptors and credentials, truncation
// closes what arrived, and socket files are diagnosed, replaced and removed.
#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "sockctl/cmsg.hpp"
#include "sockctl/fdpass.hpp"

using namespace sockctl;

namespace {

size_t open_fds() {
  auto it = std::filesystem::directory_iterator("/proc/self/fd");
  return static_cast<size_t>(std::distance(std::filesystem::begin(it), std::filesystem::end(it)));
}

std::pair<Socket, Socket> socket_pair(int type) {
  int sv[2];
  REQUIRE(::socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv) == 0);
  auto a = Socket::adopt(Fd(sv[0]));
  auto b = Socket::adopt(Fd(sv[1]));
  REQUIRE(a);
  REQUIRE(b);
  return {a.release_value(), b.release_value()};
}

// A scratch path for socket files, removed at the end.
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/sockctl-fdpass-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    path = tmpl;
  }
  ~TempDir() { (void)std::system(fmt::format("rm -rf '{}'", path).c_str()); }
};

}  // namespace

TEST_CASE("fdpass: only unix endpoints carry descriptors") {
  struct Row {
    char const* text;
    Exit exit;
  } const rows[] = {
      {"unix:/tmp/x.sock", Exit::ok},   {"unix:@name", Exit::ok},        {"unix-dgram:@d", Exit::ok},
      {"unix-seqpacket:@s", Exit::ok},  {"tcp:127.0.0.1:80", Exit::usage}, {"udp:[::1]:53", Exit::usage},
      {"nonsense", Exit::usage},
  };
  for (auto const& r : rows) {
    CAPTURE(r.text);
    auto ep = parse_unix_endpoint(r.text);
    CHECK((ep ? Exit::ok : ep.error().exit) == r.exit);
  }
  CHECK(parse_unix_endpoint("tcp:127.0.0.1:80").error().message() ==
        "endpoint 'tcp:127.0.0.1:80': descriptors pass only over unix:, unix-dgram: or unix-seqpacket:");
}

TEST_CASE("fdpass: files open in the mode their suffix names") {
  TempDir dir;
  std::string f = dir.path + "/f";
  std::string colon = dir.path + "/a:b";
  struct Row {
    std::string spec;
    int accmode;        // -1: fails
    Exit exit;
  } const rows[] = {
      {f + ":w", O_WRONLY, Exit::ok},   {f, O_RDONLY, Exit::ok},     {f + ":r", O_RDONLY, Exit::ok},
      {f + ":a", O_WRONLY, Exit::ok},   {f + ":rw", O_RDWR, Exit::ok}, {colon + ":w", O_WRONLY, Exit::ok},
      {colon, O_RDONLY, Exit::ok},      {dir.path + "/missing", -1, Exit::no_input}, {":w", -1, Exit::usage},
  };
  for (auto const& r : rows) {
    CAPTURE(r.spec);
    auto fd = open_for_passing(r.spec);
    if (r.accmode < 0) {
      REQUIRE_FALSE(fd);
      CHECK(fd.error().exit == r.exit);
      continue;
    }
    REQUIRE(fd);
    CHECK((::fcntl(fd->get(), F_GETFL) & O_ACCMODE) == r.accmode);
    CHECK((::fcntl(fd->get(), F_GETFD) & FD_CLOEXEC) != 0);
  }
  CHECK((::fcntl(open_for_passing(f + ":a")->get(), F_GETFL) & O_APPEND) != 0);
}

TEST_CASE("fdpass: a message carries descriptors, text and credentials") {
  for (int type : {SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET}) {
    CAPTURE(type);
    auto [a, b] = socket_pair(type);
    REQUIRE(b.setsockopt_int(SOL_SOCKET, SO_PASSCRED, 1));
    int p[2];
    REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
    Fd r(p[0]), w(p[1]);
    int const fds[] = {w.get(), r.get()};
    auto sent = send_fds(a, {"hello", fds, true});
    REQUIRE(sent);
    CHECK(*sent == 5);
    w.reset();

    auto in = receive_fds(b, {4, true}, Deadline::after(5));
    REQUIRE(in);
    CHECK(in->message == "hello");
    REQUIRE(in->fds.size() == 2);
    REQUIRE(in->creds);
    CHECK(in->creds->pid == ::getpid());
    CHECK(in->ignored.empty());
    CHECK((::fcntl(in->fds[0].get(), F_GETFD) & FD_CLOEXEC) != 0);
    CHECK(::write(in->fds[0].get(), "x", 1) == 1);
    char c = 0;
    CHECK(::read(in->fds[1].get(), &c, 1) == 1);
    CHECK(c == 'x');
  }
}

TEST_CASE("fdpass: an empty message is refused, too many descriptors too") {
  auto [a, b] = socket_pair(SOCK_STREAM);
  auto empty = send_fds(a, {"", {}, false});
  REQUIRE_FALSE(empty);
  CHECK(empty.error().exit == Exit::usage);
  std::vector<int> many(kScmMaxFd + 1, 0);
  auto over = send_fds(a, {"x", many, false});
  REQUIRE_FALSE(over);
  CHECK(over.error().message() == "254 descriptors: one message carries at most 253 (SCM_MAX_FD)");
}

TEST_CASE("fdpass: too many descriptors exit 65 and close what arrived") {
  struct Row {
    size_t sent;
    size_t max_fds;
    char const* why;
  } const rows[] = {
      {5, 2, "more descriptors (5) than room was made for (2); all were closed"},
      {253, 2, "control data truncated: room for 2 descriptors; the "},
      {1, 0, "more descriptors (1) than room was made for (0); all were closed"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.sent);
    auto [a, b] = socket_pair(SOCK_STREAM);
    std::vector<int> fds(r.sent, 0);
    REQUIRE(send_fds(a, {"x", fds, false}));
    size_t before = open_fds();
    auto in = receive_fds(b, {r.max_fds, false}, Deadline::after(5));
    REQUIRE_FALSE(in);
    CHECK(in.error().exit == Exit::data);
    CHECK(in.error().why.starts_with(r.why));
    CHECK(open_fds() == before);
  }
}

TEST_CASE("fdpass: control messages nobody asked for are listed and their descriptors closed") {
  auto [a, b] = socket_pair(SOCK_SEQPACKET);
  constexpr int kSoPassPidfd = 76;  // Linux 6.5
  REQUIRE(b.setsockopt_int(SOL_SOCKET, SO_PASSCRED, 1));
  bool pidfd = b.setsockopt_int(SOL_SOCKET, kSoPassPidfd, 1).has_value();
  int const fds[] = {0};
  REQUIRE(send_fds(a, {"x", fds, false}));
  size_t before = open_fds();
  auto in = receive_fds(b, {1, false}, Deadline::after(5));
  REQUIRE(in);
  CHECK(in->fds.size() == 1);
  CHECK_FALSE(in->creds);
  std::vector<std::pair<int, int>> ignored;
  for (auto const& i : in->ignored) ignored.emplace_back(i.level, i.type);
  CHECK(std::count(ignored.begin(), ignored.end(), std::pair<int, int>{SOL_SOCKET, SCM_CREDENTIALS}) == 1);
  CHECK(std::count(ignored.begin(), ignored.end(), std::pair<int, int>{SOL_SOCKET, kScmPidfd}) == (pidfd ? 1 : 0));
  // Only the descriptor sent is still open: the pidfd was closed.
  CHECK(open_fds() == before + 1);
}

TEST_CASE("fdpass: a stream peer that closes is EOF, a quiet one times out with 75") {
  auto [a, b] = socket_pair(SOCK_STREAM);
  auto quiet = receive_fds(b, {1, false}, Deadline::after(0.01));
  REQUIRE_FALSE(quiet);
  CHECK(quiet.error().exit == Exit::timeout);
  a = Socket();
  auto in = receive_fds(b, {1, false}, Deadline::after(5));
  REQUIRE(in);
  CHECK(in->eof);
}

TEST_CASE("fdpass: socket files: stale ones replaced, non-sockets refused, ours removed") {
  TempDir dir;
  std::string path = dir.path + "/s.sock";
  auto ep = parse_unix_endpoint("unix:" + path);
  REQUIRE(ep);
  {
    auto first = serve_unix(*ep, 4);
    REQUIRE(first);
    auto busy = serve_unix(*ep, 4);
    REQUIRE_FALSE(busy);
    CHECK(busy.error().err == EADDRINUSE);
    auto client = connect_unix(*ep, Deadline::after(5));
    CHECK(client);
    // A server that dies without cleaning up leaves its file behind.
    first->socket = Socket();
    struct stat st;
    CHECK(::lstat(path.c_str(), &st) == 0);
    auto second = serve_unix(*ep, 4);
    REQUIRE(second);
  }
  struct stat st;
  CHECK(::lstat(path.c_str(), &st) < 0);

  std::string plain = dir.path + "/plain";
  Fd(::open(plain.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
  auto not_socket = parse_unix_endpoint("unix:" + plain);
  REQUIRE(not_socket);
  auto bound = serve_unix(*not_socket, 4);
  REQUIRE_FALSE(bound);
  CHECK(bound.error().exit == Exit::usage);
  CHECK(bound.error().why == "exists and is not a socket");
  auto connected = connect_unix(*not_socket, Deadline::after(5));
  REQUIRE_FALSE(connected);
  CHECK(connected.error().exit == Exit::usage);
  CHECK(connected.error().message() == fmt::format("connect 'unix:{}': exists and is not a socket", plain));

  auto missing = parse_unix_endpoint("unix:" + dir.path + "/missing");
  auto absent = connect_unix(*missing, Deadline::after(5));
  REQUIRE_FALSE(absent);
  CHECK(absent.error().exit == Exit::no_input);
}

TEST_CASE("fdpass: hand_off gives a client's TCP connection to a worker, end to end") {
  auto tcp = parse_endpoint("tcp:127.0.0.1:0");
  REQUIRE(tcp);
  auto listener = Socket::open_for(*tcp, *tcp->address);
  REQUIRE(listener);
  REQUIRE(listener->bind(*tcp->address));
  REQUIRE(listener->listen(4));
  auto bound = listener->local();
  REQUIRE(bound);
  auto worker_ep = parse_unix_endpoint(fmt::format("unix:@sockctl-test-hand-off-{}", ::getpid()));
  REQUIRE(worker_ep);
  auto worker = serve_unix(*worker_ep, 4);
  REQUIRE(worker);

  auto client = Socket::open_for(*tcp, *bound);
  REQUIRE(client);
  REQUIRE(client->connect(*bound, Deadline::after(5)));
  {
    // The broker: accept, hand over, forget.
    SockAddr peer;
    auto conn = listener->accept(&peer);
    REQUIRE(conn);
    REQUIRE(hand_off(*conn, *worker_ep, format_endpoint(peer, conn->scheme()), Deadline::after(5)));
  }
  auto from_broker = worker->socket.accept();
  REQUIRE(from_broker);
  auto in = receive_fds(*from_broker, {1, false}, Deadline::after(5));
  REQUIRE(in);
  REQUIRE(in->fds.size() == 1);
  auto client_local = client->local();
  REQUIRE(client_local);
  CHECK(in->message == format_endpoint(*client_local, client->scheme()));

  auto served = Socket::adopt(std::move(in->fds[0]));
  REQUIRE(served);
  std::string_view ping = "ping", pong = "served by the worker";
  REQUIRE(client->send(std::as_bytes(std::span(ping.data(), ping.size()))));
  char buf[64];
  auto n = served->recv(std::as_writable_bytes(std::span(buf)));
  REQUIRE(n);
  CHECK(std::string_view(buf, *n) == ping);
  REQUIRE(served->send(std::as_bytes(std::span(pong.data(), pong.size()))));
  served = Socket();
  std::string got;
  for (;;) {
    auto r = client->recv(std::as_writable_bytes(std::span(buf)));
    REQUIRE(r);
    if (*r == 0) break;
    got.append(buf, *r);
  }
  CHECK(got == pong);

  auto gone = parse_unix_endpoint("unix:@sockctl-test-no-worker");
  auto refused = hand_off(*listener, *gone, "x", Deadline::after(5));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().exit == Exit::no);
}
