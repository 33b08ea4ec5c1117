// endpoint.cpp: the scheme table, and parsing, resolving and printing of
// endpoints, dispatched to one codec per family (src/family/).
// See: SPEC.md "Endpoints", getaddrinfo(3), if_nametoindex(3).
#include "sockctl/endpoint.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <fmt/format.h>
#include <linux/can.h>

#include "family/family.hpp"
#include "sockctl/bluetooth.hpp"
#include "sockctl/names.hpp"
#include "sockctl/spell.hpp"

namespace sockctl {

namespace {

using bt::kProtoHci, bt::kProtoL2cap, bt::kProtoRfcomm, bt::kProtoSco;
#ifndef CAN_ISOTP
constexpr int CAN_ISOTP = 6;
#endif

constexpr Scheme kSchemes[] = {
    {"alg", AF_ALG, SOCK_SEQPACKET, 0, Codec::alg, "TYPE:NAME", "alg:hash:sha256"},
    {"can", AF_CAN, SOCK_RAW, CAN_RAW, Codec::can, "IFACE|any", "can:vcan0"},
    {"can-bcm", AF_CAN, SOCK_DGRAM, CAN_BCM, Codec::can, "IFACE|any", "can-bcm:vcan0"},
    {"can-isotp", AF_CAN, SOCK_DGRAM, CAN_ISOTP, Codec::isotp, "IFACE:TXID:RXID", "can-isotp:vcan0:7e0:7e8"},
    {"fd", AF_UNSPEC, 0, 0, Codec::fd, "N", "fd:3"},
    {"hci", AF_BLUETOOTH, SOCK_RAW, kProtoHci, Codec::hci, "DEV[:raw|user|monitor|control]", "hci:0:monitor"},
    {"ip", AF_UNSPEC, SOCK_RAW, 0, Codec::ip_raw, "HOST:PROTO", "ip:127.0.0.1:icmp"},
    {"ip4", AF_INET, SOCK_RAW, 0, Codec::ip_raw, "HOST:PROTO", "ip4:127.0.0.1:icmp"},
    {"ip6", AF_INET6, SOCK_RAW, 0, Codec::ip_raw, "HOST:PROTO", "ip6:[::1]:ipv6-icmp"},
    {"l2cap", AF_BLUETOOTH, SOCK_SEQPACKET, kProtoL2cap, Codec::l2cap, "BDADDR:PSM", "l2cap:00:11:22:33:44:55:4097"},
    {"l2cap-stream", AF_BLUETOOTH, SOCK_STREAM, kProtoL2cap, Codec::l2cap, "BDADDR:PSM", "l2cap-stream:00:11:22:33:44:55:4097"},
    {"mptcp", AF_UNSPEC, SOCK_STREAM, IPPROTO_MPTCP, Codec::inet, "HOST:PORT", "mptcp:127.0.0.1:80"},
    {"netlink", AF_NETLINK, SOCK_RAW, 0, Codec::netlink, "PROTO[:GROUPS]", "netlink:route:link,ipv4-ifaddr"},
    {"packet", AF_PACKET, SOCK_RAW, 0, Codec::packet, "IFACE[:ETHERTYPE]", "packet:eth0:0x0806"},
    {"packet-dgram", AF_PACKET, SOCK_DGRAM, 0, Codec::packet, "IFACE[:ETHERTYPE]", "packet-dgram:eth0:ip"},
    {"rds", AF_RDS, SOCK_SEQPACKET, 0, Codec::rds, "HOST:PORT", "rds:127.0.0.1:4000"},
    {"rfcomm", AF_BLUETOOTH, SOCK_STREAM, kProtoRfcomm, Codec::rfcomm, "BDADDR:CHANNEL", "rfcomm:00:11:22:33:44:55:3"},
    {"sco", AF_BLUETOOTH, SOCK_SEQPACKET, kProtoSco, Codec::sco, "BDADDR", "sco:00:11:22:33:44:55"},
    {"sctp", AF_UNSPEC, SOCK_STREAM, IPPROTO_SCTP, Codec::inet, "HOST:PORT", "sctp:127.0.0.1:9899"},
    {"sctp-seqpacket", AF_UNSPEC, SOCK_SEQPACKET, IPPROTO_SCTP, Codec::inet, "HOST:PORT", "sctp-seqpacket::9899"},
    {"systemd", AF_UNSPEC, 0, 0, Codec::systemd, "[NAME]", "systemd:"},
    {"tcp", AF_UNSPEC, SOCK_STREAM, IPPROTO_TCP, Codec::inet, "HOST:PORT", "tcp:[::1]:8080"},
    {"tcp4", AF_INET, SOCK_STREAM, IPPROTO_TCP, Codec::inet, "HOST:PORT", "tcp4:127.0.0.1:8080"},
    {"tcp6", AF_INET6, SOCK_STREAM, IPPROTO_TCP, Codec::inet, "HOST:PORT", "tcp6:[::1]:8080"},
    {"tipc", AF_TIPC, SOCK_RDM, 0, Codec::tipc, "TYPE:INSTANCE|TYPE:LOWER-UPPER|id:NODE:REF[@SCOPE]", "tipc:18888:17@cluster"},
    {"tipc-dgram", AF_TIPC, SOCK_DGRAM, 0, Codec::tipc, "TYPE:INSTANCE|TYPE:LOWER-UPPER|id:NODE:REF[@SCOPE]", "tipc-dgram:18888:0-99"},
    {"tipc-seqpacket", AF_TIPC, SOCK_SEQPACKET, 0, Codec::tipc, "TYPE:INSTANCE|TYPE:LOWER-UPPER|id:NODE:REF[@SCOPE]", "tipc-seqpacket:18888:17"},
    {"tipc-stream", AF_TIPC, SOCK_STREAM, 0, Codec::tipc, "TYPE:INSTANCE|TYPE:LOWER-UPPER|id:NODE:REF[@SCOPE]", "tipc-stream:18888:17"},
    {"udp", AF_UNSPEC, SOCK_DGRAM, IPPROTO_UDP, Codec::inet, "HOST:PORT", "udp:<broadcast>:9"},
    {"udp4", AF_INET, SOCK_DGRAM, IPPROTO_UDP, Codec::inet, "HOST:PORT", "udp4:127.0.0.1:53"},
    {"udp6", AF_INET6, SOCK_DGRAM, IPPROTO_UDP, Codec::inet, "HOST:PORT", "udp6:[::1]:53"},
    {"unix", AF_UNIX, SOCK_STREAM, 0, Codec::unix_, "PATH|@NAME", "unix:@sockctl-demo"},
    {"unix-dgram", AF_UNIX, SOCK_DGRAM, 0, Codec::unix_, "PATH|@NAME", "unix-dgram:/tmp/log.sock"},
    {"unix-seqpacket", AF_UNIX, SOCK_SEQPACKET, 0, Codec::unix_, "PATH|@NAME", "unix-seqpacket:@seq"},
    {"vsock", AF_VSOCK, SOCK_STREAM, 0, Codec::vsock, "CID:PORT", "vsock:local:9000"},
};

static_assert(std::is_sorted(std::begin(kSchemes), std::end(kSchemes),
                             [](Scheme const& a, Scheme const& b) { return a.name < b.name; }),
              "kSchemes must stay sorted by name");

bool is_inet_codec(Codec c) { return c == Codec::inet || c == Codec::ip_raw; }

// A bare "HOST:PORT" is tcp; "[v6]:port" too. Anything else before the first
// ':' that is not a scheme is a misspelt scheme when more colons follow.
bool looks_bare(std::string_view text) {
  if (text.starts_with('[')) return true;
  return std::count(text.begin(), text.end(), ':') == 1;
}

// "unx:/tmp/sock" or "cam:vcan0" would otherwise be a tcp host with a service
// name and fail only at resolution, far from the typo. A name one edit from a
// scheme, before something that is not a port number, is taken as the typo.
bool misspelt_scheme(std::string_view name, std::string_view rest) {
  if (name.size() < 2 || name.starts_with('[')) return false;
  if (!rest.empty() && std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  return std::any_of(std::begin(kSchemes), std::end(kSchemes),
                     [&](Scheme const& s) {
                       return name.size() + 1 >= s.name.size() && name.size() <= s.name.size() + 1 &&
                              edit_distance(name, s.name) == 1;
                     });
}

}  // namespace

std::span<Scheme const> schemes() { return kSchemes; }

Scheme const* find_scheme(std::string_view name) {
  auto it = std::lower_bound(std::begin(kSchemes), std::end(kSchemes), name,
                             [](Scheme const& s, std::string_view n) { return s.name < n; });
  return it != std::end(kSchemes) && it->name == name ? &*it : nullptr;
}

Scheme const* scheme_for(int family, int type, int protocol) {
  Scheme const* wildcard = nullptr;
  for (auto const& s : kSchemes) {
    if (s.codec == Codec::fd || s.codec == Codec::systemd) continue;
    bool family_ok = s.family == family ||
                     (s.family == AF_UNSPEC && is_inet_codec(s.codec) && (family == AF_INET || family == AF_INET6));
    if (!family_ok || s.type != type) continue;
    if (s.protocol == protocol) return &s;
    if (s.protocol == 0 && !wildcard) wildcard = &s;
  }
  return wildcard;
}

std::string suggest_scheme(std::string_view wrong) {
  std::string best;
  size_t best_d = 3;
  for (auto const& s : kSchemes) {
    // The distance is at least the difference in length: skip the quadratic
    // work for a long word (a whole mistyped endpoint) that cannot be close.
    if (std::max(wrong.size(), s.name.size()) - std::min(wrong.size(), s.name.size()) >= best_d) continue;
    size_t d = edit_distance(wrong, s.name);
    if (d < best_d) {
      best_d = d;
      best = s.name;
    }
  }
  return best;
}

Result<Endpoint> parse_endpoint(std::string_view text, ParseOptions opts) {
  Endpoint ep;
  ep.text = std::string(text);
  if (text.empty()) return Error::usage("bad endpoint ''", "empty endpoint");
  auto colon = text.find(':');
  std::string_view body;
  Scheme const* scheme = nullptr;
  if (colon != std::string_view::npos) scheme = find_scheme(text.substr(0, colon));
  if (scheme) {
    body = text.substr(colon + 1);
  } else if (colon != std::string_view::npos && looks_bare(text) &&
             !misspelt_scheme(text.substr(0, colon), text.substr(colon + 1))) {
    scheme = opts.default_scheme ? opts.default_scheme : find_scheme("tcp");
    body = text;
  } else if (colon == std::string_view::npos) {
    auto e = family::bad_endpoint(ep, "expected SCHEME:BODY or HOST:PORT");
    if (auto s = suggest_scheme(text); !s.empty()) e.why += fmt::format(", did you mean '{}:...'?", s);
    return e;
  } else if (colon == 0) {
    return family::bad_endpoint(ep, "missing scheme before ':' (IPv6 addresses go in brackets: tcp:[::1]:80)");
  } else {
    auto name = text.substr(0, colon);
    auto e = Error::usage(fmt::format("unknown scheme '{}' in '{}'", name, text));
    if (auto s = suggest_scheme(name); !s.empty()) e.what += fmt::format(", did you mean '{}'?", s);
    return e;
  }
  ep.scheme = scheme;
  ep.family = scheme->family;
  ep.type = scheme->type;
  ep.protocol = scheme->protocol;
  TRY(family::codec_for(scheme->codec).parse(body, ep, opts));
  return ep;
}

namespace {

Result<unsigned> interface_index(Endpoint const& ep) {
  auto const& name = ep.interface;
  if (name.empty() || name == "any") return 0u;
  if (auto n = family::parse_number(name, 0xffffffffu, 10)) return static_cast<unsigned>(*n);
  unsigned idx = if_nametoindex(name.c_str());
  if (idx == 0)
    return Error::make(Exit::unavailable, fmt::format("interface '{}' in '{}'", name, ep.text),
                       "no such interface");
  return idx;
}

Result<std::vector<SockAddr>> resolve_inet(Endpoint const& ep, ResolveOptions const& opts) {
  addrinfo hints{};
  // rds: speaks AF_RDS but is addressed with IPv4 sockaddrs.
  hints.ai_family = opts.family ? opts.family : ep.scheme->codec == Codec::rds ? AF_INET : ep.family;
  // Hints only choose which service table to read; the socket's real type and
  // protocol (raw, seqpacket, MPTCP) are set when it is opened.
  hints.ai_socktype = ep.type == SOCK_DGRAM ? SOCK_DGRAM : SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG;
  if (opts.passive) hints.ai_flags |= AI_PASSIVE;
  std::string host = ep.host;
  if (!ep.zone.empty()) host += "%" + ep.zone;
  std::string service = ep.service.empty() ? "0" : ep.service;
  if (ep.broadcast) host = "255.255.255.255";
  addrinfo* res = nullptr;
  int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &res);
  if (rc != 0) return Error::gai(fmt::format("resolve '{}'", ep.text), rc);
  std::vector<SockAddr> out;
  for (auto* ai = res; ai; ai = ai->ai_next) {
    SockAddr a(ai->ai_addr, ai->ai_addrlen);
    if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  }
  freeaddrinfo(res);
  return out;
}

}  // namespace

Result<std::vector<SockAddr>> resolve_endpoint(Endpoint const& ep, ResolveOptions opts) {
  auto const& codec = family::codec_for(ep.scheme->codec);
  if (ep.address) {
    SockAddr a = *ep.address;
    if (!ep.interface.empty() && codec.set_ifindex) codec.set_ifindex(a, TRY(interface_index(ep)));
    return std::vector<SockAddr>{a};
  }
  if (is_inet_codec(ep.scheme->codec) || ep.scheme->codec == Codec::rds) return resolve_inet(ep, opts);
  return Error::usage(fmt::format("endpoint '{}'", ep.text), "has no address to resolve");
}

namespace {

// Whether a scheme's codec can print a sockaddr of this family.
bool prints_family(Scheme const& s, int family) {
  switch (s.codec) {
    case Codec::inet:
    case Codec::ip_raw:
      return s.family == AF_UNSPEC ? family == AF_INET || family == AF_INET6 : s.family == family;
    case Codec::rds: return family == AF_INET;
    case Codec::fd:
    case Codec::systemd: return false;
    default: return s.family == family;
  }
}

// The scheme an address prints under. A socket's scheme may not fit the
// address (fd:N, a socket of unknown kind, a peer of another family): then the
// row for the family, type and protocol, or the family's first row of that
// type, or its first row at all. nullptr when no scheme has the family.
Scheme const* printing_scheme(SockAddr const& a, Scheme const& s, int protocol) {
  int family = a.family();
  if (prints_family(s, family)) return &s;
  if (auto* t = scheme_for(family, s.type, protocol); t && prints_family(*t, family)) return t;
  for (auto const& t : kSchemes)
    if (t.type == s.type && prints_family(t, family)) return &t;
  // With no type to go by, an IP address is tcp's rather than raw ip's.
  if (family == AF_INET || family == AF_INET6) return find_scheme("tcp");
  for (auto const& t : kSchemes)
    if (prints_family(t, family)) return &t;
  return nullptr;
}

// Length of the valid UTF-8 sequence at s[i], or 0 (RFC 3629: no overlongs,
// no surrogates, nothing above U+10FFFF).
size_t utf8_sequence(std::string_view s, size_t i) {
  auto at = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = at(i);
  if (c < 0x80) return 1;
  size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((at(i + k) & 0xc0) != 0x80) return 0;
  if ((c == 0xe0 && at(i + 1) < 0xa0) || (c == 0xed && at(i + 1) > 0x9f) || (c == 0xf0 && at(i + 1) < 0x90) ||
      (c == 0xf4 && at(i + 1) > 0x8f))
    return 0;
  return n;
}

// JSON strings must be UTF-8, sockaddrs need not be (a unix path is bytes):
// a byte that is not part of valid UTF-8 is written as \xHH, as unix: names
// write bytes that do not print.
void escape_invalid_utf8(Json& j) {
  for (auto& [key, value] : j.items()) {
    if (!value.is_string()) continue;
    auto const& s = value.get_ref<std::string const&>();
    std::string out;
    bool changed = false;
    for (size_t i = 0; i < s.size();) {
      if (size_t n = utf8_sequence(s, i)) {
        out.append(s, i, n);
        i += n;
      } else {
        out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[i++]));
        changed = true;
      }
    }
    if (changed) value = std::move(out);
  }
}

}  // namespace

