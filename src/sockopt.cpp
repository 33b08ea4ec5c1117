// sockopt.cpp: -O NAME=VALUE turned into setsockopt(2)'s level, name and
// optval bytes, using the constant table for the level and the value form.
// Values are laid out exactly as the kernel's structs (linger, timeval,
// ip_mreqn, ipv6_mreq, packet_mreq, can_filter), in host byte order except
// where the kernel wants network order (IP_UNICAST_IF).
// See: setsockopt(2), socket(7), ip(7), ipv6(7), packet(7), can.rst.
#include "sockctl/sockopt.hpp"

#include <arpa/inet.h>
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <linux/can.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/time.h>

#include <fmt/format.h>

#include "sockctl/inet.hpp"
#include "sockctl/socket.hpp"

namespace sockctl {

namespace {

template <class T>
Bytes bytes_of(T const& v) {
  auto b = std::as_bytes(std::span(&v, 1));
  return Bytes(b.begin(), b.end());
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (;;) {
    auto i = s.find(sep);
    out.push_back(s.substr(0, i));
    if (i == std::string_view::npos) return out;
    s.remove_prefix(i + 1);
  }
}

std::string did_you_mean(std::vector<std::string_view> const& names) {
  if (names.empty()) return {};
  std::string s = ", did you mean ";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) s += i + 1 == names.size() ? " or " : ", ";
    s += fmt::format("'{}'", names[i]);
  }
  return s + "?";
}

std::optional<bool> parse_switch(std::string_view v) {
  static constexpr std::pair<std::string_view, bool> kWords[] = {
      {"on", true}, {"off", false}, {"yes", true}, {"no", false}, {"true", true}, {"false", false},
  };
  for (auto const& [word, on] : kWords)
    if (v == word) return on;
  return std::nullopt;
}

// Everything a value parser needs to name the option in its errors.
class ValueParser {
 public:
  ValueParser(Sockopt const& o) : o_(o) {}

  Error bad(std::string why) const {
    return Error::usage(fmt::format("bad socket option '{}'", o_.text), std::move(why));
  }
  Error wants(OptValue k) const { return bad(fmt::format("{} takes {}", o_.name, value_syntax(k))); }

  // A C int: a number from INT_MIN to UINT_MAX (flags and masks are written
  // unsigned), or the name of a constant (IP_MTU_DISCOVER=IP_PMTUDISC_DO).
  Result<int> integer(std::string_view v) const {
    std::optional<int64_t> n = inet::parse_signed(v);
    if (!n) {
      if (auto* c = find_constant(v)) n = c->value;
    }
    if (!n) {
      if (!v.empty() && (v[0] == '-' || (v[0] >= '0' && v[0] <= '9')))
        return bad(fmt::format("'{}' is not a number", v));
      return bad(fmt::format("'{}' is neither a number nor a known constant{}", v, did_you_mean(suggest_constants(v))));
    }
    if (*n < INT_MIN || *n > static_cast<int64_t>(UINT_MAX))
      return bad(fmt::format("{} does not fit a C int", *n));
    return static_cast<int>(static_cast<uint32_t>(*n));
  }

  Result<int> boolean(std::string_view v) const {
    if (auto on = parse_switch(v)) return *on ? 1 : 0;
    if (auto n = inet::parse_signed(v); n && *n >= INT_MIN && *n <= INT_MAX) return static_cast<int>(*n);
    return bad(fmt::format("'{}' is not 0, 1, on, off, yes, no, true or false", v));
  }

  Result<in_addr> ipv4(std::string_view v, std::string_view role) const {
    in_addr a{};
    if (inet_pton(AF_INET, std::string(v).c_str(), &a) != 1)
      return bad(fmt::format("{} '{}' is not an IPv4 address", role, v));
    return a;
  }

  // An interface by index or by name; a name the system lacks exits 69.
  Result<unsigned> interface(std::string_view v) const {
    if (auto n = inet::parse_unsigned(v)) {
      if (*n > UINT_MAX) return bad(fmt::format("interface index {} is too large", v));
      return static_cast<unsigned>(*n);
    }
    auto idx = inet::ifindex(v);
    if (!idx) {
      auto e = idx.release_error();
      e.what += fmt::format(" in socket option '{}'", o_.text);
      return e;
    }
    return *idx;
  }

  Result<Bytes> linger_value(std::string_view v) const {
    auto parts = split(v, ',');
    if (parts.size() != 2) return wants(OptValue::linger);
    ::linger l{};
    l.l_onoff = TRY(boolean(parts[0]));
    auto secs = inet::parse_signed(parts[1]);
    if (!secs || *secs < 0 || *secs > INT_MAX) return bad(fmt::format("linger time '{}' is not a number of seconds", parts[1]));
    l.l_linger = static_cast<int>(*secs);
    return bytes_of(l);
  }

