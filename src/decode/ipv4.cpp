// ipv4.cpp: the IPv4 header, with options skipped by length and fragments
// followed only as far as the first one carries an upper-layer header.
// See: RFC 791, RFC 3514 (the evil bit, reported as the flags say).
#include "decode/chain.hpp"

namespace sockctl::decode {

Step decode_ipv4(Bytes b, std::uint32_t wire, Packet& p) {
  Reader r(b);
  if (!r.has(0, 20)) return truncated(p, "ip", b.size(), 20);
  if (r.u8(0) >> 4 != 4) return damaged(p, "ip", "bad version", r.u8(0) >> 4);
  Ipv4Header h;
  h.ihl = static_cast<std::uint8_t>((r.u8(0) & 0x0f) * 4);
  if (h.ihl < 20) return damaged(p, "ip", "bad header length", h.ihl);
  if (!r.has(0, h.ihl)) return truncated(p, "ip", b.size(), h.ihl);
  h.tos = r.u8(1);
  h.len = r.be16(2);
  h.id = r.be16(4);
  std::uint16_t frag = r.be16(6);
  h.evil = (frag & 0x8000) != 0;
  h.df = (frag & 0x4000) != 0;
  h.mf = (frag & 0x2000) != 0;
  h.frag = static_cast<std::uint16_t>((frag & 0x1fff) * 8);
  h.ttl = r.u8(8);
  h.proto = r.u8(9);
  h.chksum = r.be16(10);
  r.copy(12, h.src.data(), 4);
  r.copy(16, h.dst.data(), 4);
  if (!push(p, h)) return {};
  if (h.len < h.ihl) return damaged(p, "ip", "bad total length", h.len, h.ihl);
  // Shorter on the wire than the header says: report it, decode what is
  // there. Lengths below keep the header's word, as tcpdump's do.
  std::uint32_t payload = h.len - h.ihl;
  if (h.len > wire) truncated(p, "ip", wire, h.len);
  if (h.frag != 0) return {Next::none, 0, h.ihl, payload};
  return {Next::ip_proto, h.proto, h.ihl, payload};
}

void json_ipv4(std::string& out, Ipv4Header const& h, std::string_view key) {
  JsonObject o(out, key);
  o.num("version", 4).num("ihl", h.ihl / 4).num("tos", h.tos).num("len", h.len).num("id", h.id);
  o.key("flags");
  out += '[';
  bool first = true;
  for (auto [on, name] : {std::pair{h.evil, "\"evil\""}, {h.df, "\"df\""}, {h.mf, "\"mf\""}}) {
    if (!on) continue;
    if (!first) out += ',';
    out += name;
    first = false;
  }
  out += ']';
  o.num("frag", h.frag / 8).num("ttl", h.ttl).num("proto", h.proto).num("chksum", h.chksum);
  o.ipv4("src", h.src.data()).ipv4("dst", h.dst.data());
  o.num("options_len", h.ihl - 20u);
}

}  // namespace sockctl::decode
