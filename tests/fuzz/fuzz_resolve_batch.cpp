// fuzz_resolve_batch.cpp: `resolve --batch` input (a file or pipe anyone may
// write) on hostile bytes. resolve_batch must answer exactly the lines a
// plain split finds (over 4096 bytes: an error; blank or '#': none; else one
// answer with its line number), in order unless unordered, and give the same
// answers whether the input comes in one read or in small pieces. Hosts are
// resolved with AI_NUMERICHOST|AI_NUMERICSERV, so nothing leaves glibc.
// See: tests/fuzz/README.md, src/resolve_test.cpp for the same properties as tables.
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "sockctl/resolve.hpp"

using namespace sockctl;

namespace {

constexpr size_t kMaxLine = 4096;

[[noreturn]] void fail(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "fuzz_resolve_batch: %.*s\n  %.*s\n", int(what.size()), what.data(), int(detail.size()),
               detail.data());
  std::abort();
}

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// The line numbers a batch of text must answer, by a plain split.
std::vector<size_t> expected_lines(std::string_view text) {
  std::vector<size_t> lines;
  size_t no = 0;
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++no;
    auto first = std::find_if_not(line.begin(), line.end(), blank);
    if (line.size() > kMaxLine || (first != line.end() && *first != '#')) lines.push_back(no);
  }
  return lines;
}

// One answer reduced to what must not depend on how the input was read.
struct Seen {
  size_t line;
  std::string text, error;
  size_t results;
  bool operator==(Seen const&) const = default;
};

// Runs the batch over a socketpair fed in pieces of `chunk` bytes (0: all at once).
std::vector<Seen> run(std::string const& text, size_t chunk, BatchOptions const& opts) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) fail("socketpair", "");
  std::thread writer([&, fd = fds[1]] {
    size_t off = 0;
    while (off < text.size()) {
      size_t len = chunk ? std::min(chunk, text.size() - off) : text.size() - off;
      auto n = send(fd, text.data() + off, len, MSG_NOSIGNAL);
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    close(fd);
  });
  std::vector<Seen> seen;
  auto r = resolve_batch(fds[0], "fuzz input", opts, [&](BatchAnswer&& a) -> Result<void> {
    if (a.results) {
      seen.push_back({a.query.line, a.query.text, "", a.results->size()});
    } else {
      if (a.results.error().exit == Exit::ok) fail("a failed line has exit 0", a.query.text);
      seen.push_back({a.query.line, a.query.text, a.results.error().message(), 0});
    }
    return {};
  });
  close(fds[0]);
  writer.join();
  if (!r) fail("the batch failed", r.error().message());
  return seen;
}

std::vector<size_t> lines_of(std::vector<Seen> const& seen) {
  std::vector<size_t> lines;
  for (auto const& s : seen) lines.push_back(s.line);
  return lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(uint8_t const* data, size_t size) {
  if (size < 2) return 0;
  // Byte 0: concurrency and order; byte 1: the size of the pieces.
  BatchOptions opts;
  opts.hints.flags = AI_NUMERICHOST | AI_NUMERICSERV;
  opts.concurrency = 1 + (data[0] & 7);
  opts.ordered = !(data[0] & 8);
  size_t chunk = 1 + data[1];
  std::string text(reinterpret_cast<char const*>(data + 2), size - 2);

  auto want = expected_lines(text);
  auto whole = run(text, 0, opts);
  auto pieces = run(text, chunk, opts);
  if (!opts.ordered) {
    auto by_line = [](Seen const& a, Seen const& b) { return a.line < b.line; };
    std::sort(whole.begin(), whole.end(), by_line);
    std::sort(pieces.begin(), pieces.end(), by_line);
  }
  if (lines_of(whole) != want) fail("answered lines differ from a plain split", text.substr(0, 200));
  if (whole != pieces) fail("answers depend on how the input was read", text.substr(0, 200));
  return 0;
}
