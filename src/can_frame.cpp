// can_frame.cpp: can-utils' frame syntax (cansend, candump -L, log files)
// read into the kernel's frame bytes. Parsing checks everything cansend lets
// through: ids out of range, more bytes than the frame carries, FD lengths no
// DLC encodes. Printing is decode.hpp's, shared with sniff.
// See: can-utils lib.c (parse_canframe), linux/can.h, linux/can/error.h.
#include <linux/can/error.h>

#include <algorithm>

#include <fmt/format.h>

#include "sockctl/can.hpp"

namespace sockctl {

namespace {

constexpr uint8_t kFdLengths[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 20, 24, 32, 48, 64};

int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string show_char(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u > 0x20 && u < 0x7f) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02x}", u);
}

Error bad_frame(std::string_view text, std::string why) {
  return Error::data(fmt::format("frame '{}'", text), std::move(why));
}

// The id before '#': 3 hex digits for 11 bits, 8 for 29 bits or an error
// frame (CAN_ERR_FLAG). Returns can_id with its flags.
Result<canid_t> parse_id(std::string_view text, std::string_view id) {
  if (id.empty()) return bad_frame(text, "missing id before '#'");
  for (char c : id)
    if (nibble(c) < 0) return bad_frame(text, fmt::format("id '{}' is not hex: {}", id, show_char(c)));
  if (id.size() > 8) return bad_frame(text, fmt::format("id '{}' has more than 8 hex digits", id));
  uint32_t value = 0;
  for (char c : id) value = value << 4 | static_cast<uint32_t>(nibble(c));
  if (id.size() == 8) {
    if (value > (CAN_ERR_FLAG | CAN_ERR_MASK))
      return bad_frame(text, fmt::format("29-bit id '{}' above 0x1FFFFFFF", id));
    return (value & CAN_ERR_FLAG) ? value : value | CAN_EFF_FLAG;
  }
  if (value > CAN_SFF_MASK) return bad_frame(text, "11-bit id above 0x7FF needs the 8-digit form");
  if (id.size() != 3)
    return bad_frame(text, fmt::format("id '{}' needs 3 hex digits (11-bit) or 8 (29-bit)", id));
  return value;
}

// Hex bytes, with at most one '.' between two bytes (cansend's separator).
// Returns the byte count; max is the frame's capacity, named in the error.
Result<size_t> parse_data(std::string_view text, std::string_view s, uint8_t* out, size_t max, bool fd) {
  size_t digits = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '.') {
      bool between = digits > 0 && digits % 2 == 0 && i + 1 < s.size() && nibble(s[i + 1]) >= 0;
      if (!between) return bad_frame(text, "'.' may only separate two data bytes");
      continue;
    }
    if (nibble(c) < 0) return bad_frame(text, fmt::format("{} is not a hex digit", show_char(c)));
    ++digits;
  }
  if (digits % 2) return bad_frame(text, fmt::format("odd number of hex digits ({}) in the data", digits));
  size_t n = digits / 2;
  if (n > max) {
    if (fd) return bad_frame(text, fmt::format("{} data bytes: a CAN FD frame carries at most 64", n));
    return bad_frame(text, fmt::format("{} data bytes: a classic frame carries at most 8 (CAN FD: '##')", n));
  }
  size_t k = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') continue;
    out[k++] = static_cast<uint8_t>(nibble(s[i]) << 4 | nibble(s[i + 1]));
    ++i;
  }
  return n;
}

// "_X" after 8 data bytes: a classic DLC of 9 to 15 (len8_dlc).
Result<uint8_t> parse_len8_dlc(std::string_view text, std::string_view s, size_t len) {
  if (s.size() != 1 || nibble(s[0]) < 9)
    return bad_frame(text, fmt::format("DLC '_{}' must be one hex digit 9 to F", s));
  if (len != CAN_MAX_DLEN) return bad_frame(text, fmt::format("DLC '_{}' needs 8 data bytes, not {}", s, len));
  return static_cast<uint8_t>(nibble(s[0]));
}

}  // namespace

