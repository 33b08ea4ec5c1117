// server.cpp: opening listeners and the accept loop.
//
// One process serves every connection: accept4 until EAGAIN on a
// level-triggered epoll, a Session per connection in the same Reactor, no
// fork unless the handler runs a command. --max-conns stops accepting (the
// kernel's backlog holds the rest, so no client is refused or lost) and
// accepting resumes as sessions end. --allow/--deny look at accept's peer
// address and close before reading a byte. A datagram listener has no
// connections: the first datagram (peeked, not read) starts a session on the
// listening socket itself, which answers whoever spoke last. An SCTP name
// with several addresses is one multi-homed socket bound to all of them.
// See: accept(2), listen(2), signalfd(2), getrlimit(2).
#include "sockctl/server.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <map>
#include <span>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/un.h>
#include <unistd.h>

#include <fmt/format.h>

#include "sockctl/family_traits.hpp"
#include "sockctl/inherit.hpp"
#include "sockctl/reactor.hpp"

namespace sockctl {

Listener::Listener(Socket s, Mode m, std::string unlink_path)
    : sock_(std::move(s)), mode_(m), unlink_path_(std::move(unlink_path)) {}
Listener::Listener(Listener&& o) noexcept
    : sock_(std::move(o.sock_)), mode_(o.mode_), unlink_path_(std::exchange(o.unlink_path_, {})) {}
Listener& Listener::operator=(Listener&& o) noexcept {
  if (this != &o) {
    close();
    sock_ = std::move(o.sock_);
    mode_ = o.mode_;
    unlink_path_ = std::exchange(o.unlink_path_, {});
  }
  return *this;
}
Listener::~Listener() { close(); }

void Listener::close() {
  sock_ = Socket();
  if (!unlink_path_.empty()) ::unlink(unlink_path_.c_str());
  unlink_path_.clear();
}

namespace {

using Clock = std::chrono::steady_clock;

bool is_v6_wildcard(SockAddr const& a) {
  auto* sin6 = a.as<sockaddr_in6>(AF_INET6);
  return sin6 && IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr);
}

bool is_v4_wildcard(SockAddr const& a) {
  auto* sin = a.as<sockaddr_in>(AF_INET);
  return sin && sin->sin_addr.s_addr == htonl(INADDR_ANY);
}

// The filesystem path a unix socket address names (not an abstract name),
// which bind() creates and we remove again.
std::optional<std::string> filesystem_path(SockAddr const& a) {
  auto* sun = a.as<sockaddr_un>(AF_UNIX, offsetof(sockaddr_un, sun_path) + 1);
  if (!sun || sun->sun_path[0] == '\0') return std::nullopt;
  size_t n = a.size() - offsetof(sockaddr_un, sun_path);
  return std::string(sun->sun_path, strnlen(sun->sun_path, n));
}

// A socket file nobody listens on any more (a crashed server's leftover).
bool is_stale(SockAddr const& a, int type) {
  auto probe = Socket::open(AF_UNIX, type, 0);
  return probe && ::connect(probe->fd(), a.get(), a.size()) < 0 && errno == ECONNREFUSED;
}

// more: further addresses bound on the same socket (a multi-homed SCTP listener).
Result<Listener> open_one(Endpoint const& ep, SockAddr const& a, ListenOptions const& opts,
                          std::span<SockAddr const> more = {}) {
  auto s = TRY(Socket::open_for(ep, a));
  s.set_label(format_endpoint(a, *ep.scheme));
  // Restarting a server must not wait out TIME_WAIT; for datagrams the
  // option would let two listeners share a port, so it stays off there.
  bool connectionless = is_connectionless(s.type()) || is_connectionless_family(s.family(), s.type());
  if (!connectionless) TRY(s.setsockopt_int(SOL_SOCKET, SO_REUSEADDR, 1));
  if (is_v6_wildcard(a)) TRY(s.setsockopt_int(IPPROTO_IPV6, IPV6_V6ONLY, 0));
  if (ep.broadcast) TRY(s.setsockopt_int(SOL_SOCKET, SO_BROADCAST, 1));
  if (opts.prepare) TRY(opts.prepare(s));
  auto path = filesystem_path(a);
  auto bound = s.bind(a);
  if (!bound && bound.error().err == EADDRINUSE && path && is_stale(a, s.type())) {
    ::unlink(path->c_str());
    bound = s.bind(a);
  }
  if (!bound) return bound.release_error();
  TRY(bind_more(s, more));
  // A one-to-many SCTP listener learns from an event when its peer has gone.
  TRY(report_peers_leaving(s));
  auto mode = Listener::Mode::accepts;
  if (auto l = s.listen(opts.backlog); !l) {
    if (!connectionless || (l.error().err != EOPNOTSUPP && l.error().err != EINVAL)) {
      if (path) ::unlink(path->c_str());
      return l.release_error();
    }
    mode = Listener::Mode::datagrams;
  }
  TRY(s.set_nonblocking(true));
  return Listener(std::move(s), mode, path.value_or(""));
}

}  // namespace

