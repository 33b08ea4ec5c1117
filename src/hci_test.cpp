// hci_test.cpp: controller names, scan modes and the decoding of the
// kernel's hci_dev_info; the ioctls themselves run in the kernel lab
// (tests/kernel/scenarios/bt_controllers.sh).
#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "sockctl/hci.hpp"

using namespace sockctl;

TEST_CASE("hci: controller names") {
  struct Row {
    std::string text;
    int index;  // -1: refused with exit 64
  };
  Row const rows[] = {
      {"hci0", 0}, {"0", 0}, {"hci12", 12}, {"65534", 65534}, {"hci", -1}, {"", -1},
      {"65535", -1}, {"hci-1", -1}, {"hci01", -1}, {"eth0", -1}, {"hci0x", -1}, {"1234567", -1},
  };
  for (auto const& r : rows) {
    CAPTURE(r.text);
    auto d = hci::parse_device(r.text);
    if (r.index < 0) {
      REQUIRE_FALSE(d);
      CHECK(d.error().exit == Exit::usage);
      CHECK(d.error().what == "bad controller '" + r.text + "'");
    } else {
      REQUIRE(d);
      CHECK(*d == r.index);
    }
  }
}

TEST_CASE("hci: scan modes, ours and hciconfig's") {
  struct Row {
    std::string text;
    hci::Scan scan;
    std::string name;
  };
  Row const rows[] = {
      {"off", hci::Scan::off, "off"},         {"noscan", hci::Scan::off, "off"},
      {"page", hci::Scan::page, "page"},      {"pscan", hci::Scan::page, "page"},
      {"inquiry", hci::Scan::inquiry, "inquiry"}, {"iscan", hci::Scan::inquiry, "inquiry"},
      {"both", hci::Scan::both, "both"},      {"piscan", hci::Scan::both, "both"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.text);
    auto s = hci::parse_scan(r.text);
    REQUIRE(s);
    CHECK(*s == r.scan);
    CHECK(hci::scan_name(*s) == r.name);
  }
  for (std::string bad : {"", "Page", "on", "2"}) {
    CAPTURE(bad);
    auto s = hci::parse_scan(bad);
    REQUIRE_FALSE(s);
    CHECK(s.error().exit == Exit::usage);
    CHECK(s.error().what == "bad scan mode '" + bad + "'");
  }
  // The values are HCISETSCAN's SCAN_INQUIRY (1) and SCAN_PAGE (2) bits.
  CHECK(static_cast<uint32_t>(hci::Scan::page) == 2);
  CHECK(static_cast<uint32_t>(hci::Scan::inquiry) == 1);
}

TEST_CASE("hci: hci_dev_info decoded as hciconfig shows it") {
  struct Row {
    uint8_t type;
    uint32_t flags;
    std::string bus, dev_type;
    std::vector<std::string> flag_names;
  };
  Row const rows[] = {
      {0x00, 0x0000, "virtual", "primary", {}},
      {0x00, 0x000d, "virtual", "primary", {"up", "running", "pscan"}},
      {0x01, 0x001d, "usb", "primary", {"up", "running", "pscan", "iscan"}},
      {0x13, 0x0301, "uart", "amp", {"up", "raw", "reset"}},
      {0x2f, 0x0000, "unknown", "unknown", {}},
  };
  for (auto const& r : rows) {
    CAPTURE(r.bus);
    bt::hci_dev_info info{};
    info.dev_id = 3;
    std::memcpy(info.name, "hci3", 4);
    uint8_t const addr[6] = {0x23, 0x00, 0x00, 0x01, 0xaa, 0x00};
    std::memcpy(info.bdaddr.b, addr, 6);
    info.type = r.type;
    info.flags = r.flags;
    info.acl_mtu = 192;
    info.acl_pkts = 8;
    info.stat.byte_rx = 1000;
    auto c = hci::controller_from(info);
    CHECK(c.index == 3);
    CHECK(c.name == "hci3");
    CHECK(c.bdaddr == "00:AA:01:00:00:23");
    CHECK(c.bus == r.bus);
    CHECK(c.type == r.dev_type);
    CHECK(c.flag_names() == r.flag_names);
    CHECK(c.up() == ((r.flags & 1) != 0));
    CHECK(c.acl_mtu == 192);
    CHECK(c.rx_bytes == 1000);
  }
}

TEST_CASE("hci: an 8-character name without its NUL stays 8 characters") {
  bt::hci_dev_info info{};
  std::memcpy(info.name, "hci12345", 8);
  CHECK(hci::controller_from(info).name == "hci12345");
}

TEST_CASE("hci: a kernel without AF_BLUETOOTH is unavailable, exit 69") {
  auto all = hci::controllers();
  // In the kernel lab this succeeds; on a host without the family it must say why.
  if (!all) CHECK(all.error().exit == Exit::unavailable);
}
