// ethernet.cpp: Ethernet II / 802.3 headers and 802.1Q/802.1ad VLAN tags.
// See: IEEE 802.3 clause 3, IEEE 802.1Q clause 9.
#include "decode/chain.hpp"

namespace sockctl::decode {

Step decode_ethernet(Bytes b, std::uint32_t wire, Packet& p) {
  Reader r(b);
  if (!r.has(0, 14)) return truncated(p, "eth", b.size(), 14);
  EthernetHeader e;
  r.copy(0, e.dst.data(), 6);
  r.copy(6, e.src.data(), 6);
  e.type = r.be16(12);
  if (!push(p, e)) return {};
  // Below 0x600 the field is an 802.3 length and an LLC header follows,
  // which is left undecoded.
  if (e.type < 0x600) return {Next::none, 0, 14, wire - 14};
  return {Next::ethertype, e.type, 14, wire - 14};
}

Step decode_vlan(Bytes b, std::uint32_t wire, std::uint16_t tpid, Packet& p) {
  Reader r(b);
  if (!r.has(0, 4)) return truncated(p, "vlan", b.size(), 4);
  VlanTag v;
  v.tpid = tpid;
  std::uint16_t tci = r.be16(0);
  v.prio = static_cast<std::uint8_t>(tci >> 13);
  v.dei = (tci & 0x1000) != 0;
  v.vlan = tci & 0x0fff;
  v.type = r.be16(2);
  if (!push(p, v)) return {};
  if (v.type < 0x600) return {Next::none, 0, 4, wire - 4};
  return {Next::ethertype, v.type, 4, wire - 4};
}

void json_ethernet(std::string& out, EthernetHeader const& e) {
  JsonObject o(out, "eth");
  o.mac("src", e.src.data()).mac("dst", e.dst.data()).num("type", e.type);
}

void json_vlan(std::string& out, VlanTag const& v) {
  JsonObject o(out, {});
  o.num("prio", v.prio).boolean("dei", v.dei).num("vlan", v.vlan).num("type", v.type).num("tpid", v.tpid);
}

}  // namespace sockctl::decode
