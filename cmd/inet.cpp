// inet.cpp: `sockctl inet VERB`: the address, byte-order, interface and
// constant helpers of Python's socket module on the command line, plus
// `parse`, which explains an endpoint down to its sockaddr bytes, and
// `schemes`, the endpoint table itself. Replaces python3 -c one-liners and
// ipcalc-style lookups. See: sockctl-inet(1), inet(3), socket(7).
#include <sys/socket.h>

#include <span>
#include <string_view>

#include <fmt/format.h>

#include "command.hpp"
#include "sockctl/endpoint.hpp"
#include "sockctl/hci.hpp"
#include "sockctl/hex.hpp"
#include "sockctl/inet.hpp"
#include "sockctl/names.hpp"
#include "sockctl/sockopt.hpp"

namespace sockctl::cmd {

namespace {

enum class Verb {
  aton, ntoa, pton, ntop, htonl, htons, ntohl, ntohs,
  ifaces, ifindex, ifname, cmsg_len, cmsg_space, constant, parse, schemes, hci,
};

struct InetOptions {
  std::string family;       // pton, ntop
  std::string value;        // the verb's argument
  std::string prefix;       // const VALUE --prefix
  std::string list;         // const --list [PREFIX]
  bool no_resolve = false;  // parse --no-resolve
  bool up = false, down = false;  // hci DEV --up/--down
  std::string scan;               // hci DEV --scan MODE
};

// Human tables: columns padded to the widest cell, two spaces apart.
std::string aligned(std::vector<std::vector<std::string>> const& rows) {
  std::vector<size_t> width;
  for (auto const& r : rows)
    for (size_t i = 0; i < r.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], r[i].size());
    }
  std::string out;
  for (auto const& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line.append(width[i] - r[i].size() + 2, ' ');
    }
    while (line.ends_with(' ')) line.pop_back();
    out += line + '\n';
  }
  return out;
}

// A JSON value as a human reads it: strings bare, arrays comma-joined.
std::string plain(Json const& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "-";
  if (v.is_array()) {
    std::string s;
    for (auto const& e : v) s += (s.empty() ? "" : ",") + plain(e);
    return s;
  }
  return v.dump();
}

std::vector<std::vector<std::string>> key_values(Json const& object, std::string const& indent = {}) {
  std::vector<std::vector<std::string>> rows;
  for (auto const& [key, value] : object.items()) rows.push_back({indent + key, plain(value)});
  return rows;
}

// The family whose protocol names apply: tcp, udp and ip are AF_UNSPEC until
// an address is chosen, but their protocols are IP's.
std::string proto_name(Scheme const& s, int family, int protocol) {
  bool ip = s.codec == Codec::inet || s.codec == Codec::ip_raw;
  return protocol_name(family == AF_UNSPEC && ip ? AF_INET : family, protocol);
}

Result<Exit> answer(Output& out, Json const& doc, std::string const& human) {
  TRY(out.document(doc, [&] { return human; }));
  return Exit::ok;
}

Json constant_json(Constant const& c) {
  Json j{{"name", c.name}, {"value", c.value}, {"group", group_name(c.group)}};
  if (c.group == Group::option) {
    j["level"] = c.level;
    j["level_name"] = level_name(c.level);
    j["value_type"] = value_kind_name(c.kind);
    j["syntax"] = value_syntax(c.kind);
  }
  return j;
}

std::vector<std::string> constant_row(Constant const& c) {
  std::vector<std::string> row{std::string(c.name), std::to_string(c.value),
                               c.value >= 0 ? fmt::format("{:#x}", c.value) : "", std::string(group_name(c.group))};
  if (c.group == Group::option) {
    row.push_back(level_name(c.level));
    row.emplace_back(value_syntax(c.kind));
  }
  return row;
}

Result<Exit> list_constants(Output& out, std::vector<Constant const*> const& found) {
  Json list = Json::array();
  std::vector<std::vector<std::string>> rows;
  for (auto* c : found) {
    list.push_back(constant_json(*c));
    rows.push_back(constant_row(*c));
  }
  return answer(out, {{"constants", list}}, aligned(rows));
}

