// fdpass.cpp: `sockctl fdpass send|recv`: pass descriptors (SCM_RIGHTS) and
// credentials (SCM_CREDENTIALS) over AF_UNIX sockets; show what arrived, or
// run a command with it installed at 0, 1, 2..., at --as N, or announced the
// systemd way (LISTEN_FDS). SO_PEERCRED is shown for every connection.
// Replaces: hand-written Python (socket.send_fds/recv_fds); util-linux's
// never-merged fdsend/fdrecv. See: unix(7), sockctl-fdpass(1).
#include <charconv>
#include <climits>
#include <poll.h>

#include "command.hpp"
#include "sockctl/cmsg.hpp"
#include "sockctl/fdinfo.hpp"
#include "sockctl/fdpass.hpp"
#include "sockctl/fdexec.hpp"

namespace sockctl::cmd {
namespace {

constexpr std::string_view kCommand = "fdpass";

// Where one descriptor to send comes from, in command-line order.
struct Source {
  enum Kind { number, file, open } kind;
  std::string text;
};

struct SendOptions {
  std::string endpoint;
  std::vector<std::string> numbers, files, opens;  // as CLI11 collects them
  std::vector<Source> sources;                     // the same, in command-line order
  std::string message{"\0", 1};
  bool creds = false;
  std::optional<double> timeout;
  std::vector<std::string> sockopts;
};

struct RecvOptions {
  std::string endpoint;
  bool connect = false;
  bool keep_open = false;
  std::optional<size_t> count;
  size_t max_fds = kScmMaxFd;
  bool creds = false;
  bool exec = false;
  std::vector<std::string> command;   // the rest of the line after --exec
  int first_fd = 0;                   // --as
  bool systemd = false;
  std::vector<std::string> fdnames;
  std::optional<double> timeout;
  std::vector<std::string> sockopts;
};

// "1 descriptor", "2 descriptors".
std::string plural(size_t n, std::string_view what) { return fmt::format("{} {}{}", n, what, n == 1 ? "" : "s"); }

Result<int> parse_fd_number(std::string const& text) {
  int n = -1;
  auto r = std::from_chars(text.data(), text.data() + text.size(), n);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size() || n < 0)
    return Error::usage(fmt::format("descriptor '{}'", text), "not a descriptor number");
  return n;
}

Event& add_peer(Event& ev, Socket const& sock) {
  if (auto peer = sock.peer()) ev.address("peer", *peer, sock.scheme(), " {}");
  if (auto cred = peer_cred(sock.fd())) ev.json("peer_cred", creds_json(*cred), " (" + creds_text(*cred) + ")");
  return ev;
}

Event& add_fds(Event& ev, std::vector<FdInfo> const& fds) {
  Json list = Json::array();
  std::string lines;
  for (auto const& info : fds) {
    list.push_back(fd_json(info));
    lines += fmt::format("\n  fd {:<3} {}", info.fd, fd_summary(info));
  }
  return ev.json("fds", list, lines);
}

Result<Exit> run_send(SendOptions const& opt, Output& out) {
  auto ep = TRY(parse_unix_endpoint(opt.endpoint));
  auto sockopts = TRY(parse_sockopts(opt.sockopts));
  if (opt.sources.empty() && !opt.creds)
    return Error::usage("nothing to send", "give descriptor numbers, --file or --open");
  if (opt.message.empty()) return Error::usage("--message ''", "needs at least one byte to carry the descriptors");
  if (opt.sources.size() > kScmMaxFd)
    return Error::usage(fmt::format("{} descriptors", opt.sources.size()),
                        fmt::format("one message carries at most {} (SCM_MAX_FD)", kScmMaxFd));
  // Numbers are checked before any file is opened, so that a file cannot
  // land on a number that was not open and make it look valid.
  std::vector<int> fds(opt.sources.size(), -1);
  for (size_t i = 0; i < opt.sources.size(); ++i)
    if (opt.sources[i].kind == Source::number) {
      fds[i] = TRY(parse_fd_number(opt.sources[i].text));
      TRY(describe_fd(fds[i]));
    }
  std::vector<Fd> opened;
  for (size_t i = 0; i < opt.sources.size(); ++i)
    if (opt.sources[i].kind != Source::number) {
      auto spec = opt.sources[i].text + (opt.sources[i].kind == Source::file ? ":r" : "");
      opened.push_back(TRY(open_for_passing(spec)));
      fds[i] = opened.back().get();
    }
  std::vector<FdInfo> infos;
  for (int fd : fds) infos.push_back(TRY(describe_fd(fd)));

  auto sock = TRY(connect_unix(ep, Deadline::after(opt.timeout), sockopts));
  auto connected = out.event("connected");
  TRY(add_peer(connected.text("connected"), sock).emit());
  size_t bytes = TRY(send_fds(sock, Outgoing{opt.message, fds, opt.creds}));
  auto ev = out.event("sent");
  ev.text(fmt::format("sent {} and {}", plural(fds.size(), "descriptor"), plural(bytes, "byte"))).json_only("bytes", bytes);
  if (opt.creds) ev.json("creds", creds_json(own_creds()), " with " + creds_text(own_creds()));
  TRY(add_fds(ev, infos).emit());
  return Exit::ok;
}

// One receiver: counts messages, runs --exec, remembers the worst error of a
// --keep-open run (which reports errors and goes on).
class Receiver {
 public:
  Receiver(RecvOptions const& opt, Output& out) : opt_(opt), out_(out), quiet_(!opt.command.empty() && !out.json()) {
    limit_ = opt.count ? *opt.count : opt.keep_open ? SIZE_MAX : 1;
  }

