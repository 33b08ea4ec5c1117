// spell.hpp: "did you mean" for misspelt names (schemes, constants, socket
// options), computed from the tables themselves as ninja's SpellcheckString
// does. See: STYLE.md 3.2.
#pragma once

#include <cstddef>
#include <string_view>

namespace sockctl {

/// Levenshtein distance between a and b; ignore_case compares ASCII letters case-blind.
size_t edit_distance(std::string_view a, std::string_view b, bool ignore_case = false);

}  // namespace sockctl
