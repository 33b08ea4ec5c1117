// ipv6.cpp: the IPv6 header and its extension-header chain. The chain is
// walked with guards a hostile packet cannot get past: each header must fit
// in the payload, a header type may not repeat (destination options may
// appear twice, before and after routing), hop-by-hop must come first, and
// at most Ipv6Header::kMaxExtensions are followed.  See: RFC 8200 section 4.
#include "decode/chain.hpp"

namespace sockctl::decode {

namespace {

bool is_extension(std::uint8_t nh) { return nh == 0 || nh == 43 || nh == 44 || nh == 60 || nh == 51; }

}  // namespace

Step decode_ipv6(Bytes b, std::uint32_t wire, Packet& p) {
  Reader r(b);
  if (!r.has(0, 40)) return truncated(p, "ipv6", b.size(), 40);
  if (r.u8(0) >> 4 != 6) return damaged(p, "ipv6", "bad version", r.u8(0) >> 4);
  Ipv6Header h;
  std::uint32_t first = r.be32(0);
  h.tc = static_cast<std::uint8_t>(first >> 20);
  h.fl = first & 0xfffff;
  h.plen = r.be16(4);
  h.nh = r.u8(6);
  h.hlim = r.u8(7);
  r.copy(8, h.src.data(), 16);
  r.copy(24, h.dst.data(), 16);
  std::uint32_t payload = h.plen;
  bool short_wire = 40u + h.plen > wire;

  // The extension chain, bounded by the payload length and the count limit.
  std::size_t off = 40;
  std::uint8_t nh = h.nh;
  unsigned dstopts_seen = 0;
  std::uint64_t seen = 0;  // bit per header type below 64
  Step end{Next::ip_proto, 0, 0, 0};
  while (is_extension(nh)) {
    std::uint32_t left = payload - static_cast<std::uint32_t>(off - 40);
    if (h.ext_count == Ipv6Header::kMaxExtensions) {
      end = damaged(p, "ipv6", "too many extension headers", h.ext_count);
      break;
    }
    if (nh == 0 && h.ext_count != 0) {
      end = damaged(p, "ipv6", "extension header loop", nh);
      break;
    }
    if (nh == 60 ? ++dstopts_seen > 2 : (seen >> nh & 1) != 0) {
      end = damaged(p, "ipv6", "extension header loop", nh);
      break;
    }
    seen |= std::uint64_t{1} << nh;
    if (!r.has(off, 2)) {
      end = truncated(p, "ipv6", b.size() > off ? b.size() - off : 0, 2);
      break;
    }
    Ipv6Extension e;
    e.nh = nh;
    if (nh == 44)
      e.len = 8;
    else if (nh == 51)
      e.len = static_cast<std::uint16_t>((r.u8(off + 1) + 2) * 4);
    else
      e.len = static_cast<std::uint16_t>((r.u8(off + 1) + 1) * 8);
    if (e.len > left) {
      end = damaged(p, "ipv6", "extension header length", e.len, left);
      break;
    }
    if (!r.has(off, e.len)) {
      end = truncated(p, "ipv6", b.size() - off, e.len);
      break;
    }
    if (nh == 44) {
      std::uint16_t fo = r.be16(off + 2);
      e.frag = fo & 0xfff8;
      e.more = (fo & 1) != 0;
      e.id = r.be32(off + 4);
      if (e.frag != 0) h.later_fragment = true;
    } else if (nh == 43) {
      e.routing_type = r.u8(off + 2);
      e.segleft = r.u8(off + 3);
    }
    h.ext[h.ext_count++] = e;
    nh = r.u8(off);
    off += e.len;
    if (h.later_fragment) break;
  }
  h.proto = nh;
  if (!push(p, h)) return {};
  if (short_wire) truncated(p, "ipv6", wire, 40u + h.plen);
  if (p.damage && end.next == Next::none) return {};
  std::uint32_t rest = payload - static_cast<std::uint32_t>(off - 40);
  if (h.later_fragment || nh == 59) return {Next::none, 0, off, rest};
  return {Next::ip_proto, nh, off, rest};
}

namespace {
std::string_view extension_name(std::uint8_t nh) {
  switch (nh) {
    case 0: return "hbh";
    case 43: return "routing";
    case 44: return "frag";
    case 60: return "dstopts";
    case 51: return "ah";
    default: return "unknown";
  }
}
}  // namespace

void json_ipv6(std::string& out, Ipv6Header const& h, std::string_view key) {
  JsonObject o(out, key);
  o.num("version", 6).num("tc", h.tc).num("fl", h.fl).num("plen", h.plen).num("nh", h.nh).num("hlim", h.hlim);
  o.ip("src", h.src, true).ip("dst", h.dst, true);
  if (h.ext_count != 0) {
    o.key("ext");
    out += '[';
    for (std::size_t i = 0; i < h.ext_count; ++i) {
      auto const& e = h.ext[i];
      if (i) out += ',';
      JsonObject x(out, {});
      x.num("type", e.nh).plain("name", extension_name(e.nh)).num("len", e.len);
      if (e.nh == 44) x.num("offset", e.frag).boolean("m", e.more).num("id", e.id);
      if (e.nh == 43) x.num("routing_type", e.routing_type).num("segleft", e.segleft);
    }
    out += ']';
  }
  o.num("proto", h.proto);
}

}  // namespace sockctl::decode
