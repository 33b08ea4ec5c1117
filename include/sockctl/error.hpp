// error.hpp: the one error type, the spec's exit codes, and Result<T> with TRY.
//
// Every failure travels up as a value to the single exit point in cmd/main.cpp,
// because with --json the error itself must be printed as JSON and nothing
// half-written may reach stdout. See: sysexits(3), SPEC.md "Exit codes".
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace sockctl {

/// Exit codes from the spec (BSD sysexits).
enum class Exit : int {
  ok = 0,
  no = 1,
  usage = 64,
  data = 65,
  no_input = 66,
  no_host = 68,
  unavailable = 69,
  os = 71,
  io = 74,
  timeout = 75,
  no_perm = 77,
};

/// The exit code an errno deserves: refused/reset/unreachable 1, timeout 75, ...
Exit exit_for_errno(int err);

/// The exit code a getaddrinfo/getnameinfo EAI_* result deserves.
Exit exit_for_gai(int gai);

/// One failure, printed as "sockctl: <command>: <what>: <why>" or as JSON.
struct Error {
  Exit exit = Exit::os;
  int err = 0;        // errno, or 0; "errno" in JSON
  std::string what;   // what failed, naming the value: "connect 'tcp:127.0.0.1:9'"
  std::string why;    // strerror, gai_strerror or the parser's reason

  static Error make(Exit exit, std::string what, std::string why = {});
  static Error usage(std::string what, std::string why = {});
  static Error data(std::string what, std::string why = {});
  /// From errno: the exit code comes from exit_for_errno(), why from strerror().
  static Error sys(std::string what, int err);
  /// From an EAI_* code: why from gai_strerror(), exit from exit_for_gai().
  static Error gai(std::string what, int gai);

  /// "what: why", or just "what".
  std::string message() const;
};

/// Holds a T or an Error. Swap for std::expected<T, Error> once C++23 is here.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

  explicit operator bool() const { return v_.index() == 0; }
  bool has_value() const { return v_.index() == 0; }
  T& operator*() { return std::get<0>(v_); }
  T const& operator*() const { return std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }
  T const* operator->() const { return &std::get<0>(v_); }
  T& value() { return std::get<0>(v_); }
  T const& value() const { return std::get<0>(v_); }
  Error const& error() const { return std::get<1>(v_); }
  T release_value() { return std::move(std::get<0>(v_)); }
  Error release_error() { return std::move(std::get<1>(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}

  explicit operator bool() const { return !failed_; }
  bool has_value() const { return !failed_; }
  Error const& error() const { return error_; }
  void release_value() {}
  Error release_error() { return std::move(error_); }

 private:
  Error error_;
  bool failed_ = false;
};

}  // namespace sockctl

/// Unwraps a Result or returns its Error from the enclosing function (SerenityOS TRY).
/// A GNU statement expression; __extension__ keeps -Wpedantic quiet. The
/// temporary's name is unique per use so that nested TRYs do not shadow.
#define SOCKCTL_CAT2(a, b) a##b
#define SOCKCTL_CAT(a, b) SOCKCTL_CAT2(a, b)
#define TRY(...) SOCKCTL_TRY_(SOCKCTL_CAT(sockctl_try_, __COUNTER__), __VA_ARGS__)
#define SOCKCTL_TRY_(r, ...)                 \
  __extension__({                            \
    auto r = (__VA_ARGS__);                  \
    if (!r) return r.release_error();        \
    r.release_value();                       \
  })
