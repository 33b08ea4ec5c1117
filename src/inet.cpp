// inet.cpp: address conversions, byte order, CMSG sizes and interfaces, each
// a thin layer over the C library with Python's socket module as the judge of
// what is accepted and what is refused. See: inet.hpp, Modules/socketmodule.c
// in CPython for the bounds on CMSG_LEN/CMSG_SPACE and the byte-order calls.
#include "sockctl/inet.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <bit>
#include <cerrno>
#include <charconv>
#include <climits>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <fmt/format.h>

#include "sockctl/names.hpp"
#include "sockctl/socket.hpp"

namespace sockctl::inet {

namespace {

// A number for a byte-order or CMSG function, refused outside [0, max] with
// Python's reasons: "what 'text': negative" or "larger than ...".
Result<uint64_t> number_in_range(std::string_view what, std::string_view text, uint64_t max) {
  auto name = fmt::format("{} '{}'", what, text);
  auto range = fmt::format("the range is 0 to {}", max);
  bool negative = text.starts_with('-');
  auto digits = negative ? text.substr(1) : text;
  auto n = parse_unsigned(digits);
  // Digits only, yet unreadable: more than 64 bits.
  bool huge = !n && !digits.empty() &&
              std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!n && !huge) return Error::usage(name, "not a decimal or 0x hex integer");
  if (negative && (huge || *n != 0)) return Error::usage(name, "negative, " + range);
  if (negative) return uint64_t{0};
  if (huge || *n > max) return Error::usage(name, "too large, " + range);
  return *n;
}

std::string quoted_hex(std::span<std::byte const> packed) { return fmt::format("'{}'", hex_encode(packed)); }

int prefix_length(sockaddr const* mask) {
  if (!mask) return 0;
  std::span<unsigned char const> bytes;
  if (mask->sa_family == AF_INET) {
    auto* sin = reinterpret_cast<sockaddr_in const*>(mask);
    bytes = {reinterpret_cast<unsigned char const*>(&sin->sin_addr), 4};
  } else if (mask->sa_family == AF_INET6) {
    auto* sin6 = reinterpret_cast<sockaddr_in6 const*>(mask);
    bytes = {reinterpret_cast<unsigned char const*>(&sin6->sin6_addr), 16};
  }
  int bits = 0;
  for (auto b : bytes) bits += std::popcount(b);
  return bits;
}

std::string address_text(sockaddr const* sa) {
  char buf[INET6_ADDRSTRLEN] = "";
  if (!sa) return {};
  if (sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in const*>(sa)->sin_addr, buf, sizeof buf);
  else if (sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6 const*>(sa)->sin6_addr, buf, sizeof buf);
  return buf;
}

}  // namespace

std::optional<int64_t> parse_signed(std::string_view text) {
  bool negative = text.starts_with('-');
  if (negative) text.remove_prefix(1);
  auto magnitude = parse_unsigned(text);
  if (!magnitude) return std::nullopt;
  if (negative) {
    if (*magnitude > static_cast<uint64_t>(INT64_MAX) + 1) return std::nullopt;
    return static_cast<int64_t>(0 - *magnitude);
  }
  if (*magnitude > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(*magnitude);
}

std::optional<uint64_t> parse_unsigned(std::string_view text) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  // from_chars accepts no sign, but a second "0x" or a '+' must not slip through.
  if (text.empty() || text[0] == '+' || text[0] == '-') return std::nullopt;
  uint64_t v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v, base);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

Result<Bytes> aton(std::string_view text) {
  in_addr a{};
  // glibc's inet_aton is Python's: short forms, octal and hex parts, and
  // (like it) anything after a space is ignored.
  if (text.find('\0') != std::string_view::npos || ::inet_aton(std::string(text).c_str(), &a) == 0)
    return Error::usage(fmt::format("bad IPv4 address '{}'", text), "inet_aton cannot read it");
  auto b = std::as_bytes(std::span(&a, 1));
  return Bytes(b.begin(), b.end());
}

Result<std::string> ntoa(std::span<std::byte const> packed) {
  if (packed.size() != 4)
    return Error::data(fmt::format("packed IPv4 address {}", quoted_hex(packed)),
                       fmt::format("{} bytes, inet_ntoa takes 4", packed.size()));
  char buf[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, packed.data(), buf, sizeof buf);
  return std::string(buf);
}

Result<int> address_family(std::string_view text) {
  auto f = family_from_name(text);
  if (!f) return Error::usage(fmt::format("unknown family '{}'", text), "use inet or inet6");
  if (*f != AF_INET && *f != AF_INET6)
    return Error::usage(fmt::format("family '{}'", text), "not inet or inet6 (Address family not supported)");
  return *f;
}

Result<Bytes> pton(int family, std::string_view text) {
  Bytes out(family == AF_INET6 ? 16 : 4);
  if (text.find('\0') == std::string_view::npos &&
      ::inet_pton(family, std::string(text).c_str(), out.data()) == 1)
    return out;
  if (family == AF_INET)
    return Error::usage(fmt::format("bad IPv4 address '{}'", text),
                        "inet_pton takes four decimal parts a.b.c.d (inet aton reads short forms)");
  if (auto pct = text.find('%'); pct != std::string_view::npos)
    return Error::usage(fmt::format("bad IPv6 address '{}'", text),
                        fmt::format("the zone '{}' is not part of the address", text.substr(pct)));
  return Error::usage(fmt::format("bad IPv6 address '{}'", text), "inet_pton cannot read it");
}

Result<std::string> ntop(int family, std::span<std::byte const> packed) {
  size_t want = family == AF_INET6 ? 16 : 4;
  if (packed.size() != want)
    return Error::data(fmt::format("packed {} address {}", family == AF_INET6 ? "IPv6" : "IPv4", quoted_hex(packed)),
                       fmt::format("{} bytes, {} takes {}", packed.size(), family_name(family), want));
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(family, packed.data(), buf, sizeof buf);
  return std::string(buf);
}

