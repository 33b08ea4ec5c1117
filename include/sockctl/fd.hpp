// fd.hpp: Fd, the one owner of a file descriptor. Every descriptor sockctl
// opens lives in an Fd (or a Socket holding one), so every path closes it.
#pragma once

#include <utility>

namespace sockctl {

/// Owns one descriptor. Move-only; the destructor closes it.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) noexcept : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(Fd const&) = delete;
  Fd& operator=(Fd const&) = delete;
  ~Fd();

  int get() const noexcept { return fd_; }
  bool valid() const noexcept { return fd_ >= 0; }
  explicit operator bool() const noexcept { return fd_ >= 0; }
  int release() noexcept { return std::exchange(fd_, -1); }
  void reset(int fd = -1) noexcept;

 private:
  int fd_ = -1;
};

}  // namespace sockctl
