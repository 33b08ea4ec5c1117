// reactor.hpp: the one event loop behind listen and connect: level-triggered
// epoll over every descriptor a relay waits on, one process for any number of
// connections. Descriptors epoll refuses (regular files, /dev/null) count as
// always ready, which is what poll(2) says of them too. Also home to what the
// relays of one process share: a scratch buffer and a pool of empty pipes.
// See: epoll(7), poll(2), pipe(7).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <sys/epoll.h>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sockctl/error.hpp"
#include "sockctl/fd.hpp"

namespace sockctl {

/// Something that waits on descriptors.
class Watcher {
 public:
  virtual ~Watcher() = default;
  /// fd is ready for events (EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP).
  virtual void on_ready(int fd, uint32_t events) = 0;
};

/// An empty pipe for splicing through, and its capacity in bytes.
struct Pipe {
  Fd read, write;
  size_t capacity = 0;
};

class Reactor final : private Watcher {
 public:
  static Result<std::unique_ptr<Reactor>> create();
  Reactor(Reactor const&) = delete;
  Reactor& operator=(Reactor const&) = delete;
  ~Reactor() override;

  /// Sets what fd waits for (EPOLLIN | EPOLLOUT; 0 = nothing) and who hears of it.
  /// Cheap when nothing changes; a descriptor epoll refuses is reported ready at once.
  Result<void> want(int fd, uint32_t events, Watcher* w);
  /// Forgets fd; call before closing it.
  void forget(int fd);
  /// Waits up to timeout_ms (-1: no limit) and dispatches what is ready.
  Result<void> poll_once(int timeout_ms);

  /// A shared buffer for one read at a time; never held across poll_once.
  std::span<std::byte> scratch() { return scratch_; }

  /// A non-blocking pipe, asked to hold `bytes` (the kernel may give less), reused across relays.
  /// A pipe is only given back empty, so no byte crosses from one relay to the next.
  Result<Pipe> take_pipe(size_t bytes);
  void give_pipe(Pipe p);

  /// Reaps a child whose session ended before it exited, so no zombie stays behind.
  void reap_later(Fd pidfd);

 private:
  struct Watch {
    Watcher* watcher = nullptr;
    uint32_t events = 0;
    bool in_epoll = false;
    bool always_ready = false;
  };
  Reactor() = default;
  void on_ready(int fd, uint32_t events) override;  // an orphaned child exited

  Fd epoll_;
  std::unordered_map<int, Watch> watches_;
  std::vector<int> always_ready_;
  std::vector<std::byte> scratch_;
  std::vector<Pipe> pipes_;
  std::vector<epoll_event> events_;
  std::unordered_map<int, Fd> orphans_;  // pidfds of children to reap
};

}  // namespace sockctl
