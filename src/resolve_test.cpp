// resolve_test.cpp: the resolve engine's parsers and the batch resolver's
// ordering, without DNS: numeric hosts with AI_NUMERICHOST never leave glibc.
// The answers of real name services are compared with Python's in
// tests/cli/test_resolve.py, against a private dnsmasq.
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "sockctl/endpoint.hpp"
#include "sockctl/resolve.hpp"

using namespace sockctl;

namespace {

// Writes text into a stream socket from another thread, so a large input
// cannot block; MSG_NOSIGNAL keeps an early close by the reader harmless.
struct PipeInput {
  explicit PipeInput(std::string text) {
    int fds[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
    read_fd = fds[0];
    writer = std::thread([fd = fds[1], text = std::move(text)] {
      size_t off = 0;
      while (off < text.size()) {
        auto n = send(fd, text.data() + off, text.size() - off, MSG_NOSIGNAL);
        if (n <= 0) break;
        off += static_cast<size_t>(n);
      }
      close(fd);
    });
  }
  ~PipeInput() {
    close(read_fd);
    writer.join();
  }
  int read_fd;
  std::thread writer;
};

std::vector<BatchAnswer> run_batch(std::string text, BatchOptions opts) {
  PipeInput in(std::move(text));
  std::vector<BatchAnswer> answers;
  auto r = resolve_batch(in.read_fd, "test input", opts, [&](BatchAnswer&& a) -> Result<void> {
    answers.push_back(std::move(a));
    return {};
  });
  REQUIRE(r);
  return answers;
}

BatchOptions numeric(unsigned concurrency, bool ordered) {
  BatchOptions o;
  o.hints.flags = AI_NUMERICHOST | AI_NUMERICSERV;
  o.hints.type = SOCK_STREAM;
  o.concurrency = concurrency;
  o.ordered = ordered;
  return o;
}

std::string host_of(AddrInfo const& r) { return address_json(r.sockaddr, *find_scheme("tcp"))["host"]; }

}  // namespace

TEST_CASE("resolve: host names are checked before the resolver sees them") {
  struct Row {
    std::string host;
    bool ok;
    char const* fragment;
  };
  std::string const labels63 = std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(63, 'c') + ".";
  Row const rows[] = {
      {"localhost", true, ""},
      {"example.com.", true, ""},
      {"127.0.0.1", true, ""},
      {"::1", true, ""},
      {"fe80::1%lo", true, ""},
      {"", false, "empty host name"},
      {std::string(63, 'a') + ".com", true, ""},
      {std::string(64, 'a') + ".com", false, "label of 64 characters"},
      {labels63 + std::string(61, 'd'), true, ""},
      {labels63 + std::string(62, 'd'), false, "254 characters"},
      {"a..b", false, "empty label"},
      {"bad name", false, "' '"},
  };
  for (auto const& row : rows) {
    CAPTURE(row.host);
    auto r = check_host_name(row.host);
    CHECK(bool(r) == row.ok);
    if (!r) {
      CHECK(r.error().exit == Exit::usage);
      CHECK(r.error().what.find("'" + row.host + "'") != std::string::npos);
      CHECK(r.error().why.find(row.fragment) != std::string::npos);
    }
  }
}

TEST_CASE("resolve: AI_ and NI_ flags by name, case and prefix optional") {
  struct Row {
    char const* text;
    bool ai;
    int value;  // -1: must fail with 64
  };
  Row const rows[] = {
      {"AI_CANONNAME", true, AI_CANONNAME},
      {"AI_CANONNAME,AI_ADDRCONFIG", true, AI_CANONNAME | AI_ADDRCONFIG},
      {"canonname|passive", true, AI_CANONNAME | AI_PASSIVE},
      {" AI_V4MAPPED , AI_ALL ", true, AI_V4MAPPED | AI_ALL},
      {"AI_NUMERICHOST,AI_NUMERICSERV,AI_IDN", true, AI_NUMERICHOST | AI_NUMERICSERV | AI_IDN},
      {"0x400", true, 0x400},
      {"AI_FOO", true, -1},
      {"NI_DGRAM", true, -1},
      {"AI_CANONNAME,", true, -1},
      {"", true, -1},
      {"NI_NAMEREQD,NI_NUMERICSERV", false, NI_NAMEREQD | NI_NUMERICSERV},
      {"nofqdn|dgram", false, NI_NOFQDN | NI_DGRAM},
      {"NI_NUMERICHOST,NI_IDN", false, NI_NUMERICHOST | NI_IDN},
      {"AI_PASSIVE", false, -1},
  };
  for (auto const& row : rows) {
    CAPTURE(row.text);
    auto r = row.ai ? parse_ai_flags(row.text) : parse_ni_flags(row.text);
    if (row.value < 0) {
      REQUIRE_FALSE(r);
      CHECK(r.error().exit == Exit::usage);
    } else {
      REQUIRE(r);
      CHECK(*r == row.value);
    }
  }
  auto wrong = parse_ai_flags("AI_CANONAME");
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().why.find("did you mean 'AI_CANONNAME'?") != std::string::npos);
}

