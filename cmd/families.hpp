// families.hpp: what connect does differently for families whose sockets
// are not byte streams to relay: netlink requests typed as hex, and
// notifications of the groups joined.
#pragma once

#include <optional>

#include "sockctl/endpoint.hpp"
#include "sockctl/error.hpp"
#include "sockctl/output.hpp"
#include "sockctl/socket.hpp"

namespace sockctl::cmd {

/// connect netlink:PROTO[:GROUPS]: each stdin line is the hex of a request
/// datagram; each reply message is an event (its summary and hex, or JSON
/// with the decoded message). Ends when stdin has ended and every request
/// has its answer, or after idle seconds without one (exit 75). With GROUPS
/// it joins them and goes on printing their notifications until idle
/// seconds of silence (exit 0), or until interrupted.
Result<Exit> exchange_netlink(Socket& sock, Endpoint const& ep, std::optional<double> idle, Output& out);

}  // namespace sockctl::cmd
