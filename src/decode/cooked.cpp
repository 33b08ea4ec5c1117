// cooked.cpp: Linux cooked capture headers, v1 (LINKTYPE_LINUX_SLL, 16 bytes)
// and v2 (LINKTYPE_LINUX_SLL2, 20 bytes with the interface index): what
// `-i any` and interfaces without an Ethernet header capture.
// See: https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html, packet(7).
#include <linux/if_arp.h>
#include <linux/if_packet.h>

#include "decode/chain.hpp"

namespace sockctl::decode {

Step decode_cooked(Bytes b, std::uint32_t wire, int version, Packet& p) {
  Reader r(b);
  std::size_t const size = version == 2 ? 20 : 16;
  if (!r.has(0, size)) return truncated(p, version == 2 ? "sll2" : "sll", b.size(), size);
  CookedHeader c;
  c.version = static_cast<std::uint8_t>(version);
  if (version == 2) {
    c.proto = r.be16(0);
    c.ifindex = r.be32(4);
    c.hatype = r.be16(8);
    c.pkttype = r.u8(10);
    c.halen = r.u8(11);
    r.copy(12, c.addr.data(), 8);
  } else {
    c.pkttype = static_cast<std::uint8_t>(r.be16(0));
    c.hatype = r.be16(2);
    c.halen = static_cast<std::uint8_t>(r.be16(4) > 8 ? 8 : r.be16(4));
    r.copy(6, c.addr.data(), 8);
    c.proto = r.be16(14);
  }
  if (c.halen > 8) c.halen = 8;
  if (!push(p, c)) return {};
  std::uint32_t rest = wire - static_cast<std::uint32_t>(size);
  // nlmon interfaces carry netlink messages; the protocol field is then the
  // netlink family (NETLINK_ROUTE is 0), not an ethertype.
  if (c.hatype == ARPHRD_NETLINK) return {Next::netlink, c.proto, size, rest};
  return {Next::ethertype, c.proto, size, rest};
}

namespace {
std::string_view pkttype_name(std::uint8_t t) {
  switch (t) {
    case PACKET_HOST: return "host";
    case PACKET_BROADCAST: return "broadcast";
    case PACKET_MULTICAST: return "multicast";
    case PACKET_OTHERHOST: return "otherhost";
    case PACKET_OUTGOING: return "outgoing";
    default: return {};
  }
}
}  // namespace

void json_cooked(std::string& out, CookedHeader const& c) {
  JsonObject o(out, "sll");
  if (c.version == 2) o.num("ifindex", c.ifindex);
  o.num("proto", c.proto);
  if (auto name = pkttype_name(c.pkttype); !name.empty())
    o.plain("pkttype", name);
  else
    o.num("pkttype", c.pkttype);
  o.num("hatype", c.hatype).mac("addr", c.addr.data(), c.halen);
}

}  // namespace sockctl::decode
