// hci.cpp: Bluetooth controller list, up/down and scan mode over a raw HCI
// socket's ioctls, as hciconfig does them. The socket is bound to nothing:
// these ioctls name the controller in their argument.
// See: include/sockctl/hci.hpp, net/bluetooth/hci_sock.c (hci_sock_ioctl).
#include "sockctl/hci.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/socket.h>

#include <fmt/format.h>

#include "sockctl/socket.hpp"

namespace sockctl::hci {

namespace {

std::string_view bus_name(unsigned bus) {
  static constexpr std::string_view kNames[] = {"virtual", "usb",  "pccard", "uart", "rs232", "pci",
                                                "sdio",    "spi",  "i2c",    "smd",  "virtio", "ipc"};
  return bus < std::size(kNames) ? kNames[bus] : "unknown";
}

Result<Socket> hci_socket() {
  return Socket::open(AF_BLUETOOTH, SOCK_RAW, bt::kProtoHci, find_scheme("hci"));
}

std::string device_name(uint16_t index) { return fmt::format("hci{}", index); }

}  // namespace

Result<Scan> parse_scan(std::string_view text) {
  struct Name {
    std::string_view name;
    Scan scan;
  };
  static constexpr Name kNames[] = {
      {"off", Scan::off},       {"page", Scan::page},  {"inquiry", Scan::inquiry}, {"both", Scan::both},
      {"noscan", Scan::off},    {"pscan", Scan::page}, {"iscan", Scan::inquiry},   {"piscan", Scan::both},
  };
  for (auto const& n : kNames)
    if (n.name == text) return n.scan;
  return Error::usage(fmt::format("bad scan mode '{}'", text), "want off, page, inquiry or both");
}

std::string_view scan_name(Scan s) {
  switch (s) {
    case Scan::off: return "off";
    case Scan::inquiry: return "inquiry";
    case Scan::page: return "page";
    case Scan::both: return "both";
  }
  return "off";
}

Result<uint16_t> parse_device(std::string_view text) {
  std::string_view digits = text.starts_with("hci") ? text.substr(3) : text;
  unsigned value = 0;
  bool ok = !digits.empty() && digits.size() <= 5;
  for (char c : digits) {
    if (c < '0' || c > '9') ok = false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  // 0xffff is HCI_DEV_NONE, never a controller.
  if (!ok || value >= 0xffff || (digits.size() > 1 && digits[0] == '0'))
    return Error::usage(fmt::format("bad controller '{}'", text), "want hciN or N, e.g. hci0");
  return static_cast<uint16_t>(value);
}

std::vector<std::string> Controller::flag_names() const {
  // The kernel's HCI_UP, HCI_INIT, ... bit numbers in the order hciconfig prints them.
  static constexpr std::string_view kNames[] = {"up",      "init",    "running", "pscan", "iscan",
                                                "auth",    "encrypt", "inquiry", "raw",   "reset"};
  std::vector<std::string> names;
  for (unsigned bit = 0; bit < std::size(kNames); ++bit)
    if (flags & (1u << bit)) names.emplace_back(kNames[bit]);
  return names;
}

Controller controller_from(bt::hci_dev_info const& info) {
  Controller c;
  c.index = info.dev_id;
  c.name = std::string(info.name, strnlen(info.name, sizeof info.name));
  auto const& b = info.bdaddr.b;
  c.bdaddr = fmt::format("{:02X}:{:02X}:{:02X}:{:02X}:{:02X}:{:02X}", b[5], b[4], b[3], b[2], b[1], b[0]);
  c.bus = bus_name(info.type & 0x0f);
  unsigned dev_type = (info.type >> 4) & 0x03;
  c.type = dev_type == 0 ? "primary" : dev_type == 1 ? "amp" : "unknown";
  c.flags = info.flags;
  c.acl_mtu = info.acl_mtu;
  c.acl_pkts = info.acl_pkts;
  c.sco_mtu = info.sco_mtu;
  c.sco_pkts = info.sco_pkts;
  c.rx_bytes = info.stat.byte_rx;
  c.tx_bytes = info.stat.byte_tx;
  return c;
}

namespace {

Result<Controller> device_info(Socket& sock, uint16_t index) {
  bt::hci_dev_info info{};
  info.dev_id = index;
  if (::ioctl(sock.fd(), bt::kHciGetDevInfo, &info) < 0)
    return Error::sys(fmt::format("controller '{}'", device_name(index)), errno);
  return controller_from(info);
}

}  // namespace

Result<std::vector<Controller>> controllers() {
  auto sock = TRY(hci_socket());
  struct {
    uint16_t dev_num;
    bt::hci_dev_req dev_req[bt::kMaxDevices];
  } list{};
  list.dev_num = bt::kMaxDevices;
  if (::ioctl(sock.fd(), bt::kHciGetDevList, &list) < 0) return Error::sys("list Bluetooth controllers", errno);
  std::vector<Controller> all;
  for (uint16_t i = 0; i < list.dev_num && i < bt::kMaxDevices; ++i) {
    auto c = device_info(sock, list.dev_req[i].dev_id);
    // A controller unplugged between the two calls is simply gone.
    if (!c && c.error().err == ENODEV) continue;
    all.push_back(TRY(std::move(c)));
  }
  // The kernel lists the newest first; people count from hci0.
  std::sort(all.begin(), all.end(), [](Controller const& a, Controller const& b) { return a.index < b.index; });
  return all;
}

Result<Controller> controller(uint16_t index) {
  auto sock = TRY(hci_socket());
  return device_info(sock, index);
}

Result<void> set_up(uint16_t index, bool up) {
  auto sock = TRY(hci_socket());
  if (::ioctl(sock.fd(), up ? bt::kHciDevUp : bt::kHciDevDown, static_cast<unsigned long>(index)) < 0 &&
      errno != EALREADY)
    return Error::sys(fmt::format("bring '{}' {}", device_name(index), up ? "up" : "down"), errno);
  return {};
}

Result<void> set_scan(uint16_t index, Scan scan) {
  auto sock = TRY(hci_socket());
  bt::hci_dev_req req{index, static_cast<uint32_t>(scan)};
  if (::ioctl(sock.fd(), bt::kHciSetScan, &req) < 0)
    return Error::sys(fmt::format("set scan '{}' on '{}'", scan_name(scan), device_name(index)), errno);
  return {};
}

}  // namespace sockctl::hci
