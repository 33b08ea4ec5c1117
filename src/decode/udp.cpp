// udp.cpp: the UDP header.  See: RFC 768.
#include "decode/chain.hpp"

namespace sockctl::decode {

Step decode_udp(Bytes b, std::uint32_t wire, Packet& p) {
  Reader r(b);
  if (!r.has(0, 8)) return truncated(p, "udp", b.size(), 8);
  UdpHeader u;
  u.sport = r.be16(0);
  u.dport = r.be16(2);
  u.len = r.be16(4);
  u.chksum = r.be16(6);
  u.ip_len = wire;
  push(p, u);
  if (u.len < 8) return damaged(p, "udp", "bad length", u.len);
  return {Next::none, 0, 8, wire - 8};
}

void human_udp(std::string& out, UdpHeader const& u) {
  if (u.len < 8 || u.len > u.ip_len) {
    out += "UDP, bad length ";
    append_uint(out, u.len);
    if (u.len >= 8) {
      out += " > ";
      append_uint(out, u.ip_len);
    }
    return;
  }
  out += "UDP, length ";
  append_uint(out, u.len - 8u);
}

void json_udp(std::string& out, UdpHeader const& u) {
  JsonObject o(out, "udp");
  o.num("sport", u.sport).num("dport", u.dport).num("len", u.len).num("chksum", u.chksum);
}

}  // namespace sockctl::decode