Result<std::vector<Listener>> open_listeners(Endpoint const& ep, ListenOptions const& opts) {
  std::vector<Listener> out;
  if (is_inherited(ep)) {
    for (auto& s : TRY(inherited_sockets(ep))) {
      if (opts.prepare) TRY(opts.prepare(s));
      auto mode = Listener::Mode::accepts;
      if (TRY(s.getsockopt_int(SOL_SOCKET, SO_ACCEPTCONN))) {
        mode = Listener::Mode::accepts;
      } else if (is_connectionless(s.type())) {
        mode = Listener::Mode::datagrams;
      } else if (s.peer()) {
        mode = Listener::Mode::connected;
      } else {
        TRY(s.listen(opts.backlog));
      }
      if (mode != Listener::Mode::connected) TRY(s.set_nonblocking(true));
      out.emplace_back(std::move(s), mode);
    }
    return out;
  }
  auto addrs = TRY(resolve_endpoint(ep, {.passive = true}));
  // The IPv6 wildcard first: it serves IPv4 too, and 0.0.0.0 beside it
  // would collide on the port. 0.0.0.0 remains the fallback without IPv6.
  std::stable_partition(addrs.begin(), addrs.end(), is_v6_wildcard);
  // SCTP is multi-homed: every address of a name goes on one socket, and each
  // peer learns them all (a wildcard already offers every local address).
  bool any_wildcard = std::any_of(addrs.begin(), addrs.end(), [](SockAddr const& a) {
    return is_v6_wildcard(a) || is_v4_wildcard(a);
  });
  if (addrs.size() > 1 && !any_wildcard && binds_addresses_together(addrs.front().family(), ep.protocol)) {
    out.push_back(TRY(open_one(ep, addrs.front(), opts, std::span(addrs).subspan(1))));
    return out;
  }
  bool dual_stack = false;
  std::optional<Error> first_error;
  for (auto const& a : addrs) {
    if (dual_stack && is_v4_wildcard(a)) continue;
    auto l = open_one(ep, a, opts);
    if (!l) {
      auto e = l.release_error();
      // Another address of the name may still work: a family this host lacks is not fatal.
      if (e.exit != Exit::unavailable && e.err != EADDRNOTAVAIL) return e;
      if (!first_error) first_error = std::move(e);
      continue;
    }
    if (is_v6_wildcard(a)) dual_stack = true;
    out.push_back(std::move(*l));
    // Port 0: one socket, so there is one real port to report.
    if (ep.service == "0") break;
  }
  if (out.empty()) return *first_error;
  return out;
}

namespace {

// Connections are sockets, not forks: let there be more than 1024 of them.
void raise_fd_limit() {
  rlimit r;
  if (::getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = std::min<rlim_t>(r.rlim_max, 65536);
    ::setrlimit(RLIMIT_NOFILE, &r);
  }
}

bool transient_accept_error(int err) {
  // accept(2): errors of the connection that was being accepted, not of the listener.
  switch (err) {
    case ECONNABORTED: case EPROTO: case ENETDOWN: case ENOPROTOOPT: case EHOSTDOWN:
    case ENONET: case EHOSTUNREACH: case ENETUNREACH: case EPERM: case ETIMEDOUT:
      return true;
    default:
      return false;
  }
}

class Server final : public Watcher {
 public:
  Server(Reactor& reactor, std::vector<Listener> listeners, ConnectionHandler const& handler, ServeOptions const& opts,
         ServeHooks const& hooks)
      : reactor_(reactor), listeners_(std::move(listeners)), handler_(handler), opts_(opts), hooks_(hooks) {}

  ~Server() override {
    for (auto& l : listeners_)
      if (l.socket().valid()) reactor_.forget(l.socket().fd());
    if (signals_) {
      reactor_.forget(signals_.get());
      ::sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
    }
  }

