// bluetooth.hpp: the Bluetooth socket ABI the engine speaks, written out here
// with the kernel's layout so that libbluetooth (BlueZ) is not a build
// dependency. Names and layouts follow include/net/bluetooth/{bluetooth,l2cap,
// rfcomm,sco,hci_sock}.h. A bdaddr_t holds the address least significant byte
// first: "00:11:22:33:44:55" is stored as 55 44 33 22 11 00.
// See: the kernel's net/bluetooth/*_sock.c, BlueZ lib/bluetooth.h.
#pragma once

#include <cstdint>
#include <sys/socket.h>

namespace sockctl::bt {

/// Protocols for socket(AF_BLUETOOTH, type, protocol).
constexpr int kProtoL2cap = 0;
constexpr int kProtoHci = 1;
constexpr int kProtoSco = 2;
constexpr int kProtoRfcomm = 3;

/// hci_channel values of sockaddr_hci.
constexpr uint16_t kChannelRaw = 0;
constexpr uint16_t kChannelUser = 1;
constexpr uint16_t kChannelMonitor = 2;
constexpr uint16_t kChannelControl = 3;
constexpr uint16_t kChannelLogging = 4;
/// hci_dev for channels that are not bound to one controller.
constexpr uint16_t kDevNone = 0xffff;

struct __attribute__((packed)) bdaddr_t {
  uint8_t b[6];
};

/// L2CAP: PSM and CID are little-endian on the wire and in the sockaddr.
struct sockaddr_l2 {
  sa_family_t l2_family;
  uint16_t l2_psm;
  bdaddr_t l2_bdaddr;
  uint16_t l2_cid;
  uint8_t l2_bdaddr_type;
};

struct sockaddr_rc {
  sa_family_t rc_family;
  bdaddr_t rc_bdaddr;
  uint8_t rc_channel;
};

struct sockaddr_sco {
  sa_family_t sco_family;
  bdaddr_t sco_bdaddr;
};

struct sockaddr_hci {
  sa_family_t hci_family;
  uint16_t hci_dev;
  uint16_t hci_channel;
};

static_assert(sizeof(bdaddr_t) == 6 && sizeof(sockaddr_l2) == 14 && sizeof(sockaddr_rc) == 10 &&
                  sizeof(sockaddr_sco) == 8 && sizeof(sockaddr_hci) == 6,
              "Bluetooth sockaddrs must match the kernel's layout");

}  // namespace sockctl::bt
