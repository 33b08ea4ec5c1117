// cmsg.cpp: control-message layout. The macros in <sys/socket.h> assume a
// well-formed, aligned buffer and sizes that cannot overflow; here every sum is
// checked and headers are copied out, so hostile bytes cannot make us read
// past the end. See: cmsg(3), include/linux/socket.h.
#include "sockctl/cmsg.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

namespace sockctl {

namespace {

constexpr size_t kAlign = sizeof(size_t);  // what glibc's CMSG_ALIGN rounds to
constexpr size_t kHeader = (sizeof(cmsghdr) + kAlign - 1) & ~(kAlign - 1);

bool add_overflows(size_t a, size_t b) { return a > std::numeric_limits<size_t>::max() - b; }

}  // namespace

std::optional<size_t> cmsg_align(size_t n) {
  if (add_overflows(n, kAlign - 1)) return std::nullopt;
  return (n + kAlign - 1) & ~(kAlign - 1);
}

std::optional<size_t> cmsg_len(size_t data_len) {
  if (add_overflows(data_len, kHeader)) return std::nullopt;
  return kHeader + data_len;
}

std::optional<size_t> cmsg_space(size_t data_len) {
  auto aligned = cmsg_align(data_len);
  if (!aligned || add_overflows(*aligned, kHeader)) return std::nullopt;
  return kHeader + *aligned;
}

bool Cmsg::carries_fds() const { return level == SOL_SOCKET && (type == SCM_RIGHTS || type == kScmPidfd); }

Result<void> CmsgBuilder::add(int level, int type, std::span<std::byte const> data) {
  auto len = cmsg_len(data.size());
  auto space = cmsg_space(data.size());
  if (!len || !space || add_overflows(buf_.size(), *space))
    return Error::usage(fmt::format("control message of {} bytes", data.size()), "too large");
  size_t at = buf_.size();
  buf_.resize(at + *space);
  cmsghdr h{};
  h.cmsg_len = *len;
  h.cmsg_level = level;
  h.cmsg_type = type;
  std::memcpy(buf_.data() + at, &h, sizeof h);
  if (!data.empty()) std::memcpy(buf_.data() + at + kHeader, data.data(), data.size());
  return {};
}

Result<void> CmsgBuilder::add_rights(std::span<int const> fds) {
  if (fds.size() > kScmMaxFd)
    return Error::usage(fmt::format("{} descriptors", fds.size()),
                        fmt::format("one message carries at most {} (SCM_MAX_FD)", kScmMaxFd));
  return add(SOL_SOCKET, SCM_RIGHTS, std::as_bytes(fds));
}

Result<void> CmsgBuilder::add_credentials(ucred const& creds) { return add_value(SOL_SOCKET, SCM_CREDENTIALS, creds); }

CmsgWalk walk_cmsgs(std::span<std::byte const> control) {
  CmsgWalk walk;
  size_t at = 0;
  while (at < control.size()) {
    size_t left = control.size() - at;
    cmsghdr h;
    if (left < sizeof h) break;
    std::memcpy(&h, control.data() + at, sizeof h);
    // cmsg_len counts the header; it must cover it and stay inside the buffer.
    if (h.cmsg_len < kHeader || h.cmsg_len > left) break;
    walk.messages.push_back({h.cmsg_level, h.cmsg_type, control.subspan(at + kHeader, h.cmsg_len - kHeader)});
    auto step = cmsg_align(h.cmsg_len);
    // The last message's padding may be cut off by the end of the buffer.
    if (!step || *step >= left) return walk;
    at += *step;
  }
  walk.malformed_bytes = control.size() - at;
  return walk;
}

std::vector<int> cmsg_fds(Cmsg const& m) {
  std::vector<int> fds;
  if (!m.carries_fds()) return fds;
  fds.resize(m.data.size() / sizeof(int));
  if (!fds.empty()) std::memcpy(fds.data(), m.data.data(), fds.size() * sizeof(int));
  return fds;
}

std::vector<Fd> take_fds(Cmsg const& m) {
  std::vector<Fd> owned;
  for (int fd : cmsg_fds(m))
    if (fd >= 0) owned.emplace_back(fd);
  return owned;
}

size_t control_space(size_t fds, bool credentials) {
  size_t n = fds == 0 ? 0 : *cmsg_space(std::min(fds, kScmMaxFd) * sizeof(int));
  if (credentials) n += *cmsg_space(sizeof(ucred));
  return n;
}

}  // namespace sockctl
