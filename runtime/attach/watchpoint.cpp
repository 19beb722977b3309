// watchpoint/asyncwatchpoint: perf breakpoint events with the probe's program as a bpf_link.
#include "runtime/attach/watchpoint.h"

#include "runtime/attach/attach.h"

#include <bpf/libbpf.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

namespace tracelet::runtime {

namespace {

std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

perf_event_attr breakpoint_attr(const codegen::ProgramDesc& desc, uint64_t address) {
  perf_event_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_BREAKPOINT;
  attr.bp_type = HW_BREAKPOINT_EMPTY;
  for (char c : desc.target) // the mode
    attr.bp_type |= c == 'r' ? HW_BREAKPOINT_R : c == 'w' ? HW_BREAKPOINT_W : HW_BREAKPOINT_X;
  attr.bp_addr = address;
  attr.bp_len = desc.freq;
  attr.sample_period = 1; // every access runs the program
  return attr;
}

// Why perf_event_open refused the breakpoint, for the message.
std::string refusal(int err, uint64_t address, pid_t pid) {
  switch (err) {
  case ESRCH:
    return "no process with pid " + std::to_string(pid);
  case EINVAL: // e.g. an execution breakpoint in kernel text
    return "the kernel refused a breakpoint at " + hex(address) +
           (pid > 0 ? " in process " + std::to_string(pid) : "") + ": " + std::strerror(err);
  case ENOENT:
  case EOPNOTSUPP:
    return "this kernel has no hardware breakpoints: " + std::string(strerror(err));
  default:
    return "perf_event_open: " + std::string(std::strerror(err));
  }
}

} // namespace

bool is_watchpoint_program(const codegen::ProgramDesc& desc) {
  return codegen::is_watchpoint_setup(desc.provider) || desc.provider == "watchpoint" ||
         desc.provider == "asyncwatchpoint";
}

std::vector<Link> attach_breakpoint(bpf_program* prog, const codegen::ProgramDesc& desc,
                                    uint64_t address, pid_t pid) {
  perf_event_attr attr = breakpoint_attr(desc, address);
  // In a process: one event that follows its main thread on every CPU. In the kernel: one
  // event per CPU.
  int cpus = pid > 0 ? 1 : libbpf_num_possible_cpus();
  if (cpus <= 0) throw BreakpointRefused("cannot count the CPUs: " + errno_text(cpus));
  std::vector<Link> links;
  for (int cpu = 0; cpu < cpus; ++cpu) {
    int fd = static_cast<int>(::syscall(__NR_perf_event_open, &attr, pid > 0 ? pid : -1,
                                        pid > 0 ? -1 : cpu, /*group_fd=*/-1, PERF_FLAG_FD_CLOEXEC));
    if (fd < 0) {
      int err = errno;
      if (err == ENODEV && pid <= 0) continue; // a possible but offline CPU
      if (err == ENOSPC)
        throw NoDebugRegister("no hardware debug register left for a watchpoint at " +
                              hex(address));
      throw BreakpointRefused(refusal(err, address, pid));
    }
    UniqueFd perf_fd(fd);
    bpf_link* link = bpf_program__attach_perf_event(prog, perf_fd.get());
    if (!link) throw BreakpointRefused("attaching the program: " + errno_text(errno));
    perf_fd.release(); // the link owns the perf event now
    links.emplace_back(link);
  }
  return links;
}

Watchpoints::Watchpoints(const BpfObject& obj, const codegen::CompiledProgram& program, pid_t pid,
                         Output& output)
    : obj_(obj), program_(program), pid_(pid), output_(output) {}

Watchpoints::~Watchpoints() {
  detach();
}

void Watchpoints::attach(const codegen::ProgramDesc& desc) {
  bpf_program* prog = obj_.program(desc.func_name);
  if (codegen::is_watchpoint_setup(desc.provider)) {
    setup_links_.push_back(attach_uprobe(prog, desc, pid_));
    may_have_stopped_ = may_have_stopped_ || desc.provider == "watchpoint_setup";
    return;
  }
  if (desc.offset == 0) return; // FUNC+argN: attached where its uprobe's events say
  try {
    size_t index = static_cast<size_t>(&desc - program_.programs.data());
    watches_.push_back(Watch{index, desc.offset, attach_breakpoint(prog, desc, desc.offset, pid_)});
  } catch (const NoDebugRegister& e) {
    throw AttachError(desc, std::string(e.what()) +
                                " (x86-64 has 4, shared with debuggers and other tracers)");
  } catch (const BreakpointRefused& e) {
    throw AttachError(desc, e.what());
  }
}

void Watchpoints::on_event(uint32_t kind, uint32_t id, uint64_t address) {
  if (detached_) return; // events served after the detach: detach() continued the process
  if (kind == codegen::kWatchpointDetach) {
    // Every watchpoint on `address`; one not watched is no error (bpftrace's unwatch()).
    for (auto it = watches_.begin(); it != watches_.end();)
      if (it->address == address) {
        watched_.erase({it->program, address});
        it = watches_.erase(it); // its links detach
      } else {
        ++it;
      }
    return;
  }
  if (kind != codegen::kWatchpointAttach || id >= program_.programs.size()) return;
  const auto& desc = program_.programs[id];
  if (desc.provider != "watchpoint" && desc.provider != "asyncwatchpoint") return;
  // The same address again (each call of the function sends it) changes nothing; a failure
  // is not retried until the function names another address.
  auto key = std::make_pair(static_cast<size_t>(id), address);
  if (!watched_.count(key) && last_failed_[id] != address) {
    try {
      watches_.push_back(
          Watch{id, address, attach_breakpoint(obj_.program(desc.func_name), desc, address, pid_)});
      watched_.insert(key);
      last_failed_.erase(id);
    } catch (const NoDebugRegister&) {
      last_failed_[id] = address;
      output_.printf_text(
          "Failed to attach watchpoint probe. You are out of watchpoint registers.\n");
    } catch (const BreakpointRefused& e) {
      // An address the kernel refuses (unaligned, not user memory): say so, and go on.
      last_failed_[id] = address;
      std::fprintf(stderr, "tracelet: warning: %s: %s\n", desc.probe_name.c_str(), e.what());
    }
  }
  if (desc.provider == "watchpoint") continue_process();
}

void Watchpoints::continue_process() {
  if (pid_ > 0 && ::kill(pid_, SIGCONT) != 0 && errno != ESRCH)
    std::fprintf(stderr, "tracelet: warning: cannot continue process %d (SIGCONT): %s\n",
                 static_cast<int>(pid_), std::strerror(errno));
}

void Watchpoints::detach() {
  detached_ = true;
  watches_.clear();
  setup_links_.clear();
  // A process stopped by a setup uprobe whose event was never served (tracing ended first)
  // must not stay stopped.
  if (may_have_stopped_) continue_process();
  may_have_stopped_ = false;
}

} // namespace tracelet::runtime
