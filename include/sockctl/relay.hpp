// relay.hpp: moving bytes between a socket and the other side of a session
// (stdin/stdout, a child process, the socket itself for --echo, nowhere for
// --discard) without losing any, zero-copy where the kernel allows it.
// The mechanism and its rules are explained at the top of src/relay.cpp.
// See: splice(2), sendfile(2), shutdown(2).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "sockctl/error.hpp"
#include "sockctl/reactor.hpp"
#include "sockctl/sockaddr.hpp"
#include "sockctl/socket.hpp"
#include "sockctl/spawn.hpp"

namespace sockctl {

/// True for sockets without connections (dgram, raw, rdm): a 0-byte read is
/// an empty datagram, not EOF, and there is no EOF to pass on.
bool is_connectionless(int type);

/// The side of a session that is not the network socket.
class Local {
 public:
  enum class Kind {
    stdio,        // stdin -> socket, socket -> stdout
    output_only,  // socket -> stdout, nothing sent (listen --keep-open without a handler)
    echo,         // socket -> the same socket
    discard,      // socket -> nowhere
    child,        // socket <-> a child's stdin/stdout (--exec, --sh-exec)
    file,         // a file -> socket with sendfile, socket -> stdout (--send-file)
  };
  static Local stdio() { return Local(Kind::stdio); }
  static Local output_only() { return Local(Kind::output_only); }
  static Local echo() { return Local(Kind::echo); }
  static Local discard() { return Local(Kind::discard); }
  static Local child(Child c);
  static Local file(Fd f, std::string name);

  Kind kind() const { return kind_; }

 private:
  friend class Session;
  explicit Local(Kind k) : kind_(k) {}
  Kind kind_;
  std::unique_ptr<Child> child_;
  Fd file_;
  std::string file_name_;
};

struct RelayOptions {
  bool shutdown_on_eof = true;           // pass EOF on with shutdown(SHUT_WR); --no-shutdown clears it
  bool events = false;                   // bytes from the socket go to RelayHooks::data, not stdout (--json)
  bool once = false;                     // connectionless: end after the first datagram is handled
  bool answer_last_peer = false;         // unconnected datagram socket: reply to whoever spoke last
  std::optional<bool> connectionless;    // override the socket type's answer (one-to-many SCTP, RDS)
  std::optional<SockAddr> peer;         // where a connected socket's messages go when send() cannot tell (one-to-many SCTP)
  std::optional<double> idle_timeout;   // end after this many seconds without a byte moving
  std::optional<double> linger;          // connectionless: after our side's EOF, end after this much silence
  size_t pipe_bytes = 1 << 20;           // capacity asked for the splice pipe
};

/// How the relay reports to the command; every hook is optional.
struct RelayHooks {
  /// Bytes from the socket when RelayOptions::events is set; from is the
  /// datagram's source (null on connected sockets). An error here is fatal.
  std::function<Result<void>(std::span<std::byte const> data, SockAddr const* from)> data;
  /// A datagram's source is checked before its bytes are used; false drops it.
  std::function<bool(SockAddr const& from)> admit;
};

/// How a session ended: the "closed" event.
struct RelayStats {
  uint64_t sent = 0;                     // bytes written to the socket
  uint64_t received = 0;                 // bytes read from the socket
  double seconds = 0;
  std::string ending;                    // "eof", "idle-timeout", "once", "error", "stopped"
  std::optional<Error> error;            // what went wrong, when ending == "error"
  bool fatal = false;                    // the error was writing our own stdout (exit 74): stop everything
  std::optional<int> child_status;       // wait status of the --exec child
  std::string child_name;                // "command 'cat'"
};

class Pump;

/// One relay: a socket and its Local, driven by a Reactor until both
/// directions have passed EOF (or a timer or an error ends it).
class Session final : public Watcher {
 public:
  Session(Reactor& reactor, Socket sock, Local local, RelayOptions opts, RelayHooks hooks);
  ~Session() override;
  Session(Session const&) = delete;
  Session& operator=(Session const&) = delete;

  /// Registers with the reactor and moves what can be moved now.
  void start();
  bool done() const { return done_; }
  RelayStats const& stats() const { return stats_; }
  Socket const& socket() const { return sock_; }
  /// Hands the socket back once done (a datagram listener serves the next peer with it).
  Socket release_socket() { return std::move(sock_); }
  /// When a timer of this session falls due (idle timeout, linger); nullopt if none.
  std::optional<std::chrono::steady_clock::time_point> deadline() const;
  /// Ends the session if a timer has fallen due.
  void check_timers(std::chrono::steady_clock::time_point now);
  /// Ends the session now (the server is stopping).
  void stop();
  /// Called once when the session ends (from inside the reactor's dispatch).
  std::function<void(Session&)> on_done;

  void on_ready(int fd, uint32_t events) override;

 private:
  friend class Pump;
  void step(int fd, uint32_t events);
  void update_interest();
  void end(std::string ending, std::optional<Error> error = {}, bool fatal = false);
  void forget_all();
  void close_child_stdin();
  void touch() { last_activity_ = std::chrono::steady_clock::now(); }

  Reactor& reactor_;
  Socket sock_;
  Local local_;
  RelayOptions opts_;
  RelayHooks hooks_;
  RelayStats stats_;
  bool connectionless_ = false;
  bool half_close_ = true;  // shutdown(SHUT_WR) passes EOF on (family_traits.hpp)
  size_t max_message_ = 0;  // the largest message one send takes
  size_t max_write_ = 0;    // the most bytes one send of a byte stream takes
  bool connected_ = true;
  std::optional<SockAddr> last_peer_;
  std::unique_ptr<Pump> inbound_, outbound_;
  std::vector<int> fds_;
  bool done_ = false;
  bool child_reaped_ = false;
  std::chrono::steady_clock::time_point started_, last_activity_;
  std::optional<std::chrono::steady_clock::time_point> outbound_done_at_;
};

/// Runs one session on its own reactor until it ends (connect; listen
/// without --keep-open). Errors are in the stats, so "closed" can be reported first.
Result<RelayStats> run_session(Socket sock, Local local, RelayOptions const& opts, RelayHooks hooks);

}  // namespace sockctl
