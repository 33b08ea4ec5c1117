// main.cpp: global flags, the command table, and the one place where errors
// become exit codes and messages (human or JSON). See: SPEC.md, sockctl(1).
#include <csignal>
#include <cstdio>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "command.hpp"

namespace sockctl::cmd {
void add_can(CLI::App& app, Dispatch& dispatch);
void add_inet(CLI::App& app, Dispatch& dispatch);
void add_fdpass(CLI::App& app, Dispatch& dispatch);
void add_resolve(CLI::App& app, Dispatch& dispatch);
void add_sniff(CLI::App& app, Dispatch& dispatch);
void add_alg(CLI::App& app, Dispatch& dispatch);
void add_listen(CLI::App& app, Dispatch& dispatch);
void add_connect(CLI::App& app, Dispatch& dispatch);
}

namespace {

using namespace sockctl;
using namespace sockctl::cmd;

constexpr Command kCommands[] = {
    {"listen", add_listen},
    {"connect", add_connect},
    {"resolve", add_resolve},
    {"can", add_can},
    {"inet", add_inet},
    {"fdpass", add_fdpass},
    {"sniff", add_sniff},
    {"alg", add_alg},
};

// Known before parsing, so that even a usage error comes out as JSON.
Format scan_for_json(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) break;
    if (std::strcmp(argv[i], "--json") == 0) return Format::json;
  }
  return Format::human;
}

// The command table entries whose parsers get built. CLI11 allocates every
// option of every subcommand it is given, which was most of a one-shot
// command's start-up (bench/startup.sh), so only the command named on the
// command line is built. All of them are built when the tree itself is the
// answer (top-level help, --dump-cli) or when the name is not a command, so
// that CLI11 reports it as before. Global options take no values: the first
// word that is not an option is the command; `words` gets what follows it.
std::span<Command const> commands_to_build(int argc, char** argv, std::span<char* const>& words) {
  auto is_help = [](std::string_view arg) {
    return arg == "--help" || (arg.size() > 1 && arg[0] == '-' && arg[1] != '-' && arg.find('h') != arg.npos);
  };
  int end = 1;
  while (end < argc && std::string_view(argv[end]) != "--") ++end;
  for (int i = 1; i < end; ++i)
    if (std::string_view(argv[i]) == "--dump-cli") return kCommands;
  bool version = false;
  for (int i = 1; i < end; ++i) {
    std::string_view arg = argv[i];
    if (is_help(arg)) return kCommands;
    if (arg == "--version") version = true;
    if (arg.starts_with('-')) continue;
    for (auto const& c : kCommands)
      if (arg == c.name) {
        words = std::span<char* const>(argv + i + 1, argv + argc);
        return {&c, 1};
      }
    return kCommands;
  }
  // With no command named, only --version answers without the tree.
  if (version) return {};
  return kCommands;
}

// The subcommand a usage error belongs to, for "sockctl: <command>: ...".
std::string failing_command(CLI::App& app) {
  for (auto* s : app.get_subcommands()) return s->get_name();
  return {};
}

// CLI11's messages in git's style: lower-case first word, the value in quotes.
std::string usage_message(CLI::ParseError const& e) {
  std::string m = e.what();
  auto after = [&](std::string_view prefix) -> std::optional<std::string> {
    if (m.rfind(prefix, 0) != 0) return std::nullopt;
    return m.substr(prefix.size());
  };
  if (auto rest = after("The following argument was not expected: ")) return "unexpected argument '" + *rest + "'";
  if (auto rest = after("The following arguments were not expected: ")) return "unexpected arguments '" + *rest + "'";
  if (!m.empty() && m[0] >= 'A' && m[0] <= 'Z' && !(m.size() > 1 && m[1] >= 'A' && m[1] <= 'Z'))
    m[0] = static_cast<char>(m[0] - 'A' + 'a');
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  // A peer or a reader that goes away must become an error we report (EPIPE,
  // exit 74 on stdout, exit 1 on a socket), not a silent death by SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);

  Format format = scan_for_json(argc, argv);
  CLI::App app{"sockctl: the Linux socket interface on the command line", "sockctl"};
  app.fallthrough();
  app.option_defaults()->group("Global options");
  bool json = false, version = false, dump = false;
  int verbose = 0;
  bool quiet = false;
  app.add_flag("--json", json, "Print JSON (one document, or JSON Lines for streams)");
  app.add_flag("-v,--verbose", verbose, "Narrate on stderr (repeat for more)");
  app.add_flag("-q,--quiet", quiet, "Print only errors on stderr");
  app.add_flag("--version", version, "Print the version and exit");
  app.add_flag("--dump-cli", dump, "Print the command-line tree as JSON")->group("");
  app.option_defaults()->group("Options");

  Dispatch dispatch;
  std::span<char* const> words;
  auto commands = commands_to_build(argc, argv, words);
  dispatch.set_words(words);
  for (auto const& c : commands) c.add(app, dispatch);
  app.require_subcommand(0, 1);

  Output out{format, stdout, stderr};
  try {
    app.parse(argc, argv);
  } catch (CLI::CallForHelp const& e) {
    return app.exit(e);
  } catch (CLI::CallForAllHelp const& e) {
    return app.exit(e);
  } catch (CLI::ParseError const& e) {
    return out.fail(failing_command(app), Error::usage(usage_message(e), "see 'sockctl --help'"));
  }
  out.set_verbosity(quiet ? -1 : verbose);

  if (dump) {
    std::fputs(dump_cli(app).c_str(), stdout);
    return 0;
  }
  if (version) {
    auto r = out.document({{"version", SOCKCTL_VERSION}},
                          [] { return std::string("sockctl " SOCKCTL_VERSION "\n"); });
    return r ? 0 : out.fail({}, r.error());
  }
  if (app.get_subcommands().empty()) {
    std::fputs(app.help().c_str(), stderr);
    return static_cast<int>(Exit::usage);
  }

  auto result = dispatch.run_selected(app, out);
  if (!result) return out.fail(dispatch.selected_name(), result.error());
  if (auto flushed = out.finish(); !flushed) return out.fail(dispatch.selected_name(), flushed.error());
  return static_cast<int>(*result);
}
