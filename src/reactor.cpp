// reactor.cpp: epoll registration with the interest cached per descriptor, so
// a relay that asks for the same events again costs no system call.
// An fd whose interest drops to nothing is taken out of epoll: epoll reports
// EPOLLHUP and EPOLLERR even for an empty mask, and level-triggered that
// would spin. See: epoll_ctl(2), fcntl(2) F_SETPIPE_SZ.
#include "sockctl/reactor.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace sockctl {

namespace {
constexpr size_t kScratchBytes = 256 * 1024;
constexpr size_t kPipePool = 64;
}  // namespace

Result<std::unique_ptr<Reactor>> Reactor::create() {
  std::unique_ptr<Reactor> r(new Reactor);
  int fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) return Error::sys("epoll_create1", errno);
  r->epoll_.reset(fd);
  r->scratch_.resize(kScratchBytes);
  r->events_.resize(256);
  return r;
}

Reactor::~Reactor() = default;

Result<void> Reactor::want(int fd, uint32_t events, Watcher* w) {
  auto [it, fresh] = watches_.try_emplace(fd);
  Watch& watch = it->second;
  watch.watcher = w;
  if (!fresh && watch.events == events) return {};
  watch.events = events;
  if (watch.always_ready) return {};
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  if (events == 0) {
    if (watch.in_epoll) ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
    watch.in_epoll = false;
    return {};
  }
  if (::epoll_ctl(epoll_.get(), watch.in_epoll ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev) == 0) {
    watch.in_epoll = true;
    return {};
  }
  if (errno == EPERM) {
    // Regular files and some character devices cannot be polled: they never block.
    watch.always_ready = true;
    always_ready_.push_back(fd);
    return {};
  }
  return Error::sys("epoll_ctl", errno);
}

void Reactor::forget(int fd) {
  auto it = watches_.find(fd);
  if (it == watches_.end()) return;
  if (it->second.in_epoll) ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
  if (it->second.always_ready) std::erase(always_ready_, fd);
  watches_.erase(it);
}

Result<void> Reactor::poll_once(int timeout_ms) {
  bool ready_now = std::any_of(always_ready_.begin(), always_ready_.end(), [&](int fd) {
    auto it = watches_.find(fd);
    return it != watches_.end() && it->second.events != 0;
  });
  int n = ::epoll_wait(epoll_.get(), events_.data(), static_cast<int>(events_.size()), ready_now ? 0 : timeout_ms);
  if (n < 0) {
    if (errno == EINTR) return {};
    return Error::sys("epoll_wait", errno);
  }
  for (int i = 0; i < n; ++i) {
    // A watcher may forget or close descriptors while we dispatch: look each up afresh.
    auto it = watches_.find(events_[i].data.fd);
    if (it == watches_.end() || it->second.events == 0) continue;
    it->second.watcher->on_ready(it->first, events_[i].events);
  }
  if (ready_now) {
    auto fds = always_ready_;
    for (int fd : fds) {
      auto it = watches_.find(fd);
      if (it != watches_.end() && it->second.events != 0) it->second.watcher->on_ready(fd, it->second.events);
    }
  }
  return {};
}

Result<Pipe> Reactor::take_pipe(size_t bytes) {
  if (!pipes_.empty()) {
    Pipe p = std::move(pipes_.back());
    pipes_.pop_back();
    return p;
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0) return Error::sys("pipe", errno);
  Pipe p;
  p.read.reset(fds[0]);
  p.write.reset(fds[1]);
  // A bigger pipe means fewer splices per byte; the kernel may refuse
  // (pipe-max-size, per-user limits), and the default 64 KiB still works.
  if (bytes) ::fcntl(p.write.get(), F_SETPIPE_SZ, static_cast<int>(bytes));
  int cap = ::fcntl(p.write.get(), F_GETPIPE_SZ);
  p.capacity = cap > 0 ? static_cast<size_t>(cap) : 65536;
  return p;
}

void Reactor::give_pipe(Pipe p) {
  if (pipes_.size() < kPipePool) pipes_.push_back(std::move(p));
}

void Reactor::reap_later(Fd pidfd) {
  if (!pidfd) return;
  int fd = pidfd.get();
  orphans_.emplace(fd, std::move(pidfd));
  if (!want(fd, EPOLLIN, this)) orphans_.erase(fd);
}

void Reactor::on_ready(int fd, uint32_t) {
  siginfo_t info{};
  if (::waitid(P_PIDFD, static_cast<id_t>(fd), &info, WEXITED | WNOHANG) == 0 && info.si_pid == 0) return;
  forget(fd);
  orphans_.erase(fd);
}

}  // namespace sockctl