std::string format_endpoint(SockAddr const& a, Scheme const& s) { return format_endpoint(a, s, s.protocol); }

std::string format_endpoint(SockAddr const& a, Scheme const& s, int protocol) {
  auto const* scheme = printing_scheme(a, s, protocol);
  if (!scheme) return family::format_unprintable(a, family_name(a.family()));
  return family::codec_for(scheme->codec).format(a, *scheme, protocol);
}

Json address_json(SockAddr const& a, Scheme const& s) { return address_json(a, s, s.protocol); }

Json address_json(SockAddr const& a, Scheme const& s, int protocol) {
  Json j;
  j["family"] = family_name(a.family());
  if (auto const* scheme = printing_scheme(a, s, protocol)) {
    family::codec_for(scheme->codec).fields(a, j);
  } else {
    auto b = a.bytes();
    j["sockaddr"] = fmt::format("{:02x}", fmt::join(reinterpret_cast<uint8_t const*>(b.data()),
                                                    reinterpret_cast<uint8_t const*>(b.data() + b.size()), ""));
  }
  j["endpoint"] = format_endpoint(a, s, protocol);
  escape_invalid_utf8(j);
  return j;
}

namespace family {

FamilyCodec const& codec_for(Codec c) {
  switch (c) {
    case Codec::inet: return kInet;
    case Codec::ip_raw: return kIpRaw;
    case Codec::unix_: return kUnix;
    case Codec::vsock: return kVsock;
    case Codec::tipc: return kTipc;
    case Codec::can: return kCan;
    case Codec::isotp: return kIsotp;
    case Codec::l2cap: return kL2cap;
    case Codec::rfcomm: return kRfcomm;
    case Codec::sco: return kSco;
    case Codec::hci: return kHci;
    case Codec::alg: return kAlg;
    case Codec::netlink: return kNetlink;
    case Codec::packet: return kPacket;
    case Codec::rds: return kRds;
    case Codec::fd: return kFd;
    case Codec::systemd: return kSystemd;
  }
  return kFd;
}

Error bad_endpoint(Endpoint const& ep, std::string why) {
  return Error::usage(fmt::format("bad endpoint '{}'", ep.text), std::move(why));
}

std::optional<uint64_t> parse_number(std::string_view s, uint64_t max, int base) {
  if (s.empty()) return std::nullopt;
  if (base == 0) {
    base = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
      base = 16;
      s.remove_prefix(2);
    }
  }
  uint64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || v > max) return std::nullopt;
  return v;
}

