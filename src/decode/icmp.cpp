// icmp.cpp: ICMP and ICMPv6 messages: echo, errors (with the header they
// quote, so "udp port 9 unreachable" can be said) and neighbour discovery.
// See: RFC 792, RFC 4443, RFC 4861.
#include "decode/chain.hpp"

namespace sockctl::decode {

namespace {

// The start of the offending packet an ICMP error carries.
QuotedPacket parse_quoted(Reader const& r, std::size_t off, bool v6) {
  QuotedPacket q;
  if (!v6) {
    if (!r.has(off, 20) || r.u8(off) >> 4 != 4) return q;
    std::size_t ihl = (r.u8(off) & 0x0f) * 4u;
    if (ihl < 20) return q;
    q.present = true;
    q.version = 4;
    q.proto = r.u8(off + 9);
    r.copy(off + 12, q.src.data(), 4);
    r.copy(off + 16, q.dst.data(), 4);
    bool first_fragment = (r.be16(off + 6) & 0x1fff) == 0;
    if (first_fragment && (q.proto == 6 || q.proto == 17) && r.has(off + ihl, 4)) {
      q.has_ports = true;
      q.sport = r.be16(off + ihl);
      q.dport = r.be16(off + ihl + 2);
    }
  } else {
    if (!r.has(off, 40) || r.u8(off) >> 4 != 6) return q;
    q.present = true;
    q.version = 6;
    q.proto = r.u8(off + 6);
    r.copy(off + 8, q.src.data(), 16);
    r.copy(off + 24, q.dst.data(), 16);
    if ((q.proto == 6 || q.proto == 17) && r.has(off + 40, 4)) {
      q.has_ports = true;
      q.sport = r.be16(off + 40);
      q.dport = r.be16(off + 42);
    }
  }
  return q;
}

bool has_id_seq(std::uint8_t type, bool v6) {
  if (v6) return type == 128 || type == 129;
  return type == 0 || type == 8 || (type >= 13 && type <= 18);
}

bool is_error(std::uint8_t type, bool v6) {
  if (v6) return type >= 1 && type <= 4;
  return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

}  // namespace

Step decode_icmp(Bytes b, std::uint32_t wire, bool v6, Packet& p) {
  char const* layer = v6 ? "icmp6" : "icmp";
  Reader r(b);
  if (!r.has(0, 4)) return truncated(p, layer, b.size(), 4);
  IcmpMessage m;
  m.v6 = v6;
  m.type = r.u8(0);
  m.code = r.u8(1);
  m.chksum = r.be16(2);
  m.len = wire;
  bool needs_8 = has_id_seq(m.type, v6) || is_error(m.type, v6);
  if (needs_8 && !r.has(0, 8)) {
    push(p, m);
    return truncated(p, layer, b.size(), 8);
  }
  m.rest = r.be32(4);
  if (has_id_seq(m.type, v6)) {
    m.id = r.be16(4);
    m.seq = r.be16(6);
  }
  if (is_error(m.type, v6)) m.quoted = parse_quoted(r, 8, v6);
  // Neighbour solicitation, advertisement and redirect name a target address.
  if (v6 && m.type >= 135 && m.type <= 137) {
    if (!r.has(0, 24)) {
      push(p, m);
      return truncated(p, layer, b.size(), 24);
    }
    r.copy(8, m.target.data(), 16);
    m.has_target = true;
  }
  push(p, m);
  return {Next::none, 0, r.size() < 8 ? r.size() : 8, wire < 8 ? 0 : wire - 8};
}

namespace {

void quoted_dst(std::string& out, QuotedPacket const& q) { append_ip(out, q.dst, q.version == 6); }

void human_icmp4(std::string& out, IcmpMessage const& m) {
  auto const& q = m.quoted;
  out += "ICMP ";
  switch (m.type) {
    case 0:
    case 8:
      out += m.type == 8 ? "echo request, id " : "echo reply, id ";
      append_uint(out, m.id);
      out += ", seq ";
      append_uint(out, m.seq);
      break;
    case 3:
      if (!q.present) {
        out += "dest unreachable, code ";
        append_uint(out, m.code);
        break;
      }
      switch (m.code) {
        case 0:
          out += "net ";
          quoted_dst(out, q);
          out += " unreachable";
          break;
        case 1:
          out += "host ";
          quoted_dst(out, q);
          out += " unreachable";
          break;
        case 2:
          quoted_dst(out, q);
          out += " protocol ";
          append_uint(out, q.proto);
          out += " unreachable";
          break;
        case 3:
          quoted_dst(out, q);
          if (q.has_ports) {
            out += q.proto == 6 ? " tcp port " : " udp port ";
            append_uint(out, q.dport);
          } else {
            out += " port";
          }
          out += " unreachable";
          break;
        case 4:
          quoted_dst(out, q);
          out += " unreachable - need to frag (mtu ";
          append_uint(out, m.rest & 0xffff);
          out += ')';
          break;
        default:
          quoted_dst(out, q);
          out += " unreachable - code ";
          append_uint(out, m.code);
      }
      break;
    case 4: out += "source quench"; break;
    case 5:
      out += "redirect ";
      if (q.present) {
        quoted_dst(out, q);
        out += ' ';
      }
      out += "to ";
      {
        std::uint8_t gw[4] = {static_cast<std::uint8_t>(m.rest >> 24), static_cast<std::uint8_t>(m.rest >> 16),
                              static_cast<std::uint8_t>(m.rest >> 8), static_cast<std::uint8_t>(m.rest)};
        append_ipv4(out, gw);
      }
      break;
    case 9: out += "router advertisement"; break;
    case 10: out += "router solicitation"; break;
    case 11: out += m.code == 1 ? "ip reassembly time exceeded" : "time exceeded in-transit"; break;
    case 12:
      out += "parameter problem - octet ";
      append_uint(out, m.rest >> 24);
      break;
    case 13:
    case 14:
      out += m.type == 13 ? "time stamp query id " : "time stamp reply id ";
      append_uint(out, m.id);
      out += " seq ";
      append_uint(out, m.seq);
      break;
    case 15: out += "information request"; break;
    case 16: out += "information reply"; break;
    case 17: out += "address mask request"; break;
    case 18: out += "address mask reply"; break;
    default:
      out += "type-#";
      append_uint(out, m.type);
  }
}

void human_icmp6(std::string& out, IcmpMessage const& m) {
  auto const& q = m.quoted;
  out += "ICMP6, ";
  switch (m.type) {
    case 128:
    case 129:
      out += m.type == 128 ? "echo request, id " : "echo reply, id ";
      append_uint(out, m.id);
      out += ", seq ";
      append_uint(out, m.seq);
      break;
    case 1: {
      out += "destination unreachable, ";
      static constexpr std::string_view kCodes[] = {"unreachable route ", "unreachable prohibited ", "beyond scope ",
                                                    "unreachable address ", "unreachable port, "};
      if (m.code < std::size(kCodes) && q.present) {
        out += kCodes[m.code];
        quoted_dst(out, q);
        if (m.code == 4 && q.has_ports) {
          out += q.proto == 6 ? " tcp port " : " udp port ";
          append_uint(out, q.dport);
        }
      } else {
        out += "code ";
        append_uint(out, m.code);
      }
      break;
    }
    case 2:
      out += "packet too big, mtu ";
      append_uint(out, m.rest);
      break;
    case 3:
      if (m.code == 0 && q.present) {
        out += "time exceeded in-transit for ";
        quoted_dst(out, q);
      } else {
        out += m.code == 1 ? "ip6 reassembly time exceeded" : "time exceeded";
      }
      break;
    case 4:
      out += "parameter problem, code ";
      append_uint(out, m.code);
      out += ", pointer ";
      append_uint(out, m.rest);
      break;
    case 130: out += "multicast listener query"; break;
    case 131: out += "multicast listener report"; break;
    case 132: out += "multicast listener done"; break;
    case 133: out += "router solicitation"; break;
    case 134: out += "router advertisement"; break;
    case 135:
      out += "neighbor solicitation, who has ";
      append_ipv6(out, m.target.data());
      break;
    case 136:
      out += "neighbor advertisement, tgt is ";
      append_ipv6(out, m.target.data());
      break;
    case 137:
      out += "redirect, ";
      append_ipv6(out, m.target.data());
      break;
    case 143: out += "multicast listener report v2"; break;
    default:
      out += "type-#";
      append_uint(out, m.type);
  }
}

}  // namespace

void human_icmp(std::string& out, IcmpMessage const& m) {
  m.v6 ? human_icmp6(out, m) : human_icmp4(out, m);
  out += ", length ";
  append_uint(out, m.len);
}

void json_icmp(std::string& out, IcmpMessage const& m) {
  JsonObject o(out, m.v6 ? "icmpv6" : "icmp");
  o.num("type", m.type).num("code", m.code).num("chksum", m.chksum);
  if (has_id_seq(m.type, m.v6)) o.num("id", m.id).num("seq", m.seq);
  if (m.v6 && m.type == 2) o.num("mtu", m.rest);
  if (!m.v6 && m.type == 3 && m.code == 4) o.num("mtu", m.rest & 0xffff);
  if (m.has_target) o.ip("target", m.target, true);
  if (m.quoted.present) {
    auto const& q = m.quoted;
    o.key("quoted");
    JsonObject j(out, {});
    j.ip("src", q.src, q.version == 6).ip("dst", q.dst, q.version == 6).num("proto", q.proto);
    if (q.has_ports) j.num("sport", q.sport).num("dport", q.dport);
  }
  o.num("len", m.len);
}

}  // namespace sockctl::decode
