// fdexec_test.cpp: descriptors land where asked even when sources sit on
// target numbers, nothing else leaks into the child, the systemd variables
// name the child's own pid, and exec failures come back as errors.
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <fcntl.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "sockctl/fd.hpp"
#include "sockctl/fdexec.hpp"

using namespace sockctl;

namespace {

struct Pipe {
  Fd r, w;
  Pipe() {
    int p[2];
    REQUIRE(::pipe2(p, O_CLOEXEC) == 0);
    r.reset(p[0]);
    w.reset(p[1]);
  }
};

std::string drain(int fd) {
  std::string out;
  char buf[256];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

// The exit code of a shell script run with nothing installed.
int run_script(std::string const& script) {
  auto pid = exec_with_fds({{"sh", "-c", script}, {}, 0});
  REQUIRE(pid);
  auto status = wait_child(*pid);
  REQUIRE(status);
  return exit_code(*status);
}

// The descriptors of a child running sleep(1), read from /proc once it has
// finished loading and sleeps (state S), sorted as text.
std::vector<std::string> fds_of_sleeper(pid_t pid) {
  for (int i = 0; i < 500; ++i) {
    std::ifstream stat(fmt::format("/proc/{}/stat", pid));
    std::string line;
    std::getline(stat, line);
    auto paren = line.rfind(')');
    if (paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'S') break;
    ::usleep(10'000);
  }
  std::vector<std::string> names;
  for (auto const& e : std::filesystem::directory_iterator(fmt::format("/proc/{}/fd", pid)))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("fdexec: exit codes follow the shell's convention") {
  struct Row {
    char const* script;
    int code;
  } const rows[] = {{"exit 0", 0}, {"exit 3", 3}, {"kill -9 $$", 128 + 9}, {"kill -15 $$", 128 + 15}};
  for (auto const& r : rows) {
    CAPTURE(r.script);
    CHECK(run_script(r.script) == r.code);
  }
}

TEST_CASE("fdexec: programs are found in PATH, or reported missing with exit 69") {
  auto sh = find_program("sh");
  REQUIRE(sh);
  CHECK(sh->ends_with("/sh"));
  CHECK(find_program("/no/such/dir/x").value() == "/no/such/dir/x");
  auto missing = find_program("sockctl-no-such-program");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().exit == Exit::unavailable);
  CHECK(missing.error().message() == "command 'sockctl-no-such-program': not found in PATH");
}

TEST_CASE("fdexec: exec failures come back with the child's errno") {
  struct Row {
    char const* program;
    Exit exit;
  } const rows[] = {{"/no/such/dir/x", Exit::unavailable}, {"/etc/passwd", Exit::no_perm}};
  for (auto const& r : rows) {
    CAPTURE(r.program);
    auto pid = exec_with_fds({{r.program}, {}, 0});
    REQUIRE_FALSE(pid);
    CHECK(pid.error().exit == r.exit);
    CHECK(pid.error().what == fmt::format("exec '{}'", r.program));
  }
}

TEST_CASE("fdexec: LISTEN_FDNAMES names are checked like systemd's") {
  struct Row {
    std::string name;
    bool ok;
  } const rows[] = {{"web", true},   {"a.b-c_d", true}, {"", false},
                    {"a:b", false},  {"a b", false},    {std::string(255, 'x'), true},
                    {std::string(256, 'x'), false},     {"\x7f", false}};
  for (auto const& r : rows) {
    CAPTURE(r.name);
    CHECK(valid_fdname(r.name) == r.ok);
  }
}

TEST_CASE("fdexec: descriptors swap places without clobbering each other") {
  // Sources on each other's targets: the pipe at n+1 must end up at n and back.
  int n = 64;
  while (::fcntl(n, F_GETFD) >= 0 || ::fcntl(n + 1, F_GETFD) >= 0) ++n;
  Pipe a, b;
  REQUIRE(::dup3(a.w.get(), n, O_CLOEXEC) == n);
  REQUIRE(::dup3(b.w.get(), n + 1, O_CLOEXEC) == n + 1);
  Fd at_n(n), at_next(n + 1);
  a.w.reset();
  b.w.reset();
  // dash's redirections take one digit, so python writes the two lines.
  auto script = fmt::format("import os; os.write({0}, b'first\\n'); os.write({1}, b'second\\n')", n, n + 1);
  auto pid = exec_with_fds({{"python3", "-c", script}, {n + 1, n}, n});
  REQUIRE(pid);
  at_n.reset();
  at_next.reset();
  REQUIRE(wait_child(*pid));
  CHECK(drain(b.r.get()) == "first\n");
  CHECK(drain(a.r.get()) == "second\n");
}

TEST_CASE("fdexec: only stdio and the installed descriptors reach the child") {
  Pipe out;
  // A descriptor without O_CLOEXEC, as sockctl might have inherited one.
  int leaky = ::dup(out.w.get());
  REQUIRE(leaky > 2);
  Fd leak(leaky);
  struct Row {
    int first_fd;
    std::vector<std::string> want;
  } const rows[] = {
      {3, {"0", "1", "2", "3", "4"}}, {5, {"0", "1", "2", "5", "6"}}, {0, {"0", "1", "2"}}, {1, {"0", "1", "2"}}, {2, {"0", "1", "2", "3"}}};
  for (auto const& r : rows) {
    CAPTURE(r.first_fd);
    Pipe a, b;
    auto pid = exec_with_fds({{"sleep", "30"}, {a.w.get(), b.w.get()}, r.first_fd});
    REQUIRE(pid);
    CHECK(fds_of_sleeper(*pid) == r.want);
    ::kill(*pid, SIGKILL);
    REQUIRE(wait_child(*pid));
  }
}

TEST_CASE("fdexec: systemd announcement names the child's pid and every descriptor") {
  Pipe a, b;
  std::string script = "echo \"$LISTEN_FDS $LISTEN_FDNAMES $LISTEN_PID $$\" >&4";
  auto pid = exec_with_fds({{"sh", "-c", script}, {a.w.get(), b.w.get()}, kListenFdsStart, true, {"web"}});
  REQUIRE(pid);
  a.w.reset();
  b.w.reset();
  REQUIRE(wait_child(*pid));
  CHECK(drain(b.r.get()) == fmt::format("2 web:unknown {0} {0}\n", *pid));
  CHECK(drain(a.r.get()).empty());

  auto wrong = exec_with_fds({{"true"}, {}, 0, true});
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().exit == Exit::usage);
}

TEST_CASE("fdexec: SIGPIPE is back to its default in the child") {
  ::signal(SIGPIPE, SIG_IGN);
  Pipe p;
  p.r.reset();
  // Ignored, the writes would fail with EPIPE and the script exit 7.
  auto pid = exec_with_fds({{"sh", "-c", "for i in 1 2 3; do echo x; done; exit 7"}, {p.w.get()}, 1});
  REQUIRE(pid);
  p.w.reset();
  auto status = wait_child(*pid);
  REQUIRE(status);
  CHECK(exit_code(*status) == 128 + SIGPIPE);
  ::signal(SIGPIPE, SIG_DFL);
}