bool can_fd_length_valid(size_t len) {
  return std::find(std::begin(kFdLengths), std::end(kFdLengths), len) != std::end(kFdLengths);
}

size_t can_fd_dlc_to_len(unsigned dlc) { return kFdLengths[dlc & 15]; }

Result<CanFrameBytes> parse_can_frame(std::string_view text) {
  auto hash = text.find('#');
  if (hash == std::string_view::npos) {
    if (text.empty()) return bad_frame(text, "expected ID#DATA, ID#R or ID##FLAGS DATA");
    return bad_frame(text, "missing '#' between id and data");
  }
  CanFrameBytes f;
  f.k.can_id = TRY(parse_id(text, text.substr(0, hash)));
  bool error = (f.k.can_id & CAN_ERR_FLAG) != 0;
  auto rest = text.substr(hash + 1);

  if (!rest.empty() && (rest[0] == 'R' || rest[0] == 'r')) {
    if (error) return bad_frame(text, "an error frame cannot be a remote request");
    f.k.can_id |= CAN_RTR_FLAG;
    auto len = rest.substr(1);
    auto u = len.find('_');
    auto dlc = u == std::string_view::npos ? std::string_view() : len.substr(u + 1);
    len = len.substr(0, u);
    if (!len.empty()) {
      if (len.size() != 1 || len[0] < '0' || len[0] > '8')
        return bad_frame(text, fmt::format("remote request length '{}' must be one digit 0 to 8", len));
      f.k.len = static_cast<uint8_t>(len[0] - '0');
    }
    if (u != std::string_view::npos) f.k.__res1 = TRY(parse_len8_dlc(text, dlc, f.k.len));
    return f;
  }

  if (!rest.empty() && rest[0] == '#') {
    if (error) return bad_frame(text, "an error frame is a classic frame, not CAN FD");
    if (rest.size() < 2) return bad_frame(text, "CAN FD needs a flags digit after '##' (0 for none)");
    int flags = nibble(rest[1]);
    if (flags < 0) return bad_frame(text, fmt::format("CAN FD flags {} are not a hex digit", show_char(rest[1])));
    if (flags & ~(CANFD_BRS | CANFD_ESI | CANFD_FDF))
      return bad_frame(text, fmt::format("CAN FD flags '{}': the known bits are 1 (BRS), 2 (ESI) and 4 (FDF)", rest[1]));
    f.fd = true;
    f.k.flags = static_cast<uint8_t>(flags | CANFD_FDF);
    size_t n = TRY(parse_data(text, rest.substr(2), f.k.data, CANFD_MAX_DLEN, true));
    if (!can_fd_length_valid(n))
      return bad_frame(text, fmt::format("CAN FD cannot carry {} bytes: lengths are 0-8, 12, 16, 20, 24, 32, 48 and 64", n));
    f.k.len = static_cast<uint8_t>(n);
    return f;
  }

  auto u = rest.find('_');
  auto dlc = u == std::string_view::npos ? std::string_view() : rest.substr(u + 1);
  f.k.len = static_cast<uint8_t>(TRY(parse_data(text, rest.substr(0, u), f.k.data, CAN_MAX_DLEN, false)));
  if (u != std::string_view::npos) f.k.__res1 = TRY(parse_len8_dlc(text, dlc, f.k.len));
  if (error && f.k.len != CAN_ERR_DLC)
    return bad_frame(text, fmt::format("an error frame carries 8 data bytes (CAN_ERR_DLC), not {}", f.k.len));
  return f;
}

CanFrame CanFrameBytes::view() const {
  auto b = bytes();
  auto f = decode_can_frame(Bytes(reinterpret_cast<uint8_t const*>(b.data()), b.size()), CanIdOrder::host);
  // Frames come from parse_can_frame or the kernel, both valid; an invalid
  // one shows as an empty frame rather than reading past its bytes.
  return f ? *f : CanFrame{};
}

std::string format_can_frame(CanFrameBytes const& f) {
  std::string s;
  append_can_compact(s, f.view());
  return s;
}

}  // namespace sockctl