// NAME, VALUE, NAME=VALUE (an -O shown as setsockopt will get it), or --list.
Result<Exit> run_const(InetOptions const& opt, Output& out, bool listing) {
  if (listing && !opt.value.empty())
    return Error::usage(fmt::format("unexpected QUERY '{}' with --list", opt.value), "--list takes only a PREFIX");
  if (listing) {
    auto found = constants_with_prefix(opt.list);
    if (found.empty()) return Error::make(Exit::no, fmt::format("no constant starts with '{}'", opt.list));
    return list_constants(out, found);
  }
  auto const& q = opt.value;
  if (q.empty()) return Error::usage("missing QUERY", "give NAME, VALUE, NAME=VALUE or --list");
  if (q.find('=') != std::string::npos) {
    auto o = TRY(parse_sockopt(q));
    Json j{{"input", o.text}, {"name", o.name}, {"level", o.level}, {"level_name", level_name(o.level)},
           {"option", o.option}, {"value_type", value_kind_name(o.kind)}};
    j["optval"] = o.null_len ? Json(nullptr) : Json(hex_encode(o.optval));
    j["optlen"] = o.null_len ? *o.null_len : o.optval.size();
    return answer(out, j,
                  aligned({{"input", o.text},
                           {"level", fmt::format("{} ({})", level_name(o.level), o.level)},
                           {"option", fmt::format("{} ({})", o.name, o.option)},
                           {"value_type", std::string(value_kind_name(o.kind))},
                           {"optval", o.null_len ? "NULL" : hex_encode(o.optval)},
                           {"optlen", std::to_string(j["optlen"].get<size_t>())}}));
  }
  // A NAME or a VALUE that no constant has is unknown (68), as an unknown
  // host or service is; only an empty --list, a search, is a plain "no".
  if (auto n = inet::parse_signed(q)) {
    auto found = constants_with_value(*n, opt.prefix);
    if (found.empty())
      return Error::make(Exit::no_host, opt.prefix.empty()
                                            ? fmt::format("unknown constant value '{}'", q)
                                            : fmt::format("unknown constant value '{}' with prefix '{}'", q, opt.prefix));
    return list_constants(out, found);
  }
  auto* c = find_constant(q);
  if (!c) {
    auto e = Error::make(Exit::no_host, fmt::format("unknown constant '{}'", q));
    if (auto s = suggest_constants(q); !s.empty()) e.what += fmt::format(", did you mean '{}'?", s.front());
    return e;
  }
  return answer(out, constant_json(*c), aligned({constant_row(*c)}));
}

Result<Exit> run_ifaces(Output& out) {
  auto all = TRY(inet::interfaces());
  Json list = Json::array();
  std::vector<std::vector<std::string>> rows;
  for (auto const& i : all) {
    Json addresses = Json::array();
    std::string texts;
    for (auto const& a : i.addresses) {
      Json aj{{"family", family_name(a.family)}, {"address", a.address}, {"prefixlen", a.prefixlen}};
      if (!a.broadcast.empty()) aj["broadcast"] = a.broadcast;
      addresses.push_back(aj);
      texts += fmt::format("{}{}/{}", texts.empty() ? "" : " ", a.address, a.prefixlen);
    }
    auto flags = inet::interface_flags(i.flags);
    list.push_back({{"index", i.index}, {"name", i.name}, {"flags", flags},
                    {"mtu", i.mtu ? Json(*i.mtu) : Json(nullptr)},
                    {"mac", i.mac.empty() ? Json(nullptr) : Json(i.mac)}, {"addresses", addresses}});
    rows.push_back({std::to_string(i.index), i.name, plain(Json(flags)),
                    i.mtu ? fmt::format("mtu {}", *i.mtu) : "", i.mac, texts});
  }
  return answer(out, {{"interfaces", list}}, aligned(rows));
}

