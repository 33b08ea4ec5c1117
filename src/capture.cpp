// capture.cpp: the capture sources: an AF_PACKET TPACKET_V3 ring, raw IP,
// Bluetooth monitor, netlink and TIPC topology sockets, and pcap files.
//
// The ring. A TPACKET_V3 receive ring is one shared mapping cut into blocks.
// The kernel fills a block with as many packets as fit, each a tpacket3_hdr
// (time stamp, lengths, VLAN tag), a sockaddr_ll, and the bytes, then hands
// the whole block over by setting TP_STATUS_USER in the block's status word;
// we walk its packets and give the block back by writing TP_STATUS_KERNEL.
// Only blocks cross between us and the kernel, not packets: one poll(2) and
// one status write per block instead of a recvmsg per packet, and no copy.
// Rules the kernel sets and we follow:
//   - Blocks go round in order. We read status with acquire and give a block
//     back with release ordering, or we might read a packet the kernel has not
//     finished writing, or let it reuse a block we are still reading.
//   - A block is retired (handed over) when full, or when tp_retire_blk_tov
//     milliseconds pass with packets in it. The timeout sets the latency of a
//     quiet link (a ping shows up within it); at high rates blocks fill first.
//     Empty blocks are never retired, so an idle capture costs nothing.
//   - When no block is free the kernel drops the packet and counts it in
//     PACKET_STATISTICS (read-and-reset, so we accumulate). Those are the
//     "dropped by kernel"; tp_packets, what passed the filter, is "received".
//   - A packet larger than a block is cut to fit, so a block must hold the
//     largest frame we want whole (64 KiB GRO packets on veth).
//   - The kernel strips VLAN tags into tp_vlan_tci before the socket sees the
//     frame; we put them back (PACKET_RESERVE leaves room in front) so the
//     record is the frame as it was on the wire, as libpcap does. For cooked
//     captures (`-i any`, links without an Ethernet header) the same room
//     takes the 20-byte LINUX_SLL2 header we build from the sockaddr_ll.
//   - The socket is created with protocol 0, so nothing is queued until the
//     ring and the filter are in place and we bind with ETH_P_ALL: no packet
//     slips past the filter, and none needs draining.
// The filter is compiled by libpcap for the records' layout and attached with
// SO_ATTACH_FILTER, so rejected packets never cost a copy. Its return value is
// the snapshot length, which is how the kernel applies -s. For cooked captures
// the kernel sees the packet without our header, so loads from the header
// become ancillary loads (SKF_AD_PROTOCOL, _IFINDEX, _HATYPE, _PKTTYPE) and
// loads past it shift down by 20; a program that reads any other header byte
// runs in user space instead, as do filters over CAN, HCI and netlink
// records, whose kernel layout differs from the pcap one (byte order,
// headers). A VLAN-tagged frame has lost its tag before the filter runs, so
// "not ip" would judge the inner packet: tagged frames skip the kernel
// program and are judged in user space once the tag is back, as tcpdump -r
// would judge them. Measured with bench/sniff.sh (veth, UDP flood).
//
// See: Documentation/networking/packet_mmap.rst, packet(7), filter(7),
// net/packet/af_packet.c (tpacket_rcv, prb_*), libpcap's pcap-linux.c.
#include "sockctl/capture.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>
#include <ctime>
#include <optional>
#include <net/if.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/can.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/tipc.h>

#include <fmt/format.h>

#include "sockctl/bluetooth.hpp"
#include "sockctl/endpoint.hpp"

namespace sockctl {

// --- stop signals -----------------------------------------------------------------

namespace {

volatile std::sig_atomic_t g_stop = 0;
bool g_installed = false;
sigset_t g_wait_mask;  // what ppoll waits with: the old mask without SIGINT/SIGTERM
sigset_t g_old_mask;
struct sigaction g_old_int, g_old_term;

extern "C" void on_stop_signal(int) { g_stop = 1; }

/// Waits until fd is readable, the deadline passes or a stop signal arrives:
/// revents, or 0 for the last two.
Result<short> wait_readable(int fd, Deadline const& d) {
  for (;;) {
    if (g_stop) return short{0};
    pollfd p{fd, POLLIN, 0};
    int ms = d.poll_ms();
    timespec ts{ms / 1000, (ms % 1000) * 1000000L};
    int n = ::ppoll(&p, 1, ms < 0 ? nullptr : &ts, g_installed ? &g_wait_mask : nullptr);
    if (n > 0) return p.revents;
    if (n == 0) return short{0};
    if (errno != EINTR) return Error::sys("ppoll", errno);
  }
}

}  // namespace

StopSignals::StopSignals() {
  g_stop = 0;
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, &g_old_int);
  ::sigaction(SIGTERM, &sa, &g_old_term);
  sigset_t block;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  ::sigprocmask(SIG_BLOCK, &block, &g_old_mask);
  g_wait_mask = g_old_mask;
  sigdelset(&g_wait_mask, SIGINT);
  sigdelset(&g_wait_mask, SIGTERM);
  g_installed = true;
}

StopSignals::~StopSignals() {
  g_installed = false;
  ::sigprocmask(SIG_SETMASK, &g_old_mask, nullptr);
  ::sigaction(SIGINT, &g_old_int, nullptr);
  ::sigaction(SIGTERM, &g_old_term, nullptr);
}

