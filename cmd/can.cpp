// can.cpp: `sockctl can send|dump|replay|gen|bcm|isotp`: SocketCAN on the
// command line with can-utils' frame syntax, filters and log format, strict
// where can-utils is lax. Replaces: cansend, candump, canplayer, cangen,
// isotpsend/isotprecv and hand-written BCM programs.
// See: sockctl-can(1), Documentation/networking/can.rst.
#include <fcntl.h>
#include <time.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>

#include "command.hpp"
#include "sockctl/can.hpp"
#include "sockctl/endpoint.hpp"
#include "sockctl/interrupt.hpp"
#include "sockctl/io.hpp"

namespace sockctl::cmd {
namespace {

constexpr std::string_view kCommand = "can";

struct CanOptions {
  // send
  std::string iface;
  std::vector<std::string> frames;
  bool no_loopback = false;
  // dump
  std::vector<std::string> sources;
  bool fd = false;
  std::string time = "none";
  std::optional<uint64_t> count;
  std::optional<double> timeout;
  std::string log;
  std::optional<int> rcvbuf;
  // replay
  std::string logfile;
  std::vector<std::string> maps;
  bool fast = false;
  // gen
  double gap_ms = 200;
  std::string id_mode = "r", len_mode = "r", data_mode = "r";
  bool extended = false, brs = false, rtr = false;
  std::optional<uint64_t> seed;
  // bcm
  std::optional<double> cyclic_ms;
  std::optional<uint32_t> tx_count;
  bool watch = false;
  double rx_timeout_ms = 0, throttle_ms = 0;
  std::optional<double> duration;
  // isotp
  std::string tx_id, rx_id, verb;
  std::string tx_pad, rx_pad;
  uint8_t block_size = 0;
  double stmin_ms = 0;
  bool hex = false;
};

std::string plural(uint64_t n, std::string_view what) { return fmt::format("{} {}{}", n, what, n == 1 ? "" : "s"); }

uint64_t to_us(double ms) { return static_cast<uint64_t>(ms * 1000 + 0.5); }

Result<std::vector<CanFrameBytes>> parse_frames(std::vector<std::string> const& texts) {
  std::vector<CanFrameBytes> frames;
  for (auto const& t : texts) frames.push_back(TRY(parse_can_frame(t)));
  return frames;
}

// An FD frame on a classic interface: refused before anything is sent.
Result<void> check_fd_capable(CanInterface const& iface, std::vector<CanFrameBytes> const& frames) {
  for (auto const& f : frames)
    if (f.fd && !iface.fd)
      return Error::make(Exit::unavailable, fmt::format("frame '{}' on '{}'", format_can_frame(f), iface.name),
                         "not a CAN FD interface (MTU 16)");
  return {};
}

Result<Exit> run_send(CanOptions const& opt, Output& out) {
  auto frames = TRY(parse_frames(opt.frames));
  auto iface = TRY(can_interface(opt.iface));
  TRY(check_fd_capable(iface, frames));
  bool fd = std::any_of(frames.begin(), frames.end(), [](auto const& f) { return f.fd; });
  auto s = TRY(open_can_raw(iface, {}, {.fd = fd, .loopback = !opt.no_loopback}));
  Json sent = Json::array();
  for (auto const& f : frames) {
    TRY(send_can_frame(s, f));
    sent.push_back(format_can_frame(f));
  }
  out.note(1, "sent {} on {}", plural(frames.size(), "frame"), iface.name);
  if (!out.json()) return Exit::ok;
  TRY(out.document({{"interface", iface.name}, {"frames", sent}}, [] { return std::string(); }));
  return Exit::ok;
}

// The receiver is registered with the kernel: scripts start the sender once
// they see this (a "listening" event, or the line on stderr), never after a sleep.
Result<void> report_listening(Output& out, Socket const& s, SockAddr const& local) {
  if (out.json()) return out.event("listening").address("local", local, s.scheme()).emit();
  out.note(0, "listening on {}", format_endpoint(local, s.scheme()));
  return {};
}

// One `can dump` source: its socket, the name width and drops seen so far.
struct DumpSocket {
  Socket sock;
  uint32_t drops = 0;
};

void append_dropped(std::string& out, bool json, std::string_view iface, uint32_t now, uint32_t total) {
  if (json) {
    out += R"({"event":"dropped","interface":)";
    append_json_string(out, iface);
    fmt::format_to(std::back_inserter(out), R"(,"dropped":{},"total":{}}})", now, total);
  } else {
    fmt::format_to(std::back_inserter(out), "DROPCOUNT: dropped {} on '{}' socket (total drops {})\n",
                   plural(now, "CAN frame"), iface, total);
  }
  if (json) out += '\n';
}

Result<Exit> run_dump(CanOptions const& opt, Output& out) {
  std::vector<CanSource> sources;
  size_t name_width = 0;
  for (auto const& text : opt.sources) {
    sources.push_back(TRY(parse_can_source(text)));
    name_width = std::max(name_width, sources.back().interface.size());
  }
  CanClock clock(TRY(parse_can_time_format(opt.time)));
  bool log_stdout = opt.log == "-";
  Fd log_file;
  if (!opt.log.empty() && !log_stdout) log_file = TRY(open_file(opt.log, O_WRONLY | O_CREAT | O_TRUNC));
  std::vector<DumpSocket> socks;
  for (auto const& src : sources) {
    auto iface = TRY(can_interface(src.interface));
    socks.push_back({TRY(open_can_raw(iface, src.filters, {.fd = opt.fd, .receive = true, .rcvbuf = opt.rcvbuf}))});
  }
  std::vector<pollfd> fds;
  for (auto& d : socks) {
    fds.push_back({d.sock.fd(), POLLIN, 0});
    if (!(log_stdout && out.json())) TRY(report_listening(out, d.sock, TRY(d.sock.local())));
  }

  Interrupts interrupts;
  CanReceiver receiver;
  CanNames names;
  bool json = out.json();
  bool indent_sff = false;
  uint64_t frames = 0;
  std::string lines, log;
  int timeout_ms = opt.timeout ? static_cast<int>(*opt.timeout * 1000) : -1;
  bool timed_out = false;
  while (!opt.count || frames < *opt.count) {
    int ready = TRY(interrupts.wait(fds, timeout_ms));
    if (interrupts.caught()) break;
    if (ready == 0) {
      timed_out = true;
      break;
    }
    for (size_t i = 0; i < socks.size(); ++i) {
      if (!(fds[i].revents & POLLIN)) continue;
      auto batch = TRY(receiver.receive(socks[i].sock));
      for (auto const& r : batch) {
        if (opt.count && frames >= *opt.count) break;
        ++frames;
        std::string const& name = names.name(r.ifindex);
        if (r.drops > socks[i].drops) {
          append_dropped(lines, json, name, r.drops - socks[i].drops, r.drops);
          socks[i].drops = r.drops;
        }
        CanFrame view = r.frame.view();
        if (!opt.log.empty()) {
          std::string& to = log_stdout ? lines : log;
          // candump -L writes an FD frame's flags as received, FDF (4) included.
          CanFrame logged = view;
          if (r.frame.fd) logged.flags = r.frame.k.flags & 0xF;
          append_can_log_line(to, r.time, name, logged);
        }
        if (log_stdout) continue;
        if (json) {
          append_can_frame_event(lines, name, r);
          lines += '\n';
        } else {
          if (view.extended) indent_sff = true;
          lines += ' ';
          clock.append(lines, r.time);
          fmt::format_to(std::back_inserter(lines), " {:>{}}  ", name, name_width);
          append_can_candump(lines, view, indent_sff);
          lines += '\n';
        }
      }
    }
    if (!log.empty()) {
      TRY(write_all(log_file.get(), log, fmt::format("log file '{}'", opt.log)));
      log.clear();
    }
    if (!lines.empty()) {
      TRY(out.write_lines(lines));
      lines.clear();
    }
  }
  // Drops after the last frame received show only in the socket's counters.
  for (auto& d : socks) {
    uint32_t total = TRY(can_drops(d.sock));
    if (total > d.drops) append_dropped(lines, json, d.sock.label().substr(4), total - d.drops, total);
    d.drops = total;
  }
  if (!lines.empty()) TRY(out.write_lines(lines));
  uint64_t dropped = 0;
  for (auto const& d : socks) dropped += d.drops;
  out.note(1, "{} received, {} dropped", plural(frames, "frame"), dropped);
  if (timed_out && frames == 0) return Error::make(Exit::no, "dump", "no frame within the timeout");
  if (timed_out && opt.count)
    return Error::make(Exit::timeout, "dump", fmt::format("{} of {} within the timeout", frames, plural(*opt.count, "frame")));
  return Exit::ok;
}

// canplayer's assignment "TO=FROM": frames logged on FROM go out on TO.
Result<std::map<std::string, std::string, std::less<>>> parse_maps(std::vector<std::string> const& maps) {
  std::map<std::string, std::string, std::less<>> to_for;
  for (auto const& m : maps) {
    auto eq = m.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == m.size() || m.find('=', eq + 1) != std::string::npos)
      return Error::usage(fmt::format("interface mapping '{}'", m), "expected TO=FROM, e.g. vcan1=can0");
    to_for[m.substr(eq + 1)] = m.substr(0, eq);
  }
  return to_for;
}

Result<Exit> run_replay(CanOptions const& opt, Output& out) {
  auto to_for = TRY(parse_maps(opt.maps));
  std::string text = opt.logfile == "-" ? TRY(read_fd(0, "stdin")) : TRY(read_file(opt.logfile));
  // The whole file is checked before the first frame goes out.
  struct Step {
    timespec time;
    std::string interface;
    CanFrameBytes frame;
  };
  std::vector<Step> steps;
  size_t line_no = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.empty() || line.front() != '(') continue;
    auto rec = parse_can_log_line(line);
    if (!rec) {
      auto e = rec.release_error();
      e.what = fmt::format("'{}' line {}: {}", opt.logfile, line_no, e.what);
      return e;
    }
    auto it = to_for.find(rec->interface);
    steps.push_back({rec->time, it != to_for.end() ? it->second : std::string(rec->interface), rec->frame});
  }
  std::map<std::string, Socket> socks;
  for (auto const& st : steps) {
    if (socks.count(st.interface)) continue;
    auto iface = TRY(can_interface(st.interface));
    for (auto const& other : steps)
      if (other.interface == st.interface) TRY(check_fd_capable(iface, {other.frame}));
    socks.emplace(st.interface, TRY(open_can_raw(iface, {}, {.fd = iface.fd})));
  }
  Interrupts interrupts;
  timespec start{};
  clock_gettime(CLOCK_MONOTONIC, &start);
  uint64_t sent = 0;
  for (auto const& st : steps) {
    if (!opt.fast && sent > 0) {
      // The log's spacing, kept against the first frame's time so it never drifts.
      int64_t ns = (st.time.tv_sec - steps.front().time.tv_sec) * 1000000000LL + (st.time.tv_nsec - steps.front().time.tv_nsec);
      ns = std::max<int64_t>(ns, 0);
      timespec when{start.tv_sec + static_cast<time_t>((start.tv_nsec + ns) / 1000000000),
                    static_cast<long>((start.tv_nsec + ns) % 1000000000)};
      interrupts.sleep_until(when);
    }
    if (interrupts.caught()) break;
    TRY(send_can_frame(socks.at(st.interface), st.frame));
    ++sent;
  }
  out.note(1, "replayed {}", plural(sent, "frame"));
  if (!out.json()) return Exit::ok;
  TRY(out.document({{"frames", sent}}, [] { return std::string(); }));
  return Exit::ok;
}

