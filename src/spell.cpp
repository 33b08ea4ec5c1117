// spell.cpp: the edit distance behind every "did you mean". Names are short
// (under 40 characters), so the plain dynamic programme is enough.
// See: spell.hpp.
#include "sockctl/spell.hpp"

#include <algorithm>
#include <vector>

namespace sockctl {

namespace {

char fold(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

}  // namespace

// Optimal string alignment: a swap of two neighbours counts as one edit, so
// "tpc" is one edit from "tcp" (the typo is the swap) but two from "ip".
size_t edit_distance(std::string_view a, std::string_view b, bool ignore_case) {
  auto same = [&](char x, char y) { return ignore_case ? fold(x) == fold(y) : x == y; };
  std::vector<size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same(a[i - 1], b[j - 1]) ? 0 : 1)});
      if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]))
        cur[j] = std::min(cur[j], before[j - 2] + 1);
    }
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace sockctl
