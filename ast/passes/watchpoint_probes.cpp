// Watchpoints: hardware breakpoints on data, through perf (runtime/attach/watchpoint.cpp); the
// forms and where an attach point keeps them are in ast/watchpoints.h. Checks follow bpftrace
// 0.17's semantic analyser, with messages of our own; what the kernel would refuse only at
// attach time on x86-64 (an unaligned address, an execution watchpoint shorter than 8 bytes,
// a fifth debug register) is a located error here.
#include "ast/watchpoints.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

namespace tracelet::ast {

namespace {

// x86-64 has four debug address registers (DR0-DR3).
constexpr int kDebugRegisters = 4;
// x86-64 passes the first six integer arguments in registers.
constexpr int kRegisterArgs = 6;

// "0x404050", "4210768", "020" (strtoull base 0, as bpftrace); nullopt if not a whole number.
std::optional<uint64_t> parse_number(const std::string& text) {
  if (text.empty() || text[0] < '0' || text[0] > '9') return std::nullopt;
  errno = 0;
  char* end = nullptr;
  uint64_t v = std::strtoull(text.c_str(), &end, 0);
  if (errno != 0 || *end != '\0') return std::nullopt;
  return v;
}

std::string usage(const std::string& provider) {
  std::string form = provider + ":<function>+arg<N>:<length>:<mode>";
  if (provider == "asyncwatchpoint") return "'" + form + "'";
  return "'" + provider + ":<address>:<length>:<mode>' or '" + form + "'";
}

// FUNCTION+argN -> func, offset (N). False (and an error) if it is not that.
bool function_and_argument(AttachPoint& ap, const std::string& text, Diagnostics& diags) {
  size_t plus = text.find('+');
  std::string func = text.substr(0, plus), arg = text.substr(plus + 1);
  if (func.empty() || arg.find('+') != std::string::npos) {
    diags.error(ap.loc, "'" + text + "' is not <function>+arg<N> in " + usage(ap.provider));
    return false;
  }
  auto n = arg.rfind("arg", 0) == 0 && arg.size() > 3 && arg[3] >= '0' && arg[3] <= '9'
               ? parse_number(arg.substr(3))
               : std::nullopt;
  if (!n) {
    diags.error(ap.loc, "'" + arg + "' is not a function argument: use arg0 to arg" +
                            std::to_string(kRegisterArgs - 1) + ", as in " + func + "+arg1");
    return false;
  }
  if (*n >= kRegisterArgs) {
    diags.error(ap.loc, arg + " cannot hold the address: x86-64 passes only arg0 to arg" +
                            std::to_string(kRegisterArgs - 1) + " in registers");
    return false;
  }
  if (func.find_first_of("*?") != std::string::npos) {
    diags.error(ap.loc, "a watchpoint function cannot be a wildcard, not '" + func + "'");
    return false;
  }
  ap.func = func;
  ap.offset = *n;
  return true;
}

// MODE: some of r, w, x, each once, in an order x86-64 can watch. Sorted in place ("wr" is
// "rw"), as bpftrace names the probe.
bool check_mode(AttachPoint& ap, Diagnostics& diags) {
  const std::string& written = ap.parts[3];
  std::string mode = written;
  std::sort(mode.begin(), mode.end());
  if (mode.empty() || mode.find_first_not_of("rwx") != std::string::npos) {
    diags.error(ap.loc,
                "watchpoint mode must be a combination of r, w and x, not '" + written + "'");
    return false;
  }
  if (std::adjacent_find(mode.begin(), mode.end()) != mode.end()) {
    diags.error(ap.loc, "watchpoint mode '" + written + "' repeats an access kind");
    return false;
  }
  if (mode != "w" && mode != "rw" && mode != "x") {
    diags.error(ap.loc, "x86-64 cannot watch for '" + mode +
                            "': use w (writes), rw (reads and writes) or x (execution)");
    return false;
  }
  ap.parts[3] = mode;
  return true;
}

} // namespace

void parse_watchpoint(AttachPoint& ap, Diagnostics& diags) {
  const auto& parts = ap.parts;
  if (parts.size() != 4 || parts[1].empty()) {
    diags.error(ap.loc, ap.provider + " probe takes the form " + usage(ap.provider) + ", not '" +
                            ap.raw + "'");
    return;
  }
  if (parts[1].find('+') != std::string::npos) {
    if (!function_and_argument(ap, parts[1], diags)) return;
  } else if (ap.provider == "asyncwatchpoint") {
    diags.error(ap.loc, "asyncwatchpoint needs a function: " + usage(ap.provider) +
                            " (an address is watched from the start: use watchpoint)");
    return;
  } else if (auto address = parse_number(parts[1])) {
    if (*address == 0) {
      diags.error(ap.loc, "watchpoint must be attached to a non-zero address");
      return;
    }
    ap.offset = *address;
  } else {
    diags.error(ap.loc, "watchpoint address must be a number (0x404050 or 4210768), not '" +
                            parts[1] + "'");
    return;
  }
  auto len = parse_number(parts[2]);
  if (!len || (*len != 1 && *len != 2 && *len != 4 && *len != 8)) {
    diags.error(ap.loc, "watchpoint length must be 1, 2, 4 or 8 bytes, not '" + parts[2] + "'");
    return;
  }
  ap.freq = *len;
  if (!check_mode(ap, diags)) return;
  if (ap.parts[3] == "x" && ap.freq != 8) {
    diags.error(ap.loc, "an execution watchpoint (x) must have length 8 on x86-64, not " +
                            std::to_string(ap.freq));
    return;
  }
  if (ap.func.empty() && ap.offset % ap.freq != 0)
    diags.error(ap.loc, "watchpoint address must be aligned to its length (" +
                            std::to_string(ap.freq) + " bytes) on x86-64");
}

bool resolve_watchpoint_targets(Program& program, KernelInfo& kernel, Diagnostics& diags, int pid,
                                int cpid, const std::string& traced_binary) {
  int errors = diags.error_count();
  int fixed = 0; // absolute watchpoints: each holds a debug register from the start
  std::string path;
  for (auto& probe : program.probes)
    for (auto& ap : probe->attach_points) {
      if (!is_watchpoint(ap->provider)) continue;
      if (ap->func.empty()) {
        if (++fixed == kDebugRegisters + 1)
          diags.error(ap->loc, "more than " + std::to_string(kDebugRegisters) +
                                   " watchpoints: x86-64 has " + std::to_string(kDebugRegisters) +
                                   " hardware debug registers");
        continue;
      }
      if (pid <= 0 && cpid <= 0) {
        diags.error(ap->loc, ap->provider + " on a function argument needs the process to "
                                            "watch: give -p PID or -c CMD");
        continue;
      }
      if (path.empty()) path = kernel.resolve_binary(traced_binary);
      if (path.empty()) {
        diags.error(ap->loc,
                    "cannot find the program of the traced process ('" + traced_binary + "')");
        continue;
      }
      if (kernel.match_binary_functions(path, ap->func).empty()) {
        diags.error(ap->loc, "function '" + ap->func + "' not found in " + path);
        continue;
      }
      ap->target = path;
      // Probe expansion copied the attach point as it was.
      for (auto& entry : probe->expanded)
        if (entry->loc.line == ap->loc.line && entry->loc.col == ap->loc.col) entry->target = path;
    }
  return diags.error_count() == errors;
}

} // namespace tracelet::ast
