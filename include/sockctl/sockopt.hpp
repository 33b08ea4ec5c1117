// sockopt.hpp: -O NAME=VALUE, the same on every command that opens a socket.
// A name from the constant table brings its level and value form (int, bool,
// linger ON,SECS, ip_mreqn GROUP[,IFACE], ...); x:HEX gives raw bytes to any
// option, none:LEN a NULL optval of that length (Python's setsockopt(level,
// name, None, LEN)), and LEVEL:NAME with names or numbers reaches options the
// table lacks. See: setsockopt(2), socket(7), sockctl(1) "SOCKET OPTIONS".
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <sys/socket.h>

#include "sockctl/error.hpp"
#include "sockctl/hex.hpp"
#include "sockctl/names.hpp"

namespace sockctl {

class Socket;

/// One parsed -O: what setsockopt(2) will be called with.
struct Sockopt {
  std::string text;                    // as typed: "SO_LINGER=on,5"
  std::string name;                    // "SO_LINGER", or "6:99" for an option not in the table
  int level = 0;
  int option = 0;
  OptValue kind = OptValue::int_;      // the form the value was read in
  Bytes optval;                        // the bytes passed as optval
  std::optional<socklen_t> null_len;   // set: optval is NULL and optlen this
};

/// Parses NAME=VALUE or LEVEL:NAME=VALUE. An unknown name exits 64 with a
/// suggestion, a bad value 64, bad hex 65, a missing interface 69.
Result<Sockopt> parse_sockopt(std::string_view text);
/// Every -O of a command, parsed before any socket is opened.
Result<std::vector<Sockopt>> parse_sockopts(std::span<std::string const> texts);

/// setsockopt(2) for each, in order. Errors name the option and the socket:
/// ENOPROTOOPT exits 69 (this kernel or socket lacks it), EINVAL 64, EPERM 77.
Result<void> apply_sockopts(Socket& socket, std::span<Sockopt const> options);

}  // namespace sockctl
