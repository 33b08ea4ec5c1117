// unix.cpp: AF_UNIX endpoints: a path, "@NAME" for the abstract namespace, or
// nothing for an unnamed socket (bind() then autobinds). Abstract names are not
// NUL-terminated: the address length is the name (unix(7)), so bytes that do
// not print are written and read as \xHH.
#include <algorithm>
#include <cstddef>
#include <sys/un.h>

#include <fmt/format.h>

#include "family/family.hpp"

namespace sockctl::family {

namespace {

constexpr size_t kPathMax = sizeof(sockaddr_un::sun_path);

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<void> parse_unix(std::string_view body, Endpoint& ep, ParseOptions const&) {
  sockaddr_un sun{};
  sun.sun_family = AF_UNIX;
  socklen_t len = offsetof(sockaddr_un, sun_path);
  if (body.empty()) {
    // Unnamed: binding this autobinds to a kernel-chosen abstract name.
  } else if (body[0] == '@') {
    std::string name;
    for (size_t i = 1; i < body.size(); ++i) {
      if (body[i] == '\\' && i + 1 < body.size() && body[i + 1] == '\\') {
        name += '\\';
        ++i;
      } else if (body[i] == '\\' && i + 3 < body.size() && body[i + 1] == 'x') {
        int hi = hex_digit(body[i + 2]), lo = hex_digit(body[i + 3]);
        if (hi < 0 || lo < 0) return bad_endpoint(ep, "bad \\x escape in abstract name");
        name += static_cast<char>(hi * 16 + lo);
        i += 3;
      } else if (body[i] == '\\') {
        return bad_endpoint(ep, "bad escape in abstract name (use \\\\ or \\xHH)");
      } else {
        name += body[i];
      }
    }
    if (name.size() + 1 > kPathMax)
      return bad_endpoint(ep, fmt::format("abstract name is {} bytes, the limit is {}", name.size(), kPathMax - 1));
    sun.sun_path[0] = '\0';
    name.copy(sun.sun_path + 1, name.size());
    len += static_cast<socklen_t>(1 + name.size());
  } else {
    if (body.find('\0') != std::string_view::npos) return bad_endpoint(ep, "NUL byte in path");
    if (body.size() > kPathMax)
      return bad_endpoint(ep, fmt::format("path is {} bytes, the limit is {}", body.size(), kPathMax));
    // A path that fills sun_path has no room for the NUL; Linux accepts it
    // (it terminates its own copy) and returns it so, as Python allows.
    body.copy(sun.sun_path, body.size());
    len += static_cast<socklen_t>(body.size() + (body.size() < kPathMax ? 1 : 0));
  }
  ep.address = SockAddr(reinterpret_cast<sockaddr const*>(&sun), len);
  return {};
}

// The path (or "@name") as text; abstract bytes that do not print become \xHH.
std::string unix_path(SockAddr const& a) {
  auto const* sun = reinterpret_cast<sockaddr_un const*>(a.get());
  size_t off = offsetof(sockaddr_un, sun_path);
  if (a.size() <= off) return {};
  // Nothing past sun_path belongs to the address (the kernel's limit too).
  size_t n = std::min<size_t>(a.size() - off, kPathMax);
  if (sun->sun_path[0] != '\0') {
    // A path: the kernel may or may not count the NUL; stop at the first.
    size_t len = 0;
    while (len < n && sun->sun_path[len] != '\0') ++len;
    // "@name" would read back as an abstract name: a relative path that
    // starts with '@' is written as "./@name", the same file.
    if (sun->sun_path[0] == '@') return "./" + std::string(sun->sun_path, len);
    return std::string(sun->sun_path, len);
  }
  std::string out = "@";
  for (size_t i = 1; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(sun->sun_path[i]);
    if (c == '\\')
      out += "\\\\";
    else if (c < 0x20 || c >= 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out += static_cast<char>(c);
  }
  return out;
}

std::string format_unix(SockAddr const& a, Scheme const& s, int) { return fmt::format("{}:{}", s.name, unix_path(a)); }

void unix_fields(SockAddr const& a, Json& j) {
  std::string path = unix_path(a);
  j["abstract"] = path.starts_with('@');
  j["path"] = path;
}

}  // namespace

FamilyCodec const kUnix{parse_unix, format_unix, unix_fields, nullptr};

}  // namespace sockctl::family
