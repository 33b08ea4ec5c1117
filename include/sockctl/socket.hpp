// socket.hpp: Socket, the RAII owner of every socket sockctl opens, and
// Deadline, the one clock behind every timeout.
//
// Socket remembers its family, type and protocol so errors and JSON can name
// them, and its scheme so addresses it returns print in the endpoint grammar.
// Every socket is created with SOCK_CLOEXEC. See: socket(2), socket(7).
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <sys/socket.h>

#include "sockctl/endpoint.hpp"
#include "sockctl/error.hpp"
#include "sockctl/fd.hpp"
#include "sockctl/sockaddr.hpp"

namespace sockctl {

/// A point in time after which an operation gives up (exit 75). Unset = never.
class Deadline {
 public:
  using Clock = std::chrono::steady_clock;
  Deadline() = default;
  static Deadline after(std::optional<double> seconds);
  static Deadline never() { return {}; }
  bool is_set() const { return at_.has_value(); }
  bool expired() const { return at_ && Clock::now() >= *at_; }
  /// Milliseconds left for poll(2): -1 when unset, 0 when expired.
  int poll_ms() const;

 private:
  std::optional<Clock::time_point> at_;
};

/// Waits for events on one fd until the deadline. Returns revents, 0 on timeout.
Result<short> wait_fd(int fd, short events, Deadline const& d);

/// Ancillary data for sendmsg/recvmsg: raw control bytes, built and walked by
/// the callers (cmsg.hpp, fdpass, alg, can timestamps).
struct Message {
  std::span<std::byte const> data;
  std::span<std::byte const> control;
  SockAddr const* to = nullptr;
};

struct Received {
  size_t bytes = 0;              // payload bytes received (may exceed the buffer with MSG_TRUNC)
  size_t control_bytes = 0;      // control bytes written into the control buffer
  int flags = 0;                 // msg_flags: MSG_TRUNC, MSG_CTRUNC, MSG_EOR, ...
  SockAddr from;
};

class Socket {
 public:
  Socket() = default;
  /// socket(2) with SOCK_CLOEXEC. EAFNOSUPPORT and friends exit 69.
  static Result<Socket> open(int family, int type, int protocol, Scheme const* scheme = nullptr);
  /// A socket for this endpoint and address (family from the address).
  static Result<Socket> open_for(Endpoint const& ep, SockAddr const& a);
  /// Takes over an inherited or received descriptor; learns its family, type
  /// and protocol from SO_DOMAIN/SO_TYPE/SO_PROTOCOL. ENOTSOCK exits 64.
  static Result<Socket> adopt(Fd fd);

  Result<void> bind(SockAddr const& a);
  Result<void> listen(int backlog);
  /// accept4 with SOCK_CLOEXEC; the peer address goes into *peer when given.
  Result<Socket> accept(SockAddr* peer = nullptr, int flags = 0);
  /// Non-blocking connect finished by poll, so the deadline holds. On failure the
  /// socket is unusable (connect's rules); callers open a new one per attempt.
  Result<void> connect(SockAddr const& a, Deadline const& d);
  Result<void> shutdown_write();
  Result<void> set_nonblocking(bool on);

  Result<void> setsockopt(int level, int name, void const* value, socklen_t len);
  Result<void> setsockopt_int(int level, int name, int value);
  Result<int> getsockopt_int(int level, int name) const;

  Result<SockAddr> local() const;
  Result<SockAddr> peer() const;

  /// send/recv with EINTR retried; recv returns 0 at EOF.
  Result<size_t> send(std::span<std::byte const> data, int flags = 0);
  Result<size_t> recv(std::span<std::byte> buf, int flags = 0);
  Result<size_t> send_to(std::span<std::byte const> data, SockAddr const& to, int flags = 0);
  Result<size_t> recv_from(std::span<std::byte> buf, SockAddr& from, int flags = 0);
  Result<size_t> sendmsg(Message const& m, int flags = 0);
  Result<Received> recvmsg(std::span<std::byte> buf, std::span<std::byte> control, int flags = 0);

  int fd() const { return fd_.get(); }
  int release() { return fd_.release(); }
  bool valid() const { return fd_.valid(); }
  int family() const { return family_; }
  int type() const { return type_; }
  int protocol() const { return protocol_; }
  /// The scheme addresses of this socket print under; never null once opened.
  Scheme const& scheme() const;
  /// What errors call this socket: "tcp:127.0.0.1:80" when known.
  void set_label(std::string label) { label_ = std::move(label); }
  std::string const& label() const { return label_; }

 private:
  Socket(Fd fd, int family, int type, int protocol, Scheme const* scheme)
      : fd_(std::move(fd)), family_(family), type_(type), protocol_(protocol), scheme_(scheme) {}
  Error error(std::string_view op, int err) const;
  Result<void> connect_until(SockAddr const& a, Deadline const& d);

  Fd fd_;
  int family_ = 0, type_ = 0, protocol_ = 0;
  Scheme const* scheme_ = nullptr;
  std::string label_;
  std::optional<SockAddr> bound_;  // Bluetooth only: what local() gives when getsockname cannot
  std::optional<SockAddr> connected_to_;  // what peer() gives when getpeername cannot
};

}  // namespace sockctl
