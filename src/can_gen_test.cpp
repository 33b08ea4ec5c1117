// can_gen_test.cpp: the frames `can gen` makes in each of cangen's modes.
#include <doctest/doctest.h>

#include "sockctl/can.hpp"

using namespace sockctl;

TEST_CASE("can_gen: modes make the frames cangen would") {
  struct Row {
    CanGenOptions opts;
    std::vector<std::string> first;  // the first frames, in cansend syntax
  };
  Row const rows[] = {
      {{"123", "2", "i", false, false, false, false, 1}, {"123#0000", "123#0100", "123#0200"}},
      {{"i", "i", "AABBCCDDEEFF0011", false, false, false, false, 1}, {"000#AABBCCDDEEFF0011", "001#AABBCCDDEEFF0011"}},
      {{"12345678", "4", "DEADBEEF", false, false, false, false, 1}, {"12345678#DEADBEEF", "12345678#DEADBEEF"}},
      {{"7FF", "i", "i", false, true, true, false, 1}, {"7FF##1", "7FF##101", "7FF##10200"}},
      {{"i", "0", "r", true, false, false, true, 1}, {"00000000#R", "00000001#R"}},
  };
  for (auto const& row : rows) {
    auto g = CanGenerator::make(row.opts);
    REQUIRE(g);
    for (auto const& want : row.first) CHECK(format_can_frame(g->next()) == want);
  }
}

TEST_CASE("can_gen: random frames are valid and repeat with the seed") {
  CanGenOptions opts;
  opts.fd = true;
  opts.seed = 42;
  auto a = CanGenerator::make(opts), b = CanGenerator::make(opts);
  REQUIRE(a);
  REQUIRE(b);
  for (int i = 0; i < 1000; ++i) {
    auto fa = format_can_frame(a->next());
    CHECK(fa == format_can_frame(b->next()));
    auto parsed = parse_can_frame(fa);
    REQUIRE(parsed);
    CHECK(can_fd_length_valid(parsed->k.len));
  }
}

TEST_CASE("can_gen: bad modes exit 64") {
  struct Row {
    CanGenOptions opts;
    char const* message;
  };
  Row const rows[] = {
      {{"800", "r", "r"}, "id mode '800'"},
      {{"r", "9", "r"}, "length mode '9'"},
      {{"r", "r", "zz"}, "data mode 'zz'"},
      {{"r", "r", "001122334455667788"}, "data mode '001122334455667788'"},
      {{"r", "r", "r", false, true, false, true}, "remote"},
      {{"r", "13", "r", false, true}, "length mode '13'"},
  };
  for (auto const& row : rows) {
    auto g = CanGenerator::make(row.opts);
    REQUIRE_FALSE(g);
    CHECK(g.error().exit == Exit::usage);
    CHECK(g.error().message().find(row.message) != std::string::npos);
  }
}
