// pending.cpp: codecs not written yet. Removed once every family has its own file.
#include <fmt/format.h>

#include "family/family.hpp"

namespace sockctl::family {
namespace {
Result<void> pending_parse(std::string_view, Endpoint& ep, ParseOptions const&) {
  return bad_endpoint(ep, "this family's codec is not written yet");
}
std::string pending_format(SockAddr const&, Scheme const& s, int) { return fmt::format("{}:?", s.name); }
void pending_fields(SockAddr const&, Json&) {}
}  // namespace
#define PENDING(name) FamilyCodec const name{pending_parse, pending_format, pending_fields, nullptr};
PENDING(kRds)
PENDING(kFd) PENDING(kSystemd)
}  // namespace sockctl::family