bool StopSignals::requested() {
  if (g_stop) return true;
  // Sources that never wait (files) look for a pending signal instead.
  if (g_installed) {
    sigset_t pending;
    if (::sigpending(&pending) == 0 && (sigismember(&pending, SIGINT) || sigismember(&pending, SIGTERM))) {
      g_stop = 1;
      timespec zero{};
      siginfo_t info;
      ::sigtimedwait(&pending, &info, &zero);
    }
  }
  return g_stop != 0;
}

// --- sources ---------------------------------------------------------------------------

class CaptureSource {
 public:
  virtual ~CaptureSource() = default;
  virtual Result<bool> next_batch(Deadline const& d, RecordSink const& sink) = 0;
  virtual Result<CaptureStats> stats() = 0;

  Link link = Link::ethernet;
  std::string description;
  std::string_view filter_place;
};

namespace {

constexpr std::size_t kSll2Len = 20;
constexpr std::size_t kVlanLen = 4;
constexpr std::uint32_t kSocketSnaplen = 0x40000;

using Program = std::vector<sock_filter>;

Program to_program(bpf_program const& p) {
  Program out(p.bf_len);
  for (std::size_t i = 0; i < p.bf_len; ++i) {
    out[i] = {p.bf_insns[i].code, p.bf_insns[i].jt, p.bf_insns[i].jf, p.bf_insns[i].k};
  }
  return out;
}

Program accept_all(std::uint32_t snaplen) { return {sock_filter{BPF_RET | BPF_K, 0, 0, snaplen}}; }

// The program as the kernel must run it on a cooked socket, which sees the
// packet without the LINUX_SLL2 header the program was compiled against; or
// nothing when a load cannot be mapped.
std::optional<Program> for_cooked_socket(Program p) {
  for (auto& insn : p) {
    auto cls = BPF_CLASS(insn.code);
    auto mode = BPF_MODE(insn.code);
    // The snapshot length counts the header the kernel never sees.
    if (cls == BPF_RET && BPF_RVAL(insn.code) == BPF_K && insn.k > kSll2Len) insn.k -= kSll2Len;
    if ((cls != BPF_LD && cls != BPF_LDX) || (mode != BPF_ABS && mode != BPF_IND && mode != BPF_MSH)) continue;
    if (insn.k >= static_cast<std::uint32_t>(SKF_AD_OFF)) continue;
    if (insn.k >= kSll2Len) {
      insn.k -= kSll2Len;
      continue;
    }
    if (mode != BPF_ABS) return std::nullopt;
    switch (insn.k) {
      case 0: insn.k = static_cast<std::uint32_t>(SKF_AD_OFF + SKF_AD_PROTOCOL); break;
      case 4: insn.k = static_cast<std::uint32_t>(SKF_AD_OFF + SKF_AD_IFINDEX); break;
      case 8: insn.k = static_cast<std::uint32_t>(SKF_AD_OFF + SKF_AD_HATYPE); break;
      case 10: insn.k = static_cast<std::uint32_t>(SKF_AD_OFF + SKF_AD_PKTTYPE); break;
      default: return std::nullopt;
    }
  }
  return p;
}

// VLAN tags are stripped before a packet socket's filter runs, so the
// kernel cannot judge a tagged frame as the expression means it (on the frame
// as sent). Tagged frames skip the program and are judged in user space once
// the tag is back; untagged frames are judged in the kernel.
Program pass_tagged_frames(Program p, std::uint32_t snaplen) {
  Program out{
      sock_filter{BPF_LD | BPF_W | BPF_ABS, 0, 0, static_cast<std::uint32_t>(SKF_AD_OFF + SKF_AD_VLAN_TAG_PRESENT)},
      sock_filter{BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0},
      sock_filter{BPF_RET | BPF_K, 0, 0, snaplen},
  };
  out.insert(out.end(), p.begin(), p.end());
  return out;
}

Result<void> attach(Socket& s, Program const& prog) {
  sock_fprog fp{static_cast<unsigned short>(prog.size()), const_cast<sock_filter*>(prog.data())};
  auto r = s.setsockopt(SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof fp);
  if (!r) {
    auto e = r.release_error();
    e.what = "attach the filter";
    return e;
  }
  return {};
}

Error capture_error(std::string what, int err) {
  auto e = Error::sys(std::move(what), err);
  if (err == EPERM || err == EACCES) e.why += " (capturing needs root or CAP_NET_RAW)";
  return e;
}

Result<Socket> open_socket(std::string const& what, int family, int type, int protocol) {
  auto s = Socket::open(family, type, protocol);
  if (!s) {
    auto e = s.release_error();
    e.what = what;
    if (e.err == EPERM || e.err == EACCES) e.why += " (capturing needs root or CAP_NET_RAW)";
    return e;
  }
  return s;
}

void put_be16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}
void put_be32(std::uint8_t* p, std::uint32_t v) {
  put_be16(p, static_cast<std::uint16_t>(v >> 16));
  put_be16(p + 2, static_cast<std::uint16_t>(v));
}

