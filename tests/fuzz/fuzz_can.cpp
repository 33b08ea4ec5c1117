// fuzz_can.cpp: can-utils' text forms and the kernel's frame bytes on hostile
// input. Byte 0 picks the parser for the rest: a frame (cansend syntax), a
// candump source with filters, a log line, raw frame bytes for the
// decoder and its printers, or an ISO-TP hex line (connect can-isotp:). Refusals must carry the documented exit code; an
// accepted frame or log line must print as text that parses back to the same.
// See: tests/fuzz/README.md, src/can_frame_test.cpp, src/can_log_test.cpp.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sockctl/can.hpp"

using namespace sockctl;

namespace {

[[noreturn]] void fail(std::string_view what, std::string_view a, std::string_view b) {
  std::fprintf(stderr, "fuzz_can: %.*s\n  %.*s\n  %.*s\n", int(what.size()), what.data(), int(a.size()), a.data(),
               int(b.size()), b.data());
  std::abort();
}

void frame(std::string_view text) {
  auto f = parse_can_frame(text);
  if (!f) {
    if (f.error().exit != Exit::data) fail("a bad frame is not exit 65", text, f.error().message());
    return;
  }
  std::string printed = format_can_frame(*f);
  auto again = parse_can_frame(printed);
  if (!again) fail("a printed frame does not parse", text, printed);
  if (format_can_frame(*again) != printed) fail("a printed frame prints differently", text, printed);
  std::string out;
  append_can_candump(out, f->view(), true);
  append_can_json(out, f->view());
}

void source(std::string_view text) {
  auto s = parse_can_source(text);
  if (!s && s.error().exit != Exit::usage) fail("a bad source is not exit 64", text, s.error().message());
}

void log_line(std::string_view text) {
  auto r = parse_can_log_line(text);
  if (!r) {
    if (r.error().exit != Exit::data) fail("a bad log line is not exit 65", text, r.error().message());
    return;
  }
  std::string line;
  append_can_log_line(line, r->time, r->interface, r->frame.view());
  line.pop_back();
  auto again = parse_can_log_line(line);
  if (!again) fail("a written log line does not parse", text, line);
  if (format_can_frame(again->frame) != format_can_frame(r->frame) || again->interface != r->interface)
    fail("a written log line reads back differently", text, line);
}

void bytes(std::uint8_t const* data, size_t size) {
  auto f = decode_can_frame(Bytes(data, size), size % 2 ? CanIdOrder::network : CanIdOrder::host);
  if (!f) {
    if (f.error().exit != Exit::data) fail("a bad frame record is not exit 65", "", f.error().message());
    return;
  }
  std::string out;
  append_can_candump(out, *f, false);
  append_can_compact(out, *f);
  append_can_json(out, *f);
}

void isotp_hex(std::string_view text) {
  auto b = parse_isotp_hex(text);
  if (!b) {
    if (b.error().exit != Exit::data) fail("a bad hex payload is not exit 65", text, b.error().message());
    return;
  }
  std::string printed;
  append_isotp_hex(printed, *b);
  auto again = parse_isotp_hex(printed);
  if (!again || *again != *b) fail("a printed hex payload reads back differently", text, printed);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<char const*>(data + 1), size - 1);
  switch (data[0] % 5) {
    case 0: frame(text); break;
    case 1: source(text); break;
    case 2: log_line(text); break;
    case 3: bytes(data + 1, size - 1); break;
    case 4: isotp_hex(text); break;
  }
  return 0;
}
