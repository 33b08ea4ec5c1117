// can.cpp: the SocketCAN sockets behind `sockctl can`: interface checks,
// CAN_RAW with candump's filters, batched receive, the broadcast manager's
// messages and ISO-TP's options.
//
// Receiving is the hot path. candump makes three system calls per frame
// (select, recvmsg, and a write for its fflush); here one recvmmsg(2) takes
// every queued frame, up to the batch size, with its timestamp
// (SO_TIMESTAMPNS) and the socket's drop count (SO_RXQ_OVFL) in the ancillary
// data, walked with the CMSG_* macros. SO_RXQ_OVFL only rides on frames that
// arrive, so the final count comes from SO_MEMINFO.
// See: Documentation/networking/can.rst, can(7), recvmmsg(2), cmsg(3).
#include "sockctl/can.hpp"

#include <linux/can/bcm.h>
#include <linux/can/isotp.h>
#include <linux/can/raw.h>
#include <linux/sock_diag.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <thread>

#include <fmt/format.h>

namespace sockctl {

namespace {

#ifndef SOL_CAN_ISOTP
constexpr int SOL_CAN_ISOTP = SOL_CAN_BASE + CAN_ISOTP;
#endif

Error no_interface(std::string_view name, std::string why) {
  return Error::make(Exit::unavailable, fmt::format("interface '{}'", name), std::move(why));
}

SockAddr can_address(int ifindex) {
  sockaddr_can sc{};
  sc.can_family = AF_CAN;
  sc.can_ifindex = ifindex;
  return SockAddr::of(sc);
}

}  // namespace

Result<CanInterface> can_interface(std::string_view name) {
  if (name == "any") return CanInterface{"any", 0, true};
  // The probe socket also tells a kernel without AF_CAN (exit 69) apart.
  auto probe = TRY(Socket::open(AF_CAN, SOCK_RAW, CAN_RAW, find_scheme("can")));
  if (name.empty() || name.size() >= IFNAMSIZ) return no_interface(name, "no such interface");
  ifreq ifr{};
  std::memcpy(ifr.ifr_name, name.data(), name.size());
  if (::ioctl(probe.fd(), SIOCGIFINDEX, &ifr) < 0) {
    if (errno == ENODEV) return no_interface(name, "no such interface");
    return Error::sys(fmt::format("interface '{}'", name), errno);
  }
  CanInterface iface{std::string(name), static_cast<unsigned>(ifr.ifr_ifindex), false};
  if (::ioctl(probe.fd(), SIOCGIFHWADDR, &ifr) < 0) return Error::sys(fmt::format("interface '{}'", name), errno);
  if (ifr.ifr_hwaddr.sa_family != ARPHRD_CAN)
    return no_interface(name, fmt::format("not a CAN interface (link type {})", ifr.ifr_hwaddr.sa_family));
  if (::ioctl(probe.fd(), SIOCGIFMTU, &ifr) < 0) return Error::sys(fmt::format("interface '{}'", name), errno);
  iface.fd = ifr.ifr_mtu >= static_cast<int>(CANFD_MTU);
  return iface;
}

std::string const& CanNames::name(int ifindex) {
  for (auto const& [index, name] : cache_)
    if (index == ifindex) return name;
  char buf[IF_NAMESIZE];
  std::string name = ifindex == 0 ? "any" : if_indextoname(static_cast<unsigned>(ifindex), buf) ? buf : std::to_string(ifindex);
  cache_.emplace_back(ifindex, std::move(name));
  return cache_.back().second;
}

Result<Socket> open_can_raw(CanInterface const& iface, CanFilters const& filters, CanRawOptions const& opts) {
  auto s = TRY(Socket::open(AF_CAN, SOCK_RAW, CAN_RAW, find_scheme("can")));
  s.set_label(fmt::format("can:{}", iface.name));
  if (!filters.filters.empty())
    TRY(s.setsockopt(SOL_CAN_RAW, CAN_RAW_FILTER, filters.filters.data(),
                     static_cast<socklen_t>(filters.filters.size() * sizeof(can_filter))));
  if (filters.err_mask)
    TRY(s.setsockopt(SOL_CAN_RAW, CAN_RAW_ERR_FILTER, &filters.err_mask, sizeof filters.err_mask));
  if (filters.join) TRY(s.setsockopt_int(SOL_CAN_RAW, CAN_RAW_JOIN_FILTERS, 1));
  if (opts.fd) TRY(s.setsockopt_int(SOL_CAN_RAW, CAN_RAW_FD_FRAMES, 1));
  if (!opts.loopback) TRY(s.setsockopt_int(SOL_CAN_RAW, CAN_RAW_LOOPBACK, 0));
  if (opts.receive) {
    TRY(s.setsockopt_int(SOL_SOCKET, SO_TIMESTAMPNS, 1));
    TRY(s.setsockopt_int(SOL_SOCKET, SO_RXQ_OVFL, 1));
  }
  if (opts.rcvbuf) {
    // SO_RCVBUF is capped by net.core.rmem_max; beyond it only
    // SO_RCVBUFFORCE (CAP_NET_ADMIN) helps, as candump -r does.
    TRY(s.setsockopt_int(SOL_SOCKET, SO_RCVBUF, *opts.rcvbuf));
    if (TRY(s.getsockopt_int(SOL_SOCKET, SO_RCVBUF)) < 2 * *opts.rcvbuf) {
      auto r = s.setsockopt_int(SOL_SOCKET, SO_RCVBUFFORCE, *opts.rcvbuf);
      if (!r) {
        auto e = r.release_error();
        e.what = fmt::format("receive buffer of {} bytes (above net.core.rmem_max)", *opts.rcvbuf);
        return e;
      }
    }
  }
  TRY(s.bind(can_address(static_cast<int>(iface.index))));
  return s;
}

Result<void> send_can_frame(Socket& s, CanFrameBytes const& f) {
  auto bytes = f.bytes();
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (;;) {
    ssize_t n = ::write(s.fd(), bytes.data(), bytes.size());
    if (n == static_cast<ssize_t>(bytes.size())) return {};
    if (n >= 0) return Error::make(Exit::os, fmt::format("send '{}' on '{}'", format_can_frame(f), s.label()),
                                   "short write");
    int err = errno;
    if (err == EINTR) continue;
    // A full transmit queue drains as the bus sends: wait, as cangen -p does,
    // rather than lose the frame (a bus that stays blocked ends in an error).
    if (err == ENOBUFS && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      continue;
    }
    auto e = Error::sys(fmt::format("send '{}' on '{}'", format_can_frame(f), s.label()), err);
    if (err == ENETDOWN) {
      e.exit = Exit::unavailable;
      e.why = "the interface is down";
    } else if (err == EINVAL && f.fd) {
      e.exit = Exit::unavailable;
      e.why = "the interface does not take CAN FD frames";
    }
    return e;
  }
}

// --- batched receive --------------------------------------------------------------

namespace {
// Room for one SO_TIMESTAMPNS and one SO_RXQ_OVFL message.
constexpr size_t kControlBytes = CMSG_SPACE(sizeof(timespec)) + CMSG_SPACE(sizeof(uint32_t));
struct alignas(cmsghdr) Control {
  unsigned char bytes[kControlBytes];
};
}  // namespace

struct CanReceiver::Buffers {
  std::vector<CanReceived> frames;
  std::vector<mmsghdr> headers;
  std::vector<iovec> iovs;
  std::vector<sockaddr_can> addrs;
  std::vector<Control> controls;
};

CanReceiver::CanReceiver(size_t batch) : b_(std::make_unique<Buffers>()) {
  b_->frames.resize(batch);
  b_->headers.resize(batch);
  b_->iovs.resize(batch);
  b_->addrs.resize(batch);
  b_->controls.resize(batch);
}

CanReceiver::~CanReceiver() = default;
CanReceiver::CanReceiver(CanReceiver&&) noexcept = default;
CanReceiver& CanReceiver::operator=(CanReceiver&&) noexcept = default;

Result<std::span<CanReceived const>> CanReceiver::receive(Socket& s) {
  auto& b = *b_;
  size_t batch = b.frames.size();
  for (size_t i = 0; i < batch; ++i) {
    b.iovs[i] = {&b.frames[i].frame.k, sizeof(canfd_frame)};
    auto& h = b.headers[i].msg_hdr;
    h.msg_name = &b.addrs[i];
    h.msg_namelen = sizeof(sockaddr_can);
    h.msg_iov = &b.iovs[i];
    h.msg_iovlen = 1;
    h.msg_control = b.controls[i].bytes;
    h.msg_controllen = kControlBytes;
    h.msg_flags = 0;
  }
  int n = ::recvmmsg(s.fd(), b.headers.data(), static_cast<unsigned>(batch), MSG_DONTWAIT, nullptr);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return std::span<CanReceived const>();
    return Error::sys(fmt::format("receive on '{}'", s.label()), errno);
  }
  for (int i = 0; i < n; ++i) {
    auto& r = b.frames[static_cast<size_t>(i)];
    auto& h = b.headers[static_cast<size_t>(i)];
    if (h.msg_len == CANFD_MTU) {
      r.frame.fd = true;
    } else if (h.msg_len == CAN_MTU) {
      r.frame.fd = false;
    } else {
      return Error::make(Exit::os, fmt::format("receive on '{}'", s.label()),
                         fmt::format("a {}-byte message is no CAN frame", h.msg_len));
    }
    r.ifindex = b.addrs[static_cast<size_t>(i)].can_ifindex;
    r.local = (h.msg_hdr.msg_flags & MSG_DONTROUTE) != 0;
    r.time = {};
    r.drops = 0;
    for (auto* c = CMSG_FIRSTHDR(&h.msg_hdr); c; c = CMSG_NXTHDR(&h.msg_hdr, c)) {
      if (c->cmsg_level != SOL_SOCKET) continue;
      if (c->cmsg_type == SCM_TIMESTAMPNS && c->cmsg_len >= CMSG_LEN(sizeof(timespec)))
        std::memcpy(&r.time, CMSG_DATA(c), sizeof(timespec));
      else if (c->cmsg_type == SO_RXQ_OVFL && c->cmsg_len >= CMSG_LEN(sizeof(uint32_t)))
        std::memcpy(&r.drops, CMSG_DATA(c), sizeof(uint32_t));
    }
  }
  return std::span<CanReceived const>(b.frames.data(), static_cast<size_t>(n));
}

