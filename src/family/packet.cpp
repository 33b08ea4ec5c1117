// packet.cpp: AF_PACKET endpoints, "packet:IFACE[:ETHERTYPE]" (whole frames)
// and "packet-dgram:..." (link header removed): an interface or 'any', and
// the EtherType to receive, by name or number, every frame by default.
// See: packet(7), linux/if_packet.h, linux/if_ether.h.
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>

#include <fmt/format.h>

#include "family/family.hpp"

namespace sockctl::family {

namespace {

constexpr std::pair<uint16_t, std::string_view> kEtherTypes[] = {
    {ETH_P_ALL, "all"},
    {ETH_P_802_3, "802-3"},
    {ETH_P_802_2, "802-2"},
    {ETH_P_CAN, "can"},
    {ETH_P_CANFD, "canfd"},
    {ETH_P_CANXL, "canxl"},
    {ETH_P_DSA, "dsa"},
    {ETH_P_LOOP, "loop"},
    {ETH_P_IEEE802154, "ieee802154"},
    {ETH_P_MCTP, "mctp"},
    {ETH_P_IP, "ip"},
    {ETH_P_X25, "x25"},
    {ETH_P_ARP, "arp"},
    {ETH_P_BATMAN, "batman"},
    {ETH_P_TEB, "teb"},
    {ETH_P_RARP, "rarp"},
    {ETH_P_8021Q, "8021q"},
    {ETH_P_IPX, "ipx"},
    {ETH_P_IPV6, "ipv6"},
    {ETH_P_SLOW, "slow"},
    {ETH_P_MPLS_UC, "mpls"},
    {ETH_P_MPLS_MC, "mpls-mc"},
    {ETH_P_PPP_DISC, "pppoe-disc"},
    {ETH_P_PPP_SES, "pppoe"},
    {ETH_P_PAE, "eapol"},
    {ETH_P_PROFINET, "profinet"},
    {ETH_P_AOE, "aoe"},
    {ETH_P_8021AD, "8021ad"},
    {ETH_P_ERSPAN, "erspan"},
    {ETH_P_TIPC, "tipc"},
    {ETH_P_LLDP, "lldp"},
    {ETH_P_MACSEC, "macsec"},
    {ETH_P_8021AH, "8021ah"},
    {ETH_P_1588, "ptp"},
    {ETH_P_NCSI, "ncsi"},
    {ETH_P_PRP, "prp"},
    {ETH_P_FCOE, "fcoe"},
    {ETH_P_HSR, "hsr"},
};

std::string ethertype_text(uint16_t type) {
  for (auto const& [value, name] : kEtherTypes)
    if (value == type) return std::string(name);
  return fmt::format("{:#06x}", type);
}

Result<uint16_t> parse_ethertype(std::string_view s, Endpoint const& ep) {
  if (s.empty()) return bad_endpoint(ep, "missing EtherType after ':' (a name such as ip, arp, all, or 0xNNNN)");
  std::string name(s);
  for (auto& c : name)
    if (c == '_') c = '-';
  for (auto const& [value, text] : kEtherTypes)
    if (name == text) return value;
  if (auto n = parse_number(s, 0xffff)) return static_cast<uint16_t>(*n);
  if (s[0] >= '0' && s[0] <= '9') return bad_endpoint(ep, fmt::format("EtherType '{}' is not a number up to 0xffff", s));
  return bad_endpoint(ep, fmt::format("unknown EtherType '{}' (names: ip, ipv6, arp, 8021q, lldp, can, all, ...; or "
                                      "0xNNNN)",
                                      s));
}

Result<void> parse_packet(std::string_view body, Endpoint& ep, ParseOptions const&) {
  std::string_view iface = body;
  uint16_t ethertype = ETH_P_ALL;
  if (auto parts = split_first(body, ':')) {
    iface = parts->first;
    ethertype = TRY(parse_ethertype(parts->second, ep));
  }
  TRY(parse_interface(iface, ep));
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  // Both socket(2) and the sockaddr take the protocol in network byte order.
  sll.sll_protocol = htons(ethertype);
  ep.protocol = htons(ethertype);
  ep.address = SockAddr::of(sll);
  return {};
}

void set_packet_ifindex(SockAddr& a, unsigned ifindex) {
  if (a.family() == AF_PACKET && a.size() >= sizeof(sockaddr_ll))
    reinterpret_cast<sockaddr_ll*>(a.get())->sll_ifindex = static_cast<int>(ifindex);
}

// A received frame's address also names the sender's hardware address, its
// type and the packet type; the grammar has no place for them (they are
// ignored when sending), so the text leaves them out and the fields show them.
std::string format_packet(SockAddr const& a, Scheme const& s, int) {
  auto const* sll = a.as<sockaddr_ll>(AF_PACKET);
  if (!sll) return format_unprintable(a, s.name);
  auto out = fmt::format("{}:{}", s.name, interface_or_any(static_cast<unsigned>(sll->sll_ifindex)));
  if (uint16_t type = ntohs(sll->sll_protocol); type != ETH_P_ALL) out += ":" + ethertype_text(type);
  return out;
}

void packet_fields(SockAddr const& a, Json& j) {
  if (auto const* sll = a.as<sockaddr_ll>(AF_PACKET)) {
    j["interface"] = interface_or_any(static_cast<unsigned>(sll->sll_ifindex));
    j["proto"] = ntohs(sll->sll_protocol);
    j["pkttype"] = sll->sll_pkttype;
    j["hatype"] = sll->sll_hatype;
    std::string addr;
    for (unsigned i = 0; i < sll->sll_halen && i < sizeof sll->sll_addr; ++i)
      addr += fmt::format("{}{:02x}", i ? ":" : "", sll->sll_addr[i]);
    j["addr"] = addr;
  }
}

}  // namespace

FamilyCodec const kPacket{parse_packet, format_packet, packet_fields, set_packet_ifindex};

}  // namespace sockctl::family
