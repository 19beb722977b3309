// watchpoint and asyncwatchpoint probes: hardware breakpoints on data (x86-64 debug registers)
// opened as perf events (PERF_TYPE_BREAKPOINT), each with the probe's program attached as a
// bpf_link. The forms are in ast/watchpoints.h, the programs and their ProgramDesc fields in
// codegen/watchpoint_events.h.
#pragma once

#include "ast/diagnostics.h"
#include "codegen/compiled_program.h"
#include "codegen/watchpoint_events.h"
#include "runtime/bpf_object.h"
#include "runtime/output/output.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <sys/types.h>
#include <vector>

namespace tracelet::runtime {

// A breakpoint the kernel refused: what() says why.
struct BreakpointRefused : Error {
  using Error::Error;
};
// A breakpoint the kernel has no debug register left for (ENOSPC).
struct NoDebugRegister : BreakpointRefused {
  using BreakpointRefused::BreakpointRefused;
};

// The watchpoint's program or the uprobe that sets up a FUNC+argN one: both served here rather
// than by attach_links().
bool is_watchpoint_program(const codegen::ProgramDesc& desc);

// Opens the breakpoint of `desc` at `address` (length and mode from `desc`) in process `pid`, or
// on every CPU for a kernel address (pid <= 0), and attaches `prog` to each. Throws
// BreakpointRefused (NoDebugRegister when the kernel has no register left).
std::vector<Link> attach_breakpoint(bpf_program* prog, const codegen::ProgramDesc& desc,
                                    uint64_t address, pid_t pid);

// Every watchpoint of one run: the absolute ones, the uprobes of FUNC+argN ones and the
// breakpoints those set, which unwatch() removes again. Destroying it (or detach()) detaches
// them all, and continues the traced process if a synchronous watchpoint may have stopped it.
class Watchpoints {
public:
  // `pid`: the traced process (-p, or -c's child), -1 if none. Messages (no register left for a
  // FUNC+argN watchpoint) are printed on `output`, as bpftrace does.
  Watchpoints(const BpfObject& obj, const codegen::CompiledProgram& program, pid_t pid,
              Output& output);
  ~Watchpoints();
  Watchpoints(const Watchpoints&) = delete;
  Watchpoints& operator=(const Watchpoints&) = delete;

  // At start: the breakpoint of an absolute watchpoint, or the uprobe of a FUNC+argN one.
  void attach(const codegen::ProgramDesc& desc);
  // kWatchpointAttach (`id`: the watchpoint's program) and kWatchpointDetach events.
  void on_event(uint32_t kind, uint32_t id, uint64_t address);
  void detach();

private:
  struct Watch {
    size_t program; // index into program_.programs
    uint64_t address;
    std::vector<Link> links;
  };
  void watch(size_t program, uint64_t address);
  void continue_process();

  const BpfObject& obj_;
  const codegen::CompiledProgram& program_;
  pid_t pid_;
  Output& output_;
  std::vector<Link> setup_links_; // the uprobes of FUNC+argN watchpoints
  std::vector<Watch> watches_;
  std::set<std::pair<size_t, uint64_t>> watched_; // (program, address) set up by a uprobe
  std::map<size_t, uint64_t> last_failed_;        // program -> the address it could not watch
  bool may_have_stopped_ = false;                 // a synchronous setup uprobe is attached
  bool detached_ = false;
};

} // namespace tracelet::runtime
