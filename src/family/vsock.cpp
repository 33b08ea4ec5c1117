// vsock.cpp: AF_VSOCK endpoints, "vsock:CID:PORT", between virtual machines
// and their host. CID and port take the kernel's well-known names: the
// wildcard 'any', 'hypervisor' (0), 'local' (1, loopback), 'host' (2).
// See: vsock(7), linux/vm_sockets.h.
#include <linux/vm_sockets.h>
#include <sys/socket.h>

#include <fmt/format.h>

#include "family/family.hpp"

namespace sockctl::family {

namespace {

constexpr std::pair<unsigned, std::string_view> kCids[] = {
    {VMADDR_CID_ANY, "any"},
    {VMADDR_CID_HYPERVISOR, "hypervisor"},
    {VMADDR_CID_LOCAL, "local"},
    {VMADDR_CID_HOST, "host"},
};

std::optional<unsigned> parse_cid(std::string_view s) {
  for (auto const& [cid, name] : kCids)
    if (s == name) return cid;
  if (auto n = parse_number(s, 0xffffffffu)) return static_cast<unsigned>(*n);
  return std::nullopt;
}

std::string cid_text(unsigned cid) {
  for (auto const& [value, name] : kCids)
    if (cid == value) return std::string(name);
  return std::to_string(cid);
}

std::string port_text(unsigned port) { return port == VMADDR_PORT_ANY ? "any" : std::to_string(port); }

Result<void> parse_vsock(std::string_view body, Endpoint& ep, ParseOptions const&) {
  auto parts = split_first(body, ':');
  if (!parts) return bad_endpoint(ep, "expected CID:PORT");
  auto [cid_s, port_s] = *parts;
  if (cid_s.empty()) return bad_endpoint(ep, "missing CID (a number, 'any', 'local', 'host' or 'hypervisor')");
  if (port_s.empty()) return bad_endpoint(ep, "missing port (a number or 'any')");
  auto cid = parse_cid(cid_s);
  if (!cid)
    return bad_endpoint(ep, fmt::format("CID '{}' is not a number up to 4294967295, 'any', 'local', 'host' or "
                                        "'hypervisor'",
                                        cid_s));
  std::optional<uint64_t> port = port_s == "any" ? VMADDR_PORT_ANY : parse_number(port_s, 0xffffffffu);
  if (!port) return bad_endpoint(ep, fmt::format("port '{}' is not a number up to 4294967295 or 'any'", port_s));
  sockaddr_vm svm{};
  svm.svm_family = AF_VSOCK;
  svm.svm_cid = *cid;
  svm.svm_port = static_cast<unsigned>(*port);
  ep.address = SockAddr::of(svm);
  return {};
}

std::string format_vsock(SockAddr const& a, Scheme const& s, int) {
  auto const* svm = a.as<sockaddr_vm>(AF_VSOCK);
  if (!svm) return format_unprintable(a, s.name);
  return fmt::format("{}:{}:{}", s.name, cid_text(svm->svm_cid), port_text(svm->svm_port));
}

void vsock_fields(SockAddr const& a, Json& j) {
  if (auto const* svm = a.as<sockaddr_vm>(AF_VSOCK)) {
    j["cid"] = svm->svm_cid;
    j["port"] = svm->svm_port;
  }
}

}  // namespace

FamilyCodec const kVsock{parse_vsock, format_vsock, vsock_fields, nullptr};

}  // namespace sockctl::family
