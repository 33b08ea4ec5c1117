// can_relay.hpp: what connect and listen do with CAN endpoints, whose
// sockets carry frames and PDUs, not a byte stream: can: and can-isotp: as
// text lines both ways, can-bcm: refused in favour of `sockctl can bcm`.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "sockctl/endpoint.hpp"
#include "sockctl/error.hpp"
#include "sockctl/output.hpp"
#include "sockctl/socket.hpp"

namespace sockctl::cmd {

/// How connect or listen asked for a CAN endpoint to be served.
struct CanRelayArgs {
  std::string_view command;            // "connect" or "listen"
  std::function<Result<void>(Socket&)> prepare;  // -O, applied once the socket is bound
  int input = -1;                      // frame or hex lines to send; -1: none
  std::string input_name = "stdin";
  std::optional<double> idle;          // --idle-timeout
  bool echo = false, discard = false, once = false, stats = false;
  /// Flags given that a CAN endpoint cannot honour: the first exits 64.
  std::vector<std::pair<std::string_view, bool>> refused;
};

/// Whether connect/listen hand ep to serve_can instead of the relay.
bool is_can_endpoint(Endpoint const& ep);

/// connect/listen can:IFACE and can-isotp:IFACE:TX:RX: each input line is
/// sent as a frame (cansend syntax) or a PDU (hex), each one received is
/// printed the same way (or as a JSON event). can-bcm: exits 64.
Result<Exit> serve_can(Endpoint const& ep, CanRelayArgs const& args, Output& out);

}  // namespace sockctl::cmd
