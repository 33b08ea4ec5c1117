// relay.cpp: the bulk relay behind listen and connect.
//
// A Session is two Pumps, one per direction, driven by the Reactor's
// level-triggered epoll. Each Pump moves bytes in the cheapest way both of
// its descriptors allow, chosen once and downgraded when the kernel refuses:
//  - splice: source -> pipe -> sink, no copy through user space. Sockets,
//    pipes and regular files can be spliced; the pipe is asked for 1 MiB
//    (F_SETPIPE_SZ) so one pair of calls moves up to a megabyte. A pipe is
//    taken from a per-reactor pool and only returned empty, so thousands of
//    short connections do not create thousands of pipes, and no byte of one
//    relay can reach another.
//  - sendfile: a regular file into the socket (--send-file).
//  - copy: read/recvmsg into one shared scratch buffer, then write/send. Used
//    for message sockets (a datagram must stay one datagram, and splice
//    would merge them), for --json (the bytes become events), and where
//    splice says EINVAL (terminals, /dev/full): bytes already in the pipe are
//    read back first, so switching loses nothing.
// No byte is dropped: a write that takes less is remembered (in the pipe or a
// pending buffer) and the source is not read again until it is out. EOF is
// passed on only once everything before it is delivered: shutdown(SHUT_WR)
// for the socket, closing the child's stdin for --exec. The session ends when
// both directions have passed EOF (and the --exec child has been reaped), so
// a reply that comes after our EOF is still read in full (half-close).
// Message sockets may carry events instead of data (SCTP's MSG_NOTIFICATION):
// they are not relayed, and the end of the association relayed is its EOF.
// stdin and stdout are shared with whoever started us, so their O_NONBLOCK
// flag is never changed: they are touched only after epoll said ready, once
// per readiness. Errors writing our own stdout are fatal (exit 74); a child
// that stops reading is not: what it would have read is dropped.
// See: splice(2), sendfile(2), pipe(7) F_SETPIPE_SZ, shutdown(2), tcp(7) MSG_TRUNC.
#include "sockctl/relay.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "sockctl/family_traits.hpp"

namespace sockctl {

using Clock = std::chrono::steady_clock;

bool is_connectionless(int type) { return type != SOCK_STREAM && type != SOCK_SEQPACKET; }

Local Local::child(Child c) {
  Local l(Kind::child);
  l.child_ = std::make_unique<Child>(std::move(c));
  return l;
}

Local Local::file(Fd f, std::string name) {
  Local l(Kind::file);
  l.file_ = std::move(f);
  l.file_name_ = std::move(name);
  return l;
}

namespace {

// Bigger messages than this from a byte stream (stdin to a UDP socket) are
// cut here: the largest UDP payload over IPv4.
constexpr size_t kMaxDatagram = 65507;
// sendfile moves at most this much per call; the socket takes less when full.
constexpr size_t kSendfileChunk = 4 << 20;
// A pump yields after this many steps so the other direction is not starved.
constexpr int kStepsPerTurn = 64;
// A stream socket whose send buffer is smaller than this (a user's
// SO_SNDBUF) is offered a quarter of it per call: see Pump::note_full().
constexpr int kSmallSndbuf = 256 << 10;

enum class FdType { closed, stream_socket, message_socket, pipe, file, tty, other };

FdType fd_type(int fd) {
  struct stat st;
  if (fd < 0 || ::fstat(fd, &st) < 0) return FdType::closed;
  if (S_ISSOCK(st.st_mode)) {
    int type = 0;
    socklen_t len = sizeof type;
    ::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len);
    return type == SOCK_STREAM ? FdType::stream_socket : FdType::message_socket;
  }
  if (S_ISFIFO(st.st_mode)) return FdType::pipe;
  if (S_ISREG(st.st_mode)) return FdType::file;
  if (::isatty(fd)) return FdType::tty;
  return FdType::other;
}

bool is_socket(FdType t) { return t == FdType::stream_socket || t == FdType::message_socket; }

}  // namespace

