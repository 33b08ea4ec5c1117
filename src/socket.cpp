// socket.cpp: the socket syscalls, each checked, EINTR retried, errors naming
// the operation and the endpoint. connect() is non-blocking and finished with
// poll(2) so that one total deadline can span every resolved address.
#include "sockctl/socket.hpp"

#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <fmt/format.h>

namespace sockctl {

Deadline Deadline::after(std::optional<double> seconds) {
  Deadline d;
  if (seconds)
    d.at_ = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(*seconds));
  return d;
}

int Deadline::poll_ms() const {
  if (!at_) return -1;
  auto left = std::chrono::ceil<std::chrono::milliseconds>(*at_ - Clock::now()).count();
  return left <= 0 ? 0 : left > 1'000'000'000 ? 1'000'000'000 : static_cast<int>(left);
}

Result<short> wait_fd(int fd, short events, Deadline const& d) {
  for (;;) {
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, d.poll_ms());
    if (n > 0) return p.revents;
    if (n == 0) return short{0};
    if (errno != EINTR) return Error::sys("poll", errno);
  }
}

Result<Socket> Socket::open(int family, int type, int protocol, Scheme const* scheme) {
  int fd = ::socket(family, type | SOCK_CLOEXEC, protocol);
  if (fd < 0) {
    int err = errno;
    auto e = Error::sys(fmt::format("socket({}, {}, {})", family, type, protocol), err);
    if (scheme) e.what = fmt::format("{} socket", scheme->name);
    if (err == EINVAL || err == EAFNOSUPPORT || err == EPROTONOSUPPORT || err == ESOCKTNOSUPPORT)
      e.exit = Exit::unavailable;
    if (err == EAFNOSUPPORT) e.why += " (this kernel lacks the family; is its module loaded?)";
    return e;
  }
  if (!scheme) scheme = scheme_for(family, type, protocol);
  return Socket(Fd(fd), family, type, protocol, scheme);
}

Result<Socket> Socket::open_for(Endpoint const& ep, SockAddr const& a) {
  // A scheme with a fixed family keeps it even when its addresses belong to
  // another family (rds: AF_RDS sockets take IPv4 sockaddrs).
  int family = ep.scheme && ep.scheme->family != AF_UNSPEC ? ep.scheme->family
               : a.family() != AF_UNSPEC                   ? a.family()
                                                           : ep.family;
  auto s = TRY(open(family, ep.type, ep.protocol, ep.scheme));
  s.label_ = ep.text;
  return s;
}

Result<Socket> Socket::adopt(Fd fd) {
  int v[3] = {0, 0, 0};
  int const opts[3] = {SO_DOMAIN, SO_TYPE, SO_PROTOCOL};
  for (int i = 0; i < 3; ++i) {
    socklen_t len = sizeof v[i];
    if (::getsockopt(fd.get(), SOL_SOCKET, opts[i], &v[i], &len) < 0) {
      auto e = Error::sys(fmt::format("fd {}", fd.get()), errno);
      if (errno == ENOTSOCK || errno == EBADF) e.exit = Exit::usage;
      return e;
    }
  }
  return Socket(std::move(fd), v[0], v[1], v[2], scheme_for(v[0], v[1], v[2]));
}

Scheme const& Socket::scheme() const {
  if (scheme_) return *scheme_;
  static Scheme const unknown{"socket", 0, 0, 0, Codec::fd, "", ""};
  return unknown;
}

Error Socket::error(std::string_view op, int err) const {
  if (label_.empty()) return Error::sys(std::string(op), err);
  return Error::sys(fmt::format("{} '{}'", op, label_), err);
}

Result<void> Socket::bind(SockAddr const& a) {
  if (::bind(fd(), a.get(), a.size()) < 0) return error("bind", errno);
  if (family_ == AF_BLUETOOTH) bound_ = a;
  return {};
}

Result<void> Socket::listen(int backlog) {
  if (::listen(fd(), backlog) < 0) return error("listen", errno);
  return {};
}

Result<Socket> Socket::accept(SockAddr* peer, int flags) {
  // No address buffer unless asked: AF_ALG has no getname, and accept(2)
  // fails with ECONNABORTED when it is asked for the peer's address.
  for (;;) {
    socklen_t len = SockAddr::capacity();
    int fd = ::accept4(this->fd(), peer ? peer->storage() : nullptr, peer ? &len : nullptr, SOCK_CLOEXEC | flags);
    if (fd >= 0) {
      if (peer) peer->set_size(len);
      Socket s(Fd(fd), family_, type_, protocol_, scheme_);
      return s;
    }
    if (errno != EINTR) return error("accept", errno);
  }
}

Result<void> Socket::set_nonblocking(bool on) {
  int fl = ::fcntl(fd(), F_GETFL);
  if (fl < 0) return error("fcntl", errno);
  fl = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
  if (::fcntl(fd(), F_SETFL, fl) < 0) return error("fcntl", errno);
  return {};
}

Result<void> Socket::connect(SockAddr const& a, Deadline const& d) {
  TRY(connect_until(a, d));
  connected_to_ = a;
  return {};
}