// A CAN frame as a socket holds it (host-order can_id) into the pcap layout
// (big-endian can_id; FDF marks CAN FD). XL frames keep their little-endian
// length and acceptance field: only the priority word turns around.
void can_to_pcap(std::uint8_t* frame, std::size_t caplen, std::uint16_t protocol) {
  if (caplen < 4) return;
  std::uint32_t id;
  std::memcpy(&id, frame, 4);
  put_be32(frame, id);
  if (protocol == ETH_P_CANFD && caplen > 5) frame[5] |= CANFD_FDF;
}

// --- the TPACKET_V3 ring ---------------------------------------------------------------

class RingSource final : public CaptureSource {
 public:
  static Result<std::unique_ptr<CaptureSource>> open(CaptureOptions const& opt);
  ~RingSource() override {
    if (ring_ != MAP_FAILED) ::munmap(ring_, ring_size_);
  }
  Result<bool> next_batch(Deadline const& d, RecordSink const& sink) override;
  Result<CaptureStats> stats() override;

 private:
  // What one packet of a block turns into: the record, or nothing (a
  // loopback packet's outgoing copy, or one the user-space filter refuses).
  bool make_record(tpacket3_hdr* hdr, std::size_t room, Record& r);

  Socket sock_;
  void* ring_ = MAP_FAILED;
  std::size_t ring_size_ = 0, block_size_ = 0, block_count_ = 0, current_ = 0;
  bool cooked_ = false;
  std::optional<Filter> user_filter_;  // for every record, or for tagged ones only
  bool filter_all_in_user_ = false;
  std::uint32_t snaplen_ = kDefaultSnaplen;
  CaptureStats stats_;
  std::uint64_t refused_ = 0;  // passed the kernel, refused here: not "received by filter"
};

// Block size: big enough for a 64 KiB GRO frame, small enough that the
// buffer has several blocks in flight.
constexpr std::size_t kMinBlock = 128 << 10, kMaxBlock = 1 << 20;
constexpr unsigned kBlockTimeoutMs = 20;
constexpr std::size_t kFrameSize = 2048;  // only a unit of accounting in V3

Result<std::unique_ptr<CaptureSource>> RingSource::open(CaptureOptions const& opt) {
  auto src = std::make_unique<RingSource>();
  src->snaplen_ = opt.snaplen;
  bool any = opt.interface == "any";
  unsigned ifindex = 0;
  if (!any) {
    if (opt.interface.empty() || opt.interface.size() >= IF_NAMESIZE)
      return Error::usage(fmt::format("interface '{}'", opt.interface), "not an interface name");
    ifindex = if_nametoindex(opt.interface.c_str());
    if (ifindex == 0) return Error::sys(fmt::format("interface '{}'", opt.interface), errno == ENXIO ? ENODEV : errno);
  }
  // The link-layer type decides the layout: Ethernet and loopback frames as
  // they are, CAN frames as they are, everything else behind a cooked header.
  int hatype = ARPHRD_NONE;
  if (!any) {
    auto probe = TRY(open_socket(fmt::format("capture on '{}'", opt.interface), AF_PACKET, SOCK_RAW, 0));
    ifreq ifr{};
    std::memcpy(ifr.ifr_name, opt.interface.c_str(), opt.interface.size());
    if (::ioctl(probe.fd(), SIOCGIFHWADDR, &ifr) < 0)
      return Error::sys(fmt::format("interface '{}'", opt.interface), errno);
    hatype = ifr.ifr_hwaddr.sa_family;
    src->sock_ = std::move(probe);
  }
  src->cooked_ = any || (hatype != ARPHRD_ETHER && hatype != ARPHRD_LOOPBACK && hatype != ARPHRD_CAN);
  src->link = src->cooked_ ? Link::linux_sll2 : hatype == ARPHRD_CAN ? Link::can : Link::ethernet;
  src->description = opt.interface;
  std::string what = fmt::format("capture on '{}'", opt.interface);
  if (!src->sock_.valid() || src->cooked_)
    src->sock_ = TRY(open_socket(what, AF_PACKET, src->cooked_ ? SOCK_DGRAM : SOCK_RAW, 0));
  Socket& s = src->sock_;

  TRY(s.setsockopt_int(SOL_PACKET, PACKET_VERSION, TPACKET_V3));
  TRY(s.setsockopt_int(SOL_PACKET, PACKET_RESERVE, static_cast<int>(kVlanLen + (src->cooked_ ? kSll2Len : 0))));

  auto filter = TRY(Filter::compile(opt.filter, src->link, opt.snaplen));
  std::uint32_t socket_snaplen = src->cooked_ && opt.snaplen > kSll2Len ? opt.snaplen - kSll2Len : opt.snaplen;
  std::optional<Program> kernel = to_program(filter.program());
  if (src->cooked_) kernel = for_cooked_socket(*kernel);
  if (src->link == Link::can) kernel.reset();
  if (filter.empty()) {
    TRY(attach(s, accept_all(socket_snaplen)));
  } else if (kernel) {
    src->filter_place = "kernel";
    TRY(attach(s, pass_tagged_frames(*kernel, socket_snaplen)));
    src->user_filter_.emplace(std::move(filter));
  } else {
    src->filter_place = "user space";
    src->filter_all_in_user_ = true;
    TRY(attach(s, accept_all(socket_snaplen)));
    src->user_filter_.emplace(std::move(filter));
  }

  src->block_size_ = std::clamp(std::bit_floor(opt.buffer / 8), kMinBlock, kMaxBlock);
  src->block_count_ = std::max<std::size_t>(2, opt.buffer / src->block_size_);
  tpacket_req3 req{};
  req.tp_block_size = static_cast<unsigned>(src->block_size_);
  req.tp_block_nr = static_cast<unsigned>(src->block_count_);
  req.tp_frame_size = kFrameSize;
  req.tp_frame_nr = static_cast<unsigned>(src->block_size_ / kFrameSize * src->block_count_);
  req.tp_retire_blk_tov = kBlockTimeoutMs;
  auto ring = s.setsockopt(SOL_PACKET, PACKET_RX_RING, &req, sizeof req);
  if (!ring) {
    auto e = ring.release_error();
    e.what = fmt::format("set up a {} byte ring", src->block_size_ * src->block_count_);
    return e;
  }
  src->ring_size_ = src->block_size_ * src->block_count_;
  src->ring_ = ::mmap(nullptr, src->ring_size_, PROT_READ | PROT_WRITE, MAP_SHARED, s.fd(), 0);
  if (src->ring_ == MAP_FAILED) return Error::sys("map the capture ring", errno);

  if (opt.promisc && ifindex != 0) {
    packet_mreq mr{};
    mr.mr_ifindex = static_cast<int>(ifindex);
    mr.mr_type = PACKET_MR_PROMISC;
    TRY(s.setsockopt(SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr));
  }
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(ETH_P_ALL);
  sll.sll_ifindex = static_cast<int>(ifindex);
  if (::bind(s.fd(), reinterpret_cast<sockaddr*>(&sll), sizeof sll) < 0) return capture_error(what, errno);
  src->stats_.live = true;
  return std::unique_ptr<CaptureSource>(std::move(src));
}

