// sockaddr.hpp: SockAddr, a socket address exactly as the kernel sees it.
// The length matters: abstract AF_UNIX names and several families' sockaddrs
// are defined by it, so it is stored, never recomputed. See: socket(7).
#pragma once

#include <cstddef>
#include <cstring>
#include <span>
#include <sys/socket.h>

namespace sockctl {

/// The bytes of one sockaddr and their length.
class SockAddr {
 public:
  SockAddr() = default;
  /// Copies len bytes; a len larger than sockaddr_storage is clamped (the
  /// kernel never returns one; a caller's bug must not overflow).
  SockAddr(sockaddr const* sa, socklen_t len);
  template <class T>
  static SockAddr of(T const& s) {
    return SockAddr(reinterpret_cast<sockaddr const*>(&s), sizeof s);
  }

  int family() const { return size_ >= sizeof(sa_family_t) ? storage_.ss_family : AF_UNSPEC; }
  sockaddr const* get() const { return reinterpret_cast<sockaddr const*>(&storage_); }
  sockaddr* get() { return reinterpret_cast<sockaddr*>(&storage_); }
  socklen_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::span<std::byte const> bytes() const;

  /// For recvfrom/accept/getsockname: room for any address, then set_size().
  sockaddr* storage() { return get(); }
  static constexpr socklen_t capacity() { return sizeof(sockaddr_storage); }
  void set_size(socklen_t len) { size_ = len > capacity() ? capacity() : len; }

  /// A view as family struct T, or nullptr when the family or length does not fit.
  template <class T>
  T const* as(int family, socklen_t min_size = sizeof(T)) const {
    return this->family() == family && size_ >= min_size ? reinterpret_cast<T const*>(&storage_)
                                                            : nullptr;
  }

  friend bool operator==(SockAddr const& a, SockAddr const& b) {
    return a.size_ == b.size_ && std::memcmp(&a.storage_, &b.storage_, a.size_) == 0;
  }

 private:
  sockaddr_storage storage_{};
  socklen_t size_ = 0;
};

}  // namespace sockctl
