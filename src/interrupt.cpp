// interrupt.cpp: SIGINT/SIGTERM caught into a flag, delivered only inside ppoll.
#include "sockctl/interrupt.hpp"

#include <cerrno>
#include <cstdint>
#include <ctime>

namespace sockctl {

namespace {

volatile sig_atomic_t g_caught = 0;

void on_signal(int) { g_caught = 1; }

}  // namespace

Interrupts::Interrupts() {
  g_caught = 0;
  sigset_t block;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  sigprocmask(SIG_BLOCK, &block, &old_mask_);
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old_int_);
  sigaction(SIGTERM, &sa, &old_term_);
}

Interrupts::~Interrupts() {
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
  sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
}

bool Interrupts::caught() const { return g_caught != 0; }

// The mask the caller had, with SIGINT and SIGTERM open: only while ppoll
// waits can they arrive.
sigset_t Interrupts::unblocked() const {
  sigset_t open = old_mask_;
  sigdelset(&open, SIGINT);
  sigdelset(&open, SIGTERM);
  return open;
}

Result<int> Interrupts::wait(std::span<pollfd> fds, int timeout_ms) {
  if (caught()) return 0;
  sigset_t open = unblocked();
  timespec ts{timeout_ms / 1000, (timeout_ms % 1000) * 1000000L};
  int n = ::ppoll(fds.data(), fds.size(), timeout_ms < 0 ? nullptr : &ts, &open);
  if (n >= 0) return n;
  if (errno == EINTR) return 0;
  return Error::sys("poll", errno);
}

void Interrupts::sleep_until(timespec const& when) {
  sigset_t open = unblocked();
  while (!caught()) {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    int64_t left = (when.tv_sec - now.tv_sec) * 1000000000LL + (when.tv_nsec - now.tv_nsec);
    if (left <= 0) return;
    timespec ts{static_cast<time_t>(left / 1000000000), static_cast<long>(left % 1000000000)};
    // Ends at the timeout or with EINTR for a caught signal; either way the
    // loop looks at the clock and the flag again.
    ::ppoll(nullptr, 0, &ts, &open);
  }
}

}  // namespace sockctl
