// spell_test.cpp: the edit distance behind "did you mean".
#include <doctest/doctest.h>

#include <string>

#include "sockctl/spell.hpp"

using namespace sockctl;

TEST_CASE("spell: edit distance") {
  struct Row {
    std::string a;
    std::string b;
    bool ignore_case;
    size_t distance;
  };
  Row const rows[] = {
      {"", "", false, 0},          {"tcp", "tcp", false, 0},   {"tpc", "tcp", false, 1},
      {"tcp", "tcp6", false, 1},   {"", "udp", false, 3},      {"SO_REUSEADR", "SO_REUSEADDR", false, 1},
      {"so_reuseaddr", "SO_REUSEADDR", false, 11}, {"so_reuseaddr", "SO_REUSEADDR", true, 0},
      {"kitten", "sitting", false, 3}, {"tpc", "ip", false, 2}, {"Tpc", "tCP", true, 1},
  };
  for (auto const& r : rows) {
    CAPTURE(r.a);
    CAPTURE(r.b);
    CHECK(edit_distance(r.a, r.b, r.ignore_case) == r.distance);
    CHECK(edit_distance(r.b, r.a, r.ignore_case) == r.distance);
  }
}
