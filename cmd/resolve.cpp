// resolve.cpp: `sockctl resolve`: every name service of the socket interface.
//
// HOST [SERVICE] is getaddrinfo; --reverse is getnameinfo (with --aliases,
// gethostbyaddr); --aliases alone is gethostbyname_ex; --service, --proto-name,
// --hostname and --fqdn are the rest of Python's socket helpers; --batch
// resolves a file of names concurrently. All through glibc, so NSS and
// /etc/hosts answer as they do for any program.
// Replaces: getent, host, dig -f, python3 -c.  See: sockctl-resolve(1), getaddrinfo(3).
#include <algorithm>
#include <fcntl.h>
#include <netdb.h>
#include <optional>

#include "command.hpp"
#include "sockctl/endpoint.hpp"
#include "sockctl/io.hpp"
#include "sockctl/names.hpp"
#include "sockctl/resolve.hpp"

namespace sockctl::cmd {
namespace {

struct ResolveOptions {
  std::optional<std::string> host;     // HOST, or ADDR[:PORT] with --reverse, NAME with --fqdn
  std::optional<std::string> service;  // SERVICE
  std::string family, type, proto, flags;
  bool reverse = false;
  bool aliases = false;
  std::optional<std::string> service_spec;  // --service
  std::optional<std::string> proto_name;    // --proto-name
  bool hostname = false;
  bool fqdn = false;
  std::optional<std::string> batch;
  unsigned concurrency = 32;
  bool unordered = false;
};

// Text columns that only ever widen, so streamed rows stay aligned. The last
// cell of a row is not padded and does not widen its column.
class Columns {
 public:
  explicit Columns(std::vector<size_t> min_widths = {}) : widths_(std::move(min_widths)) {}
  std::string row(std::vector<std::string> const& cells) {
    widths_.resize(std::max(widths_.size(), cells.size()));
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) {
      line += cells[i];
      if (i + 1 == cells.size()) break;
      widths_[i] = std::max(widths_[i], cells[i].size());
      line.append(widths_[i] - cells[i].size() + 2, ' ');
    }
    return line;
  }
  std::string line(std::vector<std::string> const& cells) { return row(cells) + '\n'; }
  void widen(std::vector<std::string> const& cells) { row(cells); }