bool RingSource::make_record(tpacket3_hdr* hdr, std::size_t room, Record& r) {
  auto* base = reinterpret_cast<std::uint8_t*>(hdr);
  auto const* sll = reinterpret_cast<sockaddr_ll const*>(base + TPACKET_ALIGN(sizeof(tpacket3_hdr)));
  // Offsets come from the kernel; still, never step outside the block.
  if (hdr->tp_mac < TPACKET3_HDRLEN || hdr->tp_mac > room || hdr->tp_snaplen > room - hdr->tp_mac) return false;
  // On loopback every packet is seen twice, going out and coming in; so is
  // every CAN frame, which the CAN core loops back to local sockets (candump
  // shows it once).
  if (sll->sll_pkttype == PACKET_OUTGOING && (sll->sll_hatype == ARPHRD_LOOPBACK || sll->sll_hatype == ARPHRD_CAN))
    return false;

  std::uint8_t* data = base + hdr->tp_mac;
  std::uint32_t caplen = hdr->tp_snaplen, len = hdr->tp_len;
  std::size_t gap = hdr->tp_mac - TPACKET3_HDRLEN;  // free bytes in front of the data
  bool vlan = (hdr->tp_status & TP_STATUS_VLAN_VALID) || hdr->hv1.tp_vlan_tci != 0;
  std::uint16_t tpid = (hdr->tp_status & TP_STATUS_VLAN_TPID_VALID) ? hdr->hv1.tp_vlan_tpid : ETH_P_8021Q;
  std::uint16_t protocol = ntohs(sll->sll_protocol);
  if (!cooked_) {
    if (link == Link::can) can_to_pcap(data, caplen, protocol);
    if (vlan && caplen >= 12 && gap >= kVlanLen) {
      std::memmove(data - kVlanLen, data, 12);
      data -= kVlanLen;
      put_be16(data + 12, tpid);
      put_be16(data + 14, hdr->hv1.tp_vlan_tci);
      caplen += kVlanLen;
      len += kVlanLen;
    }
  } else {
    if (protocol == ETH_P_CAN || protocol == ETH_P_CANFD || protocol == ETH_P_CANXL) can_to_pcap(data, caplen, protocol);
    if (gap < kSll2Len + (vlan ? kVlanLen : 0)) return false;
    if (vlan) {
      data -= kVlanLen;
      put_be16(data, hdr->hv1.tp_vlan_tci);
      std::memcpy(data + 2, &sll->sll_protocol, 2);
      caplen += kVlanLen;
      len += kVlanLen;
    }
    data -= kSll2Len;
    std::memset(data, 0, kSll2Len);
    if (vlan)
      put_be16(data, tpid);
    else
      std::memcpy(data, &sll->sll_protocol, 2);
    put_be32(data + 4, static_cast<std::uint32_t>(sll->sll_ifindex));
    put_be16(data + 8, sll->sll_hatype);
    data[10] = sll->sll_pkttype;
    data[11] = std::min<std::uint8_t>(sll->sll_halen, 8);
    std::memcpy(data + 12, sll->sll_addr, data[11]);
    caplen += kSll2Len;
    len += kSll2Len;
  }
  r.sec = hdr->tp_sec;
  r.nsec = hdr->tp_nsec;
  r.data = Bytes(data, caplen);
  r.len = len;
  return !user_filter_ || !(filter_all_in_user_ || vlan) || user_filter_->matches(r);
}

