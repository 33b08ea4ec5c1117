// resolve.hpp: the name services of the socket interface, through glibc, so
// NSS, /etc/hosts, search domains and AI_ADDRCONFIG behave exactly as for any
// program: getaddrinfo, getnameinfo, gethostbyname_ex, gethostbyaddr,
// getservbyname/port, getprotobyname, gethostname, getfqdn, and a concurrent
// batch of getaddrinfo calls. Replaces getent, host, dig -f and Python one-liners.
// See: getaddrinfo(3), getnameinfo(3), gethostbyname(3), getservent(3), getprotoent(3).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sockctl/error.hpp"
#include "sockctl/sockaddr.hpp"

namespace sockctl {

/// getaddrinfo's hints: 0 means "any", as in Python's socket.getaddrinfo.
struct AddrInfoHints {
  int family = 0;
  int type = 0;
  int protocol = 0;
  int flags = 0;   // AI_*
};

/// One result of getaddrinfo: Python's (family, type, proto, canonname, sockaddr).
struct AddrInfo {
  int family = 0;
  int type = 0;
  int protocol = 0;
  std::string canonname;
  SockAddr sockaddr;
};

/// A host name's form, checked before any resolver sees it: empty names,
/// labels over 63 and names over 253 characters exit 64 naming the value.
/// Numeric IPv4 and IPv6 addresses (with a %zone) pass.
Result<void> check_host_name(std::string_view host);

/// getaddrinfo(host, service, hints). An empty service is NULL. Errors carry
/// gai_strerror's text and exit 68 (unknown name or service), 75 (EAI_AGAIN)
/// or 64 (bad flags, family or socket type).
Result<std::vector<AddrInfo>> get_addr_info(std::string_view host, std::string_view service,
                                            AddrInfoHints const& hints);

/// getnameinfo's answer: Python's (host, port), both strings.
struct NameInfo {
  std::string host;
  std::string port;
};

/// An address for the reverse views: "ADDR", "ADDR:PORT", "[V6]:PORT" or
/// "V6%ZONE", numeric only. Malformed text exits 64 naming it.
Result<SockAddr> parse_numeric_address(std::string_view text);

/// getnameinfo(sockaddr, flags) with NI_* flags.
Result<NameInfo> get_name_info(SockAddr const& a, int flags);

/// A hostent: Python's (hostname, aliaslist, ipaddrlist).
struct HostEnt {
  std::string name;
  std::vector<std::string> aliases;
  std::vector<std::string> addresses;
};

/// gethostbyname_r: the canonical name, aliases and every IPv4 address
/// (Python's gethostbyname_ex, which also asks getaddrinfo first so that a
/// missing name fails as getaddrinfo does). h_errno becomes exit 68, 75 or 71.
Result<HostEnt> host_by_name(std::string_view name);
/// gethostbyaddr_r on an IPv4 or IPv6 address (Python's gethostbyaddr).
Result<HostEnt> host_by_address(SockAddr const& a);

/// A servent: name, aliases, port (host order) and protocol name.
struct ServEnt {
  std::string name;
  std::vector<std::string> aliases;
  int port = 0;
  std::string proto;
};

/// "NAME", "PORT", "NAME/PROTO" or "PORT/PROTO": getservbyname_r or
/// getservbyport_r. Unknown services exit 68.
Result<ServEnt> lookup_service(std::string_view spec);

/// A protoent: name, aliases, number.
struct ProtoEnt {
  std::string name;
  std::vector<std::string> aliases;
  int proto = 0;
};

/// getprotobyname_r, or getprotobynumber_r for a number. Unknown names exit 68.
Result<ProtoEnt> lookup_protocol(std::string_view name_or_number);

/// gethostname(2).
Result<std::string> host_name();

/// Python's socket.getfqdn(name): gethostbyaddr of the name (the local host
/// when empty, "0.0.0.0" or "::"), then the first of its name and aliases
/// that contains a dot; the name itself when there is none or the lookup fails.
Result<std::string> fully_qualified_name(std::string_view name);

/// AI_* and NI_* flags from "AI_CANONNAME,AI_ADDRCONFIG" (also '|' between
/// names, case-insensitive, prefix optional, or numbers; names from the shared
/// constant table in names.hpp). 64 names a bad one.
Result<int> parse_ai_flags(std::string_view text);
Result<int> parse_ni_flags(std::string_view text);

/// A --proto value: a number or a name from /etc/protocols.
Result<int> parse_protocol(std::string_view text);

/// One line of a batch: "HOST" or "HOST SERVICE".
struct BatchQuery {
  size_t line = 0;         // 1-based line number in the input
  std::string text;        // the line as read, without its newline
  std::string host;
  std::string service;
};

/// The answer to one batch line: its results or its own error.
struct BatchAnswer {
  BatchQuery query;
  Result<std::vector<AddrInfo>> results = std::vector<AddrInfo>{};
};

struct BatchOptions {
  AddrInfoHints hints;
  unsigned concurrency = 32;   // getaddrinfo calls in flight at once
  bool ordered = true;         // deliver in input order (else as they finish)
};

/// Reads queries from fd one per line (blank lines and '#' comments skipped),
/// resolves them on a pool of threads, and hands every answer to sink on the
/// calling thread, in input order unless !ordered. A failed query is an
/// answer, not an error; the result is an error only when reading the input
/// or the sink fails (then the batch stops). what names the input in errors.
Result<void> resolve_batch(int fd, std::string_view what, BatchOptions const& opts,
                           std::function<Result<void>(BatchAnswer&&)> const& sink);

/// Splits one batch line into its query; a malformed line exits 64.
Result<BatchQuery> parse_batch_line(std::string_view text, size_t line);

}  // namespace sockctl
