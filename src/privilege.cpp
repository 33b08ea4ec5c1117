// privilege.cpp: drop_privileges(). Switching every uid away from 0 makes the
// kernel clear the permitted, effective and ambient capability sets unless
// keep-caps is on; we turn keep-caps off first and check the result with
// capget rather than trust it.  See: capabilities(7) "Effect of user ID
// changes on capabilities", setgroups(2), setresgid(2), setresuid(2).
#include "sockctl/privilege.hpp"

#include <cerrno>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <vector>

#include <fmt/format.h>

namespace sockctl {

Result<void> drop_privileges(std::string const& user) {
  std::string const what = fmt::format("--user '{}'", user);
  passwd pw{};
  passwd* found = nullptr;
  std::vector<char> buf(16384);
  int rc = 0;
  while ((rc = ::getpwnam_r(user.c_str(), &pw, buf.data(), buf.size(), &found)) == ERANGE) buf.resize(buf.size() * 2);
  if (rc != 0) return Error::sys(what, rc);
  if (!found) return Error::usage(what, "no such user");
  gid_t gid = pw.pw_gid;
  uid_t uid = pw.pw_uid;
  if (::prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) return Error::sys(what + ": prctl(PR_SET_KEEPCAPS)", errno);
  if (::setgroups(1, &gid) < 0) return Error::sys(what + ": setgroups", errno);
  if (::setresgid(gid, gid, gid) < 0) return Error::sys(what + ": setresgid", errno);
  if (::setresuid(uid, uid, uid) < 0) return Error::sys(what + ": setresuid", errno);
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return Error::sys(what + ": prctl(PR_SET_NO_NEW_PRIVS)", errno);
  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct caps[_LINUX_CAPABILITY_U32S_3]{};
  if (::syscall(SYS_capget, &hdr, caps) < 0) return Error::sys(what + ": capget", errno);
  for (auto const& c : caps) {
    if (c.effective != 0 || c.permitted != 0)
      return Error::make(Exit::no_perm, what, "capabilities are still held after the switch");
  }
  return {};
}

}  // namespace sockctl
