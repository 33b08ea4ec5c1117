// resolve.cpp: wrappers over glibc's name services, returning values and
// errors instead of h_errno and static buffers (the *_r functions are used so
// that the batch's threads share nothing), and the concurrent batch resolver.
//
// The batch is a pool of threads each calling getaddrinfo, which glibc makes
// thread-safe (every thread has its own resolver state). The calling thread
// reads the input, hands lines to the pool, and delivers answers through a
// reorder buffer; workers wake it through an eventfd so one poll(2) waits on
// both the input and the answers.
// See: getaddrinfo(3), getnameinfo(3), gethostbyname_r(3), getservbyname_r(3).
#include "sockctl/resolve.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <system_error>
#include <thread>
#include <unistd.h>

#include <fmt/format.h>

#include "family/family.hpp"
#include "sockctl/endpoint.hpp"
#include "sockctl/fd.hpp"
#include "sockctl/io.hpp"
#include "sockctl/names.hpp"

namespace sockctl {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// Flags as "A,B" or "A|B", names from the shared constant table (prefix
// optional, any case) or numbers. A flag of the other function (NI_ given to
// getaddrinfo) is named as such; a misspelt one gets a suggestion.
Result<int> parse_flags(std::string_view text, Group group, std::string_view prefix, std::string_view function) {
  int flags = 0;
  std::string_view rest = text;
  while (true) {
    auto cut = rest.find_first_of(",|");
    auto token = trim(rest.substr(0, cut));
    if (token.empty()) return Error::usage(fmt::format("bad flags '{}'", text), "empty flag name");
    auto const* c = find_constant(token);
    if (!c || (c->group != Group::addrinfo_flag && c->group != Group::nameinfo_flag))
      c = find_constant(fmt::format("{}{}", prefix, token));
    if (auto n = family::parse_number(token, 0x7fffffff)) {
      flags |= static_cast<int>(*n);
    } else if (c && c->group == group) {
      flags |= static_cast<int>(c->value);
    } else {
      auto e = Error::usage(fmt::format("{} flag '{}'", c ? "wrong" : "unknown", token),
                            fmt::format("{} takes {}* flags", function, prefix));
      for (auto name : suggest_constants(token))
        if (find_constant(name)->group == group) {
          e.why += fmt::format(", did you mean '{}'?", name);
          break;
        }
      return e;
    }
    if (cut == std::string_view::npos) break;
    rest.remove_prefix(cut + 1);
  }
  return flags;
}

bool is_numeric_address(std::string_view host) {
  std::string h(host);
  if (auto pct = h.find('%'); pct != std::string::npos) h.resize(pct);
  in_addr a4{};
  in6_addr a6{};
  return inet_pton(AF_INET, h.c_str(), &a4) == 1 || inet_pton(AF_INET6, h.c_str(), &a6) == 1;
}

std::string query_text(std::string_view host, std::string_view service) {
  if (service.empty()) return fmt::format("'{}'", host);
  return fmt::format("'{}' service '{}'", host, service);
}

std::vector<std::string> string_list(char** list) {
  std::vector<std::string> out;
  for (; list && *list; ++list) out.emplace_back(*list);
  return out;
}

std::string address_text(int family, void const* bytes) {
  char buf[INET6_ADDRSTRLEN] = "";
  inet_ntop(family, bytes, buf, sizeof buf);
  return buf;
}

// h_errno as Python's herror shows it, with the spec's exit codes.
Error host_error(std::string what, int rc, int h_err) {
  if (h_err == NETDB_INTERNAL) return Error::sys(std::move(what), rc ? rc : EIO);
  Exit exit = h_err == TRY_AGAIN ? Exit::timeout : h_err == NO_RECOVERY ? Exit::os : Exit::no_host;
  return Error::make(exit, std::move(what), hstrerror(h_err));
}

HostEnt host_ent(hostent const& he) {
  HostEnt out;
  out.name = he.h_name ? he.h_name : "";
  out.aliases = string_list(he.h_aliases);
  for (char** a = he.h_addr_list; a && *a; ++a) out.addresses.push_back(address_text(he.h_addrtype, *a));
  return out;
}

// The *_r functions report a short buffer with ERANGE; grow and retry.
template <class Call>
int with_buffer(std::vector<char>& buf, Call call) {
  buf.resize(1024);
  int rc;
  while ((rc = call(buf.data(), buf.size())) == ERANGE && buf.size() < (1u << 24)) buf.resize(buf.size() * 2);
  return rc;
}

// Python's setipaddr(name, AF_UNSPEC): numeric forms directly, else the first
// address getaddrinfo gives.
Result<SockAddr> first_address(std::string const& name) {
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  if (name == "255.255.255.255" || name == "<broadcast>") {
    sin.sin_addr.s_addr = INADDR_BROADCAST;
    return SockAddr::of(sin);
  }
  if (inet_pton(AF_INET, name.c_str(), &sin.sin_addr) == 1) return SockAddr::of(sin);
  sockaddr_in6 sin6{};
  sin6.sin6_family = AF_INET6;
  if (name.find('%') == std::string::npos && inet_pton(AF_INET6, name.c_str(), &sin6.sin6_addr) == 1)
    return SockAddr::of(sin6);
  auto results = TRY(get_addr_info(name, {}, {}));
  return results.front().sockaddr;
}

}  // namespace

