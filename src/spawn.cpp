// spawn.cpp: posix_spawn with the child's stdio wired to pipes or a socket
// pair, every other fd closed (closefrom), SIGPIPE and the signal mask back to
// their defaults (we ignore SIGPIPE and may block SIGINT/SIGTERM for signalfd;
// both survive exec), and a pidfd so the event loop learns when it exits.
// See: posix_spawn(3), pidfd_open(2), waitid(2).
#include "sockctl/spawn.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

extern char** environ;

namespace sockctl {

Result<CommandLine> split_command(std::string_view text) {
  CommandLine cmd;
  cmd.text = std::string(text);
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote == '\'') {
      if (c == '\'')
        quote = 0;
      else
        word += c;
    } else if (quote == '"') {
      if (c == '"') {
        quote = 0;
      } else if (c == '\\' && i + 1 < text.size() && (text[i + 1] == '"' || text[i + 1] == '\\')) {
        word += text[++i];
      } else {
        word += c;
      }
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) cmd.argv.push_back(std::exchange(word, {}));
      in_word = false;
    } else {
      in_word = true;
      if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '\\') {
        if (i + 1 == text.size()) return Error::usage(fmt::format("bad command '{}'", text), "trailing backslash");
        word += text[++i];
      } else {
        word += c;
      }
    }
  }
  if (quote) return Error::usage(fmt::format("bad command '{}'", text), fmt::format("unbalanced {}", quote));
  if (in_word) cmd.argv.push_back(std::move(word));
  if (cmd.argv.empty()) return Error::usage(fmt::format("bad command '{}'", text), "empty command");
  return cmd;
}

CommandLine shell_command(std::string_view text) {
  return CommandLine{{"/bin/sh", "-c", std::string(text)}, std::string(text)};
}

Result<void> check_command(CommandLine const& cmd) {
  auto const& prog = cmd.argv.front();
  auto executable = [](std::string const& p) {
    struct stat st;
    return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
  };
  bool found = false;
  if (prog.find('/') != std::string::npos) {
    found = executable(prog);
  } else {
    char const* path = std::getenv("PATH");
    std::string_view dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    while (!found) {
      auto colon = dirs.find(':');
      auto dir = dirs.substr(0, colon);
      found = executable(fmt::format("{}/{}", dir.empty() ? "." : dir, prog));
      if (colon == std::string_view::npos) break;
      dirs.remove_prefix(colon + 1);
    }
  }
  if (!found)
    return Error::make(Exit::unavailable, fmt::format("command '{}'", cmd.text),
                       fmt::format("'{}' is not an executable file or in PATH", prog));
  return {};
}

namespace {

// posix_spawn's attribute and file-action objects, destroyed on every path.
struct SpawnSetup {
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t actions;
  SpawnSetup() {
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_init(&actions);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
};

Result<void> set_nonblocking(int fd) {
  int fl = ::fcntl(fd, F_GETFL);
  if (fl < 0 || ::fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) return Error::sys("fcntl", errno);
  return {};
}

}  // namespace

Result<Child> Child::spawn(CommandLine const& cmd, ChildStdio stdio, std::vector<std::string> const& env) {
  Child c;
  c.stdio_ = stdio;
  c.name_ = fmt::format("command '{}'", cmd.text);
  Fd child_in, child_out;  // the child's ends, dup2'd onto 0 and 1
  if (stdio == ChildStdio::pipes) {
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) < 0) return Error::sys("pipe", errno);
    child_in.reset(in[0]);
    c.to_.reset(in[1]);
    if (::pipe2(out, O_CLOEXEC) < 0) return Error::sys("pipe", errno);
    c.from_.reset(out[0]);
    child_out.reset(out[1]);
    TRY(set_nonblocking(c.from_.get()));
  } else {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) return Error::sys("socketpair", errno);
    c.to_.reset(sv[0]);
    child_in.reset(sv[1]);
  }
  TRY(set_nonblocking(c.to_.get()));
  // Were 0 or 1 closed when we started, a child end could sit on 0 or 1 and
  // the dup2 pair below would overwrite one with the other.
  for (Fd* f : {&child_in, &child_out}) {
    if (f->valid() && f->get() <= 2) {
      int moved = ::fcntl(f->get(), F_DUPFD_CLOEXEC, 3);
      if (moved < 0) return Error::sys("fcntl", errno);
      f->reset(moved);
    }
  }

  SpawnSetup s;
  sigset_t none, pipe;
  sigemptyset(&none);
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  posix_spawnattr_setsigmask(&s.attr, &none);
  posix_spawnattr_setsigdefault(&s.attr, &pipe);
  posix_spawnattr_setflags(&s.attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  // dup2 onto 0 and 1 clears close-on-exec on the copies; closefrom(3) drops
  // whatever else we hold without O_CLOEXEC (inherited fds, fd:N, systemd:).
  int out_fd = child_out.valid() ? child_out.get() : child_in.get();
  posix_spawn_file_actions_adddup2(&s.actions, child_in.get(), 0);
  posix_spawn_file_actions_adddup2(&s.actions, out_fd, 1);
  posix_spawn_file_actions_addclosefrom_np(&s.actions, 3);

  std::vector<char*> argv;
  for (auto const& a : cmd.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (char** e = environ; *e; ++e) {
    bool replaced = false;
    for (auto const& x : env) {
      auto eq = x.find('=');
      if (std::strncmp(*e, x.c_str(), eq + 1) == 0) replaced = true;
    }
    if (!replaced) envp.push_back(*e);
  }
  for (auto const& x : env) envp.push_back(const_cast<char*>(x.c_str()));
  envp.push_back(nullptr);

  int rc = posix_spawnp(&c.pid_, argv[0], &s.actions, &s.attr, argv.data(), envp.data());
  if (rc != 0) {
    auto e = Error::sys(fmt::format("exec {}", c.name_), rc);
    if (rc == ENOENT || rc == EACCES || rc == ENOEXEC) e.exit = Exit::unavailable;
    return e;
  }
  // glibc 2.36's <sys/pidfd.h> lacks extern "C", so call the syscall directly.
  int pfd = static_cast<int>(::syscall(SYS_pidfd_open, c.pid_, 0));
  if (pfd < 0) {
    int err = errno;
    ::kill(c.pid_, SIGKILL);
    ::waitpid(c.pid_, nullptr, 0);
    return Error::sys("pidfd_open", err);
  }
  c.pidfd_.reset(pfd);
  return c;
}

void Child::close_stdin() {
  if (stdio_ == ChildStdio::pipes)
    to_.reset();
  else if (to_.valid())
    ::shutdown(to_.get(), SHUT_WR);
}

void Child::close_stdout() {
  if (stdio_ == ChildStdio::pipes) from_.reset();
}

Result<std::optional<int>> Child::reap() {
  if (status_) return status_;
  siginfo_t info{};
  for (;;) {
    if (::waitid(P_PIDFD, static_cast<id_t>(pidfd_.get()), &info, WEXITED | WNOHANG) == 0) break;
    if (errno != EINTR) return Error::sys("waitid", errno);
  }
  if (info.si_pid == 0) return std::optional<int>{};
  int st = info.si_code == CLD_EXITED ? W_EXITCODE(info.si_status, 0) : info.si_status & 0x7f;
  status_ = st;
  pidfd_.reset();
  return status_;
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return fmt::format("exited with status {}", WEXITSTATUS(status));
  int sig = WTERMSIG(status);
  return fmt::format("killed by signal {} ({})", sig, strsignal(sig));
}

}  // namespace sockctl
