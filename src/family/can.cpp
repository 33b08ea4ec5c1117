// can.cpp: AF_CAN endpoints: "can:IFACE" (raw frames) and "can-bcm:IFACE"
// (broadcast manager), 'any' for every interface; "can-isotp:IFACE:TXID:RXID"
// (ISO 15765-2 transport) with ids in hex as can-utils writes them.
// See: Documentation/networking/can.rst, linux/can.h, linux/can/isotp.h.
#include <linux/can.h>
#include <sys/socket.h>

#include <cstddef>

#include <fmt/format.h>

#include "family/family.hpp"

namespace sockctl::family {

namespace {

// The kernel takes and returns only the part of sockaddr_can a protocol uses
// (CAN_REQUIRED_SIZE in linux/can/core.h): up to can_ifindex for raw and BCM,
// up to can_addr.tp for ISO-TP. Using the same lengths keeps the bytes we
// build identical to the ones getsockname and recvfrom give back.
constexpr socklen_t kCanLen = offsetof(sockaddr_can, can_ifindex) + sizeof(int);
constexpr socklen_t kIsotpLen = offsetof(sockaddr_can, can_addr.tp) + 2 * sizeof(canid_t);

void set_can_ifindex(SockAddr& a, unsigned ifindex) {
  if (a.family() == AF_CAN && a.size() >= kCanLen)
    reinterpret_cast<sockaddr_can*>(a.get())->can_ifindex = static_cast<int>(ifindex);
}

std::string can_interface(sockaddr_can const& sc) { return interface_or_any(static_cast<unsigned>(sc.can_ifindex)); }

Result<void> parse_can(std::string_view body, Endpoint& ep, ParseOptions const&) {
  TRY(parse_interface(body, ep));
  sockaddr_can sc{};
  sc.can_family = AF_CAN;
  ep.address = SockAddr(reinterpret_cast<sockaddr const*>(&sc), kCanLen);
  return {};
}

std::string format_can(SockAddr const& a, Scheme const& s, int) {
  auto const* sc = a.as<sockaddr_can>(AF_CAN, kCanLen);
  if (!sc) return format_unprintable(a, s.name);
  return fmt::format("{}:{}", s.name, can_interface(*sc));
}

void can_fields(SockAddr const& a, Json& j) {
  if (auto const* sc = a.as<sockaddr_can>(AF_CAN, kCanLen)) j["interface"] = can_interface(*sc);
}

// An id in the frame syntax's terms (SPEC: strict where can-utils is lax):
// exactly 8 hex digits is a 29-bit id (CAN_EFF_FLAG set); fewer is an 11-bit
// id, 0 to 7FF. isotpsend would take "800" and the kernel would keep only its
// low 11 bits (isotp_bind masks with CAN_SFF_MASK): a different id, silently.
Result<canid_t> parse_can_id(std::string_view s, std::string_view what, Endpoint const& ep) {
  if (s.empty()) return bad_endpoint(ep, fmt::format("missing {} id", what));
  auto n = s.size() <= 8 ? parse_number(s, 0xffffffffu, 16) : std::nullopt;
  if (!n) return bad_endpoint(ep, fmt::format("{} id '{}' is not 1 to 8 hex digits (e.g. 7e0 or 18da00f1)", what, s));
  if (s.size() == 8) {
    if (*n > CAN_EFF_MASK)
      return bad_endpoint(ep, fmt::format("{} id '{}' is above the 29-bit maximum 1FFFFFFF", what, s));
    return static_cast<canid_t>(*n) | CAN_EFF_FLAG;
  }
  if (*n > CAN_SFF_MASK)
    return bad_endpoint(ep, fmt::format("{} id '{}' is above the 11-bit maximum 7FF: a 29-bit id takes 8 digits ({:08x})",
                                        what, s, *n));
  return static_cast<canid_t>(*n);
}

// Prints what parse_can_id reads back; nullopt for an id with flags it cannot express.
std::optional<std::string> can_id_text(canid_t id) {
  if (id & CAN_EFF_FLAG) {
    if (id & ~(CAN_EFF_FLAG | CAN_EFF_MASK)) return std::nullopt;
    return fmt::format("{:08x}", id & CAN_EFF_MASK);
  }
  if (id > CAN_SFF_MASK) return std::nullopt;
  return fmt::format("{:03x}", id);
}

Result<void> parse_isotp(std::string_view body, Endpoint& ep, ParseOptions const&) {
  auto first = split_first(body, ':');
  auto second = first ? split_first(first->second, ':') : std::nullopt;
  if (!second) return bad_endpoint(ep, "expected IFACE:TXID:RXID");
  auto iface = first->first;
  // isotp_bind() refuses ifindex 0: a transport channel lives on one bus.
  if (iface == "any" || parse_number(iface, 0, 10))
    return bad_endpoint(ep, "ISO-TP needs one interface, not 'any'");
  TRY(parse_interface(iface, ep));
  sockaddr_can sc{};
  sc.can_family = AF_CAN;
  sc.can_addr.tp.tx_id = TRY(parse_can_id(second->first, "TX", ep));
  sc.can_addr.tp.rx_id = TRY(parse_can_id(second->second, "RX", ep));
  ep.address = SockAddr(reinterpret_cast<sockaddr const*>(&sc), kIsotpLen);
  return {};
}

std::string format_isotp(SockAddr const& a, Scheme const& s, int) {
  auto const* sc = a.as<sockaddr_can>(AF_CAN, kIsotpLen);
  if (!sc) return format_unprintable(a, s.name);
  auto tx = can_id_text(sc->can_addr.tp.tx_id);
  auto rx = can_id_text(sc->can_addr.tp.rx_id);
  if (!tx || !rx || sc->can_ifindex == 0) return format_unprintable(a, s.name);
  return fmt::format("{}:{}:{}:{}", s.name, can_interface(*sc), *tx, *rx);
}

void isotp_fields(SockAddr const& a, Json& j) {
  if (auto const* sc = a.as<sockaddr_can>(AF_CAN, kIsotpLen)) {
    j["interface"] = can_interface(*sc);
    j["tx_id"] = sc->can_addr.tp.tx_id;
    j["rx_id"] = sc->can_addr.tp.rx_id;
  }
}

}  // namespace

FamilyCodec const kCan{parse_can, format_can, can_fields, set_can_ifindex};
FamilyCodec const kIsotp{parse_isotp, format_isotp, isotp_fields, set_can_ifindex};

}  // namespace sockctl::family
