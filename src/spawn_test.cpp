// spawn_test.cpp: --exec command lines split like a shell without expansion,
// and wait statuses read as people expect.
#include <csignal>
#include <string>
#include <sys/wait.h>
#include <vector>

#include <doctest/doctest.h>

#include "sockctl/spawn.hpp"

using namespace sockctl;

TEST_CASE("spawn: split_command splits words and honours quotes") {
  struct Row {
    char const* text;
    std::vector<std::string> argv;
  } const rows[] = {
      {"cat", {"cat"}},
      {"  cat   -n  ", {"cat", "-n"}},
      {"printf '%s\\n' 'a b'", {"printf", "%s\\n", "a b"}},
      {"echo \"x \\\"y\\\" z\"", {"echo", "x \"y\" z"}},
      {"echo a\\ b", {"echo", "a b"}},
      {"echo ''", {"echo", ""}},
      {"echo $HOME*", {"echo", "$HOME*"}},
      {"a'b'\"c\"d", {"abcd"}},
  };
  for (auto const& r : rows) {
    CAPTURE(r.text);
    auto c = split_command(r.text);
    REQUIRE(c);
    CHECK(c->argv == r.argv);
    CHECK(c->text == r.text);
  }
}

TEST_CASE("spawn: split_command rejects what it cannot split") {
  struct Row {
    char const* text;
    char const* why;
  } const rows[] = {
      {"", "empty command"}, {"   ", "empty command"}, {"echo 'a", "unbalanced '"},
      {"echo \"a", "unbalanced \""}, {"echo a\\", "trailing backslash"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.text);
    auto c = split_command(r.text);
    REQUIRE_FALSE(c);
    CHECK(c.error().exit == Exit::usage);
    CHECK(c.error().why == r.why);
  }
}

TEST_CASE("spawn: shell_command runs /bin/sh -c") {
  auto c = shell_command("echo $$ | wc -c");
  CHECK(c.argv == std::vector<std::string>{"/bin/sh", "-c", "echo $$ | wc -c"});
}

TEST_CASE("spawn: check_command finds programs in PATH and refuses the rest") {
  CHECK(check_command(*split_command("sh -c true")));
  CHECK(check_command(*split_command("/bin/sh")));
  auto missing = check_command(*split_command("sockctl-no-such-program"));
  REQUIRE_FALSE(missing);
  CHECK(missing.error().exit == Exit::unavailable);
  CHECK_FALSE(check_command(*split_command("/etc/passwd")));
}

TEST_CASE("spawn: describe_status names exits and signals") {
  CHECK(describe_status(W_EXITCODE(0, 0)) == "exited with status 0");
  CHECK(describe_status(W_EXITCODE(3, 0)) == "exited with status 3");
  CHECK(describe_status(SIGKILL).starts_with("killed by signal 9"));
}
