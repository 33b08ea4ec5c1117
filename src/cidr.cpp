// cidr.cpp: parsing and matching address blocks for --allow/--deny.
// See: RFC 4632, RFC 4291 section 2.5.5.2, inet_pton(3).
#include "sockctl/cidr.hpp"

#include <arpa/inet.h>
#include <charconv>
#include <cstring>
#include <netinet/in.h>

#include <fmt/format.h>

namespace sockctl {

namespace {

bool prefix_matches(uint8_t const* a, uint8_t const* b, int bits) {
  int whole = bits / 8, rest = bits % 8;
  if (std::memcmp(a, b, static_cast<size_t>(whole)) != 0) return false;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

// The address of an inet sockaddr as (family, bytes); a v4-mapped IPv6
// address comes back as IPv4, because that is who is really connecting.
bool address_of(SockAddr const& a, int& family, uint8_t const*& bytes) {
  if (auto* sin = a.as<sockaddr_in>(AF_INET)) {
    family = AF_INET;
    bytes = reinterpret_cast<uint8_t const*>(&sin->sin_addr);
    return true;
  }
  if (auto* sin6 = a.as<sockaddr_in6>(AF_INET6)) {
    bytes = reinterpret_cast<uint8_t const*>(&sin6->sin6_addr);
    family = AF_INET6;
    if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr)) {
      family = AF_INET;
      bytes += 12;
    }
    return true;
  }
  return false;
}

}  // namespace

bool Cidr::contains(SockAddr const& a) const {
  int fam = 0;
  uint8_t const* b = nullptr;
  if (!address_of(a, fam, b) || fam != family) return false;
  return prefix_matches(b, bytes.data(), prefix);
}

Result<Cidr> parse_cidr(std::string_view text) {
  Cidr c;
  c.text = std::string(text);
  auto bad = [&](std::string why) { return Error::usage(fmt::format("bad address block '{}'", text), std::move(why)); };
  std::string_view addr = text, bits;
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    addr = text.substr(0, slash);
    bits = text.substr(slash + 1);
    if (bits.empty()) return bad("missing prefix length after '/'");
  }
  if (addr.size() >= 2 && addr.front() == '[' && addr.back() == ']') addr = addr.substr(1, addr.size() - 2);
  if (addr.empty()) return bad("missing address");
  std::string a(addr);
  int max = 0;
  if (inet_pton(AF_INET, a.c_str(), c.bytes.data()) == 1) {
    c.family = AF_INET;
    max = 32;
  } else if (inet_pton(AF_INET6, a.c_str(), c.bytes.data()) == 1) {
    c.family = AF_INET6;
    max = 128;
  } else {
    return bad(fmt::format("'{}' is not an IPv4 or IPv6 address", addr));
  }
  c.prefix = max;
  if (!bits.empty()) {
    int n = -1;
    auto r = std::from_chars(bits.data(), bits.data() + bits.size(), n);
    if (r.ec != std::errc() || r.ptr != bits.data() + bits.size() || n < 0 || n > max)
      return bad(fmt::format("prefix length '{}' is not a number from 0 to {}", bits, max));
    c.prefix = n;
  }
  // A v4-mapped block whose prefix covers the ::ffff: part is an IPv4 block.
  in6_addr a6;
  std::memcpy(&a6, c.bytes.data(), sizeof a6);
  if (c.family == AF_INET6 && c.prefix >= 96 && IN6_IS_ADDR_V4MAPPED(&a6)) {
    std::memmove(c.bytes.data(), c.bytes.data() + 12, 4);
    std::fill(c.bytes.begin() + 4, c.bytes.end(), 0);
    c.family = AF_INET;
    c.prefix -= 96;
  }
  return c;
}

bool AccessList::permits(SockAddr const& peer) const {
  for (auto const& c : deny_)
    if (c.contains(peer)) return false;
  if (allow_.empty()) return true;
  for (auto const& c : allow_)
    if (c.contains(peer)) return true;
  return false;
}

}  // namespace sockctl