Result<uint32_t> can_drops(Socket const& s) {
  uint32_t info[SK_MEMINFO_VARS] = {};
  socklen_t len = sizeof info;
  if (::getsockopt(s.fd(), SOL_SOCKET, SO_MEMINFO, info, &len) < 0)
    return Error::sys(fmt::format("drop count of '{}'", s.label()), errno);
  if (len <= SK_MEMINFO_DROPS * sizeof(uint32_t)) return 0u;
  return info[SK_MEMINFO_DROPS];
}

// --- broadcast manager --------------------------------------------------------------

namespace {

bcm_timeval bcm_time(uint64_t us) {
  return {static_cast<long>(us / 1000000), static_cast<long>(us % 1000000)};
}

// A bcm_msg_head followed by its frames, classic or FD (CAN_FD_FRAME).
std::vector<std::byte> bcm_message(bcm_msg_head head, std::span<CanFrameBytes const> frames, bool fd) {
  size_t frame_size = fd ? sizeof(canfd_frame) : sizeof(can_frame);
  if (fd) head.flags |= CAN_FD_FRAME;
  head.nframes = static_cast<uint32_t>(frames.size());
  std::vector<std::byte> msg(sizeof head + frames.size() * frame_size);
  std::memcpy(msg.data(), &head, sizeof head);
  for (size_t i = 0; i < frames.size(); ++i)
    std::memcpy(msg.data() + sizeof head + i * frame_size, &frames[i].k, frame_size);
  return msg;
}

Result<void> bcm_write(Socket& s, std::vector<std::byte> const& msg, std::string_view what) {
  for (;;) {
    ssize_t n = ::write(s.fd(), msg.data(), msg.size());
    if (n == static_cast<ssize_t>(msg.size())) return {};
    if (n < 0 && errno == EINTR) continue;
    return Error::sys(fmt::format("{} on '{}'", what, s.label()), n < 0 ? errno : EIO);
  }
}

}  // namespace

