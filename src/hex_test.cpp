// hex_test.cpp: strict hex decoding, encoding, and the errors naming the text.
#include <doctest/doctest.h>

#include <string>

#include "sockctl/hex.hpp"

using namespace sockctl;

TEST_CASE("hex: decodes the documented forms") {
  struct Row {
    std::string text;
    std::string bytes;  // as encoded back, no separators
  };
  Row const rows[] = {
      {"", ""},
      {"x:", ""},
      {"00", "00"},
      {"7f000001", "7f000001"},
      {"x:7f000001", "7f000001"},
      {"7F00AbCd", "7f00abcd"},
      {"7f:00:00:01", "7f000001"},
      {"7f.00.00.01", "7f000001"},
      {"7f 00 00 01", "7f000001"},
      {"7f00:0001", "7f000001"},
      {"x:de:ad be.ef", "deadbeef"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.text);
    auto b = hex_decode(r.text);
    REQUIRE(b);
    CHECK(hex_encode(*b) == r.bytes);
  }
}

TEST_CASE("hex: refuses malformed text with exit 65, naming it") {
  struct Row {
    std::string text;
    std::string why;
  };
  Row const rows[] = {
      {"7", "odd number of hex digits (1)"},
      {"x:abc", "odd number of hex digits (3)"},
      {"7g", "'g' at offset 1 is not a hex digit"},
      {"x:zz", "'z' at offset 2 is not a hex digit"},
      {"0x7f", "'x' at offset 1 is not a hex digit"},
      {":7f", "stray separator ':' at offset 0"},
      {"7f:", "stray separator ':' at offset 2"},
      {"7f::00", "stray separator ':' at offset 3"},
      {"7:f0", "':' splits a byte at offset 1"},
      {"7f-00", "'-' at offset 2 is not a hex digit"},
      {"7f\t00", "'\\x09' at offset 2 is not a hex digit"},
      {" 7f", "stray separator ' ' at offset 0"},
      {"x:x:7f", "'x' at offset 2 is not a hex digit"},
      {"\xc3\xa9", "'\\xc3' at offset 0 is not a hex digit"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.text);
    auto b = hex_decode(r.text);
    REQUIRE_FALSE(b);
    CHECK(b.error().exit == Exit::data);
    CHECK(b.error().what == "bad hex '" + r.text + "'");
    CHECK(b.error().why == r.why);
  }
}

TEST_CASE("hex: encodes with and without a separator") {
  Bytes const b{std::byte{0x00}, std::byte{0x11}, std::byte{0xab}, std::byte{0xff}};
  CHECK(hex_encode(b) == "0011abff");
  CHECK(hex_encode(b, ':') == "00:11:ab:ff");
  CHECK(hex_encode({}) == "");
  CHECK(hex_encode(Bytes{std::byte{0x7f}}, ':') == "7f");
}

TEST_CASE("hex: round trip of every byte value") {
  Bytes all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<std::byte>(i));
  auto back = hex_decode(hex_encode(all, ' '));
  REQUIRE(back);
  CHECK(*back == all);
}
