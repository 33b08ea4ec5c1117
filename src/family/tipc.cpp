// tipc.cpp: AF_TIPC endpoints for the four tipc schemes: a service
// "TYPE:INSTANCE", a service range "TYPE:LOWER-UPPER" (bind, multicast) or a
// socket "id:NODE:REF", each with an optional "@zone|@cluster|@node" scope.
// See: linux/tipc.h, http://tipc.io/programming.html.
#include <linux/tipc.h>
#include <sys/socket.h>

#include <fmt/format.h>

#include "family/family.hpp"

namespace sockctl::family {

namespace {

constexpr std::pair<int, std::string_view> kScopes[] = {
    {TIPC_ZONE_SCOPE, "zone"},
    {TIPC_CLUSTER_SCOPE, "cluster"},
    {TIPC_NODE_SCOPE, "node"},
};

// Services are published cluster-wide unless told otherwise. A socket
// address has no scope, and the kernel returns it with 0 (getsockname,
// recvfrom), so 0 is its default and the printed text stays short.
int default_scope(int addrtype) { return addrtype == TIPC_SOCKET_ADDR ? 0 : TIPC_CLUSTER_SCOPE; }

// The names, or any number the signed char holds: the kernel returns 0 for
// the sender of a group message, and bind() takes a negated scope to withdraw
// a binding.
std::optional<int> parse_scope(std::string_view s) {
  for (auto const& [value, name] : kScopes)
    if (s == name) return value;
  bool negative = s.starts_with('-');
  if (negative) s.remove_prefix(1);
  auto n = parse_number(s, negative ? 128 : 127, 10);
  if (!n) return std::nullopt;
  return negative ? -static_cast<int>(*n) : static_cast<int>(*n);
}

std::string scope_text(int scope) {
  for (auto const& [value, name] : kScopes)
    if (scope == value) return std::string(name);
  return std::to_string(scope);
}

Result<uint32_t> number(std::string_view s, std::string_view what, Endpoint const& ep) {
  if (s.empty()) return bad_endpoint(ep, fmt::format("missing {}", what));
  auto n = parse_number(s, 0xffffffffu);
  if (!n) return bad_endpoint(ep, fmt::format("{} '{}' is not a number up to 4294967295 (decimal or 0x hex)", what, s));
  return static_cast<uint32_t>(*n);
}

Result<void> parse_tipc(std::string_view body, Endpoint& ep, ParseOptions const&) {
  std::optional<std::string_view> scope_s;
  if (auto at = split_last(body, '@')) {
    body = at->first;
    scope_s = at->second;
  }
  sockaddr_tipc st{};
  st.family = AF_TIPC;
  if (body.empty()) return bad_endpoint(ep, "expected TYPE:INSTANCE, TYPE:LOWER-UPPER or id:NODE:REF");
  auto parts = split_first(body, ':');
  if (!parts) return bad_endpoint(ep, fmt::format("missing ':' after '{}' (TYPE:INSTANCE)", body));
  auto [first, rest] = *parts;
  if (first == "id") {
    auto id = split_first(rest, ':');
    if (!id) return bad_endpoint(ep, "expected id:NODE:REF");
    st.addrtype = TIPC_SOCKET_ADDR;
    st.addr.id.node = TRY(number(id->first, "node", ep));
    st.addr.id.ref = TRY(number(id->second, "port reference", ep));
  } else {
    uint32_t type = TRY(number(first, "service type", ep));
    if (auto range = split_first(rest, '-')) {
      st.addrtype = TIPC_SERVICE_RANGE;
      st.addr.nameseq.type = type;
      st.addr.nameseq.lower = TRY(number(range->first, "lower instance", ep));
      st.addr.nameseq.upper = TRY(number(range->second, "upper instance", ep));
      if (st.addr.nameseq.upper < st.addr.nameseq.lower)
        return bad_endpoint(ep, fmt::format("instance range '{}' runs backwards", rest));
    } else {
      st.addrtype = TIPC_SERVICE_ADDR;
      st.addr.name.name.type = type;
      st.addr.name.name.instance = TRY(number(rest, "instance", ep));
    }
  }
  st.scope = static_cast<signed char>(default_scope(st.addrtype));
  if (scope_s) {
    auto scope = parse_scope(*scope_s);
    if (!scope)
      return bad_endpoint(ep, fmt::format("scope '{}' is not zone, cluster, node or a number from -128 to 127",
                                          *scope_s));
    st.scope = static_cast<signed char>(*scope);
  }
  ep.address = SockAddr::of(st);
  return {};
}

std::string format_tipc(SockAddr const& a, Scheme const& s, int) {
  auto const* st = a.as<sockaddr_tipc>(AF_TIPC);
  if (!st) return format_unprintable(a, s.name);
  std::string scope;
  if (st->scope != default_scope(st->addrtype)) scope = "@" + scope_text(st->scope);
  switch (st->addrtype) {
    case TIPC_SERVICE_ADDR:
      // The lookup domain has no place in the grammar: print only what parses back.
      if (st->addr.name.domain != 0) break;
      return fmt::format("{}:{}:{}{}", s.name, st->addr.name.name.type, st->addr.name.name.instance, scope);
    case TIPC_SERVICE_RANGE:
      return fmt::format("{}:{}:{}-{}{}", s.name, st->addr.nameseq.type, st->addr.nameseq.lower,
                         st->addr.nameseq.upper, scope);
    case TIPC_SOCKET_ADDR:
      if (st->addr.name.domain != 0) break;
      // Node addresses read best in hex, as the tipc tool prints them.
      return fmt::format("{}:id:{:#x}:{}{}", s.name, st->addr.id.node, st->addr.id.ref, scope);
  }
  return format_unprintable(a, s.name);
}

void tipc_fields(SockAddr const& a, Json& j) {
  auto const* st = a.as<sockaddr_tipc>(AF_TIPC);
  if (!st) return;
  switch (st->addrtype) {
    case TIPC_SERVICE_ADDR:
      j["addr_type"] = "service";
      j["type"] = st->addr.name.name.type;
      j["instance"] = st->addr.name.name.instance;
      break;
    case TIPC_SERVICE_RANGE:
      j["addr_type"] = "range";
      j["type"] = st->addr.nameseq.type;
      j["lower"] = st->addr.nameseq.lower;
      j["upper"] = st->addr.nameseq.upper;
      break;
    case TIPC_SOCKET_ADDR:
      j["addr_type"] = "id";
      j["node"] = st->addr.id.node;
      j["ref"] = st->addr.id.ref;
      break;
    default:
      j["addr_type"] = st->addrtype;
  }
  auto scope = scope_text(st->scope);
  if (parse_number(scope, 127, 10) || scope.starts_with('-'))
    j["scope"] = st->scope;
  else
    j["scope"] = scope;
}

}  // namespace

FamilyCodec const kTipc{parse_tipc, format_tipc, tipc_fields, nullptr};

}  // namespace sockctl::family
