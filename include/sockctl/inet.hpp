// inet.hpp: the helpers behind `sockctl inet`: address conversions, byte
// order, ancillary-data sizes and network interfaces, with the same results
// and the same refusals as Python's socket module (inet_aton, inet_pton,
// htonl, CMSG_LEN, if_nameindex, ...). Inputs are the user's text, so every
// error names it. See: inet(3), inet_pton(3), byteorder(3), cmsg(3),
// if_nameindex(3), getifaddrs(3), netdevice(7).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sockctl/error.hpp"
#include "sockctl/hex.hpp"

namespace sockctl::inet {

/// A whole-string integer: decimal or 0x hex, with an optional '-' (signed only).
std::optional<int64_t> parse_signed(std::string_view text);
std::optional<uint64_t> parse_unsigned(std::string_view text);

/// inet_aton(3): the classic forms too ("127.1", "0x7f.1", "0177.0.0.1"), as
/// Python's socket.inet_aton. Four bytes; refusals exit 64.
Result<Bytes> aton(std::string_view text);
/// inet_ntoa(3) of exactly four bytes; another length exits 65.
Result<std::string> ntoa(std::span<std::byte const> packed);

/// AF_INET or AF_INET6 from "inet", "inet6", "AF_INET6", "2" or "10"; any other exits 64.
Result<int> address_family(std::string_view text);
/// inet_pton(3): strict dotted quad or IPv6 text; refusals exit 64.
Result<Bytes> pton(int family, std::string_view text);
/// inet_ntop(3) of exactly 4 (AF_INET) or 16 (AF_INET6) bytes; another length exits 65.
Result<std::string> ntop(int family, std::span<std::byte const> packed);

/// Which of the four byte-order functions.
enum class Order { htonl, htons, ntohl, ntohs };
/// The function applied to a number given as text. Negative or too wide
/// numbers are refused (exit 64), as Python's OverflowError.
Result<uint32_t> byte_order(Order which, std::string_view text);

/// CMSG_LEN(n) and CMSG_SPACE(n) with Python's bounds: the result must fit a
/// socklen_t capped at INT_MAX; beyond that, or negative, exits 64.
Result<uint64_t> cmsg_len(std::string_view text);
Result<uint64_t> cmsg_space(std::string_view text);

/// if_nametoindex(3): an unknown interface exits 69.
Result<unsigned> ifindex(std::string_view name);
/// if_indextoname(3) of an index given as text: not a number exits 64, unknown 69.
Result<std::string> ifname(std::string_view index);

/// One address of an interface, from getifaddrs(3).
struct IfAddress {
  int family = 0;           // AF_INET or AF_INET6
  std::string address;      // inet_ntop text, no zone
  int prefixlen = 0;        // from the netmask
  std::string broadcast;    // IPv4 broadcast address, or ""
};

/// One network interface: if_nameindex(3) plus what getifaddrs(3) and
/// SIOCGIFMTU tell cheaply.
struct Interface {
  unsigned index = 0;
  std::string name;
  unsigned flags = 0;               // IFF_*
  std::optional<int> mtu;
  std::string mac;                  // "aa:bb:cc:dd:ee:ff", or "" without a link-layer address
  std::vector<IfAddress> addresses;
};

/// Every interface, in index order.
Result<std::vector<Interface>> interfaces();
/// "up", "broadcast", "loopback", "running", "multicast", "lower_up", ...
std::vector<std::string> interface_flags(unsigned flags);

}  // namespace sockctl::inet
