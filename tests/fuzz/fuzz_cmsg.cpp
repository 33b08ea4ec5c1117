// fuzz_cmsg.cpp: the control-message walker on hostile bytes, laid at an odd
// address. Every message found must lie inside the buffer, descriptors come
// only from SCM_RIGHTS and SCM_PIDFD in whole ints, and what the walker found,
// built again with CmsgBuilder and walked, must come back the same. The first
// 8 bytes also feed the CMSG_LEN/CMSG_SPACE arithmetic, which must match the
// macros wherever it does not report an overflow.
// See: tests/fuzz/README.md, src/cmsg_test.cpp for the same properties as tables.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <cstring>
#include <span>
#include <vector>

#include "sockctl/cmsg.hpp"

using namespace sockctl;

namespace {

[[noreturn]] void fail(char const* what, size_t size) {
  std::fprintf(stderr, "fuzz_cmsg: %s (input of %zu bytes)\n", what, size);
  std::abort();
}

void check_arithmetic(uint8_t const* data, size_t size) {
  size_t n = 0;
  std::memcpy(&n, data, std::min(size, sizeof n));
  auto len = cmsg_len(n);
  auto space = cmsg_space(n);
  // The macros wrap silently near SIZE_MAX; ours say so instead.
  if (len && *len != CMSG_LEN(n)) fail("cmsg_len differs from CMSG_LEN", size);
  if (space && *space != CMSG_SPACE(n)) fail("cmsg_space differs from CMSG_SPACE", size);
  if (space && len && *space < *len) fail("cmsg_space below cmsg_len", size);
}

bool same(std::vector<Cmsg> const& a, std::vector<Cmsg> const& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].level != b[i].level || a[i].type != b[i].type || a[i].data.size() != b[i].data.size() ||
        (!a[i].data.empty() && std::memcmp(a[i].data.data(), b[i].data.data(), a[i].data.size()) != 0))
      return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(uint8_t const* data, size_t size) {
  check_arithmetic(data, size);

  // One byte in: the walker must not assume cmsghdr alignment.
  std::vector<std::byte> storage(size + 1);
  if (size) std::memcpy(storage.data() + 1, data, size);
  auto control = std::span<std::byte const>(storage).subspan(1);

  auto walk = walk_cmsgs(control);
  if (walk.malformed_bytes > control.size()) fail("more malformed bytes than bytes", size);
  auto const* begin = control.data();
  auto const* end = begin + control.size();
  CmsgBuilder rebuilt;
  for (auto const& m : walk.messages) {
    if (m.data.data() < begin || m.data.data() + m.data.size() > end) fail("a message outside the buffer", size);
    // Never take_fds here: the numbers are made up and would close ours.
    auto fds = cmsg_fds(m);
    size_t expected = m.carries_fds() ? m.data.size() / sizeof(int) : 0;
    if (fds.size() != expected) fail("descriptors not read as whole ints from SCM_RIGHTS/SCM_PIDFD", size);
    (void)m.as<ucred>();
    if (!rebuilt.add(m.level, m.type, m.data)) fail("a walked message cannot be built again", size);
  }
  if (!same(walk_cmsgs(rebuilt.bytes()).messages, walk.messages)) fail("build and walk again differ", size);
  if (walk_cmsgs(rebuilt.bytes()).malformed_bytes != 0) fail("built bytes walk as malformed", size);
  return 0;
}
