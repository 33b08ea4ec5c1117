// sniff.cpp: `sockctl sniff [SOURCE] [FILTER...]`: capture what crosses a link
// and decode it: packets on an interface (a TPACKET_V3 ring), a raw IP
// socket, CAN interfaces, the Bluetooth monitor, rtnetlink events and the TIPC
// topology service, or a pcap/pcapng file. tcpdump's filter language and its
// one-line output, or JSON Lines; -w writes pcap for tcpdump and Wireshark.
// Replaces: tcpdump, candump, btmon, ip monitor.  See: sockctl-sniff(1).
#include <fmt/format.h>

#include "command.hpp"
#include "sockctl/capture.hpp"
#include "sockctl/decode.hpp"
#include "sockctl/pcap_file.hpp"
#include "sockctl/privilege.hpp"

namespace sockctl::cmd {

namespace {

struct SniffOptions {
  std::string interface;                 // -i
  std::string ip;                        // --ip PROTO
  std::string hci;                       // --hci DEV
  std::string netlink;                   // --netlink PROTO[:GROUPS]
  std::vector<std::string> tipc;         // --tipc NAME, repeatable
  std::string read;                      // -r FILE
  std::string write;                     // -w FILE
  std::string user;                      // -Z/--user NAME
  std::string buffer = "4M";             // --buffer SIZE
  std::optional<std::uint64_t> count;    // -c
  std::optional<double> duration;        // --duration SECS
  std::uint32_t snaplen = 0;             // -s, 0: the default
  bool no_promisc = false;
  bool link_header = false;              // -e
  bool absolute_seq = false;             // -S
  int hex = 0;                           // -x, -xx
  std::vector<std::string> filter;       // the rest of the command line
};

std::string join(std::vector<std::string> const& words) {
  std::string out;
  for (auto const& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

// The flags as the engine's capture options; exactly one source.
Result<CaptureOptions> capture_options(SniffOptions const& opt, bool json) {
  CaptureOptions c;
  int sources = !opt.interface.empty() + !opt.ip.empty() + !opt.hci.empty() + !opt.netlink.empty() +
                !opt.tipc.empty() + !opt.read.empty();
  if (sources > 1) return Error::usage("more than one source", "give one of -i, --ip, --hci, --netlink, --tipc, -r");
  if (!opt.interface.empty()) c.interface = opt.interface;
  if (!opt.ip.empty()) {
    c.kind = SourceKind::ip;
    c.ip_protocol = TRY(parse_ip_protocol(opt.ip));
  }
  if (!opt.hci.empty()) {
    c.kind = SourceKind::hci;
    c.hci_index = TRY(parse_hci_device(opt.hci));
  }
  if (!opt.netlink.empty()) TRY(parse_netlink_source(opt.netlink, c));
  if (!opt.tipc.empty()) {
    c.kind = SourceKind::tipc;
    for (auto const& t : opt.tipc) c.tipc.push_back(TRY(parse_tipc_range(t)));
  }
  if (!opt.read.empty()) {
    c.kind = SourceKind::file;
    c.file = opt.read;
  }
  if (opt.count && *opt.count == 0) return Error::usage("-c '0'", "want a count of at least 1");
  if (opt.duration && !(*opt.duration > 0)) return Error::usage(fmt::format("--duration '{}'", *opt.duration), "want seconds above 0");
  if (opt.snaplen > kDefaultSnaplen)
    return Error::usage(fmt::format("-s '{}'", opt.snaplen), fmt::format("want 1 to {} (0: {})", kDefaultSnaplen, kDefaultSnaplen));
  if (opt.write == "-" && json) return Error::usage("-w '-'", "the capture goes to stdout, so --json has nowhere to go");
  c.snaplen = opt.snaplen ? opt.snaplen : kDefaultSnaplen;
  c.buffer = TRY(parse_size(opt.buffer));
  if (c.buffer < (64u << 10)) return Error::usage(fmt::format("--buffer '{}'", opt.buffer), "want at least 64K");
  c.promisc = !opt.no_promisc;
  c.filter = join(opt.filter);
  return c;
}

// Renders records into one buffer, written once per batch: a line in
// tcpdump's form, or a JSON object with the decoded layers.
class Printer {
 public:
  Printer(SniffOptions const& opt, Capture const& cap, bool json) : opt_(opt), link_(cap.link()), json_(json) {
    // A single named interface is the interface of every record; cooked
    // records name theirs.
    if (!opt.interface.empty() && opt.interface != "any") interface_ = opt.interface;
    line_.link_header = opt.link_header;
    line_.absolute_seq = opt.absolute_seq;
    line_.interface_name = [this](std::uint32_t i) { return names_.name(i); };
  }

  void add(Record const& r) {
    decode_packet(link_, r.data, r.len, packet_);
    Bytes hex = r.data.subspan(opt_.hex >= 2 ? 0 : std::min<std::size_t>(packet_.network_offset, r.data.size()));
    if (json_) {
      out_ += "{\"event\":\"packet\",\"time\":";
      append_epoch(out_, r.sec, r.nsec);
      std::uint32_t ifindex = packet_ifindex(packet_);
      std::string_view iface = ifindex ? names_.name(ifindex) : std::string_view(interface_);
      if (!iface.empty()) {
        out_ += ",\"interface\":";
        append_json_string(out_, iface);
      }
      out_ += ",\"len\":";
      out_ += std::to_string(r.len);
      out_ += ",\"caplen\":";
      out_ += std::to_string(r.data.size());
      append_layers_json(out_, packet_);
      if (opt_.hex) {
        out_ += ",\"data\":\"";
        append_hex(out_, hex);
        out_ += '"';
      }
      out_ += "}\n";
    } else {
      append_time_of_day(out_, r.sec, r.nsec);
      out_ += ' ';
      append_summary(out_, packet_, line_, &seqs_);
      if (opt_.hex) append_hex_dump(out_, hex);
      out_ += '\n';
    }
  }
  std::string& text() { return out_; }

 private:
  SniffOptions const& opt_;
  Link link_;
  bool json_;
  std::string interface_;
  std::string out_;
  Packet packet_;
  TcpSeqTracker seqs_;
  InterfaceNames names_;
  LineOptions line_;
};

Result<void> report(Output& out, CaptureStats const& stats, std::uint64_t captured) {
  auto plural = [](std::uint64_t n) { return n == 1 ? "" : "s"; };
  if (out.json()) {
    auto e = out.event("stats");
    e.field("captured", captured);
    if (stats.live) e.field("received", stats.received).field("dropped", stats.dropped);
    return e.emit();
  }
  // tcpdump's words; a file has no kernel counts, and tcpdump -r says nothing.
  if (!stats.live) return {};
  out.note(0, "{} packet{} captured", captured, plural(captured));
  out.note(0, "{} packet{} received by filter", stats.received, plural(stats.received));
  out.note(0, "{} packet{} dropped by kernel", stats.dropped, plural(stats.dropped));
  return {};
}

Result<Exit> run(SniffOptions const& opt, Output& out) {
  auto copt = TRY(capture_options(opt, out.json()));
  StopSignals stop;
  auto cap = TRY(Capture::open(copt));
  // Only the capture socket needs root; what reads hostile bytes need not.
  if (!opt.user.empty()) TRY(drop_privileges(opt.user));
  std::optional<PcapWriter> writer;
  if (!opt.write.empty()) writer.emplace(TRY(PcapWriter::open(opt.write, cap.link(), copt.snaplen)));

  std::string where = cap.filter_place().empty() ? "" : fmt::format(", filter in {}", cap.filter_place());
  if (copt.kind == SourceKind::file) {
    out.note(1, "reading from file {}, link-type {}{}", cap.description(), link_name(cap.link()), where);
  } else {
    if (out.json()) {
      TRY(out.event("listening")
              .field("source", cap.description())
              .field("link", link_name(cap.link()))
              .field("snaplen", copt.snaplen)
              .emit());
    }
    out.note(0, "listening on {}, link-type {}, snapshot length {} bytes{}", cap.description(),
             link_name(cap.link()), copt.snaplen, where);
  }

  Printer printer(opt, cap, out.json());
  std::uint64_t captured = 0;
  auto sink = [&](Record const& r) {
    ++captured;
    if (writer)
      writer->write(r);
    else
      printer.add(r);
    return !opt.count || captured < *opt.count;
  };
  auto flush = [&]() -> Result<void> {
    if (writer) return writer->flush();
    if (printer.text().empty()) return {};
    auto written = out.write_lines(printer.text());
    printer.text().clear();
    return written;
  };
  Deadline deadline = Deadline::after(opt.duration);
  for (;;) {
    auto more = cap.next_batch(deadline, sink);
    // What was decoded before a failure (a file cut short) still goes out.
    TRY(flush());
    if (!more) return more.release_error();
    if (!*more) break;
  }
  TRY(report(out, TRY(cap.stats()), captured));
  return Exit::ok;
}

}  // namespace

void add_sniff(CLI::App& app, Dispatch& dispatch) {
  auto opt = std::make_shared<SniffOptions>();
  auto* sub = app.add_subcommand("sniff", "Capture and decode packets, CAN frames, HCI and netlink events");
  sub->add_option("-i,--interface", opt->interface, "Capture on interface IFACE, or any (the default)")
      ->type_name("IFACE");
  sub->add_flag("-p,--no-promisc", opt->no_promisc, "Do not put the interface into promiscuous mode");
  sub->add_option("--ip", opt->ip, "Capture with a raw IPv4 socket of protocol PROTO")->type_name("PROTO");
  sub->add_option("--hci", opt->hci, "Capture the Bluetooth monitor channel for DEV (hciN or any)")
      ->type_name("DEV");
  sub->add_option("--netlink", opt->netlink, "Watch netlink events, e.g. route or route:link,ipv4-ifaddr")
      ->type_name("PROTO[:GROUPS]");
  sub->add_option("--tipc", opt->tipc, "Watch TIPC service NAME being published and withdrawn (repeatable)")
      ->type_name("NAME")
      ->allow_extra_args(false);
  sub->add_option("-r,--read", opt->read, "Read packets from pcap or pcapng FILE (- for stdin)")->type_name("FILE");
  sub->add_option("-w,--write", opt->write, "Write packets to pcap FILE (- for stdout) instead of printing them")
      ->type_name("FILE");
  sub->add_option("-c,--count", opt->count, "Stop after COUNT packets")->type_name("COUNT");
  sub->add_option("--duration", opt->duration, "Stop after SECS seconds")->type_name("SECS");
  sub->add_option("-s,--snaplen", opt->snaplen, "Keep at most SNAPLEN bytes of each packet")->type_name("SNAPLEN");
  sub->add_option("--buffer", opt->buffer, "Use a SIZE capture buffer, e.g. 16M (default 4M)")->type_name("SIZE");
  sub->add_flag("-e,--link-header", opt->link_header, "Print the link-level header");
  sub->add_flag("-S,--absolute-seq", opt->absolute_seq, "Print absolute TCP sequence numbers");
  sub->add_flag("-x,--hex", opt->hex, "Print each packet in hex, without (-x) or with (-xx) its link header");
  sub->add_option("-Z,--user", opt->user, "Drop to user NAME once the capture is open")->type_name("NAME");
  sub->add_option("filter", opt->filter, "Filter EXPRESSION in pcap-filter(7) syntax, as tcpdump takes it")
      ->type_name("EXPRESSION");
  dispatch.on(sub, [opt](Output& out) { return run(*opt, out); });
}

}  // namespace sockctl::cmd