  // SECS with up to six decimals: the kernel's resolution is a microsecond.
  Result<Bytes> timeval_value(std::string_view v) const {
    auto [whole, fraction] = v.find('.') == std::string_view::npos
                                 ? std::pair{v, std::string_view{}}
                                 : std::pair{v.substr(0, v.find('.')), v.substr(v.find('.') + 1)};
    auto digits = [](std::string_view s) {
      return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    bool has_dot = v.find('.') != std::string_view::npos;
    auto secs = digits(whole) ? inet::parse_unsigned(whole) : std::nullopt;
    if (!secs || *secs > static_cast<uint64_t>(INT_MAX) || !digits(fraction) || fraction.size() > 6 ||
        (has_dot && fraction.empty()))
      return bad(fmt::format("'{}' is not a number of seconds (up to six decimals)", v));
    ::timeval tv{};
    tv.tv_sec = static_cast<time_t>(*secs);
    std::string micro(fraction);
    micro.resize(6, '0');
    tv.tv_usec = static_cast<suseconds_t>(std::stol(micro));
    return bytes_of(tv);
  }

  Result<Bytes> ip_mreqn_value(std::string_view v) const {
    auto parts = split(v, ',');
    if (parts.size() > 2) return wants(OptValue::ip_mreqn);
    ip_mreqn m{};
    m.imr_multiaddr = TRY(ipv4(parts[0], "group"));
    if (parts.size() == 2) TRY(interface_or_address(parts[1], m));
    return bytes_of(m);
  }

  Result<Bytes> ip_multicast_if_value(std::string_view v) const {
    ip_mreqn m{};
    TRY(interface_or_address(v, m));
    return bytes_of(m);
  }

  Result<Bytes> ip_mreq_source_value(std::string_view v) const {
    auto parts = split(v, ',');
    if (parts.size() < 2 || parts.size() > 3) return wants(OptValue::ip_mreq_source);
    ip_mreq_source m{};
    m.imr_multiaddr = TRY(ipv4(parts[0], "group"));
    m.imr_sourceaddr = TRY(ipv4(parts[1], "source"));
    if (parts.size() == 3) m.imr_interface = TRY(ipv4(parts[2], "interface address"));
    return bytes_of(m);
  }

  Result<Bytes> ipv6_mreq_value(std::string_view v) const {
    auto parts = split(v, ',');
    if (parts.size() > 2) return wants(OptValue::ipv6_mreq);
    ipv6_mreq m{};
    if (inet_pton(AF_INET6, std::string(parts[0]).c_str(), &m.ipv6mr_multiaddr) != 1)
      return bad(fmt::format("group '{}' is not an IPv6 address", parts[0]));
    if (parts.size() == 2) m.ipv6mr_interface = TRY(interface(parts[1]));
    return bytes_of(m);
  }

  Result<Bytes> packet_mreq_value(std::string_view v) const {
    static constexpr std::pair<std::string_view, int> kTypes[] = {
        {"multicast", PACKET_MR_MULTICAST}, {"promisc", PACKET_MR_PROMISC},
        {"allmulti", PACKET_MR_ALLMULTI},   {"unicast", PACKET_MR_UNICAST},
    };
    auto parts = split(v, ',');
    if (parts.size() < 2 || parts.size() > 3) return wants(OptValue::packet_mreq);
    packet_mreq m{};
    m.mr_ifindex = static_cast<int>(TRY(interface(parts[0])));
    auto type = std::find_if(std::begin(kTypes), std::end(kTypes), [&](auto const& t) { return t.first == parts[1]; });
    if (type == std::end(kTypes))
      return bad(fmt::format("membership type '{}' is not promisc, allmulti, multicast or unicast", parts[1]));
    m.mr_type = static_cast<unsigned short>(type->second);
    if (parts.size() == 3) {
      auto mac = hex_decode(parts[2]);
      if (!mac) return hex_error(mac.release_error());
      if (mac->size() > sizeof m.mr_address)
        return bad(fmt::format("address '{}' is longer than {} bytes", parts[2], sizeof m.mr_address));
      std::copy(mac->begin(), mac->end(), reinterpret_cast<std::byte*>(m.mr_address));
      m.mr_alen = static_cast<unsigned short>(mac->size());
    }
    return bytes_of(m);
  }

  // candump's filter syntax: hex ID:MASK matches, ID~MASK matches the rest.
  Result<Bytes> can_filter_value(std::string_view v) const {
    Bytes out;
    if (v.empty()) return out;  // no filter at all: the socket receives nothing
    auto parts = split(v, ',');
    if (parts.size() > CAN_RAW_FILTER_MAX)
      return bad(fmt::format("{} filters, the most is {}", parts.size(), CAN_RAW_FILTER_MAX));
    for (auto p : parts) {
      auto at = p.find_first_of(":~");
      if (at == std::string_view::npos) return bad(fmt::format("filter '{}' is not ID:MASK or ID~MASK", p));
      auto hex32 = [](std::string_view s) -> std::optional<uint32_t> {
        uint32_t x = 0;
        auto r = std::from_chars(s.data(), s.data() + s.size(), x, 16);
        if (s.empty() || s.size() > 8 || r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
        return x;
      };
      auto id = hex32(p.substr(0, at)), mask = hex32(p.substr(at + 1));
      if (!id || !mask) return bad(fmt::format("filter '{}' needs hex ID and MASK of up to 8 digits", p));
      can_filter f{*id, *mask};
      if (p[at] == '~') f.can_id |= CAN_INV_FILTER;
      auto b = bytes_of(f);
      out.insert(out.end(), b.begin(), b.end());
    }
    return out;
  }

  Error hex_error(Error e) const {
    e.what += fmt::format(" in socket option '{}'", o_.text);
    return e;
  }

 private:
  Result<void> interface_or_address(std::string_view v, ip_mreqn& m) const {
    in_addr a{};
    if (inet_pton(AF_INET, std::string(v).c_str(), &a) == 1)
      m.imr_address = a;
    else
      m.imr_ifindex = static_cast<int>(TRY(interface(v)));
    return {};
  }

  Sockopt const& o_;
};

// The level of LEVEL:NAME: a number, or a level, protocol or family name.
Result<int> level_number(std::string_view s, std::string_view text) {
  if (auto n = inet::parse_signed(s); n && *n >= 0 && *n <= INT_MAX) return static_cast<int>(*n);
  if (auto* c = find_constant(s); c && (c->group == Group::level || c->group == Group::protocol || c->group == Group::family))
    return static_cast<int>(c->value);
  std::vector<std::string_view> levels;
  for (auto name : suggest_constants(s))
    if (find_constant(name)->group == Group::level) levels.push_back(name);
  return Error::usage(fmt::format("unknown level '{}' in socket option '{}'{}", s, text, did_you_mean(levels)));
}

Error unknown_option(std::string_view name, std::string_view text) {
  return Error::usage(fmt::format("unknown socket option '{}' in '{}'{}", name, text,
                                  did_you_mean(suggest_constants(name, true))));
}

}  // namespace

Result<Sockopt> parse_sockopt(std::string_view text) {
  Sockopt o;
  o.text = std::string(text);
  auto eq = text.find('=');
  bool has_value = eq != std::string_view::npos;
  std::string_view left = text.substr(0, eq), value = has_value ? text.substr(eq + 1) : std::string_view{};
  if (left.empty()) return Error::usage(fmt::format("bad socket option '{}'", text), "missing NAME before '='");

  // Find (level, number); the table then tells the option's name and value form.
  Constant const* c = nullptr;
  if (auto colon = left.find(':'); colon != std::string_view::npos) {
    o.level = TRY(level_number(left.substr(0, colon), text));
    auto name = left.substr(colon + 1);
    if (auto n = inet::parse_signed(name); n && *n >= 0 && *n <= INT_MAX) {
      o.option = static_cast<int>(*n);
    } else if (auto* named = find_constant(name); named && named->group == Group::option) {
      o.option = static_cast<int>(named->value);
      if (named->level == o.level) c = named;
    } else {
      return unknown_option(name, text);
    }
    // Numbers, or a name under another level: what the kernel will see decides.
    if (!c) c = find_option(o.level, o.option);
  } else {
    c = find_constant(left);
    if (!c) return unknown_option(left, text);
    if (c->group != Group::option)
      return Error::usage(fmt::format("bad socket option '{}'", text),
                          fmt::format("{} is a constant of group {}, not a socket option", c->name, group_name(c->group)));
    o.level = c->level;
    o.option = static_cast<int>(c->value);
  }
  o.name = c ? std::string(c->name) : fmt::format("{}:{}", o.level, o.option);
  o.kind = c ? c->kind : OptValue::int_;

  ValueParser p(o);
  if (o.kind == OptValue::readonly) return p.bad(fmt::format("{} can only be read (getsockopt)", o.name));
  if (o.kind == OptValue::flag) {
    if (!value.empty()) return p.bad(fmt::format("{} takes no value", o.name));
    return o;
  }
  if (!has_value) return p.bad(fmt::format("missing '=VALUE'; {} takes {}", o.name, value_syntax(o.kind)));

  // Forms every option accepts: raw bytes, and Python's None with a length.
  if (value.starts_with("x:")) {
    auto b = hex_decode(value);
    if (!b) return p.hex_error(b.release_error());
    o.kind = OptValue::bytes;
    o.optval = b.release_value();
    return o;
  }
  if (value.starts_with("none:")) {
    auto n = inet::parse_unsigned(value.substr(5));
    if (!n || *n > INT_MAX) return p.bad(fmt::format("length '{}' is not a number", value.substr(5)));
    o.kind = OptValue::optlen;
    o.null_len = static_cast<socklen_t>(*n);
    return o;
  }

  switch (o.kind) {
    case OptValue::int_: o.optval = bytes_of(TRY(p.integer(value))); break;
    case OptValue::bool_: o.optval = bytes_of(TRY(p.boolean(value))); break;
    case OptValue::u64: {
      auto n = inet::parse_unsigned(value);
      if (!n) return p.bad(fmt::format("'{}' is not an unsigned 64-bit number", value));
      o.optval = bytes_of(*n);
      break;
    }
    case OptValue::bytes: return p.bad(fmt::format("{} takes x:HEX (a C struct)", o.name));
    case OptValue::text: o.optval = Bytes(reinterpret_cast<std::byte const*>(value.data()),
                                          reinterpret_cast<std::byte const*>(value.data() + value.size())); break;
    case OptValue::ifname:
      if (value.size() >= IFNAMSIZ)
        return p.bad(fmt::format("interface name '{}' is longer than {} characters", value, IFNAMSIZ - 1));
      o.optval = Bytes(reinterpret_cast<std::byte const*>(value.data()),
                       reinterpret_cast<std::byte const*>(value.data() + value.size()));
      break;
    case OptValue::ifindex: o.optval = bytes_of(static_cast<int>(TRY(p.interface(value)))); break;
    case OptValue::ifindex_be: o.optval = bytes_of(htonl(TRY(p.interface(value)))); break;
    case OptValue::linger: o.optval = TRY(p.linger_value(value)); break;
    case OptValue::timeval: o.optval = TRY(p.timeval_value(value)); break;
    case OptValue::ip_mreqn: o.optval = TRY(p.ip_mreqn_value(value)); break;
    case OptValue::ip_mreq_source: o.optval = TRY(p.ip_mreq_source_value(value)); break;
    case OptValue::ip_multicast_if: o.optval = TRY(p.ip_multicast_if_value(value)); break;
    case OptValue::ipv6_mreq: o.optval = TRY(p.ipv6_mreq_value(value)); break;
    case OptValue::packet_mreq: o.optval = TRY(p.packet_mreq_value(value)); break;
    case OptValue::can_filter: o.optval = TRY(p.can_filter_value(value)); break;
    case OptValue::optlen: {
      auto n = inet::parse_unsigned(value);
      if (!n || *n > INT_MAX) return p.bad(fmt::format("{} takes a length, '{}' is not one", o.name, value));
      o.null_len = static_cast<socklen_t>(*n);
      break;
    }
    case OptValue::none:
    case OptValue::flag:
    case OptValue::readonly: break;
  }
  return o;
}

Result<std::vector<Sockopt>> parse_sockopts(std::span<std::string const> texts) {
  std::vector<Sockopt> out;
  out.reserve(texts.size());
  for (auto const& t : texts) out.push_back(TRY(parse_sockopt(t)));
  return out;
}

Result<void> apply_sockopts(Socket& socket, std::span<Sockopt const> options) {
  for (auto const& o : options) {
    void const* value = o.null_len ? nullptr : o.optval.data();
    auto len = o.null_len ? *o.null_len : static_cast<socklen_t>(o.optval.size());
    auto r = socket.setsockopt(o.level, o.option, value, len);
    if (r) continue;
    auto e = r.release_error();
    e.what = socket.label().empty() ? fmt::format("set socket option '{}'", o.text)
                                    : fmt::format("set socket option '{}' on '{}'", o.text, socket.label());
    // The kernel's EINVAL here means the value: a usage error, like a bad -O.
    if (e.err == EINVAL) e.exit = Exit::usage;
    return e;
  }
  return {};
}

}  // namespace sockctl
