// inherit.hpp: sockets handed to us rather than opened: `fd:N` (a descriptor
// inherited from the parent, Python's socket.fromfd) and `systemd:[NAME]`
// (socket activation: LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES).
// See: sd_listen_fds(3), systemd.socket(5).
#pragma once

#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

#include "sockctl/endpoint.hpp"
#include "sockctl/error.hpp"
#include "sockctl/socket.hpp"

namespace sockctl {

/// True for fd: and systemd: endpoints.
bool is_inherited(Endpoint const& ep);

/// The descriptors socket activation passed to pid `self`, in order, and
/// the names they were given; `want` keeps only those named so ("" keeps
/// all). Pure, for tests: the values are the environment variables' text
/// (null when unset). Errors exit 64 (bad variables) or 66 (none passed).
Result<std::vector<int>> systemd_fds(char const* listen_pid, char const* listen_fds, char const* listen_fdnames,
                                     pid_t self, std::string_view want);

/// The sockets an fd: or systemd: endpoint names, adopted and marked
/// close-on-exec so that no --exec child inherits them. systemd's variables
/// are removed from the environment once read, as sd_listen_fds(1) does.
Result<std::vector<Socket>> inherited_sockets(Endpoint const& ep);

}  // namespace sockctl
