// connect.cpp: `sockctl connect ENDPOINT`: create_connection, then relay
// stdin/stdout (or a command, or a file) through the socket.
//
// Every resolved address is tried in turn under one total --timeout; stdin's
// EOF is passed on with shutdown(SHUT_WR) and the reply read to its end; -z
// probes ports without sending data; --wait retries until the endpoint
// accepts, for CI readiness checks. Replaces: nc, ncat, socat TCP:/UNIX-CONNECT:.
// See: sockctl-connect(1), connect(2), splice(2), sendfile(2).
#include <cmath>
#include <fcntl.h>

#include "can_relay.hpp"
#include "command.hpp"
#include "families.hpp"
#include "session_events.hpp"
#include "sockctl/connector.hpp"
#include "sockctl/io.hpp"
#include "sockctl/relay.hpp"
#include "sockctl/sockopt.hpp"
#include "sockctl/spawn.hpp"

namespace sockctl::cmd {
namespace {

struct ConnectArgs {
  std::string endpoint;
  std::optional<double> timeout;
  std::optional<std::string> source;
  bool probe = false;                     // -z
  std::optional<double> wait;             // --wait SECS
  std::optional<std::string> send_file;
  std::optional<std::string> exec;
  std::optional<std::string> sh_exec;
  bool no_shutdown = false;
  std::optional<double> idle_timeout;
  bool stats = false;
  std::vector<std::string> sockopts;      // -O NAME=VALUE
};

Result<void> check_seconds(char const* flag, std::optional<double> v) {
  if (v && !(std::isfinite(*v) && *v > 0))
    return Error::usage(fmt::format("bad {} '{}'", flag, *v), "expected a positive number of seconds");
  return {};
}

// A datagram socket has no EOF to wait for: after stdin ends, replies are
// read until this much silence, unless --idle-timeout says otherwise.
constexpr double kDatagramLinger = 1.0;

Result<Exit> run(ConnectArgs const& opt, Output& out) {
  TRY(check_seconds("--timeout", opt.timeout));
  TRY(check_seconds("--wait", opt.wait));
  TRY(check_seconds("--idle-timeout", opt.idle_timeout));
  auto ep = TRY(parse_endpoint(opt.endpoint, {.allow_port_range = opt.probe}));
  auto sockopts = TRY(parse_sockopts(opt.sockopts));
  std::optional<CommandLine> command;
  if (opt.exec) command = TRY(split_command(*opt.exec));
  if (opt.sh_exec) command = shell_command(*opt.sh_exec);
  if (command) TRY(check_command(*command));
  Fd file;
  if (opt.send_file) file = TRY(open_file(*opt.send_file, O_RDONLY));

  // CAN sockets carry frames and PDUs, not bytes: lines of text both ways.
  if (is_can_endpoint(ep)) {
    CanRelayArgs ca;
    ca.command = "connect";
    ca.prepare = [&sockopts](Socket& s) { return apply_sockopts(s, sockopts); };
    ca.input = file ? file.get() : 0;
    if (file) ca.input_name = fmt::format("'{}'", *opt.send_file);
    ca.idle = opt.idle_timeout;
    ca.stats = opt.stats;
    ca.refused = {{"-z", opt.probe}, {"--wait", opt.wait.has_value()}, {"--timeout", opt.timeout.has_value()},
                  {"--source", opt.source.has_value()}, {"--exec", opt.exec.has_value()},
                  {"--sh-exec", opt.sh_exec.has_value()}};
    return serve_can(ep, ca, out);
  }

  ConnectOptions co;
  co.timeout = opt.timeout;
  co.source = opt.source;
  co.prepare = [&sockopts](Socket& s) { return apply_sockopts(s, sockopts); };
  co.trying = [&](SockAddr const& a) { out.note(1, "connect: trying {}", format_endpoint(a, *ep.scheme)); };
  co.failed = [&](Error const& e) { out.note(1, "connect: {}", e.message()); };

  auto report = [&](ProbeResult const& r) -> Result<void> {
    auto ev = out.event("probe");
    if (r.address) ev.address("address", *r.address, *ep.scheme, "{} ");
    ev.field("port", r.port, "").field("open", !r.error, "").text(r.error ? "closed" : "open");
    if (r.error) ev.field("error", r.error->why, " ({})");
    return ev.emit();
  };
  auto waiting = [&](Error const& e) { out.note(1, "connect: waiting: {}", e.message()); };
  if (opt.probe && opt.wait) {
    // A readiness check: one port, success once it accepts.
    if (ep.port_last) return Error::usage(fmt::format("--wait with '{}'", ep.text), "probe one port, not a range");
    auto sock = TRY(connect_waiting(ep, co, *opt.wait, waiting));
    ProbeResult r;
    if (auto peer = sock.peer()) r.address = *peer;
    TRY(report(r));
    return Exit::ok;
  }
  if (opt.probe) {
    return probe(ep, co, report);
  }

  auto sock = opt.wait ? TRY(connect_waiting(ep, co, *opt.wait, waiting)) : TRY(connect_endpoint(ep, co));
  auto const& scheme = sock.scheme();
  std::optional<SockAddr> peer;
  if (auto p = sock.peer()) peer = *p;
  auto local_addr = sock.local();
  if (out.json()) {
    auto ev = out.event("connected");
    if (peer) ev.address("peer", *peer, scheme);
    if (local_addr) ev.address("local", *local_addr, scheme);
    TRY(ev.emit());
  } else {
    out.note(1, "connect: connected to {} from {}", peer ? format_endpoint(*peer, scheme) : ep.text,
             local_addr ? format_endpoint(*local_addr, scheme) : "?");
  }

  // Netlink has no byte stream to relay: requests are typed as hex lines.
  if (sock.family() == AF_NETLINK && !command && !file) return exchange_netlink(sock, ep, opt.idle_timeout, out);

  RelayOptions ro;
  ro.shutdown_on_eof = !opt.no_shutdown;
  ro.events = out.json();
  ro.idle_timeout = opt.idle_timeout;
  if (!opt.idle_timeout) ro.linger = kDatagramLinger;
  ro.peer = peer;
  Local local = Local::stdio();
  if (command) {
    std::vector<std::string> env;
    if (peer) env.push_back("SOCKCTL_PEER=" + format_endpoint(*peer, scheme));
    if (local_addr) env.push_back("SOCKCTL_LOCAL=" + format_endpoint(*local_addr, scheme));
    auto stdio = is_connectionless(sock.type()) || sock.type() == SOCK_SEQPACKET ? ChildStdio::seqpacket : ChildStdio::pipes;
    local = Local::child(TRY(Child::spawn(*command, stdio, env)));
  } else if (file) {
    local = Local::file(std::move(file), *opt.send_file);
  }
  RelayHooks hooks;
  if (out.json()) hooks.data = data_events(out, scheme, peer);
  auto stats = TRY(run_session(std::move(sock), std::move(local), ro, std::move(hooks)));
  TRY(report_closed(out, "connect", stats, scheme, peer, opt.stats));
  return session_exit(stats);
}

}  // namespace

void add_connect(CLI::App& app, Dispatch& dispatch) {
  auto opt = std::make_shared<ConnectArgs>();
  auto* sub = app.add_subcommand("connect", "Connect to ENDPOINT and relay stdin/stdout through it");
  sub->add_option("endpoint", opt->endpoint, "ENDPOINT, e.g. tcp:example.com:80, unix:@name, udp:[::1]:53")
      ->required()
      ->type_name("ENDPOINT");
  sub->add_option("--timeout", opt->timeout, "Give up connecting after SECS, for all addresses together")
      ->type_name("SECS");
  sub->add_option("-s,--source", opt->source, "Bind to local ADDR[:PORT] before connecting")->type_name("ADDR");
  auto* z = sub->add_flag("-z,--probe", opt->probe, "Probe the port (or range 20-25) without sending data");
  sub->add_option("--wait", opt->wait, "Retry until ENDPOINT accepts or SECS pass")->type_name("SECS");
  auto* send = sub->add_option("--send-file", opt->send_file, "Send FILE (with sendfile) instead of stdin")
                   ->type_name("FILE");
  auto* exec = sub->add_option("-e,--exec", opt->exec, "Relay through CMD's stdin/stdout (split into words, no shell)")
                   ->type_name("CMD");
  auto* sh = sub->add_option("-c,--sh-exec", opt->sh_exec, "Relay through CMD run by /bin/sh -c")->type_name("CMD");
  sub->add_flag("--no-shutdown", opt->no_shutdown, "Do not pass stdin's EOF on with shutdown(SHUT_WR)");
  sub->add_option("--idle-timeout", opt->idle_timeout, "Close after SECS without data in either direction")
      ->type_name("SECS");
  sub->add_flag("--stats", opt->stats, "Print bytes each way, duration and how it ended on stderr");
  add_sockopt_flag(*sub, opt->sockopts);
  exec->excludes(sh);
  send->excludes(exec)->excludes(sh);
  z->excludes(exec)->excludes(sh)->excludes(send);
  dispatch.on(sub, [opt](Output& out) { return run(*opt, out); });
}

}  // namespace sockctl::cmd
