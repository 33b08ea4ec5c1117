// family.hpp: the codec interface each address family implements, and the
// parsing helpers they share. Internal to the engine (src/ only).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sockctl/endpoint.hpp"

namespace sockctl::family {

/// How one family reads a scheme's body and writes a sockaddr back.
struct FamilyCodec {
  /// Fills ep (address, host/service, interface, ...) from the body after "SCHEME:".
  Result<void> (*parse)(std::string_view body, Endpoint& ep, ParseOptions const& opts);
  /// The whole endpoint text for a sockaddr of this family: "SCHEME:BODY".
  /// protocol is the socket's (netlink needs it: its sockaddr lacks it).
  std::string (*format)(SockAddr const& a, Scheme const& s, int protocol);
  /// Python-style fields of the sockaddr ("host", "port", ...), added to j.
  void (*fields)(SockAddr const& a, Json& j);
  /// Stores a resolved interface index into the sockaddr; null when the family has none.
  void (*set_ifindex)(SockAddr& a, unsigned ifindex);
};

FamilyCodec const& codec_for(Codec c);

/// The parse error every codec returns: exit 64, "bad endpoint 'TEXT': WHY".
Error bad_endpoint(Endpoint const& ep, std::string why);

/// A decimal or 0x-hex unsigned number in [0, max], whole string, no sign.
std::optional<uint64_t> parse_number(std::string_view s, uint64_t max, int base = 0);

/// An interface name for display: if_indextoname, or the number when unknown.
std::string interface_name(unsigned ifindex);
/// interface_name(), but "any" for index 0 (can:, packet: bind to every interface).
std::string interface_or_any(unsigned ifindex);
/// Checks an interface name as the kernel's dev_valid_name() does (numbers and
/// "any" pass) and stores it in ep.interface for resolve_endpoint().
Result<void> parse_interface(std::string_view name, Endpoint& ep);

/// "SCHEME:<sockaddr HEX>": what a codec prints for bytes its grammar cannot
/// express (a short sockaddr, an unknown address type). Never parses back.
std::string format_unprintable(SockAddr const& a, std::string_view scheme);

/// Splits "A:B" at the first or last ':'; nullopt when there is none.
std::optional<std::pair<std::string_view, std::string_view>> split_first(std::string_view s, char c);
std::optional<std::pair<std::string_view, std::string_view>> split_last(std::string_view s, char c);

/// Checks a host name's form before any resolver sees it: at most 253
/// characters, labels of 1 to 63, letters, digits, '-', '_' or UTF-8 bytes; a
/// trailing dot is allowed. On failure *why says what is wrong (no value in it).
/// Shared by the endpoint parser and the resolve engine.
bool valid_hostname(std::string_view h, std::string& why);

/// Parses "HOST:PORT" / "[V6%ZONE]:PORT" / ":PORT" / "<broadcast>:PORT" into
/// ep.host, ep.zone, ep.service and, when both are numeric, ep.address. The
/// family comes from ep.family (AF_UNSPEC: either). Shared by inet, ip and rds.
Result<void> parse_host_port(std::string_view body, Endpoint& ep, ParseOptions const& opts);
/// Writes an IPv4/IPv6 sockaddr as "HOST:PORT" / "[V6%ZONE]:PORT" (no scheme).
std::string format_host_port(SockAddr const& a);
/// Python's fields for AF_INET/AF_INET6: host, port (+ flowinfo, scope_id).
void inet_fields(SockAddr const& a, Json& j);

extern FamilyCodec const kInet;
extern FamilyCodec const kIpRaw;
extern FamilyCodec const kUnix;
extern FamilyCodec const kVsock;
extern FamilyCodec const kTipc;
extern FamilyCodec const kCan;
extern FamilyCodec const kIsotp;
extern FamilyCodec const kL2cap;
extern FamilyCodec const kRfcomm;
extern FamilyCodec const kSco;
extern FamilyCodec const kHci;
extern FamilyCodec const kAlg;
extern FamilyCodec const kNetlink;
extern FamilyCodec const kPacket;
extern FamilyCodec const kRds;
extern FamilyCodec const kFd;
extern FamilyCodec const kSystemd;

}  // namespace sockctl::family