// Bluetooth controllers, as hciconfig lists them; with DEV, --up/--down and
// --scan first, then that controller as it is afterwards.
Result<Exit> run_hci(InetOptions const& opt, Output& out) {
  std::vector<hci::Controller> shown;
  if (opt.value.empty()) {
    if (opt.up || opt.down || !opt.scan.empty())
      return Error::usage("--up, --down and --scan need a controller", "give DEV, e.g. hci0");
    shown = TRY(hci::controllers());
  } else {
    auto index = TRY(hci::parse_device(opt.value));
    std::optional<hci::Scan> scan;
    if (!opt.scan.empty()) scan = TRY(hci::parse_scan(opt.scan));
    if (opt.up || opt.down) TRY(hci::set_up(index, opt.up));
    if (scan) TRY(hci::set_scan(index, *scan));
    shown.push_back(TRY(hci::controller(index)));
  }
  Json list = Json::array();
  std::vector<std::vector<std::string>> rows;
  for (auto const& c : shown) {
    auto flags = c.flag_names();
    list.push_back({{"index", c.index}, {"name", c.name}, {"bdaddr", c.bdaddr}, {"bus", c.bus}, {"type", c.type},
                    {"flags", flags}, {"acl_mtu", c.acl_mtu}, {"acl_pkts", c.acl_pkts}, {"sco_mtu", c.sco_mtu},
                    {"sco_pkts", c.sco_pkts}, {"rx_bytes", c.rx_bytes}, {"tx_bytes", c.tx_bytes}});
    rows.push_back({c.name, c.bdaddr, c.bus, c.type, flags.empty() ? "down" : plain(Json(flags)),
                    fmt::format("acl {}:{}", c.acl_mtu, c.acl_pkts), fmt::format("sco {}:{}", c.sco_mtu, c.sco_pkts)});
  }
  return answer(out, {{"controllers", list}}, aligned(rows));
}

// What the grammar read, then each sockaddr: its fields, length and bytes.
Result<Exit> run_parse(InetOptions const& opt, Output& out) {
  auto ep = TRY(parse_endpoint(opt.value));
  Json j{{"input", ep.text}, {"scheme", ep.scheme->name}, {"family", family_name(ep.family)},
         {"type", ep.type ? Json(type_name(ep.type)) : Json(nullptr)}, {"proto", ep.protocol}};
  if (auto name = proto_name(*ep.scheme, ep.family, ep.protocol); !name.empty()) j["proto_name"] = name;
  for (auto const& [key, text] : {std::pair{"host", &ep.host}, {"zone", &ep.zone}, {"service", &ep.service},
                                  {"interface", &ep.interface}, {"name", &ep.name}})
    if (!text->empty()) j[key] = *text;
  if (ep.port_last) j["port_last"] = *ep.port_last;
  if (ep.broadcast) j["broadcast"] = true;
  if (ep.fd >= 0) j["fd"] = ep.fd;

  // fd: and systemd: name descriptors, not addresses: nothing to resolve.
  bool addressed = ep.scheme->codec != Codec::fd && ep.scheme->codec != Codec::systemd;
  std::vector<SockAddr> addrs;
  if (addressed && !opt.no_resolve) {
    ResolveOptions how;
    how.passive = ep.host.empty();  // an empty host means "any", as for a listener
    addrs = TRY(resolve_endpoint(ep, how));
  } else if (ep.address) {
    addrs.push_back(*ep.address);
  }
  j["resolved"] = addressed && !opt.no_resolve;

  auto rows = key_values(j);
  Json list = Json::array();
  for (auto const& a : addrs) {
    auto fields = address_json(a, *ep.scheme, ep.protocol);
    auto hex = hex_encode(a.bytes());
    list.push_back({{"sockaddr", fields}, {"length", a.size()}, {"hex", hex}});
    rows.push_back({"sockaddr", fields.value("endpoint", "")});
    fields.erase("endpoint");
    for (auto& r : key_values(fields, "  ")) rows.push_back(std::move(r));
    rows.push_back({"  length", std::to_string(a.size())});
    rows.push_back({"  hex", hex});
  }
  j["sockaddrs"] = list;
  return answer(out, j, aligned(rows));
}

Result<Exit> run_schemes(Output& out) {
  Json list = Json::array();
  std::vector<std::vector<std::string>> rows;
  for (auto const& s : schemes()) {
    auto proto = s.protocol ? proto_name(s, s.family, s.protocol) : std::string();
    Json j{{"name", s.name}, {"family", family_name(s.family)},
           {"type", s.type ? Json(type_name(s.type)) : Json(nullptr)}, {"proto", s.protocol}};
    if (!proto.empty()) j["proto_name"] = proto;
    j["body"] = s.body;
    j["example"] = s.example;
    list.push_back(j);
    rows.push_back({std::string(s.name), family_name(s.family), s.type ? type_name(s.type) : "-",
                    proto.empty() ? std::to_string(s.protocol) : proto, std::string(s.body), std::string(s.example)});
  }
  return answer(out, {{"schemes", list}}, aligned(rows));
}

