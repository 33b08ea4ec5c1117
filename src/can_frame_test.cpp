// can_frame_test.cpp: can-utils' frame syntax into the kernel's bytes and
// back out through the shared printers (decode.hpp), the strictness cansend
// lacks, candump's columns (expected text captured from candump 2020.11 in
// the kernel lab), and the JSON fields `can dump` and `sniff` share.
#include <cstdio>
#include <cstdlib>
#include <string>

#include <doctest/doctest.h>

#include "sockctl/can.hpp"

using namespace sockctl;

namespace {

std::string hex(CanFrameBytes const& f) {
  std::string s;
  append_hex(s, f.view().data);
  return s;
}

}  // namespace

TEST_CASE("can_frame: valid frames parse to the kernel's fields") {
  struct Row {
    char const* text;
    canid_t can_id;  // with flags
    bool fd;
    uint8_t flags;
    uint8_t len;
    char const* data;
    uint8_t len8_dlc;
  };
  Row const rows[] = {
      {"123#DEADBEEF", 0x123, false, 0, 4, "deadbeef", 0},
      {"123#deadbeef", 0x123, false, 0, 4, "deadbeef", 0},
      {"5A1#11.2233.44556677.88", 0x5A1, false, 0, 8, "1122334455667788", 0},
      {"5AA#", 0x5AA, false, 0, 0, "", 0},
      {"000#", 0x000, false, 0, 0, "", 0},
      {"7FF#00", 0x7FF, false, 0, 1, "00", 0},
      {"1F334455#1122334455667788", 0x1F334455 | CAN_EFF_FLAG, false, 0, 8, "1122334455667788", 0},
      {"00000000#", CAN_EFF_FLAG, false, 0, 0, "", 0},
      {"1FFFFFFF#11", 0x1FFFFFFF | CAN_EFF_FLAG, false, 0, 1, "11", 0},
      {"123#R", 0x123 | CAN_RTR_FLAG, false, 0, 0, "\0", 0},
      {"123#r", 0x123 | CAN_RTR_FLAG, false, 0, 0, "\0", 0},
      {"123#R3", 0x123 | CAN_RTR_FLAG, false, 0, 3, "000000", 0},
      {"00000123#R8", 0x123 | CAN_EFF_FLAG | CAN_RTR_FLAG, false, 0, 8, "0000000000000000", 0},
      {"123#R8_F", 0x123 | CAN_RTR_FLAG, false, 0, 8, "0000000000000000", 15},
      {"123#1122334455667788_9", 0x123, false, 0, 8, "1122334455667788", 9},
      {"123##0", 0x123, true, CANFD_FDF, 0, "", 0},
      {"123##1AABBCC", 0x123, true, CANFD_FDF | CANFD_BRS, 3, "aabbcc", 0},
      {"123##2AA", 0x123, true, CANFD_FDF | CANFD_ESI, 1, "aa", 0},
      {"123##3AA", 0x123, true, CANFD_FDF | CANFD_BRS | CANFD_ESI, 1, "aa", 0},
      {"123##5AA", 0x123, true, CANFD_FDF | CANFD_BRS, 1, "aa", 0},
      {"1FFFFFFF##1112233445566778899AABBCC", 0x1FFFFFFF | CAN_EFF_FLAG, true, CANFD_FDF | CANFD_BRS, 12,
       "112233445566778899aabbcc", 0},
      {"20000080#0000000000000000", CAN_ERR_FLAG | 0x80, false, 0, 8, "0000000000000000", 0},
      {"3FFFFFFF#0011223344556677", CAN_ERR_FLAG | CAN_ERR_MASK, false, 0, 8, "0011223344556677", 0},
  };
  for (auto const& r : rows) {
    CAPTURE(r.text);
    auto f = parse_can_frame(r.text);
    REQUIRE(f);
    CHECK(f->k.can_id == r.can_id);
    CHECK(f->fd == r.fd);
    CHECK(f->k.flags == r.flags);
    CHECK(f->k.len == r.len);
    if (!(f->k.can_id & CAN_RTR_FLAG)) CHECK(hex(*f) == r.data);
    CHECK(f->k.__res1 == r.len8_dlc);
    CHECK(f->bytes().size() == (r.fd ? CANFD_MTU : CAN_MTU));
  }
}