std::string interface_name(unsigned ifindex) {
  char buf[IF_NAMESIZE];
  if (ifindex != 0 && if_indextoname(ifindex, buf)) return buf;
  return std::to_string(ifindex);
}

std::string interface_or_any(unsigned ifindex) { return ifindex == 0 ? "any" : interface_name(ifindex); }

Result<void> parse_interface(std::string_view name, Endpoint& ep) {
  if (name.empty()) return bad_endpoint(ep, "missing interface name (use 'any' for every interface)");
  if (name.size() >= IF_NAMESIZE)
    return bad_endpoint(ep, fmt::format("interface name '{}' is {} bytes, the limit is {}", name, name.size(),
                                        IF_NAMESIZE - 1));
  if (name == "." || name == "..") return bad_endpoint(ep, fmt::format("'{}' is not an interface name", name));
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (c == '/' || c == ':' || u <= 0x20 || u == 0x7f)
      return bad_endpoint(ep, fmt::format("interface name '{}' may not contain '{}'", name,
                                          u < 0x20 || u == 0x7f ? fmt::format("\\x{:02x}", u) : std::string(1, c)));
  }
  ep.interface = std::string(name);
  return {};
}

std::string format_unprintable(SockAddr const& a, std::string_view scheme) {
  auto b = a.bytes();
  if (b.empty()) return fmt::format("{}:<empty sockaddr>", scheme);
  return fmt::format("{}:<sockaddr {:02x}>", scheme,
                     fmt::join(reinterpret_cast<uint8_t const*>(b.data()),
                               reinterpret_cast<uint8_t const*>(b.data() + b.size()), ""));
}

std::optional<std::pair<std::string_view, std::string_view>> split_first(std::string_view s, char c) {
  auto i = s.find(c);
  if (i == std::string_view::npos) return std::nullopt;
  return std::pair{s.substr(0, i), s.substr(i + 1)};
}

std::optional<std::pair<std::string_view, std::string_view>> split_last(std::string_view s, char c) {
  auto i = s.rfind(c);
  if (i == std::string_view::npos) return std::nullopt;
  return std::pair{s.substr(0, i), s.substr(i + 1)};
}

}  // namespace family
}  // namespace sockctl
