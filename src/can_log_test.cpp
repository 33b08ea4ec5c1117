// can_log_test.cpp: candump's timestamp columns and its log format, read and
// written, including the padded interface names real candump -l files have.
#include <cstdlib>
#include <string>

#include <doctest/doctest.h>

#include "sockctl/can.hpp"

using namespace sockctl;

TEST_CASE("can_log: timestamp formats print as candump -t does") {
  timespec t0{1700000000, 123456789}, t1{1700000001, 23456000}, t2{1700000000, 5000};
  struct Row {
    CanTimeFormat format;
    char const* printed;
  };
  Row const rows[] = {
      {CanTimeFormat::none, ""},
      {CanTimeFormat::absolute,
       "(1700000000.123456) (1700000001.023456) (1700000000.000005) "},
      {CanTimeFormat::delta, "(000.000000) (000.900000) (000.000000) "},
      {CanTimeFormat::zero, "(000.000000) (000.900000) (000.000000) "},
  };
  for (auto const& r : rows) {
    CanClock clock(r.format);
    std::string s;
    for (auto t : {t0, t1, t2}) clock.append(s, t);
    CHECK(s == r.printed);
  }
  setenv("TZ", "UTC", 1);
  tzset();
  CanClock date(CanTimeFormat::date);
  std::string s;
  date.append(s, t0);
  CHECK(s == "(2023-11-14 22:13:20.123456) ");
}

TEST_CASE("can_log: timestamp format names") {
  CHECK(*parse_can_time_format("a") == CanTimeFormat::absolute);
  CHECK(*parse_can_time_format("absolute") == CanTimeFormat::absolute);
  CHECK(*parse_can_time_format("d") == CanTimeFormat::delta);
  CHECK(*parse_can_time_format("zero") == CanTimeFormat::zero);
  CHECK(*parse_can_time_format("A") == CanTimeFormat::date);
  CHECK(*parse_can_time_format("none") == CanTimeFormat::none);
  auto bad = parse_can_time_format("x");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().exit == Exit::usage);
  CHECK(bad.error().what == "bad timestamp format 'x'");
}

TEST_CASE("can_log: log lines parse") {
  struct Row {
    char const* line;
    long long sec;
    long nsec;
    char const* interface;
    char const* frame;
  };
  Row const rows[] = {
      {"(1700000000.123456) vcan0 123#DEADBEEF", 1700000000, 123456000, "vcan0", "123#DEADBEEF"},
      {"(0000000001.000001) can1 1F334455#R", 1, 1000, "can1", "1F334455#R"},
      {"(1436509052.249713)  vcan0 123##1AABB", 1436509052, 249713000, "vcan0", "123##1AABB"},
      {"(1.5) vcan10 7FF#", 1, 500000000, "vcan10", "7FF#"},
      {"(1700000000.123456789) vcan0 123#11\r\n", 1700000000, 123456789, "vcan0", "123#11"},
      {"(1700000000.123456) vcan0 123#11 R", 1700000000, 123456000, "vcan0", "123#11"},
      {"(1700000000.123456) vcan0 123#11 T", 1700000000, 123456000, "vcan0", "123#11"},
      {"(1700000000.123456)\tvcan0\t20000080#0000000000000000", 1700000000, 123456000, "vcan0",
       "20000080#0000000000000000"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.line);
    auto rec = parse_can_log_line(r.line);
    REQUIRE(rec);
    CHECK(rec->time.tv_sec == r.sec);
    CHECK(rec->time.tv_nsec == r.nsec);
    CHECK(rec->interface == r.interface);
    CHECK(format_can_frame(rec->frame) == r.frame);
  }
}

TEST_CASE("can_log: malformed log lines exit 65") {
  struct Row {
    char const* line;
    char const* why;
  };
  Row const rows[] = {
      {"", "expected '(SECONDS.FRACTION) IFACE FRAME'"},
      {"1700000000.1 vcan0 123#00", "expected '(SECONDS"},
      {"(1700000000.1 vcan0 123#00", "missing ')'"},
      {"(1700000000) vcan0 123#00", "is not SECONDS.FRACTION"},
      {"(17000a0000.1) vcan0 123#00", "is not SECONDS.FRACTION"},
      {"(.1) vcan0 123#00", "is not SECONDS.FRACTION"},
      {"(1.1234567890) vcan0 123#00", "is not SECONDS.FRACTION"},
      {"(1.1)vcan0 123#00", "expected a space after the timestamp"},
      {"(1.1) vcan0", "expected an interface and a frame"},
      {"(1.1) vcan0 123#00 X", "unexpected 'X' after the frame"},
      {"(1.1) vcan0 123#00 R R", "unexpected 'R' after the frame"},
      {"(1.1) averyveryverylongname 123#00", "longer than 15"},
      {"(1.1) vcan0 1234#00", "11-bit id above 0x7FF"},
      {"(1.1) vcan0 123#112233445566778899", "9 data bytes"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.line);
    auto rec = parse_can_log_line(r.line);
    REQUIRE_FALSE(rec);
    CHECK(rec.error().exit == Exit::data);
    CHECK(rec.error().why.find(r.why) != std::string::npos);
  }
}

TEST_CASE("can_log: written lines are candump -L's and read back") {
  for (char const* text : {"123#DEADBEEF", "1F334455#R3", "123##1AABB", "20000080#0000000000000000"}) {
    CAPTURE(text);
    auto f = parse_can_frame(text);
    REQUIRE(f);
    std::string line;
    append_can_log_line(line, {1700000000, 123456789}, "vcan0", f->view());
    CHECK(line == std::string("(1700000000.123456) vcan0 ") + text + "\n");
    auto rec = parse_can_log_line(line);
    REQUIRE(rec);
    CHECK(format_can_frame(rec->frame) == text);
    CHECK(rec->time.tv_nsec == 123456000);
  }
  std::string line;
  append_can_log_line(line, {5, 0}, "can0", parse_can_frame("123#")->view());
  CHECK(line == "(0000000005.000000) can0 123#\n");
}