Result<void> check_host_name(std::string_view host) {
  if (host.empty()) return Error::usage("bad host name ''", "empty host name");
  if (is_numeric_address(host)) return {};
  std::string why;
  if (!family::valid_hostname(host, why)) return Error::usage(fmt::format("bad host name '{}'", host), why);
  return {};
}

Result<std::vector<AddrInfo>> get_addr_info(std::string_view host, std::string_view service,
                                            AddrInfoHints const& hints) {
  TRY(check_host_name(host));
  addrinfo h{};
  h.ai_family = hints.family;
  h.ai_socktype = hints.type;
  h.ai_protocol = hints.protocol;
  h.ai_flags = hints.flags;
  std::string host_z(host), service_z(service);
  addrinfo* res = nullptr;
  int rc = getaddrinfo(host_z.c_str(), service.empty() ? nullptr : service_z.c_str(), &h, &res);
  if (rc != 0) return Error::gai(fmt::format("getaddrinfo {}", query_text(host, service)), rc);
  std::vector<AddrInfo> out;
  for (auto* ai = res; ai; ai = ai->ai_next)
    out.push_back({ai->ai_family, ai->ai_socktype, ai->ai_protocol, ai->ai_canonname ? ai->ai_canonname : "",
                   SockAddr(ai->ai_addr, ai->ai_addrlen)});
  freeaddrinfo(res);
  return out;
}

Result<SockAddr> parse_numeric_address(std::string_view text) {
  auto bad = [&](std::string why) { return Error::usage(fmt::format("bad address '{}'", text), std::move(why)); };
  if (text.empty()) return bad("empty address");
  // Said in the endpoint grammar, so the one inet codec parses it: a bare
  // IPv6 address gets its brackets, a missing port becomes 0.
  std::string endpoint;
  auto colons = std::count(text.begin(), text.end(), ':');
  if (text.starts_with('[')) {
    endpoint = text.ends_with(']') ? fmt::format("tcp:{}:0", text) : fmt::format("tcp:{}", text);
  } else if (colons >= 2) {
    endpoint = fmt::format("tcp:[{}]:0", text);
  } else {
    endpoint = colons == 1 ? fmt::format("tcp:{}", text) : fmt::format("tcp:{}:0", text);
  }
  auto ep = parse_endpoint(endpoint);
  if (!ep) return bad(ep.error().why);
  if (!ep->address) return bad("not a numeric IPv4 or IPv6 address with a numeric port");
  auto addresses = resolve_endpoint(*ep);
  if (!addresses)
    return Error::make(addresses.error().exit, fmt::format("bad address '{}'", text), addresses.error().why);
  return addresses->front();
}

Result<NameInfo> get_name_info(SockAddr const& a, int flags) {
  char host[NI_MAXHOST], serv[NI_MAXSERV];
  int rc = getnameinfo(a.get(), a.size(), host, sizeof host, serv, sizeof serv, flags);
  if (rc != 0) return Error::gai(fmt::format("getnameinfo '{}'", family::format_host_port(a)), rc);
  return NameInfo{host, serv};
}

