// error.cpp: errno and EAI_* codes mapped to the spec's exit codes.
// See: SPEC.md "Exit codes", errno(3), getaddrinfo(3).
#include "sockctl/error.hpp"

#include <cerrno>
#include <cstring>
#include <netdb.h>

namespace sockctl {

Exit exit_for_errno(int err) {
  switch (err) {
    case 0:
      return Exit::ok;
    case ECONNREFUSED:
    case ECONNRESET:
    case ECONNABORTED:
    case EHOSTUNREACH:
    case ENETUNREACH:
    case EHOSTDOWN:
    case ENETDOWN:
    case EPIPE:
      return Exit::no;
    case ETIMEDOUT:
      return Exit::timeout;
    case EACCES:
    case EPERM:
      return Exit::no_perm;
    case EAFNOSUPPORT:
    case EPROTONOSUPPORT:
    case ESOCKTNOSUPPORT:
    case EPFNOSUPPORT:
    case ENODEV:
    case ENXIO:
    case ENOPROTOOPT:
      return Exit::unavailable;
    case ENOENT:
      return Exit::no_input;
    case ENOSPC:
    case EIO:
    case EDQUOT:
    case EFBIG:
      return Exit::io;
    default:
      return Exit::os;
  }
}

Exit exit_for_gai(int gai) {
  switch (gai) {
    case 0:
      return Exit::ok;
    case EAI_NONAME:
    case EAI_SERVICE:
#ifdef EAI_NODATA
    case EAI_NODATA:
#endif
#ifdef EAI_ADDRFAMILY
    case EAI_ADDRFAMILY:
#endif
      return Exit::no_host;
    case EAI_AGAIN:
      return Exit::timeout;
    case EAI_BADFLAGS:
    case EAI_FAMILY:
    case EAI_SOCKTYPE:
      return Exit::usage;
    case EAI_SYSTEM:
      return exit_for_errno(errno);
    default:
      return Exit::os;
  }
}

Error Error::make(Exit exit, std::string what, std::string why) {
  return Error{exit, 0, std::move(what), std::move(why)};
}

Error Error::usage(std::string what, std::string why) {
  return make(Exit::usage, std::move(what), std::move(why));
}

Error Error::data(std::string what, std::string why) {
  return make(Exit::data, std::move(what), std::move(why));
}

Error Error::sys(std::string what, int err) {
  return Error{exit_for_errno(err), err, std::move(what), std::strerror(err)};
}

Error Error::gai(std::string what, int gai) {
  int err = gai == EAI_SYSTEM ? errno : 0;
  std::string why = gai == EAI_SYSTEM ? std::strerror(err) : gai_strerror(gai);
  return Error{exit_for_gai(gai), err, std::move(what), std::move(why)};
}

std::string Error::message() const {
  if (why.empty()) return what;
  if (what.empty()) return why;
  return what + ": " + why;
}

}  // namespace sockctl