TEST_CASE("resolve: reverse addresses are numeric ADDR[:PORT] in the endpoint grammar") {
  struct Row {
    char const* text;
    char const* endpoint;  // nullptr: must fail with 64
  };
  Row const rows[] = {
      {"127.0.0.1", "tcp:127.0.0.1:0"},
      {"127.0.0.1:80", "tcp:127.0.0.1:80"},
      {"::1", "tcp:[::1]:0"},
      {"[::1]", "tcp:[::1]:0"},
      {"[2001:db8::1]:443", "tcp:[2001:db8::1]:443"},
      {"fe80::1%1", "tcp:[fe80::1%lo]:0"},
      {"", nullptr},
      {"1.2.3", nullptr},
      {"localhost", nullptr},
      {"127.0.0.1:http", nullptr},
      {"127.0.0.1:70000", nullptr},
      {"[::1", nullptr},
      {"::1:80:x", nullptr},
  };
  for (auto const& row : rows) {
    CAPTURE(row.text);
    auto r = parse_numeric_address(row.text);
    if (!row.endpoint) {
      REQUIRE_FALSE(r);
      CHECK(r.error().exit == Exit::usage);
      CHECK(r.error().what == fmt::format("bad address '{}'", row.text));
    } else {
      REQUIRE(r);
      CHECK(format_endpoint(*r, *find_scheme("tcp")) == row.endpoint);
    }
  }
}

TEST_CASE("resolve: batch lines are HOST or HOST SERVICE") {
  struct Row {
    char const* text;
    char const* host;  // nullptr: malformed
    char const* service;
  };
  Row const rows[] = {
      {"example.com", "example.com", ""},
      {"  example.com\t http ", "example.com", "http"},
      {"example.com 80\r", "example.com", "80"},
      {"a b c", nullptr, nullptr},
  };
  for (auto const& row : rows) {
    CAPTURE(row.text);
    auto q = parse_batch_line(row.text, 7);
    if (!row.host) {
      REQUIRE_FALSE(q);
      CHECK(q.error().exit == Exit::usage);
      continue;
    }
    REQUIRE(q);
    CHECK(q->host == row.host);
    CHECK(q->service == row.service);
    CHECK(q->line == 7);
  }
}

TEST_CASE("resolve: numeric getaddrinfo keeps Python's five fields") {
  AddrInfoHints hints;
  hints.flags = AI_NUMERICHOST;
  hints.type = SOCK_DGRAM;
  auto r = get_addr_info("::1", "53", hints);
  REQUIRE(r);
  REQUIRE(r->size() == 1);
  CHECK(r->front().family == AF_INET6);
  CHECK(r->front().type == SOCK_DGRAM);
  CHECK(r->front().protocol == IPPROTO_UDP);
  CHECK(r->front().canonname.empty());
  CHECK(format_endpoint(r->front().sockaddr, *find_scheme("udp")) == "udp:[::1]:53");

  auto bad = get_addr_info("not-numeric.example", "", hints);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().exit == Exit::no_host);
  CHECK(bad.error().what == "getaddrinfo 'not-numeric.example'");
  CHECK(bad.error().why == gai_strerror(EAI_NONAME));

  hints.flags = AI_NUMERICSERV;
  auto svc = get_addr_info("127.0.0.1", "http", hints);
  REQUIRE_FALSE(svc);
  CHECK(svc.error().exit == Exit::no_host);
  CHECK(svc.error().what == "getaddrinfo '127.0.0.1' service 'http'");

  hints = {};
  hints.flags = 0x7000000;
  auto flags = get_addr_info("127.0.0.1", "", hints);
  REQUIRE_FALSE(flags);
  CHECK(flags.error().exit == Exit::usage);
}

