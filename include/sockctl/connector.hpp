// connector.hpp: Python's socket.create_connection for every family: each
// resolved address in turn under one total deadline, an optional source
// address, --wait retries for readiness checks, and -z probes over port ranges.
// See: connect(2), getaddrinfo(3), Python's socket.create_connection.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "sockctl/endpoint.hpp"
#include "sockctl/error.hpp"
#include "sockctl/socket.hpp"

namespace sockctl {

struct ConnectOptions {
  std::optional<double> timeout;                  // seconds for all addresses together
  std::optional<std::string> source;              // --source: ADDR[:PORT], or an endpoint of the same family
  std::function<Result<void>(Socket&)> prepare;   // -O options, after socket(), before bind/connect
  std::function<void(SockAddr const&)> trying;    // narration: about to connect to this address
  std::function<void(Error const&)> failed;       // narration: that address failed, trying the next
};

/// The socket for ENDPOINT, connected (or, for inherited fd:/systemd:
/// sockets, as handed over). Errors name the address: refused, reset and
/// unreachable exit 1, the deadline 75, unknown names 68, a missing family 69.
Result<Socket> connect_endpoint(Endpoint const& ep, ConnectOptions const& opts);

/// connect_endpoint, retried until it succeeds or `wait` seconds pass
/// (then exit 75). Only "not yet" failures are retried: refused,
/// unreachable, unknown name, timed out. retrying() hears each failure.
Result<Socket> connect_waiting(Endpoint const& ep, ConnectOptions const& opts, double wait,
                               std::function<void(Error const&)> const& retrying);

/// The --source text as an endpoint of ep's scheme: "10.0.0.1", "10.0.0.1:5000",
/// "[::1]", or a whole endpoint ("unix-dgram:@me").
Result<Endpoint> parse_source(std::string_view text, Endpoint const& ep);

/// One port's answer to a -z probe.
struct ProbeResult {
  uint16_t port = 0;
  std::optional<SockAddr> address;   // the address that answered (or the last one tried)
  std::optional<Error> error;        // why it is closed; empty when open
};

/// -z: connects to each port of ep (one, or the range "20-25") without
/// sending data and reports each result. Datagram ports count as open unless
/// the peer answers an empty datagram with an error (ICMP port unreachable).
/// Returns Exit::ok if any port is open, else the last failure's exit code.
Result<Exit> probe(Endpoint const& ep, ConnectOptions const& opts,
                   std::function<Result<void>(ProbeResult const&)> const& report);

}  // namespace sockctl