Result<bool> RingSource::next_batch(Deadline const& d, RecordSink const& sink) {
  auto* block = reinterpret_cast<tpacket_block_desc*>(static_cast<std::uint8_t*>(ring_) + current_ * block_size_);
  if (!(__atomic_load_n(&block->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER)) {
    short revents = TRY(wait_readable(sock_.fd(), d));
    if (revents & POLLERR) {
      int err = TRY(sock_.getsockopt_int(SOL_SOCKET, SO_ERROR));
      if (err != 0) return Error::sys(fmt::format("capture on '{}'", description), err);
    }
    if (StopSignals::requested() || d.expired()) return false;
    if (!(__atomic_load_n(&block->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER)) return true;
  }
  bool more = true;
  auto* bytes = reinterpret_cast<std::uint8_t*>(block);
  std::size_t offset = block->hdr.bh1.offset_to_first_pkt;
  std::uint32_t const count = block->hdr.bh1.num_pkts;
  for (std::uint32_t i = 0; i < count && more; ++i) {
    if (offset < sizeof(tpacket_block_desc) || offset + sizeof(tpacket3_hdr) > block_size_) break;
    auto* hdr = reinterpret_cast<tpacket3_hdr*>(bytes + offset);
    Record r;
    if (make_record(hdr, block_size_ - offset, r))
      more = sink(r);
    else
      ++refused_;
    if (hdr->tp_next_offset == 0) break;
    offset += hdr->tp_next_offset;
  }
  __atomic_store_n(&block->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
  current_ = (current_ + 1) % block_count_;
  return more;
}

Result<CaptureStats> RingSource::stats() {
  tpacket_stats_v3 st{};
  socklen_t len = sizeof st;
  if (::getsockopt(sock_.fd(), SOL_PACKET, PACKET_STATISTICS, &st, &len) < 0)
    return Error::sys("read the capture statistics", errno);
  stats_.received += st.tp_packets;
  stats_.dropped += st.tp_drops;
  CaptureStats out = stats_;
  out.received = out.received > refused_ ? out.received - refused_ : 0;
  return out;
}

// --- sockets that deliver one record per read: raw IP, HCI monitor, netlink, TIPC ---

class SocketSource final : public CaptureSource {
 public:
  enum class Kind { ip, hci, netlink, tipc };
  static Result<std::unique_ptr<CaptureSource>> open(CaptureOptions const& opt);
  Result<bool> next_batch(Deadline const& d, RecordSink const& sink) override;
  Result<CaptureStats> stats() override { return stats_; }

 private:
  // Hands one read to sink as records of the source's link type; false to stop.
  bool deliver(std::uint8_t const* buf, std::size_t n, Record r, RecordSink const& sink);
  bool offer(Record const& r, RecordSink const& sink) {
    if (user_filter_ && !user_filter_->matches(r)) return true;
    ++stats_.received;
    return sink(r);
  }

  Kind kind_ = Kind::ip;
  Socket sock_;
  std::uint32_t snaplen_ = kDefaultSnaplen;
  int hci_index_ = -1;
  std::uint16_t netlink_protocol_ = 0;
  std::optional<Filter> user_filter_;
  std::vector<std::uint8_t> buf_, scratch_;
  CaptureStats stats_;
};

constexpr std::size_t kReadBuffer = 1 << 16;
constexpr int kReadsPerBatch = 256;
constexpr std::size_t kHciMonitorHeader = 6;  // le16 opcode, le16 index, le16 length
constexpr std::size_t kSllLen = 16;           // the cooked header of LINKTYPE_NETLINK

// rtnetlink's groups `ip monitor` watches when none are named.
constexpr unsigned kDefaultRouteGroups[] = {RTNLGRP_LINK,       RTNLGRP_NEIGH,       RTNLGRP_IPV4_IFADDR,
                                            RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV6_ROUTE};

Result<std::unique_ptr<CaptureSource>> SocketSource::open(CaptureOptions const& opt) {
  auto src = std::make_unique<SocketSource>();
  src->snaplen_ = opt.snaplen;
  src->buf_.resize(kReadBuffer);
  src->scratch_.resize(kReadBuffer + kSllLen);
  switch (opt.kind) {
    case SourceKind::ip: {
      src->kind_ = Kind::ip;
      src->link = Link::raw;
      src->description = fmt::format("raw IP protocol {}", opt.ip_protocol);
      src->sock_ = TRY(open_socket(fmt::format("open a raw IP socket for protocol {}", opt.ip_protocol), AF_INET,
                                   SOCK_RAW, opt.ip_protocol));
      // A raw socket's filter sees the IP header first: the DLT_RAW layout.
      auto filter = TRY(Filter::compile(opt.filter, src->link, kSocketSnaplen));
      src->filter_place = filter.empty() ? "" : "kernel";
      TRY(attach(src->sock_, to_program(filter.program())));
      break;
    }
    case SourceKind::hci: {
      src->kind_ = Kind::hci;
      src->link = Link::bt_monitor;
      src->hci_index_ = opt.hci_index;
      src->description = opt.hci_index < 0 ? "Bluetooth monitor" : fmt::format("Bluetooth monitor, hci{}", opt.hci_index);
      src->sock_ = TRY(open_socket("open the Bluetooth monitor", AF_BLUETOOTH, SOCK_RAW, bt::kProtoHci));
      bt::sockaddr_hci hci{AF_BLUETOOTH, bt::kDevNone, bt::kChannelMonitor};
      if (::bind(src->sock_.fd(), reinterpret_cast<sockaddr*>(&hci), sizeof hci) < 0)
        return capture_error("bind the Bluetooth monitor channel", errno);
      break;
    }
    case SourceKind::netlink: {
      src->kind_ = Kind::netlink;
      src->link = Link::netlink;
      src->netlink_protocol_ = static_cast<std::uint16_t>(opt.netlink_protocol);
      src->description = fmt::format("netlink protocol {}", opt.netlink_protocol);
      src->sock_ = TRY(open_socket("open a netlink socket", AF_NETLINK, SOCK_RAW, opt.netlink_protocol));
      sockaddr_nl nl{};
      nl.nl_family = AF_NETLINK;
      if (::bind(src->sock_.fd(), reinterpret_cast<sockaddr*>(&nl), sizeof nl) < 0)
        return Error::sys("bind the netlink socket", errno);
      std::vector<unsigned> groups = opt.netlink_groups;
      if (groups.empty() && opt.netlink_protocol == NETLINK_ROUTE)
        groups.assign(std::begin(kDefaultRouteGroups), std::end(kDefaultRouteGroups));
      for (unsigned g : groups) {
        auto joined = src->sock_.setsockopt_int(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, static_cast<int>(g));
        if (!joined) {
          auto e = joined.release_error();
          e.what = fmt::format("join netlink group {}", g);
          return e;
        }
      }
      break;
    }
    case SourceKind::tipc: {
      src->kind_ = Kind::tipc;
      src->link = Link::tipc;
      src->description = "TIPC topology service";
      src->sock_ = TRY(open_socket("open a TIPC socket", AF_TIPC, SOCK_SEQPACKET, 0));
      sockaddr_tipc top{};
      top.family = AF_TIPC;
      top.addrtype = TIPC_SERVICE_ADDR;
      top.addr.name.name.type = TIPC_TOP_SRV;
      top.addr.name.name.instance = TIPC_TOP_SRV;
      if (::connect(src->sock_.fd(), reinterpret_cast<sockaddr*>(&top), sizeof top) < 0)
        return Error::sys("connect to the TIPC topology service", errno);
      // Subscriptions in host byte order get events in host byte order.
      for (auto const& range : opt.tipc) {
        tipc_subscr sub{};
        sub.seq = {range.type, range.lower, range.upper};
        sub.timeout = TIPC_WAIT_FOREVER;
        sub.filter = TIPC_SUB_PORTS;
        TRY(src->sock_.send(std::as_bytes(std::span(&sub, 1))));
      }
      break;
    }
    default: return Error::usage("capture", "not a socket source");
  }
  if (src->kind_ != Kind::ip && !opt.filter.empty()) {
    src->filter_place = "user space";
    src->user_filter_.emplace(TRY(Filter::compile(opt.filter, src->link, opt.snaplen)));
  }
  // Best effort: a bigger receive queue (FORCE needs CAP_NET_ADMIN), kernel
  // time stamps, and the count of what the queue dropped.
  if (!src->sock_.setsockopt_int(SOL_SOCKET, SO_RCVBUFFORCE, static_cast<int>(opt.buffer)))
    (void)src->sock_.setsockopt_int(SOL_SOCKET, SO_RCVBUF, static_cast<int>(opt.buffer));
  (void)src->sock_.setsockopt_int(SOL_SOCKET, SO_TIMESTAMPNS, 1);
  (void)src->sock_.setsockopt_int(SOL_SOCKET, SO_RXQ_OVFL, 1);
  src->stats_.live = true;
  return std::unique_ptr<CaptureSource>(std::move(src));
}

bool SocketSource::deliver(std::uint8_t const* buf, std::size_t n, Record r, RecordSink const& sink) {
  switch (kind_) {
    case Kind::ip:
    case Kind::tipc:
      r.data = Bytes(buf, std::min<std::size_t>(n, snaplen_));
      r.len = static_cast<std::uint32_t>(n);
      return offer(r, sink);
    case Kind::hci: {
      // The monitor's header is little-endian (opcode, index, length); the
      // pcap layout is big-endian (index, opcode), without the length.
      if (n < kHciMonitorHeader) return true;
      std::uint16_t opcode = static_cast<std::uint16_t>(buf[0] | buf[1] << 8);
      std::uint16_t index = static_cast<std::uint16_t>(buf[2] | buf[3] << 8);
      if (hci_index_ >= 0 && index != hci_index_ && index != bt::kDevNone) return true;
      std::uint8_t* out = scratch_.data();
      put_be16(out, index);
      put_be16(out + 2, opcode);
      std::memcpy(out + 4, buf + kHciMonitorHeader, n - kHciMonitorHeader);
      std::size_t size = 4 + n - kHciMonitorHeader;
      r.data = Bytes(out, std::min<std::size_t>(size, snaplen_));
      r.len = static_cast<std::uint32_t>(size);
      return offer(r, sink);
    }
    case Kind::netlink: {
      // One record per message, each behind the cooked header nlmon
      // captures carry: ARPHRD_NETLINK, and the netlink protocol.
      for (std::size_t off = 0; off + sizeof(nlmsghdr) <= n;) {
        nlmsghdr h;
        std::memcpy(&h, buf + off, sizeof h);
        if (h.nlmsg_len < sizeof h || h.nlmsg_len > n - off) break;
        std::uint8_t* out = scratch_.data();
        std::memset(out, 0, kSllLen);
        put_be16(out + 2, ARPHRD_NETLINK);
        put_be16(out + 14, netlink_protocol_);
        std::memcpy(out + kSllLen, buf + off, h.nlmsg_len);
        r.data = Bytes(out, std::min<std::size_t>(kSllLen + h.nlmsg_len, snaplen_));
        r.len = static_cast<std::uint32_t>(kSllLen + h.nlmsg_len);
        if (!offer(r, sink)) return false;
        off += NLMSG_ALIGN(h.nlmsg_len);
      }
      return true;
    }
  }
  return true;
}

Result<bool> SocketSource::next_batch(Deadline const& d, RecordSink const& sink) {
  short revents = TRY(wait_readable(sock_.fd(), d));
  if (StopSignals::requested() || d.expired()) return false;
  if (revents == 0) return true;
  for (int i = 0; i < kReadsPerBatch; ++i) {
    iovec iov{buf_.data(), buf_.size()};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec)) + CMSG_SPACE(sizeof(std::uint32_t))];
    msghdr h{};
    h.msg_iov = &iov;
    h.msg_iovlen = 1;
    h.msg_control = control;
    h.msg_controllen = sizeof control;
    ssize_t n = ::recvmsg(sock_.fd(), &h, MSG_DONTWAIT | MSG_TRUNC);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) break;
      // A netlink socket whose queue overflowed says so once and goes on.
      if (errno == ENOBUFS && kind_ == Kind::netlink) {
        ++stats_.dropped;
        continue;
      }
      if (kind_ == Kind::tipc && errno == ECONNRESET) return false;
      return Error::sys(fmt::format("read from the {}", description), errno);
    }
    if (n == 0 && kind_ == Kind::tipc) return false;
    Record r;
    bool stamped = false;
    for (cmsghdr* c = CMSG_FIRSTHDR(&h); c; c = CMSG_NXTHDR(&h, c)) {
      if (c->cmsg_level != SOL_SOCKET) continue;
      if (c->cmsg_type == SCM_TIMESTAMPNS && c->cmsg_len >= CMSG_LEN(sizeof(timespec))) {
        timespec ts;
        std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
        r.sec = ts.tv_sec;
        r.nsec = static_cast<std::uint32_t>(ts.tv_nsec);
        stamped = true;
      } else if (c->cmsg_type == SO_RXQ_OVFL && c->cmsg_len >= CMSG_LEN(sizeof(std::uint32_t))) {
        std::uint32_t drops;
        std::memcpy(&drops, CMSG_DATA(c), sizeof drops);
        stats_.dropped = drops;
      }
    }
    if (!stamped) {
      timespec now;
      ::clock_gettime(CLOCK_REALTIME, &now);
      r.sec = now.tv_sec;
      r.nsec = static_cast<std::uint32_t>(now.tv_nsec);
    }
    std::size_t got = std::min<std::size_t>(static_cast<std::size_t>(n), buf_.size());
    if (!deliver(buf_.data(), got, r, sink)) return false;
  }
  return true;
}

