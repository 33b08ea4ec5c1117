// payload.hpp: bytes received from a socket shown in JSON: as text when they
// are valid UTF-8, otherwise as base64, so every byte survives the round trip.
// See: RFC 3629 (UTF-8), RFC 4648 section 4 (base64).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "sockctl/json.hpp"

namespace sockctl {

/// True when the bytes are well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF).
bool is_utf8(std::string_view s);

/// Standard base64 with padding.
std::string base64(std::span<std::byte const> data);

/// Adds "text" (valid UTF-8) or "base64" (anything else) to j.
void add_payload(Json& j, std::span<std::byte const> data);

}  // namespace sockctl
