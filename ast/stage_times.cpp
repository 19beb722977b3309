#include "ast/stage_times.h"

#include <cstdio>
#include <ctime>

namespace tracelet {

namespace {

bool g_enabled = false;

double now_ms(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

} // namespace

void StageTimer::enable(bool on) {
  g_enabled = on;
}

bool StageTimer::enabled() {
  return g_enabled;
}

StageTimer::StageTimer(const char* stage) {
  if (!g_enabled) return;
  stage_ = stage;
  wall_start_ = now_ms(CLOCK_MONOTONIC);
  cpu_start_ = now_ms(CLOCK_PROCESS_CPUTIME_ID);
}

void StageTimer::stop() {
  if (!stage_) return;
  double wall = now_ms(CLOCK_MONOTONIC) - wall_start_;
  double cpu = now_ms(CLOCK_PROCESS_CPUTIME_ID) - cpu_start_;
  std::fprintf(stderr, "tracelet: time: %s %.1f ms wall, %.1f ms cpu\n", stage_, wall, cpu);
  stage_ = nullptr;
}

} // namespace tracelet
