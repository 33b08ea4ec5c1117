// output.hpp: Output, the one emitter for human text, JSON documents and JSON Lines.
//
// Modelled on iproute2's print_*(PRINT_ANY, key, fmt, value): each field is
// written once with its JSON key and its human format, and only the form in
// use is built. Streams (sniff, can dump, listen/connect events, resolve
// --batch) write one line or one JSON object per event; one-shot commands
// build their whole answer and print it once, so a failure halfway leaves
// stdout empty. See: SPEC.md "Output".
#pragma once

#include <charconv>
#include <concepts>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>

#include <fmt/format.h>

#include "sockctl/error.hpp"
#include "sockctl/json.hpp"

namespace sockctl {

struct Scheme;
class SockAddr;

enum class Format { human, json };
enum class Color { none, red, green, yellow, blue, magenta, cyan, dim, bold };

/// Appends s to out as a JSON string literal (quotes included).
void append_json_string(std::string& out, std::string_view s);

class Output;

/// One event of a stream, built field by field and written by emit().
class Event {
 public:
  /// A field in both forms: JSON "key": value, human text from fmt.
  template <class T>
  Event& field(std::string_view key, T const& value, fmt::format_string<T const&> human = "{}") {
    if (json_) {
      append_key(key);
      append_value(value);
    } else {
      open_color();
      fmt::format_to(std::back_inserter(line_), human, value);
      close_color();
    }
    return *this;
  }
  /// Human-only text (iproute2's PRINT_FP).
  Event& text(std::string_view s) {
    if (!json_) line_ += s;
    return *this;
  }
  /// JSON-only field (iproute2's PRINT_JSON).
  template <class T>
  Event& json_only(std::string_view key, T const& value) {
    if (json_) {
      append_key(key);
      append_value(value);
    }
    return *this;
  }
  /// JSON-only field whose value is JSON text already, written as is: a
  /// number with more digits than a double keeps (nanosecond timestamps).
  Event& json_raw(std::string_view key, std::string_view json_text) {
    if (json_) {
      append_key(key);
      line_ += json_text;
    }
    return *this;
  }
  /// JSON-only members already rendered as text ("a":1,"b":2), appended as
  /// they are: lets an engine renderer (a decoded frame) write into the event.
  Event& json_fields(std::string_view members) {
    if (json_ && !members.empty()) {
      if (!first_) line_ += ',';
      first_ = false;
      line_ += members;
    }
    return *this;
  }
  /// An address: JSON object from address_json(), human text its endpoint.
  Event& address(std::string_view key, SockAddr const& a, Scheme const& s, std::string_view human = "{}");
  /// A field that is already JSON, e.g. a decoded layer; human text as given.
  Event& json(std::string_view key, Json const& value, std::string_view human = {});
  /// Colours the next field on a terminal; a no-op elsewhere and with NO_COLOR.
  Event& color(Color c) {
    next_color_ = c;
    return *this;
  }
  /// Writes the event; a failed write of stdout is an error (exit 74).
  Result<void> emit();

  bool is_json() const { return json_; }

 private:
  friend class Output;
  Event(Output& out, std::string_view kind);
  void append_key(std::string_view key);
  void open_color();
  void close_color();

  template <class T>
  void append_value(T const& v) {
    if constexpr (std::is_same_v<T, bool>) {
      line_ += v ? "true" : "false";
    } else if constexpr (std::is_enum_v<T>) {
      append_value(static_cast<std::underlying_type_t<T>>(v));
    } else if constexpr (std::is_integral_v<T>) {
      char buf[24];
      auto r = std::is_signed_v<T> ? std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v))
                                   : std::to_chars(buf, buf + sizeof buf, static_cast<unsigned long long>(v));
      line_.append(buf, r.ptr);
    } else if constexpr (std::is_floating_point_v<T>) {
      fmt::format_to(std::back_inserter(line_), "{}", v);
    } else if constexpr (std::is_same_v<T, Json>) {
      line_ += v.dump();
    } else if constexpr (std::is_convertible_v<T const&, std::string_view>) {
      append_json_string(line_, std::string_view(v));
    } else {
      append_json_string(line_, fmt::format("{}", v));
    }
  }

  Output& out_;
  std::string line_;
  bool json_;
  bool first_ = true;
  Color next_color_ = Color::none;
  Color open_ = Color::none;
};

class Output {
 public:
  Output(Format format, std::FILE* out, std::FILE* err);

  bool json() const { return format_ == Format::json; }
  bool color() const { return color_; }
  int verbosity() const { return verbosity_; }
  void set_verbosity(int v) { verbosity_ = v; }
  bool quiet() const { return verbosity_ < 0; }
  /// Flush every event (JSON Lines, terminals) or only at finish() (bulk human text to a pipe).
  void set_line_flush(bool on) { line_flush_ = on; }

  /// A stream event. kind becomes the JSON "event" field when not empty.
  Event event(std::string_view kind = {});

  /// One-shot commands: the whole answer, printed once. In JSON mode the doc is
  /// printed and human() is never called; in human mode only human() runs.
  Result<void> document(Json const& doc, std::function<std::string()> const& human);

  /// Narration on stderr for -v (level 1) and -vv (level 2); never on stdout.
  template <class... Args>
  void note(int level, fmt::format_string<Args...> f, Args&&... args) {
    if (verbosity_ >= level) note_line(fmt::format(f, std::forward<Args>(args)...));
  }
  /// A warning on stderr ("sockctl: command: ..."), suppressed by -q.
  void warn(std::string_view command, std::string_view message);

  /// The only way an error reaches the user: one line on stderr, or a JSON
  /// error object with --json. Returns the exit code to use.
  int fail(std::string_view command, Error const& e);

  /// Writes raw bytes to stdout (relays); a failed write is exit 74.
  Result<void> write(std::string_view bytes);
  /// Whole lines a stream renders itself in bulk (sniff: every line of one
  /// ring block at once), flushed as events are: per batch with JSON or on a
  /// terminal, so no line waits once written. A failed write is exit 74.
  Result<void> write_lines(std::string_view lines);
  /// Flushes stdout; any write that failed along the way becomes exit 74.
  Result<void> finish();

  std::FILE* out_stream() const { return out_; }

 private:
  friend class Event;
  Result<void> put_line(std::string& line);
  void note_line(std::string const& line);
  Result<void> check_stdout(char const* what);

  Format format_;
  std::FILE* out_;
  std::FILE* err_;
  bool color_ = false;
  bool line_flush_ = true;
  int verbosity_ = 0;
};

}  // namespace sockctl
