// fd.cpp: closing descriptors. close(2) is not retried on EINTR: on Linux the
// descriptor is already released when close returns, whatever it says.
#include "sockctl/fd.hpp"

#include <unistd.h>

namespace sockctl {

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) reset(other.release());
  return *this;
}

Fd::~Fd() { reset(); }

void Fd::reset(int fd) noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

}  // namespace sockctl
