// endpoint.hpp: the one endpoint grammar, "SCHEME:BODY", for every family.
//
// Parsing is pure (no DNS, no syscalls) so every family is unit-tested on any
// kernel. Names that need the system (host names, service names, interface
// names) are left in the Endpoint and turned into sockaddrs by
// resolve_endpoint(). Printing is parsing's inverse: format_endpoint() of any
// sockaddr the kernel returns gives text that parses back to the same bytes.
// See: SPEC.md "Endpoints", socket(7), and each family's man page.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sockctl/error.hpp"
#include "sockctl/json.hpp"
#include "sockctl/sockaddr.hpp"

namespace sockctl {

/// Which family codec parses and prints a scheme's body.
enum class Codec {
  inet,      // tcp udp sctp mptcp: HOST:PORT
  ip_raw,    // ip ip4 ip6: HOST:PROTO
  unix_,     // unix unix-dgram unix-seqpacket: PATH or @NAME
  vsock,     // CID:PORT
  tipc,      // TYPE:INSTANCE, TYPE:LOWER-UPPER, id:NODE:REF, @scope
  can,       // can can-bcm: IFACE
  isotp,     // can-isotp: IFACE:TXID:RXID
  l2cap,     // BDADDR:PSM
  rfcomm,    // BDADDR:CHANNEL
  sco,       // BDADDR
  hci,       // DEV[:raw|user|monitor|control]
  alg,       // TYPE:NAME
  netlink,   // PROTO[:GROUPS]
  packet,    // IFACE[:ETHERTYPE]
  rds,       // HOST:PORT (IPv4 numeric or name)
  fd,        // N
  systemd,   // [NAME]
};

/// One row of the scheme table: how a scheme maps onto socket(2)'s arguments.
struct Scheme {
  std::string_view name;     // "tcp6"
  int family;                // AF_INET6; AF_UNSPEC where resolution decides (tcp, udp, ...)
  int type;                  // SOCK_STREAM
  int protocol;              // IPPROTO_TCP; 0 where the body decides (ip:, netlink:, packet:)
  Codec codec;
  std::string_view body;     // grammar shown in help and the man page: "HOST:PORT"
  std::string_view example;  // "tcp:[::1]:8080"
};

/// The scheme table, sorted by name.
std::span<Scheme const> schemes();
/// The row for a scheme name, or nullptr.
Scheme const* find_scheme(std::string_view name);
/// The scheme that best describes a socket the kernel hands us (accept, fd:N,
/// SCM_RIGHTS): matched on family, type and protocol; nullptr if none fits.
Scheme const* scheme_for(int family, int type, int protocol);

/// An endpoint as parsed.
struct Endpoint {
  Scheme const* scheme = nullptr;
  std::string text;              // as typed, for error messages
  int family = 0;                // effective socket(2) triple; family may stay
  int type = 0;                  // AF_UNSPEC until a host name is resolved
  int protocol = 0;

  // Families addressed by name: inet, ip_raw, rds.
  std::string host;              // without brackets or zone; empty = any
  std::string zone;              // IPv6 zone after '%', as typed (name or number)
  std::string service;           // port number or service name ("http")
  std::optional<uint16_t> port_last;  // "20-25": last port of a range (connect -z)
  bool broadcast = false;        // "<broadcast>"

  // Families whose address needs an interface index: can, isotp, packet, and
  // inet zones. Resolved by resolve_endpoint(); "" or "any" means index 0.
  std::string interface;

  /// The sockaddr, when it is known without resolution (numeric hosts, unix,
  /// vsock, tipc, bluetooth, alg, netlink, and interface families with index 0
  /// filled in until resolution).
  std::optional<SockAddr> address;

  int fd = -1;                   // fd:N
  std::string name;              // systemd:NAME
};

struct ParseOptions {
  bool allow_port_range = false;  // "tcp:host:20-25", for connect -z
  Scheme const* default_scheme = nullptr;  // for bare "HOST:PORT" (tcp when null)
};

/// Parses "SCHEME:BODY" (or a bare "HOST:PORT"). Errors exit 64 and name the text.
Result<Endpoint> parse_endpoint(std::string_view text, ParseOptions opts = {});

/// How resolve_endpoint() treats host names.
struct ResolveOptions {
  bool passive = false;       // AI_PASSIVE: an empty host means the wildcard
  int family = 0;             // restrict to AF_INET/AF_INET6 (0 = the scheme's)
};

/// Every sockaddr the endpoint names: getaddrinfo for host and service names,
/// if_nametoindex for interfaces. Unknown names exit 68, missing interfaces 69.
Result<std::vector<SockAddr>> resolve_endpoint(Endpoint const& ep, ResolveOptions opts = {});

/// A sockaddr in the endpoint grammar, under the given scheme: "tcp:[::1]:80".
/// A sockaddr the scheme cannot show (another family) prints under its own
/// family's scheme; one no scheme can show prints as "FAMILY:<sockaddr HEX>".
std::string format_endpoint(SockAddr const& a, Scheme const& s);
/// The same for a socket whose protocol the scheme row does not fix: netlink's
/// sockaddr does not carry the protocol, so pass the socket's (Socket::protocol()).
std::string format_endpoint(SockAddr const& a, Scheme const& s, int protocol);

/// Python-style fields of a sockaddr ("host", "port", "flowinfo", "scope_id";
/// "path"; "pid", "groups"; ...) plus "endpoint". Keys are in the man page.
Json address_json(SockAddr const& a, Scheme const& s);
Json address_json(SockAddr const& a, Scheme const& s, int protocol);

/// The scheme names closest to a misspelt one, for "did you mean".
std::string suggest_scheme(std::string_view wrong);

}  // namespace sockctl
