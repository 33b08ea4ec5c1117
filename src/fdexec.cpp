// fdexec.cpp: fork and exec with explicit descriptor installation.
//
// Everything the child needs (argv, envp, the program's path) is built before
// fork, so the child only makes async-signal-safe calls. The child first
// copies every descriptor to be installed, and its error pipe, above the
// target range, so dup2 into place can never clobber a source that happens to
// sit on a target number. Everything else above stderr is then marked
// close-on-exec with close_range(CLOSE_RANGE_CLOEXEC): descriptors sockctl
// inherited or opened without O_CLOEXEC cannot leak, and the error pipe stays
// usable until execve succeeds and closes it. See: execve(2), close_range(2).
#include "sockctl/fdexec.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include "sockctl/fd.hpp"

extern char** environ;

namespace sockctl {

namespace {

// What the child writes to the error pipe when it cannot run the command.
enum class Step : int { move, install, cloexec, exec };
struct ChildFailure {
  Step step;
  int err;
};

constexpr std::string_view kListenPid = "LISTEN_PID=";

[[noreturn]] void fail_in_child(int pipe_fd, Step step) {
  ChildFailure f{step, errno};
  ssize_t ignored = ::write(pipe_fd, &f, sizeof f);
  (void)ignored;
  ::_exit(127);
}

// Writes pid in decimal after "LISTEN_PID=": the buffer was sized before fork.
void put_pid(char* digits, pid_t pid) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + pid % 10);
    pid /= 10;
  } while (pid > 0);
  while (n > 0) *digits++ = tmp[--n];
  *digits = '\0';
}

struct ChildPlan {
  char const* path;
  char* const* argv;
  char* const* envp;
  char* listen_pid_digits;  // null unless announcing
  int const* fds;
  int* high;                // scratch, one per fd
  int count;
  int first_fd;
  int pipe_fd;
};

[[noreturn]] void run_child(ChildPlan const& p) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  // main() ignores SIGPIPE for sockctl's own sake; the command gets the default.
  std::signal(SIGPIPE, SIG_DFL);

  int top = std::max(3, p.first_fd + p.count);
  int err_fd = ::fcntl(p.pipe_fd, F_DUPFD_CLOEXEC, top);
  if (err_fd < 0) fail_in_child(p.pipe_fd, Step::move);
  for (int i = 0; i < p.count; ++i) {
    p.high[i] = ::fcntl(p.fds[i], F_DUPFD_CLOEXEC, top);
    if (p.high[i] < 0) fail_in_child(err_fd, Step::move);
  }
  for (int i = 0; i < p.count; ++i)
    if (::dup2(p.high[i], p.first_fd + i) < 0) fail_in_child(err_fd, Step::install);
  if (p.first_fd > 3 && ::close_range(3, static_cast<unsigned>(p.first_fd - 1), CLOSE_RANGE_CLOEXEC) < 0)
    fail_in_child(err_fd, Step::cloexec);
  if (::close_range(static_cast<unsigned>(top), ~0U, CLOSE_RANGE_CLOEXEC) < 0) fail_in_child(err_fd, Step::cloexec);
  if (p.listen_pid_digits) put_pid(p.listen_pid_digits, ::getpid());
  ::execve(p.path, p.argv, p.envp);
  fail_in_child(err_fd, Step::exec);
}

bool is_listen_var(char const* entry) {
  std::string_view e(entry);
  return e.starts_with("LISTEN_FDS=") || e.starts_with(kListenPid) || e.starts_with("LISTEN_FDNAMES=");
}

}  // namespace

Result<std::string> find_program(std::string const& name) {
  if (name.empty()) return Error::usage("command ''", "empty command name");
  if (name.find('/') != std::string::npos) return name;
  char const* env = std::getenv("PATH");
  std::string_view path = env ? env : "/usr/local/bin:/usr/bin:/bin";
  for (;;) {
    auto colon = path.find(':');
    std::string dir(path.substr(0, colon));
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
    struct stat st;
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0)
      return candidate;
    if (colon == std::string_view::npos) break;
    path.remove_prefix(colon + 1);
  }
  return Error::make(Exit::unavailable, fmt::format("command '{}'", name), "not found in PATH");
}

