// can_text.cpp: CAN frames and ISO-TP PDUs as lines of text, for `connect`
// and `listen` on can: and can-isotp: endpoints, which have no byte stream to
// relay: a frame is 16 or 72 bytes of struct canfd_frame, a PDU one datagram.
// Lines in are cansend's frame syntax or isotpsend's hex; lines out are the
// same syntax (pasteable back) or isotprecv's hex, so two of these piped
// together make a gateway. Replaces: cansend + candump, isotpsend + isotprecv.
// See: sockctl-connect(1), Documentation/networking/can.rst, iso-tp.rst.
#include <poll.h>
#include <sys/socket.h>
#include <time.h>

#include <cerrno>
#include <cstdint>

#include <fmt/format.h>

#include "sockctl/can.hpp"
#include "sockctl/interrupt.hpp"
#include "sockctl/io.hpp"

namespace sockctl {

namespace {

int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

double now_seconds() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// Lines from a descriptor, read as they come; the last one may lack its newline.
class LineInput {
 public:
  LineInput(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  bool open() const { return fd_ >= 0 && !eof_; }
  int fd() const { return fd_; }
  size_t line_no() const { return line_no_; }
  std::string const& name() const { return name_; }

  /// One read(2); at EOF the unterminated tail becomes the last line.
  Result<void> fill() {
    char buf[4096];
    size_t n = TRY(read_some(fd_, std::as_writable_bytes(std::span(buf)), name_));
    if (n == 0) {
      eof_ = true;
      if (!pending_.empty() && pending_.back() != '\n') pending_ += '\n';
    }
    pending_.append(buf, n);
    return {};
  }
  /// The next whole line, trimmed, or nullopt when none is complete yet.
  std::optional<std::string> next() {
    auto nl = pending_.find('\n', scan_);
    if (nl == std::string::npos) {
      scan_ = pending_.size();
      return std::nullopt;
    }
    std::string line(trim(std::string_view(pending_).substr(0, nl)));
    pending_.erase(0, nl + 1);
    scan_ = 0;
    ++line_no_;
    return line;
  }

 private:
  int fd_;
  std::string name_;
  std::string pending_;
  size_t scan_ = 0;
  size_t line_no_ = 0;
  bool eof_ = false;
};

// An error about one input line, named by its number.
Error at_line(LineInput const& in, Error e) {
  e.what = fmt::format("{} line {}: {}", in.name(), in.line_no(), e.what);
  return e;
}

// The loop both exchanges share: input lines go to send_line as they come;
// receive is called when the socket is readable and returns how many frames
// or PDUs it took (at most the count left). Ends at the count, on Ctrl-C, or
// after the silence the options allow.
Result<CanLineStats> run_lines(Socket& s, CanLineOptions const& opts,
                               std::function<Result<void>(std::string_view)> const& send_line,
                               std::function<Result<uint64_t>(uint64_t)> const& receive) {
  LineInput in(opts.input, opts.input_name);
  bool had_input = opts.input >= 0;
  Interrupts interrupts;
  CanLineStats st;
  double start = now_seconds(), last = start;
  for (;;) {
    if (opts.count && st.received >= *opts.count) {
      st.ending = "count";
      break;
    }
    // Silence allowed: --idle-timeout throughout; after the input's EOF at
    // most the linger, so a request's answers are printed and then it ends.
    std::optional<double> quiet = opts.idle;
    if (had_input && !in.open()) quiet = opts.idle.value_or(opts.linger);
    int timeout_ms = -1;
    if (quiet) timeout_ms = std::max(0, static_cast<int>((last + *quiet - now_seconds()) * 1000) + 1);
    pollfd fds[2] = {{s.fd(), POLLIN, 0}, {in.open() ? in.fd() : -1, POLLIN, 0}};
    int ready = TRY(interrupts.wait(std::span(fds, 2), timeout_ms));
    if (interrupts.caught()) {
      st.ending = "interrupted";
      break;
    }
    if (ready == 0) {
      if (quiet && now_seconds() >= last + *quiet) {
        st.ending = had_input && !in.open() ? "eof" : "idle";
        break;
      }
      continue;
    }
    if (fds[0].revents & (POLLIN | POLLERR)) {
      uint64_t left = opts.count ? *opts.count - st.received : UINT64_MAX;
      uint64_t n = TRY(receive(left));
      st.received += n;
      if (n) last = now_seconds();
    }
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      TRY(in.fill());
      while (auto line = in.next()) {
        if (line->empty() || line->front() == '#') continue;
        auto sent = send_line(*line);
        if (!sent) return at_line(in, sent.release_error());
        ++st.sent;
      }
      last = now_seconds();
    }
  }
  st.seconds = now_seconds() - start;
  return st;
}

}  // namespace

Result<std::vector<std::byte>> parse_isotp_hex(std::string_view text) {
  std::vector<std::byte> bytes;
  size_t i = 0;
  while (i < text.size()) {
    if (is_blank(text[i]) || text[i] == '\n') {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && !is_blank(text[j]) && text[j] != '\n') ++j;
    auto token = text.substr(i, j - i);
    for (char c : token)
      if (nibble(c) < 0)
        return Error::data(fmt::format("hex payload byte '{}'", token), "expected hex digits, e.g. 22 F1 90 or 22F190");
    if (token.size() == 1) {
      bytes.push_back(static_cast<std::byte>(nibble(token[0])));
    } else if (token.size() % 2) {
      return Error::data(fmt::format("hex payload byte '{}'", token), "odd number of hex digits");
    } else {
      for (size_t k = 0; k < token.size(); k += 2)
        bytes.push_back(static_cast<std::byte>(nibble(token[k]) << 4 | nibble(token[k + 1])));
    }
    i = j;
  }
  return bytes;
}

void append_isotp_hex(std::string& out, std::span<std::byte const> data) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  for (auto b : data) {
    auto v = static_cast<unsigned>(b);
    out += kDigits[v >> 4];
    out += kDigits[v & 15];
    out += ' ';
  }
  out += '\n';
}

