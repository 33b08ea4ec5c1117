// names.hpp: the kernel's constants by name and back: address families, socket
// types, protocols, and the big table behind `inet const` and -O.
// Names are the C names (SO_REUSEADDR); families and types print lower-case
// without prefix ("inet6", "stream") as Python's enums do.
// See: socket(7), ip(7), ipv6(7), tcp(7), packet(7), netlink(7), can.rst, tipc.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sockctl {

/// "inet6" for AF_INET6; the number as text for an unknown family.
std::string family_name(int family);
/// AF_* from "inet6", "AF_INET6" or a number.
std::optional<int> family_from_name(std::string_view name);
/// "stream" for SOCK_STREAM; the number as text when unknown.
std::string type_name(int type);
/// SOCK_* from "stream", "SOCK_STREAM" or a number.
std::optional<int> type_from_name(std::string_view name);
/// A protocol's name in its family, lower-case without prefix: "tcp" for
/// (AF_INET6, 6), "raw" for (AF_CAN, 1), "route" for (AF_NETLINK, 0); "" when unknown
/// (and for AF_UNSPEC, whose protocols mean nothing until a family is chosen).
std::string protocol_name(int family, int protocol);

/// What kind of thing a constant is; printed as the "group" of `inet const`.
enum class Group : uint8_t {
  family,           // AF_*, PF_*
  socket_type,      // SOCK_*
  level,            // SOL_*: the level argument of setsockopt
  protocol,         // IPPROTO_*, CAN_RAW, NETLINK_ROUTE: socket(2)'s protocol
  option,           // a socket option: has a level and a value form
  option_value,     // a value an option takes (IP_PMTUDISC_DO, TIPC_HIGH_IMPORTANCE)
  message_flag,     // MSG_*
  control_message,  // SCM_*, and cmsg types such as ALG_SET_IV
  shutdown,         // SHUT_*
  addrinfo_flag,    // AI_*
  nameinfo_flag,    // NI_*
  addrinfo_error,   // EAI_*
  address,          // INADDR_*, VMADDR_*, TIPC address types
  limit,            // sizes and maxima (NI_MAXHOST, SOMAXCONN)
  other,
};

/// How -O NAME=VALUE writes a socket option's value (setsockopt's optval).
enum class OptValue : uint8_t {
  none,             // not an option
  int_,             // a C int: decimal, 0xHEX, negative, or a constant's name
  bool_,            // an int switch: 0/1, on/off, yes/no, true/false, or any integer
  u64,              // a 64-bit unsigned integer (SO_VM_SOCKETS_BUFFER_SIZE)
  bytes,            // x:HEX only: a C struct the table does not spell out
  text,             // the characters as given, no NUL (TCP_CONGESTION=bbr)
  ifname,           // an interface name, checked for length (SO_BINDTODEVICE)
  ifindex,          // an interface name or index, as an int (IPV6_MULTICAST_IF)
  ifindex_be,       // the same in network byte order (IP_UNICAST_IF)
  linger,           // ON,SECS: struct linger
  timeval,          // SECS with an optional fraction: struct timeval
  ip_mreqn,         // GROUP[,IFADDR|IFACE]: struct ip_mreqn
  ip_mreq_source,   // GROUP,SOURCE[,IFADDR]: struct ip_mreq_source
  ip_multicast_if,  // IFADDR|IFACE: struct ip_mreqn without a group
  ipv6_mreq,        // GROUP[,IFACE]: struct ipv6_mreq
  packet_mreq,      // IFACE,promisc|allmulti|multicast|unicast[,MAC]: struct packet_mreq
  can_filter,       // ID:MASK or ID~MASK, comma-separated: struct can_filter[]
  optlen,           // no value, only a length: setsockopt(fd, l, n, NULL, LEN)
  flag,             // no value at all: setsockopt(fd, l, n, NULL, 0)
  readonly,         // getsockopt only (SO_TYPE, TCP_INFO)
};

/// One named constant of the socket API.
struct Constant {
  std::string_view name;  // "SO_REUSEADDR", exactly as in C
  int64_t value;          // INADDR_* and flags reach 2^32-1, EAI_* are negative
  Group group;
  int level = 0;                    // options only: setsockopt's level (SOL_SOCKET)
  OptValue kind = OptValue::none;   // options only: how the value is written
};

/// Every constant, in table order (grouped by family of names).
std::span<Constant const> constants();
/// The constant with this name, compared case-insensitively; nullptr if none.
Constant const* find_constant(std::string_view name);
/// The option at (level, number), for LEVEL:NAME given as numbers; nullptr if none.
Constant const* find_option(int level, int number);
/// Every constant with this value whose name starts with prefix (case-insensitive).
std::vector<Constant const*> constants_with_value(int64_t value, std::string_view prefix = {});
/// Every constant whose name starts with prefix (case-insensitive); all for "".
std::vector<Constant const*> constants_with_prefix(std::string_view prefix);
/// The closest names to a misspelt one ("SO_REUSEADR", "reuseaddr"), best
/// first, at most three; only options when options_only. Empty when none is close.
std::vector<std::string_view> suggest_constants(std::string_view wrong, bool options_only = false);

/// "option", "family", ...: the group as printed and in JSON.
std::string_view group_name(Group g);
/// "int", "bool", "linger", ...: the value form as printed and in JSON.
std::string_view value_kind_name(OptValue k);
/// The value's syntax for help and errors: "ON,SECS", "GROUP[,IFADDR|IFACE]".
std::string_view value_syntax(OptValue k);
/// "SOL_SOCKET" for 1, "SOL_TCP" for 6; the number as text when unknown.
std::string level_name(int level);

}  // namespace sockctl
