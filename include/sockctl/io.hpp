// io.hpp: whole reads and writes on plain descriptors, with EINTR retried and
// partial writes finished. See: read(2), write(2).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "sockctl/error.hpp"
#include "sockctl/fd.hpp"

namespace sockctl {

/// Writes every byte or fails; what names the destination in the error.
Result<void> write_all(int fd, std::span<std::byte const> data, std::string_view what);
Result<void> write_all(int fd, std::string_view data, std::string_view what);
/// One read(2), EINTR retried; 0 at EOF.
Result<size_t> read_some(int fd, std::span<std::byte> buf, std::string_view what);
/// Reads until EOF (stdin, small files). Missing files exit 66.
Result<std::string> read_file(std::string const& path);
Result<std::string> read_fd(int fd, std::string_view what);
/// open(2) with O_CLOEXEC; a missing file exits 66, a denied one 77.
Result<Fd> open_file(std::string const& path, int flags, int mode = 0644);

}  // namespace sockctl
