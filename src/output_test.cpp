// output_test.cpp: the emitter writes one form only, escapes JSON, and turns
// write failures into exit 74.
#include <cstdio>
#include <string>

#include <doctest/doctest.h>

#include "sockctl/output.hpp"

using namespace sockctl;

namespace {

// Captures what an Output writes, through a memory stream.
struct Capture {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* f = open_memstream(&buf, &len);
  ~Capture() {
    std::fclose(f);
    std::free(buf);
  }
  std::string text() {
    std::fflush(f);
    return std::string(buf, len);
  }
};

}  // namespace

TEST_CASE("output: one event serves human text and JSON") {
  for (auto format : {Format::human, Format::json}) {
    Capture out, err;
    Output o(format, out.f, err.f);
    REQUIRE(o.event("frame")
                .field("interface", std::string("vcan0"), "{:>6}  ")
                .field("can_id", 0x123u, "{:03X}")
                .text("   ")
                .field("len", 4, "[{}]")
                .json_only("extended", false)
                .emit());
    if (format == Format::human)
      CHECK(out.text() == " vcan0  123   [4]\n");
    else
      CHECK(out.text() == R"({"event":"frame","interface":"vcan0","can_id":291,"len":4,"extended":false})" "\n");
  }
}

TEST_CASE("output: JSON strings are escaped") {
  std::string s;
  append_json_string(s, "a\"b\\c\n\x01");
  CHECK(s == R"("a\"b\\c\n\u0001")");
}

TEST_CASE("output: document prints only the form asked for") {
  Capture out, err;
  Output o(Format::json, out.f, err.f);
  bool called = false;
  REQUIRE(o.document({{"a", 1}}, [&] {
    called = true;
    return std::string("human");
  }));
  CHECK_FALSE(called);
  CHECK(out.text() == "{\"a\":1}\n");
}

TEST_CASE("output: fail prints one line, or a JSON error object") {
  Capture out, err;
  Output human(Format::human, out.f, err.f);
  CHECK(human.fail("inet", Error::usage("bad address 'x'", "not IPv4")) == 64);
  CHECK(err.text() == "sockctl: inet: bad address 'x': not IPv4\n");
  Capture out2, err2;
  Output json(Format::json, out2.f, err2.f);
  CHECK(json.fail("inet", Error::sys("connect", 111)) == 1);
  CHECK(err2.text() ==
        R"({"error":{"message":"connect: Connection refused","errno":111,"exit":1,"command":"inet"}})" "\n");
  CHECK(out2.text().empty());
}

TEST_CASE("output: a write to a full device is exit 74") {
  std::FILE* full = std::fopen("/dev/full", "w");
  REQUIRE(full != nullptr);
  Output o(Format::human, full, stderr);
  (void)o.write("hello");
  auto r = o.finish();
  std::fclose(full);
  REQUIRE_FALSE(r);
  CHECK(r.error().exit == Exit::io);
}

TEST_CASE("output: bulk lines are flushed as events are, and a failed write is exit 74") {
  Capture out, err;
  Output json(Format::json, out.f, err.f);
  REQUIRE(json.write_lines("{\"a\":1}\n{\"a\":2}\n"));
  // JSON Lines are flushed with the batch: the memory stream already holds them.
  CHECK(std::string(out.buf, out.len) == "{\"a\":1}\n{\"a\":2}\n");

  std::FILE* full = std::fopen("/dev/full", "w");
  REQUIRE(full != nullptr);
  Output o(Format::json, full, stderr);
  auto r = o.write_lines("x\n");
  std::fclose(full);
  REQUIRE_FALSE(r);
  CHECK(r.error().exit == Exit::io);
}

TEST_CASE("output: json_raw and json_fields write JSON text as is, in JSON only") {
  for (auto format : {Format::human, Format::json}) {
    Capture out, err;
    Output o(format, out.f, err.f);
    REQUIRE(o.event().text("t").json_raw("timestamp", "1700000000.123456789").json_fields(R"("a":1,"b":[2])").emit());
    REQUIRE(o.event("e").json_fields(R"("a":1)").emit());
    CHECK(out.text() == (format == Format::json ? "{\"timestamp\":1700000000.123456789,\"a\":1,\"b\":[2]}\n"
                                                  "{\"event\":\"e\",\"a\":1}\n"
                                                : "t\n\n"));
  }
}
