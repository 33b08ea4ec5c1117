// listen.cpp: `sockctl listen ENDPOINT`: bind, listen, and relay the first
// connection to stdin/stdout, or with --keep-open serve every connection in
// one process: --echo, --discard, --exec/--sh-exec per connection, a worker
// handed each connection (--pass-to), or what each client sends to stdout.
// Datagram endpoints serve datagrams and answer whoever spoke last.
// Replaces: nc -l, ncat -l, socat *-LISTEN.
// See: sockctl-listen(1), listen(2), accept(2).
#include <cmath>

#include "can_relay.hpp"
#include "command.hpp"
#include "session_events.hpp"
#include "sockctl/cidr.hpp"
#include "sockctl/fdpass.hpp"
#include "sockctl/server.hpp"
#include "sockctl/sockopt.hpp"
#include "sockctl/spawn.hpp"

namespace sockctl::cmd {
namespace {

struct ListenArgs {
  std::string endpoint;
  bool keep_open = false;
  bool echo = false;
  bool discard = false;
  std::optional<std::string> exec;
  std::optional<std::string> sh_exec;
  std::optional<std::string> pass_to;
  std::optional<long> max_conns;
  std::vector<std::string> allow, deny;
  std::optional<long> backlog;
  std::optional<double> idle_timeout;
  bool once = false;
  bool no_shutdown = false;
  bool stats = false;
  std::vector<std::string> sockopts;
};

Result<void> check_args(ListenArgs const& opt) {
  if (opt.idle_timeout && !(std::isfinite(*opt.idle_timeout) && *opt.idle_timeout > 0))
    return Error::usage(fmt::format("bad --idle-timeout '{}'", *opt.idle_timeout),
                        "expected a positive number of seconds");
  if (opt.max_conns && *opt.max_conns < 1)
    return Error::usage(fmt::format("bad --max-conns '{}'", *opt.max_conns), "expected a number from 1");
  if (opt.backlog && (*opt.backlog < 1 || *opt.backlog > 65535))
    return Error::usage(fmt::format("bad --backlog '{}'", *opt.backlog), "expected a number from 1 to 65535");
  if (opt.max_conns && !opt.keep_open) return Error::usage("--max-conns", "needs --keep-open");
  return {};
}

Result<void> check_access(ListenArgs const& opt, std::vector<Listener> const& listeners) {
  if (opt.allow.empty() && opt.deny.empty()) return {};
  for (auto const& l : listeners) {
    int family = l.socket().family();
    if (family != AF_INET && family != AF_INET6)
      return Error::usage(fmt::format("--allow/--deny on '{}'", opt.endpoint), "only IP endpoints have addresses to check");
  }
  return {};
}

// How long a worker may take to accept a hand-off before the connection is dropped.
constexpr double kHandOffSeconds = 5;

Result<Exit> run(ListenArgs const& opt, Output& out) {
  TRY(check_args(opt));
  auto ep = TRY(parse_endpoint(opt.endpoint));
  auto sockopts = TRY(parse_sockopts(opt.sockopts));
  ServeOptions so;
  for (auto const& a : opt.allow) so.access.allow(TRY(parse_cidr(a)));
  for (auto const& d : opt.deny) so.access.deny(TRY(parse_cidr(d)));
  std::optional<CommandLine> command;
  if (opt.exec) command = TRY(split_command(*opt.exec));
  if (opt.sh_exec) command = shell_command(*opt.sh_exec);
  if (command) TRY(check_command(*command));
  std::optional<Endpoint> worker;
  if (opt.pass_to) worker = TRY(parse_unix_endpoint(*opt.pass_to));

  // A CAN bus has no connections: frames or PDUs received are printed as lines.
  if (is_can_endpoint(ep)) {
    CanRelayArgs ca;
    ca.command = "listen";
    ca.prepare = [&sockopts](Socket& s) { return apply_sockopts(s, sockopts); };
    ca.idle = opt.idle_timeout;
    ca.echo = opt.echo;
    ca.discard = opt.discard;
    ca.once = opt.once;
    ca.stats = opt.stats;
    ca.refused = {{"--exec", opt.exec.has_value()}, {"--sh-exec", opt.sh_exec.has_value()},
                  {"--pass-to", opt.pass_to.has_value()}, {"--allow", !opt.allow.empty()},
                  {"--deny", !opt.deny.empty()}, {"--max-conns", opt.max_conns.has_value()},
                  {"--backlog", opt.backlog.has_value()}};
    return serve_can(ep, ca, out);
  }

  ListenOptions lo;
  if (opt.backlog) lo.backlog = static_cast<int>(*opt.backlog);
  lo.prepare = [&sockopts](Socket& s) { return apply_sockopts(s, sockopts); };
  auto listeners = TRY(open_listeners(ep, lo));
  TRY(check_access(opt, listeners));
  for (auto const& l : listeners)
    if (worker && l.mode() != Listener::Mode::accepts)
      return Error::usage(fmt::format("--pass-to on '{}'", opt.endpoint), "hands over accepted connections; it has none");
  for (auto const& l : listeners) {
    auto local = TRY(l.socket().local());
    if (out.json()) {
      TRY(out.event("listening").address("local", local, l.socket().scheme()).emit());
    } else {
      // The port the kernel chose is news worth printing; a chosen one is not.
      out.note(ep.service == "0" ? 0 : 1, "listen: listening on {}", format_endpoint(local, l.socket().scheme()));
    }
  }

  so.keep_open = opt.keep_open;
  if (opt.max_conns) so.max_conns = static_cast<size_t>(*opt.max_conns);
  so.relay.shutdown_on_eof = !opt.no_shutdown;
  so.relay.events = out.json();
  so.relay.idle_timeout = opt.idle_timeout;
  so.relay.once = opt.once;

  ConnectionHandler handler = [&](Socket& sock, Connection const& c) -> Result<std::optional<Local>> {
    if (worker) {
      // A broker: the worker gets the socket and the client's address; we
      // keep no copy and proxy nothing.
      auto peer = c.peer.empty() ? std::string() : format_endpoint(c.peer, *c.scheme);
      TRY(hand_off(sock, *worker, peer, Deadline::after(kHandOffSeconds)));
      sock = Socket();
      if (!out.json()) {
        out.note(1, "listen: passed {} to {}", peer, worker->text);
        return std::optional<Local>();
      }
      auto ev = out.event("passed");
      if (!c.peer.empty()) ev.address("peer", c.peer, *c.scheme);
      TRY(ev.address("worker", *worker->address, *worker->scheme).emit());
      return std::optional<Local>();
    }
    if (opt.echo) return std::optional<Local>(Local::echo());
    if (opt.discard) return std::optional<Local>(Local::discard());
    if (command) {
      std::vector<std::string> env;
      if (!c.peer.empty()) env.push_back("SOCKCTL_PEER=" + format_endpoint(c.peer, *c.scheme));
      if (!c.local.empty()) env.push_back("SOCKCTL_LOCAL=" + format_endpoint(c.local, *c.scheme));
      auto stdio = sock.type() == SOCK_STREAM ? ChildStdio::pipes : ChildStdio::seqpacket;
      return std::optional<Local>(Local::child(TRY(Child::spawn(*command, stdio, env))));
    }
    return std::optional<Local>(opt.keep_open ? Local::output_only() : Local::stdio());
  };

  ServeHooks hooks;
  hooks.accepted = [&](Connection const& c) -> Result<void> {
    if (!out.json()) {
      out.note(1, "listen: accepted {}", format_endpoint(c.peer, *c.scheme));
      return {};
    }
    auto ev = out.event("accepted");
    if (!c.peer.empty()) ev.address("peer", c.peer, *c.scheme);
    if (!c.local.empty()) ev.address("local", c.local, *c.scheme);
    return ev.emit();
  };
  hooks.denied = [&](SockAddr const& peer, Scheme const& scheme) -> Result<void> {
    if (!out.json()) {
      out.note(1, "listen: denied {}", format_endpoint(peer, scheme));
      return {};
    }
    return out.event("denied").address("peer", peer, scheme).emit();
  };
  hooks.closed = [&](Connection const& c, RelayStats const& st) {
    std::optional<SockAddr> peer;
    if (!c.peer.empty()) peer = c.peer;
    return report_closed(out, "listen", st, *c.scheme, peer, opt.stats);
  };
  if (out.json())
    hooks.data = [&](Connection const& c) {
      return data_events(out, *c.scheme, c.peer.empty() ? std::nullopt : std::optional<SockAddr>(c.peer));
    };

  auto summary = TRY(serve(std::move(listeners), handler, so, hooks));
  if (opt.keep_open) {
    if (out.json()) TRY(out.event("stopped").field("connections", summary.connections).emit());
    return Exit::ok;
  }
  if (!summary.last) return Exit::ok;
  return session_exit(*summary.last);
}

}  // namespace

void add_listen(CLI::App& app, Dispatch& dispatch) {
  auto opt = std::make_shared<ListenArgs>();
  auto* sub = app.add_subcommand("listen", "Listen on ENDPOINT and relay connections or datagrams");
  sub->add_option("endpoint", opt->endpoint, "ENDPOINT, e.g. tcp::8080, udp:0.0.0.0:0, unix:/run/x.sock, systemd:")
      ->required()
      ->type_name("ENDPOINT");
  auto* keep = sub->add_flag("-k,--keep-open", opt->keep_open, "Serve every connection, not just the first");
  auto* echo = sub->add_flag("--echo", opt->echo, "Send back what each client sends");
  auto* discard = sub->add_flag("--discard", opt->discard, "Read and drop what each client sends");
  auto* exec = sub->add_option("-e,--exec", opt->exec, "Run CMD per connection on its stdin/stdout (no shell)")
                   ->type_name("CMD");
  auto* sh = sub->add_option("-c,--sh-exec", opt->sh_exec, "Run CMD per connection with /bin/sh -c")->type_name("CMD");
  auto* pass = sub->add_option("--pass-to", opt->pass_to, "Hand each connection to the worker on unix ENDPOINT")
                   ->type_name("ENDPOINT");
  sub->add_option("--max-conns", opt->max_conns, "Serve at most N connections at once; the rest wait")
      ->type_name("N");
  sub->add_option("--allow", opt->allow, "Accept only peers in CIDR (repeatable)")->type_name("CIDR");
  sub->add_option("--deny", opt->deny, "Refuse peers in CIDR before reading a byte (repeatable)")->type_name("CIDR");
  sub->add_option("--backlog", opt->backlog, "Queue up to N connections not yet accepted")->type_name("N");
  sub->add_option("--idle-timeout", opt->idle_timeout, "Close a connection after SECS without data")
      ->type_name("SECS");
  auto* once = sub->add_flag("--once", opt->once, "Exit after one connection, or after one datagram");
  sub->add_flag("--no-shutdown", opt->no_shutdown, "Do not pass EOF on with shutdown(SHUT_WR)");
  sub->add_flag("--stats", opt->stats, "Print bytes each way, duration and how it ended on stderr");
  add_sockopt_flag(*sub, opt->sockopts);
  echo->excludes(discard)->excludes(exec)->excludes(sh);
  discard->excludes(exec)->excludes(sh);
  exec->excludes(sh);
  pass->excludes(echo)->excludes(discard)->excludes(exec)->excludes(sh);
  once->excludes(keep);
  dispatch.on(sub, [opt](Output& out) { return run(*opt, out); });
}

}  // namespace sockctl::cmd