  Result<ServeSummary> run() {
    if (opts_.keep_open) {
      raise_fd_limit();
      // SIGINT/SIGTERM end a keep-open server cleanly: sessions are closed and reported.
      sigset_t stop;
      sigemptyset(&stop);
      sigaddset(&stop, SIGINT);
      sigaddset(&stop, SIGTERM);
      ::sigprocmask(SIG_BLOCK, &stop, &old_mask_);
      int fd = ::signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK);
      if (fd < 0) return Error::sys("signalfd", errno);
      signals_.reset(fd);
      TRY(reactor_.want(fd, EPOLLIN, this));
    }
    for (size_t i = 0; i < listeners_.size(); ++i) {
      if (listeners_[i].mode() != Listener::Mode::connected) continue;
      SockAddr peer;
      if (auto p = listeners_[i].socket().peer()) peer = *p;
      start(listeners_[i].socket(), peer, std::nullopt);
      if (fatal_) return *fatal_;
    }
    for (;;) {
      finish_sessions();
      if (fatal_) {
        stop_all();
        finish_sessions();
        return *fatal_;
      }
      bool serving = std::any_of(listeners_.begin(), listeners_.end(), [](Listener const& l) { return l.socket().valid(); });
      if (conns_.empty() && (stopping_ || (!opts_.keep_open && summary_.connections > 0) || !serving)) break;
      TRY(update_listeners());
      TRY(reactor_.poll_once(timeout_ms()));
      auto now = Clock::now();
      if (timers()) {
        for (auto& [id, c] : conns_) c.session->check_timers(now);
      }
    }
    return summary_;
  }

  void on_ready(int fd, uint32_t) override {
    if (signals_ && fd == signals_.get()) {
      signalfd_siginfo si;
      while (::read(fd, &si, sizeof si) == sizeof si) {
      }
      stopping_ = true;
      stop_all();
      return;
    }
    for (size_t i = 0; i < listeners_.size(); ++i) {
      auto& l = listeners_[i];
      if (!l.socket().valid() || l.socket().fd() != fd) continue;
      if (l.mode() == Listener::Mode::accepts)
        accept_from(i);
      else
        datagram_from(i);
      return;
    }
  }

 private:
  struct Conn {
    Connection info;
    std::unique_ptr<Session> session;
    std::optional<size_t> listener;  // datagram listeners lend their socket to the session
  };

  bool timers() const { return opts_.relay.idle_timeout || opts_.relay.linger; }

  int timeout_ms() const {
    std::optional<Clock::time_point> first = paused_until_;
    if (timers()) {
      for (auto const& [id, c] : conns_)
        if (auto d = c.session->deadline(); d && (!first || *d < *first)) first = d;
    }
    if (!first) return -1;
    auto left = std::chrono::ceil<std::chrono::milliseconds>(*first - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, 1'000'000'000));
  }

  bool may_accept() const {
    if (stopping_ || fatal_) return false;
    if (paused_until_ && Clock::now() < *paused_until_) return false;
    return !opts_.max_conns || conns_.size() < *opts_.max_conns;
  }

  Result<void> update_listeners() {
    if (paused_until_ && Clock::now() >= *paused_until_) paused_until_.reset();
    for (auto& l : listeners_) {
      if (!l.socket().valid() || l.mode() == Listener::Mode::connected) continue;
      TRY(reactor_.want(l.socket().fd(), may_accept() ? uint32_t{EPOLLIN} : 0u, this));
    }
    return {};
  }

  void accept_from(size_t i) {
    auto& l = listeners_[i];
    while (may_accept() && l.socket().valid()) {
      SockAddr peer;
      auto c = l.socket().accept(&peer, SOCK_NONBLOCK);
      if (!c) {
        int err = c.error().err;
        if (err == EAGAIN) return;
        if (transient_accept_error(err)) continue;
        if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
          // Out of descriptors: wait for sessions to end rather than spin on a ready listener.
          paused_until_ = Clock::now() + std::chrono::milliseconds(100);
          if (auto r = reactor_.want(l.socket().fd(), 0, this); !r) fatal_ = r.release_error();
          return;
        }
        if (err == EOPNOTSUPP || err == EINVAL) {
          // listen() worked but accept() does not (one-to-many SCTP): it is a message socket.
          l.set_mode(Listener::Mode::datagrams);
          return datagram_from(i);
        }
        fatal_ = c.release_error();
        return;
      }
      if (!opts_.access.permits(peer)) {
        // Closed here, before a byte is read.
        if (hooks_.denied)
          if (auto r = hooks_.denied(peer, c->scheme()); !r) fatal_ = r.release_error();
        continue;
      }
      c->set_label(format_endpoint(peer, c->scheme()));
      start(*c, peer, std::nullopt);
      if (!opts_.keep_open) {
        for (auto& other : listeners_) {
          if (other.socket().valid()) reactor_.forget(other.socket().fd());
          other.close();
        }
        return;
      }
    }
  }

