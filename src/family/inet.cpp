// inet.cpp: IPv4 and IPv6 endpoints: tcp, udp, sctp, mptcp ("HOST:PORT") and
// raw ip ("HOST:PROTO"). IPv6 literals go in brackets with the zone after '%'
// and print compressed (RFC 5952, which inet_ntop follows).
// See: ip(7), ipv6(7), raw(7), RFC 3986 section 3.2.2.
#include <arpa/inet.h>
#include <cstring>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>

#include <fmt/format.h>

#include "family/family.hpp"

namespace sockctl::family {

bool valid_hostname(std::string_view h, std::string& why) {
  if (h.size() > 253) {
    why = fmt::format("host name is {} characters, the limit is 253", h.size());
    return false;
  }
  size_t label = 0;
  for (size_t i = 0; i <= h.size(); ++i) {
    if (i == h.size() || h[i] == '.') {
      if (label == 0 && !(i == h.size() && i > 0)) {
        why = "empty label in host name";
        return false;
      }
      if (label > 63) {
        why = fmt::format("label of {} characters in host name, the limit is 63", label);
        return false;
      }
      label = 0;
      continue;
    }
    char c = h[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '_' || static_cast<unsigned char>(c) >= 0x80;
    if (!ok) {
      why = fmt::format("character '{}' is not allowed in a host name", c);
      return false;
    }
    ++label;
  }
  return true;
}

namespace {

bool valid_service(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
          c == '.' || c == '+' || c == '/'))
      return false;
  return true;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

Result<void> parse_port(std::string_view s, Endpoint& ep, ParseOptions const& opts) {
  if (s.empty()) return bad_endpoint(ep, "missing port");
  if (auto dash = s.find('-'); dash != std::string_view::npos && all_digits(s.substr(0, dash))) {
    auto lo = parse_number(s.substr(0, dash), 65535, 10);
    auto hi = parse_number(s.substr(dash + 1), 65535, 10);
    if (!lo || !hi) return bad_endpoint(ep, fmt::format("port range '{}' is not two ports from 0 to 65535", s));
    if (*hi < *lo) return bad_endpoint(ep, fmt::format("port range '{}' runs backwards", s));
    if (!opts.allow_port_range) return bad_endpoint(ep, fmt::format("a port range '{}' is not allowed here", s));
    ep.service = std::string(s.substr(0, dash));
    ep.port_last = static_cast<uint16_t>(*hi);
    return {};
  }
  if (all_digits(s)) {
    if (!parse_number(s, 65535, 10)) return bad_endpoint(ep, fmt::format("port {} is out of range 0-65535", s));
    ep.service = std::string(s);
    return {};
  }
  if (s[0] == '-' || s[0] == '+') return bad_endpoint(ep, fmt::format("port '{}' is not a number from 0 to 65535", s));
  if (!valid_service(s)) return bad_endpoint(ep, fmt::format("'{}' is neither a port number nor a service name", s));
  ep.service = std::string(s);
  return {};
}

// Numeric host and port: the sockaddr is known now, no resolver needed.
void fill_numeric(Endpoint& ep) {
  if (!all_digits(ep.service)) return;
  uint16_t port = static_cast<uint16_t>(*parse_number(ep.service, 65535, 10));
  in_addr a4{};
  in6_addr a6{};
  if (ep.broadcast) {
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    sin.sin_addr.s_addr = INADDR_BROADCAST;
    ep.family = AF_INET;
    ep.address = SockAddr::of(sin);
  } else if (ep.family != AF_INET6 && inet_pton(AF_INET, ep.host.c_str(), &a4) == 1) {
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    sin.sin_addr = a4;
    ep.family = AF_INET;
    ep.address = SockAddr::of(sin);
  } else if (ep.family != AF_INET && inet_pton(AF_INET6, ep.host.c_str(), &a6) == 1) {
    sockaddr_in6 sin6{};
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(port);
    sin6.sin6_addr = a6;
    if (auto n = parse_number(ep.zone, 0xffffffffu, 10)) {
      sin6.sin6_scope_id = static_cast<uint32_t>(*n);
    } else if (!ep.zone.empty()) {
      ep.interface = ep.zone;  // a name: resolve_endpoint looks its index up
    }
    ep.family = AF_INET6;
    ep.address = SockAddr::of(sin6);
  }
}

}  // namespace

Result<void> parse_host_port(std::string_view body, Endpoint& ep, ParseOptions const& opts) {
  std::string_view host, port;
  if (body.starts_with('[')) {
    auto close = body.find(']');
    if (close == std::string_view::npos) return bad_endpoint(ep, "missing ']' after IPv6 address");
    host = body.substr(1, close - 1);
    auto rest = body.substr(close + 1);
    if (rest.empty()) return bad_endpoint(ep, "missing port after ']'");
    if (rest[0] != ':') return bad_endpoint(ep, "expected ':' after ']'");
    port = rest.substr(1);
    if (auto pct = host.find('%'); pct != std::string_view::npos) {
      ep.zone = std::string(host.substr(pct + 1));
      host = host.substr(0, pct);
      if (ep.zone.empty()) return bad_endpoint(ep, "empty zone after '%'");
      if (ep.zone.size() >= IF_NAMESIZE) return bad_endpoint(ep, fmt::format("zone '{}' is too long", ep.zone));
    }
    in6_addr a6{};
    if (inet_pton(AF_INET6, std::string(host).c_str(), &a6) != 1)
      return bad_endpoint(ep, fmt::format("'{}' is not an IPv6 address", host));
    if (ep.family == AF_INET) return bad_endpoint(ep, fmt::format("{} takes IPv4 addresses only", ep.scheme->name));
  } else {
    auto parts = split_last(body, ':');
    if (!parts) return bad_endpoint(ep, fmt::format("missing ':' before the {}", ep.scheme->codec == Codec::ip_raw ? "protocol" : "port"));
    std::tie(host, port) = *parts;
    if (host.find(':') != std::string_view::npos) {
      in6_addr a6{};
      if (inet_pton(AF_INET6, std::string(host).c_str(), &a6) == 1)
        return bad_endpoint(ep, fmt::format("IPv6 address '{}' must be in brackets: [{}]:{}", host, host, port));
      return bad_endpoint(ep, fmt::format("too many ':' in '{}'", body));
    }
    if (host == "<broadcast>") {
      if (ep.family == AF_INET6) return bad_endpoint(ep, "<broadcast> is IPv4 only");
      ep.broadcast = true;
    } else if (!host.empty()) {
      if (host.find('%') != std::string_view::npos) return bad_endpoint(ep, "a zone needs brackets: [ADDR%ZONE]:PORT");
      in_addr a4{};
      bool v4 = inet_pton(AF_INET, std::string(host).c_str(), &a4) == 1;
      if (v4 && ep.family == AF_INET6)
        return bad_endpoint(ep, fmt::format("{} takes IPv6 addresses only; use [::ffff:{}]", ep.scheme->name, host));
      std::string why;
      if (!v4 && !valid_hostname(host, why)) return bad_endpoint(ep, why);
    }
  }
  ep.host = std::string(host);
  if (ep.scheme->codec == Codec::ip_raw) {
    if (port.empty()) return bad_endpoint(ep, "missing protocol");
    if (auto n = parse_number(port, 255, 10)) {
      ep.protocol = static_cast<int>(*n);
    } else if (protoent* p = getprotobyname(std::string(port).c_str())) {
      ep.protocol = p->p_proto;
    } else {
      return bad_endpoint(ep, fmt::format("unknown protocol '{}'", port));
    }
    // The port field of a raw socket's address carries the protocol (raw(7),
    // ipv6(7)), which also makes the printed endpoint parse back.
    ep.service = std::to_string(ep.protocol);
  } else {
    TRY(parse_port(port, ep, opts));
  }
  if (!ep.host.empty() || ep.broadcast) fill_numeric(ep);
  return {};
}

std::string format_host_port(SockAddr const& a) {
  char buf[INET6_ADDRSTRLEN];
  if (auto* sin = a.as<sockaddr_in>(AF_INET)) {
    inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof buf);
    return fmt::format("{}:{}", buf, ntohs(sin->sin_port));
  }
  if (auto* sin6 = a.as<sockaddr_in6>(AF_INET6)) {
    inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof buf);
    if (sin6->sin6_scope_id != 0)
      return fmt::format("[{}%{}]:{}", buf, interface_name(sin6->sin6_scope_id), ntohs(sin6->sin6_port));
    return fmt::format("[{}]:{}", buf, ntohs(sin6->sin6_port));
  }
  return {};
}