void append_can_frame_event(std::string& out, std::string_view interface, CanReceived const& r) {
  out += R"({"event":"frame","interface":)";
  append_json_string(out, interface);
  out += R"(,"timestamp":)";
  append_epoch(out, r.time.tv_sec, static_cast<uint32_t>(r.time.tv_nsec));
  out += ',';
  append_can_json_fields(out, r.frame.view());
  out += '}';
}

Result<CanLineStats> exchange_can_frames(Socket& s, CanLineOptions const& opts,
                                         std::function<Result<void>(CanReceived const&)> const& on_frame) {
  CanReceiver receiver;
  auto send_line = [&](std::string_view line) -> Result<void> {
    // A candump -l/-L line: its frame; timing and interface are `can replay`'s job.
    auto f = line.front() == '(' ? TRY(parse_can_log_line(line)).frame : TRY(parse_can_frame(line));
    if (f.fd && !opts.fd)
      return Error::make(Exit::unavailable, fmt::format("frame '{}' on '{}'", line, s.label()),
                         "not a CAN FD interface (MTU 16)");
    return send_can_frame(s, f);
  };
  auto receive = [&](uint64_t left) -> Result<uint64_t> {
    auto batch = TRY(receiver.receive(s));
    uint64_t n = 0;
    for (auto const& r : batch) {
      if (n == left) break;
      ++n;
      TRY(on_frame(r));
      if (opts.echo) TRY(send_can_frame(s, r.frame));
    }
    return n;
  };
  return run_lines(s, opts, send_line, receive);
}

Result<CanLineStats> exchange_isotp_pdus(Socket& s, CanLineOptions const& opts,
                                         std::function<Result<void>(std::span<std::byte const>)> const& on_pdu) {
  // The kernel reassembles PDUs longer than the 4095 bytes sockctl sends
  // (8200 in Linux 6.1, a module parameter later): room for what a peer sends.
  std::vector<std::byte> buf(65536);
  auto send_pdu = [&](std::span<std::byte const> pdu) -> Result<void> {
    TRY(s.send(pdu));
    return {};
  };
  auto send_line = [&](std::string_view line) -> Result<void> {
    auto pdu = TRY(parse_isotp_hex(line));
    if (pdu.size() > kIsotpMaxPayload)
      return Error::data(fmt::format("payload of {} bytes", pdu.size()), "ISO-TP carries 1 to 4095 bytes");
    return send_pdu(pdu);
  };
  auto receive = [&](uint64_t left) -> Result<uint64_t> {
    if (left == 0) return 0;
    ssize_t n = ::recv(s.fd(), buf.data(), buf.size(), MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) return 0;
      return Error::sys(fmt::format("receive on '{}'", s.label()), errno);
    }
    auto pdu = std::span<std::byte const>(buf.data(), static_cast<size_t>(n));
    TRY(on_pdu(pdu));
    if (opts.echo) TRY(send_pdu(pdu));
    return 1;
  };
  return run_lines(s, opts, send_line, receive);
}

}  // namespace sockctl