Result<HostEnt> host_by_name(std::string_view name) {
  TRY(check_host_name(name));
  std::string name_z(name);
  // Python's gethostbyname_ex asks getaddrinfo (AF_INET) first and reports
  // its error, whose text and cause can differ from h_errno's (a refused
  // query is EAI_NONAME there, TRY_AGAIN here); asking the same way keeps
  // the errors the same as Python's.
  in_addr numeric{};
  if (inet_pton(AF_INET, name_z.c_str(), &numeric) != 1) {
    AddrInfoHints v4;
    v4.family = AF_INET;
    auto check = get_addr_info(name, {}, v4);
    if (!check) return Error::make(check.error().exit, fmt::format("gethostbyname '{}'", name), check.error().why);
  }
  hostent he{}, *result = nullptr;
  int h_err = 0;
  std::vector<char> buf;
  int rc = with_buffer(buf, [&](char* b, size_t n) {
    return gethostbyname_r(name_z.c_str(), &he, b, n, &result, &h_err);
  });
  if (!result) return host_error(fmt::format("gethostbyname '{}'", name), rc, h_err);
  return host_ent(he);
}

Result<HostEnt> host_by_address(SockAddr const& a) {
  void const* bytes = nullptr;
  socklen_t len = 0;
  if (auto* sin = a.as<sockaddr_in>(AF_INET)) {
    bytes = &sin->sin_addr;
    len = sizeof sin->sin_addr;
  } else if (auto* sin6 = a.as<sockaddr_in6>(AF_INET6)) {
    bytes = &sin6->sin6_addr;
    len = sizeof sin6->sin6_addr;
  } else {
    return Error::usage("gethostbyaddr", "needs an IPv4 or IPv6 address");
  }
  hostent he{}, *result = nullptr;
  int h_err = 0;
  std::vector<char> buf;
  int rc = with_buffer(buf, [&](char* b, size_t n) {
    return gethostbyaddr_r(bytes, len, a.family(), &he, b, n, &result, &h_err);
  });
  if (!result) return host_error(fmt::format("gethostbyaddr '{}'", address_text(a.family(), bytes)), rc, h_err);
  return host_ent(he);
}

Result<ServEnt> lookup_service(std::string_view spec) {
  auto bad = [&](std::string why) { return Error::usage(fmt::format("bad service '{}'", spec), std::move(why)); };
  auto [name, proto] = family::split_first(spec, '/').value_or(std::pair{spec, std::string_view{}});
  if (name.empty()) return bad("empty service name");
  if (spec.find('/') != std::string_view::npos && proto.empty()) return bad("empty protocol after '/'");
  std::string name_z(name), proto_z(proto);
  char const* p = proto.empty() ? nullptr : proto_z.c_str();
  servent se{}, *result = nullptr;
  std::vector<char> buf;
  int rc;
  if (auto port = family::parse_number(name, 65535, 10)) {
    rc = with_buffer(buf, [&](char* b, size_t n) {
      return getservbyport_r(htons(static_cast<uint16_t>(*port)), p, &se, b, n, &result);
    });
  } else if (std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return bad(fmt::format("port {} is out of range 0-65535", name));
  } else {
    rc = with_buffer(buf, [&](char* b, size_t n) { return getservbyname_r(name_z.c_str(), p, &se, b, n, &result); });
  }
  if (rc != 0 && rc != ENOENT) return Error::sys(fmt::format("service '{}'", spec), rc);
  if (!result) return Error::make(Exit::no_host, fmt::format("service '{}'", spec), "unknown service");
  return ServEnt{se.s_name, string_list(se.s_aliases), ntohs(static_cast<uint16_t>(se.s_port)), se.s_proto};
}

Result<ProtoEnt> lookup_protocol(std::string_view name_or_number) {
  if (name_or_number.empty()) return Error::usage("bad protocol ''", "empty protocol name");
  protoent pe{}, *result = nullptr;
  std::vector<char> buf;
  int rc;
  if (auto n = family::parse_number(name_or_number, 255, 10)) {
    rc = with_buffer(buf, [&](char* b, size_t len) {
      return getprotobynumber_r(static_cast<int>(*n), &pe, b, len, &result);
    });
  } else {
    std::string name_z(name_or_number);
    rc = with_buffer(buf, [&](char* b, size_t len) { return getprotobyname_r(name_z.c_str(), &pe, b, len, &result); });
  }
  if (rc != 0 && rc != ENOENT) return Error::sys(fmt::format("protocol '{}'", name_or_number), rc);
  if (!result) return Error::make(Exit::no_host, fmt::format("protocol '{}'", name_or_number), "unknown protocol");
  return ProtoEnt{pe.p_name, string_list(pe.p_aliases), pe.p_proto};
}

