// fdpass.cpp: unix endpoints for descriptor passing (connect with a
// diagnosis, bind with stale-file replacement), opening files to pass, and
// the one sendmsg / one recvmsg of a descriptor-carrying message.
// See: unix(7) SCM_RIGHTS SCM_CREDENTIALS SO_PASSCRED, cmsg(3).
#include "sockctl/fdpass.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <fmt/format.h>

#include "sockctl/cmsg.hpp"
#include "sockctl/io.hpp"

namespace sockctl {

namespace {

// The largest message payload one receive takes: above the default unix
// datagram limit (net.core.wmem_max), so MSG_TRUNC means a hostile size.
constexpr size_t kMaxMessage = 256 * 1024;
// Room beyond what was asked for, so that control messages nobody asked for
// (SCM_CREDENTIALS on an inherited SO_PASSCRED, SCM_PIDFD, SCM_SECURITY) do
// not truncate the ones that were. The kernel fills it with descriptors
// too, so max_fds is enforced by counting.
constexpr size_t kControlSlack = 512;

// The filesystem path of a unix address; empty for abstract and unnamed ones.
std::string fs_path(SockAddr const& a) {
  auto const* sun = a.as<sockaddr_un>(AF_UNIX, offsetof(sockaddr_un, sun_path) + 1);
  if (!sun || sun->sun_path[0] == '\0') return {};
  size_t n = a.size() - offsetof(sockaddr_un, sun_path);
  return std::string(sun->sun_path, strnlen(sun->sun_path, n));
}

// Why a path refused a connection or a bind, when the path itself explains it.
std::optional<std::string> path_problem(std::string const& path) {
  struct stat st;
  if (path.empty() || ::lstat(path.c_str(), &st) < 0) return std::nullopt;
  if (!S_ISSOCK(st.st_mode)) return "exists and is not a socket";
  return std::nullopt;
}

}  // namespace

Result<Endpoint> parse_unix_endpoint(std::string_view text) {
  auto ep = TRY(parse_endpoint(text));
  if (ep.family != AF_UNIX || !ep.address)
    return Error::usage(fmt::format("endpoint '{}'", text),
                        "descriptors pass only over unix:, unix-dgram: or unix-seqpacket:");
  return ep;
}

Result<Socket> connect_unix(Endpoint const& ep, Deadline const& d, std::span<Sockopt const> options) {
  auto sock = TRY(Socket::open_for(ep, *ep.address));
  TRY(apply_sockopts(sock, options));
  auto r = sock.connect(*ep.address, d);
  if (r) return sock;
  auto e = r.release_error();
  if (auto why = path_problem(fs_path(*ep.address)); why && e.err == ECONNREFUSED) {
    e.exit = Exit::usage;
    e.why = *why;
  } else if (e.err == EPROTOTYPE) {
    e.exit = Exit::usage;
    e.why += " (the server's socket type differs: try unix:, unix-dgram: or unix-seqpacket:)";
  }
  return e;
}

SocketFile& SocketFile::operator=(SocketFile&& o) noexcept {
  if (this != &o) {
    SocketFile gone(std::move(*this));
    path_ = std::exchange(o.path_, {});
    dev_ = o.dev_;
    ino_ = o.ino_;
  }
  return *this;
}

SocketFile::~SocketFile() {
  struct stat st;
  if (!path_.empty() && ::lstat(path_.c_str(), &st) == 0 && st.st_dev == dev_ && st.st_ino == ino_)
    ::unlink(path_.c_str());
}

Result<UnixServer> serve_unix(Endpoint const& ep, int backlog, std::span<Sockopt const> options) {
  SockAddr const& addr = *ep.address;
  std::string path = fs_path(addr);
  auto sock = TRY(Socket::open_for(ep, addr));
  TRY(apply_sockopts(sock, options));
  if (auto bound = sock.bind(addr); !bound) {
    auto e = bound.release_error();
    if (e.err != EADDRINUSE || path.empty()) return e;
    if (auto why = path_problem(path)) {
      e.exit = Exit::usage;
      e.why = *why;
      return e;
    }
    // A socket file nobody answers on is what a server that died leaves behind.
    auto probe = TRY(Socket::open_for(ep, addr));
    auto answer = probe.connect(addr, Deadline::after(1.0));
    if (answer || answer.error().err != ECONNREFUSED) return e;
    if (::unlink(path.c_str()) < 0 && errno != ENOENT) return Error::sys(fmt::format("unlink '{}'", path), errno);
    TRY(sock.bind(addr));
  }
  if (ep.type != SOCK_DGRAM) TRY(sock.listen(backlog));
  UnixServer server{std::move(sock), {}};
  struct stat st;
  if (!path.empty() && ::lstat(path.c_str(), &st) == 0) server.file = SocketFile(path, st.st_dev, st.st_ino);
  return server;
}

Result<Fd> open_for_passing(std::string_view spec) {
  struct Mode {
    std::string_view name;
    int flags;
  };
  static constexpr Mode kModes[] = {
      {"r", O_RDONLY},
      {"w", O_WRONLY | O_CREAT | O_TRUNC},
      {"a", O_WRONLY | O_CREAT | O_APPEND},
      {"rw", O_RDWR | O_CREAT},
  };
  std::string path(spec);
  int flags = O_RDONLY;
  if (auto colon = spec.rfind(':'); colon != std::string_view::npos) {
    auto suffix = spec.substr(colon + 1);
    for (auto const& m : kModes)
      if (m.name == suffix) {
        path = std::string(spec.substr(0, colon));
        flags = m.flags;
      }
  }
  if (path.empty()) return Error::usage(fmt::format("file '{}'", spec), "empty path");
  auto fd = open_file(path, flags | O_NOCTTY, 0666);
  if (!fd && fd.error().err == ENXIO) {
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) {
      auto e = fd.release_error();
      e.exit = Exit::usage;
      e.why = "is a socket; open(2) cannot open one (pass a connected one by number)";
      return e;
    }
  }
  return fd;
}

