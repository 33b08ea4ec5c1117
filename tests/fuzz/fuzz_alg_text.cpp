// fuzz_alg_text.cpp: the text sockctl alg reads on hostile input: --check
// lists (any file a user points at) and /proc/crypto's format. A first byte
// of 0 picks /proc/crypto, which must parse and print as JSON (bytes that are
// not UTF-8 replaced, as Output does) without failing; anything else
// is a --check line, which must either be refused or, written back with
// sum_line(), parse to the same digest and name.
// See: tests/fuzz/README.md, src/alg_test.cpp for the same properties as tables.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "sockctl/alg.hpp"

using namespace sockctl;

extern "C" int LLVMFuzzerTestOneInput(uint8_t const* data, size_t size) {
  std::string_view text(reinterpret_cast<char const*>(data), size);
  if (!text.empty() && text[0] == '\0') {
    for (auto const& a : parse_proc_crypto(text.substr(1)))
      (void)crypto_alg_json(a).dump(-1, ' ', false, Json::error_handler_t::replace);
    return 0;
  }
  auto line = parse_sum_line(text);
  if (!line) return 0;
  auto again = parse_sum_line(sum_line(line->digest, line->file));
  if (!again || again->digest != line->digest || again->file != line->file) {
    std::fprintf(stderr, "fuzz_alg_text: '%.*s' does not round-trip\n", int(text.size()), text.data());
    std::abort();
  }
  return 0;
}