// One direction of a session: bytes from src to a sink, in one of three ways.
class Pump {
 public:
  struct End {
    int fd = -1;
    FdType type = FdType::closed;
    std::string name;           // for errors: "stdin", "tcp:127.0.0.1:80", "command 'cat'"
    bool session_socket = false;
    bool child = false;
    bool stdout_ = false;
    bool blocking = false;      // not ours to make non-blocking (stdin, stdout): touch only when poll says so
  };
  enum class Sink { fd, events, discard };
  enum class Mode { splice, sendfile, copy };

  Pump(Session& s, End src, Sink sink, End dst) : s_(s), src_(std::move(src)), sink_(sink), dst_(std::move(dst)) {
    message_src_ = src_.type == FdType::message_socket;
    message_dst_ = sink_ == Sink::fd && dst_.type == FdType::message_socket;
    connectionless_src_ = src_.session_socket && s_.connectionless_;
    if (message_src_ || message_dst_ || sink_ != Sink::fd)
      mode_ = Mode::copy;
    else if (src_.type == FdType::file)
      mode_ = Mode::sendfile;
    else
      mode_ = Mode::splice;
    if (src_.type == FdType::closed) eof_ = true;
  }

  bool finished() const { return finished_; }
  bool has_pending() const { return in_pipe_ > 0 || pending_off_ < pending_.size() || message_pending_; }
  uint64_t messages() const { return messages_; }
  End const& src() const { return src_; }
  End const& dst() const { return dst_; }
  bool fatal() const { return fatal_; }

  /// The descriptor and events the next step waits for.
  std::pair<int, uint32_t> interest() const {
    if (finished_ || (eof_ && !has_pending())) return {-1, 0};
    if (sink_ == Sink::fd && (has_pending() || mode_ == Mode::sendfile)) return {dst_.fd, EPOLLOUT};
    if (needs_peer()) return {-1, 0};
    return {src_.fd, EPOLLIN};
  }

  /// Moves bytes until a side would block, EOF has been passed on, or the turn ends.
  Result<void> drive() {
    for (int step = 0; step < kStepsPerTurn && !finished_; ++step) {
      if (has_pending()) {
        if (dst_.blocking && !dst_ready_) return {};
        dst_ready_ = false;
        if (!TRY(flush())) return {};
        continue;
      }
      if (eof_) return finish();
      if (needs_peer()) return {};
      if (src_.blocking && !src_ready_) return {};
      src_ready_ = false;
      if (!TRY(fill())) return {};
    }
    if (eof_ && !has_pending() && !finished_) return finish();
    return {};
  }

  /// The reactor says fd is ready: a blocking descriptor may be used once.
  void note_ready(int fd, uint32_t events) {
    if (fd == src_.fd && (events & (EPOLLIN | EPOLLHUP | EPOLLERR))) src_ready_ = true;
    if (fd == dst_.fd && (events & (EPOLLOUT | EPOLLHUP | EPOLLERR))) dst_ready_ = true;
  }

  /// Passes EOF on without waiting for the source (a terminal once the peer has gone).
  Result<void> stop_reading() {
    eof_ = true;
    return has_pending() ? Result<void>{} : finish();
  }

  /// The child stopped reading (exited, or closed its stdin): what it would
  /// have read is dropped, and the socket is still read to its EOF, so the
  /// peer is not reset while our last bytes are on their way to it.
  void child_gone() {
    if (!dst_.child || sink_ == Sink::discard) return;
    s_.close_child_stdin();
    sink_ = Sink::discard;
    mode_ = Mode::copy;
    pipe_.reset();
    in_pipe_ = 0;
    pending_.clear();
    pending_off_ = 0;
    message_pending_ = false;
  }

 private:
  bool needs_peer() const {
    // Echo learns the peer from the datagram it reads; others wait to be told.
    return sink_ == Sink::fd && message_dst_ && dst_.session_socket && !src_.session_socket && !s_.connected_ &&
           !s_.last_peer_;
  }

