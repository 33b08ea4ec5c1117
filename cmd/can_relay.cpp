// can_relay.cpp: `connect` and `listen` on CAN endpoints. A CAN socket
// carries frames (can:) or reassembled PDUs (can-isotp:), never a byte
// stream, so the relay's place is taken by text lines both ways: cansend's
// frame syntax and isotpsend/isotprecv's hex. The broadcast manager
// (can-bcm:) takes setup messages, which `sockctl can bcm` builds.
// Replaces: cansend + candump, isotpsend + isotprecv, socat's CAN lines.
// See: sockctl-connect(1), sockctl-listen(1), sockctl-can(1).
#include "can_relay.hpp"

#include <linux/can.h>
#include <net/if.h>

#include "sockctl/can.hpp"

namespace sockctl::cmd {

namespace {

// After stdin's EOF, answers are printed for this long after the last one,
// as connect does for datagrams.
constexpr double kLinger = 1.0;

Result<CanInterface> interface_of(SockAddr const& addr) {
  auto const* sc = reinterpret_cast<sockaddr_can const*>(addr.get());
  if (sc->can_ifindex == 0) return can_interface("any");
  char name[IF_NAMESIZE];
  if (!if_indextoname(static_cast<unsigned>(sc->can_ifindex), name))
    return Error::make(Exit::unavailable, fmt::format("interface {}", sc->can_ifindex), "no such interface");
  return can_interface(name);
}

Result<void> report_start(Output& out, CanRelayArgs const& args, Socket const& s, SockAddr const& local) {
  bool connect = args.command == "connect";
  if (out.json()) return out.event(connect ? "connected" : "listening").address("local", local, s.scheme()).emit();
  out.note(1, "{}: {} {}", args.command, connect ? "bound to" : "listening on", format_endpoint(local, s.scheme()));
  return {};
}

Result<void> report_end(Output& out, CanRelayArgs const& args, CanLineStats const& st, std::string_view unit,
                        std::string_view endpoint) {
  if (out.json())
    return out.event("closed")
        .field("sent", st.sent)
        .field("received", st.received)
        .field("duration", st.seconds)
        .field("reason", st.ending)
        .emit();
  out.note(args.stats ? 0 : 1, "{}: closed {}: sent {} {}s, received {} {}s in {:.3f} s, {}", args.command, endpoint,
           st.sent, unit, st.received, unit, st.seconds, st.ending);
  return {};
}

}  // namespace

bool is_can_endpoint(Endpoint const& ep) { return ep.scheme && ep.scheme->family == AF_CAN; }

Result<Exit> serve_can(Endpoint const& ep, CanRelayArgs const& args, Output& out) {
  if (ep.scheme->protocol == CAN_BCM)
    return Error::usage(fmt::format("{} '{}'", args.command, ep.text),
                        "the broadcast manager takes setup messages, not a stream: use 'sockctl can bcm'");
  for (auto const& [flag, given] : args.refused)
    if (given)
      return Error::usage(fmt::format("{} with '{}'", flag, ep.text), "not for CAN endpoints, which carry frames as lines");
  auto addr = TRY(resolve_endpoint(ep)).front();
  auto iface = TRY(interface_of(addr));

  // Lines go out as they arrive, to a pipe too: piped into another connect
  // they make a gateway, and nobody waits on a buffer.
  out.set_line_flush(true);
  CanLineOptions lo;
  lo.input = args.input;
  lo.input_name = args.input_name;
  lo.fd = iface.fd;
  lo.echo = args.echo;
  lo.idle = args.idle;
  lo.linger = kLinger;
  if (args.once) lo.count = 1;

  if (ep.scheme->protocol == CAN_ISOTP) {
    auto s = TRY(open_can_isotp(addr, {}));
    if (args.prepare) TRY(args.prepare(s));
    TRY(report_start(out, args, s, addr));
    auto st = TRY(exchange_isotp_pdus(s, lo, [&](std::span<std::byte const> pdu) -> Result<void> {
      if (args.discard || (args.echo && !out.json())) return {};
      std::string hex;
      append_isotp_hex(hex, pdu);
      hex.pop_back();
      std::string data;
      for (auto b : pdu) fmt::format_to(std::back_inserter(data), "{:02x}", static_cast<unsigned>(b));
      return out.event("pdu").json_only("len", pdu.size()).json_only("data", data).text(hex).emit();
    }));
    TRY(report_end(out, args, st, "PDU", ep.text));
    return Exit::ok;
  }

  auto s = TRY(open_can_raw(iface, {}, {.fd = iface.fd, .receive = true}));
  if (args.prepare) TRY(args.prepare(s));
  TRY(report_start(out, args, s, addr));
  CanNames names;
  auto st = TRY(exchange_can_frames(s, lo, [&](CanReceived const& r) -> Result<void> {
    if (args.discard || (args.echo && !out.json())) return {};
    std::string line;
    if (out.json()) {
      append_can_frame_event(line, names.name(r.ifindex), r);
      line += '\n';
      return out.write_lines(line);
    }
    append_can_compact(line, r.frame.view());
    return out.event("frame").text(line).emit();
  }));
  TRY(report_end(out, args, st, "frame", ep.text));
  return Exit::ok;
}

}  // namespace sockctl::cmd
