// families.hpp: what connect does differently for families whose sockets
// are not byte streams to relay: netlink requests typed as hex.
#pragma once

#include <optional>

#include "sockctl/error.hpp"
#include "sockctl/output.hpp"
#include "sockctl/socket.hpp"

namespace sockctl::cmd {

/// connect netlink:PROTO: each stdin line is the hex of a request datagram;
/// each reply message is an event (its summary and hex, or JSON with the
/// decoded message). Ends when stdin has ended and every request has its
/// answer, or after idle seconds without one (exit 75).
Result<Exit> exchange_netlink(Socket& sock, std::optional<double> idle, Output& out);

}  // namespace sockctl::cmd
