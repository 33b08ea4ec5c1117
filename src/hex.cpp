// hex.cpp: strict hex decoding and encoding. See: hex.hpp.
#include "sockctl/hex.hpp"

#include <fmt/format.h>

namespace sockctl {

namespace {

int digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_separator(char c) { return c == ':' || c == '.' || c == ' '; }

// The character as the user would recognise it in a message.
std::string shown(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u < 0x20 || u >= 0x7f) return fmt::format("\\x{:02x}", u);
  return std::string(1, c);
}

}  // namespace

Result<Bytes> hex_decode(std::string_view text) {
  std::string_view body = text;
  if (body.starts_with("x:")) body.remove_prefix(2);
  size_t const base = text.size() - body.size();  // offsets in messages count from the text's start
  auto bad = [&](std::string why) { return Error::data(fmt::format("bad hex '{}'", text), std::move(why)); };
  Bytes out;
  out.reserve(body.size() / 2);
  size_t digits = 0;
  int high = -1;
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (is_separator(c)) {
      if (high >= 0) return bad(fmt::format("'{}' splits a byte at offset {}", shown(c), base + i));
      if (i == 0 || i + 1 == body.size() || is_separator(body[i - 1]))
        return bad(fmt::format("stray separator '{}' at offset {}", shown(c), base + i));
      continue;
    }
    int d = digit(c);
    if (d < 0) return bad(fmt::format("'{}' at offset {} is not a hex digit", shown(c), base + i));
    ++digits;
    if (high < 0) {
      high = d;
    } else {
      out.push_back(static_cast<std::byte>(high << 4 | d));
      high = -1;
    }
  }
  if (high >= 0) return bad(fmt::format("odd number of hex digits ({})", digits));
  return out;
}

std::string hex_encode(std::span<std::byte const> bytes, char sep) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * (sep ? 3 : 2));
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (sep && i) out += sep;
    auto b = std::to_integer<unsigned>(bytes[i]);
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

}  // namespace sockctl