Result<void> Socket::connect_until(SockAddr const& a, Deadline const& d) {
  if (!d.is_set()) {
    for (;;) {
      if (::connect(fd(), a.get(), a.size()) == 0) return {};
      // An interrupted connect goes on in the background: wait for it as below.
      if (errno == EINTR) break;
      return error("connect", errno);
    }
  } else {
    TRY(set_nonblocking(true));
    if (::connect(fd(), a.get(), a.size()) == 0) return set_nonblocking(false);
    if (errno != EINPROGRESS && errno != EINTR) return error("connect", errno);
  }
  auto ev = TRY(wait_fd(fd(), POLLOUT, d));
  if (ev == 0) return error("connect", ETIMEDOUT);
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(fd(), SOL_SOCKET, SO_ERROR, &err, &len) < 0) return error("connect", errno);
  if (err != 0) return error("connect", err);
  return set_nonblocking(false);
}

Result<void> Socket::shutdown_write() {
  if (::shutdown(fd(), SHUT_WR) < 0 && errno != ENOTCONN) return error("shutdown", errno);
  return {};
}

Result<void> Socket::setsockopt(int level, int name, void const* value, socklen_t len) {
  if (::setsockopt(fd(), level, name, value, len) < 0) return error("setsockopt", errno);
  return {};
}

Result<void> Socket::setsockopt_int(int level, int name, int value) {
  return setsockopt(level, name, &value, sizeof value);
}

Result<int> Socket::getsockopt_int(int level, int name) const {
  int v = 0;
  socklen_t len = sizeof v;
  if (::getsockopt(fd(), level, name, &v, &len) < 0) return error("getsockopt", errno);
  return v;
}

Result<SockAddr> Socket::local() const {
  SockAddr a;
  socklen_t len = SockAddr::capacity();
  if (::getsockname(fd(), a.storage(), &len) < 0) {
    // An HCI socket on no controller (the monitor and control channels) has
    // no name to give (EBADFD): its address is the one it was bound to.
    if (errno == EBADFD && bound_) return *bound_;
    return error("getsockname", errno);
  }
  a.set_size(len);
  return a;
}

Result<SockAddr> Socket::peer() const {
  SockAddr a;
  socklen_t len = SockAddr::capacity();
  if (::getpeername(fd(), a.storage(), &len) < 0) {
    // A one-to-many SCTP socket names no peer even after connect(): its
    // peer is the address it connected to.
    if (connected_to_) return *connected_to_;
    return error("getpeername", errno);
  }
  a.set_size(len);
  return a;
}

Result<size_t> Socket::send(std::span<std::byte const> data, int flags) {
  for (;;) {
    ssize_t n = ::send(fd(), data.data(), data.size(), flags | MSG_NOSIGNAL);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return error("send", errno);
  }
}

Result<size_t> Socket::recv(std::span<std::byte> buf, int flags) {
  for (;;) {
    ssize_t n = ::recv(fd(), buf.data(), buf.size(), flags);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return error("recv", errno);
  }
}

Result<size_t> Socket::send_to(std::span<std::byte const> data, SockAddr const& to, int flags) {
  for (;;) {
    ssize_t n = ::sendto(fd(), data.data(), data.size(), flags | MSG_NOSIGNAL, to.get(), to.size());
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return error("sendto", errno);
  }
}

Result<size_t> Socket::recv_from(std::span<std::byte> buf, SockAddr& from, int flags) {
  for (;;) {
    socklen_t len = SockAddr::capacity();
    ssize_t n = ::recvfrom(fd(), buf.data(), buf.size(), flags, from.storage(), &len);
    if (n >= 0) {
      from.set_size(len);
      return static_cast<size_t>(n);
    }
    if (errno != EINTR) return error("recvfrom", errno);
  }
}

Result<size_t> Socket::sendmsg(Message const& m, int flags) {
  iovec iov{const_cast<std::byte*>(m.data.data()), m.data.size()};
  msghdr h{};
  h.msg_iov = &iov;
  h.msg_iovlen = 1;
  if (!m.control.empty()) {
    h.msg_control = const_cast<std::byte*>(m.control.data());
    h.msg_controllen = m.control.size();
  }
  if (m.to) {
    h.msg_name = const_cast<sockaddr*>(m.to->get());
    h.msg_namelen = m.to->size();
  }
  for (;;) {
    ssize_t n = ::sendmsg(fd(), &h, flags | MSG_NOSIGNAL);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return error("sendmsg", errno);
  }
}

Result<Received> Socket::recvmsg(std::span<std::byte> buf, std::span<std::byte> control, int flags) {
  Received r;
  iovec iov{buf.data(), buf.size()};
  msghdr h{};
  h.msg_iov = &iov;
  h.msg_iovlen = 1;
  h.msg_name = r.from.storage();
  h.msg_namelen = SockAddr::capacity();
  if (!control.empty()) {
    h.msg_control = control.data();
    h.msg_controllen = control.size();
  }
  for (;;) {
    ssize_t n = ::recvmsg(fd(), &h, flags | MSG_CMSG_CLOEXEC);
    if (n >= 0) {
      r.bytes = static_cast<size_t>(n);
      r.control_bytes = h.msg_controllen;
      r.flags = h.msg_flags;
      r.from.set_size(h.msg_namelen);
      return r;
    }
    if (errno != EINTR) return error("recvmsg", errno);
  }
}

}  // namespace sockctl
