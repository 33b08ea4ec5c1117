// command.hpp: what every subcommand file shares: the Dispatch that runs the
// selected command after parsing, and the option helpers every command uses
// the same way (-O NAME=VALUE).
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "sockctl/error.hpp"
#include "sockctl/output.hpp"

namespace sockctl::cmd {

using Handler = std::function<Result<Exit>(Output&)>;

/// Maps CLI11 subcommands to their run functions. Handlers run after parsing,
/// never inside CLI11 callbacks, so every error reaches the one exit point.
class Dispatch {
 public:
  void on(CLI::App* sub, Handler handler);
  /// Runs the deepest selected subcommand that has a handler.
  Result<Exit> run_selected(CLI::App& app, Output& out);
  /// The top-level command that ran, for error messages ("inet").
  std::string const& selected_name() const { return selected_; }
  /// The words after the command's name when main builds only that command's
  /// parser; empty when it builds them all (help, --dump-cli). A command with
  /// many verbs then builds only the verb named (start-up cost, see inet.cpp).
  std::span<char* const> words() const { return words_; }
  void set_words(std::span<char* const> words) { words_ = words; }

 private:
  std::vector<std::pair<CLI::App*, Handler>> handlers_;
  std::string selected_;
  std::span<char* const> words_;
};

/// A subcommand file registers itself with one of these (the command table).
struct Command {
  char const* name;
  void (*add)(CLI::App& app, Dispatch& dispatch);
};

/// -O NAME=VALUE, repeatable, the same on every command that opens a socket.
void add_sockopt_flag(CLI::App& sub, std::vector<std::string>& into);

/// Every subcommand and option as JSON (the hidden --dump-cli), read by the
/// docs sync test and the completion generator.
std::string dump_cli(CLI::App const& app);

}  // namespace sockctl::cmd
