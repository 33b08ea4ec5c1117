// hex.hpp: bytes as hex text and back: packed addresses, x:HEX socket option
// values, raw sockaddrs. Decoding is strict (python's bytes.fromhex is the
// model, minus its tolerance for stray spaces): a bad digit or an odd count
// is an error naming the text, exit 65. See: sockctl-inet(1).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sockctl/error.hpp"

namespace sockctl {

using Bytes = std::vector<std::byte>;

/// Decodes "7f000001", "x:7f000001", "7f:00:00:01", "7f.00.00.01" or "7f 00 00 01".
/// One separator (':' '.' or ' ') may stand between two whole bytes, never at
/// either end nor twice in a row. Empty text (or "x:") is zero bytes.
/// Errors exit 65: "bad hex 'TEXT': WHY".
Result<Bytes> hex_decode(std::string_view text);

/// Lower-case hex digits, with sep between bytes when it is not '\0'.
std::string hex_encode(std::span<std::byte const> bytes, char sep = '\0');

/// A view of any byte-like range as std::byte, for hex_encode.
template <class T>
std::span<std::byte const> as_bytes_of(T const& object) {
  return std::as_bytes(std::span(&object, 1));
}

}  // namespace sockctl
