// payload.cpp: UTF-8 validation and base64 for payloads in JSON events.
// See: RFC 3629 section 4 (the UTF-8 byte sequences), RFC 4648.
#include "sockctl/payload.hpp"

#include <cstdint>

namespace sockctl {

bool is_utf8(std::string_view s) {
  auto const* p = reinterpret_cast<uint8_t const*>(s.data());
  size_t n = s.size(), i = 0;
  auto cont = [&](size_t k) { return i + k < n && (p[i + k] & 0xC0) == 0x80; };
  while (i < n) {
    uint8_t c = p[i];
    if (c < 0x80) {
      ++i;
    } else if (c >= 0xC2 && c <= 0xDF) {
      if (!cont(1)) return false;
      i += 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      if (!cont(1) || !cont(2)) return false;
      // E0 needs A0..BF (no overlongs); ED needs 80..9F (no surrogates).
      if (c == 0xE0 && p[i + 1] < 0xA0) return false;
      if (c == 0xED && p[i + 1] > 0x9F) return false;
      i += 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
      if (!cont(1) || !cont(2) || !cont(3)) return false;
      // F0 needs 90..BF (no overlongs); F4 needs 80..8F (nothing above U+10FFFF).
      if (c == 0xF0 && p[i + 1] < 0x90) return false;
      if (c == 0xF4 && p[i + 1] > 0x8F) return false;
      i += 4;
    } else {
      return false;
    }
  }
  return true;
}

std::string base64(std::span<std::byte const> data) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  auto byte = [&](size_t k) { return static_cast<uint32_t>(data[k]); };
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (size_t rest = data.size() - i; rest > 0) {
    uint32_t v = byte(i) << 16 | (rest == 2 ? byte(i + 1) << 8 : 0);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

void add_payload(Json& j, std::span<std::byte const> data) {
  std::string_view s(reinterpret_cast<char const*>(data.data()), data.size());
  if (is_utf8(s))
    j["text"] = s;
  else
    j["base64"] = base64(data);
}

}  // namespace sockctl