Result<Socket> open_can_bcm(CanInterface const& iface) {
  auto s = TRY(Socket::open(AF_CAN, SOCK_DGRAM, CAN_BCM, find_scheme("can-bcm")));
  s.set_label(fmt::format("can-bcm:{}", iface.name));
  TRY(s.setsockopt_int(SOL_SOCKET, SO_TIMESTAMPNS, 1));
  TRY(s.connect(can_address(static_cast<int>(iface.index)), Deadline::never()));
  return s;
}

Result<void> bcm_tx_setup(Socket& s, std::span<CanFrameBytes const> frames, uint64_t period_us, uint32_t count) {
  bcm_msg_head head{};
  head.opcode = TX_SETUP;
  head.can_id = frames.front().k.can_id;
  head.flags = SETTIMER | STARTTIMER;
  // count frames at ival1, then on at ival2 (0: stop and report TX_EXPIRED).
  if (count) {
    head.flags |= TX_COUNTEVT;
    head.count = count;
    head.ival1 = bcm_time(period_us);
  } else {
    head.ival2 = bcm_time(period_us);
  }
  return bcm_write(s, bcm_message(head, frames, frames.front().fd),
                   fmt::format("cyclic send of '{}'", format_can_frame(frames.front())));
}

Result<void> bcm_rx_setup(Socket& s, CanFrameBytes const& mask, uint64_t timeout_us, uint64_t throttle_us) {
  bcm_msg_head head{};
  head.opcode = RX_SETUP;
  head.can_id = mask.k.can_id;
  head.flags = RX_CHECK_DLC;
  if (timeout_us || throttle_us) head.flags |= SETTIMER;
  if (timeout_us) head.flags |= STARTTIMER | RX_ANNOUNCE_RESUME;
  head.ival1 = bcm_time(timeout_us);
  head.ival2 = bcm_time(throttle_us);
  CanFrameBytes m = mask;
  m.k.len = m.fd ? CANFD_MAX_DLEN : CAN_MAX_DLEN;
  return bcm_write(s, bcm_message(head, std::span(&m, 1), m.fd),
                   fmt::format("watch of '{}'", format_can_frame(mask)));
}

