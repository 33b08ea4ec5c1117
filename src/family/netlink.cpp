// netlink.cpp: AF_NETLINK endpoints, "netlink:PROTO[:GROUPS][@PID]": the
// protocol by name (route, audit, kobject-uevent, ...) or number, the
// multicast groups to join as names (route's RTNLGRP_* in lower case with
// '-') or a bit mask, and the port id for addressing another socket.
// See: netlink(7), rtnetlink(7), linux/netlink.h, linux/rtnetlink.h.
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <span>
#include <vector>

#include <fmt/format.h>

#include "family/family.hpp"
#include "sockctl/spell.hpp"

namespace sockctl::family {

namespace {

constexpr int kMaxProtocol = 31;  // MAX_LINKS - 1 in the kernel

constexpr std::pair<int, std::string_view> kProtocols[] = {
    {NETLINK_ROUTE, "route"},
    {NETLINK_USERSOCK, "usersock"},
    {NETLINK_FIREWALL, "firewall"},
    {NETLINK_SOCK_DIAG, "sock-diag"},
    {NETLINK_NFLOG, "nflog"},
    {NETLINK_XFRM, "xfrm"},
    {NETLINK_SELINUX, "selinux"},
    {NETLINK_ISCSI, "iscsi"},
    {NETLINK_AUDIT, "audit"},
    {NETLINK_FIB_LOOKUP, "fib-lookup"},
    {NETLINK_CONNECTOR, "connector"},
    {NETLINK_NETFILTER, "netfilter"},
    {NETLINK_IP6_FW, "ip6-fw"},
    {NETLINK_DNRTMSG, "dnrtmsg"},
    {NETLINK_KOBJECT_UEVENT, "kobject-uevent"},
    {NETLINK_GENERIC, "generic"},
    {NETLINK_SCSITRANSPORT, "scsitransport"},
    {NETLINK_ECRYPTFS, "ecryptfs"},
    {NETLINK_RDMA, "rdma"},
    {NETLINK_CRYPTO, "crypto"},
    {NETLINK_SMC, "smc"},
    {NETLINK_INET_DIAG, "inet-diag"},  // an alias: prints as sock-diag
};

struct Group {
  unsigned number;  // group g is bit 1 << (g - 1) of nl_groups
  std::string_view name;
};

// rtnetlink's groups (enum rtnetlink_groups). The NOP placeholders have no
// name; groups above 32 are listed so that asking for one gets a hint.
constexpr Group kRouteGroups[] = {
    {RTNLGRP_LINK, "link"},
    {RTNLGRP_NOTIFY, "notify"},
    {RTNLGRP_NEIGH, "neigh"},
    {RTNLGRP_TC, "tc"},
    {RTNLGRP_IPV4_IFADDR, "ipv4-ifaddr"},
    {RTNLGRP_IPV4_MROUTE, "ipv4-mroute"},
    {RTNLGRP_IPV4_ROUTE, "ipv4-route"},
    {RTNLGRP_IPV4_RULE, "ipv4-rule"},
    {RTNLGRP_IPV6_IFADDR, "ipv6-ifaddr"},
    {RTNLGRP_IPV6_MROUTE, "ipv6-mroute"},
    {RTNLGRP_IPV6_ROUTE, "ipv6-route"},
    {RTNLGRP_IPV6_IFINFO, "ipv6-ifinfo"},
    {RTNLGRP_DECnet_IFADDR, "decnet-ifaddr"},
    {RTNLGRP_DECnet_ROUTE, "decnet-route"},
    {RTNLGRP_DECnet_RULE, "decnet-rule"},
    {RTNLGRP_IPV6_PREFIX, "ipv6-prefix"},
    {RTNLGRP_IPV6_RULE, "ipv6-rule"},
    {RTNLGRP_ND_USEROPT, "nd-useropt"},
    {RTNLGRP_PHONET_IFADDR, "phonet-ifaddr"},
    {RTNLGRP_PHONET_ROUTE, "phonet-route"},
    {RTNLGRP_DCB, "dcb"},
    {RTNLGRP_IPV4_NETCONF, "ipv4-netconf"},
    {RTNLGRP_IPV6_NETCONF, "ipv6-netconf"},
    {RTNLGRP_MDB, "mdb"},
    {RTNLGRP_MPLS_ROUTE, "mpls-route"},
    {RTNLGRP_NSID, "nsid"},
    {RTNLGRP_MPLS_NETCONF, "mpls-netconf"},
    {RTNLGRP_IPV4_MROUTE_R, "ipv4-mroute-r"},
    {RTNLGRP_IPV6_MROUTE_R, "ipv6-mroute-r"},
    {RTNLGRP_NEXTHOP, "nexthop"},
    {RTNLGRP_BRVLAN, "brvlan"},
    {RTNLGRP_MCTP_IFADDR, "mctp-ifaddr"},
    {RTNLGRP_TUNNEL, "tunnel"},
    {RTNLGRP_STATS, "stats"},
    // Newer than this system's headers (Linux 6.3+).
    {37, "ipv4-mcaddr"},
    {38, "ipv6-mcaddr"},
    {39, "ipv6-acaddr"},
};

// The uevent groups: 1 carries the kernel's events, 2 udev's re-broadcast.
constexpr Group kUeventGroups[] = {{1, "kernel"}, {2, "udev"}};

std::span<Group const> groups_of(int protocol) {
  if (protocol == NETLINK_ROUTE) return kRouteGroups;
  if (protocol == NETLINK_KOBJECT_UEVENT) return kUeventGroups;
  return {};
}

// Names are written with '-'; the kernel's '_' spelling is accepted too.
std::string dashed(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c == '_') c = '-';
  return out;
}

std::string protocol_text(int protocol) {
  for (auto const& [value, name] : kProtocols)
    if (value == protocol) return std::string(name);
  return std::to_string(protocol);
}

template <class Names>
std::string nearest(std::string_view wrong, Names const& names) {
  std::string_view best;
  size_t best_d = 3;
  for (std::string_view name : names) {
    if (std::max(wrong.size(), name.size()) - std::min(wrong.size(), name.size()) >= best_d) continue;
    if (size_t d = edit_distance(wrong, name, true); d < best_d) {
      best_d = d;
      best = name;
    }
  }
  return best.empty() ? std::string() : fmt::format(", did you mean '{}'?", best);
}

Result<int> parse_protocol(std::string_view s, Endpoint const& ep) {
  if (s.empty()) return bad_endpoint(ep, "missing netlink protocol (route, audit, generic, ... or a number)");
  if (auto n = parse_number(s, 0xffffffffu)) {
    if (*n > kMaxProtocol)
      return bad_endpoint(ep, fmt::format("netlink protocol {} is above {}", *n, kMaxProtocol));
    return static_cast<int>(*n);
  }
  auto name = dashed(s);
  for (auto const& [value, text] : kProtocols)
    if (name == text) return value;
  std::vector<std::string_view> names;
  for (auto const& p : kProtocols) names.push_back(p.second);
  return bad_endpoint(ep, fmt::format("unknown netlink protocol '{}'{}", s, nearest(name, names)));
}

Result<uint32_t> parse_groups(std::string_view s, int protocol, Endpoint const& ep) {
  if (s.empty()) return bad_endpoint(ep, "missing groups after ':' (names or a bit mask)");
  if (auto n = parse_number(s, 0xffffffffu)) return static_cast<uint32_t>(*n);
  if (s[0] >= '0' && s[0] <= '9')
    return bad_endpoint(ep, fmt::format("group mask '{}' is not a number up to 0xffffffff", s));
  auto table = groups_of(protocol);
  if (table.empty())
    return bad_endpoint(ep, fmt::format("netlink protocol '{}' has no group names: give a bit mask such as 0x1",
                                        protocol_text(protocol)));
  uint32_t mask = 0;
  for (std::string_view rest = s;;) {
    auto comma = rest.find(',');
    auto item = rest.substr(0, comma);
    if (item.empty()) return bad_endpoint(ep, fmt::format("empty group name in '{}'", s));
    auto name = dashed(item);
    Group const* group = nullptr;
    for (auto const& g : table)
      if (g.name == name) group = &g;
    if (!group) {
      std::vector<std::string_view> names;
      for (auto const& g : table) names.push_back(g.name);
      return bad_endpoint(ep, fmt::format("unknown {} group '{}'{}", protocol_text(protocol), item,
                                          nearest(name, names)));
    }
    if (group->number > 32)
      return bad_endpoint(ep, fmt::format("group '{}' is number {}, and a sockaddr holds groups 1 to 32 only: join "
                                          "it with -O NETLINK_ADD_MEMBERSHIP={}",
                                          item, group->number, group->number));
    mask |= 1u << (group->number - 1);
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return mask;
}

// The group names when every set bit has one, else the mask in hex.
std::string groups_text(uint32_t mask, int protocol) {
  std::string names;
  for (unsigned bit = 0; bit < 32; ++bit) {
    if (!(mask & (1u << bit))) continue;
    std::string_view name;
    for (auto const& g : groups_of(protocol))
      if (g.number == bit + 1) name = g.name;
    if (name.empty()) return fmt::format("{:#x}", mask);
    if (!names.empty()) names += ',';
    names += name;
  }
  return names;
}

Result<void> parse_netlink(std::string_view body, Endpoint& ep, ParseOptions const&) {
  sockaddr_nl nl{};
  nl.nl_family = AF_NETLINK;
  // "@PID" last: a port id addresses another socket (0 is the kernel); the
  // kernel assigns one at bind unless it is given.
  if (auto at = split_last(body, '@')) {
    body = at->first;
    if (at->second.empty()) return bad_endpoint(ep, "missing port id after '@'");
    auto pid = parse_number(at->second, 0xffffffffu);
    if (!pid) return bad_endpoint(ep, fmt::format("port id '{}' is not a number up to 4294967295", at->second));
    nl.nl_pid = static_cast<uint32_t>(*pid);
  }
  std::string_view proto_s = body;
  std::optional<std::string_view> groups_s;
  if (auto parts = split_first(body, ':')) {
    proto_s = parts->first;
    groups_s = parts->second;
  }
  ep.protocol = TRY(parse_protocol(proto_s, ep));
  if (groups_s) nl.nl_groups = TRY(parse_groups(*groups_s, ep.protocol, ep));
  ep.address = SockAddr::of(nl);
  return {};
}

std::string format_netlink(SockAddr const& a, Scheme const& s, int protocol) {
  auto const* nl = a.as<sockaddr_nl>(AF_NETLINK);
  if (!nl || nl->nl_pad != 0 || protocol < 0 || protocol > kMaxProtocol) return format_unprintable(a, s.name);
  std::string out = fmt::format("{}:{}", s.name, protocol_text(protocol));
  if (nl->nl_groups) out += ":" + groups_text(nl->nl_groups, protocol);
  if (nl->nl_pid) out += fmt::format("@{}", nl->nl_pid);
  return out;
}

void netlink_fields(SockAddr const& a, Json& j) {
  if (auto const* nl = a.as<sockaddr_nl>(AF_NETLINK)) {
    j["pid"] = nl->nl_pid;
    j["groups"] = nl->nl_groups;
  }
}

}  // namespace

FamilyCodec const kNetlink{parse_netlink, format_netlink, netlink_fields, nullptr};

}  // namespace sockctl::family
