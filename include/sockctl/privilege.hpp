// privilege.hpp: giving up root once the privileged part is done, as
// tcpdump's -Z does: capture sockets are opened as root, then the decoders
// of hostile bytes run as an ordinary user with no capabilities.
// See: capabilities(7), setresuid(2), prctl(2) PR_SET_NO_NEW_PRIVS.
#pragma once

#include <string>

#include "sockctl/error.hpp"

namespace sockctl {

/// Becomes USER (its uid, primary gid and no supplementary groups), with
/// every capability cleared and no way back (PR_SET_NO_NEW_PRIVS). An unknown
/// user exits 64; lacking the right to switch exits 77.
Result<void> drop_privileges(std::string const& user);

}  // namespace sockctl