TEST_CASE("can_frame: every valid CAN FD length parses, and no other") {
  for (size_t n = 0; n <= 65; ++n) {
    CAPTURE(n);
    std::string text = "123##0" + std::string(2 * n, 'A');
    bool valid = n <= 8 || n == 12 || n == 16 || n == 20 || n == 24 || n == 32 || n == 48 || n == 64;
    CHECK(can_fd_length_valid(n) == valid);
    auto f = parse_can_frame(text);
    CHECK(bool(f) == valid);
    if (f) CHECK(f->k.len == n);
    if (!f) CHECK(f.error().exit == Exit::data);
  }
  for (unsigned dlc = 0; dlc < 16; ++dlc) CHECK(can_fd_length_valid(can_fd_dlc_to_len(dlc)));
}

TEST_CASE("can_frame: malformed frames exit 65 and say why") {
  struct Row {
    char const* text;
    char const* why;
  };
  Row const rows[] = {
      {"", "expected ID#DATA"},
      {"123", "missing '#'"},
      {"#11", "missing id"},
      {"1234#00", "11-bit id above 0x7FF needs the 8-digit form"},
      {"800#00", "11-bit id above 0x7FF needs the 8-digit form"},
      {"FFF#00", "11-bit id above 0x7FF needs the 8-digit form"},
      {"12#00", "needs 3 hex digits (11-bit) or 8 (29-bit)"},
      {"0123#00", "needs 3 hex digits"},
      {"123456789#00", "more than 8 hex digits"},
      {"40000000#", "29-bit id '40000000' above 0x1FFFFFFF"},
      {"80000123#", "above 0x1FFFFFFF"},
      {"12G#00", "is not hex: 'G'"},
      {"123#112233445566778899", "9 data bytes: a classic frame carries at most 8"},
      {"123#ABC", "odd number of hex digits (3)"},
      {"123#A", "odd number of hex digits (1)"},
      {"123#XY", "'X' is not a hex digit"},
      {"123#11 22", "byte 0x20 is not a hex digit"},
      {"123#.11", "'.' may only separate two data bytes"},
      {"123#11.", "'.' may only separate"},
      {"123#11..22", "'.' may only separate"},
      {"123#1.1", "'.' may only separate"},
      {"123#R9", "remote request length '9' must be one digit 0 to 8"},
      {"123#R11", "remote request length '11'"},
      {"123#R3_9", "DLC '_9' needs 8 data bytes, not 3"},
      {"123#11_9", "needs 8 data bytes, not 1"},
      {"123#1122334455667788_8", "DLC '_8' must be one hex digit 9 to F"},
      {"123#1122334455667788_", "DLC '_' must be"},
      {"123##", "needs a flags digit after '##'"},
      {"123##G11", "flags 'G' are not a hex digit"},
      {"123##R", "flags 'R' are not a hex digit"},
      {"123##8", "the known bits are 1 (BRS), 2 (ESI) and 4 (FDF)"},
      {"123##0112233445566778899", "CAN FD cannot carry 9 bytes"},
      {"123##0" "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000" "00",
       "65 data bytes: a CAN FD frame carries at most 64"},
      {"20000080#00", "an error frame carries 8 data bytes (CAN_ERR_DLC), not 1"},
      {"20000080#R", "an error frame cannot be a remote request"},
      {"20000080##000", "an error frame is a classic frame, not CAN FD"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.text);
    auto f = parse_can_frame(r.text);
    REQUIRE_FALSE(f);
    CHECK(f.error().exit == Exit::data);
    CHECK(f.error().what == std::string("frame '") + r.text + "'");
    CHECK(f.error().why.find(r.why) != std::string::npos);
  }
}