Result<std::string> host_name() {
  char buf[256] = "";
  if (gethostname(buf, sizeof buf - 1) != 0) return Error::sys("gethostname", errno);
  return std::string(buf);
}

Result<std::string> fully_qualified_name(std::string_view name_in) {
  std::string name(trim(name_in));
  if (name.empty() || name == "0.0.0.0" || name == "::") name = TRY(host_name());
  TRY(check_host_name(name));
  auto address = first_address(name);
  if (!address) return name;
  auto he = host_by_address(*address);
  if (!he) return name;
  if (he->name.find('.') != std::string::npos) return he->name;
  for (auto const& alias : he->aliases)
    if (alias.find('.') != std::string::npos) return alias;
  return he->name;
}

Result<int> parse_ai_flags(std::string_view text) {
  return parse_flags(text, Group::addrinfo_flag, "AI_", "getaddrinfo");
}

Result<int> parse_ni_flags(std::string_view text) {
  return parse_flags(text, Group::nameinfo_flag, "NI_", "getnameinfo");
}

Result<int> parse_protocol(std::string_view text) {
  auto p = lookup_protocol(text);
  if (!p) return Error::usage(fmt::format("unknown protocol '{}'", text), "not a number nor a name in /etc/protocols");
  return p->proto;
}

Result<BatchQuery> parse_batch_line(std::string_view text, size_t line) {
  BatchQuery q;
  q.line = line;
  q.text = std::string(trim(text));
  std::vector<std::string_view> words;
  std::string_view rest = q.text;
  while (!(rest = trim(rest)).empty()) {
    auto end = rest.find_first_of(" \t");
    words.push_back(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
  }
  if (words.empty() || words.size() > 2)
    return Error::usage(fmt::format("bad query '{}' on line {}", q.text, line), "expected HOST [SERVICE]");
  q.host = std::string(words[0]);
  if (words.size() == 2) q.service = std::string(words[1]);
  return q;
}

namespace {

/// Workers calling getaddrinfo; started on demand up to a limit, stopped and
/// joined by the destructor (after finishing the query each one holds).
class ResolverPool {
 public:
  ResolverPool(AddrInfoHints hints, unsigned max_workers, int wake_fd)
      : hints_(hints), max_workers_(max_workers), wake_fd_(wake_fd) {}
  ResolverPool(ResolverPool const&) = delete;
  ResolverPool& operator=(ResolverPool const&) = delete;

  ~ResolverPool() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    work_.notify_all();
    for (auto& t : threads_) t.join();
  }

  Result<void> submit(size_t seq, BatchQuery q) {
    std::lock_guard lock(mutex_);
    jobs_.emplace_back(seq, std::move(q));
    if (jobs_.size() > idle_ && threads_.size() < max_workers_) {
      try {
        threads_.emplace_back([this] { work(); });
      } catch (std::system_error const& e) {
        // Fewer threads only means less concurrency; none at all is an error.
        if (threads_.empty()) return Error::sys("start a resolver thread", e.code().value());
      }
    }
    work_.notify_one();
    return {};
  }

  /// Answers finished since the last call.
  std::vector<std::pair<size_t, BatchAnswer>> take_done() {
    std::lock_guard lock(mutex_);
    return std::exchange(done_, {});
  }

 private:
  void work() {
    std::unique_lock lock(mutex_);
    while (true) {
      ++idle_;
      work_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      --idle_;
      if (stopping_) return;
      auto [seq, q] = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      auto results = get_addr_info(q.host, q.service, hints_);
      BatchAnswer answer{std::move(q), std::move(results)};
      lock.lock();
      done_.emplace_back(seq, std::move(answer));
      uint64_t one = 1;
      // The eventfd counter cannot overflow here; a failed write only delays
      // delivery until the next wake-up, so its result is not needed.
      [[maybe_unused]] auto n = ::write(wake_fd_, &one, sizeof one);
    }
  }

  AddrInfoHints const hints_;
  unsigned const max_workers_;
  int const wake_fd_;
  std::mutex mutex_;
  std::condition_variable work_;
  std::deque<std::pair<size_t, BatchQuery>> jobs_;
  std::vector<std::pair<size_t, BatchAnswer>> done_;
  std::vector<std::thread> threads_;
  size_t idle_ = 0;
  bool stopping_ = false;
};

// Lines longer than this are answered with an error instead of buffered.
constexpr size_t kMaxLine = 4096;

BatchAnswer too_long_line(size_t line_no, std::string_view text) {
  BatchQuery raw{line_no, std::string(text.substr(0, 64)) + "...", {}, {}};
  return {std::move(raw), Error::usage(fmt::format("line {}", line_no), fmt::format("longer than {} bytes", kMaxLine))};
}

}  // namespace