Result<uint32_t> byte_order(Order which, std::string_view text) {
  switch (which) {
    case Order::htonl: return ::htonl(static_cast<uint32_t>(TRY(number_in_range("htonl", text, UINT32_MAX))));
    case Order::ntohl: return ::ntohl(static_cast<uint32_t>(TRY(number_in_range("ntohl", text, UINT32_MAX))));
    case Order::htons: return ::htons(static_cast<uint16_t>(TRY(number_in_range("htons", text, UINT16_MAX))));
    case Order::ntohs: return ::ntohs(static_cast<uint16_t>(TRY(number_in_range("ntohs", text, UINT16_MAX))));
  }
  return 0u;
}

// Python caps both at a socklen_t no larger than INT_MAX, and checks the
// argument before the macro can overflow (socketmodule.c get_CMSG_LEN/SPACE).
Result<uint64_t> cmsg_len(std::string_view text) {
  auto n = TRY(number_in_range("CMSG_LEN", text, INT_MAX - CMSG_LEN(0)));
  return CMSG_LEN(n);
}

Result<uint64_t> cmsg_space(std::string_view text) {
  auto n = TRY(number_in_range("CMSG_SPACE", text, INT_MAX - CMSG_SPACE(1)));
  return CMSG_SPACE(n);
}

Result<unsigned> ifindex(std::string_view name) {
  unsigned idx = 0;
  if (name.find('\0') == std::string_view::npos) idx = if_nametoindex(std::string(name).c_str());
  if (idx == 0) return Error::make(Exit::unavailable, fmt::format("interface '{}'", name), "no such interface");
  return idx;
}

Result<std::string> ifname(std::string_view index) {
  auto n = parse_unsigned(index);
  if (!n || *n > UINT32_MAX)
    return Error::usage(fmt::format("bad interface index '{}'", index), "not a number from 1 to 4294967295");
  char buf[IF_NAMESIZE];
  if (!if_indextoname(static_cast<unsigned>(*n), buf))
    return Error::sys(fmt::format("interface index '{}'", index), errno);
  return std::string(buf);
}

Result<std::vector<Interface>> interfaces() {
  std::vector<Interface> out;
  struct if_nameindex* names = ::if_nameindex();
  if (!names) return Error::sys("if_nameindex", errno);
  for (auto* n = names; n->if_index != 0; ++n) out.push_back({n->if_index, n->if_name});
  if_freenameindex(names);
  std::sort(out.begin(), out.end(), [](auto const& a, auto const& b) { return a.index < b.index; });

  ifaddrs* list = nullptr;
  if (getifaddrs(&list) < 0) return Error::sys("getifaddrs", errno);
  for (auto* ifa = list; ifa; ifa = ifa->ifa_next) {
    auto it = std::find_if(out.begin(), out.end(), [&](auto const& i) { return i.name == ifa->ifa_name; });
    if (it == out.end()) continue;
    it->flags = ifa->ifa_flags;
    if (!ifa->ifa_addr) continue;
    int family = ifa->ifa_addr->sa_family;
    if (family == AF_PACKET) {
      auto* ll = reinterpret_cast<sockaddr_ll const*>(ifa->ifa_addr);
      auto len = std::min<size_t>(ll->sll_halen, sizeof ll->sll_addr);
      it->mac = hex_encode(std::as_bytes(std::span(ll->sll_addr, len)), ':');
    } else if (family == AF_INET || family == AF_INET6) {
      IfAddress a{family, address_text(ifa->ifa_addr), prefix_length(ifa->ifa_netmask), {}};
      if (family == AF_INET && (ifa->ifa_flags & IFF_BROADCAST) && ifa->ifa_broadaddr)
        a.broadcast = address_text(ifa->ifa_broadaddr);
      it->addresses.push_back(std::move(a));
    }
  }
  freeifaddrs(list);

  // The MTU needs an ioctl on any socket; without one (a sandbox without
  // AF_INET), the interfaces are still worth listing.
  if (auto s = Socket::open(AF_INET, SOCK_DGRAM, 0)) {
    for (auto& i : out) {
      ifreq req{};
      i.name.copy(req.ifr_name, IFNAMSIZ - 1);
      if (::ioctl(s->fd(), SIOCGIFMTU, &req) == 0) i.mtu = req.ifr_mtu;
    }
  }
  return out;
}

std::vector<std::string> interface_flags(unsigned flags) {
  static constexpr std::pair<unsigned, char const*> kFlags[] = {
      {IFF_UP, "up"},           {IFF_BROADCAST, "broadcast"},     {IFF_DEBUG, "debug"},
      {IFF_LOOPBACK, "loopback"}, {IFF_POINTOPOINT, "pointopoint"}, {IFF_NOTRAILERS, "notrailers"},
      {IFF_RUNNING, "running"}, {IFF_NOARP, "noarp"},             {IFF_PROMISC, "promisc"},
      {IFF_ALLMULTI, "allmulti"}, {IFF_MASTER, "master"},         {IFF_SLAVE, "slave"},
      {IFF_MULTICAST, "multicast"}, {IFF_PORTSEL, "portsel"},     {IFF_AUTOMEDIA, "automedia"},
      {IFF_DYNAMIC, "dynamic"}, {1u << 16, "lower_up"},           {1u << 17, "dormant"},
      {1u << 18, "echo"},
  };
  std::vector<std::string> out;
  for (auto const& [bit, name] : kFlags)
    if (flags & bit) out.emplace_back(name);
  return out;
}

}  // namespace sockctl::inet