void inet_fields(SockAddr const& a, Json& j) {
  char buf[INET6_ADDRSTRLEN];
  if (auto* sin = a.as<sockaddr_in>(AF_INET)) {
    inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof buf);
    j["host"] = buf;
    j["port"] = ntohs(sin->sin_port);
  } else if (auto* sin6 = a.as<sockaddr_in6>(AF_INET6)) {
    inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof buf);
    // Python's getaddrinfo/getpeername show the zone in the host string too.
    std::string host = buf;
    if (sin6->sin6_scope_id != 0) host += "%" + interface_name(sin6->sin6_scope_id);
    j["host"] = host;
    j["port"] = ntohs(sin6->sin6_port);
    j["flowinfo"] = ntohl(sin6->sin6_flowinfo);
    j["scope_id"] = sin6->sin6_scope_id;
  }
}

namespace {

Result<void> parse_inet(std::string_view body, Endpoint& ep, ParseOptions const& opts) {
  return parse_host_port(body, ep, opts);
}

std::string format_inet(SockAddr const& a, Scheme const& s, int) {
  auto text = format_host_port(a);
  // A sockaddr too short for its family has no HOST:PORT to show.
  if (text.empty()) return format_unprintable(a, s.name);
  return fmt::format("{}:{}", s.name, text);
}

void set_scope(SockAddr& a, unsigned ifindex) {
  if (a.family() == AF_INET6) reinterpret_cast<sockaddr_in6*>(a.get())->sin6_scope_id = ifindex;
}

}  // namespace

FamilyCodec const kInet{parse_inet, format_inet, inet_fields, set_scope};
FamilyCodec const kIpRaw{parse_inet, format_inet, inet_fields, set_scope};

}  // namespace sockctl::family
