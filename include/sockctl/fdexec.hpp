// fdexec.hpp: running a command with chosen descriptors installed at chosen
// numbers and nothing else inherited: fork, move the descriptors into place
// with dup2, mark every other one above stderr close-on-exec (close_range),
// reset signal dispositions, execve. Optionally announced systemd-style
// (LISTEN_FDS, LISTEN_PID, LISTEN_FDNAMES) for socket-activated daemons.
// See: execve(2), close_range(2), sd_listen_fds(3).
#pragma once

#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

#include "sockctl/error.hpp"

namespace sockctl {

/// First descriptor of a systemd-style announcement (SD_LISTEN_FDS_START).
inline constexpr int kListenFdsStart = 3;

struct ExecSpec {
  std::vector<std::string> argv;     // argv[0] is looked up in PATH
  std::vector<int> fds;              // installed at first_fd, first_fd + 1, ...
  int first_fd = 0;
  /// Announce the descriptors with LISTEN_FDS/LISTEN_PID/LISTEN_FDNAMES;
  /// first_fd must then be kListenFdsStart.
  bool listen_fds = false;
  std::vector<std::string> fdnames;  // one per descriptor; missing ones are "unknown"
};

/// The path execve() will run for a command name: as given when it holds a
/// '/', else the first executable match in PATH. Not found exits 69.
Result<std::string> find_program(std::string const& name);

/// A name LISTEN_FDNAMES can carry: 1-255 printable ASCII characters, no ':'.
bool valid_fdname(std::string_view name);

/// Starts the command; returns its pid once execve() has succeeded. An exec
/// failure is reported here with the child's errno (and the child reaped).
/// Descriptors 0-2 not among the targets are inherited; every other
/// descriptor of this process is closed in the child.
Result<pid_t> exec_with_fds(ExecSpec const& spec);

/// The exit code a wait status stands for: the child's code, or 128 + the
/// signal number as shells report it.
int exit_code(int wait_status);

/// Waits for one child to end and returns its wait status.
Result<int> wait_child(pid_t pid);

/// A child that has ended, without blocking: its pid and wait status.
struct Ended {
  pid_t pid;
  int status;
};
Result<std::optional<Ended>> reap_child();

}  // namespace sockctl