bool valid_fdname(std::string_view name) {
  if (name.empty() || name.size() > 255) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return c > ' ' && c < 0x7f && c != ':'; });
}

Result<pid_t> exec_with_fds(ExecSpec const& spec) {
  if (spec.argv.empty()) return Error::usage("command", "no command given");
  if (spec.listen_fds && spec.first_fd != kListenFdsStart)
    return Error::usage(fmt::format("descriptors at {}", spec.first_fd),
                        fmt::format("LISTEN_FDS descriptors start at {}", kListenFdsStart));
  std::string path = TRY(find_program(spec.argv[0]));

  std::vector<char*> argv;
  for (auto const& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  std::vector<std::string> announce;
  std::string listen_pid;
  std::vector<char*> envp;
  for (char** e = environ; *e; ++e)
    if (!spec.listen_fds || !is_listen_var(*e)) envp.push_back(*e);
  if (spec.listen_fds) {
    std::string names;
    for (size_t i = 0; i < spec.fds.size(); ++i) {
      if (i) names += ':';
      names += i < spec.fdnames.size() ? spec.fdnames[i] : "unknown";
    }
    announce.push_back(fmt::format("LISTEN_FDS={}", spec.fds.size()));
    announce.push_back("LISTEN_FDNAMES=" + names);
    for (auto& a : announce) envp.push_back(a.data());
    listen_pid.assign(kListenPid);
    listen_pid.resize(kListenPid.size() + 24, '\0');
    envp.push_back(listen_pid.data());
  }
  envp.push_back(nullptr);

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) < 0) return Error::sys("pipe2", errno);
  Fd report_r(pipe_fds[0]), report_w(pipe_fds[1]);
  std::vector<int> high(spec.fds.size());
  ChildPlan plan{path.c_str(),
                 argv.data(),
                 envp.data(),
                 spec.listen_fds ? listen_pid.data() + kListenPid.size() : nullptr,
                 spec.fds.data(),
                 high.data(),
                 static_cast<int>(spec.fds.size()),
                 spec.first_fd,
                 report_w.get()};

  pid_t pid = ::fork();
  if (pid < 0) return Error::sys("fork", errno);
  if (pid == 0) run_child(plan);
  report_w.reset();

  ChildFailure failure{};
  ssize_t n;
  do {
    n = ::read(report_r.get(), &failure, sizeof failure);
  } while (n < 0 && errno == EINTR);
  if (n <= 0) return pid;  // EOF: execve closed the pipe, the command runs

  TRY(wait_child(pid));
  static constexpr char const* kSteps[] = {"move descriptors for", "install descriptors for",
                                           "close descriptors for", "exec"};
  auto e = Error::sys(fmt::format("{} '{}'", kSteps[static_cast<int>(failure.step)], spec.argv[0]), failure.err);
  if (failure.step == Step::exec && (failure.err == ENOENT || failure.err == ENOEXEC)) e.exit = Exit::unavailable;
  return e;
}

int exit_code(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return 1;
}

Result<int> wait_child(pid_t pid) {
  for (;;) {
    int status = 0;
    if (::waitpid(pid, &status, 0) == pid) return status;
    if (errno != EINTR) return Error::sys(fmt::format("waitpid {}", pid), errno);
  }
}

Result<std::optional<Ended>> reap_child() {
  for (;;) {
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid > 0) return std::optional<Ended>(Ended{pid, status});
    if (pid == 0 || errno == ECHILD) return std::optional<Ended>();
    if (errno != EINTR) return Error::sys("waitpid", errno);
  }
}

}  // namespace sockctl
