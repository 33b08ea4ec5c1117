// can_filter.cpp: candump's receive filters, "IFACE[,FILTER...]", turned into
// the can_filter list, error mask and join flag a CAN_RAW socket takes.
// Same meaning as candump (an 8-digit id sets CAN_EFF_FLAG, the mask may hold
// the EFF/RTR flag bits), but every token must parse whole: candump's sscanf
// would take "123:7FFzz" or a 12-bit "FFF:7FF" without a word.
// See: candump(1) "Filters", Documentation/networking/can.rst (RAW filters).
#include <fmt/format.h>

#include "sockctl/can.hpp"

namespace sockctl {

namespace {

std::optional<uint32_t> parse_hex32(std::string_view s) {
  if (s.empty() || s.size() > 8) return std::nullopt;
  uint32_t v = 0;
  for (char c : s) {
    int n = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
    if (n < 0) return std::nullopt;
    v = v << 4 | static_cast<uint32_t>(n);
  }
  return v;
}

// The kernel's dev_valid_name(): 1-15 bytes, not "." or "..", no '/', ':' or space.
bool valid_interface_name(std::string_view name) {
  if (name.empty() || name.size() >= 16 || name == "." || name == "..") return false;
  for (char c : name)
    if (c == '/' || c == ':' || c == ' ' || (c >= '\t' && c <= '\r')) return false;
  return true;
}

}  // namespace

Result<CanSource> parse_can_source(std::string_view text) {
  CanSource src;
  auto comma = text.find(',');
  auto name = text.substr(0, comma);
  if (!valid_interface_name(name))
    return Error::usage(fmt::format("bad interface '{}' in '{}'", name, text),
                        "expected a name of 1 to 15 characters, or 'any'");
  src.interface = std::string(name);
  bool have_err_mask = false;
  while (comma != std::string_view::npos) {
    auto start = comma + 1;
    comma = text.find(',', start);
    auto token = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    auto bad = [&](std::string why) {
      return Error::usage(fmt::format("bad filter '{}' in '{}'", token, text), std::move(why));
    };
    if (token.empty()) return bad("empty filter between commas");
    if (token == "j" || token == "J") {
      src.filters.join = true;
      continue;
    }
    if (token[0] == '#') {
      auto mask = parse_hex32(token.substr(1));
      if (!mask) return bad("the error mask after '#' must be 1 to 8 hex digits");
      if (have_err_mask) return bad("a second error mask");
      have_err_mask = true;
      src.filters.err_mask = *mask & CAN_ERR_MASK;
      continue;
    }
    auto sep = token.find_first_of(":~");
    if (sep == std::string_view::npos) return bad("expected ID:MASK, ID~MASK, #ERRMASK or j");
    auto id_text = token.substr(0, sep);
    auto id = parse_hex32(id_text);
    auto mask = parse_hex32(token.substr(sep + 1));
    if (!id) return bad(fmt::format("id '{}' must be 1 to 8 hex digits", id_text));
    if (!mask) return bad(fmt::format("mask '{}' must be 1 to 8 hex digits", token.substr(sep + 1)));
    can_filter f{};
    if (id_text.size() == 8) {
      // Flag bits may be given (RTR, EFF); the error flag means nothing here.
      if (*id & CAN_ERR_FLAG) return bad(fmt::format("id '{}' has the error flag 20000000: use #ERRMASK", id_text));
      f.can_id = *id | CAN_EFF_FLAG;
    } else {
      if (*id > CAN_SFF_MASK) return bad("11-bit id above 0x7FF needs the 8-digit form");
      f.can_id = *id;
    }
    if (token[sep] == '~') f.can_id |= CAN_INV_FILTER;
    // The kernel takes error frames only through the error mask (can(7)).
    f.can_mask = *mask & ~CAN_ERR_FLAG;
    src.filters.filters.push_back(f);
  }
  return src;
}

}  // namespace sockctl