Result<Exit> run(Verb verb, InetOptions const& opt, Output& out, bool listing) {
  auto const& v = opt.value;
  switch (verb) {
    case Verb::aton: {
      auto packed = hex_encode(TRY(inet::aton(v)));
      return answer(out, {{"address", v}, {"packed", packed}}, packed + '\n');
    }
    case Verb::ntoa: {
      auto packed = TRY(hex_decode(v));
      auto address = TRY(inet::ntoa(packed));
      return answer(out, {{"packed", hex_encode(packed)}, {"address", address}}, address + '\n');
    }
    case Verb::pton: {
      int family = TRY(inet::address_family(opt.family));
      auto packed = hex_encode(TRY(inet::pton(family, v)));
      return answer(out, {{"family", family_name(family)}, {"address", v}, {"packed", packed}}, packed + '\n');
    }
    case Verb::ntop: {
      int family = TRY(inet::address_family(opt.family));
      auto packed = TRY(hex_decode(v));
      auto address = TRY(inet::ntop(family, packed));
      return answer(out, {{"family", family_name(family)}, {"packed", hex_encode(packed)}, {"address", address}},
                    address + '\n');
    }
    case Verb::htonl:
    case Verb::htons:
    case Verb::ntohl:
    case Verb::ntohs: {
      auto which = verb == Verb::htonl   ? inet::Order::htonl
                   : verb == Verb::htons ? inet::Order::htons
                   : verb == Verb::ntohl ? inet::Order::ntohl
                                         : inet::Order::ntohs;
      auto result = TRY(inet::byte_order(which, v));
      // Only "-0" fails to parse unsigned here: byte_order refused every other negative.
      auto input = inet::parse_unsigned(v).value_or(0);
      return answer(out, {{"value", input}, {"result", result}}, std::to_string(result) + '\n');
    }
    case Verb::cmsg_len:
    case Verb::cmsg_space: {
      auto result = TRY(verb == Verb::cmsg_len ? inet::cmsg_len(v) : inet::cmsg_space(v));
      return answer(out, {{"length", inet::parse_unsigned(v).value_or(0)}, {"result", result}},
                    std::to_string(result) + '\n');
    }
    case Verb::ifindex: {
      auto index = TRY(inet::ifindex(v));
      return answer(out, {{"name", v}, {"index", index}}, std::to_string(index) + '\n');
    }
    case Verb::ifname: {
      auto name = TRY(inet::ifname(v));
      return answer(out, {{"index", inet::parse_unsigned(v).value_or(0)}, {"name", name}}, name + '\n');
    }
    case Verb::ifaces: return run_ifaces(out);
    case Verb::constant: return run_const(opt, out, listing);
    case Verb::parse: return run_parse(opt, out);
    case Verb::schemes: return run_schemes(out);
    case Verb::hci: return run_hci(opt, out);
  }
  return Exit::ok;
}

// The verb named on the command line when only inet's parser is built: the
// first word that is not an option (global options take no values).
std::string_view named_verb(std::span<char* const> words) {
  for (std::string_view w : words) {
    if (w == "--") break;
    if (!w.starts_with('-')) return w;
  }
  return {};
}

}  // namespace

