// rds.cpp: AF_RDS endpoints, "rds:HOST:PORT": Reliable Datagram Sockets
// speak their own family but are addressed with IPv4 sockaddrs, so the host
// and port grammar is inet's, limited to IPv4. The host is required: RDS
// binds no wildcard (rds_bind refuses INADDR_ANY), nor sends to it.
// See: rds(7), rds-rdma(7).
#include <netinet/in.h>
#include <sys/socket.h>

#include <fmt/format.h>

#include "family/family.hpp"

namespace sockctl::family {

namespace {

Result<void> parse_rds(std::string_view body, Endpoint& ep, ParseOptions const& opts) {
  // parse_host_port restricts addresses by ep.family and sets it to the
  // address's family; the socket itself stays AF_RDS.
  ep.family = AF_INET;
  auto r = parse_host_port(body, ep, opts);
  ep.family = AF_RDS;
  if (r && (ep.host.empty() || ep.broadcast))
    return bad_endpoint(ep, "rds needs a host: RDS binds and sends to one address, never the wildcard");
  return r;
}

std::string format_rds(SockAddr const& a, Scheme const& s, int) {
  if (!a.as<sockaddr_in>(AF_INET)) return format_unprintable(a, s.name);
  return fmt::format("{}:{}", s.name, format_host_port(a));
}

}  // namespace

FamilyCodec const kRds{parse_rds, format_rds, inet_fields, nullptr};

}  // namespace sockctl::family
