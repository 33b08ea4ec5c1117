// interrupt.cpp: SIGINT/SIGTERM caught into a flag, delivered only inside ppoll.
#include "sockctl/interrupt.hpp"

#include <cerrno>
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

Result<int> Interrupts::wait(std::span<pollfd> fds, int timeout_ms) {
  if (caught()) return 0;
  sigset_t open = old_mask_;
  sigdelset(&open, SIGINT);
  sigdelset(&open, SIGTERM);
  timespec ts{timeout_ms / 1000, (timeout_ms % 1000) * 1000000L};
  int n = ::ppoll(fds.data(), fds.size(), timeout_ms < 0 ? nullptr : &ts, &open);
  if (n >= 0) return n;
  if (errno == EINTR) return 0;
  return Error::sys("poll", errno);
}

}  // namespace sockctl
