// inherit_test.cpp: socket activation's variables read as sd_listen_fds(3)
// reads them: pid check, count, names, and the errors for each mistake.
#include <doctest/doctest.h>

#include "sockctl/inherit.hpp"

using namespace sockctl;

TEST_CASE("inherit: systemd_fds picks descriptors by count and name") {
  struct Row {
    char const* pid;
    char const* fds;
    char const* names;
    char const* want;
    std::vector<int> out;
  } const rows[] = {
      {"42", "1", nullptr, "", {3}},
      {"42", "3", nullptr, "", {3, 4, 5}},
      {"42", "3", "web:admin:web", "web", {3, 5}},
      {"42", "2", "web:admin", "admin", {4}},
      {"42", "2", "web", "unknown", {4}},
  };
  for (auto const& r : rows) {
    CAPTURE(r.fds);
    CAPTURE(r.want);
    auto fds = systemd_fds(r.pid, r.fds, r.names, 42, r.want);
    REQUIRE(fds);
    CHECK(*fds == r.out);
  }
}

TEST_CASE("inherit: systemd_fds explains what is wrong") {
  struct Row {
    char const* pid;
    char const* fds;
    char const* names;
    char const* want;
    Exit exit;
    char const* why;
  } const rows[] = {
      {nullptr, nullptr, nullptr, "", Exit::no_input, "LISTEN_FDS is not set: not started by systemd socket activation"},
      {"43", "1", nullptr, "", Exit::no_input, "LISTEN_PID 43 is not this process (42)"},
      {"x", "1", nullptr, "", Exit::usage, "bad LISTEN_PID 'x'"},
      {"42", "-1", nullptr, "", Exit::usage, "bad LISTEN_FDS '-1'"},
      {"42", "two", nullptr, "", Exit::usage, "bad LISTEN_FDS 'two'"},
      {"42", "0", nullptr, "", Exit::no_input, "LISTEN_FDS is 0"},
      {"42", "2", "a:b", "c", Exit::no_input, "no descriptor is named 'c'"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.why);
    auto fds = systemd_fds(r.pid, r.fds, r.names, 42, r.want);
    REQUIRE_FALSE(fds);
    CHECK(fds.error().exit == r.exit);
    CHECK(fds.error().why == r.why);
  }
}
