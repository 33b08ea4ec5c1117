// interrupt_test.cpp: a stop asked for ends a sleep at once, and a sleep
// without one lasts until its time.
#include <csignal>
#include <ctime>

#include <doctest/doctest.h>

#include "sockctl/interrupt.hpp"

using namespace sockctl;

namespace {

timespec after_ms(long ms) {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  long ns = t.tv_nsec + ms * 1000000L;
  t.tv_sec += ns / 1000000000L;
  t.tv_nsec = ns % 1000000000L;
  return t;
}

bool reached(timespec const& when) {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec > when.tv_sec || (now.tv_sec == when.tv_sec && now.tv_nsec >= when.tv_nsec);
}

}  // namespace

TEST_CASE("interrupt: sleep_until returns at its time when nothing is caught") {
  Interrupts interrupts;
  auto when = after_ms(20);
  interrupts.sleep_until(when);
  CHECK(reached(when));
  CHECK_FALSE(interrupts.caught());
}

TEST_CASE("interrupt: a SIGINT pending before the sleep ends it long before its time") {
  Interrupts interrupts;
  // Blocked outside the wait, the signal stays pending until sleep_until opens it.
  REQUIRE(std::raise(SIGINT) == 0);
  CHECK_FALSE(interrupts.caught());
  auto when = after_ms(60000);
  interrupts.sleep_until(when);
  CHECK(interrupts.caught());
  CHECK_FALSE(reached(when));
}
