// error_test.cpp: exit codes for errno and EAI_* values, and Result/TRY.
#include <cerrno>
#include <netdb.h>

#include <doctest/doctest.h>

#include "sockctl/error.hpp"

using namespace sockctl;

TEST_CASE("error: exit_for_errno follows the spec's table") {
  struct Row {
    int err;
    Exit exit;
  } const rows[] = {
      {ECONNREFUSED, Exit::no},      {ECONNRESET, Exit::no},        {EHOSTUNREACH, Exit::no},
      {ENETUNREACH, Exit::no},       {ETIMEDOUT, Exit::timeout},    {EACCES, Exit::no_perm},
      {EPERM, Exit::no_perm},        {EAFNOSUPPORT, Exit::unavailable}, {EPROTONOSUPPORT, Exit::unavailable},
      {ESOCKTNOSUPPORT, Exit::unavailable}, {ENODEV, Exit::unavailable}, {EBADF, Exit::os},
      {ENOSPC, Exit::io},            {0, Exit::ok},
  };
  for (auto const& r : rows) {
    CAPTURE(r.err);
    CHECK(exit_for_errno(r.err) == r.exit);
  }
}

TEST_CASE("error: exit_for_gai maps name errors to 68 and EAI_AGAIN to 75") {
  CHECK(exit_for_gai(EAI_NONAME) == Exit::no_host);
  CHECK(exit_for_gai(EAI_SERVICE) == Exit::no_host);
  CHECK(exit_for_gai(EAI_AGAIN) == Exit::timeout);
  CHECK(exit_for_gai(EAI_FAMILY) == Exit::usage);
  CHECK(exit_for_gai(EAI_BADFLAGS) == Exit::usage);
  CHECK(exit_for_gai(EAI_MEMORY) == Exit::os);
}

TEST_CASE("error: sys() carries errno, strerror and the mapped exit") {
  auto e = Error::sys("connect 'tcp:127.0.0.1:9'", ECONNREFUSED);
  CHECK(e.err == ECONNREFUSED);
  CHECK(e.exit == Exit::no);
  CHECK(e.message() == "connect 'tcp:127.0.0.1:9': Connection refused");
  CHECK(Error::usage("bad value 'x'").message() == "bad value 'x'");
}

namespace {
Result<int> half(int v) {
  if (v % 2) return Error::data("odd", std::to_string(v));
  return v / 2;
}
Result<int> quarter(int v) { return TRY(half(TRY(half(v)))); }
Result<void> check_even(int v) {
  TRY(half(v));
  return {};
}
}  // namespace

TEST_CASE("error: TRY unwraps values and passes errors up") {
  CHECK(*quarter(8) == 2);
  auto r = quarter(6);
  REQUIRE_FALSE(r);
  CHECK(r.error().exit == Exit::data);
  CHECK(r.error().why == "3");
  CHECK(check_even(4));
  CHECK_FALSE(check_even(5));
}
