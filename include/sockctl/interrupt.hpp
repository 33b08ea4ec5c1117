// interrupt.hpp: Ctrl-C and SIGTERM as an orderly stop for stream commands
// (can dump, can bcm, ...): the stream ends, counts are reported and output
// is flushed, instead of the process dying with a half-written buffer.
//
// The signals stay blocked except inside wait(), which unblocks them for the
// duration of ppoll(2) alone: a signal can never fall between checking the
// flag and going to sleep. See: ppoll(2), sigprocmask(2).
#pragma once

#include <poll.h>
#include <signal.h>

#include <span>

#include "sockctl/error.hpp"

namespace sockctl {

/// Catches SIGINT and SIGTERM while it lives; restores the old handling after.
class Interrupts {
 public:
  Interrupts();
  ~Interrupts();
  Interrupts(Interrupts const&) = delete;
  Interrupts& operator=(Interrupts const&) = delete;

  /// Whether a stop was asked for.
  bool caught() const;
  /// poll(2) that a caught signal ends: returns the ready count, 0 on timeout
  /// or interruption (check caught()). timeout_ms -1 waits for ever.
  Result<int> wait(std::span<pollfd> fds, int timeout_ms);
  /// Sleeps until `when` on CLOCK_MONOTONIC, or until a stop is asked for.
  void sleep_until(timespec const& when);

 private:
  sigset_t unblocked() const;

  sigset_t old_mask_{};
  struct sigaction old_int_{}, old_term_{};
};

}  // namespace sockctl