  bool done() const { return received_ >= limit_; }
  Deadline deadline() const { return Deadline::after(opt_.timeout); }

  Result<void> emit(Event& ev) { return quiet_ ? Result<void>() : ev.emit(); }

  Result<void> prepare(Socket& sock) {
    if (opt_.creds) TRY(sock.setsockopt_int(SOL_SOCKET, SO_PASSCRED, 1));
    return {};
  }

  // Messages on one connection (or datagrams on one socket) until EOF or the count.
  Result<void> serve(Socket& sock) {
    size_t here = 0;
    while (!done()) {
      auto in = receive_fds(sock, {opt_.max_fds, opt_.creds}, deadline());
      if (!in) {
        // A bad message is over once received and the connection goes on;
        // any other failure ends the connection.
        bool next = in.error().exit == Exit::data;
        TRY(setback(in.release_error()));
        if (next) continue;
        break;
      }
      if (in->eof) break;
      ++here;
      TRY(handle(std::move(*in), sock));
    }
    if (sock.type() != SOCK_DGRAM) {
      auto ev = out_.event("closed");
      TRY(emit(ev.json_only("messages", here).text("closed after " + plural(here, "message"))));
    }
    return {};
  }

  // Waits for every command still running; the exit status of the run.
  Result<Exit> finish() {
    for (pid_t pid : children_) {
      int status = TRY(wait_child(pid));
      TRY(report_exit(pid, status));
    }
    if (received_ == 0 && opt_.connect && worst_ == Exit::ok)
      return Error::make(Exit::no, fmt::format("'{}'", opt_.endpoint), "closed the connection before sending");
    if (last_status_ && !opt_.keep_open && !opt_.count) return static_cast<Exit>(*last_status_);
    return worst_;
  }

  // Collects commands that have ended, without blocking.
  Result<void> reap() {
    while (auto ended = TRY(reap_child())) {
      std::erase(children_, ended->pid);
      TRY(report_exit(ended->pid, ended->status));
    }
    return {};
  }

 private:
  // A failed message ends a single receive; --keep-open reports it and goes on.
  Result<void> setback(Error e) {
    if (!opt_.keep_open) return e;
    out_.fail(kCommand, e);
    if (static_cast<int>(e.exit) > static_cast<int>(worst_)) worst_ = e.exit;
    return {};
  }

  Result<void> handle(Incoming in, Socket const& sock) {
    ++received_;
    std::vector<FdInfo> infos;
    for (auto const& fd : in.fds) infos.push_back(TRY(describe_fd(fd.get())));
    auto ev = out_.event("received");
    ev.text(fmt::format("received {} and {} {:?}", plural(in.fds.size(), "descriptor"), plural(in.message.size(), "byte"),
                        in.message));
    ev.json_only("bytes", in.message.size()).json("message", Json(in.message));
    if (sock.type() == SOCK_DGRAM && !in.from.empty()) ev.address("from", in.from, sock.scheme(), " from {}");
    if (in.creds) ev.json("creds", creds_json(*in.creds), " with " + creds_text(*in.creds));
    if (!in.ignored.empty()) {
      Json ignored = Json::array();
      for (auto const& i : in.ignored) ignored.push_back({{"level", i.level}, {"type", i.type}, {"bytes", i.bytes}});
      ev.json("ignored", ignored, fmt::format(" (ignored {} control messages)", in.ignored.size()));
    }
    if (opt_.command.empty()) {
      // Described, so done with: closed before anyone hears of them.
      in.fds.clear();
      return emit(add_fds(ev, infos));
    }
    TRY(emit(add_fds(ev, infos)));

    std::vector<int> fds;
    for (auto const& fd : in.fds) fds.push_back(fd.get());
    TRY(out_.finish());
    pid_t pid = TRY(exec_with_fds({opt_.command, fds, opt_.first_fd, opt_.systemd, opt_.fdnames}));
    children_.push_back(pid);
    // Ours are closed before anyone hears of the child, so that whoever
    // watches the events sees them gone.
    in.fds.clear();
    Json installed = Json::array();
    for (size_t i = 0; i < fds.size(); ++i) installed.push_back(opt_.first_fd + static_cast<int>(i));
    auto spawned = out_.event("spawned");
    spawned.field("pid", pid, "spawned pid {}").json("installed", installed).json("argv", Json(opt_.command));
    TRY(emit(spawned));
    out_.note(1, "{}: ran '{}' as pid {}", kCommand, opt_.command[0], pid);
    return reap();
  }

