// pcap_file_test.cpp: records survive a write and a read with nanosecond time
// stamps; bad files, bad paths and bad filters map to the spec's exit codes.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <unistd.h>

#include "sockctl/pcap_file.hpp"

using namespace sockctl;

namespace {

std::string temp_path(char const* name) { return std::string("/tmp/sockctl-pcap-test-") + std::to_string(getpid()) + name; }

}  // namespace

TEST_CASE("pcap_file: records written are read back as they were") {
  std::string path = temp_path(".pcap");
  std::uint8_t const frame[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x08, 0x00, 0x45};
  {
    auto w = PcapWriter::open(path, Link::ethernet, 128);
    REQUIRE(w);
    w->write(Record{1700000000, 123456789, Bytes(frame, sizeof frame), 60});
    w->write(Record{1700000001, 5, Bytes(frame, 4), 4});
    REQUIRE(w->flush());
  }
  auto r = PcapReader::open(path);
  REQUIRE(r);
  CHECK(r->link() == Link::ethernet);
  CHECK(r->snaplen() == 128);
  auto first = r->next();
  REQUIRE(first);
  REQUIRE(first->has_value());
  CHECK((*first)->sec == 1700000000);
  CHECK((*first)->nsec == 123456789);
  CHECK((*first)->len == 60);
  CHECK((*first)->data.size() == sizeof frame);
  CHECK((*first)->data[14] == 0x45);
  auto second = r->next();
  REQUIRE(second);
  REQUIRE(second->has_value());
  CHECK((*second)->nsec == 5);
  auto end = r->next();
  REQUIRE(end);
  CHECK_FALSE(end->has_value());
  std::remove(path.c_str());
}

TEST_CASE("pcap_file: a missing file is 66, a non-capture file 65, a cut-short one 65") {
  auto missing = PcapReader::open("/nonexistent/x.pcap");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().exit == Exit::no_input);

  auto text = PcapReader::open("/etc/hostname");
  REQUIRE_FALSE(text);
  CHECK(text.error().exit == Exit::data);

  std::string path = temp_path("-cut.pcap");
  std::uint8_t const frame[40] = {};
  {
    auto w = PcapWriter::open(path, Link::raw, 65535);
    REQUIRE(w);
    w->write(Record{1, 0, Bytes(frame, sizeof frame), 40});
    REQUIRE(w->flush());
  }
  REQUIRE(truncate(path.c_str(), 24 + 16 + 10) == 0);
  auto r = PcapReader::open(path);
  REQUIRE(r);
  auto cut = r->next();
  REQUIRE_FALSE(cut);
  CHECK(cut.error().exit == Exit::data);
  CHECK(cut.error().why.find("truncated") != std::string::npos);
  std::remove(path.c_str());
}

TEST_CASE("pcap_file: unwritable files are 74, and so is a full disk") {
  auto dir = PcapWriter::open("/nonexistent/dir/x.pcap", Link::ethernet, 100);
  REQUIRE_FALSE(dir);
  CHECK(dir.error().exit == Exit::io);
  auto full = PcapWriter::open("/dev/full", Link::ethernet, 100);
  REQUIRE(full);
  std::uint8_t const frame[64] = {};
  full->write(Record{1, 0, Bytes(frame, sizeof frame), 64});
  auto flushed = full->flush();
  REQUIRE_FALSE(flushed);
  CHECK(flushed.error().exit == Exit::io);
  auto tipc = PcapWriter::open("/tmp/x.pcap", Link::tipc, 100);
  REQUIRE_FALSE(tipc);
  CHECK(tipc.error().exit == Exit::usage);
}

TEST_CASE("pcap_file: filters compile for a link type, and bad ones say why") {
  auto udp = Filter::compile("udp port 53", Link::raw, 65535);
  REQUIRE(udp);
  std::uint8_t dns[28] = {0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17};
  dns[22] = 0;
  dns[23] = 53;
  CHECK(udp->matches(Record{0, 0, Bytes(dns, sizeof dns), 28}));
  dns[9] = 6;
  CHECK_FALSE(udp->matches(Record{0, 0, Bytes(dns, sizeof dns), 28}));

  auto bad = Filter::compile("tcp prt 80", Link::ethernet, 65535);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().exit == Exit::usage);
  CHECK(bad.error().what == "filter 'tcp prt 80'");
  CHECK(bad.error().why.find("syntax error") != std::string::npos);

  auto none = Filter::compile("", Link::tipc, 100);
  REQUIRE(none);
  CHECK(none->empty());
  CHECK_FALSE(Filter::compile("tcp", Link::tipc, 100));
}
