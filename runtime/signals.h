// SIGINT and SIGTERM end the event loop (then END runs and the maps are printed, as in
// bpftrace). The handlers only set a flag; they are installed without SA_RESTART so that a
// blocking poll returns at once.
#pragma once

#include <csignal>

namespace tracelet::runtime {

class StopSignals {
public:
  StopSignals();  // installs the handlers and clears the flag
  ~StopSignals(); // restores the previous handlers
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  static bool received();

private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

} // namespace tracelet::runtime
