// capture_test.cpp: the source options sniff's flags turn into, and what
// each refuses (exit 64, naming the value); and a file read as a capture.
#include <doctest/doctest.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cstdio>

#include "sockctl/capture.hpp"

using namespace sockctl;

TEST_CASE("capture: sizes take K, M and G") {
  struct Row {
    char const* text;
    std::size_t bytes;
  };
  Row const ok[] = {{"65536", 65536}, {"64K", 64 << 10}, {"4M", 4 << 20}, {"1G", std::size_t{1} << 30}, {"2m", 2 << 20}};
  for (auto const& row : ok) {
    auto n = parse_size(row.text);
    REQUIRE(n);
    CHECK(*n == row.bytes);
  }
  for (char const* bad : {"", "M", "4T", "-1", "4MB", "99999999999999999999"}) {
    CAPTURE(bad);
    auto n = parse_size(bad);
    REQUIRE_FALSE(n);
    CHECK(n.error().exit == Exit::usage);
  }
}

TEST_CASE("capture: --ip, --hci, --netlink and --tipc values") {
  CHECK(*parse_ip_protocol("icmp") == IPPROTO_ICMP);
  CHECK(*parse_ip_protocol("17") == IPPROTO_UDP);
  auto zero = parse_ip_protocol("0");
  REQUIRE_FALSE(zero);
  CHECK(zero.error().what == "--ip '0'");
  auto unknown = parse_ip_protocol("nosuchproto");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().exit == Exit::usage);
  CHECK(unknown.error().what == "--ip 'nosuchproto'");

  CHECK(*parse_hci_device("hci0") == 0);
  CHECK(*parse_hci_device("3") == 3);
  CHECK(*parse_hci_device("any") == -1);
  for (char const* bad : {"", "hci", "hcix", "eth0", "65535", "-1"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_hci_device(bad));
  }

  CaptureOptions opt;
  REQUIRE(parse_netlink_source("route:link,ipv4-ifaddr", opt));
  CHECK(opt.kind == SourceKind::netlink);
  CHECK(opt.netlink_protocol == NETLINK_ROUTE);
  CHECK(opt.netlink_groups == std::vector<unsigned>{RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR});
  REQUIRE(parse_netlink_source("route", opt));
  CHECK(opt.netlink_groups.empty());
  auto bad_group = parse_netlink_source("route:lnik", opt);
  REQUIRE_FALSE(bad_group);
  CHECK(bad_group.error().what == "--netlink 'route:lnik'");
  CHECK(bad_group.error().why.find("did you mean 'link'") != std::string::npos);

  auto all = parse_tipc_range("18888");
  REQUIRE(all);
  CHECK(all->type == 18888);
  CHECK(all->lower == 0);
  CHECK(all->upper == 0xffffffffu);
  auto one = parse_tipc_range("18888:17");
  REQUIRE(one);
  CHECK(one->lower == 17);
  CHECK(one->upper == 17);
  auto range = parse_tipc_range("18888:10-20");
  REQUIRE(range);
  CHECK(range->lower == 10);
  CHECK(range->upper == 20);
  CHECK_FALSE(parse_tipc_range("x"));
  CHECK_FALSE(parse_tipc_range("id:1:2"));
}

TEST_CASE("capture: a pcap file is a source like any other, filtered in user space") {
  std::string path = "/tmp/sockctl-capture-test-" + std::to_string(getpid()) + ".pcap";
  std::uint8_t udp[28] = {0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0, 1, 0, 2, 0, 8};
  std::uint8_t tcp[40] = {0x45, 0, 0, 40, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0, 1, 0, 2};
  tcp[32] = 0x50;
  {
    auto w = PcapWriter::open(path, Link::raw, 65535);
    REQUIRE(w);
    for (int i = 0; i < 3; ++i) {
      w->write(Record{i, 0, Bytes(udp, sizeof udp), sizeof udp});
      w->write(Record{i, 1, Bytes(tcp, sizeof tcp), sizeof tcp});
    }
    REQUIRE(w->flush());
  }
  CaptureOptions opt;
  opt.kind = SourceKind::file;
  opt.file = path;
  opt.filter = "udp";
  auto cap = Capture::open(opt);
  REQUIRE(cap);
  CHECK(cap->link() == Link::raw);
  CHECK(cap->filter_place() == "user space");
  int seen = 0;
  Deadline none;
  for (;;) {
    auto more = cap->next_batch(none, [&](Record const& r) {
      CHECK(r.data[9] == 17);
      return ++seen < 100;
    });
    REQUIRE(more);
    if (!*more) break;
  }
  CHECK(seen == 3);
  auto stats = cap->stats();
  REQUIRE(stats);
  CHECK_FALSE(stats->live);
  std::remove(path.c_str());
}
