// io.cpp: whole writes and checked reads on plain descriptors.
#include "sockctl/io.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

namespace sockctl {

Result<void> write_all(int fd, std::span<std::byte const> data, std::string_view what) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::sys(fmt::format("write to {}", what), errno);
    }
    data = data.subspan(static_cast<size_t>(n));
  }
  return {};
}

Result<void> write_all(int fd, std::string_view data, std::string_view what) {
  return write_all(fd, std::as_bytes(std::span(data.data(), data.size())), what);
}

Result<size_t> read_some(int fd, std::span<std::byte> buf, std::string_view what) {
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return Error::sys(fmt::format("read from {}", what), errno);
  }
}

Result<Fd> open_file(std::string const& path, int flags, int mode) {
  for (;;) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
    if (fd >= 0) return Fd(fd);
    if (errno == EINTR) continue;
    auto e = Error::sys(fmt::format("open '{}'", path), errno);
    if (errno == ENOENT || errno == ENOTDIR || errno == EISDIR) e.exit = Exit::no_input;
    if ((flags & (O_WRONLY | O_RDWR)) && e.exit != Exit::no_perm) e.exit = Exit::io;
    return e;
  }
}

Result<std::string> read_fd(int fd, std::string_view what) {
  std::string out;
  char buf[65536];
  for (;;) {
    auto n = TRY(read_some(fd, std::as_writable_bytes(std::span(buf)), what));
    if (n == 0) return out;
    out.append(buf, n);
  }
}

Result<std::string> read_file(std::string const& path) {
  if (path == "-") return read_fd(0, "stdin");
  auto fd = TRY(open_file(path, O_RDONLY));
  auto r = read_fd(fd.get(), path);
  if (!r) {
    auto e = r.release_error();
    e.exit = Exit::no_input;
    return e;
  }
  return r;
}

}  // namespace sockctl