TEST_CASE("resolve: a batch answers every line once, in input order") {
  std::string text = "# a comment\n\n";
  size_t const n = 2000;
  for (size_t i = 0; i < n; ++i) {
    if (i % 100 == 7) {
      text += fmt::format("not-numeric-{}.example\n", i);
    } else if (i % 100 == 8) {
      text += "too many words\n";
    } else {
      text += fmt::format("10.{}.{}.{} {}\n", i >> 16, (i >> 8) & 255, i & 255, i % 65536);
    }
  }
  for (unsigned concurrency : {1u, 4u, 64u}) {
    CAPTURE(concurrency);
    auto answers = run_batch(text, numeric(concurrency, true));
    REQUIRE(answers.size() == n);
    for (size_t i = 0; i < n; ++i) {
      auto const& a = answers[i];
      CHECK(a.query.line == i + 3);
      if (i % 100 == 7) {
        REQUIRE_FALSE(a.results);
        CHECK(a.results.error().exit == Exit::no_host);
      } else if (i % 100 == 8) {
        REQUIRE_FALSE(a.results);
        CHECK(a.results.error().exit == Exit::usage);
      } else {
        REQUIRE(a.results);
        REQUIRE(a.results->size() == 1);
        CHECK(host_of(a.results->front()) == fmt::format("10.{}.{}.{}", i >> 16, (i >> 8) & 255, i & 255));
      }
    }
  }
}

TEST_CASE("resolve: an unordered batch still answers every line exactly once") {
  std::string text;
  size_t const n = 3000;
  for (size_t i = 0; i < n; ++i) text += fmt::format("10.0.{}.{}\n", i >> 8, i & 255);
  text.pop_back();  // the last line has no newline and still counts
  auto answers = run_batch(text, numeric(16, false));
  REQUIRE(answers.size() == n);
  std::vector<int> seen(n);
  for (auto const& a : answers) {
    REQUIRE(a.query.line >= 1);
    REQUIRE(a.query.line <= n);
    ++seen[a.query.line - 1];
  }
  CHECK(std::count(seen.begin(), seen.end(), 1) == static_cast<long>(n));
}

TEST_CASE("resolve: an over-long batch line is one error, the rest goes on") {
  // Longer than one read (the reader sees it without its newline) or not;
  // a comment or blanks are no exception: the length is checked first.
  std::string const long_lines[] = {std::string(200000, 'x'), std::string(4097, 'x'), "#" + std::string(5000, 'x'),
                                    std::string(70000, ' '), "10.0.0.1 " + std::string(4088, '1')};
  for (auto const& line : long_lines) {
    CAPTURE(line.size());
    std::string text = "127.0.0.1\n" + line + "\n127.0.0.2\n";
    auto answers = run_batch(text, numeric(4, true));
    REQUIRE(answers.size() == 3);
    CHECK(answers[0].results);
    REQUIRE_FALSE(answers[1].results);
    CHECK(answers[1].results.error().exit == Exit::usage);
    CHECK(answers[1].results.error().why == "longer than 4096 bytes");
    CHECK(answers[1].query.line == 2);
    CHECK(answers[1].query.text == line.substr(0, 64) + "...");
    REQUIRE(answers[2].results);
    CHECK(answers[2].query.line == 3);
    CHECK(host_of(answers[2].results->front()) == "127.0.0.2");
  }
  std::string at_limit = "10.0.0.1 " + std::string(4087, '1');
  auto answers = run_batch(at_limit + "\n", numeric(1, true));
  REQUIRE(answers.size() == 1);
  CHECK(answers[0].results.error().why != "longer than 4096 bytes");
}

TEST_CASE("resolve: a failing sink stops the batch with its error") {
  std::string text;
  for (int i = 0; i < 500; ++i) text += "127.0.0.1\n";
  PipeInput in(text);
  int calls = 0;
  auto r = resolve_batch(in.read_fd, "test input", numeric(8, true), [&](BatchAnswer&&) -> Result<void> {
    if (++calls == 3) return Error::make(Exit::io, "write to stdout", "Broken pipe");
    return {};
  });
  REQUIRE_FALSE(r);
  CHECK(r.error().exit == Exit::io);
  CHECK(calls == 3);
}
