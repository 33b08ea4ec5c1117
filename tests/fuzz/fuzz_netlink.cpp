// fuzz_netlink.cpp: netlink replies and request lines on hostile input.
// Bytes go to netlink::split as a reply datagram: it refuses with exit 65 or
// returns messages that lie inside the input, each at least a header long;
// the messages are then fed to an Exchange. The same bytes as text go to
// netlink::parse_request: a datagram it accepts must split cleanly.
// See: tests/fuzz/README.md, src/netlink_test.cpp for the same properties as tables.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "sockctl/netlink.hpp"

using namespace sockctl;

namespace {

[[noreturn]] void fail(char const* what) {
  std::fprintf(stderr, "fuzz_netlink: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(uint8_t const* data, size_t size) {
  auto bytes = std::as_bytes(std::span(data, size));
  netlink::Exchange ex;
  if (auto messages = netlink::split(bytes)) {
    for (auto const& m : *messages) {
      if (m.bytes.data() < bytes.data() || m.bytes.data() + m.bytes.size() > bytes.data() + bytes.size())
        fail("a message outside the datagram");
      if (m.bytes.size() < 16 || m.bytes.size() != m.len) fail("a message shorter than its header or its length");
    }
    ex.sent(*messages);
    for (auto const& m : *messages) ex.received(m);
  } else if (messages.error().exit != Exit::data) {
    fail("split refused with an exit code other than 65");
  }

  std::string_view text(reinterpret_cast<char const*>(data), size);
  if (auto request = netlink::parse_request(text)) {
    if (!netlink::split(*request)) fail("an accepted request does not split");
  } else if (request.error().exit != Exit::data) {
    fail("parse_request refused with an exit code other than 65");
  }
  return 0;
}
