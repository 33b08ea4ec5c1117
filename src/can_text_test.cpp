// can_text_test.cpp: ISO-TP hex lines, and the line exchanges behind
// `connect can:` / `can-isotp:`, driven over a unix seqpacket pair (this
// kernel has no AF_CAN; the kernel lab runs them on vcan).
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include <doctest/doctest.h>

#include "sockctl/can.hpp"
#include "sockctl/io.hpp"

using namespace sockctl;

namespace {

std::string hex_of(std::span<std::byte const> b) {
  std::string s;
  append_isotp_hex(s, b);
  return s;
}

// A seqpacket pair: ours (as the CAN socket) and the far end (the bus).
std::pair<Socket, Fd> bus() {
  int sv[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0);
  auto s = Socket::adopt(Fd(sv[0]));
  REQUIRE(s.has_value());
  return {std::move(*s), Fd(sv[1])};
}

// A pipe holding text, its write end closed: the input's EOF comes after it.
Fd input_of(std::string const& text) {
  int p[2];
  REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
  REQUIRE(::write(p[1], text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  ::close(p[1]);
  return Fd(p[0]);
}

}  // namespace

TEST_CASE("can_text: ISO-TP hex payloads as isotpsend writes them, and more") {
  struct Row {
    char const* text;
    char const* printed;
  };
  Row const rows[] = {
      {"22 F1 90", "22 F1 90 \n"},
      {"22F190", "22 F1 90 \n"},
      {"1 2 a", "01 02 0A \n"},
      {"  de\tAD  beef \n", "DE AD BE EF \n"},
      {"00", "00 \n"},
      {"", "\n"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.text);
    auto b = parse_isotp_hex(r.text);
    REQUIRE(b.has_value());
    CHECK(hex_of(*b) == r.printed);
  }
}

TEST_CASE("can_text: malformed ISO-TP hex exits 65 and names the token") {
  struct Row {
    char const* text;
    char const* message;
  };
  Row const rows[] = {
      {"22 F1 9G", "hex payload byte '9G': expected hex digits, e.g. 22 F1 90 or 22F190"},
      {"123", "hex payload byte '123': odd number of hex digits"},
      {"0x22", "hex payload byte '0x22': expected hex digits"},
      {"22,33", "hex payload byte '22,33': expected hex digits"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.text);
    auto b = parse_isotp_hex(r.text);
    REQUIRE_FALSE(b.has_value());
    CHECK(b.error().exit == Exit::data);
    CHECK(b.error().message().starts_with(r.message));
  }
}

TEST_CASE("can_text: frame lines are sent as they are read, received frames handed on") {
  auto [s, far] = bus();
  // Sent before the exchange starts: waiting in the queue as a received frame.
  canfd_frame incoming{};
  incoming.can_id = 0x321;
  incoming.len = 2;
  incoming.data[0] = 0xAA;
  incoming.data[1] = 0xBB;
  REQUIRE(::write(far.get(), &incoming, CAN_MTU) == static_cast<ssize_t>(CAN_MTU));
  auto in = input_of("123#DEADBEEF\n\n# a comment\n(1700000000.000001) vcan0 12345678#R\n  7FF##1AABB  \n");
  std::vector<std::string> got;
  CanLineOptions o;
  o.input = in.get();
  o.fd = true;
  o.linger = 0.05;
  auto st = exchange_can_frames(s, o, [&](CanReceived const& r) -> Result<void> {
    got.push_back(format_can_frame(r.frame));
    return {};
  });
  REQUIRE(st.has_value());
  CHECK(st->sent == 3);
  CHECK(st->received == 1);
  CHECK(st->ending == "eof");
  CHECK(got == std::vector<std::string>{"321#AABB"});
  struct Want {
    size_t size;
    canid_t id;
    uint8_t len;
  };
  Want const want[] = {{CAN_MTU, 0x123, 4}, {CAN_MTU, 0x12345678 | CAN_EFF_FLAG | CAN_RTR_FLAG, 0}, {CANFD_MTU, 0x7FF, 2}};
  for (auto const& w : want) {
    canfd_frame f{};
    auto n = ::recv(far.get(), &f, sizeof f, MSG_DONTWAIT);
    CHECK(n == static_cast<ssize_t>(w.size));
    CHECK(f.can_id == w.id);
    CHECK(f.len == w.len);
  }
}

TEST_CASE("can_text: a malformed frame line stops with exit 65 naming the line") {
  struct Row {
    char const* input;
    Exit exit;
    char const* message;
  };
  Row const rows[] = {
      {"123#00\n1234#00\n", Exit::data, "stdin line 2: frame '1234#00': 11-bit id above 0x7FF needs the 8-digit form"},
      {"123#112233445566778899\n", Exit::data, "stdin line 1: frame '123#112233445566778899': 9 data bytes"},
      {"123##1AABB\n", Exit::unavailable, "stdin line 1: frame '123##1AABB' on '"},
      {"(1.0) vcan0\n", Exit::data, "stdin line 1: "},
  };
  for (auto const& r : rows) {
    CAPTURE(r.input);
    auto [s, far] = bus();
    auto in = input_of(r.input);
    CanLineOptions o;
    o.input = in.get();
    o.linger = 0.05;
    auto st = exchange_can_frames(s, o, [](CanReceived const&) -> Result<void> { return {}; });
    REQUIRE_FALSE(st.has_value());
    CHECK(st.error().exit == r.exit);
    CHECK(st.error().message().starts_with(r.message));
  }
}

TEST_CASE("can_text: echo sends each frame back; the count ends the exchange") {
  auto [s, far] = bus();
  canfd_frame f{};
  f.can_id = 0x100;
  f.len = 1;
  for (int i = 0; i < 3; ++i) {
    f.data[0] = static_cast<uint8_t>(i);
    REQUIRE(::write(far.get(), &f, CAN_MTU) == static_cast<ssize_t>(CAN_MTU));
  }
  CanLineOptions o;
  o.echo = true;
  o.count = 2;
  auto st = exchange_can_frames(s, o, [](CanReceived const&) -> Result<void> { return {}; });
  REQUIRE(st.has_value());
  CHECK(st->received == 2);
  CHECK(st->ending == "count");
  for (int i = 0; i < 2; ++i) {
    canfd_frame back{};
    CHECK(::recv(far.get(), &back, sizeof back, MSG_DONTWAIT) == static_cast<ssize_t>(CAN_MTU));
    CHECK(back.data[0] == i);
  }
  CHECK(::recv(far.get(), &f, sizeof f, MSG_DONTWAIT) < 0);
}

TEST_CASE("can_text: without input, --idle-timeout ends a quiet exchange") {
  auto [s, far] = bus();
  CanLineOptions o;
  o.idle = 0.05;
  auto st = exchange_can_frames(s, o, [](CanReceived const&) -> Result<void> { return {}; });
  REQUIRE(st.has_value());
  CHECK(st->ending == "idle");
  CHECK(st->received == 0);
}

TEST_CASE("can_text: PDU lines go out one datagram each; PDUs received are handed on") {
  auto [s, far] = bus();
  REQUIRE(::write(far.get(), "\x62\xF1\x90", 3) == 3);
  auto in = input_of("22 F1 90\n3E00\n");
  std::vector<std::string> got;
  CanLineOptions o;
  o.input = in.get();
  o.linger = 0.05;
  auto st = exchange_isotp_pdus(s, o, [&](std::span<std::byte const> p) -> Result<void> {
    got.push_back(hex_of(p));
    return {};
  });
  REQUIRE(st.has_value());
  CHECK(st->sent == 2);
  CHECK(got == std::vector<std::string>{"62 F1 90 \n"});
  char buf[16];
  CHECK(::recv(far.get(), buf, sizeof buf, MSG_DONTWAIT) == 3);
  CHECK(std::memcmp(buf, "\x22\xF1\x90", 3) == 0);
  CHECK(::recv(far.get(), buf, sizeof buf, MSG_DONTWAIT) == 2);
  CHECK(std::memcmp(buf, "\x3E\x00", 2) == 0);
}

TEST_CASE("can_text: a PDU line above 4095 bytes exits 65") {
  auto [s, far] = bus();
  auto in = input_of(std::string(4096 * 2, 'A') + "\n");
  CanLineOptions o;
  o.input = in.get();
  auto st = exchange_isotp_pdus(s, o, [](std::span<std::byte const>) -> Result<void> { return {}; });
  REQUIRE_FALSE(st.has_value());
  CHECK(st.error().exit == Exit::data);
  CHECK(st.error().message() == "stdin line 1: payload of 4096 bytes: ISO-TP carries 1 to 4095 bytes");
}