void add_inet(CLI::App& app, Dispatch& dispatch) {
  auto opt = std::make_shared<InetOptions>();
  auto* inet = app.add_subcommand("inet", "Convert addresses, look up interfaces and socket constants");
  // No require_subcommand(): CLI11 would then report a misspelt verb as a
  // missing one instead of naming it.
  dispatch.on(inet, [](Output&) -> Result<Exit> {
    return Error::usage("missing VERB", "see 'sockctl inet --help'");
  });
  // --list takes an optional PREFIX, so whether it was given is asked of CLI11.
  auto listing = std::make_shared<CLI::Option*>(nullptr);
  // CLI11 allocates every option of every verb it is given, half of a one-shot
  // `inet` command's start-up (bench/startup.sh), so only the verb named is
  // built; all of them when none is, or the name is not a verb (CLI11 then
  // reports it), or the tree is the answer (help, --dump-cli).
  std::string_view only = named_verb(dispatch.words());
  bool built = false;
  auto verb = [&](char const* name, char const* help, Verb v) -> CLI::App* {
    if (!only.empty() && only != name) return nullptr;
    built = true;
    auto* sub = inet->add_subcommand(name, help);
    dispatch.on(sub, [opt, v, listing](Output& out) { return run(v, *opt, out, *listing && (*listing)->count() > 0); });
    return sub;
  };
  auto value = [&](CLI::App* sub, char const* name, char const* help) {
    if (sub) sub->add_option(name, opt->value, help)->required()->type_name("");
  };
  auto family = [&](CLI::App* sub) {
    if (sub) sub->add_option("FAMILY", opt->family, "Address family: inet or inet6")->required()->type_name("");
  };

  auto build = [&] {
    value(verb("aton", "Pack an IPv4 address as inet_aton reads it (127.1, 0x7f.1)", Verb::aton), "ADDRESS",
          "IPv4 address, classic short forms allowed");
    value(verb("ntoa", "Unpack four bytes into dotted IPv4 (inet_ntoa)", Verb::ntoa), "HEX", "Packed address in hex");
    auto* pton = verb("pton", "Pack an inet or inet6 address (inet_pton)", Verb::pton);
    family(pton);
    value(pton, "ADDRESS", "Address text");
    auto* ntop = verb("ntop", "Unpack 4 or 16 bytes into address text (inet_ntop)", Verb::ntop);
    family(ntop);
    value(ntop, "HEX", "Packed address in hex");
    value(verb("htonl", "Convert a 32-bit number to network byte order", Verb::htonl), "NUMBER", "0 to 4294967295");
    value(verb("htons", "Convert a 16-bit number to network byte order", Verb::htons), "NUMBER", "0 to 65535");
    value(verb("ntohl", "Convert a 32-bit number to host byte order", Verb::ntohl), "NUMBER", "0 to 4294967295");
    value(verb("ntohs", "Convert a 16-bit number to host byte order", Verb::ntohs), "NUMBER", "0 to 65535");
    verb("ifaces", "List network interfaces with flags, MTU and addresses", Verb::ifaces);
    value(verb("ifindex", "Print the index of interface NAME (if_nametoindex)", Verb::ifindex), "NAME",
          "Interface name");
    value(verb("ifname", "Print the name of interface INDEX (if_indextoname)", Verb::ifname), "INDEX",
          "Interface index");
    value(verb("cmsg-len", "Print CMSG_LEN of a payload of LENGTH bytes", Verb::cmsg_len), "LENGTH",
          "Payload bytes");
    value(verb("cmsg-space", "Print CMSG_SPACE of a payload of LENGTH bytes", Verb::cmsg_space), "LENGTH",
          "Payload bytes");
    if (auto* constant =
            verb("const", "Look up a socket constant by name or value, or show an -O encoding", Verb::constant)) {
      constant->add_option("QUERY", opt->value, "NAME, VALUE, or NAME=VALUE as -O takes it")->type_name("");
      constant->add_option("-p,--prefix", opt->prefix, "Only names starting with PREFIX (for a VALUE)")
          ->type_name("PREFIX");
      *listing = constant->add_option("-l,--list", opt->list, "List constants whose names start with PREFIX (all if none)")
                     ->expected(0, 1)
                     ->type_name("PREFIX");
    }
    if (auto* parse = verb("parse", "Explain ENDPOINT: family, type, proto, sockaddr fields and bytes", Verb::parse)) {
      value(parse, "ENDPOINT", "Endpoint, e.g. tcp:[fe80::1%lo]:8080");
      parse->add_flag("-n,--no-resolve", opt->no_resolve, "Show the endpoint as parsed, without resolving names");
    }
    verb("schemes", "List the endpoint schemes: family, type, proto, body and example", Verb::schemes);
    if (auto* hci = verb("hci", "List Bluetooth controllers, or bring DEV up or down and set its scan mode", Verb::hci)) {
      hci->add_option("DEV", opt->value, "Controller, e.g. hci0 (all when omitted)")->type_name("");
      auto* up = hci->add_flag("--up", opt->up, "Bring DEV up (HCIDEVUP)");
      auto* down = hci->add_flag("--down", opt->down, "Bring DEV down (HCIDEVDOWN)");
      up->excludes(down);
      hci->add_option("--scan", opt->scan, "Set DEV's scan MODE: off, page, inquiry or both (HCISETSCAN)")
          ->type_name("MODE");
    }
  };
  build();
  if (!built) {
    only = {};
    build();
  }
}

}  // namespace sockctl::cmd