  void datagram_from(size_t i) {
    auto& l = listeners_[i];
    SockAddr from;
    char byte;
    // Peek: the datagram stays queued for the session, which reads it whole.
    auto n = l.socket().recv_from(std::as_writable_bytes(std::span(&byte, 1)), from, MSG_PEEK | MSG_DONTWAIT);
    if (!n) {
      if (n.error().err == EAGAIN) return;
      fatal_ = n.release_error();
      return;
    }
    if (!opts_.access.permits(from)) {
      if (auto r = l.socket().recv_from(std::as_writable_bytes(std::span(&byte, 1)), from, MSG_DONTWAIT); !r) {
        fatal_ = r.release_error();
        return;
      }
      if (hooks_.denied)
        if (auto r = hooks_.denied(from, l.socket().scheme()); !r) fatal_ = r.release_error();
      return;
    }
    reactor_.forget(l.socket().fd());
    start(l.socket(), from, i);
  }

  // Hands one connection to the handler and starts its session.
  void start(Socket& sock, SockAddr const& peer, std::optional<size_t> listener) {
    Connection info;
    info.id = ++next_id_;
    info.peer = peer;
    info.scheme = &sock.scheme();
    if (auto local = sock.local()) info.local = *local;
    ++summary_.connections;
    // A datagram listener accepts nothing: its datagrams are the events.
    if (hooks_.accepted && !listener)
      if (auto r = hooks_.accepted(info); !r) {
        fatal_ = r.release_error();
        return;
      }
    Socket owned = std::move(sock);
    auto local = handler_(owned, info);
    if (!local || !*local) {
      if (listener) listeners_[*listener].socket() = std::move(owned);
      if (!local) {
        RelayStats failed;
        failed.ending = "error";
        failed.error = local.release_error();
        summary_.last = failed;
        if (!opts_.keep_open) fatal_ = *failed.error;
        if (hooks_.closed)
          if (auto r = hooks_.closed(info, failed); !r) fatal_ = r.release_error();
      }
      return;
    }
    RelayOptions ro = opts_.relay;
    RelayHooks rh;
    if (hooks_.data) rh.data = hooks_.data(info);
    if (listener) {
      ro.answer_last_peer = true;
      ro.connectionless = true;
      rh.admit = [this, scheme = info.scheme](SockAddr const& from) {
        if (opts_.access.permits(from)) return true;
        if (hooks_.denied)
          if (auto r = hooks_.denied(from, *scheme); !r) fatal_ = r.release_error();
        return false;
      };
    }
    auto session = std::make_unique<Session>(reactor_, std::move(owned), std::move(**local), ro, std::move(rh));
    uint64_t id = info.id;
    session->on_done = [this, id](Session&) { finished_.push_back(id); };
    auto& c = conns_[id];
    c.info = info;
    c.listener = listener;
    c.session = std::move(session);
    c.session->start();
  }

  void finish_sessions() {
    while (!finished_.empty()) {
      uint64_t id = finished_.back();
      finished_.pop_back();
      auto it = conns_.find(id);
      if (it == conns_.end()) continue;
      auto& c = it->second;
      auto const& st = c.session->stats();
      summary_.last = st;
      if (st.fatal && st.error && !fatal_) fatal_ = *st.error;
      if (!opts_.keep_open && st.error && !fatal_) fatal_ = *st.error;
      if (hooks_.closed)
        if (auto r = hooks_.closed(c.info, st); !r && !fatal_) fatal_ = r.release_error();
      if (c.listener) {
        auto& l = listeners_[*c.listener];
        l.socket() = c.session->release_socket();
        // Without --keep-open a datagram listener serves one session.
        if (!opts_.keep_open) l.close();
      }
      conns_.erase(it);
    }
  }

  void stop_all() {
    for (auto& [id, c] : conns_) c.session->stop();
  }

  Reactor& reactor_;
  std::vector<Listener> listeners_;
  ConnectionHandler const& handler_;
  ServeOptions const& opts_;
  ServeHooks const& hooks_;
  std::map<uint64_t, Conn> conns_;
  std::vector<uint64_t> finished_;
  ServeSummary summary_;
  std::optional<Error> fatal_;
  uint64_t next_id_ = 0;
  bool stopping_ = false;
  std::optional<Clock::time_point> paused_until_;
  Fd signals_;
  sigset_t old_mask_{};
};

}  // namespace

Result<ServeSummary> serve(std::vector<Listener> listeners, ConnectionHandler const& handler, ServeOptions const& opts,
                           ServeHooks const& hooks) {
  auto reactor = TRY(Reactor::create());
  Server server(*reactor, std::move(listeners), handler, opts, hooks);
  return server.run();
}

}  // namespace sockctl