ucred own_creds() { return ucred{::getpid(), ::getuid(), ::getgid()}; }

Result<size_t> send_fds(Socket& s, Outgoing const& m) {
  if (m.message.empty())
    return Error::usage("message ''", "needs at least one byte: ancillary data travels with data");
  CmsgBuilder control;
  if (!m.fds.empty()) TRY(control.add_rights(m.fds));
  if (m.credentials) TRY(control.add_credentials(own_creds()));
  auto data = std::as_bytes(std::span(m.message.data(), m.message.size()));
  size_t sent = TRY(s.sendmsg(Message{data, control.bytes()}));
  // A stream may take only part of the data: the descriptors went with the
  // first byte, the rest follows as plain data.
  while (sent < data.size()) sent += TRY(s.send(data.subspan(sent)));
  return sent;
}

Result<Incoming> receive_fds(Socket& s, ReceiveLimits const& limits, Deadline const& d) {
  if (d.is_set()) {
    auto ready = TRY(wait_fd(s.fd(), POLLIN, d));
    if (ready == 0)
      return Error::make(Exit::timeout, fmt::format("receive on '{}'", s.label()), "timed out");
  }
  std::vector<std::byte> data(kMaxMessage);
  std::vector<std::byte> control(control_space(limits.max_fds, limits.credentials) + kControlSlack);
  auto r = TRY(s.recvmsg(data, control));

  // Own every descriptor before looking at anything else: whatever goes
  // wrong below, returning closes them.
  Incoming in;
  std::vector<Fd> unwanted;
  auto walk = walk_cmsgs(std::span(control).first(std::min(r.control_bytes, control.size())));
  for (auto const& m : walk.messages) {
    if (m.level == SOL_SOCKET && m.type == SCM_RIGHTS) {
      for (auto& fd : take_fds(m)) in.fds.push_back(std::move(fd));
    } else if (limits.credentials && m.level == SOL_SOCKET && m.type == SCM_CREDENTIALS && m.as<ucred>()) {
      in.creds = m.as<ucred>();
    } else {
      for (auto& fd : take_fds(m)) unwanted.push_back(std::move(fd));
      in.ignored.push_back({m.level, m.type, m.data.size()});
    }
  }
  std::string from = s.label().empty() ? std::string(s.scheme().name) + ":" : s.label();
  if (r.flags & MSG_CTRUNC)
    return Error::data(fmt::format("message on '{}'", from),
                       fmt::format("control data truncated: room for {} descriptors; the {} that arrived were closed",
                                   limits.max_fds, in.fds.size()));
  if (in.fds.size() > limits.max_fds)
    return Error::data(fmt::format("message on '{}'", from),
                       fmt::format("more descriptors ({}) than room was made for ({}); all were closed",
                                   in.fds.size(), limits.max_fds));
  if (r.flags & MSG_TRUNC)
    return Error::data(fmt::format("message on '{}'", from),
                       fmt::format("{} bytes, more than {}; its {} descriptors were closed", r.bytes, kMaxMessage,
                                   in.fds.size()));
  in.eof = r.bytes == 0 && walk.messages.empty() && s.type() != SOCK_DGRAM;
  in.message.assign(reinterpret_cast<char const*>(data.data()), std::min(r.bytes, data.size()));
  in.from = r.from;
  return in;
}

Result<void> hand_off(Socket const& conn, Endpoint const& worker, std::string_view note, Deadline const& d) {
  auto sock = TRY(connect_unix(worker, d));
  int const fds[] = {conn.fd()};
  TRY(send_fds(sock, {note.empty() ? std::string_view("\0", 1) : note, fds, false}));
  return {};
}

}  // namespace sockctl
