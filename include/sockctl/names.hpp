// names.hpp: the kernel's constants by name and back: address families, socket
// types, protocols, and the big table behind `inet const` and -O.
// Names are the C names (SO_REUSEADDR); families and types print lower-case
// without prefix ("inet6", "stream") as Python's enums do.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sockctl {

/// "inet6" for AF_INET6; the number as text for an unknown family.
std::string family_name(int family);
/// AF_* from "inet6", "AF_INET6" or a number.
std::optional<int> family_from_name(std::string_view name);
/// "stream" for SOCK_STREAM; the number as text when unknown.
std::string type_name(int type);
/// SOCK_* from "stream", "SOCK_STREAM" or a number.
std::optional<int> type_from_name(std::string_view name);

}  // namespace sockctl
