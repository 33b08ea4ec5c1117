// family_traits.cpp: per-family facts the relay needs. See: family_traits.hpp.
#include "sockctl/family_traits.hpp"

#include <cstdint>
#include <cstring>
#include <linux/sctp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <vector>

#include "sockctl/bluetooth.hpp"

namespace sockctl {

namespace {

// SOL_SCTP: lksctp's netinet/sctp.h, not glibc's headers.
constexpr int kSolSctp = 132;

bool is_sctp(int family, int protocol) { return (family == AF_INET || family == AF_INET6) && protocol == IPPROTO_SCTP; }

// SOL_BLUETOOTH and BT_SNDMTU from the kernel's include/net/bluetooth/bluetooth.h.
constexpr int kSolBluetooth = 274;
constexpr int kBtSndMtu = 12;
// SOL_L2CAP, L2CAP_OPTIONS and struct l2cap_options from include/net/bluetooth/l2cap.h.
constexpr int kSolL2cap = 6;
constexpr int kL2capOptions = 1;
struct L2capOptions {
  uint16_t omtu, imtu, flush_to;
  uint8_t mode, fcs, max_tx;
  uint16_t txwin_size;
};

}  // namespace

bool has_half_close(int family, int type, int protocol) {
  if (family == AF_TIPC || family == AF_BLUETOOTH) return false;
  if (is_sctp(family, protocol)) return false;
  return type == SOCK_STREAM || type == SOCK_SEQPACKET;
}

bool is_connectionless_family(int family, int type) { return family == AF_RDS && type == SOCK_SEQPACKET; }

std::size_t message_limit(int fd, int family, int type, int protocol, std::size_t fallback) {
  if (family == AF_BLUETOOTH && protocol == bt::kProtoL2cap && type != SOCK_RAW) {
    // BR/EDR channels tell their outgoing MTU in L2CAP_OPTIONS; BT_SNDMTU
    // answers only for LE. A socket not yet connected keeps the fallback.
    // SOCK_STREAM is no exception: each send goes out as one L2CAP SDU, so
    // the kernel refuses (EMSGSIZE) one above the MTU.
    L2capOptions o{};
    socklen_t len = sizeof o;
    if (::getsockopt(fd, kSolL2cap, kL2capOptions, &o, &len) == 0 && o.omtu > 0 && o.omtu < fallback) return o.omtu;
    int mtu = 0;
    len = sizeof mtu;
    if (::getsockopt(fd, kSolBluetooth, kBtSndMtu, &mtu, &len) == 0 && mtu > 0 &&
        static_cast<std::size_t>(mtu) < fallback)
      return static_cast<std::size_t>(mtu);
  }
  return fallback;
}

bool closes_with_reset(int family) { return family == AF_BLUETOOTH; }

bool closes_with_shutdown(int family, int type) {
  return family == AF_TIPC && (type == SOCK_STREAM || type == SOCK_SEQPACKET);
}

int send_flags(int family, int flags) { return family == AF_RDS ? flags & MSG_DONTWAIT : flags; }

bool sends_need_address(int family, int type, int protocol) {
  return is_sctp(family, protocol) && type == SOCK_SEQPACKET;
}

bool needs_bound_source(int family) { return family == AF_RDS; }

bool binds_addresses_together(int family, int protocol) { return is_sctp(family, protocol); }

Result<void> bind_more(Socket& s, std::span<SockAddr const> more) {
  // SCTP_SOCKOPT_BINDX_ADD takes the sockaddrs packed, each at its own length.
  std::vector<std::byte> packed;
  for (auto const& a : more) {
    auto b = a.bytes();
    packed.insert(packed.end(), b.begin(), b.end());
  }
  if (packed.empty()) return {};
  return s.setsockopt(kSolSctp, SCTP_SOCKOPT_BINDX_ADD, packed.data(), static_cast<socklen_t>(packed.size()));
}

Result<void> report_peers_leaving(Socket& s) {
  if (!sends_need_address(s.family(), s.type(), s.protocol())) return {};
  sctp_event ev{};
  ev.se_type = SCTP_ASSOC_CHANGE;
  ev.se_on = 1;
  return s.setsockopt(kSolSctp, SCTP_EVENT, &ev, sizeof ev);
}

static_assert(kMsgNotification == MSG_NOTIFICATION);

bool is_peer_gone(std::span<std::byte const> notification) {
  sctp_assoc_change change;
  if (notification.size() < sizeof change) return false;
  std::memcpy(&change, notification.data(), sizeof change);
  if (change.sac_type != SCTP_ASSOC_CHANGE) return false;
  return change.sac_state == SCTP_COMM_LOST || change.sac_state == SCTP_SHUTDOWN_COMP ||
         change.sac_state == SCTP_CANT_STR_ASSOC;
}

}  // namespace sockctl
