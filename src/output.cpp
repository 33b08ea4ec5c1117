// output.cpp: the emitter. Writes go through stdio with a large buffer; every
// failure to write stdout is remembered and turned into exit 74, because a
// relay or a capture that lost output must never exit 0.
#include "sockctl/output.hpp"

#include <cerrno>
#include <cstdlib>
#include <unistd.h>

#include "sockctl/endpoint.hpp"

namespace sockctl {

namespace {

char const* color_code(Color c) {
  switch (c) {
    case Color::red: return "\033[31m";
    case Color::green: return "\033[32m";
    case Color::yellow: return "\033[33m";
    case Color::blue: return "\033[34m";
    case Color::magenta: return "\033[35m";
    case Color::cyan: return "\033[36m";
    case Color::dim: return "\033[2m";
    case Color::bold: return "\033[1m";
    case Color::none: break;
  }
  return "";
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

Event::Event(Output& out, std::string_view kind) : out_(out), json_(out.json()) {
  if (json_) {
    line_ = "{";
    if (!kind.empty()) {
      append_key("event");
      append_json_string(line_, kind);
    }
  }
}

void Event::append_key(std::string_view key) {
  if (!first_) line_ += ',';
  first_ = false;
  append_json_string(line_, key);
  line_ += ':';
}

void Event::open_color() {
  if (next_color_ != Color::none && out_.color()) {
    line_ += color_code(next_color_);
    open_ = next_color_;
  }
  next_color_ = Color::none;
}

void Event::close_color() {
  if (open_ != Color::none) line_ += "\033[0m";
  open_ = Color::none;
}

Event& Event::address(std::string_view key, SockAddr const& a, Scheme const& s, std::string_view human) {
  if (json_) {
    append_key(key);
    line_ += address_json(a, s).dump(-1, ' ', false, Json::error_handler_t::replace);
  } else {
    open_color();
    fmt::format_to(std::back_inserter(line_), fmt::runtime(human), format_endpoint(a, s));
    close_color();
  }
  return *this;
}

Event& Event::json(std::string_view key, Json const& value, std::string_view human) {
  if (json_) {
    append_key(key);
    line_ += value.dump(-1, ' ', false, Json::error_handler_t::replace);
  } else {
    line_ += human;
  }
  return *this;
}

Result<void> Event::emit() {
  if (json_) line_ += '}';
  line_ += '\n';
  return out_.put_line(line_);
}

Output::Output(Format format, std::FILE* out, std::FILE* err)
    : format_(format), out_(out), err_(err) {
  bool tty = isatty(fileno(out)) == 1;
  color_ = format == Format::human && tty && std::getenv("NO_COLOR") == nullptr;
  line_flush_ = format == Format::json || tty;
}

Event Output::event(std::string_view kind) { return Event(*this, kind); }

Result<void> Output::put_line(std::string& line) {
  if (std::fwrite(line.data(), 1, line.size(), out_) != line.size())
    return check_stdout("write to stdout");
  if (line_flush_ && std::fflush(out_) != 0) return check_stdout("write to stdout");
  return {};
}

Result<void> Output::check_stdout(char const* what) {
  int err = errno ? errno : EIO;
  auto e = Error::sys(what, err);
  e.exit = Exit::io;
  return e;
}

Result<void> Output::document(Json const& doc, std::function<std::string()> const& human) {
  std::string text;
  if (json()) {
    text = doc.dump(-1, ' ', false, Json::error_handler_t::replace);
    text += '\n';
  } else {
    text = human();
  }
  if (std::fwrite(text.data(), 1, text.size(), out_) != text.size())
    return check_stdout("write to stdout");
  return finish();
}

Result<void> Output::write(std::string_view bytes) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), out_) != bytes.size())
    return check_stdout("write to stdout");
  return {};
}

Result<void> Output::write_lines(std::string_view lines) {
  if (std::fwrite(lines.data(), 1, lines.size(), out_) != lines.size()) return check_stdout("write to stdout");
  if (line_flush_ && std::fflush(out_) != 0) return check_stdout("write to stdout");
  return {};
}

Result<void> Output::finish() {
  errno = 0;
  if (std::fflush(out_) != 0 || std::ferror(out_)) return check_stdout("write to stdout");
  return {};
}

void Output::note_line(std::string const& line) {
  std::fprintf(err_, "sockctl: %s\n", line.c_str());
  std::fflush(err_);
}

void Output::warn(std::string_view command, std::string_view message) {
  if (quiet()) return;
  std::fprintf(err_, "sockctl: %.*s: %.*s\n", static_cast<int>(command.size()), command.data(),
               static_cast<int>(message.size()), message.data());
  std::fflush(err_);
}

int Output::fail(std::string_view command, Error const& e) {
  std::string message = e.message();
  if (json()) {
    Json j = {{"error", {{"message", message}, {"errno", e.err}, {"exit", static_cast<int>(e.exit)}}}};
    if (!command.empty()) j["error"]["command"] = command;
    std::string text = j.dump(-1, ' ', false, Json::error_handler_t::replace);
    std::fprintf(err_, "%s\n", text.c_str());
  } else if (command.empty()) {
    std::fprintf(err_, "sockctl: %s\n", message.c_str());
  } else {
    std::fprintf(err_, "sockctl: %.*s: %s\n", static_cast<int>(command.size()), command.data(),
                 message.c_str());
  }
  std::fflush(err_);
  return static_cast<int>(e.exit);
}

}  // namespace sockctl
