// tcp.cpp: the TCP header, its options as tcpdump lists them, and tcpdump's
// relative sequence numbers.  See: RFC 9293, RFC 7323 (timestamps, window
// scale), RFC 2018 (SACK), tcpdump(8) "-S".
#include "decode/chain.hpp"

namespace sockctl {

namespace decode {

Step decode_tcp(Bytes b, std::uint32_t wire, Packet& p) {
  Reader r(b);
  if (!r.has(0, 20)) return truncated(p, "tcp", b.size(), 20);
  TcpHeader t;
  t.sport = r.be16(0);
  t.dport = r.be16(2);
  t.seq = r.be32(4);
  t.ack = r.be32(8);
  t.dataofs = static_cast<std::uint8_t>((r.u8(12) >> 4) * 4);
  t.flags = static_cast<std::uint16_t>((r.u8(12) & 1) << 8 | r.u8(13));
  t.window = r.be16(14);
  t.chksum = r.be16(16);
  t.urgptr = r.be16(18);
  if (t.dataofs < 20) return damaged(p, "tcp", "bad header length", t.dataofs);
  if (t.dataofs > wire) return damaged(p, "tcp", "bad header length", t.dataofs, wire);
  if (!r.has(0, t.dataofs)) return truncated(p, "tcp", b.size(), t.dataofs);
  t.options = r.sub(20, t.dataofs - 20u);
  t.len = wire - t.dataofs;
  push(p, t);
  return {Next::none, 0, t.dataofs, t.len};
}

namespace {

// Calls f(kind, body) for each option; stops at EOL or a malformed length
// (reported as kind 256 with the rest as body).
template <class F>
void for_each_option(Bytes opts, F&& f) {
  Reader r(opts);
  std::size_t off = 0;
  while (off < opts.size()) {
    std::uint8_t kind = r.u8(off);
    if (kind == 0 || kind == 1) {
      f(kind, Bytes{});
      if (kind == 0) return;
      ++off;
      continue;
    }
    std::uint8_t len = r.u8(off + 1);
    if (!r.has(off, 2) || len < 2 || !r.has(off, len)) {
      f(256, r.sub(off));
      return;
    }
    f(kind, r.sub(off + 2, len - 2u));
    off += len;
  }
}

// The options the way tcpdump lists them: "mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7".
void human_tcp_options(std::string& out, Bytes options, std::uint32_t sack_base) {
  bool first = true;
  for_each_option(options, [&](unsigned kind, Bytes body) {
    if (!first) out += ',';
    first = false;
    Reader r(body);
    switch (kind) {
      case 0: out += "eol"; break;
      case 1: out += "nop"; break;
      case 2:
        if (body.size() == 2) {
          out += "mss ";
          append_uint(out, r.be16(0));
        } else {
          out += "mss [bad length]";
        }
        break;
      case 3:
        if (body.size() == 1) {
          out += "wscale ";
          append_uint(out, r.u8(0));
        } else {
          out += "wscale [bad length]";
        }
        break;
      case 4: out += "sackOK"; break;
      case 5:
        if (body.size() % 8 != 0) {
          out += "sack [bad length]";
          break;
        }
        out += "sack ";
        append_uint(out, body.size() / 8);
        out += ' ';
        for (std::size_t i = 0; i < body.size(); i += 8) {
          out += '{';
          append_uint(out, r.be32(i) - sack_base);
          out += ':';
          append_uint(out, r.be32(i + 4) - sack_base);
          out += '}';
        }
        break;
      case 8:
        if (body.size() == 8) {
          out += "TS val ";
          append_uint(out, r.be32(0));
          out += " ecr ";
          append_uint(out, r.be32(4));
        } else {
          out += "TS [bad length]";
        }
        break;
      case 30: out += "mptcp"; break;
      case 34: out += "tfo"; break;
      case 256: out += "[bad opt]"; break;
      default:
        out += "unknown-";
        append_uint(out, kind);
        if (!body.empty()) {
          out += " 0x";
          append_hex(out, body);
        }
    }
  });
}

}  // namespace

void human_tcp(std::string& out, TcpHeader const& t, IpContext ip, LineOptions const& opt,
               TcpSeqTracker* seqs) {
  static constexpr std::pair<std::uint16_t, char> kFlags[] = {
      {0x01, 'F'}, {0x02, 'S'}, {0x04, 'R'}, {0x08, 'P'}, {0x10, '.'}, {0x20, 'U'}, {0x40, 'E'}, {0x80, 'W'}, {0x100, 'e'}};
  out += "Flags [";
  if ((t.flags & 0x1ff) == 0) out += "none";
  for (auto [bit, c] : kFlags)
    if (t.flags & bit) out += c;
  out += ']';
  std::uint32_t seq = t.seq, ack = t.ack, sack_base = 0;
  if (seqs && !opt.absolute_seq && (t.flags & 0x10)) {
    auto rel = seqs->relative(t, *ip.src, *ip.dst);
    seq = rel.seq;
    ack = rel.ack;
    sack_base = rel.sack_base;
  }
  if (t.len > 0 || (t.flags & 0x07)) {
    out += ", seq ";
    append_uint(out, seq);
    if (t.len > 0) {
      out += ':';
      append_uint(out, static_cast<std::uint32_t>(seq + t.len));
    }
  }
  if (t.flags & 0x10) {
    out += ", ack ";
    append_uint(out, ack);
  }
  out += ", win ";
  append_uint(out, t.window);
  if (t.flags & 0x20) {
    out += ", urg ";
    append_uint(out, t.urgptr);
  }
  if (!t.options.empty()) {
    out += ", options [";
    human_tcp_options(out, t.options, sack_base);
    out += ']';
  }
  out += ", length ";
  append_uint(out, t.len);
}

void json_tcp(std::string& out, TcpHeader const& t) {
  static constexpr std::pair<std::uint16_t, char const*> kFlags[] = {
      {0x01, "\"fin\""}, {0x02, "\"syn\""}, {0x04, "\"rst\""}, {0x08, "\"psh\""}, {0x10, "\"ack\""},
      {0x20, "\"urg\""}, {0x40, "\"ece\""}, {0x80, "\"cwr\""}, {0x100, "\"ae\""}};
  JsonObject o(out, "tcp");
  o.num("sport", t.sport).num("dport", t.dport).num("seq", t.seq).num("ack", t.ack).num("dataofs", t.dataofs / 4);
  o.key("flags");
  out += '[';
  bool first = true;
  for (auto [bit, name] : kFlags) {
    if (!(t.flags & bit)) continue;
    if (!first) out += ',';
    out += name;
    first = false;
  }
  out += ']';
  o.num("window", t.window).num("chksum", t.chksum).num("urgptr", t.urgptr);
  if (!t.options.empty()) {
    o.key("options");
    JsonObject opts(out, {});
    unsigned nops = 0;
    for_each_option(t.options, [&](unsigned kind, Bytes body) {
      Reader r(body);
      switch (kind) {
        case 1: ++nops; break;
        case 2:
          if (body.size() == 2) opts.num("mss", r.be16(0));
          break;
        case 3:
          if (body.size() == 1) opts.num("wscale", r.u8(0));
          break;
        case 4: opts.boolean("sack_ok", true); break;
        case 5:
          if (body.size() % 8 == 0) {
            opts.key("sack");
            out += '[';
            for (std::size_t i = 0; i < body.size(); i += 8) {
              if (i) out += ',';
              out += '[';
              append_uint(out, r.be32(i));
              out += ',';
              append_uint(out, r.be32(i + 4));
              out += ']';
            }
            out += ']';
          }
          break;
        case 8:
          if (body.size() == 8) opts.num("ts_val", r.be32(0)).num("ts_ecr", r.be32(4));
          break;
        case 0: opts.boolean("eol", true); break;
        case 256: opts.boolean("malformed", true); break;
        default: break;
      }
    });
    if (nops) opts.num("nop", nops);
  }
  o.num("len", t.len);
}

}  // namespace decode

std::size_t TcpSeqTracker::KeyHash::operator()(Key const& k) const noexcept {
  std::size_t h = k.ports;
  for (std::size_t i = 0; i < 16; ++i) h = h * 131 + k.a[i] * 7 + k.b[i];
  return h;
}

TcpSeqTracker::Relative TcpSeqTracker::relative(TcpHeader const& t, IpAddr const& src, IpAddr const& dst) {
  // tcpdump keys a connection by its two ends in a canonical order (lower
  // port first, then lower address) and remembers, from the first packet
  // with ACK (or any SYN), the sequence numbers of both directions.
  bool rev = t.sport > t.dport || (t.sport == t.dport && src > dst);
  Key k;
  k.a = rev ? dst : src;
  k.b = rev ? src : dst;
  k.ports = rev ? std::uint32_t{t.dport} << 16 | t.sport : std::uint32_t{t.sport} << 16 | t.dport;
  auto it = table_.find(k);
  if (it == table_.end() || (t.flags & 0x02)) {
    // A hostile stream of new connections must not grow memory without bound.
    if (it == table_.end() && table_.size() >= kMaxConnections) table_.clear();
    Base base = rev ? Base{t.ack - 1, t.seq} : Base{t.seq, t.ack - 1};
    table_[k] = base;
    return {t.seq, t.ack, rev ? base.seq : base.ack};
  }
  Base const& base = it->second;
  if (rev) return {t.seq - base.ack, t.ack - base.seq, base.seq};
  return {t.seq - base.seq, t.ack - base.ack, base.ack};
}

}  // namespace sockctl
