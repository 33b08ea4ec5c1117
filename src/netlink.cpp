// netlink.cpp: raw netlink requests from hex lines, and knowing when their
// replies are complete.
//
// Netlink sockets have no EOF, so `connect netlink:` cannot wait for one: it
// remembers what each request it sent is owed (a dump ends with NLMSG_DONE,
// NLM_F_ACK with an NLMSG_ERROR carrying 0 or an errno, a plain request with
// its one reply) and ends when input has ended and nothing is owed. A reply
// is matched to the oldest request with its sequence number. Every reply
// header is checked before use: nlmsg_len must cover the header and fit.
// See: netlink(7), linux/netlink.h.
#include "sockctl/netlink.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <linux/netlink.h>
#include <poll.h>

#include <fmt/format.h>

#include "sockctl/hex.hpp"
#include "sockctl/io.hpp"

namespace sockctl::netlink {

namespace {

constexpr size_t kHeader = sizeof(nlmsghdr);

uint32_t load32(std::span<std::byte const> b, size_t off) {
  uint32_t v;
  std::memcpy(&v, b.data() + off, 4);
  return v;
}

uint16_t load16(std::span<std::byte const> b, size_t off) {
  uint16_t v;
  std::memcpy(&v, b.data() + off, 2);
  return v;
}

Message header(std::span<std::byte const> b) {
  Message m;
  m.len = load32(b, offsetof(nlmsghdr, nlmsg_len));
  m.type = load16(b, offsetof(nlmsghdr, nlmsg_type));
  m.flags = load16(b, offsetof(nlmsghdr, nlmsg_flags));
  m.seq = load32(b, offsetof(nlmsghdr, nlmsg_seq));
  m.pid = load32(b, offsetof(nlmsghdr, nlmsg_pid));
  return m;
}

size_t aligned(size_t n) { return (n + NLMSG_ALIGNTO - 1) & ~size_t(NLMSG_ALIGNTO - 1); }

std::string_view trimmed(std::string_view s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<std::vector<std::byte>> parse_request(std::string_view line) {
  auto bytes = TRY(hex_decode(trimmed(line)));
  auto bad = [&](std::string why) { return Error::data(fmt::format("bad netlink request '{}'", trimmed(line)), why); };
  if (bytes.empty()) return bad("no bytes");
  size_t off = 0;
  for (int n = 1; off < bytes.size(); ++n) {
    size_t left = bytes.size() - off;
    if (left < kHeader)
      return bad(fmt::format("message {} has {} bytes, less than the 16-byte header", n, left));
    uint32_t len = load32(bytes, off);
    if (len == 0) {
      len = static_cast<uint32_t>(left);
      std::memcpy(bytes.data() + off, &len, 4);
    }
    if (len < kHeader) return bad(fmt::format("message {} says nlmsg_len {}, less than its 16-byte header", n, len));
    if (len > left) return bad(fmt::format("message {} says nlmsg_len {} but {} bytes are left", n, len, left));
    off += std::min(aligned(len), left);
  }
  // A request must be a datagram split() accepts; one validator for both directions.
  if (auto messages = split(bytes); !messages) return bad(messages.error().why);
  return std::vector<std::byte>(bytes.begin(), bytes.end());
}

Result<std::vector<Message>> split(std::span<std::byte const> datagram) {
  std::vector<Message> out;
  size_t off = 0;
  while (off < datagram.size()) {
    auto rest = datagram.subspan(off);
    if (rest.size() < kHeader)
      return Error::data("netlink reply", fmt::format("{} stray bytes after message {}", rest.size(), out.size()));
    Message m = header(rest);
    if (m.len < kHeader)
      return Error::data("netlink reply",
                         fmt::format("message {} says nlmsg_len {}, less than its 16-byte header", out.size() + 1, m.len));
    if (m.len > rest.size())
      return Error::data("netlink reply", fmt::format("message {} says nlmsg_len {} but {} bytes are left",
                                                      out.size() + 1, m.len, rest.size()));
    m.bytes = rest.first(m.len);
    if (m.type == NLMSG_ERROR) {
      if (m.len < kHeader + sizeof(int))
        return Error::data("netlink reply", fmt::format("NLMSG_ERROR of {} bytes has no error code", m.len));
      int32_t e;
      std::memcpy(&e, rest.data() + kHeader, sizeof e);
      // The kernel sends -errno; anything else is not an errno we can name.
      m.error = e < 0 && e > -4096 ? -e : e == 0 ? 0 : EPROTO;
    }
    out.push_back(m);
    off += std::min(aligned(m.len), rest.size());
  }
  return out;
}

void Exchange::sent(std::span<Message const> requests) {
  for (auto const& r : requests) {
    if (r.flags & NLM_F_ACK)
      pending_.push_back({r.seq, r.type, Wait::ack});
    else if ((r.flags & NLM_F_REQUEST) && (r.flags & NLM_F_DUMP) == NLM_F_DUMP)
      pending_.push_back({r.seq, r.type, Wait::done});
    else if (r.flags & NLM_F_REQUEST)
      pending_.push_back({r.seq, r.type, Wait::reply});
  }
}

void Exchange::received(Message const& reply) {
  auto it = std::find_if(pending_.begin(), pending_.end(), [&](Pending const& p) { return p.seq == reply.seq; });
  if (reply.type == NLMSG_ERROR && reply.error && !error_) {
    auto what = it == pending_.end() ? fmt::format("netlink request seq {}", reply.seq)
                                     : fmt::format("netlink request seq {} (type {})", reply.seq, it->type);
    error_ = Error::sys(what, reply.error);
  }
  if (it == pending_.end()) return;
  bool complete = false;
  switch (it->wait) {
    // A dump's failure comes as NLMSG_ERROR instead of NLMSG_DONE.
    case Wait::done: complete = reply.type == NLMSG_DONE || reply.type == NLMSG_ERROR; break;
    case Wait::ack: complete = reply.type == NLMSG_ERROR; break;
    // A multi-part answer to a plain request still ends with NLMSG_DONE.
    case Wait::reply: complete = !(reply.flags & NLM_F_MULTI) || reply.type == NLMSG_DONE; break;
  }
  if (complete) pending_.erase(it);
}

namespace {

// Splits buffered input into lines; blank lines and '#' comments are skipped.
template <class F>
Result<void> take_lines(std::string& buffer, bool eof, F&& each) {
  size_t start = 0;
  for (;;) {
    size_t nl = buffer.find('\n', start);
    if (nl == std::string::npos && !(eof && start < buffer.size())) break;
    size_t end = nl == std::string::npos ? buffer.size() : nl;
    auto line = trimmed(std::string_view(buffer).substr(start, end - start));
    if (!line.empty() && line.front() != '#') TRY(each(line));
    start = end + (nl == std::string::npos ? 0 : 1);
  }
  buffer.erase(0, start);
  return {};
}

}  // namespace

Result<void> subscribe(Socket& sock, std::uint32_t groups) {
  for (int group = 1; group <= 32; ++group)
    if (groups & (1u << (group - 1))) TRY(sock.setsockopt_int(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group));
  return {};
}

Result<void> exchange(Socket& sock, ExchangeOptions const& opts,
                      std::function<Result<void>(Message const&)> const& on_reply) {
  Exchange ex;
  std::string pending_input;
  bool input_open = true;
  // A dump answers in datagrams of up to 32 KiB; twice that leaves room.
  std::vector<std::byte> buf(1 << 16);
  auto idle = Deadline::after(opts.idle);
  auto send_line = [&](std::string_view line) -> Result<void> {
    auto datagram = TRY(parse_request(line));
    auto requests = TRY(split(datagram));
    TRY(sock.send(datagram));
    ex.sent(requests);
    return {};
  };
  while (input_open || ex.waiting() || opts.watch) {
    pollfd fds[2] = {{sock.fd(), POLLIN, 0}, {opts.input, POLLIN, 0}};
    int timeout = input_open ? -1 : idle.poll_ms();
    int n = ::poll(fds, input_open ? 2 : 1, timeout);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error::sys("poll", errno);
    // Silence after every answer is the end of a watch.
    if (n == 0 && opts.watch && !ex.waiting()) break;
    if (n == 0)
      return Error::make(Exit::timeout, fmt::format("netlink '{}'", sock.label()),
                         fmt::format("no answer within {} s", opts.idle.value_or(0)));
    if (fds[0].revents) {
      auto r = TRY(sock.recvmsg(buf, {}, MSG_TRUNC));
      if (r.flags & MSG_TRUNC)
        return Error::data(fmt::format("netlink '{}'", sock.label()),
                           fmt::format("a reply of {} bytes did not fit in {}", r.bytes, buf.size()));
      auto replies = TRY(split(std::span(buf).first(r.bytes)));
      for (auto const& m : replies) {
        TRY(on_reply(m));
        ex.received(m);
      }
      idle = Deadline::after(opts.idle);
    }
    if (input_open && fds[1].revents) {
      char chunk[4096];
      auto got = TRY(read_some(opts.input, std::as_writable_bytes(std::span(chunk)), "stdin"));
      pending_input.append(chunk, got);
      input_open = got > 0;
      TRY(take_lines(pending_input, !input_open, send_line));
      if (!input_open) idle = Deadline::after(opts.idle);
    }
  }
  if (ex.error()) return *ex.error();
  return {};
}

}  // namespace sockctl::netlink