// --- pcap and pcapng files -------------------------------------------------------------

class FileSource final : public CaptureSource {
 public:
  static Result<std::unique_ptr<CaptureSource>> open(CaptureOptions const& opt) {
    auto reader = TRY(PcapReader::open(opt.file));
    auto filter = TRY(Filter::compile(opt.filter, reader.link(), reader.snaplen()));
    auto src = std::make_unique<FileSource>(std::move(reader));
    src->link = src->reader_.link();
    src->description = opt.file;
    if (!filter.empty()) {
      src->filter_place = "user space";
      src->filter_.emplace(std::move(filter));
    }
    return std::unique_ptr<CaptureSource>(std::move(src));
  }
  explicit FileSource(PcapReader reader) : reader_(std::move(reader)) {}

  Result<bool> next_batch(Deadline const&, RecordSink const& sink) override {
    // Files need no waiting; a batch is a run of records, so output is
    // written in chunks as it is for live captures.
    for (int i = 0; i < kBatch; ++i) {
      if (StopSignals::requested()) return false;
      auto record = TRY(reader_.next());
      if (!record) return false;
      if (filter_ && !filter_->matches(*record)) continue;
      if (!sink(*record)) return false;
    }
    return true;
  }
  Result<CaptureStats> stats() override { return CaptureStats{}; }

