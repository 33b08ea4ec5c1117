// arp.cpp: ARP requests and replies (Ethernet/IPv4 addresses decoded, others
// summarised by their types).  See: RFC 826.
#include "decode/chain.hpp"

namespace sockctl::decode {

Step decode_arp(Bytes b, std::uint32_t wire, Packet& p) {
  Reader r(b);
  if (!r.has(0, 8)) return truncated(p, "arp", b.size(), 8);
  ArpPacket a;
  a.hwtype = r.be16(0);
  a.ptype = r.be16(2);
  a.hwlen = r.u8(4);
  a.plen = r.u8(5);
  a.op = r.be16(6);
  a.len = wire;
  std::size_t const need = 8 + 2 * (std::size_t{a.hwlen} + a.plen);
  if (!r.has(0, need)) return truncated(p, "arp", b.size(), need);
  a.ether_ipv4 = a.ptype == 0x0800 && a.hwlen == 6 && a.plen == 4;
  if (a.ether_ipv4) {
    r.copy(8, a.hwsrc.data(), 6);
    r.copy(14, a.psrc.data(), 4);
    r.copy(18, a.hwdst.data(), 6);
    r.copy(24, a.pdst.data(), 4);
  }
  push(p, a);
  return {Next::none, 0, need, wire - static_cast<std::uint32_t>(need)};
}

void human_arp(std::string& out, ArpPacket const& a) {
  if (!a.ether_ipv4) {
    out += "hardware type ";
    append_uint(out, a.hwtype);
    out += ", protocol 0x";
    append_hex_number(out, a.ptype, 4);
    out += ", op ";
    append_uint(out, a.op);
  } else if (a.op == 1) {
    out += "Request who-has ";
    append_ipv4(out, a.pdst.data());
    if (a.hwdst != MacAddr{}) {
      out += " (";
      append_mac(out, a.hwdst.data());
      out += ')';
    }
    out += " tell ";
    append_ipv4(out, a.psrc.data());
  } else if (a.op == 2) {
    out += "Reply ";
    append_ipv4(out, a.psrc.data());
    out += " is-at ";
    append_mac(out, a.hwsrc.data());
  } else {
    out += "op ";
    append_uint(out, a.op);
    out += ' ';
    append_ipv4(out, a.psrc.data());
    out += " > ";
    append_ipv4(out, a.pdst.data());
  }
  out += ", length ";
  append_uint(out, a.len);
}

void json_arp(std::string& out, ArpPacket const& a) {
  JsonObject o(out, "arp");
  o.num("hwtype", a.hwtype).num("ptype", a.ptype).num("hwlen", a.hwlen).num("plen", a.plen).num("op", a.op);
  if (a.ether_ipv4) {
    o.mac("hwsrc", a.hwsrc.data()).ipv4("psrc", a.psrc.data());
    o.mac("hwdst", a.hwdst.data()).ipv4("pdst", a.pdst.data());
  }
}

}  // namespace sockctl::decode
