// capture.hpp: every source `sniff` reads from, behind one interface: an
// AF_PACKET interface (or all of them) through a TPACKET_V3 ring, a raw IP
// socket, the Bluetooth monitor channel, rtnetlink groups, the TIPC topology
// service, and pcap/pcapng files. Each hands over records in a pcap link
// type's layout, in batches, filtered by a libpcap expression (in the kernel
// where the bytes the kernel sees are the bytes the expression was compiled
// for).  See: packet(7), raw(7), netlink(7), Documentation/networking/packet_mmap.rst
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sockctl/decode.hpp"
#include "sockctl/error.hpp"
#include "sockctl/pcap_file.hpp"
#include "sockctl/socket.hpp"

namespace sockctl {

enum class SourceKind { interface, ip, hci, netlink, tipc, file };

/// A TIPC service range to watch: TYPE[:LOWER[-UPPER]].
struct TipcRange {
  std::uint32_t type = 0, lower = 0, upper = ~0u;
};

struct CaptureOptions {
  SourceKind kind = SourceKind::interface;
  std::string interface = "any";       // -i: a name, or "any" (cooked)
  bool promisc = true;                 // --no-promisc turns it off
  int ip_protocol = 0;                 // --ip: IPPROTO_*
  int hci_index = -1;                  // --hci: a controller, or -1 for every one
  int netlink_protocol = 0;            // --netlink: NETLINK_ROUTE, ...
  std::vector<unsigned> netlink_groups;  // multicast groups (RTNLGRP_*)
  std::vector<TipcRange> tipc;         // --tipc
  std::string file;                    // -r
  std::size_t buffer = 4 << 20;        // --buffer: ring or socket buffer bytes
  std::uint32_t snaplen = kDefaultSnaplen;
  std::string filter;                  // pcap-filter(7) expression
};

struct CaptureStats {
  std::uint64_t received = 0;  // "received by filter": passed the filter (kernel or ours)
  std::uint64_t dropped = 0;   // "dropped by kernel": no room in the ring or socket buffer
  bool live = false;           // files have neither count
};

/// Called for each record of a batch; return false to end the capture.
using RecordSink = std::function<bool(Record const&)>;

class CaptureSource;

/// An open capture: the socket (or file) set up, the filter attached.
class Capture {
 public:
  /// Opens the source. A missing interface exits 69, missing CAP_NET_RAW 77
  /// (with a hint), a bad filter 64 (libpcap's message), a missing file 66.
  static Result<Capture> open(CaptureOptions const& opt);
  Capture(Capture&&) noexcept;
  Capture& operator=(Capture&&) noexcept;
  ~Capture();

  /// The layout of the records handed over.
  Link link() const;
  /// What is captured, for -v and errors: "eth0", "any", "raw IP icmp", ...
  std::string const& description() const;
  /// Where the filter runs: "kernel", "user space", or "" when there is none.
  std::string_view filter_place() const;
  /// Waits for the next batch (one ring block, a socket read, a run of file
  /// records) until the deadline or a stop signal, and hands each record to
  /// sink. False once the capture is over: end of file, deadline, stop signal,
  /// or sink said so.
  Result<bool> next_batch(Deadline const& deadline, RecordSink const& sink);
  /// The kernel's counts so far (PACKET_STATISTICS, SO_RXQ_OVFL, ENOBUFS).
  Result<CaptureStats> stats();

 private:
  explicit Capture(std::unique_ptr<CaptureSource> source);
  std::unique_ptr<CaptureSource> source_;
};

/// SIGINT and SIGTERM end a capture cleanly. While installed they are blocked,
/// and delivered only inside a capture's wait (ppoll), so one that arrives
/// between the check and the wait is not lost. Restores the old state on destruction.
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(StopSignals const&) = delete;
  StopSignals& operator=(StopSignals const&) = delete;
  /// True once SIGINT or SIGTERM has arrived.
  static bool requested();
};

/// Interface names by index for cooked records, cached (if_indextoname once
/// per index); the index as text when the interface is gone.
class InterfaceNames {
 public:
  std::string_view name(std::uint32_t ifindex);

 private:
  std::unordered_map<std::uint32_t, std::string> names_;
};

/// --ip PROTO: a protocol name or number; 0 is refused (such a socket
/// receives nothing on Linux). Errors exit 64 naming the value.
Result<int> parse_ip_protocol(std::string_view text);
/// --hci DEV: "hci0", "0", or "any" (-1).
Result<int> parse_hci_device(std::string_view text);
/// --netlink SPEC: "PROTO[:GROUPS]" in the netlink endpoint's words; sets
/// kind, protocol and groups. Without groups, rtnetlink's link, address,
/// route and neighbour groups are watched (as `ip monitor` does).
Result<void> parse_netlink_source(std::string_view text, CaptureOptions& opt);
/// --tipc NAME: TYPE (every instance), TYPE:INSTANCE or TYPE:LOWER-UPPER.
Result<TipcRange> parse_tipc_range(std::string_view text);

/// "4M", "512K", "1G", "65536": a byte count with an optional binary suffix.
/// Exits 64 naming the value when malformed.
Result<std::size_t> parse_size(std::string_view text);

}  // namespace sockctl
