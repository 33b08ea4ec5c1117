// fuzz_endpoint.cpp: the endpoint grammar on hostile input, both ways.
// Text: parse_endpoint must refuse with exit 64 or succeed, and a parsed
// address must print as text that parses back to the same bytes, scheme and
// protocol. Bytes (input starting with a NUL): byte 1 picks a scheme, the
// rest is a sockaddr as the kernel might return it; printing and JSON must
// not fail, and printed text that parses must print the same again.
// See: tests/fuzz/README.md, src/endpoint_test.cpp for the same properties as tables.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sockctl/endpoint.hpp"

using namespace sockctl;

namespace {

[[noreturn]] void fail(std::string_view what, std::string_view a, std::string_view b) {
  std::fprintf(stderr, "fuzz_endpoint: %.*s\n  %.*s\n  %.*s\n", int(what.size()), what.data(), int(a.size()),
               a.data(), int(b.size()), b.data());
  std::abort();
}

// The sockaddr an endpoint names once its interface index is known. Names
// are left alone: looking them up (if_nametoindex) adds nothing to what is
// fuzzed, and all-digit names too long for an index are names.
std::optional<SockAddr> address_of(Endpoint const& ep) {
  if (!ep.address) return std::nullopt;
  bool numeric = ep.interface.find_first_not_of("0123456789") == std::string::npos;
  if (!numeric && ep.interface != "any") return std::nullopt;
  auto addrs = resolve_endpoint(ep);
  if (!addrs) {
    if (ep.interface.empty() || ep.interface == "any") fail("resolving a parsed address failed", ep.text, "");
    return std::nullopt;
  }
  if (addrs->size() != 1) fail("a parsed address resolved to several", ep.text, "");
  return addrs->front();
}

void check_text(std::string_view text, ParseOptions const& opts) {
  auto ep = parse_endpoint(text, opts);
  if (!ep) {
    if (ep.error().exit != Exit::usage) fail("a parse error is not exit 64", text, ep.error().message());
    return;
  }
  auto a = address_of(*ep);
  if (!a) return;
  auto printed = format_endpoint(*a, *ep->scheme, ep->protocol);
  auto again = parse_endpoint(printed, opts);
  if (!again) fail("printed text does not parse", text, printed + ": " + again.error().message());
  if (again->scheme != ep->scheme || again->protocol != ep->protocol)
    fail("printed text parses to another scheme or protocol", text, printed);
  // The printed text may name an interface ('lo' for index 1): resolve it.
  auto addrs = resolve_endpoint(*again);
  if (!addrs || addrs->size() != 1 || !(addrs->front() == *a))
    fail("printed text parses to other sockaddr bytes", text, printed);
  (void)address_json(*a, *ep->scheme, ep->protocol).dump();
}

void check_sockaddr(uint8_t const* data, size_t size) {
  if (size < 1) return;
  auto all = schemes();
  auto const& scheme = all[data[0] % all.size()];
  SockAddr a(reinterpret_cast<sockaddr const*>(data + 1), static_cast<socklen_t>(size - 1));
  auto printed = format_endpoint(a, scheme);
  (void)address_json(a, scheme).dump();
  // Text that parses must be a fixed point: what it names prints the same.
  // (It need not be the same bytes: the grammar leaves out what sending
  // ignores, such as a received frame's source hardware address.)
  auto ep = parse_endpoint(printed);
  if (!ep || !ep->address) return;
  auto addrs = resolve_endpoint(*ep);
  if (!addrs) return;
  auto reprinted = format_endpoint(addrs->front(), *ep->scheme, ep->protocol);
  if (reprinted != printed) fail("printing is not a fixed point", printed, reprinted);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(uint8_t const* data, size_t size) {
  if (size > 0 && data[0] == 0) {
    check_sockaddr(data + 1, size - 1);
    return 0;
  }
  std::string_view text(reinterpret_cast<char const*>(data), size);
  check_text(text, {});
  ParseOptions ranges;
  ranges.allow_port_range = true;
  check_text(text, ranges);
  return 0;
}
