// alg.cpp: AF_ALG endpoints, "alg:TYPE:NAME": the kernel crypto API's
// algorithm type (hash, skcipher, aead, rng, ...) and a name from
// /proc/crypto, such as "sha256" or "authenc(hmac(sha256),cbc(aes))".
// See: Documentation/crypto/userspace-if.rst, linux/if_alg.h.
#include <linux/if_alg.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "family/family.hpp"

namespace sockctl::family {

namespace {

// akcipher and kpp have no algif module in mainline Linux; they are accepted
// so that kernels carrying the out-of-tree interfaces can be reached, and such
// a bind fails with the kernel's ENOENT rather than a parse error.
constexpr std::string_view kTypes[] = {"hash", "skcipher", "aead", "rng", "akcipher", "kpp"};

// sockaddr_alg's salg_name is 64 bytes and alg_bind() writes a NUL into its
// last byte, so 63 bytes of name survive. (The flexible sockaddr_alg_new
// allows longer names, but no kernel algorithm name comes near 63.) The type
// can never contain ':', so the name is everything after the first ':' and
// may contain ':' itself: the kernel does not forbid it.
constexpr size_t kNameMax = sizeof(sockaddr_alg::salg_name) - 1;

bool printable(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

std::string_view c_field(uint8_t const* p, size_t n) {
  auto const* s = reinterpret_cast<char const*>(p);
  return {s, strnlen(s, n)};
}

Result<void> parse_alg(std::string_view body, Endpoint& ep, ParseOptions const&) {
  auto parts = split_first(body, ':');
  if (!parts) return bad_endpoint(ep, "expected TYPE:NAME, e.g. hash:sha256");
  auto [type, name] = *parts;
  if (std::find(std::begin(kTypes), std::end(kTypes), type) == std::end(kTypes))
    return bad_endpoint(ep, fmt::format("algorithm type '{}' is not one of {}", type, fmt::join(kTypes, ", ")));
  if (name.empty()) return bad_endpoint(ep, "missing algorithm name (see /proc/crypto)");
  if (name.size() > kNameMax)
    return bad_endpoint(ep, fmt::format("algorithm name is {} bytes, the limit is {}", name.size(), kNameMax));
  if (!printable(name))
    return bad_endpoint(ep, fmt::format("algorithm name '{}' has a space or a byte that does not print", name));
  sockaddr_alg sa{};
  sa.salg_family = AF_ALG;
  std::memcpy(sa.salg_type, type.data(), type.size());
  std::memcpy(sa.salg_name, name.data(), name.size());
  ep.address = SockAddr::of(sa);
  return {};
}

std::string format_alg(SockAddr const& a, Scheme const& s, int) {
  auto const* sa = a.as<sockaddr_alg>(AF_ALG);
  if (sa && sa->salg_feat == 0 && sa->salg_mask == 0) {
    auto type = c_field(sa->salg_type, sizeof sa->salg_type);
    auto name = c_field(sa->salg_name, sizeof sa->salg_name);
    bool known = std::find(std::begin(kTypes), std::end(kTypes), type) != std::end(kTypes);
    if (known && !name.empty() && name.size() <= kNameMax && printable(name))
      return fmt::format("{}:{}:{}", s.name, type, name);
  }
  return format_unprintable(a, s.name);
}

void alg_fields(SockAddr const& a, Json& j) {
  if (auto const* sa = a.as<sockaddr_alg>(AF_ALG)) {
    j["type"] = c_field(sa->salg_type, sizeof sa->salg_type);
    j["name"] = c_field(sa->salg_name, sizeof sa->salg_name);
  }
}

}  // namespace

FamilyCodec const kAlg{parse_alg, format_alg, alg_fields, nullptr};

}  // namespace sockctl::family
