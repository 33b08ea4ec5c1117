// fdpass.hpp: passing descriptors (SCM_RIGHTS) and credentials
// (SCM_CREDENTIALS) over AF_UNIX sockets, the mechanism behind socket
// activation, privilege separation and zero-downtime restarts.
//
// Sending is one sendmsg with at least one data byte (a stream socket carries
// ancillary data only alongside data). Receiving is one recvmsg whose every
// descriptor is owned the moment it arrives, so truncated control data
// (MSG_CTRUNC) and unexpected control messages close what came instead of
// leaking it. See: unix(7), cmsg(3), sendmsg(2), recvmsg(2).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <vector>

#include "sockctl/endpoint.hpp"
#include "sockctl/error.hpp"
#include "sockctl/fd.hpp"
#include "sockctl/socket.hpp"
#include "sockctl/sockopt.hpp"

namespace sockctl {

/// Parses an endpoint that must be AF_UNIX (unix:, unix-dgram:,
/// unix-seqpacket:); any other family exits 64.
Result<Endpoint> parse_unix_endpoint(std::string_view text);

/// Connects to a unix endpoint, with -O options set first. A path that
/// exists but is not a socket exits 64 with that said; a missing one exits 66.
Result<Socket> connect_unix(Endpoint const& ep, Deadline const& d, std::span<Sockopt const> options = {});

/// The socket file a bound path endpoint created; removed when this goes
/// away, unless something else has replaced it meanwhile.
class SocketFile {
 public:
  SocketFile() = default;
  SocketFile(std::string path, dev_t dev, ino_t ino) : path_(std::move(path)), dev_(dev), ino_(ino) {}
  SocketFile(SocketFile&& o) noexcept : path_(std::exchange(o.path_, {})), dev_(o.dev_), ino_(o.ino_) {}
  SocketFile& operator=(SocketFile&& o) noexcept;
  ~SocketFile();

 private:
  std::string path_;
  dev_t dev_ = 0;
  ino_t ino_ = 0;
};

/// A bound AF_UNIX socket, listening when it is stream or seqpacket.
struct UnixServer {
  Socket socket;
  SocketFile file;
};

/// Binds (and listens on) a unix endpoint, with -O options set before bind.
/// A socket file left by a server that is gone (connect refused) is replaced;
/// a path that exists and is not a socket exits 64.
Result<UnixServer> serve_unix(Endpoint const& ep, int backlog, std::span<Sockopt const> options = {});

/// Opens PATH[:MODE] for sending: MODE r (the default), w (create, truncate),
/// a (create, append) or rw (create). A suffix that is not a mode is part of
/// the path. A missing file exits 66.
Result<Fd> open_for_passing(std::string_view spec);

/// One message to send.
struct Outgoing {
  std::string_view message;   // at least one byte
  std::span<int const> fds;   // at most kScmMaxFd
  bool credentials = false;   // SCM_CREDENTIALS with our pid, uid and gid
};

/// Sends one message; returns the data bytes sent (all of them, or an error).
Result<size_t> send_fds(Socket& s, Outgoing const& m);

/// A control message that was not asked for: dropped, its descriptors closed.
struct Ignored {
  int level = 0;
  int type = 0;
  size_t bytes = 0;
};

/// What one recvmsg brought.
struct Incoming {
  std::string message;
  std::vector<Fd> fds;          // in the order sent; close-on-exec
  std::optional<ucred> creds;   // when asked for (SO_PASSCRED)
  std::vector<Ignored> ignored;
  SockAddr from;                // datagram sockets: the sender's address
  bool eof = false;             // a stream or seqpacket peer closed instead
};

/// What one receive makes room for.
struct ReceiveLimits {
  size_t max_fds = 253;
  bool credentials = false;
};

/// Receives one message. Control data that did not fit (MSG_CTRUNC), more
/// than max_fds descriptors and a payload that did not fit (MSG_TRUNC) exit
/// 65, after every descriptor that did arrive is closed. A deadline that
/// passes exits 75.
Result<Incoming> receive_fds(Socket& s, ReceiveLimits const& limits, Deadline const& d);

/// Our own pid, uid and gid, as SCM_CREDENTIALS sends them.
ucred own_creds();

/// Hands an accepted connection to a worker listening on a unix endpoint
/// (listen --pass-to, a socket broker): a connection to the worker per
/// hand-off, the socket sent with `note` (say, the client's address) as the
/// message. The worker now serves the client with no bytes proxied; our copy
/// is the caller's to close.
Result<void> hand_off(Socket const& conn, Endpoint const& worker, std::string_view note, Deadline const& d);

}  // namespace sockctl