 private:
  static constexpr int kBatch = 1024;
  PcapReader reader_;
  std::optional<Filter> filter_;
};

}  // namespace

// --- Capture ---------------------------------------------------------------------------

Capture::Capture(std::unique_ptr<CaptureSource> source) : source_(std::move(source)) {}
Capture::Capture(Capture&&) noexcept = default;
Capture& Capture::operator=(Capture&&) noexcept = default;
Capture::~Capture() = default;

Link Capture::link() const { return source_->link; }
std::string const& Capture::description() const { return source_->description; }
std::string_view Capture::filter_place() const { return source_->filter_place; }
Result<bool> Capture::next_batch(Deadline const& d, RecordSink const& sink) { return source_->next_batch(d, sink); }
Result<CaptureStats> Capture::stats() { return source_->stats(); }

Result<Capture> Capture::open(CaptureOptions const& opt) {
  switch (opt.kind) {
    case SourceKind::interface: return Capture(TRY(RingSource::open(opt)));
    case SourceKind::file: return Capture(TRY(FileSource::open(opt)));
    case SourceKind::ip:
    case SourceKind::hci:
    case SourceKind::netlink:
    case SourceKind::tipc: return Capture(TRY(SocketSource::open(opt)));
  }
  return Error::usage("capture", "unknown source");
}

