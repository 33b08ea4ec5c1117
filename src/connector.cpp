// connector.cpp: create_connection, --wait and -z.
//
// One deadline spans every address: a name with an unreachable IPv6 address
// and a working IPv4 one connects in the time left after the first attempt
// gives up, never in twice --timeout. Nothing here knows a family: the
// addresses come from resolve_endpoint(), the socket from the scheme, except
// that a port range (connect -z) exists only for IP schemes.
// See: connect(2), Python's socket.create_connection, nc(1) -z.
#include "sockctl/connector.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <netinet/in.h>
#include <poll.h>
#include <thread>

#include <fmt/format.h>

#include "sockctl/family_traits.hpp"
#include "sockctl/inherit.hpp"
#include "sockctl/relay.hpp"

namespace sockctl {

namespace {

using Clock = std::chrono::steady_clock;

// "Nobody is there (yet)": a missing unix socket path is refused, not a missing input file.
Error connect_error(Error e) {
  if (e.err == ENOENT || e.err == ECONNREFUSED) e.exit = Exit::no;
  return e;
}

// The local address the kernel would send from to reach a, port 0: what a
// family that cannot send unbound (RDS) binds to. A UDP socket's connect()
// asks the routing table and sends nothing.
Result<SockAddr> route_source(SockAddr const& a) {
  auto probe = TRY(Socket::open(a.family(), SOCK_DGRAM, 0));
  if (::connect(probe.fd(), a.get(), a.size()) < 0)
    return Error::sys(fmt::format("route to '{}'", format_endpoint(a, *find_scheme("udp"))), errno);
  auto local = TRY(probe.local());
  if (local.family() == AF_INET) reinterpret_cast<sockaddr_in*>(local.get())->sin_port = 0;
  if (local.family() == AF_INET6) reinterpret_cast<sockaddr_in6*>(local.get())->sin6_port = 0;
  return local;
}

Result<Socket> connect_one(Endpoint const& ep, SockAddr const& a, std::vector<SockAddr> const* sources,
                           Deadline const& d, ConnectOptions const& opts) {
  auto sock = TRY(Socket::open_for(ep, a));
  sock.set_label(format_endpoint(a, *ep.scheme));
  if (ep.broadcast) TRY(sock.setsockopt_int(SOL_SOCKET, SO_BROADCAST, 1));
  if (opts.prepare) TRY(opts.prepare(sock));
  if (sources) {
    auto src = std::find_if(sources->begin(), sources->end(), [&](SockAddr const& s) { return s.family() == a.family(); });
    if (src == sources->end())
      return Error::usage(fmt::format("source '{}'", *opts.source),
                          fmt::format("has no address of the family of '{}'", sock.label()));
    TRY(sock.bind(*src));
  } else if (needs_bound_source(sock.family())) {
    TRY(sock.bind(TRY(route_source(a))));
  }
  auto r = sock.connect(a, d);
  if (!r) {
    // Families without connect() (CAN raw, ISO-TP) are addressed by binding.
    if (r.error().err == EOPNOTSUPP && is_connectionless(sock.type())) {
      TRY(sock.bind(a));
      return sock;
    }
    return connect_error(r.release_error());
  }
  return sock;
}

bool retryable(Error const& e) {
  return e.exit == Exit::no || e.exit == Exit::timeout || e.exit == Exit::no_host;
}

}  // namespace

Result<Endpoint> parse_source(std::string_view text, Endpoint const& ep) {
  // A whole endpoint names its own scheme.
  if (auto colon = text.find(':'); colon != std::string_view::npos && find_scheme(text.substr(0, colon)))
    return parse_endpoint(text);
  // Otherwise the body of ep's scheme, with port 0 when none is given.
  std::string scheme(ep.scheme->name);
  auto as_body = parse_endpoint(fmt::format("{}:{}", scheme, text));
  if (as_body) return as_body;
  if (auto with_port = parse_endpoint(fmt::format("{}:{}:0", scheme, text))) return with_port;
  auto e = as_body.release_error();
  e.what = fmt::format("bad source '{}'", text);
  return e;
}

Result<Socket> connect_endpoint(Endpoint const& ep, ConnectOptions const& opts) {
  if (is_inherited(ep)) {
    auto socks = TRY(inherited_sockets(ep));
    if (socks.size() != 1)
      return Error::usage(fmt::format("endpoint '{}'", ep.text),
                          fmt::format("names {} sockets; connect needs one", socks.size()));
    if (opts.prepare) TRY(opts.prepare(socks[0]));
    return std::move(socks[0]);
  }
  auto deadline = Deadline::after(opts.timeout);
  auto addrs = TRY(resolve_endpoint(ep));
  std::optional<std::vector<SockAddr>> sources;
  if (opts.source) {
    auto src = TRY(parse_source(*opts.source, ep));
    sources = TRY(resolve_endpoint(src, {.passive = true}));
  }
  std::optional<Error> first_real, last;
  for (auto const& a : addrs) {
    if (deadline.expired()) {
      last = Error::make(Exit::timeout, fmt::format("connect '{}'", ep.text),
                         fmt::format("no address answered within {} s", *opts.timeout));
      last->err = ETIMEDOUT;
      break;
    }
    if (opts.trying) opts.trying(a);
    auto r = connect_one(ep, a, sources ? &*sources : nullptr, deadline, opts);
    if (r) return r;
    last = r.release_error();
    // A missing address family says less than a refusal from another address.
    if (!first_real && last->exit != Exit::unavailable && last->err != EADDRNOTAVAIL) first_real = last;
    if (opts.failed && &a != &addrs.back()) opts.failed(*last);
  }
  return first_real ? *first_real : *last;
}

Result<Socket> connect_waiting(Endpoint const& ep, ConnectOptions const& opts, double wait,
                               std::function<void(Error const&)> const& retrying) {
  auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(wait));
  auto delay = std::chrono::milliseconds(50);
  for (;;) {
    ConnectOptions attempt = opts;
    double left = std::chrono::duration<double>(until - Clock::now()).count();
    attempt.timeout = std::max(0.0, opts.timeout ? std::min(*opts.timeout, left) : left);
    auto r = connect_endpoint(ep, attempt);
    if (r) return r;
    auto e = r.release_error();
    if (!retryable(e)) return e;
    if (Clock::now() + delay >= until) {
      auto t = Error::make(Exit::timeout, fmt::format("wait for '{}'", ep.text),
                           fmt::format("not reachable within {} s (last: {})", wait, e.why));
      t.err = e.err;
      return t;
    }
    if (retrying) retrying(e);
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, std::chrono::milliseconds(1000));
  }
}

