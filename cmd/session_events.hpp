// session_events.hpp: what listen and connect print about a relay: "data"
// and "datagram" events with --json, the "closed" event, and the --stats
// line on stderr in human mode. Shared so both commands print the same keys.
#pragma once

#include <optional>
#include <string_view>

#include "sockctl/endpoint.hpp"
#include "sockctl/output.hpp"
#include "sockctl/relay.hpp"

namespace sockctl::cmd {

/// RelayHooks::data for --json: one "data" event per read on a connection,
/// one "datagram" event per datagram, with the peer and the payload.
std::function<Result<void>(std::span<std::byte const>, SockAddr const*)> data_events(Output& out, Scheme const& scheme,
                                                                                     std::optional<SockAddr> peer);

/// The "closed" event with --json; in human mode the same summary on stderr
/// when asked (--stats) or narrating (-v).
Result<void> report_closed(Output& out, std::string_view command, RelayStats const& st, Scheme const& scheme,
                           std::optional<SockAddr> const& peer, bool stats);

/// How a one-shot relay ends the command: its error, a child that failed
/// (exit 1), or success.
Result<Exit> session_exit(RelayStats const& st);

}  // namespace sockctl::cmd