 private:
  std::vector<size_t> widths_;
};

Scheme const& scheme_of(AddrInfo const& r) {
  if (auto* s = scheme_for(r.family, r.type, r.protocol)) return *s;
  return *find_scheme("ip");
}

std::vector<std::string> result_cells(AddrInfo const& r) {
  auto proto = protocol_name(r.family, r.protocol);
  return {family_name(r.family), type_name(r.type), proto.empty() ? std::to_string(r.protocol) : proto,
          r.canonname.empty() ? "-" : r.canonname, format_endpoint(r.sockaddr, scheme_of(r))};
}

Json results_json(std::vector<AddrInfo> const& results) {
  Json list = Json::array();
  for (auto const& r : results)
    list.push_back({{"family", family_name(r.family)},
                    {"type", type_name(r.type)},
                    {"proto", r.protocol},
                    {"canonname", r.canonname},
                    {"sockaddr", address_json(r.sockaddr, scheme_of(r))}});
  return list;
}

Json error_json(Error const& e) {
  return {{"message", e.message()}, {"errno", e.err}, {"exit", static_cast<int>(e.exit)}};
}

Json optional_json(std::string const& s) { return s.empty() ? Json(nullptr) : Json(s); }

std::string words(std::vector<std::string> const& list) {
  std::string out;
  for (auto const& w : list) out += (out.empty() ? "" : " ") + w;
  return out.empty() ? "-" : out;
}

Result<int> named(std::optional<int> value, std::string_view what, std::string const& text, std::string_view expected) {
  if (!value) return Error::usage(fmt::format("unknown {} '{}'", what, text), fmt::format("expected {}", expected));
  return *value;
}

Result<AddrInfoHints> hints_from(ResolveOptions const& opt) {
  AddrInfoHints h;
  if (!opt.family.empty())
    h.family = TRY(named(family_from_name(opt.family), "family", opt.family, "inet, inet6, unspec or a number"));
  if (!opt.type.empty())
    h.type = TRY(named(type_from_name(opt.type), "type", opt.type, "stream, dgram, raw, seqpacket or a number"));
  if (!opt.proto.empty()) h.protocol = TRY(parse_protocol(opt.proto));
  if (!opt.flags.empty()) h.flags = TRY(parse_ai_flags(opt.flags));
  return h;
}

Result<Exit> run_addr_info(ResolveOptions const& opt, Output& out) {
  auto results = TRY(get_addr_info(*opt.host, opt.service.value_or(""), TRY(hints_from(opt))));
  Json doc = {{"host", *opt.host}, {"service", optional_json(opt.service.value_or(""))},
              {"results", out.json() ? results_json(results) : Json::array()}};
  TRY(out.document(doc, [&] {
    Columns columns;
    for (auto const& r : results) columns.widen(result_cells(r));
    std::string text;
    for (auto const& r : results) text += columns.line(result_cells(r));
    return text;
  }));
  return Exit::ok;
}

Result<Exit> run_name_info(ResolveOptions const& opt, Output& out) {
  auto address = TRY(parse_numeric_address(*opt.host));
  int flags = opt.flags.empty() ? 0 : TRY(parse_ni_flags(opt.flags));
  auto info = TRY(get_name_info(address, flags));
  auto const& scheme = *find_scheme((flags & NI_DGRAM) ? "udp" : "tcp");
  Json doc = {{"sockaddr", address_json(address, scheme)}, {"host", info.host}, {"port", info.port}};
  TRY(out.document(doc, [&] { return Columns().line({info.host, info.port}); }));
  return Exit::ok;
}

Result<Exit> print_host_ent(HostEnt const& he, Output& out) {
  Json doc = {{"name", he.name}, {"aliases", he.aliases}, {"addresses", he.addresses}};
  TRY(out.document(doc, [&] {
    Columns c;
    return c.line({"name", he.name}) + c.line({"aliases", words(he.aliases)}) +
           c.line({"addresses", words(he.addresses)});
  }));
  return Exit::ok;
}

Result<Exit> run_service(std::string const& spec, Output& out) {
  auto se = TRY(lookup_service(spec));
  Json doc = {{"name", se.name}, {"aliases", se.aliases}, {"port", se.port}, {"proto", se.proto}};
  TRY(out.document(doc, [&] {
    return Columns().line({se.name, fmt::format("{}/{}", se.port, se.proto), words(se.aliases)});
  }));
  return Exit::ok;
}

Result<Exit> run_protocol(std::string const& name, Output& out) {
  auto pe = TRY(lookup_protocol(name));
  Json doc = {{"name", pe.name}, {"aliases", pe.aliases}, {"proto", pe.proto}};
  TRY(out.document(doc, [&] { return Columns().line({pe.name, std::to_string(pe.proto), words(pe.aliases)}); }));
  return Exit::ok;
}

Result<Exit> run_one_name(std::string_view key, std::string const& value, Output& out) {
  TRY(out.document({{key, value}}, [&] { return value + "\n"; }));
  return Exit::ok;
}

Result<Exit> run_batch(ResolveOptions const& opt, Output& out) {
  BatchOptions batch{TRY(hints_from(opt)), opt.concurrency, !opt.unordered};
  Fd file;
  int fd = 0;
  if (*opt.batch != "-") {
    file = TRY(open_file(*opt.batch, O_RDONLY));
    fd = file.get();
  }
  std::string what = *opt.batch == "-" ? "stdin" : fmt::format("'{}'", *opt.batch);
  // The exit code is that of the first failed line in input order, so it does
  // not depend on which answer happened to arrive first.
  std::optional<std::pair<size_t, Exit>> first_failure;
  Columns columns({16, 5, 6, 3, 1});
  TRY(resolve_batch(fd, what, batch, [&](BatchAnswer&& a) -> Result<void> {
    if (!a.results && (!first_failure || a.query.line < first_failure->first))
      first_failure = {a.query.line, a.results.error().exit};
    if (out.json()) {
      auto ev = out.event();
      ev.field("line", a.query.line).field("query", a.query.text).field("host", a.query.host);
      ev.json("service", optional_json(a.query.service));
      if (a.results) {
        ev.json("results", results_json(*a.results));
      } else {
        ev.json("error", error_json(a.results.error()));
      }
      return ev.emit();
    }
    if (!a.results) return out.event().text(columns.row({a.query.text, "error", a.results.error().why})).emit();
    for (auto const& r : *a.results) {
      auto cells = result_cells(r);
      cells.insert(cells.begin(), a.query.text);
      TRY(out.event().text(columns.row(cells)).emit());
    }
    return {};
  }));
  return first_failure ? first_failure->second : Exit::ok;
}

Result<Exit> run(ResolveOptions const& opt, Output& out) {
  bool name_query = !opt.hostname && !opt.service_spec && !opt.proto_name && !opt.batch;
  if (!name_query && (opt.host || opt.service))
    return Error::usage(fmt::format("unexpected argument '{}'", opt.host.value_or(opt.service.value_or(""))),
                        "--service, --proto-name, --hostname and --batch take no HOST");
  if (opt.hostname) return run_one_name("hostname", TRY(host_name()), out);
  if (opt.service_spec) return run_service(*opt.service_spec, out);
  if (opt.proto_name) return run_protocol(*opt.proto_name, out);
  if (opt.batch) return run_batch(opt, out);
  if (opt.fqdn) {
    if (opt.service)
      return Error::usage(fmt::format("unexpected argument '{}'", *opt.service), "--fqdn takes one NAME");
    return run_one_name("fqdn", TRY(fully_qualified_name(opt.host.value_or(""))), out);
  }
  if (!opt.host) return Error::usage("missing HOST", "see 'sockctl resolve --help'");
  if ((opt.reverse || opt.aliases) && opt.service)
    return Error::usage(fmt::format("unexpected argument '{}'", *opt.service),
                        opt.reverse ? "give the port as ADDR:PORT" : "--aliases takes one HOST");
  if (opt.reverse && opt.aliases)
    return print_host_ent(TRY(host_by_address(TRY(parse_numeric_address(*opt.host)))), out);
  if (opt.reverse) return run_name_info(opt, out);
  if (opt.aliases) return print_host_ent(TRY(host_by_name(*opt.host)), out);
  return run_addr_info(opt, out);
}

}  // namespace