Result<Exit> run_gen(CanOptions const& opt, Output& out) {
  CanGenOptions g;
  g.id = opt.id_mode;
  g.len = opt.len_mode;
  g.data = opt.data_mode;
  g.extended = opt.extended;
  g.fd = opt.fd;
  g.brs = opt.brs;
  g.rtr = opt.rtr;
  g.seed = opt.seed ? *opt.seed : static_cast<uint64_t>(time(nullptr));
  auto gen = TRY(CanGenerator::make(g));
  auto iface = TRY(can_interface(opt.iface));
  if (opt.fd && !iface.fd)
    return Error::make(Exit::unavailable, fmt::format("interface '{}'", iface.name), "not a CAN FD interface (MTU 16)");
  auto s = TRY(open_can_raw(iface, {}, {.fd = opt.fd, .loopback = !opt.no_loopback}));
  Interrupts interrupts;
  timespec start{}, now{};
  clock_gettime(CLOCK_MONOTONIC, &start);
  uint64_t gap_ns = static_cast<uint64_t>(opt.gap_ms * 1e6);
  uint64_t sent = 0;
  while ((!opt.count || sent < *opt.count) && !interrupts.caught()) {
    if (gap_ns && sent > 0) {
      uint64_t ns = static_cast<uint64_t>(start.tv_nsec) + sent * gap_ns;
      timespec when{start.tv_sec + static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
      interrupts.sleep_until(when);
      if (interrupts.caught()) break;
    }
    TRY(send_can_frame(s, gen.next()));
    ++sent;
  }
  clock_gettime(CLOCK_MONOTONIC, &now);
  double secs = static_cast<double>(now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;
  out.note(1, "sent {} on {} in {:.3f} s", plural(sent, "frame"), iface.name, secs);
  if (!out.json()) return Exit::ok;
  TRY(out.document({{"interface", iface.name}, {"frames", sent}, {"seconds", secs}}, [] { return std::string(); }));
  return Exit::ok;
}

Result<Exit> run_bcm(CanOptions const& opt, Output& out) {
  auto frames = TRY(parse_frames(opt.frames));
  if (!opt.cyclic_ms && !opt.watch)
    return Error::usage("bcm", "nothing to do: give --cyclic MS to send or --watch to receive");
  if (frames.empty()) return Error::usage("bcm", "no FRAME given");
  if (opt.cyclic_ms && *opt.cyclic_ms <= 0)
    return Error::usage(fmt::format("period '{}' ms", *opt.cyclic_ms), "must be above 0");
  auto iface = TRY(can_interface(opt.iface));
  TRY(check_fd_capable(iface, frames));
  auto s = TRY(open_can_bcm(iface));
  if (opt.cyclic_ms) {
    for (auto const& f : frames)
      if ((f.k.can_id & CAN_EFF_MASK) != (frames.front().k.can_id & CAN_EFF_MASK) || f.fd != frames.front().fd)
        return Error::usage(fmt::format("frame '{}'", format_can_frame(f)),
                            "a cyclic sequence needs one id and one frame kind");
    TRY(bcm_tx_setup(s, frames, to_us(*opt.cyclic_ms), opt.tx_count.value_or(0)));
  } else {
    for (auto const& f : frames) TRY(bcm_rx_setup(s, f, to_us(opt.rx_timeout_ms), to_us(opt.throttle_ms)));
    // A BCM socket has no getsockname: its address is the interface's.
    sockaddr_can sc{};
    sc.can_family = AF_CAN;
    sc.can_ifindex = static_cast<int>(iface.index);
    TRY(report_listening(out, s, SockAddr::of(sc)));
  }
  Interrupts interrupts;
  CanNames names;
  pollfd pfd{s.fd(), POLLIN, 0};
  timespec start{}, now{};
  clock_gettime(CLOCK_MONOTONIC, &start);
  uint64_t events = 0;
  bool expired = false;
  while ((!opt.count || events < *opt.count) && !expired) {
    int wait_ms = -1;
    if (opt.duration) {
      clock_gettime(CLOCK_MONOTONIC, &now);
      double left = *opt.duration - (now.tv_sec - start.tv_sec) - (now.tv_nsec - start.tv_nsec) / 1e9;
      if (left <= 0) break;
      wait_ms = static_cast<int>(left * 1000) + 1;
    }
    TRY(interrupts.wait(std::span(&pfd, 1), wait_ms));
    if (interrupts.caught()) break;
    while (auto ev = TRY(bcm_receive(s))) {
      static constexpr char const* kKinds[] = {"changed", "timeout", "expired"};
      auto kind = kKinds[static_cast<int>(ev->kind)];
      CanFrame view = ev->frame.view();
      auto e = out.event(kind);
      e.field("interface", names.name(ev->ifindex), "{}  ");
      if (ev->kind == CanBcmEvent::Kind::changed) {
        std::string compact;
        append_can_compact(compact, view);
        std::string members;
        append_can_json_fields(members, view);
        e.json_fields(members).text(compact);
        std::string ts;
        append_epoch(ts, ev->time.tv_sec, static_cast<uint32_t>(ev->time.tv_nsec));
        e.json_raw("timestamp", ts);
      } else {
        e.field("id", view.can_id, "{:03X}").json_only("extended", view.extended).text(fmt::format("  {}", kind));
      }
      TRY(e.emit());
      ++events;
      expired = expired || ev->kind == CanBcmEvent::Kind::expired;
      if (opt.count && events >= *opt.count) break;
    }
  }
  return Exit::ok;
}

Result<uint8_t> parse_pad(std::string const& text, std::string_view what) {
  char* end = nullptr;
  unsigned long b = std::strtoul(text.c_str(), &end, 16);
  if (text.empty() || text.size() > 2 || *end || !std::isxdigit(static_cast<unsigned char>(text[0])))
    return Error::usage(fmt::format("{} byte '{}'", what, text), "expected one hex byte, e.g. CC");
  return static_cast<uint8_t>(b);
}

std::string hex_text(std::span<std::byte const> data) {
  std::string s;
  for (auto b : data) fmt::format_to(std::back_inserter(s), "{:02x}", static_cast<unsigned>(b));
  return s;
}

Result<Exit> run_isotp(CanOptions const& opt, Output& out) {
  if (opt.verb != "send" && opt.verb != "recv")
    return Error::usage(fmt::format("isotp verb '{}'", opt.verb), "expected send or recv");
  auto ep = TRY(parse_endpoint(fmt::format("can-isotp:{}:{}:{}", opt.iface, opt.tx_id, opt.rx_id)));
  CanIsotpOptions io;
  if (!opt.tx_pad.empty()) io.tx_pad = TRY(parse_pad(opt.tx_pad, "padding"));
  if (!opt.rx_pad.empty()) io.rx_pad = TRY(parse_pad(opt.rx_pad, "receive padding"));
  io.block_size = opt.block_size;
  io.stmin = TRY(isotp_stmin(opt.stmin_ms));
  io.fd = opt.fd;
  std::string payload;
  if (opt.verb == "send") {
    payload = TRY(read_fd(0, "stdin"));
    if (opt.hex) {
      auto bytes = TRY(parse_isotp_hex(payload));
      payload.assign(reinterpret_cast<char const*>(bytes.data()), bytes.size());
    }
    if (payload.empty() || payload.size() > kIsotpMaxPayload)
      return Error::data(fmt::format("payload of {}", plural(payload.size(), "byte")),
                         "ISO-TP carries 1 to 4095 bytes");
  }
  auto iface = TRY(can_interface(opt.iface));
  if (opt.fd && !iface.fd)
    return Error::make(Exit::unavailable, fmt::format("interface '{}'", iface.name), "not a CAN FD interface (MTU 16)");
  auto addr = TRY(resolve_endpoint(ep)).front();
  auto s = TRY(open_can_isotp(addr, io));
  if (opt.verb == "send") {
    TRY(s.send(std::as_bytes(std::span(payload))));
    out.note(1, "sent {} on {}", plural(payload.size(), "byte"), s.label());
    if (out.json()) TRY(out.document({{"len", payload.size()}}, [] { return std::string(); }));
    return Exit::ok;
  }
  TRY(report_listening(out, s, TRY(s.local())));
  Interrupts interrupts;
  pollfd pfd{s.fd(), POLLIN, 0};
  std::vector<std::byte> buf(kIsotpMaxPayload + 1);
  uint64_t want = opt.count.value_or(1), got = 0;
  int timeout_ms = opt.timeout ? static_cast<int>(*opt.timeout * 1000) : -1;
  while (got < want) {
    int ready = TRY(interrupts.wait(std::span(&pfd, 1), timeout_ms));
    if (interrupts.caught()) break;
    if (ready == 0) return Error::make(Exit::timeout, fmt::format("receive on '{}'", s.label()), "timed out");
    auto n = TRY(s.recv(buf));
    auto data = std::span<std::byte const>(buf.data(), n);
    ++got;
    if (out.json()) {
      TRY(out.event("pdu").field("len", n).field("data", hex_text(data)).emit());
    } else if (opt.hex) {
      std::string line;
      append_isotp_hex(line, data);
      TRY(out.write(line));
    } else {
      TRY(out.write(std::string_view(reinterpret_cast<char const*>(data.data()), n)));
    }
  }
  return Exit::ok;
}

}  // namespace

void add_can(CLI::App& app, Dispatch& dispatch) {
  auto opt = std::make_shared<CanOptions>();
  auto* can = app.add_subcommand("can", "Send, dump, replay and generate SocketCAN frames");
  can->require_subcommand(1);

  auto* send = can->add_subcommand("send", "Send FRAMEs (cansend syntax) on IFACE");
  send->add_option("iface", opt->iface, "CAN interface, e.g. vcan0")->required();
  send->add_option("frames", opt->frames, "FRAME, e.g. 123#DEADBEEF or 123##1AABB")->required();
  send->add_flag("--no-loopback", opt->no_loopback, "Keep the frames from other sockets on this host");
  dispatch.on(send, [opt](Output& out) { return run_send(*opt, out); });

  auto* dump = can->add_subcommand("dump", "Print frames received on IFACE[,FILTER...] or any");
  dump->add_option("sources", opt->sources, "IFACE[,ID:MASK|ID~MASK|#ERRMASK|j...] as candump takes it")->required();
  dump->add_flag("--fd", opt->fd, "Receive CAN FD frames too");
  dump->add_option("-t,--time", opt->time, "Timestamps: none, absolute, delta, zero or date (a d z A)");
  dump->add_option("-n,--count", opt->count, "Stop after COUNT frames");
  dump->add_option("--timeout", opt->timeout, "Stop after SECS without a frame");
  dump->add_option("--log", opt->log, "Write candump's log format to FILE ('-': stdout)");
  dump->add_option("--rcvbuf", opt->rcvbuf, "Receive buffer of BYTES (SO_RCVBUF, SO_RCVBUFFORCE)");
  dispatch.on(dump, [opt](Output& out) { return run_dump(*opt, out); });

  auto* replay = can->add_subcommand("replay", "Send the frames of a candump log file (canplayer)");
  replay->add_option("logfile", opt->logfile, "Log FILE ('-': stdin)")->required();
  replay->add_option("maps", opt->maps, "TO=FROM: send frames logged on FROM out of TO");
  replay->add_flag("--fast", opt->fast, "Send as fast as possible, ignoring the timestamps");
  dispatch.on(replay, [opt](Output& out) { return run_replay(*opt, out); });

  auto* gen = can->add_subcommand("gen", "Generate frames on IFACE (cangen)");
  gen->add_option("iface", opt->iface, "CAN interface, e.g. vcan0")->required();
  gen->add_option("-g,--gap", opt->gap_ms, "Gap of MS milliseconds between frames (0: flood)");
  gen->add_option("-n,--count", opt->count, "Stop after COUNT frames");
  gen->add_option("-I,--id", opt->id_mode, "Ids: r (random), i (increment) or HEX");
  gen->add_option("-L,--len", opt->len_mode, "Lengths: r (random), i (increment) or N");
  gen->add_option("-D,--data", opt->data_mode, "Data: r (random), i (increment) or HEX");
  gen->add_flag("-e,--extended", opt->extended, "Send 29-bit ids");
  gen->add_flag("-f,--fd", opt->fd, "Send CAN FD frames");
  gen->add_flag("-b,--brs", opt->brs, "Set the bit rate switch on FD frames");
  gen->add_flag("-R,--rtr", opt->rtr, "Send remote requests");
  gen->add_option("--seed", opt->seed, "Seed the random modes with N");
  gen->add_flag("--no-loopback", opt->no_loopback, "Keep the frames from other sockets on this host");
  dispatch.on(gen, [opt](Output& out) { return run_gen(*opt, out); });

  auto* bcm = can->add_subcommand("bcm", "Send FRAMEs cyclically or watch ids with the broadcast manager");
  bcm->add_option("iface", opt->iface, "CAN interface, e.g. vcan0")->required();
  bcm->add_option("frames", opt->frames, "FRAME to send, or to watch (its data bits are the mask)");
  bcm->add_option("--cyclic", opt->cyclic_ms, "Send the FRAMEs in turn every MS milliseconds");
  bcm->add_option("--tx-count", opt->tx_count, "Send COUNT frames, then report expired");
  bcm->add_flag("--watch", opt->watch, "Report changes of the FRAMEs' masked data (RX_SETUP)");
  bcm->add_option("--rx-timeout", opt->rx_timeout_ms, "Report a timeout after MS milliseconds without the frame");
  bcm->add_option("--throttle", opt->throttle_ms, "Report changes at most every MS milliseconds");
  bcm->add_option("-n,--count", opt->count, "Stop after COUNT events");
  bcm->add_option("--duration", opt->duration, "Stop after SECS");
  dispatch.on(bcm, [opt](Output& out) { return run_bcm(*opt, out); });

  auto* isotp = can->add_subcommand("isotp", "Send stdin or receive to stdout over ISO-TP (ISO 15765-2)");
  isotp->add_option("iface", opt->iface, "CAN interface, e.g. vcan0")->required();
  isotp->add_option("tx_id", opt->tx_id, "TXID: hex id to send on (8 digits: 29-bit)")->required();
  isotp->add_option("rx_id", opt->rx_id, "RXID: hex id to receive on")->required();
  isotp->add_option("verb", opt->verb, "send or recv")->required();
  isotp->add_option("--pad", opt->tx_pad, "Pad sent frames with BYTE (hex)");
  isotp->add_option("--rx-pad", opt->rx_pad, "Require received frames padded with BYTE (hex)");
  isotp->add_option("--bs", opt->block_size, "Block size N in flow control (0: all)");
  isotp->add_option("--stmin", opt->stmin_ms, "Ask for MS milliseconds between frames");
  isotp->add_flag("--fd", opt->fd, "Use CAN FD frames (64 bytes)");
  isotp->add_flag("--hex", opt->hex, "Hex text in and out, as isotpsend and isotprecv");
  isotp->add_option("-n,--count", opt->count, "Receive COUNT payloads (default 1)");
  isotp->add_option("--timeout", opt->timeout, "Give up after SECS without a payload");
  dispatch.on(isotp, [opt](Output& out) { return run_isotp(*opt, out); });
}

}  // namespace sockctl::cmd