TEST_CASE("can_frame: format is parse's inverse, in candump -L's spelling") {
  struct Row {
    char const* in;
    char const* out;
  };
  Row const rows[] = {
      {"123#DEADBEEF", "123#DEADBEEF"},
      {"123#deadbeef", "123#DEADBEEF"},
      {"5A1#11.2233.44556677.88", "5A1#1122334455667788"},
      {"5AA#", "5AA#"},
      {"1f334455#11", "1F334455#11"},
      {"00000000#", "00000000#"},
      {"123#R", "123#R"},
      {"123#R0", "123#R"},
      {"123#R3", "123#R3"},
      {"00000123#r8_e", "00000123#R8_E"},
      {"123#1122334455667788_9", "123#1122334455667788_9"},
      {"123##0", "123##0"},
      {"123##1AABB", "123##1AABB"},
      {"123##5AABB", "123##1AABB"},
      {"123##7AABB", "123##3AABB"},
      {"20000080#0000000000000000", "20000080#0000000000000000"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.in);
    auto f = parse_can_frame(r.in);
    REQUIRE(f);
    CHECK(format_can_frame(*f) == r.out);
    auto again = parse_can_frame(format_can_frame(*f));
    REQUIRE(again);
    CHECK(format_can_frame(*again) == r.out);
  }
}

TEST_CASE("can_frame: candump's columns, byte for byte") {
  // From candump 2020.11 on vcan0/vcan1 in the kernel lab; the trailing
  // space after an empty frame's length is candump's too.
  struct Row {
    char const* frame;
    bool indent;
    char const* printed;
  };
  Row const rows[] = {
      {"123#DEADBEEF", false, "123   [4]  DE AD BE EF"},
      {"7FF#", false, "7FF   [0] "},
      {"000#R", false, "000   [0]  remote request"},
      {"123#R3", false, "123   [3]  remote request"},
      {"1FFFFFFF#1122", false, "1FFFFFFF   [2]  11 22"},
      {"00000001#R", true, "00000001   [0]  remote request"},
      {"123#1122334455667788", true, "     123   [8]  11 22 33 44 55 66 77 88"},
      {"123##0", true, "     123  [00] "},
      {"123##1AABB", true, "     123  [02]  AA BB"},
      {"1FFFFFFF##1112233445566778899AABBCC", true, "1FFFFFFF  [12]  11 22 33 44 55 66 77 88 99 AA BB CC"},
      {"20000004#0011223344556677", true, "20000004   [8]  00 11 22 33 44 55 66 77   ERRORFRAME"},
      {"20000080#0000000000000000", false, "20000080   [8]  00 00 00 00 00 00 00 00   ERRORFRAME"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.frame);
    auto f = parse_can_frame(r.frame);
    REQUIRE(f);
    std::string s;
    append_can_candump(s, f->view(), r.indent);
    CHECK(s == r.printed);
  }
}

TEST_CASE("can_frame: JSON fields name every flag") {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* mem = open_memstream(&buf, &len);
  {
    Output out(Format::json, mem, stderr);
    for (char const* text : {"123#DEADBEEF", "1FFFFFFF##3AABB", "00000123#R2", "20000080#0000000000000000"}) {
      auto f = parse_can_frame(text);
      REQUIRE(f);
      std::string fields;
      append_can_json_fields(fields, f->view());
      REQUIRE(out.event("frame").json_fields(fields).emit());
    }
  }
  std::fclose(mem);
  std::string text(buf, len);
  std::free(buf);
  CHECK(text ==
        R"({"event":"frame","id":291,"extended":false,"rtr":false,"fd":false,"brs":false,"esi":false,"error":false,"len":4,"data":"deadbeef"})" "\n"
        R"({"event":"frame","id":536870911,"extended":true,"rtr":false,"fd":true,"brs":true,"esi":true,"error":false,"len":2,"data":"aabb"})" "\n"
        R"({"event":"frame","id":291,"extended":true,"rtr":true,"fd":false,"brs":false,"esi":false,"error":false,"len":2,"data":""})" "\n"
        R"({"event":"frame","id":128,"extended":false,"rtr":false,"fd":false,"brs":false,"esi":false,"error":true,"len":8,"data":"0000000000000000"})" "\n");
}