void add_resolve(CLI::App& app, Dispatch& dispatch) {
  auto opt = std::make_shared<ResolveOptions>();
  auto* sub = app.add_subcommand("resolve", "Resolve names and addresses through the system's resolver");
  sub->add_option("host", opt->host, "HOST to resolve (ADDR[:PORT] with --reverse, NAME with --fqdn)")
      ->type_name("HOST");
  sub->add_option("service", opt->service, "SERVICE name or port number for getaddrinfo")
      ->type_name("SERVICE");
  auto* family = sub->add_option("-f,--family", opt->family, "Only FAMILY results: inet, inet6, unspec")
                     ->type_name("FAMILY");
  auto* type = sub->add_option("-t,--type", opt->type, "Only TYPE results: stream, dgram, raw, seqpacket")
                   ->type_name("TYPE");
  auto* proto = sub->add_option("-p,--proto", opt->proto, "Only PROTO results: tcp, udp or a number")
                    ->type_name("PROTO");
  sub->add_option("--flags", opt->flags, "Pass FLAGS, e.g. AI_CANONNAME,AI_ADDRCONFIG or NI_NAMEREQD")
      ->type_name("FLAGS");
  auto* reverse = sub->add_flag("-r,--reverse", opt->reverse, "Look up the name of address HOST (getnameinfo)");
  auto* aliases = sub->add_flag("-a,--aliases", opt->aliases,
                                "Show name, aliases and addresses (gethostbyname_ex, gethostbyaddr)");
  auto* service = sub->add_option("--service", opt->service_spec, "Look up service NAME|PORT[/PROTO]")
                      ->type_name("SERVICE");
  auto* proto_name = sub->add_option("--proto-name", opt->proto_name, "Look up protocol NAME|NUM")
                         ->type_name("NAME");
  auto* hostname = sub->add_flag("--hostname", opt->hostname, "Print this host's name (gethostname)");
  auto* fqdn = sub->add_flag("--fqdn", opt->fqdn, "Print the fully qualified name of HOST or of this host");
  auto* batch = sub->add_option("-b,--batch", opt->batch, "Resolve every line of FILE (- for stdin) concurrently")
                    ->type_name("FILE");
  auto* concurrency = sub->add_option("-c,--concurrency", opt->concurrency, "Run N lookups at once in a batch")
                          ->type_name("N")
                          ->check(CLI::Range(1, 1024))
                          ->capture_default_str();
  auto* unordered = sub->add_flag("--unordered", opt->unordered, "Print batch answers as they finish");
  concurrency->needs(batch);
  unordered->needs(batch);
  std::vector<CLI::Option*> modes = {service, proto_name, hostname, fqdn, batch};
  for (auto* m : modes) {
    for (auto* other : modes)
      if (other != m) m->excludes(other);
    m->excludes(reverse)->excludes(aliases);
  }
  for (auto* hint : {family, type, proto}) {
    hint->excludes(reverse)->excludes(aliases);
    for (auto* m : {service, proto_name, hostname, fqdn}) hint->excludes(m);
  }
  dispatch.on(sub, [opt](Output& out) { return run(*opt, out); });
}

}  // namespace sockctl::cmd
