// spawn.hpp: the child process behind --exec and --sh-exec: its command line,
// split without a shell, and its stdin/stdout connected to us by pipes (byte
// streams) or by one SOCK_SEQPACKET socket pair (message sockets, so each
// datagram stays one read and one write). The child holds fds 0-2 only.
// See: posix_spawn(3), pidfd_open(2), waitid(2), socketpair(2).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

#include "sockctl/error.hpp"
#include "sockctl/fd.hpp"

namespace sockctl {

/// What to run: argv for --exec, {"/bin/sh", "-c", TEXT} for --sh-exec.
struct CommandLine {
  std::vector<std::string> argv;
  std::string text;  // as typed, for messages
};

/// Splits TEXT into words the way a shell would without expanding anything:
/// blanks separate, '...' and "..." quote, backslash escapes. Exit 64 on
/// unbalanced quotes or an empty command.
Result<CommandLine> split_command(std::string_view text);
/// The command run by /bin/sh -c.
CommandLine shell_command(std::string_view text);
/// Checks that argv[0] names an executable (searched in PATH); 69 when not.
Result<void> check_command(CommandLine const& cmd);

/// How the child's stdin and stdout reach us.
enum class ChildStdio {
  pipes,      // two pipes: fd 0 reads what we write, fd 1 writes what we read
  seqpacket,  // one AF_UNIX SOCK_SEQPACKET pair on fds 0 and 1: boundaries kept
};

/// A running child. Destroying it closes our ends; it does not kill or wait.
class Child {
 public:
  /// Starts cmd with the extra environment entries ("NAME=value") added.
  /// The child's stderr is ours; every other descriptor is closed in it.
  static Result<Child> spawn(CommandLine const& cmd, ChildStdio stdio, std::vector<std::string> const& env);

  pid_t pid() const { return pid_; }
  /// Readable when the child has exited (poll it, then call reap()).
  int pidfd() const { return pidfd_.get(); }
  /// Our end that reads the child's stdout (the socket pair for seqpacket).
  int from_child() const { return from_.valid() ? from_.get() : to_.get(); }
  /// Our end that writes the child's stdin (the socket pair for seqpacket).
  int to_child() const { return to_.get(); }
  bool message() const { return stdio_ == ChildStdio::seqpacket; }
  /// Passes EOF to the child's stdin: closes the pipe, or shuts the pair down for writing.
  void close_stdin();
  /// Stops reading the child's stdout.
  void close_stdout();
  /// Collects the exit status without blocking; nullopt while it still runs.
  Result<std::optional<int>> reap();
  std::optional<int> status() const { return status_; }
  /// Gives up the pidfd (to Reactor::reap_later) when we stop waiting ourselves.
  Fd release_pidfd() { return std::move(pidfd_); }
  std::string const& name() const { return name_; }

 private:
  pid_t pid_ = -1;
  Fd pidfd_, to_, from_;
  ChildStdio stdio_ = ChildStdio::pipes;
  std::optional<int> status_;  // the wait status once reaped
  std::string name_;           // "command 'cat -n'"
};

/// "exited with status 3" / "killed by signal 9 (Killed)" for a wait status.
std::string describe_status(int status);

}  // namespace sockctl