Result<std::optional<CanBcmEvent>> bcm_receive(Socket& s) {
  for (;;) {
    // bcm_msg_head ends in a flexible array: its frame follows in the buffer.
    alignas(bcm_msg_head) std::byte msg[sizeof(bcm_msg_head) + sizeof(canfd_frame)];
    sockaddr_can addr{};
    alignas(cmsghdr) unsigned char control[CMSG_SPACE(sizeof(timespec))];
    iovec iov{msg, sizeof msg};
    msghdr h{};
    h.msg_name = &addr;
    h.msg_namelen = sizeof addr;
    h.msg_iov = &iov;
    h.msg_iovlen = 1;
    h.msg_control = control;
    h.msg_controllen = sizeof control;
    ssize_t n = ::recvmsg(s.fd(), &h, MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return std::optional<CanBcmEvent>();
      return Error::sys(fmt::format("receive on '{}'", s.label()), errno);
    }
    if (static_cast<size_t>(n) < sizeof(bcm_msg_head)) continue;
    bcm_msg_head head;
    std::memcpy(&head, msg, sizeof head);
    CanBcmEvent ev;
    ev.ifindex = addr.can_ifindex;
    for (auto* c = CMSG_FIRSTHDR(&h); c; c = CMSG_NXTHDR(&h, c))
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS)
        std::memcpy(&ev.time, CMSG_DATA(c), sizeof(timespec));
    ev.frame.fd = (head.flags & CAN_FD_FRAME) != 0;
    switch (head.opcode) {
      case RX_CHANGED:
        ev.kind = CanBcmEvent::Kind::changed;
        if (head.nframes < 1) continue;
        if (static_cast<size_t>(n) < sizeof head + (ev.frame.fd ? sizeof(canfd_frame) : sizeof(can_frame))) continue;
        std::memcpy(&ev.frame.k, msg + sizeof head, ev.frame.fd ? sizeof(canfd_frame) : sizeof(can_frame));
        return std::optional(ev);
      case RX_TIMEOUT:
        ev.kind = CanBcmEvent::Kind::timeout;
        ev.frame.k.can_id = head.can_id;
        return std::optional(ev);
      case TX_EXPIRED:
        ev.kind = CanBcmEvent::Kind::expired;
        ev.frame.k.can_id = head.can_id;
        return std::optional(ev);
      default:
        continue;
    }
  }
}

