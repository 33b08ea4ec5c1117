// server.hpp: the listening side: sockets bound and listening (SO_REUSEADDR,
// dual-stack wildcard, port 0, inherited fd:/systemd: sockets), and the one
// event loop that accepts and serves them: the first connection only, or
// every connection (--keep-open) in one process, with --max-conns,
// --allow/--deny checked before a byte is read, and clean stops on SIGTERM.
// What happens to a connection is a ConnectionHandler, so new kinds (--pass-to) plug in.
// See: listen(2), accept(2), ipv6(7) IPV6_V6ONLY, socket(7) SO_REUSEADDR.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sockctl/cidr.hpp"
#include "sockctl/endpoint.hpp"
#include "sockctl/error.hpp"
#include "sockctl/relay.hpp"
#include "sockctl/socket.hpp"

namespace sockctl {

/// One socket listen serves.
class Listener {
 public:
  enum class Mode {
    accepts,    // listen() worked: accept() gives connections
    datagrams,  // no connections (udp, unix-dgram, raw, one-to-many sctp): serve the socket itself
    connected,  // an inherited, already connected socket (inetd style): serve it as one connection
  };
  Listener(Socket s, Mode m, std::string unlink_path = {});
  Listener(Listener&&) noexcept;
  Listener& operator=(Listener&&) noexcept;
  ~Listener();

  Socket& socket() { return sock_; }
  Socket const& socket() const { return sock_; }
  Mode mode() const { return mode_; }
  void set_mode(Mode m) { mode_ = m; }
  /// Closes the socket and removes a filesystem socket path we bound.
  void close();

 private:
  Socket sock_;
  Mode mode_;
  std::string unlink_path_;  // unix path we created, removed on close
};

struct ListenOptions {
  int backlog = 4096;                                // SOMAXCONN on current kernels
  std::function<Result<void>(Socket&)> prepare;      // -O options, after our defaults, before bind()
};

/// Binds every address the endpoint names (or adopts fd:/systemd: sockets)
/// and listens where the socket type allows. A wildcard IPv6 address serves
/// IPv4 too (IPV6_V6ONLY=0 unless -O says otherwise) and replaces 0.0.0.0;
/// port 0 binds the first address only, so there is one real port to report.
Result<std::vector<Listener>> open_listeners(Endpoint const& ep, ListenOptions const& opts);

/// One accepted connection (or, for datagram listeners, the first datagram's source).
struct Connection {
  uint64_t id = 0;
  SockAddr peer;
  SockAddr local;
  Scheme const* scheme = nullptr;
};

/// What the server does with a connection: the Local to relay it with, or
/// nullopt when the handler has dealt with the socket itself (e.g. passed it on).
using ConnectionHandler = std::function<Result<std::optional<Local>>(Socket& sock, Connection const& conn)>;

struct ServeOptions {
  bool keep_open = false;              // serve every connection, until SIGINT/SIGTERM
  std::optional<size_t> max_conns;     // at most this many at once; the rest wait in the backlog
  AccessList access;                   // --allow/--deny
  RelayOptions relay;                  // for every session
};

struct ServeHooks {
  std::function<Result<void>(Connection const&)> accepted;
  std::function<Result<void>(SockAddr const& peer, Scheme const& scheme)> denied;
  std::function<Result<void>(Connection const&, RelayStats const&)> closed;
  /// RelayHooks::data for one connection's session (--json).
  std::function<std::function<Result<void>(std::span<std::byte const>, SockAddr const*)>(Connection const&)> data;
};

/// What serve() did.
struct ServeSummary {
  uint64_t connections = 0;
  std::optional<RelayStats> last;      // the last session's end (the only one without keep_open)
};

/// Serves the listeners until the one connection ends, or with keep_open
/// until SIGINT/SIGTERM. Per-connection failures are reported through
/// hooks.closed; only failures of the server itself (accept, our stdout) return an Error.
Result<ServeSummary> serve(std::vector<Listener> listeners, ConnectionHandler const& handler, ServeOptions const& opts,
                           ServeHooks const& hooks);

}  // namespace sockctl
