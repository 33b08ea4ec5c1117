// netlink.cpp: netlink messages, with rtnetlink's links, addresses, routes
// and neighbours decoded the way `ip monitor` shows them. Records come from
// --netlink (one message each) or from nlmon captures (LINKTYPE_NETLINK: a
// 16-byte cooked header, then one or more messages in host byte order).
// See: netlink(7), rtnetlink(7), https://www.tcpdump.org/linktypes/LINKTYPE_NETLINK.html
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "decode/chain.hpp"

namespace sockctl::decode {

namespace {

// Calls f(type, payload) for each attribute in b; stops at a malformed one.
template <class F>
void for_each_attribute(Bytes b, F&& f) {
  Reader r(b);
  std::size_t off = 0;
  while (r.has(off, 4)) {
    std::uint16_t len = r.h16(off);
    std::uint16_t type = r.h16(off + 2) & NLA_TYPE_MASK;
    if (len < 4 || !r.has(off, len)) return;
    f(type, r.sub(off + 4, len - 4u));
    off += (len + 3u) & ~3u;
  }
}

void copy_address(Bytes v, std::uint8_t family, IpAddr& dst, bool& has) {
  std::size_t n = family == AF_INET6 ? 16 : family == AF_INET ? 4 : 0;
  if (n == 0 || v.size() != n) return;
  dst = {};
  Reader(v).copy(0, dst.data(), n);
  has = true;
}

void copy_name(Bytes v, std::array<char, 16>& dst) {
  dst = {};
  for (std::size_t i = 0; i < v.size() && i + 1 < dst.size() && v[i] != 0; ++i) dst[i] = static_cast<char>(v[i]);
}

void decode_rtnetlink(Reader const& msg, NetlinkMessage& m) {
  std::uint16_t t = m.type;
  if (t == RTM_NEWLINK || t == RTM_DELLINK || t == RTM_GETLINK) {
    if (!msg.has(16, 16)) return;
    m.body = NetlinkMessage::Body::link;
    m.family = msg.u8(16);
    m.hatype = msg.h16(18);
    m.ifindex = msg.h32(20);
    m.ifflags = msg.h32(24);
    for_each_attribute(msg.sub(32), [&](std::uint16_t type, Bytes v) {
      Reader a(v);
      switch (type) {
        case IFLA_IFNAME: copy_name(v, m.ifname); break;
        case IFLA_MTU: m.mtu = a.h32(0); break;
        case IFLA_OPERSTATE: m.operstate = a.u8(0); break;
        case IFLA_ADDRESS:
          m.lladdr_len = static_cast<std::uint8_t>(v.size() < m.lladdr.size() ? v.size() : m.lladdr.size());
          a.copy(0, m.lladdr.data(), m.lladdr_len);
          break;
        default: break;
      }
    });
  } else if (t == RTM_NEWADDR || t == RTM_DELADDR || t == RTM_GETADDR) {
    if (!msg.has(16, 8)) return;
    m.body = NetlinkMessage::Body::addr;
    m.family = msg.u8(16);
    m.prefixlen = msg.u8(17);
    m.ifflags = msg.u8(18);
    m.scope = msg.u8(19);
    m.ifindex = msg.h32(20);
    for_each_attribute(msg.sub(24), [&](std::uint16_t type, Bytes v) {
      switch (type) {
        case IFA_ADDRESS: copy_address(v, m.family, m.address, m.has_address); break;
        case IFA_LOCAL: copy_address(v, m.family, m.local, m.has_local); break;
        case IFA_LABEL: copy_name(v, m.ifname); break;
        case IFA_FLAGS: m.ifflags = Reader(v).h32(0); break;
        default: break;
      }
    });
  } else if (t == RTM_NEWROUTE || t == RTM_DELROUTE || t == RTM_GETROUTE) {
    if (!msg.has(16, 12)) return;
    m.body = NetlinkMessage::Body::route;
    m.family = msg.u8(16);
    m.prefixlen = msg.u8(17);
    m.table = msg.u8(20);
    m.route_protocol = msg.u8(21);
    m.scope = msg.u8(22);
    m.route_type = msg.u8(23);
    for_each_attribute(msg.sub(28), [&](std::uint16_t type, Bytes v) {
      Reader a(v);
      switch (type) {
        case RTA_DST: copy_address(v, m.family, m.address, m.has_address); break;
        case RTA_GATEWAY: copy_address(v, m.family, m.gateway, m.has_gateway); break;
        case RTA_OIF: m.ifindex = a.h32(0); break;
        case RTA_PRIORITY: m.priority = a.h32(0); break;
        case RTA_TABLE:
          if (a.h32(0) < 256) m.table = static_cast<std::uint8_t>(a.h32(0));
          break;
        default: break;
      }
    });
  } else if (t == RTM_NEWNEIGH || t == RTM_DELNEIGH || t == RTM_GETNEIGH) {
    if (!msg.has(16, 12)) return;
    m.body = NetlinkMessage::Body::neigh;
    m.family = msg.u8(16);
    m.ifindex = msg.h32(20);
    m.state = msg.h16(24);
    for_each_attribute(msg.sub(28), [&](std::uint16_t type, Bytes v) {
      switch (type) {
        case NDA_DST: copy_address(v, m.family, m.address, m.has_address); break;
        case NDA_LLADDR:
          m.lladdr_len = static_cast<std::uint8_t>(v.size() < m.lladdr.size() ? v.size() : m.lladdr.size());
          Reader(v).copy(0, m.lladdr.data(), m.lladdr_len);
          break;
        default: break;
      }
    });
  }
}

}  // namespace

Step decode_netlink(Bytes b, std::uint32_t, std::uint16_t protocol, Packet& p) {
  Reader r(b);
  if (!r.has(0, 16)) return truncated(p, "netlink", b.size(), 16);
  NetlinkMessage m;
  m.protocol = protocol;
  m.len = r.h32(0);
  m.type = r.h16(4);
  m.flags = r.h16(6);
  m.seq = r.h32(8);
  m.pid = r.h32(12);
  if (m.len < 16) {
    push(p, m);
    return damaged(p, "netlink", "bad message length", m.len);
  }
  // Count the messages of the record; each is at least a header long, so the
  // walk ends within b.size() / 16 steps.
  std::size_t off = 0;
  std::uint32_t count = 0;
  while (r.has(off, 16)) {
    std::uint32_t len = r.h32(off);
    if (len < 16 || !r.has(off, len)) break;
    ++count;
    off += (len + 3u) & ~3u;
  }
  m.messages = count ? count : 1;
  Reader msg(r.sub(0, m.len));
  if (m.type == NLMSG_ERROR && msg.has(16, 4)) {
    m.body = NetlinkMessage::Body::error;
    m.error = static_cast<std::int32_t>(msg.h32(16));
  } else if (m.type == NLMSG_DONE) {
    m.body = NetlinkMessage::Body::done;
  } else if (protocol == NETLINK_ROUTE) {
    decode_rtnetlink(msg, m);
  }
  push(p, m);
  if (!r.has(0, m.len)) return truncated(p, "netlink", b.size(), m.len);
  return {Next::none, 0, b.size(), 0};
}

Step decode_netlink_record(Bytes b, std::uint32_t wire, Packet& p) {
  Reader r(b);
  if (!r.has(0, 16)) return truncated(p, "netlink", b.size(), 16);
  // The cooked header's protocol field holds the netlink family.
  return {Next::netlink, r.be16(14), 16, wire - 16};
}

namespace {

std::string_view action(std::uint16_t type) {
  if (type < RTM_BASE) return {};
  switch ((type - RTM_BASE) % 4) {
    case 0: return "new";
    case 1: return "del";
    case 2: return "get";
    default: return "set";
  }
}

std::string_view body_name(NetlinkMessage::Body b) {
  switch (b) {
    case NetlinkMessage::Body::link: return "link";
    case NetlinkMessage::Body::addr: return "address";
    case NetlinkMessage::Body::route: return "route";
    case NetlinkMessage::Body::neigh: return "neigh";
    case NetlinkMessage::Body::error: return "error";
    case NetlinkMessage::Body::done: return "done";
    case NetlinkMessage::Body::none: break;
  }
  return {};
}

// In the order `ip link` prints them.
constexpr std::pair<std::uint32_t, std::string_view> kIfFlags[] = {
    {IFF_LOOPBACK, "LOOPBACK"}, {IFF_BROADCAST, "BROADCAST"}, {IFF_POINTOPOINT, "POINTOPOINT"},
    {IFF_MULTICAST, "MULTICAST"}, {IFF_NOARP, "NOARP"},          {IFF_ALLMULTI, "ALLMULTI"},
    {IFF_PROMISC, "PROMISC"},    {IFF_NOTRAILERS, "NOTRAILERS"}, {IFF_DYNAMIC, "DYNAMIC"},
    {IFF_MASTER, "MASTER"},      {IFF_SLAVE, "SLAVE"},           {IFF_UP, "UP"},
    {0x10000, "LOWER_UP"},       {0x20000, "DORMANT"},           {0x40000, "ECHO"},
};

std::string_view operstate_name(std::uint8_t s) {
  static constexpr std::string_view kNames[] = {"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN",
                                                "TESTING", "DORMANT",    "UP"};
  return s < std::size(kNames) ? kNames[s] : std::string_view{};
}

std::string_view scope_name(std::uint8_t s) {
  switch (s) {
    case RT_SCOPE_UNIVERSE: return "global";
    case RT_SCOPE_SITE: return "site";
    case RT_SCOPE_LINK: return "link";
    case RT_SCOPE_HOST: return "host";
    case RT_SCOPE_NOWHERE: return "nowhere";
    default: return {};
  }
}

std::string_view table_name(std::uint8_t t) {
  switch (t) {
    case RT_TABLE_MAIN: return "main";
    case RT_TABLE_LOCAL: return "local";
    case RT_TABLE_DEFAULT: return "default";
    default: return {};
  }
}

std::string_view route_protocol_name(std::uint8_t p) {
  switch (p) {
    case RTPROT_KERNEL: return "kernel";
    case RTPROT_BOOT: return "boot";
    case RTPROT_STATIC: return "static";
    case RTPROT_RA: return "ra";
    case RTPROT_DHCP: return "dhcp";
    default: return {};
  }
}

std::string_view route_type_name(std::uint8_t t) {
  static constexpr std::string_view kNames[] = {"unspec",    "unicast",     "local",    "broadcast", "anycast",
                                                "multicast", "blackhole",   "unreachable", "prohibit", "throw",
                                                "nat",       "xresolve"};
  return t < std::size(kNames) ? kNames[t] : std::string_view{};
}

constexpr std::pair<std::uint16_t, std::string_view> kNudStates[] = {
    {NUD_INCOMPLETE, "INCOMPLETE"}, {NUD_REACHABLE, "REACHABLE"}, {NUD_STALE, "STALE"},
    {NUD_DELAY, "DELAY"},           {NUD_PROBE, "PROBE"},         {NUD_FAILED, "FAILED"},
    {NUD_NOARP, "NOARP"},           {NUD_PERMANENT, "PERMANENT"},
};

std::string_view family_word(std::uint8_t f) { return f == AF_INET6 ? "inet6" : f == AF_INET ? "inet" : "family"; }

template <class Named, class Value>
void append_named(std::string& out, Named name, Value v) {
  if (!name.empty())
    out += name;
  else
    append_uint(out, v);
}

}  // namespace

void human_netlink(std::string& out, NetlinkMessage const& m) {
  if (m.body == NetlinkMessage::Body::error) {
    out += "netlink error ";
    append_int(out, m.error);
    out += ", seq ";
    append_uint(out, m.seq);
    return;
  }
  if (m.body == NetlinkMessage::Body::none || m.body == NetlinkMessage::Body::done) {
    out += m.body == NetlinkMessage::Body::done ? "netlink done" : "netlink proto ";
    if (m.body == NetlinkMessage::Body::none) {
      append_uint(out, m.protocol);
      out += " type ";
      append_uint(out, m.type);
      out += " flags 0x";
      append_hex_number(out, m.flags, 4);
    }
    out += ", seq ";
    append_uint(out, m.seq);
    out += ", pid ";
    append_uint(out, m.pid);
    out += ", length ";
    append_uint(out, m.len);
    return;
  }
  bool v6 = m.family == AF_INET6;
  out += "rtnetlink ";
  out += action(m.type);
  out += ' ';
  out += body_name(m.body);
  out += ' ';
  switch (m.body) {
    case NetlinkMessage::Body::link: {
      append_uint(out, m.ifindex);
      out += ": ";
      append_printable(out, c_string(m.ifname.data(), m.ifname.size()));
      out += ": <";
      bool first = true;
      for (auto [bit, name] : kIfFlags) {
        if (!(m.ifflags & bit)) continue;
        if (!first) out += ',';
        out += name;
        first = false;
      }
      out += '>';
      if (m.mtu) {
        out += " mtu ";
        append_uint(out, m.mtu);
      }
      if (auto s = operstate_name(m.operstate); !s.empty()) {
        out += " state ";
        out += s;
      }
      if (m.lladdr_len) {
        out += m.hatype == 1 ? " link/ether " : " link/";
        if (m.hatype != 1) {
          append_uint(out, m.hatype);
          out += ' ';
        }
        append_mac(out, m.lladdr.data(), m.lladdr_len);
      }
      break;
    }
    case NetlinkMessage::Body::addr:
      append_uint(out, m.ifindex);
      out += ": ";
      out += family_word(m.family);
      out += ' ';
      append_ip(out, m.has_local ? m.local : m.address, v6);
      out += '/';
      append_uint(out, m.prefixlen);
      if (m.has_local && m.has_address && m.local != m.address) {
        out += " peer ";
        append_ip(out, m.address, v6);
      }
      out += " scope ";
      append_named(out, scope_name(m.scope), m.scope);
      if (m.ifname[0]) {
        out += ' ';
        append_printable(out, c_string(m.ifname.data(), m.ifname.size()));
      }
      break;
    case NetlinkMessage::Body::route:
      if (m.has_address) {
        append_ip(out, m.address, v6);
        out += '/';
        append_uint(out, m.prefixlen);
      } else {
        out += "default";
      }
      if (m.has_gateway) {
        out += " via ";
        append_ip(out, m.gateway, v6);
      }
      if (m.ifindex) {
        out += " dev ";
        append_uint(out, m.ifindex);
      }
      out += " table ";
      append_named(out, table_name(m.table), m.table);
      out += " proto ";
      append_named(out, route_protocol_name(m.route_protocol), m.route_protocol);
      out += " scope ";
      append_named(out, scope_name(m.scope), m.scope);
      if (m.route_type != RTN_UNICAST) {
        out += " type ";
        append_named(out, route_type_name(m.route_type), m.route_type);
      }
      break;
    case NetlinkMessage::Body::neigh:
      if (m.has_address) append_ip(out, m.address, v6);
      out += " dev ";
      append_uint(out, m.ifindex);
      if (m.lladdr_len) {
        out += " lladdr ";
        append_mac(out, m.lladdr.data(), m.lladdr_len);
      }
      for (auto [bit, name] : kNudStates) {
        if (!(m.state & bit)) continue;
        out += ' ';
        out += name;
      }
      break;
    default: break;
  }
}

void json_netlink(std::string& out, NetlinkMessage const& m) {
  JsonObject o(out, "netlink");
  o.num("protocol", m.protocol).num("len", m.len).num("type", m.type).num("flags", m.flags);
  o.num("seq", m.seq).num("pid", m.pid);
  if (m.messages > 1) o.num("messages", m.messages);
  bool v6 = m.family == AF_INET6;
  switch (m.body) {
    case NetlinkMessage::Body::none: return;
    case NetlinkMessage::Body::error: o.snum("error", m.error); return;
    case NetlinkMessage::Body::done: o.boolean("done", true); return;
    default: break;
  }
  o.plain("action", action(m.type));
  o.key(body_name(m.body));
  JsonObject b(out, {});
  switch (m.body) {
    case NetlinkMessage::Body::link: {
      b.num("ifindex", m.ifindex).str("ifname", c_string(m.ifname.data(), m.ifname.size()));
      b.key("flags");
      out += '[';
      bool first = true;
      for (auto [bit, name] : kIfFlags) {
        if (!(m.ifflags & bit)) continue;
        if (!first) out += ',';
        out += '"';
        out += name;
        out += '"';
        first = false;
      }
      out += ']';
      if (m.mtu) b.num("mtu", m.mtu);
      if (auto s = operstate_name(m.operstate); !s.empty()) b.plain("operstate", s);
      b.num("hatype", m.hatype);
      if (m.lladdr_len) b.mac("address", m.lladdr.data(), m.lladdr_len);
      break;
    }
    case NetlinkMessage::Body::addr:
      b.num("ifindex", m.ifindex).plain("family", family_word(m.family)).num("prefixlen", m.prefixlen);
      if (m.has_address) b.ip("address", m.address, v6);
      if (m.has_local) b.ip("local", m.local, v6);
      b.num("scope", m.scope).num("flags", m.ifflags);
      if (m.ifname[0]) b.str("label", c_string(m.ifname.data(), m.ifname.size()));
      break;
    case NetlinkMessage::Body::route:
      b.plain("family", family_word(m.family)).num("dst_len", m.prefixlen);
      if (m.has_address) b.ip("dst", m.address, v6);
      if (m.has_gateway) b.ip("gateway", m.gateway, v6);
      if (m.ifindex) b.num("oif", m.ifindex);
      b.num("table", m.table).num("protocol", m.route_protocol).num("scope", m.scope).num("type", m.route_type);
      if (m.priority) b.num("priority", m.priority);
      break;
    case NetlinkMessage::Body::neigh:
      b.plain("family", family_word(m.family)).num("ifindex", m.ifindex);
      if (m.has_address) b.ip("dst", m.address, v6);
      if (m.lladdr_len) b.mac("lladdr", m.lladdr.data(), m.lladdr_len);
      b.num("state", m.state);
      break;
    default: break;
  }
}

}  // namespace sockctl::decode