Result<void> resolve_batch(int fd, std::string_view what, BatchOptions const& opts,
                           std::function<Result<void>(BatchAnswer&&)> const& sink) {
  Fd wake(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake) return Error::sys("eventfd", errno);
  // Answers read but not yet delivered are bounded, so a slow name at the head
  // of an ordered batch costs memory for at most this many others.
  size_t const window = std::max<size_t>(1024, size_t{opts.concurrency} * 16);
  ResolverPool pool(opts.hints, std::max(1u, opts.concurrency), wake.get());

  std::map<size_t, BatchAnswer> ready;   // by sequence number
  size_t submitted = 0, delivered = 0, line_no = 0;
  std::string pending;                   // input after the last complete line
  bool eof = false, skipping = false;    // skipping: the rest of an over-long line

  auto deliver = [&]() -> Result<void> {
    while (!ready.empty() && (!opts.ordered || ready.begin()->first == delivered)) {
      auto answer = std::move(ready.begin()->second);
      ready.erase(ready.begin());
      ++delivered;
      TRY(sink(std::move(answer)));
    }
    return {};
  };
  auto take_line = [&](std::string_view text) -> Result<void> {
    ++line_no;
    // A long line may arrive whole or in pieces, as the reads fall; it gets
    // the same answer either way.
    if (text.size() > kMaxLine) {
      ready.emplace(submitted++, too_long_line(line_no, text));
      return {};
    }
    auto t = trim(text);
    if (t.empty() || t.front() == '#') return {};
    size_t seq = submitted++;
    auto q = parse_batch_line(t, line_no);
    if (!q) {
      BatchQuery raw{line_no, std::string(t), {}, {}};
      ready.emplace(seq, BatchAnswer{std::move(raw), q.release_error()});
      return {};
    }
    return pool.submit(seq, q.release_value());
  };
  auto take_complete_lines = [&]() -> Result<void> {
    size_t start = 0, nl;
    while (submitted - delivered < window && (nl = pending.find('\n', start)) != std::string::npos) {
      if (skipping) {
        skipping = false;
      } else {
        TRY(take_line(std::string_view(pending).substr(start, nl - start)));
      }
      start = nl + 1;
    }
    pending.erase(0, start);
    if (pending.size() > kMaxLine && pending.find('\n') == std::string::npos && !skipping) {
      ++line_no;
      ready.emplace(submitted++, too_long_line(line_no, pending));
      pending.clear();
      skipping = true;
    } else if (skipping) {
      pending.clear();
    }
    return {};
  };

  char buf[65536];
  while (true) {
    for (auto& [seq, answer] : pool.take_done()) ready.emplace(seq, std::move(answer));
    TRY(take_complete_lines());
    if (eof && !pending.empty() && submitted - delivered < window) {
      if (!skipping) TRY(take_line(pending));
      pending.clear();
    }
    TRY(deliver());
    if (eof && pending.empty() && delivered == submitted) return {};
    // Delivering made room in the window: take the lines already buffered.
    if (submitted - delivered < window && pending.find('\n') != std::string::npos) continue;

    bool want_input = !eof && submitted - delivered < window && pending.find('\n') == std::string::npos;
    pollfd fds[2] = {{wake.get(), POLLIN, 0}, {fd, POLLIN, 0}};
    if (poll(fds, want_input ? 2 : 1, -1) < 0) {
      if (errno == EINTR) continue;
      return Error::sys("poll", errno);
    }
    if (fds[0].revents & POLLIN) {
      uint64_t count;
      [[maybe_unused]] auto n = ::read(wake.get(), &count, sizeof count);
    }
    if (want_input && fds[1].revents) {
      auto n = read_some(fd, std::as_writable_bytes(std::span(buf)), what);
      if (!n) {
        auto e = n.release_error();
        e.exit = Exit::no_input;
        return e;
      }
      if (*n == 0) eof = true;
      pending.append(buf, *n);
    }
  }
}

}  // namespace sockctl