  // Bluetooth reports the remote's ordinary close as ECONNRESET: that is its EOF.
  bool peer_closed(int err) const {
    return src_.session_socket && err == ECONNRESET && closes_with_reset(s_.sock_.family());
  }

  Error src_error(std::string_view op, int err) {
    auto e = Error::sys(fmt::format("{} from '{}'", op, src_.name), err);
    if (src_.type == FdType::file && e.exit == Exit::os) e.exit = Exit::no_input;
    return e;
  }

  Error dst_error(std::string_view op, int err) {
    auto e = Error::sys(fmt::format("{} to '{}'", op, dst_.name), err);
    if (dst_.stdout_) {
      e.what = fmt::format("write to stdout");
      e.exit = Exit::io;
      fatal_ = true;
    }
    return e;
  }

  void count_in(size_t n) {
    if (src_.session_socket) s_.stats_.received += n;
    s_.touch();
  }
  void count_out(size_t n) {
    if (dst_.session_socket) s_.stats_.sent += n;
    s_.touch();
  }

  // Reads (or splices) one chunk from the source. False when it would block.
  Result<bool> fill() {
    if (mode_ == Mode::sendfile) {
      size_t want = offer(kSendfileChunk);
      ssize_t n = ::sendfile(dst_.fd, src_.fd, nullptr, want);
      if (n > 0) {
        if (static_cast<size_t>(n) < want) note_full();
        count_out(static_cast<size_t>(n));
        return true;
      }
      if (n == 0) {
        eof_ = true;
        return true;
      }
      if (errno == EAGAIN) note_full();
      if (errno == EAGAIN || errno == EINTR) return errno == EINTR;
      // The kernel refuses this pair (EINVAL, ENOSYS): nothing was moved, copy instead.
      if (errno == EINVAL || errno == ENOSYS) {
        mode_ = Mode::copy;
        return true;
      }
      if (errno == EIO) return src_error("read", errno);
      return write_failed("send", errno);
    }
    if (mode_ == Mode::splice) {
      if (!pipe_) pipe_ = TRY(s_.reactor_.take_pipe(s_.opts_.pipe_bytes));
      ssize_t n = ::splice(src_.fd, nullptr, pipe_->write.get(), nullptr, pipe_->capacity,
                           SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (n > 0) {
        in_pipe_ = static_cast<size_t>(n);
        count_in(in_pipe_);
        return true;
      }
      if (n == 0) {
        eof_ = true;
        return true;
      }
      // The pipe is empty here, so EAGAIN can only mean the source is.
      if (errno == EAGAIN) return false;
      if (errno == EINTR) return true;
      if (errno == EINVAL) {
        mode_ = Mode::copy;
        return true;
      }
      if (peer_closed(errno)) {
        eof_ = true;
        return true;
      }
      return src_error("receive", errno);
    }
    return read_chunk();
  }

  Result<bool> read_chunk() {
    auto buf = s_.reactor_.scratch();
    if (message_dst_) buf = buf.first(std::min(buf.size(), dst_.session_socket ? s_.max_message_ : kMaxDatagram));
    SockAddr from;
    bool have_from = false;
    ssize_t n;
    if (message_src_) {
      iovec iov{buf.data(), buf.size()};
      msghdr h{};
      h.msg_iov = &iov;
      h.msg_iovlen = 1;
      h.msg_name = from.storage();
      h.msg_namelen = SockAddr::capacity();
      n = ::recvmsg(src_.fd, &h, MSG_DONTWAIT);
      if (n >= 0) {
        from.set_size(h.msg_namelen);
        have_from = h.msg_namelen > 0;
        // An SCTP event, not data: the end of the association we relay is
        // the peer's EOF (the event names the peer; others' ends are not ours).
        if (h.msg_flags & kMsgNotification) {
          if (is_peer_gone(buf.first(static_cast<size_t>(n))) && (!have_from || !s_.last_peer_ || from == *s_.last_peer_))
            eof_ = true;
          return true;
        }
        if (h.msg_flags & MSG_TRUNC)
          return Error::make(Exit::data, fmt::format("receive from '{}'", src_.name),
                             fmt::format("a message longer than {} bytes was cut", buf.size()));
      }
    } else if (sink_ == Sink::discard && is_socket(src_.type)) {
      // TCP drops the bytes without copying them (tcp(7) MSG_TRUNC); others copy into scratch.
      n = ::recv(src_.fd, buf.data(), buf.size(), MSG_DONTWAIT | MSG_TRUNC);
    } else {
      n = ::read(src_.fd, buf.data(), buf.size());
    }
    if (n < 0) {
      if (errno == EAGAIN) return false;
      if (errno == EINTR) return true;
      if (!peer_closed(errno)) return src_error("receive", errno);
      n = 0;
    }
    if (n == 0 && !connectionless_src_) {
      eof_ = true;
      return true;
    }
    auto data = buf.first(static_cast<size_t>(n));
    if (connectionless_src_ && have_from) {
      if (s_.hooks_.admit && !s_.hooks_.admit(from)) return true;
      s_.last_peer_ = from;
    }
    count_in(data.size());
    ++messages_;
    TRY(deliver(data, have_from && connectionless_src_ ? &from : nullptr));
    return true;
  }

  Result<void> deliver(std::span<std::byte const> data, SockAddr const* from) {
    if (sink_ == Sink::discard) return {};
    if (sink_ == Sink::events) {
      auto r = s_.hooks_.data ? s_.hooks_.data(data, from) : Result<void>{};
      if (!r) fatal_ = true;
      return r;
    }
    if (message_dst_) {
      if (!TRY(send_message(data))) {
        pending_.assign(data.begin(), data.end());
        message_pending_ = true;
      }
      return {};
    }
    size_t done = data.empty() ? 0 : TRY(write_some(data));
    if (done < data.size()) {
      pending_.assign(data.begin() + static_cast<ptrdiff_t>(done), data.end());
      pending_off_ = 0;
    }
    return {};
  }

  // How many of n bytes to offer the sink in one call: a byte-stream L2CAP
  // socket refuses (EMSGSIZE) a send above its outgoing MTU.
  size_t offer(size_t n) const { return std::min({n, write_cap_, session_limit()}); }
  size_t session_limit() const { return dst_.session_socket && !message_dst_ ? s_.max_write_ : SIZE_MAX; }

  ssize_t write_once(std::span<std::byte const> data) {
    if (!is_socket(dst_.type)) return ::write(dst_.fd, data.data(), data.size());
    data = data.first(std::min(data.size(), session_limit()));
    if (dst_.session_socket && message_dst_ && !s_.connected_ && s_.last_peer_)
      return ::sendto(dst_.fd, data.data(), data.size(), send_flags(s_.sock_.family(), MSG_NOSIGNAL | MSG_DONTWAIT),
                      s_.last_peer_->get(),
                      s_.last_peer_->size());
    // Our stdout may be a socket we do not own: leave its blocking mode alone.
    int flags = MSG_NOSIGNAL | (dst_.stdout_ ? 0 : MSG_DONTWAIT);
    if (dst_.session_socket) flags = send_flags(s_.sock_.family(), flags);
    return ::send(dst_.fd, data.data(), data.size(), flags);
  }

  // One message, whole: true when sent (or dropped because the child is gone), false when it would block.
  Result<bool> send_message(std::span<std::byte const> data) {
    for (;;) {
      ssize_t n = write_once(data);
      if (n >= 0) {
        count_out(static_cast<size_t>(n));
        return true;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return false;
      return write_failed("send", errno);
    }
  }

  // Part of a byte stream: how much was taken, 0 when it would block.
  Result<size_t> write_some(std::span<std::byte const> data) {
    for (;;) {
      ssize_t n = write_once(data);
      if (n >= 0) {
        count_out(static_cast<size_t>(n));
        return static_cast<size_t>(n);
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return size_t{0};
      TRY(write_failed("send", errno));
      return data.size();  // the child stopped reading: the bytes are dropped
    }
  }

  // A failed write: fatal for stdout, the end of the session for the
  // socket, and for a child's stdin a sign that it stopped reading.
  Result<bool> write_failed(std::string_view op, int err) {
    if (dst_.child && err == EPIPE) {
      child_gone();
      return true;
    }
    return dst_error(dst_.stdout_ ? "write" : op, err);
  }

  // Writes out what the pipe or the pending buffer holds. False when the sink would block.
  Result<bool> flush() {
    if (in_pipe_ > 0) {
      size_t want = offer(in_pipe_);
      ssize_t n = ::splice(pipe_->read.get(), nullptr, dst_.fd, nullptr, want, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (n > 0) {
        if (static_cast<size_t>(n) < want) note_full();
        in_pipe_ -= static_cast<size_t>(n);
        count_out(static_cast<size_t>(n));
        return true;
      }
      if (n < 0 && errno == EAGAIN) {
        note_full();
        return false;
      }
      if (n < 0 && errno == EINTR) return true;
      if (n < 0 && errno == EINVAL) {
        // The sink cannot take spliced pages (a terminal, /dev/full): read
        // back what the pipe holds and write it the ordinary way from now on.
        TRY(drain_pipe());
        mode_ = Mode::copy;
        return true;
      }
      if (n == 0) return Error::make(Exit::os, fmt::format("splice to '{}'", dst_.name), "moved nothing");
      return write_failed("send", errno);
    }
    if (message_pending_) {
      if (!TRY(send_message(pending_))) return false;
      pending_.clear();
      message_pending_ = false;
      return true;
    }
    auto rest = std::span<std::byte const>(pending_).subspan(pending_off_);
    size_t n = TRY(write_some(rest));
    if (n == 0) return false;
    pending_off_ += n;
    if (pending_off_ >= pending_.size()) {
      pending_.clear();
      pending_off_ = 0;
    }
    return true;
  }

  // The sink took less than offered. A TCP socket with a small send buffer
  // takes one full-sized segment (64 KiB on loopback) and is then full until
  // that segment is acknowledged, and a receiver delays the ACK of a lone
  // full segment by up to 40 ms (tcp(7) TCP_QUICKACK): with SO_SNDBUF=4096,
  // 200 MB took 78 s (socat, writing 8 KiB at a time: 1 s). So such a socket
  // is offered a quarter of its buffer per call, with Nagle off, else the
  // small sends are merged into full segments again: 2.3 s. The size is
  // looked at again at every full buffer, since autotuning grows it (a
  // loopback connection starts with megabytes and is never capped).
  void note_full() {
    if (dst_.type != FdType::stream_socket || !has_nagle_) return;
    int sndbuf = 0;
    socklen_t len = sizeof sndbuf;
    if (::getsockopt(dst_.fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, &len) < 0) return;
    bool small = sndbuf > 0 && sndbuf < kSmallSndbuf;
    if (small && write_cap_ == SIZE_MAX) {
      int on = 1;
      // Only TCP and MPTCP have Nagle (and delayed ACKs); the others (unix,
      // whose default buffer is under 256 KiB too, sctp, vsock) refuse the
      // option and are left alone.
      if (::setsockopt(dst_.fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) < 0) {
        has_nagle_ = false;
        return;
      }
    }
    write_cap_ = small ? std::max<size_t>(static_cast<size_t>(sndbuf) / 4, 1024) : SIZE_MAX;
  }

  Result<void> drain_pipe() {
    pending_.clear();
    pending_off_ = 0;
    while (in_pipe_ > 0) {
      size_t old = pending_.size();
      pending_.resize(old + in_pipe_);
      ssize_t n = ::read(pipe_->read.get(), pending_.data() + old, in_pipe_);
      if (n < 0 && errno == EINTR) {
        pending_.resize(old);
        continue;
      }
      if (n <= 0) return Error::sys("read from pipe", n < 0 ? errno : EIO);
      pending_.resize(old + static_cast<size_t>(n));
      in_pipe_ -= static_cast<size_t>(n);
    }
    return {};
  }

  // Source at EOF and everything delivered: pass the EOF on.
  Result<void> finish() {
    finished_ = true;
    if (pipe_ && in_pipe_ == 0) s_.reactor_.give_pipe(std::move(*pipe_));
    pipe_.reset();
    if (sink_ != Sink::fd) return {};
    if (dst_.session_socket) {
      // Without a half-close (TIPC, Bluetooth, SCTP) shutting down would end
      // the peer's answer too: keep reading it, as for datagrams (linger).
      if (s_.opts_.shutdown_on_eof && !s_.connectionless_ && s_.half_close_) {
        if (::shutdown(dst_.fd, SHUT_WR) < 0 && errno != ENOTCONN) return dst_error("shutdown", errno);
      }
    } else if (dst_.child) {
      s_.close_child_stdin();
    }
    return {};
  }

  Session& s_;
  End src_;
  Sink sink_;
  End dst_;
  Mode mode_ = Mode::copy;
  bool message_src_ = false, message_dst_ = false, connectionless_src_ = false;
  std::optional<Pipe> pipe_;
  size_t in_pipe_ = 0;
  size_t write_cap_ = SIZE_MAX;  // most bytes offered to the sink per call (note_full)
  bool has_nagle_ = true;        // until TCP_NODELAY is refused: not TCP
  std::vector<std::byte> pending_;
  size_t pending_off_ = 0;
  bool message_pending_ = false;
  bool eof_ = false, finished_ = false, fatal_ = false;
  bool src_ready_ = false, dst_ready_ = false;
  uint64_t messages_ = 0;
};

namespace {

Pump::End socket_end(Socket const& sock, std::string name) {
  Pump::End e;
  e.fd = sock.fd();
  e.type = sock.type() == SOCK_STREAM ? FdType::stream_socket : FdType::message_socket;
  e.name = std::move(name);
  e.session_socket = true;
  return e;
}

Pump::End plain_end(int fd, std::string name) {
  Pump::End e;
  e.fd = fd;
  e.type = fd_type(fd);
  e.name = std::move(name);
  return e;
}

// stdin and stdout belong to whoever started us: their blocking mode is
// shared with other processes, so instead of changing it we only read or
// write them when epoll has said they are ready (regular files always are).
Pump::End inherited_end(int fd, std::string name) {
  auto e = plain_end(fd, std::move(name));
  int fl = ::fcntl(fd, F_GETFL);
  e.blocking = fl >= 0 && !(fl & O_NONBLOCK) && e.type != FdType::file;
  return e;
}

std::string socket_name(Socket const& sock) {
  if (!sock.label().empty()) return sock.label();
  if (auto peer = sock.peer()) return format_endpoint(*peer, sock.scheme());
  if (auto local = sock.local()) return format_endpoint(*local, sock.scheme());
  return std::string(sock.scheme().name);
}

std::chrono::steady_clock::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

}  // namespace

Session::Session(Reactor& reactor, Socket sock, Local local, RelayOptions opts, RelayHooks hooks)
    : reactor_(reactor), sock_(std::move(sock)), local_(std::move(local)), opts_(std::move(opts)),
      hooks_(std::move(hooks)) {
  started_ = last_activity_ = Clock::now();
  connectionless_ = opts_.connectionless.value_or(is_connectionless(sock_.type()) ||
                                                  is_connectionless_family(sock_.family(), sock_.type()));
  half_close_ = has_half_close(sock_.family(), sock_.type(), sock_.protocol());
  max_message_ = message_limit(sock_.fd(), sock_.family(), sock_.type(), sock_.protocol(), kMaxDatagram);
  max_write_ = sock_.type() == SOCK_STREAM
                   ? message_limit(sock_.fd(), sock_.family(), sock_.type(), sock_.protocol(), SIZE_MAX)
                   : SIZE_MAX;
  connected_ = !connectionless_ || !opts_.answer_last_peer;
  if (connected_ && opts_.peer && sends_need_address(sock_.family(), sock_.type(), sock_.protocol())) {
    last_peer_ = *opts_.peer;
    connected_ = false;
  }
  auto sock_end = socket_end(sock_, socket_name(sock_));
  auto to_stdout = [&] {
    if (opts_.events) return std::make_unique<Pump>(*this, sock_end, Pump::Sink::events, Pump::End{});
    auto out = inherited_end(STDOUT_FILENO, "stdout");
    out.stdout_ = true;
    return std::make_unique<Pump>(*this, sock_end, Pump::Sink::fd, out);
  };

  using Kind = Local::Kind;
  switch (local_.kind_) {
    case Kind::stdio:
      inbound_ = to_stdout();
      outbound_ = std::make_unique<Pump>(*this, inherited_end(STDIN_FILENO, "stdin"), Pump::Sink::fd, sock_end);
      break;
    case Kind::output_only:
      inbound_ = to_stdout();
      break;
    case Kind::echo:
      inbound_ = std::make_unique<Pump>(*this, sock_end, Pump::Sink::fd, sock_end);
      break;
    case Kind::discard:
      inbound_ = std::make_unique<Pump>(*this, sock_end, Pump::Sink::discard, Pump::End{});
      break;
    case Kind::child: {
      auto& c = *local_.child_;
      auto to = plain_end(c.to_child(), c.name());
      to.child = true;
      inbound_ = std::make_unique<Pump>(*this, sock_end, Pump::Sink::fd, to);
      outbound_ = std::make_unique<Pump>(*this, plain_end(c.from_child(), c.name()), Pump::Sink::fd, sock_end);
      stats_.child_name = c.name();
      break;
    }
    case Kind::file:
      inbound_ = to_stdout();
      outbound_ = std::make_unique<Pump>(*this, plain_end(local_.file_.get(), local_.file_name_), Pump::Sink::fd,
                                         sock_end);
      break;
  }
  auto add = [&](int fd) {
    if (fd >= 0 && std::find(fds_.begin(), fds_.end(), fd) == fds_.end()) fds_.push_back(fd);
  };
  for (Pump* p : {inbound_.get(), outbound_.get()}) {
    if (!p) continue;
    add(p->src().fd);
    add(p->dst().fd);
  }
  if (local_.child_) add(local_.child_->pidfd());
}

Session::~Session() { forget_all(); }

void Session::forget_all() {
  for (int fd : fds_) reactor_.forget(fd);
  fds_.clear();
}

void Session::start() {
  if (auto r = sock_.set_nonblocking(true); !r) return end("error", r.release_error());
  step(-1, 0);
}

void Session::on_ready(int fd, uint32_t events) { step(fd, events); }

void Session::close_child_stdin() {
  auto& c = *local_.child_;
  if (!c.message()) {
    reactor_.forget(c.to_child());
    std::erase(fds_, c.to_child());
  }
  c.close_stdin();
}

void Session::step(int fd, uint32_t events) {
  if (done_) return;
  if (local_.child_ && !child_reaped_ && (fd == -1 || fd == local_.child_->pidfd())) {
    auto r = local_.child_->reap();
    if (!r) return end("error", r.release_error());
    if (r->has_value()) {
      child_reaped_ = true;
      stats_.child_status = **r;
      reactor_.forget(fd == -1 ? local_.child_->pidfd() : fd);
    }
  }
  bool had_peer = last_peer_.has_value();
  for (Pump* p : {inbound_.get(), outbound_.get()}) {
    if (!p || p->finished()) continue;
    if (fd != -1 && p->interest().first != fd) continue;
    p->note_ready(fd, events);
    if (auto r = p->drive(); !r) return end("error", r.release_error(), p->fatal());
  }
  // A datagram listener learns whom to answer from what it receives.
  if (!had_peer && last_peer_ && outbound_ && !outbound_->finished()) {
    if (auto r = outbound_->drive(); !r) return end("error", r.release_error(), outbound_->fatal());
  }

  bool out_done = !outbound_ || outbound_->finished();
  if (out_done && !outbound_done_at_) outbound_done_at_ = Clock::now();
  // Nobody is going to type into a terminal for a peer that has gone.
  if (inbound_->finished() && !out_done && outbound_->src().type == FdType::tty) {
    if (auto r = outbound_->stop_reading(); !r) return end("error", r.release_error());
    out_done = outbound_->finished();
  }
  if (local_.child_ && child_reaped_ && !inbound_->finished()) {
    if (connectionless_ && out_done) return end("eof");
    inbound_->child_gone();
  }
  if (opts_.once && connectionless_ && inbound_->messages() > 0 && !inbound_->has_pending()) return end("once");
  if (inbound_->finished() && out_done && (!local_.child_ || child_reaped_)) return end("eof");
  update_interest();
}

void Session::update_interest() {
  if (done_) return;
  std::pair<int, uint32_t> wants[2] = {inbound_->interest(), outbound_ ? outbound_->interest() : std::pair{-1, 0u}};
  for (int fd : fds_) {
    uint32_t ev = 0;
    for (auto const& [f, e] : wants)
      if (f == fd) ev |= e;
    if (local_.child_ && !child_reaped_ && fd == local_.child_->pidfd()) ev |= EPOLLIN;
    if (auto r = reactor_.want(fd, ev, this); !r) return end("error", r.release_error());
  }
}

std::optional<Clock::time_point> Session::deadline() const {
  if (done_) return std::nullopt;
  std::optional<Clock::time_point> d;
  if (opts_.idle_timeout) d = last_activity_ + seconds(*opts_.idle_timeout);
  if ((connectionless_ || !half_close_) && opts_.linger && outbound_done_at_) {
    auto l = std::max(last_activity_, *outbound_done_at_) + seconds(*opts_.linger);
    d = d ? std::min(*d, l) : l;
  }
  return d;
}

void Session::check_timers(Clock::time_point now) {
  if (done_) return;
  if (opts_.idle_timeout && now >= last_activity_ + seconds(*opts_.idle_timeout)) {
    if (connectionless_) return end("idle-timeout");
    return end("idle-timeout", Error::make(Exit::timeout, fmt::format("relay with '{}'", socket_name(sock_)),
                                           fmt::format("nothing moved for {} s (--idle-timeout)", *opts_.idle_timeout)));
  }
  if ((connectionless_ || !half_close_) && opts_.linger && outbound_done_at_ &&
      now >= std::max(last_activity_, *outbound_done_at_) + seconds(*opts_.linger))
    return end("eof");
}

void Session::stop() { end("stopped"); }

void Session::end(std::string ending, std::optional<Error> error, bool fatal) {
  if (done_) return;
  done_ = true;
  stats_.seconds = std::chrono::duration<double>(Clock::now() - started_).count();
  stats_.ending = std::move(ending);
  stats_.error = std::move(error);
  stats_.fatal = fatal;
  forget_all();
  // A TIPC connection closed without shutdown() reaches the peer as a reset;
  // if the peer is already gone, shutdown's failure changes nothing.
  if (!stats_.error && closes_with_shutdown(sock_.family(), sock_.type())) ::shutdown(sock_.fd(), SHUT_RDWR);
  if (local_.child_ && !child_reaped_) {
    if (auto r = local_.child_->reap(); r && r->has_value()) {
      child_reaped_ = true;
      stats_.child_status = **r;
    } else {
      reactor_.reap_later(local_.child_->release_pidfd());
    }
  }
  if (on_done) on_done(*this);
}

Result<RelayStats> run_session(Socket sock, Local local, RelayOptions const& opts, RelayHooks hooks) {
  auto reactor = TRY(Reactor::create());
  Session s(*reactor, std::move(sock), std::move(local), opts, std::move(hooks));
  s.start();
  while (!s.done()) {
    int timeout = -1;
    if (auto d = s.deadline()) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(*d - Clock::now()).count();
      timeout = static_cast<int>(std::clamp<long long>(left, 0, 1'000'000'000));
    }
    TRY(reactor->poll_once(timeout));
    s.check_timers(Clock::now());
  }
  return s.stats();
}

}  // namespace sockctl
