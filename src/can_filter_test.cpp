// can_filter_test.cpp: candump's "IFACE[,FILTER...]" gives the can_filter
// structs, error mask and join flag candump itself would set, and rejects
// what candump's sscanf would let through.
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "sockctl/can.hpp"

using namespace sockctl;

TEST_CASE("can_filter: sources parse as candump reads them") {
  struct Row {
    char const* text;
    char const* interface;
    std::vector<can_filter> filters;
    can_err_mask_t err_mask;
    bool join;
  };
  Row const rows[] = {
      {"vcan0", "vcan0", {}, 0, false},
      {"any", "any", {}, 0, false},
      {"can0,123:7FF", "can0", {{0x123, 0x7FF}}, 0, false},
      {"can0,123:7ff,400:700", "can0", {{0x123, 0x7FF}, {0x400, 0x700}}, 0, false},
      {"can0,400~7F0", "can0", {{0x400 | CAN_INV_FILTER, 0x7F0}}, 0, false},
      {"vcan2,12345678:DFFFFFFF", "vcan2", {{0x12345678 | CAN_EFF_FLAG, 0xDFFFFFFF}}, 0, false},
      {"vcan2,123:C00007FF", "vcan2", {{0x123, 0xC00007FF}}, 0, false},
      // The error flag is cleared from masks: the kernel takes error frames only by the error mask.
      {"vcan2,0:FFFFFFFF", "vcan2", {{0, 0xDFFFFFFF}}, 0, false},
      {"vcan2,00000000:0", "vcan2", {{CAN_EFF_FLAG, 0}}, 0, false},
      {"any,0~0,#FFFFFFFF", "any", {{CAN_INV_FILTER, 0}}, CAN_ERR_MASK, false},
      {"can0,#000000FF", "can0", {}, 0xFF, false},
      {"can0,100:700,j,101:7FF", "can0", {{0x100, 0x700}, {0x101, 0x7FF}}, 0, true},
      {"can0,J", "can0", {}, 0, true},
      {"can0,C0000123:C00007FF", "can0", {{0xC0000123, 0xC00007FF}}, 0, false},
  };
  for (auto const& r : rows) {
    CAPTURE(r.text);
    auto s = parse_can_source(r.text);
    REQUIRE(s);
    CHECK(s->interface == r.interface);
    REQUIRE(s->filters.filters.size() == r.filters.size());
    for (size_t i = 0; i < r.filters.size(); ++i) {
      CHECK(s->filters.filters[i].can_id == r.filters[i].can_id);
      CHECK(s->filters.filters[i].can_mask == r.filters[i].can_mask);
    }
    CHECK(s->filters.err_mask == r.err_mask);
    CHECK(s->filters.join == r.join);
  }
}

TEST_CASE("can_filter: bad sources exit 64 and name the filter") {
  struct Row {
    char const* text;
    char const* what;
    char const* why;
  };
  Row const rows[] = {
      {"", "bad interface ''", "1 to 15 characters"},
      {",123:7FF", "bad interface ''", "or 'any'"},
      {"averyveryverylongname", "bad interface", "1 to 15"},
      {"vcan0,", "bad filter ''", "empty filter"},
      {"vcan0,,123:7FF", "bad filter ''", "empty filter"},
      {"vcan0,123", "bad filter '123'", "expected ID:MASK, ID~MASK, #ERRMASK or j"},
      {"vcan0,123:7FFzz", "bad filter '123:7FFzz'", "mask '7FFzz' must be 1 to 8 hex digits"},
      {"vcan0,FFF:7FF", "bad filter 'FFF:7FF'", "11-bit id above 0x7FF needs the 8-digit form"},
      {"vcan0,0x123:7FF", "bad filter", "id '0x123' must be 1 to 8 hex digits"},
      {"vcan0,:7FF", "bad filter", "id '' must be"},
      {"vcan0,123:", "bad filter", "mask '' must be"},
      {"vcan0,123456789:0", "bad filter", "id '123456789' must be 1 to 8"},
      {"vcan0,20000123:0", "bad filter", "error flag"},
      {"vcan0,#", "bad filter '#'", "1 to 8 hex digits"},
      {"vcan0,#FF,#1", "bad filter '#1'", "a second error mask"},
      {"vcan0,k", "bad filter 'k'", "expected ID:MASK"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.text);
    auto s = parse_can_source(r.text);
    REQUIRE_FALSE(s);
    CHECK(s.error().exit == Exit::usage);
    CHECK(s.error().what.find(r.what) != std::string::npos);
    CHECK(s.error().what.find(std::string("'") + r.text + "'") != std::string::npos);
    CHECK(s.error().why.find(r.why) != std::string::npos);
  }
}
