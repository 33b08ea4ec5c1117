// inet.cpp: placeholder until the inet command lands.
#include "command.hpp"
namespace sockctl::cmd {
void add_inet(CLI::App& app, Dispatch&) { app.add_subcommand("inet", "Address and constant helpers"); }
}
