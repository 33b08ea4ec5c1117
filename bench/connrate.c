/* connrate.c: the client of bench/connrate.sh. Opens N TCP connections to
 * 127.0.0.1:PORT, at most C at a time, each one: connect, send 64 bytes,
 * read the 64 echoed back, close. One thread, non-blocking sockets, epoll;
 * the same client for every server, so only the servers differ.
 * Prints "ok FAILED SECONDS" and, on stderr, the first few failures.
 * A connection fails if connect, send or recv fails, the reply differs, the
 * server closes early, or nothing moves for 10 s.
 * See: epoll(7), connect(2) EINPROGRESS. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { MSG = 64, STALL_MS = 10000 };

struct conn {
  int fd;
  int id;
  size_t sent, got;
  unsigned char reply[MSG];
  double since;
};

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct sockaddr_in dst;
static int ep;
static long started, done_ok, failed;
static long total;

static void message(int id, unsigned char *m) { snprintf((char *)m, MSG + 1, "%063d\n", id); }

static void fail(struct conn *c, const char *why, int err) {
  if (failed < 5) fprintf(stderr, "connrate: connection %d: %s: %s\n", c->id, why, err ? strerror(err) : "-");
  failed++;
  close(c->fd);
  c->fd = -1;
}

static void begin(struct conn *c) {
  c->id = (int)started++;
  c->sent = c->got = 0;
  c->since = now();
  c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c->fd < 0) {
    perror("connrate: socket");
    exit(2);
  }
  if (connect(c->fd, (struct sockaddr *)&dst, sizeof dst) < 0 && errno != EINPROGRESS) {
    fail(c, "connect", errno);
    return;
  }
  struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN, .data.ptr = c};
  if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
    perror("connrate: epoll_ctl");
    exit(2);
  }
}

static void step(struct conn *c, unsigned events) {
  unsigned char want[MSG + 1];
  message(c->id, want);
  if (c->sent < MSG && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
    ssize_t n = send(c->fd, want + c->sent, MSG - c->sent, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN) return fail(c, c->sent ? "send" : "connect", errno);
    if (n > 0) c->sent += (size_t)n;
    if (c->sent == MSG) {
      struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
      epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
    }
    c->since = now();
  }
  if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
    ssize_t n = recv(c->fd, c->reply + c->got, MSG - c->got, 0);
    if (n < 0 && errno == EAGAIN) return;
    if (n < 0) return fail(c, "recv", errno);
    if (n == 0) return fail(c, "closed before the whole echo", 0);
    c->got += (size_t)n;
    c->since = now();
    if (c->got < MSG) return;
    if (memcmp(c->reply, want, MSG) != 0) return fail(c, "echo differs", 0);
    close(c->fd);
    c->fd = -1;
    done_ok++;
  }
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: connrate PORT N CONCURRENCY\n");
    return 2;
  }
  dst.sin_family = AF_INET;
  dst.sin_port = htons((unsigned short)atoi(argv[1]));
  dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  total = atol(argv[2]);
  int width = atoi(argv[3]);
  struct conn *conns = calloc((size_t)width, sizeof *conns);
  ep = epoll_create1(EPOLL_CLOEXEC);
  double t0 = now();
  for (int i = 0; i < width; i++) {
    conns[i].fd = -1;
    if (started < total) begin(&conns[i]);
  }
  struct epoll_event evs[256];
  while (done_ok + failed < total) {
    int n = epoll_wait(ep, evs, 256, 1000);
    if (n < 0 && errno != EINTR) {
      perror("connrate: epoll_wait");
      return 2;
    }
    for (int i = 0; i < n; i++) step(evs[i].data.ptr, evs[i].events);
    double t = now();
    for (int i = 0; i < width; i++) {
      struct conn *c = &conns[i];
      if (c->fd >= 0 && (t - c->since) * 1000 > STALL_MS) fail(c, "nothing moved for 10 s", 0);
      if (c->fd < 0 && started < total) begin(c);
    }
  }
  printf("%ld %ld %.3f\n", done_ok, failed, now() - t0);
  return 0;
}
