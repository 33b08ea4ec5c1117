// sockaddr.cpp: copying sockaddrs in and out with their exact length.
#include "sockctl/sockaddr.hpp"

namespace sockctl {

SockAddr::SockAddr(sockaddr const* sa, socklen_t len) {
  set_size(len);
  std::memcpy(&storage_, sa, size_);
}

std::span<std::byte const> SockAddr::bytes() const {
  return {reinterpret_cast<std::byte const*>(&storage_), size_};
}

}  // namespace sockctl
