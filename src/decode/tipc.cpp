// tipc.cpp: events of the TIPC topology service: a service name range
// published or withdrawn by a socket, or a subscription timing out. The
// records are struct tipc_event as the service sends them (in the byte order
// of our subscription: host order).  See: linux/tipc.h, tipc(7) of tipc-utils.
#include <linux/tipc.h>

#include "decode/chain.hpp"

namespace sockctl::decode {

Step decode_tipc(Bytes b, std::uint32_t, Packet& p) {
  Reader r(b);
  if (!r.has(0, sizeof(tipc_event))) return truncated(p, "tipc", b.size(), sizeof(tipc_event));
  TipcEvent e;
  e.event = r.h32(offsetof(tipc_event, event));
  e.lower = r.h32(offsetof(tipc_event, found_lower));
  e.upper = r.h32(offsetof(tipc_event, found_upper));
  e.ref = r.h32(offsetof(tipc_event, port) + offsetof(tipc_socket_addr, ref));
  e.node = r.h32(offsetof(tipc_event, port) + offsetof(tipc_socket_addr, node));
  e.type = r.h32(offsetof(tipc_event, s) + offsetof(tipc_subscr, seq) + offsetof(tipc_service_range, type));
  push(p, e);
  return {Next::none, 0, sizeof(tipc_event), 0};
}

namespace {
std::string_view event_name(std::uint32_t e) {
  switch (e) {
    case TIPC_PUBLISHED: return "published";
    case TIPC_WITHDRAWN: return "withdrawn";
    case TIPC_SUBSCR_TIMEOUT: return "timeout";
    default: return "event";
  }
}
}  // namespace

void human_tipc(std::string& out, TipcEvent const& e) {
  out += "TIPC ";
  out += event_name(e.event);
  out += ' ';
  append_uint(out, e.type);
  out += ':';
  append_uint(out, e.lower);
  if (e.upper != e.lower) {
    out += '-';
    append_uint(out, e.upper);
  }
  if (e.event != TIPC_SUBSCR_TIMEOUT) {
    out += " by node 0x";
    append_hex_number(out, e.node, 8);
    out += " ref ";
    append_uint(out, e.ref);
  }
}

void json_tipc(std::string& out, TipcEvent const& e) {
  JsonObject o(out, "tipc");
  o.plain("event", event_name(e.event)).num("type", e.type).num("lower", e.lower).num("upper", e.upper);
  o.num("node", e.node).num("ref", e.ref);
}

}  // namespace sockctl::decode
