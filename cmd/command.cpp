// command.cpp: Dispatch, the shared option helpers, and --dump-cli (git's
// --git-completion-helper idea): the CLI tree as JSON, so the man page and the
// completions can be checked against what the parser really accepts.
#include "command.hpp"

#include "sockctl/endpoint.hpp"
#include "sockctl/json.hpp"

namespace sockctl::cmd {

void Dispatch::on(CLI::App* sub, Handler handler) { handlers_.emplace_back(sub, std::move(handler)); }

Result<Exit> Dispatch::run_selected(CLI::App& app, Output& out) {
  CLI::App* top = nullptr;
  for (auto* s : app.get_subcommands()) top = s;
  if (top) selected_ = top->get_name();
  // Walk down the chain of parsed subcommands; the deepest with a handler wins.
  Handler const* chosen = nullptr;
  for (CLI::App* cur = top; cur;) {
    for (auto const& [sub, h] : handlers_)
      if (sub == cur) chosen = &h;
    auto subs = cur->get_subcommands();
    cur = subs.empty() ? nullptr : subs.back();
  }
  if (!chosen) return Error::usage("no command given", "see 'sockctl --help'");
  return (*chosen)(out);
}

void add_sockopt_flag(CLI::App& sub, std::vector<std::string>& into) {
  sub.add_option("-O,--sockopt", into, "Set socket option NAME=VALUE (repeatable), e.g. SO_RCVBUF=65536")
      ->type_name("NAME=VALUE")
      ->take_all()
      ->allow_extra_args(false);
}

namespace {

Json describe(CLI::App const& app) {
  Json j;
  j["name"] = app.get_name();
  j["help"] = app.get_description();
  Json options = Json::array();
  Json positionals = Json::array();
  for (auto const* opt : app.get_options()) {
    if (opt->get_group().empty()) continue;  // hidden
    Json o;
    Json names = Json::array();
    for (auto const& s : opt->get_snames()) names.push_back("-" + s);
    for (auto const& l : opt->get_lnames()) names.push_back("--" + l);
    o["help"] = opt->get_description();
    o["value"] = opt->get_type_size() == 0 ? "" : opt->get_type_name();
    if (opt->get_positional() && names.empty()) {
      o["name"] = opt->get_name();
      positionals.push_back(o);
    } else {
      o["names"] = names;
      options.push_back(o);
    }
  }
  j["options"] = options;
  j["positionals"] = positionals;
  Json subs = Json::array();
  for (auto const* s : app.get_subcommands([](CLI::App const* a) { return !a->get_group().empty(); }))
    subs.push_back(describe(*s));
  j["subcommands"] = subs;
  return j;
}

}  // namespace

std::string dump_cli(CLI::App const& app) {
  Json j = describe(app);
  Json names = Json::array();
  for (auto const& s : schemes()) names.push_back(s.name);
  j["schemes"] = names;
  return j.dump(2) + "\n";
}

}  // namespace sockctl::cmd
