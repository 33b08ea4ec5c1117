// cmsg.hpp: ancillary data (control messages) for sendmsg/recvmsg: a builder
// for what we send and a walker for what we receive, for any level and type
// (SCM_RIGHTS, SCM_CREDENTIALS, ALG_SET_IV, SO_TIMESTAMP, ...).
//
// The arithmetic is CMSG_ALIGN/CMSG_LEN/CMSG_SPACE done with overflow checks.
// Received control bytes are untrusted: the walker reads headers by copy (no
// alignment assumed), never reads past the buffer, and stops at the first
// header that does not fit. See: cmsg(3), unix(7), socket(7).
#pragma once

#include <cstddef>
#include <cstring>
#include <optional>
#include <span>
#include <sys/socket.h>
#include <type_traits>
#include <vector>

#include "sockctl/error.hpp"
#include "sockctl/fd.hpp"

namespace sockctl {

/// Most descriptors one SCM_RIGHTS message may carry (SCM_MAX_FD, include/net/scm.h).
inline constexpr size_t kScmMaxFd = 253;

/// SCM_PIDFD (Linux 6.5): a pidfd of the sender, sent when SO_PASSPIDFD is on.
/// glibc 2.36 lacks the name; it matters here because it carries a descriptor.
inline constexpr int kScmPidfd = 4;

/// CMSG_ALIGN(n); nullopt on overflow.
std::optional<size_t> cmsg_align(size_t n);
/// CMSG_LEN(data_len): header plus data, the value of cmsg_len; nullopt on overflow.
std::optional<size_t> cmsg_len(size_t data_len);
/// CMSG_SPACE(data_len): what one message takes in the buffer; nullopt on overflow.
std::optional<size_t> cmsg_space(size_t data_len);

/// One control message as received: a view into the walked buffer.
struct Cmsg {
  int level = 0;
  int type = 0;
  std::span<std::byte const> data;

  /// The data as T when it holds at least sizeof(T) bytes; copied, because
  /// received data need not be aligned for T.
  template <class T>
  std::optional<T> as() const {
    static_assert(std::is_trivially_copyable_v<T>);
    if (data.size() < sizeof(T)) return std::nullopt;
    T v;
    std::memcpy(&v, data.data(), sizeof v);
    return v;
  }
  /// True for messages that carry descriptors (SCM_RIGHTS, SCM_PIDFD).
  bool carries_fds() const;
};

/// The control bytes of one sendmsg, laid out with the kernel's alignment.
/// The buffer comes from operator new, which aligns it for cmsghdr.
class CmsgBuilder {
 public:
  /// Appends one message of any level and type. Fails (exit 64) only when the
  /// sizes overflow.
  Result<void> add(int level, int type, std::span<std::byte const> data);
  template <class T>
  Result<void> add_value(int level, int type, T const& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    return add(level, type, std::as_bytes(std::span(&value, 1)));
  }
  /// SCM_RIGHTS; more than kScmMaxFd descriptors exits 64 naming SCM_MAX_FD.
  Result<void> add_rights(std::span<int const> fds);
  /// SCM_CREDENTIALS; the kernel checks them against the sender's own unless privileged.
  Result<void> add_credentials(ucred const& creds);

  std::span<std::byte const> bytes() const { return buf_; }
  bool empty() const { return buf_.empty(); }

 private:
  std::vector<std::byte> buf_;
};

/// The messages found in received control bytes, in order.
struct CmsgWalk {
  std::vector<Cmsg> messages;
  /// Bytes from the first header that did not fit to the end (0 when clean).
  size_t malformed_bytes = 0;
};

/// Walks control bytes as recvmsg left them (control_bytes of Received).
CmsgWalk walk_cmsgs(std::span<std::byte const> control);

/// The descriptor numbers one SCM_RIGHTS or SCM_PIDFD message carries.
std::vector<int> cmsg_fds(Cmsg const& m);

/// Takes ownership of the descriptors one message carries, so that none can
/// leak whatever the caller does next. Call it once per received message.
std::vector<Fd> take_fds(Cmsg const& m);

/// Room for a receive buffer: n descriptors plus, when asked, credentials.
size_t control_space(size_t fds, bool credentials);

}  // namespace sockctl