// --- ISO-TP -------------------------------------------------------------------------

Result<uint8_t> isotp_stmin(double ms) {
  if (ms >= 0 && ms <= 127 && ms == std::floor(ms)) return static_cast<uint8_t>(ms);
  double tenths = ms * 10;
  if (ms > 0 && ms < 1 && std::fabs(tenths - std::round(tenths)) < 1e-9)
    return static_cast<uint8_t>(0xF0 + std::lround(tenths));
  return Error::usage(fmt::format("bad separation time '{}' ms", ms),
                      "ISO 15765-2 allows 0 to 127 ms, or 0.1 to 0.9 ms");
}

Result<Socket> open_can_isotp(SockAddr const& addr, CanIsotpOptions const& opts) {
  auto s = TRY(Socket::open(AF_CAN, SOCK_DGRAM, CAN_ISOTP, find_scheme("can-isotp")));
  s.set_label(format_endpoint(addr, s.scheme()));
  can_isotp_options o{};
  // Wait for a transfer to finish in write(2), so that its failure (no flow
  // control from the peer) is the write's error, not lost at close.
  o.flags = CAN_ISOTP_WAIT_TX_DONE;
  o.frame_txtime = CAN_ISOTP_DEFAULT_FRAME_TXTIME;
  o.txpad_content = CAN_ISOTP_DEFAULT_PAD_CONTENT;
  o.rxpad_content = CAN_ISOTP_DEFAULT_PAD_CONTENT;
  if (opts.tx_pad) {
    o.flags |= CAN_ISOTP_TX_PADDING;
    o.txpad_content = *opts.tx_pad;
  }
  if (opts.rx_pad) {
    o.flags |= CAN_ISOTP_RX_PADDING | CAN_ISOTP_CHK_PAD_LEN | CAN_ISOTP_CHK_PAD_DATA;
    o.rxpad_content = *opts.rx_pad;
  }
  TRY(s.setsockopt(SOL_CAN_ISOTP, CAN_ISOTP_OPTS, &o, sizeof o));
  can_isotp_fc_options fc{};
  fc.bs = opts.block_size;
  fc.stmin = opts.stmin;
  TRY(s.setsockopt(SOL_CAN_ISOTP, CAN_ISOTP_RECV_FC, &fc, sizeof fc));
  if (opts.fd) {
    can_isotp_ll_options ll{};
    ll.mtu = CANFD_MTU;
    ll.tx_dl = CANFD_MAX_DLEN;
    TRY(s.setsockopt(SOL_CAN_ISOTP, CAN_ISOTP_LL_OPTS, &ll, sizeof ll));
  }
  TRY(s.bind(addr));
  return s;
}

}  // namespace sockctl
