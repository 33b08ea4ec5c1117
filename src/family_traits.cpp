// family_traits.cpp: per-family facts the relay needs. See: family_traits.hpp.
#include "sockctl/family_traits.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include "sockctl/bluetooth.hpp"

namespace sockctl {

namespace {

// SOL_BLUETOOTH and BT_SNDMTU from the kernel's include/net/bluetooth/bluetooth.h.
constexpr int kSolBluetooth = 274;
constexpr int kBtSndMtu = 12;

}  // namespace

bool has_half_close(int family, int type, int protocol) {
  if (family == AF_TIPC || family == AF_BLUETOOTH) return false;
  if ((family == AF_INET || family == AF_INET6) && protocol == IPPROTO_SCTP) return false;
  return type == SOCK_STREAM || type == SOCK_SEQPACKET;
}

bool is_connectionless_family(int family, int type) { return family == AF_RDS && type == SOCK_SEQPACKET; }

std::size_t message_limit(int fd, int family, int type, int protocol, std::size_t fallback) {
  if (family == AF_BLUETOOTH && protocol == bt::kProtoL2cap && type != SOCK_STREAM) {
    int mtu = 0;
    socklen_t len = sizeof mtu;
    // A socket not yet connected has no MTU: keep the fallback.
    if (::getsockopt(fd, kSolBluetooth, kBtSndMtu, &mtu, &len) == 0 && mtu > 0 &&
        static_cast<std::size_t>(mtu) < fallback)
      return static_cast<std::size_t>(mtu);
  }
  return fallback;
}

int send_flags(int family, int flags) { return family == AF_RDS ? flags & MSG_DONTWAIT : flags; }

}  // namespace sockctl
