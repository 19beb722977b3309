// SIGINT, SIGTERM and SIGHUP end the event loop (then END runs and the maps are printed, as
// in bpftrace); SIGUSR1 asks for all maps to be printed now, and the run goes on. The handlers only
// set a flag; they are installed without SA_RESTART so that a blocking poll returns at once.
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
  // True once per SIGUSR1 received since the last call.
  static bool take_print_request();

private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
  struct sigaction old_hup_ {};
  struct sigaction old_usr1_ {};
};

} // namespace tracelet::runtime