// --- helpers -----------------------------------------------------------------------------

std::string_view InterfaceNames::name(std::uint32_t ifindex) {
  auto it = names_.find(ifindex);
  if (it != names_.end()) return it->second;
  char buf[IF_NAMESIZE] = "";
  std::string name = if_indextoname(ifindex, buf) ? std::string(buf) : std::to_string(ifindex);
  return names_.emplace(ifindex, std::move(name)).first->second;
}

namespace {
// An endpoint parser's error, reworded to name the flag the value came from.
Error flag_error(std::string_view flag, std::string_view value, Error e) {
  e.what = fmt::format("{} '{}'", flag, value);
  return e;
}
}  // namespace

Result<int> parse_ip_protocol(std::string_view text) {
  auto ep = parse_endpoint(fmt::format("ip4::{}", text));
  if (!ep) return flag_error("--ip", text, ep.release_error());
  if (ep->protocol == 0)
    return Error::usage(fmt::format("--ip '{}'", text), "a raw socket of protocol 0 receives nothing: use -i");
  return ep->protocol;
}

Result<int> parse_hci_device(std::string_view text) {
  if (text == "any") return -1;
  std::string_view digits = text.starts_with("hci") ? text.substr(3) : text;
  unsigned index = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || index >= bt::kDevNone)
    return Error::usage(fmt::format("--hci '{}'", text), "want hciN, N or any");
  return static_cast<int>(index);
}

Result<void> parse_netlink_source(std::string_view text, CaptureOptions& opt) {
  auto ep = parse_endpoint(fmt::format("netlink:{}", text));
  if (!ep) return flag_error("--netlink", text, ep.release_error());
  auto const* nl = ep->address ? ep->address->as<sockaddr_nl>(AF_NETLINK) : nullptr;
  if (!nl) return Error::usage(fmt::format("--netlink '{}'", text), "not a netlink protocol and groups");
  opt.kind = SourceKind::netlink;
  opt.netlink_protocol = ep->protocol;
  opt.netlink_groups.clear();
  for (unsigned bit = 0; bit < 32; ++bit)
    if (nl->nl_groups & (1u << bit)) opt.netlink_groups.push_back(bit + 1);
  return {};
}

Result<TipcRange> parse_tipc_range(std::string_view text) {
  // A bare TYPE watches every instance of it.
  std::string spec = text.find(':') == std::string_view::npos ? fmt::format("tipc:{}:0-4294967295", text)
                                                               : fmt::format("tipc:{}", text);
  auto ep = parse_endpoint(spec);
  if (!ep) return flag_error("--tipc", text, ep.release_error());
  auto const* st = ep->address ? ep->address->as<sockaddr_tipc>(AF_TIPC) : nullptr;
  if (st && st->addrtype == TIPC_SERVICE_RANGE)
    return TipcRange{st->addr.nameseq.type, st->addr.nameseq.lower, st->addr.nameseq.upper};
  if (st && st->addrtype == TIPC_SERVICE_ADDR)
    return TipcRange{st->addr.name.name.type, st->addr.name.name.instance, st->addr.name.name.instance};
  return Error::usage(fmt::format("--tipc '{}'", text), "want a service: TYPE, TYPE:INSTANCE or TYPE:LOWER-UPPER");
}

Result<std::size_t> parse_size(std::string_view text) {
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  std::string_view suffix(end, static_cast<std::size_t>(text.data() + text.size() - end));
  std::size_t scale = suffix.empty() ? 1
                      : suffix == "K" || suffix == "k" ? std::size_t{1} << 10
                      : suffix == "M" || suffix == "m" ? std::size_t{1} << 20
                      : suffix == "G" || suffix == "g" ? std::size_t{1} << 30
                                                       : 0;
  if (ec != std::errc{} || end == text.data() || scale == 0 || value > SIZE_MAX / scale)
    return Error::usage(fmt::format("size '{}'", text), "want a number of bytes, with K, M or G");
  return value * scale;
}

}  // namespace sockctl
