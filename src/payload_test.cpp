// payload_test.cpp: UTF-8 validation against RFC 3629's edge cases, and base64
// against RFC 4648's test vectors.
#include <string>

#include <doctest/doctest.h>

#include "sockctl/payload.hpp"

using namespace sockctl;

namespace {
std::span<std::byte const> bytes(std::string_view s) { return std::as_bytes(std::span(s.data(), s.size())); }
}  // namespace

TEST_CASE("payload: is_utf8 accepts well-formed text and rejects the rest") {
  struct Row {
    std::string_view text;
    bool ok;
  } const rows[] = {
      {"", true},
      {"hello\n", true},
      {"caf\xC3\xA9", true},
      {"\xE2\x82\xAC", true},                // U+20AC
      {"\xF0\x9F\x98\x80", true},            // U+1F600
      {"\xF4\x8F\xBF\xBF", true},            // U+10FFFF
      {std::string_view("\0a", 2), true},    // NUL is valid UTF-8 (JSON escapes it)
      {"\xC3", false},                       // truncated
      {"\xC0\xAF", false},                   // overlong '/'
      {"\xE0\x80\xAF", false},               // overlong
      {"\xED\xA0\x80", false},               // surrogate U+D800
      {"\xF4\x90\x80\x80", false},           // above U+10FFFF
      {"\xFF", false},
      {"\x80", false},                       // lone continuation
      {"ab\xE2\x82", false},                 // truncated at the end
  };
  for (auto const& r : rows) {
    CAPTURE(std::string(r.text));
    CHECK(is_utf8(r.text) == r.ok);
  }
}

TEST_CASE("payload: base64 matches RFC 4648 test vectors") {
  struct Row {
    std::string_view in, out;
  } const rows[] = {
      {"", ""},          {"f", "Zg=="},         {"fo", "Zm8="},           {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}, {"\xff\xfe\xfd", "//79"},
  };
  for (auto const& r : rows) {
    CAPTURE(std::string(r.in));
    CHECK(base64(bytes(r.in)) == r.out);
  }
}

TEST_CASE("payload: add_payload picks text or base64") {
  Json a, b;
  add_payload(a, bytes("hi\n"));
  CHECK(a.dump() == R"({"text":"hi\n"})");
  add_payload(b, bytes(std::string_view("\x00\xff", 2)));
  CHECK(b.dump() == R"({"base64":"AP8="})");
}
