// misc.cpp: endpoints that name a socket someone else opened: "fd:N", an
// inherited descriptor (Python's socket.fromfd), and "systemd:[NAME]", one
// passed by socket activation. They carry no sockaddr; the socket's own
// addresses print under its family's scheme.
// See: sd_listen_fds(3), sd_listen_fds_with_names(3), systemd.socket(5).
#include <climits>

#include <fmt/format.h>

#include "family/family.hpp"

namespace sockctl::family {

namespace {

Result<void> parse_fd(std::string_view body, Endpoint& ep, ParseOptions const&) {
  if (body.empty()) return bad_endpoint(ep, "missing descriptor number");
  auto n = parse_number(body, INT_MAX, 10);
  if (!n) return bad_endpoint(ep, fmt::format("'{}' is not a descriptor number from 0 to {}", body, INT_MAX));
  ep.fd = static_cast<int>(*n);
  return {};
}

// systemd's fdname_is_valid(): at most 255 bytes of printable ASCII, no
// space, and no ':' because $LISTEN_FDNAMES is a ':'-separated list.
Result<void> parse_systemd(std::string_view body, Endpoint& ep, ParseOptions const&) {
  if (body.size() > 255) return bad_endpoint(ep, fmt::format("socket name is {} bytes, the limit is 255", body.size()));
  for (char c : body) {
    if (c == ':') return bad_endpoint(ep, "a socket name cannot contain ':' (it separates $LISTEN_FDNAMES)");
    if (c <= 0x20 || c >= 0x7f)
      return bad_endpoint(ep, fmt::format("socket name '{}' has a space or a byte that does not print", body));
  }
  ep.name = std::string(body);
  return {};
}

// Never reached through format_endpoint(), which prints these schemes'
// addresses under the address's own family; kept total for direct callers.
std::string format_adopted(SockAddr const& a, Scheme const& s, int protocol) {
  return format_endpoint(a, s, protocol);
}

void adopted_fields(SockAddr const& a, Json& j) {
  auto own = address_json(a, *find_scheme("fd"));
  for (auto& [key, value] : own.items())
    if (key != "family" && key != "endpoint") j[key] = value;
}

}  // namespace

FamilyCodec const kFd{parse_fd, format_adopted, adopted_fields, nullptr};
FamilyCodec const kSystemd{parse_systemd, format_adopted, adopted_fields, nullptr};

}  // namespace sockctl::family
