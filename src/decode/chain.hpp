// chain.hpp: how the per-layer decoders hand over to each other, and the
// per-layer renderers the line and JSON assemblers call. Internal to src/decode/.
//
// A decoder reads its header at the start of the bytes it is given, appends
// its layer to the Packet and says what follows (an ethertype, an IP protocol,
// or nothing) and how many bytes it used; decode_packet() walks that chain.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "decode/bytes.hpp"
#include "sockctl/decode.hpp"

namespace sockctl::decode {

enum class Next : std::uint8_t { none, ethertype, ip_proto, netlink };

/// A decoder's answer: what follows its header and how long that is.
struct Step {
  Next next = Next::none;
  std::uint32_t proto = 0;   // the ethertype or IP protocol number
  std::size_t header = 0;    // bytes this layer used
  std::uint32_t wire = 0;    // bytes on the wire after this layer (IP trims link padding)
};

/// Appends a layer; false (and damage) when the packet already holds the most.
bool push(Packet& p, Layer layer);
/// Records damage (the first one wins) and returns a Step that ends the chain.
Step damaged(Packet& p, std::string_view layer, std::string_view what, std::uint32_t got = 0,
             std::uint32_t want = 0);
/// Records "LAYER truncated: GOT of WANT bytes".
inline Step truncated(Packet& p, std::string_view layer, std::size_t got, std::size_t want) {
  return damaged(p, layer, "truncated", static_cast<std::uint32_t>(got), static_cast<std::uint32_t>(want));
}

// --- decoders: each reads one layer at the start of b ---------------------------
// wire is the length on the wire from the start of b (b may be shorter: snaplen).

Step decode_ethernet(Bytes b, std::uint32_t wire, Packet& p);
Step decode_vlan(Bytes b, std::uint32_t wire, std::uint16_t tpid, Packet& p);
Step decode_cooked(Bytes b, std::uint32_t wire, int version, Packet& p);
Step decode_arp(Bytes b, std::uint32_t wire, Packet& p);
Step decode_ipv4(Bytes b, std::uint32_t wire, Packet& p);
Step decode_ipv6(Bytes b, std::uint32_t wire, Packet& p);
Step decode_tcp(Bytes b, std::uint32_t wire, Packet& p);
Step decode_udp(Bytes b, std::uint32_t wire, Packet& p);
Step decode_icmp(Bytes b, std::uint32_t wire, bool v6, Packet& p);
Step decode_can(Bytes b, std::uint32_t wire, Packet& p);
Step decode_hci(Bytes b, std::uint32_t wire, Packet& p);
/// A netlink record: the 16-byte cooked header of LINKTYPE_NETLINK, then messages.
Step decode_netlink_record(Bytes b, std::uint32_t wire, Packet& p);
/// Netlink messages of the given protocol (after a cooked header of any version).
Step decode_netlink(Bytes b, std::uint32_t wire, std::uint16_t protocol, Packet& p);
Step decode_tipc(Bytes b, std::uint32_t wire, Packet& p);

/// Parses a CAN frame; the reason it is damaged, or empty. Shared by
/// decode_can() and decode_can_frame().
std::string_view parse_can(Bytes b, CanIdOrder order, CanFrame& f, std::uint32_t& want);

// --- names shared by the renderers -----------------------------------------------

/// tcpdump's ethertype names: "IPv4", "ARP", "802.1Q"; empty when unknown.
std::string_view ethertype_name(std::uint16_t type);
/// "tcp", "udp", "icmp", ...; empty when unknown.
std::string_view ip_proto_name(std::uint8_t proto);

// --- per-layer renderers ------------------------------------------------------------

/// The enclosing IP header, for transport renderers (ports, relative seq).
struct IpContext {
  IpAddr const* src = nullptr;
  IpAddr const* dst = nullptr;
  bool v6 = false;
};

void human_arp(std::string& out, ArpPacket const& a);
void human_tcp(std::string& out, TcpHeader const& t, IpContext ip, LineOptions const& opt,
               TcpSeqTracker* seqs);
void human_udp(std::string& out, UdpHeader const& u);
void human_icmp(std::string& out, IcmpMessage const& m);
void human_hci(std::string& out, HciRecord const& h);
void human_netlink(std::string& out, NetlinkMessage const& m);
void human_tipc(std::string& out, TipcEvent const& e);

void json_ethernet(std::string& out, EthernetHeader const& e);
void json_vlan(std::string& out, VlanTag const& v);
void json_cooked(std::string& out, CookedHeader const& c);
void json_arp(std::string& out, ArpPacket const& a);
void json_ipv4(std::string& out, Ipv4Header const& h, std::string_view key);
void json_ipv6(std::string& out, Ipv6Header const& h, std::string_view key);
void json_tcp(std::string& out, TcpHeader const& t);
void json_udp(std::string& out, UdpHeader const& u);
void json_icmp(std::string& out, IcmpMessage const& m);
void json_hci(std::string& out, HciRecord const& h);
void json_netlink(std::string& out, NetlinkMessage const& m);
void json_tipc(std::string& out, TipcEvent const& e);

}  // namespace sockctl::decode
