// can_log.cpp: time stamps as candump prints them (-t a|d|z|A) and candump's
// log format, "(1700000000.123456) vcan0 123#DEADBEEF", which candump -l/-L
// writes and canplayer replays. Lines are read strictly: a log that does not
// parse is an error with its line, not a frame quietly skipped.
// See: candump(1), canplayer(1), can-utils' log format (lib.h).
#include <fmt/format.h>

#include "sockctl/can.hpp"

namespace sockctl {

Result<CanTimeFormat> parse_can_time_format(std::string_view text) {
  if (text == "a" || text == "absolute") return CanTimeFormat::absolute;
  if (text == "d" || text == "delta") return CanTimeFormat::delta;
  if (text == "z" || text == "zero") return CanTimeFormat::zero;
  if (text == "A" || text == "date") return CanTimeFormat::date;
  if (text == "none") return CanTimeFormat::none;
  return Error::usage(fmt::format("bad timestamp format '{}'", text),
                      "expected absolute, delta, zero, date or none (or a, d, z, A)");
}

void CanClock::append(std::string& out, timespec t) {
  auto it = std::back_inserter(out);
  long usec = t.tv_nsec / 1000;
  switch (format_) {
    case CanTimeFormat::none: return;
    case CanTimeFormat::absolute:
      fmt::format_to(it, "({:010}.{:06}) ", static_cast<long long>(t.tv_sec), usec);
      return;
    case CanTimeFormat::date: {
      tm local{};
      time_t sec = t.tv_sec;
      localtime_r(&sec, &local);
      char buf[32];
      size_t n = strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &local);
      fmt::format_to(it, "({}.{:06}) ", std::string_view(buf, n), usec);
      return;
    }
    case CanTimeFormat::delta:
    case CanTimeFormat::zero: {
      if (!last_) last_ = t;
      long long sec = t.tv_sec - last_->tv_sec;
      long diff_us = usec - last_->tv_nsec / 1000;
      if (diff_us < 0) {
        --sec;
        diff_us += 1000000;
      }
      // A clock stepped back prints zero, as candump does.
      if (sec < 0) sec = diff_us = 0;
      fmt::format_to(it, "({:03}.{:06}) ", sec, diff_us);
      if (format_ == CanTimeFormat::delta) last_ = t;
      return;
    }
  }
}

Result<CanLogRecord> parse_can_log_line(std::string_view line) {
  auto bad = [&](std::string why) { return Error::data(fmt::format("log line '{}'", line), std::move(why)); };
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };

  if (line.empty() || line[0] != '(') return bad("expected '(SECONDS.FRACTION) IFACE FRAME'");
  auto close = line.find(')');
  if (close == std::string_view::npos) return bad("missing ')' after the timestamp");
  auto stamp = line.substr(1, close - 1);
  auto dot = stamp.find('.');
  auto sec = stamp.substr(0, dot);
  auto frac = dot == std::string_view::npos ? std::string_view() : stamp.substr(dot + 1);
  bool digits_ok = !sec.empty() && sec.size() <= 18 && !frac.empty() && frac.size() <= 9;
  for (char c : sec) digits_ok = digits_ok && is_digit(c);
  for (char c : frac) digits_ok = digits_ok && is_digit(c);
  if (!digits_ok) return bad(fmt::format("timestamp '({})' is not SECONDS.FRACTION", stamp));
  CanLogRecord rec;
  long long s = 0;
  for (char c : sec) s = s * 10 + (c - '0');
  long ns = 0;
  for (size_t i = 0; i < 9; ++i) ns = ns * 10 + (i < frac.size() ? frac[i] - '0' : 0);
  rec.time.tv_sec = static_cast<time_t>(s);
  rec.time.tv_nsec = ns;

  // The rest is whitespace-separated: IFACE FRAME [R|T]. candump pads the
  // interface name to the longest one it was given.
  std::string_view fields[4];
  size_t n = 0;
  size_t i = close + 1;
  if (i < line.size() && !is_space(line[i])) return bad("expected a space after the timestamp");
  while (i < line.size()) {
    while (i < line.size() && is_space(line[i])) ++i;
    if (i == line.size()) break;
    size_t start = i;
    while (i < line.size() && !is_space(line[i])) ++i;
    if (n == 4) break;
    fields[n++] = line.substr(start, i - start);
  }
  if (n < 2) return bad("expected an interface and a frame after the timestamp");
  bool direction = n >= 3 && (fields[2] == "R" || fields[2] == "T");
  if (n > 3 || (n == 3 && !direction))
    return bad(fmt::format("unexpected '{}' after the frame", direction ? fields[3] : fields[2]));
  if (fields[0].size() >= 16) return bad(fmt::format("interface name '{}' is longer than 15 characters", fields[0]));
  rec.interface = fields[0];
  rec.frame = TRY(parse_can_frame(fields[1]));
  return rec;
}

void append_can_log_line(std::string& out, timespec t, std::string_view interface, CanFrame const& f) {
  fmt::format_to(std::back_inserter(out), "({:010}.{:06}) {} ", static_cast<long long>(t.tv_sec),
                 t.tv_nsec / 1000, interface);
  append_can_compact(out, f);
  out += '\n';
}

}  // namespace sockctl
