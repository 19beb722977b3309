// `-d times`: how long each stage of compiling and loading takes, one stderr line per stage
// ("tracelet: time: codegen: optimise 812.4 ms wall, 790.1 ms cpu"). cpu is the process's user
// plus system time, so the verifier's work (kernel time in bpf()) counts in the load stage.
// Off unless enabled; a disabled StageTimer costs one branch.
#pragma once

namespace tracelet {

class StageTimer {
public:
  static void enable(bool on);
  static bool enabled();

  explicit StageTimer(const char* stage);
  ~StageTimer() { stop(); }
  StageTimer(const StageTimer&) = delete;
  StageTimer& operator=(const StageTimer&) = delete;
  void stop(); // prints the line now (once)

private:
  const char* stage_ = nullptr; // null when disabled or stopped
  double wall_start_ = 0, cpu_start_ = 0;
};

} // namespace tracelet
