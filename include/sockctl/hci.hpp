// hci.hpp: Bluetooth controllers (hci0, hci1, ...): list them, bring one up
// or down, and set its scan mode, through the HCI socket ioctls hciconfig
// uses (HCIGETDEVLIST, HCIGETDEVINFO, HCIDEVUP, HCIDEVDOWN, HCISETSCAN).
// The ioctl structs are written out with the kernel's layout, as the
// sockaddrs in bluetooth.hpp are, so BlueZ is not a build dependency.
// See: include/net/bluetooth/hci_sock.h, net/bluetooth/hci_core.c, hciconfig(1).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <sys/ioctl.h>

#include "sockctl/bluetooth.hpp"
#include "sockctl/error.hpp"

namespace sockctl::bt {

struct hci_dev_req {
  uint16_t dev_id;
  uint32_t dev_opt;
};

struct hci_dev_stats {
  uint32_t err_rx, err_tx, cmd_tx, evt_rx, acl_tx, acl_rx, sco_tx, sco_rx, byte_rx, byte_tx;
};

struct hci_dev_info {
  uint16_t dev_id;
  char name[8];
  bdaddr_t bdaddr;
  uint32_t flags;
  uint8_t type;  // bus in the low nibble, device type (primary, AMP) above it
  uint8_t features[8];
  uint32_t pkt_type;
  uint32_t link_policy;
  uint32_t link_mode;
  uint16_t acl_mtu;
  uint16_t acl_pkts;
  uint16_t sco_mtu;
  uint16_t sco_pkts;
  hci_dev_stats stat;
};

static_assert(sizeof(hci_dev_req) == 8 && sizeof(hci_dev_info) == 92,
              "HCI ioctl structs must match the kernel's layout");

/// The ioctls on an HCI socket (hci_sock.h).
constexpr unsigned long kHciDevUp = _IOW('H', 201, int);
constexpr unsigned long kHciDevDown = _IOW('H', 202, int);
constexpr unsigned long kHciGetDevList = _IOR('H', 210, int);
constexpr unsigned long kHciGetDevInfo = _IOR('H', 211, int);
constexpr unsigned long kHciSetScan = _IOW('H', 221, int);

/// The kernel's limit on controllers (HCI_MAX_DEV).
constexpr uint16_t kMaxDevices = 16;

}  // namespace sockctl::bt

namespace sockctl::hci {

/// Which scans a controller answers: page scan makes it connectable,
/// inquiry scan discoverable (HCISETSCAN's SCAN_PAGE, SCAN_INQUIRY bits).
enum class Scan : uint32_t { off = 0, inquiry = 1, page = 2, both = 3 };

/// "off", "page", "inquiry", "both", or hciconfig's "noscan", "pscan",
/// "iscan", "piscan". Anything else exits 64.
Result<Scan> parse_scan(std::string_view text);
std::string_view scan_name(Scan s);

/// "hci0" or "0". Anything else exits 64.
Result<uint16_t> parse_device(std::string_view text);

/// One controller as HCIGETDEVINFO describes it.
struct Controller {
  uint16_t index = 0;
  std::string name;     // "hci0"
  std::string bdaddr;   // "00:AA:01:00:00:23", most significant byte first
  std::string bus;      // "virtual", "usb", "uart", ...
  std::string type;     // "primary", "amp"
  uint32_t flags = 0;   // HCI_UP ... as bits
  uint16_t acl_mtu = 0, acl_pkts = 0, sco_mtu = 0, sco_pkts = 0;
  uint32_t rx_bytes = 0, tx_bytes = 0;

  bool up() const { return flags & 1u; }
  /// The flags hciconfig prints, lower case: "up", "running", "pscan", ...
  std::vector<std::string> flag_names() const;
};

/// A Controller from the kernel's struct (pure: unit-tested on any kernel).
Controller controller_from(bt::hci_dev_info const& info);

/// Every controller (HCIGETDEVLIST, then HCIGETDEVINFO for each). A kernel
/// without AF_BLUETOOTH exits 69.
Result<std::vector<Controller>> controllers();
/// One controller; a missing one exits 69 ("no such device").
Result<Controller> controller(uint16_t index);
/// HCIDEVUP or HCIDEVDOWN; already being so is not an error. Needs CAP_NET_ADMIN (else 77).
Result<void> set_up(uint16_t index, bool up);
/// HCISETSCAN; the controller must be up.
Result<void> set_scan(uint16_t index, Scan scan);

}  // namespace sockctl::hci
