// fdinfo_test.cpp: each kind of descriptor is described by type, access,
// path and, for sockets, family, type and addresses; SO_PEERCRED is ours
// across a socketpair.
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include "sockctl/fdinfo.hpp"
#include "sockctl/fd.hpp"

using namespace sockctl;

TEST_CASE("fdinfo: files, pipes, devices and anonymous inodes") {
  int p[2];
  REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
  Fd r(p[0]), w(p[1]);
  Fd null(::open("/dev/null", O_WRONLY | O_CLOEXEC));
  Fd dir(::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  Fd file(::open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  Fd event(::eventfd(0, EFD_CLOEXEC));
  Fd path(::open("/", O_PATH | O_CLOEXEC));
  struct Row {
    int fd;
    char const* type;
    char const* access;
    char const* path_prefix;
  } const rows[] = {
      {r.get(), "pipe", "r", "pipe:["},  {w.get(), "pipe", "w", "pipe:["},     {null.get(), "char", "w", "/dev/null"},
      {dir.get(), "directory", "r", "/"}, {file.get(), "file", "r", "/"},      {event.get(), "anon", "rw", "anon_inode:"},
      {path.get(), "directory", "path", "/"},
  };
  for (auto const& row : rows) {
    CAPTURE(row.type);
    auto info = describe_fd(row.fd);
    REQUIRE(info);
    CHECK(info->type == row.type);
    CHECK(info->access == row.access);
    CHECK(info->path.starts_with(row.path_prefix));
    CHECK(info->size.has_value() == (std::string_view(row.type) == "file"));
    auto j = fd_json(*info);
    CHECK(j["fd"] == row.fd);
    CHECK(j["type"] == row.type);
    CHECK_FALSE(j.contains("socket"));
  }
}

TEST_CASE("fdinfo: a descriptor that is not open exits 64 and names it") {
  auto info = describe_fd(999);
  REQUIRE_FALSE(info);
  CHECK(info.error().exit == Exit::usage);
  CHECK(info.error().message() == "descriptor '999': not an open descriptor");
}

TEST_CASE("fdinfo: sockets show family, type, addresses and listening") {
  Fd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(listener.get(), reinterpret_cast<sockaddr*>(&sin), sizeof sin) == 0);
  REQUIRE(::listen(listener.get(), 1) == 0);
  socklen_t len = sizeof sin;
  REQUIRE(::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&sin), &len) == 0);
  Fd client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  REQUIRE(::connect(client.get(), reinterpret_cast<sockaddr*>(&sin), sizeof sin) == 0);
  std::string port = std::to_string(ntohs(sin.sin_port));

  auto l = describe_fd(listener.get());
  REQUIRE(l);
  CHECK(l->type == "socket");
  CHECK(l->listening);
  CHECK(fd_summary(*l) == "socket tcp:127.0.0.1:" + port + " listening");
  auto j = fd_json(*l);
  CHECK(j["socket"]["family"] == "inet");
  CHECK(j["socket"]["type"] == "stream");
  CHECK(j["socket"]["proto"] == IPPROTO_TCP);
  CHECK(j["socket"]["local"]["port"] == ntohs(sin.sin_port));
  CHECK_FALSE(j["socket"].contains("peer"));

  auto c = describe_fd(client.get());
  REQUIRE(c);
  CHECK_FALSE(c->listening);
  CHECK(fd_summary(*c).ends_with(" -> tcp:127.0.0.1:" + port));
  CHECK(fd_json(*c)["socket"]["peer"]["endpoint"] == "tcp:127.0.0.1:" + port);
}

TEST_CASE("fdinfo: SO_PEERCRED across a socketpair is our own") {
  int sv[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
  Fd a(sv[0]), b(sv[1]);
  auto cred = peer_cred(a.get());
  REQUIRE(cred);
  CHECK(cred->pid == ::getpid());
  CHECK(cred->uid == ::getuid());
  CHECK(cred->gid == ::getgid());
  CHECK(creds_json(*cred)["pid"] == ::getpid());
  CHECK(creds_text(ucred{1, 2, 3}) == "pid 1 uid 2 gid 3");

  Fd dgram(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  CHECK_FALSE(peer_cred(dgram.get()));
}
