// packet.cpp: decode_packet(), the walk from the link layer down the chain of
// decoders, and the bookkeeping they share (layers, damage, names).
// See: https://www.tcpdump.org/linktypes.html, IANA protocol numbers.
#include <fmt/format.h>
#include <linux/if_arp.h>

#include "decode/chain.hpp"

namespace sockctl {

std::string link_name(Link link) {
  switch (link) {
    case Link::ethernet: return "EN10MB";
    case Link::raw: return "RAW";
    case Link::ipv4: return "IPV4";
    case Link::ipv6: return "IPV6";
    case Link::linux_sll: return "LINUX_SLL";
    case Link::linux_sll2: return "LINUX_SLL2";
    case Link::can: return "CAN_SOCKETCAN";
    case Link::netlink: return "NETLINK";
    case Link::bt_monitor: return "BLUETOOTH_LINUX_MONITOR";
    case Link::tipc: return "TIPC_EVENT";
  }
  return fmt::format("DLT_{}", static_cast<int>(link));
}

std::string Damage::message() const {
  if (what == "truncated") return fmt::format("{} truncated: {} of {} bytes", layer, got, want);
  if (want != 0) return fmt::format("{} {} {} (want {})", layer, what, got, want);
  if (got != 0) return fmt::format("{} {} {}", layer, what, got);
  return fmt::format("{} {}", layer, what);
}

std::uint32_t packet_ifindex(Packet const& p) {
  auto const* c = p.find<CookedHeader>();
  return c ? c->ifindex : 0;
}

namespace decode {

bool push(Packet& p, Layer layer) {
  if (p.count >= Packet::kMaxLayers) {
    damaged(p, "packet", "too many layers", p.count);
    return false;
  }
  p.layers[p.count++] = layer;
  return true;
}

Step damaged(Packet& p, std::string_view layer, std::string_view what, std::uint32_t got, std::uint32_t want) {
  if (!p.damage) p.damage = Damage{layer, what, got, want};
  return {};
}

std::string_view ethertype_name(std::uint16_t type) {
  switch (type) {
    case 0x0800: return "IPv4";
    case 0x0806: return "ARP";
    case 0x8035: return "Reverse ARP";
    case 0x8100: return "802.1Q";
    case 0x88a8: return "802.1Q-QinQ";
    case 0x9100: return "802.1Q-9100";
    case 0x86dd: return "IPv6";
    case 0x8847: return "MPLS unicast";
    case 0x8848: return "MPLS multicast";
    case 0x8863: return "PPPoE D";
    case 0x8864: return "PPPoE S";
    case 0x888e: return "EAPOL";
    case 0x88cc: return "LLDP";
    case 0x88f7: return "PTP";
    case 0x8906: return "FCoE";
    case 0x000c: return "CAN";
    case 0x000d: return "CAN FD";
    case 0x000e: return "CAN XL";
    default: return {};
  }
}

std::string_view ip_proto_name(std::uint8_t proto) {
  switch (proto) {
    case 0: return "hopopt";
    case 1: return "icmp";
    case 2: return "igmp";
    case 4: return "ipip";
    case 6: return "tcp";
    case 17: return "udp";
    case 41: return "ipv6";
    case 43: return "ipv6-route";
    case 44: return "ipv6-frag";
    case 47: return "gre";
    case 50: return "esp";
    case 51: return "ah";
    case 58: return "icmp6";
    case 59: return "ipv6-nonxt";
    case 60: return "ipv6-opts";
    case 89: return "ospf";
    case 103: return "pim";
    case 112: return "vrrp";
    case 132: return "sctp";
    case 136: return "udplite";
    default: return {};
  }
}

namespace {

Step next_after_ethertype(std::uint16_t type, Bytes b, std::uint32_t wire, Packet& p) {
  switch (type) {
    case 0x0800: return decode_ipv4(b, wire, p);
    case 0x86dd: return decode_ipv6(b, wire, p);
    case 0x0806: return decode_arp(b, wire, p);
    case 0x8100:
    case 0x88a8:
    case 0x9100: return decode_vlan(b, wire, type, p);
    // ETH_P_CAN, ETH_P_CANFD, ETH_P_CANXL: only a cooked header names these.
    case 0x000c:
    case 0x000d:
    case 0x000e: return decode_can(b, wire, p);
    default: return {};
  }
}

Step next_after_ip(std::uint8_t proto, Bytes b, std::uint32_t wire, Packet& p) {
  switch (proto) {
    case 6: return decode_tcp(b, wire, p);
    case 17: return decode_udp(b, wire, p);
    case 1: return decode_icmp(b, wire, false, p);
    case 58: return decode_icmp(b, wire, true, p);
    case 4: return decode_ipv4(b, wire, p);
    case 41: return decode_ipv6(b, wire, p);
    default: return {};
  }
}

Step decode_link(Link link, Bytes b, std::uint32_t wire, Packet& p) {
  switch (link) {
    case Link::ethernet: return decode_ethernet(b, wire, p);
    case Link::linux_sll: return decode_cooked(b, wire, 1, p);
    case Link::linux_sll2: return decode_cooked(b, wire, 2, p);
    case Link::ipv4: return decode_ipv4(b, wire, p);
    case Link::ipv6: return decode_ipv6(b, wire, p);
    case Link::raw:
      if (b.empty()) return truncated(p, "ip", 0, 1);
      if (b[0] >> 4 == 6) return decode_ipv6(b, wire, p);
      return decode_ipv4(b, wire, p);
    case Link::can: return decode_can(b, wire, p);
    case Link::netlink: return decode_netlink_record(b, wire, p);
    case Link::bt_monitor: return decode_hci(b, wire, p);
    case Link::tipc: return decode_tipc(b, wire, p);
  }
  return damaged(p, "link", "unsupported link type", static_cast<std::uint32_t>(link));
}

}  // namespace
}  // namespace decode

void decode_packet(Link link, Bytes data, std::uint32_t wire_len, Packet& p) {
  using namespace decode;
  p.link = link;
  p.data = data;
  p.len = wire_len;
  p.count = 0;
  p.damage = {};
  // A record claiming fewer bytes on the wire than it holds is lying about one
  // of the two; trust the bytes, which are what the decoders can see.
  std::uint32_t wire = wire_len < data.size() ? static_cast<std::uint32_t>(data.size()) : wire_len;
  std::size_t offset = 0;
  p.network_offset = 0;
  Step step = decode_link(link, data, wire, p);
  auto is_link_layer = [&p] {
    if (p.count == 0) return false;
    auto const& last = p.layers[p.count - 1];
    return std::holds_alternative<EthernetHeader>(last) || std::holds_alternative<VlanTag>(last) ||
           std::holds_alternative<CookedHeader>(last);
  };
  if (is_link_layer()) p.network_offset = static_cast<std::uint32_t>(step.header);
  // Soft damage (an IP length beyond the capture) does not stop the walk;
  // decoders end it by returning Next::none.
  while (step.next != Next::none) {
    offset += step.header;
    if (offset > data.size()) break;
    Bytes rest = data.subspan(offset);
    if (rest.size() > step.wire) rest = rest.first(step.wire);
    Step next;
    switch (step.next) {
      case Next::ethertype: next = next_after_ethertype(static_cast<std::uint16_t>(step.proto), rest, step.wire, p); break;
      case Next::ip_proto: next = next_after_ip(static_cast<std::uint8_t>(step.proto), rest, step.wire, p); break;
      case Next::netlink: next = decode_netlink(rest, step.wire, static_cast<std::uint16_t>(step.proto), p); break;
      case Next::none: break;
    }
    step = next;
    if (is_link_layer()) p.network_offset = static_cast<std::uint32_t>(offset + step.header);
  }
  offset += step.header;
  p.payload_offset = static_cast<std::uint32_t>(offset < data.size() ? offset : data.size());
}

}  // namespace sockctl
