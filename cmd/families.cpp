// families.cpp: `connect netlink:PROTO[:GROUPS]`: raw netlink requests from
// stdin as hex lines, the kernel's replies (and the groups' notifications)
// printed one message per event, decoded the way sniff --netlink decodes them. Replaces: hand-built requests in Python,
// `ip -d monitor` for reading replies. See: sockctl-connect(1), netlink(7).
#include "families.hpp"

#include <linux/netlink.h>

#include "sockctl/hex.hpp"
#include "sockctl/netlink.hpp"

namespace sockctl::cmd {

namespace {

// A dump of every route or link answers within milliseconds; this is for a
// request the kernel never answers (one without NLM_F_ACK that it drops).
constexpr double kNetlinkWait = 5.0;

}  // namespace

Result<Exit> exchange_netlink(Socket& sock, Endpoint const& ep, std::optional<double> idle, Output& out) {
  netlink::ExchangeOptions eo;
  eo.input = 0;
  eo.idle = idle.value_or(kNetlinkWait);
  // connect() only names one group to send to; joining is what receives them.
  auto const* nl = ep.address ? ep.address->as<sockaddr_nl>(AF_NETLINK) : nullptr;
  if (nl && nl->nl_groups) {
    TRY(netlink::subscribe(sock, nl->nl_groups));
    eo.watch = true;
    eo.idle = idle;
  }
  int protocol = sock.protocol();
  TRY(netlink::exchange(sock, eo, [&](netlink::Message const& m) -> Result<void> {
    auto hex = hex_encode(m.bytes);
    auto ev = out.event("message");
    if (ev.is_json()) return ev.json_fields(netlink::json_members(m, protocol)).json_only("hex", hex).emit();
    return ev.text(netlink::summary(m, protocol)).text("\n\t").text(hex).emit();
  }));
  return Exit::ok;
}

}  // namespace sockctl::cmd
