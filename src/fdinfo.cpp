// fdinfo.cpp: describing a descriptor. fstat gives the kind, fcntl the access
// mode, /proc/self/fd the name the kernel shows (a path, or "pipe:[ino]" for
// objects without one), and for sockets SO_DOMAIN/SO_TYPE/SO_PROTOCOL plus
// getsockname/getpeername. See: fstat(2), proc(5), socket(7).
#include "sockctl/fdinfo.hpp"

#include <cerrno>
#include <climits>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "sockctl/names.hpp"

namespace sockctl {

namespace {

std::string type_of(mode_t mode, std::string const& path) {
  switch (mode & S_IFMT) {
    case S_IFREG: return "file";
    case S_IFDIR: return "directory";
    case S_IFIFO: return "pipe";
    case S_IFSOCK: return "socket";
    case S_IFCHR: return "char";
    case S_IFBLK: return "block";
    case S_IFLNK: return "symlink";
  }
  // eventfd, epoll, timerfd, signalfd and (before pidfs) pidfds have no file type.
  if (path.starts_with("anon_inode:")) return "anon";
  return "unknown";
}

std::string access_of(int flags) {
  if (flags & O_PATH) return "path";
  switch (flags & O_ACCMODE) {
    case O_RDONLY: return "r";
    case O_WRONLY: return "w";
    default: return "rw";
  }
}

std::string proc_path(int fd) {
  char buf[PATH_MAX];
  ssize_t n = ::readlink(fmt::format("/proc/self/fd/{}", fd).c_str(), buf, sizeof buf);
  if (n < 0) return {};
  return std::string(buf, static_cast<size_t>(n));
}

int sockopt_int(int fd, int name) {
  int v = 0;
  socklen_t len = sizeof v;
  if (::getsockopt(fd, SOL_SOCKET, name, &v, &len) < 0) return 0;
  return v;
}

std::optional<SockAddr> sock_name(int fd, bool peer) {
  SockAddr a;
  socklen_t len = SockAddr::capacity();
  int rc = peer ? ::getpeername(fd, a.storage(), &len) : ::getsockname(fd, a.storage(), &len);
  if (rc < 0) return std::nullopt;
  a.set_size(len);
  return a;
}

}  // namespace

Result<FdInfo> describe_fd(int fd) {
  FdInfo info;
  info.fd = fd;
  int flags = ::fcntl(fd, F_GETFL);
  struct stat st;
  if (flags < 0 || ::fstat(fd, &st) < 0) {
    auto e = Error::sys(fmt::format("descriptor '{}'", fd), errno);
    if (errno == EBADF) {
      e.exit = Exit::usage;
      e.why = "not an open descriptor";
    }
    return e;
  }
  info.path = proc_path(fd);
  info.type = type_of(st.st_mode, info.path);
  info.access = access_of(flags);
  if (S_ISREG(st.st_mode)) info.size = static_cast<uint64_t>(st.st_size);
  if (S_ISSOCK(st.st_mode) && !(flags & O_PATH)) {
    info.family = sockopt_int(fd, SO_DOMAIN);
    info.socktype = sockopt_int(fd, SO_TYPE);
    info.protocol = sockopt_int(fd, SO_PROTOCOL);
    info.scheme = scheme_for(info.family, info.socktype, info.protocol);
    info.listening = sockopt_int(fd, SO_ACCEPTCONN) != 0;
    info.local = sock_name(fd, false);
    info.peer = sock_name(fd, true);
  }
  return info;
}

Json fd_json(FdInfo const& info) {
  Json j;
  j["fd"] = info.fd;
  j["type"] = info.type;
  j["access"] = info.access;
  j["path"] = info.path;
  if (info.size) j["size"] = *info.size;
  if (info.type == "socket") {
    Json s;
    s["family"] = family_name(info.family);
    s["type"] = type_name(info.socktype);
    s["proto"] = info.protocol;
    if (info.scheme && info.local) s["local"] = address_json(*info.local, *info.scheme);
    if (info.scheme && info.peer) s["peer"] = address_json(*info.peer, *info.scheme);
    s["listening"] = info.listening;
    j["socket"] = std::move(s);
  }
  return j;
}

std::string fd_summary(FdInfo const& info) {
  if (info.type != "socket" || !info.scheme) {
    std::string line = fmt::format("{} {} {}", info.type, info.access, info.path);
    if (info.size) line += fmt::format(" ({} bytes)", *info.size);
    return line;
  }
  std::string line = "socket ";
  line += info.local ? format_endpoint(*info.local, *info.scheme) : std::string(info.scheme->name) + ":";
  if (info.listening) line += " listening";
  if (info.peer) line += " -> " + format_endpoint(*info.peer, *info.scheme);
  return line;
}

std::optional<ucred> peer_cred(int fd) {
  ucred c{};
  socklen_t len = sizeof c;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &c, &len) < 0 || len < sizeof c || c.pid == 0)
    return std::nullopt;
  return c;
}

Json creds_json(ucred const& c) { return Json{{"pid", c.pid}, {"uid", c.uid}, {"gid", c.gid}}; }

std::string creds_text(ucred const& c) { return fmt::format("pid {} uid {} gid {}", c.pid, c.uid, c.gid); }

}  // namespace sockctl