  Result<void> report_exit(pid_t pid, int status) {
    last_status_ = exit_code(status);
    auto ev = out_.event("exited");
    ev.field("pid", pid, "pid {}").field("status", *last_status_, " exited {}");
    return emit(ev);
  }

  RecvOptions const& opt_;
  Output& out_;
  bool quiet_;
  size_t limit_ = 1;
  size_t received_ = 0;
  std::vector<pid_t> children_;
  std::optional<int> last_status_;
  Exit worst_ = Exit::ok;
};

Result<void> check_recv_options(RecvOptions const& opt) {
  if (opt.max_fds > kScmMaxFd)
    return Error::usage(fmt::format("--max-fds {}", opt.max_fds),
                        fmt::format("one message carries at most {} (SCM_MAX_FD)", kScmMaxFd));
  if (opt.first_fd < 0) return Error::usage(fmt::format("--as {}", opt.first_fd), "not a descriptor number");
  if (opt.count && *opt.count == 0) return Error::usage("--count 0", "count at least one message");
  if (opt.systemd && opt.first_fd != 0 && opt.first_fd != kListenFdsStart)
    return Error::usage(fmt::format("--as {}", opt.first_fd),
                        fmt::format("--systemd installs descriptors at {}", kListenFdsStart));
  for (auto const& name : opt.fdnames)
    if (!valid_fdname(name))
      return Error::usage(fmt::format("descriptor name '{}'", name), "needs 1-255 printable characters, no ':'");
  if (opt.command.empty() && (opt.first_fd != 0 || opt.systemd))
    return Error::usage(opt.systemd ? "--systemd" : "--as", "needs --exec");
  if (!opt.fdnames.empty() && !opt.systemd) return Error::usage("--fdname", "needs --systemd");
  if (!opt.command.empty()) TRY(find_program(opt.command[0]));
  return {};
}

Result<Exit> run_recv(RecvOptions opt, Output& out) {
  auto ep = TRY(parse_unix_endpoint(opt.endpoint));
  auto sockopts = TRY(parse_sockopts(opt.sockopts));
  TRY(check_recv_options(opt));
  if (opt.systemd) opt.first_fd = kListenFdsStart;
  // Events are rare and someone may be waiting for each: never hold one back.
  out.set_line_flush(true);
  Receiver rx(opt, out);
  if (opt.connect) {
    auto sock = TRY(connect_unix(ep, rx.deadline(), sockopts));
    TRY(rx.prepare(sock));
    auto ev = out.event("connected");
    TRY(rx.emit(add_peer(ev.text("connected"), sock)));
    TRY(rx.serve(sock));
  } else {
    auto server = TRY(serve_unix(ep, SOMAXCONN, sockopts));
    auto& listener = server.socket;
    TRY(rx.prepare(listener));
    auto ev = out.event("listening");
    TRY(rx.emit(ev.address("local", TRY(listener.local()), listener.scheme(), "listening on {}")));
    if (ep.type == SOCK_DGRAM) TRY(rx.serve(listener));
    while (!rx.done()) {
      auto ready = TRY(wait_fd(listener.fd(), POLLIN, rx.deadline()));
      if (ready == 0) return Error::make(Exit::timeout, fmt::format("accept on '{}'", ep.text), "timed out");
      auto conn = TRY(listener.accept());
      conn.set_label(ep.text);
      TRY(rx.prepare(conn));
      auto accepted = out.event("accepted");
      TRY(rx.emit(add_peer(accepted.text("accepted"), conn)));
      TRY(rx.serve(conn));
      TRY(rx.reap());
    }
  }
  return rx.finish();
}

// CLI11 keeps each option's values apart; parse_order() keeps their interleaving.
std::vector<Source> sources_in_order(CLI::App const& sub, std::vector<CLI::Option const*> const& by_kind) {
  std::vector<Source> out;
  std::vector<size_t> next(by_kind.size());
  for (auto const* o : sub.parse_order())
    for (size_t k = 0; k < by_kind.size(); ++k)
      if (o == by_kind[k] && next[k] < o->results().size())
        out.push_back({static_cast<Source::Kind>(k), o->results()[next[k]++]});
  return out;
}

void add_send(CLI::App& parent, Dispatch& dispatch) {
  auto opt = std::make_shared<SendOptions>();
  auto* sub = parent.add_subcommand("send", "Connect to ENDPOINT and send descriptors in one message");
  sub->add_option("endpoint", opt->endpoint, "ENDPOINT: unix:PATH, unix:@NAME, unix-dgram:..., unix-seqpacket:...")
      ->required();
  std::vector<CLI::Option const*> by_kind{
      sub->add_option("fd", opt->numbers, "Descriptor numbers to send, e.g. 0 or 3"),
      sub->add_option("--file", opt->files, "Open PATH read-only and send it (repeatable)")
          ->type_name("PATH")
          ->allow_extra_args(false),
      sub->add_option("--open", opt->opens, "Open PATH[:MODE] (MODE r, w, a or rw) and send it (repeatable)")
          ->type_name("PATH")
          ->allow_extra_args(false),
  };
  sub->add_option("-m,--message", opt->message, "Data sent with the descriptors (default one NUL byte)")
      ->type_name("TEXT");
  sub->add_flag("--creds", opt->creds, "Send SCM_CREDENTIALS (our pid, uid, gid) too");
  sub->add_option("--timeout", opt->timeout, "Give up connecting after SECS")->type_name("SECS");
  add_sockopt_flag(*sub, opt->sockopts);
  dispatch.on(sub, [opt, sub, by_kind](Output& out) {
    opt->sources = sources_in_order(*sub, by_kind);
    return run_send(*opt, out);
  });
}

void add_recv(CLI::App& parent, Dispatch& dispatch) {
  auto opt = std::make_shared<RecvOptions>();
  auto* sub = parent.add_subcommand("recv", "Receive descriptors on ENDPOINT; show them or run a command with them");
  sub->add_option("endpoint", opt->endpoint, "ENDPOINT to listen on (or connect to with --connect)")->required();
  sub->add_flag("-c,--connect", opt->connect, "Connect to ENDPOINT instead of listening");
  sub->add_flag("-k,--keep-open", opt->keep_open, "Go on receiving after the first message");
  sub->add_option("--count", opt->count, "Stop after N messages")->type_name("N");
  sub->add_option("--max-fds", opt->max_fds, "Room for N descriptors per message (default and most: 253)")
      ->type_name("N");
  sub->add_flag("--creds", opt->creds, "Receive SCM_CREDENTIALS (sets SO_PASSCRED)");
  // Everything after --exec belongs to the command, dashes included: from
  // there on nothing falls through to the global flags, and the first word
  // CLI11 cannot place starts remaining().
  sub->prefix_command();
  auto exec = [opt, sub](std::int64_t) {
    opt->exec = true;
    sub->fallthrough(false);
  };
  sub->add_flag_function("--exec", exec, "Run CMD [ARGS...] (the rest of the line) with the descriptors")
      ->trigger_on_parse();
  sub->add_option("--as", opt->first_fd, "Install the descriptors at N, N+1, ... (default 0)")->type_name("N");
  sub->add_flag("--systemd", opt->systemd, "Install at 3... and set LISTEN_FDS, LISTEN_PID, LISTEN_FDNAMES");
  sub->add_option("--fdname", opt->fdnames, "Name for LISTEN_FDNAMES, one per descriptor (repeatable)")
      ->type_name("NAME");
  sub->add_option("--timeout", opt->timeout, "Give up after SECS without a connection or message")
      ->type_name("SECS");
  add_sockopt_flag(*sub, opt->sockopts);
  dispatch.on(sub, [opt, sub](Output& out) -> Result<Exit> {
    auto rest = sub->remaining();
    if (!rest.empty() && rest.front().starts_with('-'))
      return Error::usage(fmt::format("unknown option '{}'", rest.front()), "see 'sockctl fdpass recv --help'");
    if (!rest.empty() && !opt->exec)
      return Error::usage(fmt::format("unexpected argument '{}'", rest.front()), "did you mean --exec?");
    if (opt->exec && rest.empty()) return Error::usage("--exec", "needs a command");
    opt->command = rest;
    return run_recv(*opt, out);
  });
}

}  // namespace

void add_fdpass(CLI::App& app, Dispatch& dispatch) {
  auto* sub = app.add_subcommand("fdpass", "Pass descriptors and credentials over unix sockets");
  sub->require_subcommand(1);
  add_send(*sub, dispatch);
  add_recv(*sub, dispatch);
}

}  // namespace sockctl::cmd
