// cidr.hpp: address blocks ("10.0.0.0/8", "::1", "::ffff:127.0.0.0/104") and
// the allow/deny list that listen checks each peer against before reading a
// byte. An IPv4 peer seen through a dual-stack socket (::ffff:a.b.c.d) matches
// IPv4 blocks, so `--deny 127.0.0.1` also refuses ::ffff:127.0.0.1.
// See: RFC 4632 (CIDR), RFC 4291 section 2.5.5.2 (IPv4-mapped addresses).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sockctl/error.hpp"
#include "sockctl/sockaddr.hpp"

namespace sockctl {

/// One address block. IPv4 blocks are stored as IPv4 (4 bytes, prefix <= 32).
struct Cidr {
  int family = 0;                     // AF_INET or AF_INET6
  std::array<uint8_t, 16> bytes{};    // network order; only the first 4 for AF_INET
  int prefix = 0;                     // bits that must match
  std::string text;                   // as typed, for messages

  /// True when the address (IPv4, IPv6, or IPv4-mapped IPv6) lies in the block.
  bool contains(SockAddr const& a) const;
};

/// "ADDR" or "ADDR/BITS", IPv4 or IPv6 (brackets allowed). Bad text exits 64.
/// An IPv4-mapped IPv6 block (::ffff:10.0.0.0/104) is stored as its IPv4 block.
Result<Cidr> parse_cidr(std::string_view text);

/// --allow and --deny: a peer is refused when a deny block holds it, or when
/// allow blocks exist and none holds it. Only IPv4/IPv6 peers are checked.
class AccessList {
 public:
  void allow(Cidr c) { allow_.push_back(std::move(c)); }
  void deny(Cidr c) { deny_.push_back(std::move(c)); }
  bool empty() const { return allow_.empty() && deny_.empty(); }
  /// True when the peer may connect.
  bool permits(SockAddr const& peer) const;

 private:
  std::vector<Cidr> allow_, deny_;
};

}  // namespace sockctl
