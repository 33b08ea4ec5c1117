// fdinfo.hpp: what a descriptor refers to (a file, a pipe, a socket with its
// family, type and addresses, a device, an anonymous inode) from fstat(2),
// fcntl(2), /proc/self/fd and the socket calls; and SO_PEERCRED. This is how
// `fdpass recv` shows what arrived by SCM_RIGHTS.
// See: fstat(2), proc(5) /proc/pid/fd, socket(7) SO_DOMAIN, unix(7) SO_PEERCRED.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <sys/socket.h>

#include "sockctl/endpoint.hpp"
#include "sockctl/error.hpp"
#include "sockctl/json.hpp"
#include "sockctl/sockaddr.hpp"

namespace sockctl {

/// One descriptor, described.
struct FdInfo {
  int fd = -1;
  std::string type;               // "file" "directory" "pipe" "socket" "char" "block" "symlink" "anon" "unknown"
  std::string access;             // "r" "w" "rw"; "path" for O_PATH descriptors
  std::string path;               // /proc/self/fd/N: "/tmp/x", "pipe:[81]", "anon_inode:[eventfd]"
  std::optional<uint64_t> size;   // regular files

  // Sockets only (type == "socket").
  int family = 0;
  int socktype = 0;
  int protocol = 0;
  Scheme const* scheme = nullptr; // how its addresses print; null when no scheme fits
  std::optional<SockAddr> local;
  std::optional<SockAddr> peer;   // connected sockets
  bool listening = false;         // SO_ACCEPTCONN
};

/// Describes an open descriptor; one that is not open exits 64.
Result<FdInfo> describe_fd(int fd);

/// {"fd", "type", "access", "path", "size", "socket": {"family", "type",
/// "proto", "local", "peer", "listening"}}: the keys in sockctl-fdpass(1).
Json fd_json(FdInfo const& info);

/// One human line: "socket tcp:127.0.0.1:8080 listening", "file rw /tmp/x (12 bytes)".
std::string fd_summary(FdInfo const& info);

/// SO_PEERCRED of a connected AF_UNIX socket; nullopt where the kernel has
/// none (datagram sockets, or a pid of 0).
std::optional<ucred> peer_cred(int fd);

/// {"pid", "uid", "gid"}.
Json creds_json(ucred const& c);
/// "pid 42 uid 0 gid 0".
std::string creds_text(ucred const& c);

}  // namespace sockctl
