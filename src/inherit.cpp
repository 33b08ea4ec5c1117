// inherit.cpp: adopting inherited sockets (fd:N, systemd socket activation).
// See: sd_listen_fds(3) for the protocol: fds start at 3, LISTEN_PID must be
// our pid, LISTEN_FDNAMES is colon-separated.
#include "sockctl/inherit.hpp"

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

namespace sockctl {

namespace {

constexpr int kListenFdsStart = 3;

bool parse_int(std::string_view s, long& out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

bool is_inherited(Endpoint const& ep) {
  return ep.scheme && (ep.scheme->codec == Codec::fd || ep.scheme->codec == Codec::systemd);
}

Result<std::vector<int>> systemd_fds(char const* listen_pid, char const* listen_fds, char const* listen_fdnames,
                                     pid_t self, std::string_view want) {
  std::string what = want.empty() ? "systemd:" : fmt::format("systemd:{}", want);
  if (!listen_pid || !listen_fds)
    return Error::make(Exit::no_input, fmt::format("socket activation '{}'", what),
                       "LISTEN_FDS is not set: not started by systemd socket activation");
  long pid = 0, count = 0;
  if (!parse_int(listen_pid, pid) || pid <= 0)
    return Error::usage(fmt::format("socket activation '{}'", what), fmt::format("bad LISTEN_PID '{}'", listen_pid));
  if (pid != self)
    return Error::make(Exit::no_input, fmt::format("socket activation '{}'", what),
                       fmt::format("LISTEN_PID {} is not this process ({})", pid, self));
  if (!parse_int(listen_fds, count) || count < 0 || count > 4096)
    return Error::usage(fmt::format("socket activation '{}'", what), fmt::format("bad LISTEN_FDS '{}'", listen_fds));
  std::vector<std::string> names;
  if (listen_fdnames) {
    std::string_view rest = listen_fdnames;
    for (;;) {
      auto colon = rest.find(':');
      names.emplace_back(rest.substr(0, colon));
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  std::vector<int> fds;
  for (long i = 0; i < count; ++i) {
    // Unnamed descriptors are called "unknown" (sd_listen_fds_with_names(3)).
    std::string_view name = static_cast<size_t>(i) < names.size() ? std::string_view(names[i]) : "unknown";
    if (want.empty() || name == want) fds.push_back(kListenFdsStart + static_cast<int>(i));
  }
  if (fds.empty())
    return Error::make(Exit::no_input, fmt::format("socket activation '{}'", what),
                       count == 0 ? "LISTEN_FDS is 0" : fmt::format("no descriptor is named '{}'", want));
  return fds;
}

Result<std::vector<Socket>> inherited_sockets(Endpoint const& ep) {
  std::vector<int> fds;
  if (ep.scheme->codec == Codec::fd) {
    fds.push_back(ep.fd);
  } else {
    fds = TRY(systemd_fds(std::getenv("LISTEN_PID"), std::getenv("LISTEN_FDS"), std::getenv("LISTEN_FDNAMES"),
                          ::getpid(), ep.name));
    ::unsetenv("LISTEN_PID");
    ::unsetenv("LISTEN_FDS");
    ::unsetenv("LISTEN_FDNAMES");
  }
  std::vector<Socket> out;
  for (int fd : fds) {
    if (::fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
      int err = errno;
      auto e = Error::sys(fmt::format("inherited fd {} in '{}'", fd, ep.text), err);
      if (err == EBADF) {
        e.exit = Exit::usage;
        e.why = "not an open descriptor";
      }
      return e;
    }
    auto s = Socket::adopt(Fd(fd));
    if (!s) {
      auto e = s.release_error();
      e.what = fmt::format("inherited fd {} in '{}'", fd, ep.text);
      if (e.err == ENOTSOCK) e.why = "not a socket";
      return e;
    }
    s->set_label(ep.text);
    out.push_back(s.release_value());
  }
  return out;
}

}  // namespace sockctl