namespace {

uint16_t port_of(SockAddr const& a) {
  if (auto* sin = a.as<sockaddr_in>(AF_INET)) return ntohs(sin->sin_port);
  if (auto* sin6 = a.as<sockaddr_in6>(AF_INET6)) return ntohs(sin6->sin6_port);
  return 0;
}

SockAddr with_port(SockAddr a, uint16_t port) {
  if (a.family() == AF_INET) reinterpret_cast<sockaddr_in*>(a.get())->sin_port = htons(port);
  if (a.family() == AF_INET6) reinterpret_cast<sockaddr_in6*>(a.get())->sin6_port = htons(port);
  return a;
}

// A connected datagram socket learns of a closed port only from the ICMP
// error to something it sends: send nothing, and see whether an error comes.
Result<void> probe_datagram(Socket& sock, Deadline const& d) {
  TRY(sock.send({}));
  auto wait = Deadline::after(0.5);
  auto ev = TRY(wait_fd(sock.fd(), POLLIN, d.is_set() && d.poll_ms() < wait.poll_ms() ? d : wait));
  if (ev & POLLERR) {
    int err = TRY(sock.getsockopt_int(SOL_SOCKET, SO_ERROR));
    if (err) return connect_error(Error::sys(fmt::format("connect '{}'", sock.label()), err));
  }
  return {};
}

}  // namespace

Result<Exit> probe(Endpoint const& ep, ConnectOptions const& opts,
                   std::function<Result<void>(ProbeResult const&)> const& report) {
  auto addrs = TRY(resolve_endpoint(ep));
  uint16_t first = port_of(addrs.front());
  uint16_t last = ep.port_last.value_or(first);
  bool any_open = false;
  Exit last_exit = Exit::no;
  for (uint32_t port = first; port <= last; ++port) {
    ProbeResult res;
    res.port = static_cast<uint16_t>(port);
    auto deadline = Deadline::after(opts.timeout);
    for (auto const& a0 : addrs) {
      SockAddr a = ep.port_last ? with_port(a0, res.port) : a0;
      res.address = a;
      auto sock = connect_one(ep, a, nullptr, deadline, opts);
      Result<void> r = sock ? (is_connectionless(sock->type()) ? probe_datagram(*sock, deadline) : Result<void>{})
                            : Result<void>(sock.release_error());
      if (r) {
        res.error.reset();
        break;
      }
      res.error = r.release_error();
    }
    if (res.error)
      last_exit = res.error->exit;
    else
      any_open = true;
    TRY(report(res));
  }
  return any_open ? Exit::ok : last_exit;
}

}  // namespace sockctl
