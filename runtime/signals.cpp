#include "runtime/signals.h"

#include <cstring>

namespace tracelet::runtime {

namespace {

volatile std::sig_atomic_t g_stop_requested = 0;
volatile std::sig_atomic_t g_print_requested = 0;

void request_stop(int) {
  g_stop_requested = 1;
}

void request_print(int) {
  g_print_requested = 1;
}

} // namespace

StopSignals::StopSignals() {
  g_stop_requested = 0;
  g_print_requested = 0;
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = request_stop;
  sigemptyset(&sa.sa_mask);
  // SA_RESTART: a write to a slow pipe that the signal interrupts goes on instead of dropping
  // what stdio had buffered. epoll_wait and poll are never restarted (signal(7)), so the event
  // loop still wakes at once.
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, &old_int_);
  sigaction(SIGTERM, &sa, &old_term_);
  sigaction(SIGHUP, &sa, &old_hup_); // a closed terminal ends the run as SIGTERM does
  sa.sa_handler = request_print;
  sigaction(SIGUSR1, &sa, &old_usr1_);
}

StopSignals::~StopSignals() {
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
  sigaction(SIGHUP, &old_hup_, nullptr);
  sigaction(SIGUSR1, &old_usr1_, nullptr);
}

bool StopSignals::received() {
  return g_stop_requested != 0;
}

bool StopSignals::take_print_request() {
  if (!g_print_requested) return false;
  g_print_requested = 0;
  return true;
}

} // namespace tracelet::runtime
