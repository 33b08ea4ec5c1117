// render.cpp: a decoded Packet as tcpdump's one-line summary or as JSON
// members, plus the small appenders (addresses, hex, time) they are built
// from. Everything appends to one caller-owned string: no temporaries per
// field, so a capture can render hundreds of thousands of lines a second.
// See: tcpdump(8) "OUTPUT FORMAT".
#include <arpa/inet.h>
#include <ctime>

#include "decode/chain.hpp"
#include "sockctl/output.hpp"
#include "sockctl/payload.hpp"

namespace sockctl {

namespace decode {

namespace {
constexpr char kHexLower[] = "0123456789abcdef";
constexpr char kHexUpper[] = "0123456789ABCDEF";
}  // namespace

void append_hex_number(std::string& out, std::uint64_t v, int digits, bool upper) {
  char buf[16];
  int n = 0;
  char const* hex = upper ? kHexUpper : kHexLower;
  do {
    buf[n++] = hex[v & 15];
    v >>= 4;
  } while (v != 0 && n < 16);
  while (n < digits && n < 16) buf[n++] = '0';
  while (n > 0) out += buf[--n];
}

void append_mac(std::string& out, std::uint8_t const* mac, std::size_t len) {
  for (std::size_t i = 0; i < len; ++i) {
    if (i) out += ':';
    out += kHexLower[mac[i] >> 4];
    out += kHexLower[mac[i] & 15];
  }
}

void append_ipv4(std::string& out, std::uint8_t const* a) {
  for (int i = 0; i < 4; ++i) {
    if (i) out += '.';
    append_uint(out, a[i]);
  }
}

void append_ipv6(std::string& out, std::uint8_t const* a) {
  char buf[INET6_ADDRSTRLEN];
  if (inet_ntop(AF_INET6, a, buf, sizeof buf)) out += buf;
}

std::string_view c_string(char const* s, std::size_t max) {
  std::size_t n = 0;
  while (n < max && s[n] != '\0') ++n;
  return {s, n};
}

void append_printable(std::string& out, std::string_view s) {
  for (char c : s) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '.' : c;
}

JsonObject::JsonObject(std::string& out, std::string_view key) : out_(out) {
  if (!key.empty()) {
    out_ += ",\"";
    out_ += key;
    out_ += "\":";
  }
  out_ += '{';
}

JsonObject& JsonObject::str(std::string_view key, std::string_view v) {
  this->key(key);
  if (is_utf8(v)) {
    append_json_string(out_, v);
    return *this;
  }
  // Names and texts in captured bytes need not be UTF-8; JSON must be. Read
  // as Latin-1, every byte survives as its own code point.
  std::string latin1;
  for (unsigned char c : v) {
    if (c < 0x80) {
      latin1 += static_cast<char>(c);
    } else {
      latin1 += static_cast<char>(0xC0 | c >> 6);
      latin1 += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  append_json_string(out_, latin1);
  return *this;
}

namespace {

bool is_link(Layer const& l) {
  return std::holds_alternative<EthernetHeader>(l) || std::holds_alternative<VlanTag>(l) ||
         std::holds_alternative<CookedHeader>(l);
}

void append_ethertype(std::string& out, std::uint16_t type) {
  out += "ethertype ";
  auto name = ethertype_name(type);
  out += name.empty() ? "Unknown" : name;
  out += " (0x";
  append_hex_number(out, type, 4);
  out += ')';
}

std::string_view direction(std::uint8_t pkttype) {
  switch (pkttype) {
    case 0: return "In ";
    case 1: return "B  ";
    case 2: return "M  ";
    case 3: return "P  ";
    case 4: return "Out";
    default: return "?  ";
  }
}

// Ports of the transport layer right after layer i, if it has them.
std::pair<std::uint16_t, std::uint16_t> const* ports_after(Packet const& p, std::size_t i,
                                                           std::pair<std::uint16_t, std::uint16_t>& buf) {
  if (i + 1 >= p.count) return nullptr;
  if (auto const* t = std::get_if<TcpHeader>(&p.layers[i + 1])) return &(buf = {t->sport, t->dport});
  if (auto const* u = std::get_if<UdpHeader>(&p.layers[i + 1])) return &(buf = {u->sport, u->dport});
  return nullptr;
}

void append_endpoints(std::string& out, IpAddr const& src, IpAddr const& dst, bool v6,
                      std::pair<std::uint16_t, std::uint16_t> const* ports) {
  append_ip(out, src, v6);
  if (ports) {
    out += '.';
    append_uint(out, ports->first);
  }
  out += " > ";
  append_ip(out, dst, v6);
  if (ports) {
    out += '.';
    append_uint(out, ports->second);
  }
  out += ": ";
}

// " ip-proto-253 8" for an upper layer nothing decoded (tcpdump's words).
void append_unknown_proto(std::string& out, Packet const& p, std::size_t i, std::uint8_t proto, std::uint32_t len) {
  if (i + 1 < p.count || p.damage) return;
  out += " ip-proto-";
  append_uint(out, proto);
  out += ' ';
  append_uint(out, len);
}

}  // namespace
}  // namespace decode

using namespace decode;

void append_summary(std::string& out, Packet const& p, LineOptions const& opt, TcpSeqTracker* seqs) {
  std::size_t const start = out.size();
  // Without a network layer after them, the link headers are all there is to
  // say, so they are shown as with -e.
  bool const link_form = opt.link_header || (p.count > 0 && is_link(p.layers[p.count - 1]));
  bool named = false;  // an ethertype was just printed: "IP " would repeat it
  IpContext ip;
  for (std::size_t i = 0; i < p.count; ++i) {
    Layer const& layer = p.layers[i];
    bool const last = i + 1 == p.count;
    if (auto const* e = std::get_if<EthernetHeader>(&layer)) {
      if (!link_form) continue;
      append_mac(out, e->src.data());
      out += " > ";
      append_mac(out, e->dst.data());
      out += ", ";
      if (e->type < 0x600) {
        out += "802.3";
      } else {
        append_ethertype(out, e->type);
      }
      out += ", length ";
      append_uint(out, p.len);
      if (!last) out += ": ";
      named = true;
    } else if (auto const* v = std::get_if<VlanTag>(&layer)) {
      if (!link_form) continue;
      out += "vlan ";
      append_uint(out, v->vlan);
      out += ", p ";
      append_uint(out, v->prio);
      if (v->dei) out += ", DEI";
      out += ", ";
      append_ethertype(out, v->type);
      if (!last) out += ", ";
      named = true;
    } else if (auto const* c = std::get_if<CookedHeader>(&layer)) {
      if (c->version == 2) {
        std::size_t before = out.size();
        if (opt.interface_name)
          out += opt.interface_name(c->ifindex);
        else
          append_uint(out, c->ifindex);
        while (out.size() < before + 5) out += ' ';
        out += ' ';
      }
      out += direction(c->pkttype);
      out += ' ';
      if (link_form) {
        if (c->version == 2) {
          out += "ifindex ";
          append_uint(out, c->ifindex);
          out += ' ';
        }
        append_mac(out, c->addr.data(), c->halen);
        out += ' ';
        append_ethertype(out, c->proto);
        out += ", length ";
        append_uint(out, p.len);
        if (!last) out += ": ";
        named = true;
      }
    } else if (auto const* a = std::get_if<ArpPacket>(&layer)) {
      if (!named) out += "ARP, ";
      human_arp(out, *a);
    } else if (auto const* h4 = std::get_if<Ipv4Header>(&layer)) {
      if (!named) out += "IP ";
      named = false;
      std::pair<std::uint16_t, std::uint16_t> buf;
      auto const* ports = h4->frag == 0 ? ports_after(p, i, buf) : nullptr;
      append_endpoints(out, h4->src, h4->dst, false, ports);
      ip = {&h4->src, &h4->dst, false};
      if (h4->frag != 0) {
        out += "ip-proto-";
        append_uint(out, h4->proto);
      } else if (h4->len >= h4->ihl) {
        append_unknown_proto(out, p, i, h4->proto, h4->len - h4->ihl);
      }
    } else if (auto const* h6 = std::get_if<Ipv6Header>(&layer)) {
      if (!named) out += "IP6 ";
      named = false;
      std::pair<std::uint16_t, std::uint16_t> buf;
      auto const* ports = h6->later_fragment ? nullptr : ports_after(p, i, buf);
      append_endpoints(out, h6->src, h6->dst, true, h6->ext_count == 0 ? ports : nullptr);
      ip = {&h6->src, &h6->dst, true};
      std::uint32_t left = h6->plen;
      for (std::size_t x = 0; x < h6->ext_count; ++x) {
        auto const& ext = h6->ext[x];
        left = left > ext.len ? left - ext.len : 0;
        switch (ext.nh) {
          case 0: out += "HBH "; break;
          case 60: out += "DSTOPT "; break;
          case 51: out += "AH "; break;
          case 43:
            out += "RT6 (type=";
            append_uint(out, ext.routing_type);
            out += ", segleft=";
            append_uint(out, ext.segleft);
            out += ") ";
            break;
          case 44:
            out += "frag (";
            append_uint(out, ext.frag);
            out += '|';
            append_uint(out, left);
            out += ") ";
            break;
          default: break;
        }
      }
      if (h6->ext_count != 0 && ports) {
        append_uint(out, ports->first);
        out += " > ";
        append_uint(out, ports->second);
        out += ": ";
      }
      if (h6->proto == 59 && !h6->later_fragment) {
        out += "no next header";
      } else if (!h6->later_fragment) {
        append_unknown_proto(out, p, i, h6->proto, left);
      }
    } else if (auto const* t = std::get_if<TcpHeader>(&layer)) {
      if (ip.src) {
        human_tcp(out, *t, ip, opt, seqs);
      } else {
        human_tcp(out, *t, ip, opt, nullptr);
      }
    } else if (auto const* u = std::get_if<UdpHeader>(&layer)) {
      human_udp(out, *u);
    } else if (auto const* m = std::get_if<IcmpMessage>(&layer)) {
      human_icmp(out, *m);
    } else if (auto const* f = std::get_if<CanFrame>(&layer)) {
      out += "CAN ";
      append_can_candump(out, *f);
    } else if (auto const* hci = std::get_if<HciRecord>(&layer)) {
      human_hci(out, *hci);
    } else if (auto const* nl = std::get_if<NetlinkMessage>(&layer)) {
      human_netlink(out, *nl);
    } else if (auto const* tipc = std::get_if<TipcEvent>(&layer)) {
      human_tipc(out, *tipc);
    }
  }
  if (p.damage) {
    if (out.size() > start && out.back() != ' ') out += ' ';
    out += '[';
    out += p.damage.message();
    out += ']';
  }
  while (out.size() > start && out.back() == ' ') out.pop_back();
}

void append_layers_json(std::string& out, Packet const& p) {
  bool ip_seen = false;
  for (std::size_t i = 0; i < p.count; ++i) {
    Layer const& layer = p.layers[i];
    if (auto const* e = std::get_if<EthernetHeader>(&layer)) {
      json_ethernet(out, *e);
    } else if (std::holds_alternative<VlanTag>(layer)) {
      // Stacked tags (802.1ad) become one array, outer tag first.
      if (i > 0 && std::holds_alternative<VlanTag>(p.layers[i - 1])) continue;
      out += ",\"vlan\":[";
      for (std::size_t j = i; j < p.count && std::holds_alternative<VlanTag>(p.layers[j]); ++j) {
        if (j != i) out += ',';
        json_vlan(out, std::get<VlanTag>(p.layers[j]));
      }
      out += ']';
    } else if (auto const* c = std::get_if<CookedHeader>(&layer)) {
      json_cooked(out, *c);
    } else if (auto const* a = std::get_if<ArpPacket>(&layer)) {
      json_arp(out, *a);
    } else if (auto const* h4 = std::get_if<Ipv4Header>(&layer)) {
      // A tunnelled packet's inner header gets its own key.
      json_ipv4(out, *h4, ip_seen ? "inner_ip" : "ip");
      ip_seen = true;
    } else if (auto const* h6 = std::get_if<Ipv6Header>(&layer)) {
      json_ipv6(out, *h6, ip_seen ? "inner_ipv6" : "ipv6");
      ip_seen = true;
    } else if (auto const* t = std::get_if<TcpHeader>(&layer)) {
      json_tcp(out, *t);
    } else if (auto const* u = std::get_if<UdpHeader>(&layer)) {
      json_udp(out, *u);
    } else if (auto const* m = std::get_if<IcmpMessage>(&layer)) {
      json_icmp(out, *m);
    } else if (auto const* f = std::get_if<CanFrame>(&layer)) {
      out += ",\"can\":";
      append_can_json(out, *f);
    } else if (auto const* hci = std::get_if<HciRecord>(&layer)) {
      json_hci(out, *hci);
    } else if (auto const* nl = std::get_if<NetlinkMessage>(&layer)) {
      json_netlink(out, *nl);
    } else if (auto const* tipc = std::get_if<TipcEvent>(&layer)) {
      json_tipc(out, *tipc);
    }
  }
  if (p.damage) {
    JsonObject d(out, "damage");
    d.plain("layer", p.damage.layer).str("message", p.damage.message());
  }
}

void append_hex(std::string& out, Bytes data) {
  for (auto b : data) {
    out += kHexLower[b >> 4];
    out += kHexLower[b & 15];
  }
}

void append_hex_dump(std::string& out, Bytes data) {
  for (std::size_t off = 0; off < data.size(); off += 16) {
    out += "\n\t0x";
    append_hex_number(out, off, 4);
    out += ": ";
    for (std::size_t i = off; i < off + 16 && i < data.size(); ++i) {
      if ((i - off) % 2 == 0) out += ' ';
      out += kHexLower[data[i] >> 4];
      out += kHexLower[data[i] & 15];
    }
  }
}

void append_time_of_day(std::string& out, std::int64_t sec, std::uint32_t nsec) {
  // localtime_r takes a lock and may read the zone file: once per second is enough.
  thread_local std::int64_t cached_sec = -1;
  thread_local char cached[9];
  if (sec != cached_sec) {
    std::time_t t = static_cast<std::time_t>(sec);
    std::tm tm{};
    if (!localtime_r(&t, &tm)) tm = std::tm{};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
    std::memcpy(cached, buf, 8);
    cached_sec = sec;
  }
  out.append(cached, 8);
  out += '.';
  std::uint32_t usec = nsec / 1000;
  char digits[6];
  for (int i = 5; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + usec % 10);
    usec /= 10;
  }
  out.append(digits, 6);
}

void append_epoch(std::string& out, std::int64_t sec, std::uint32_t nsec) {
  append_int(out, sec);
  out += '.';
  char digits[9];
  for (int i = 8; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + nsec % 10);
    nsec /= 10;
  }
  out.append(digits, 9);
}

}  // namespace sockctl
