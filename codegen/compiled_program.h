// What codegen hands to the runtime: the ELF object plus everything needed to attach its
// programs and decode what they send back. This and ast/types.h (value layouts) are the whole
// contract between the two stages.
#pragma once

#include "ast/location.h"
#include "ast/types.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tracelet::codegen {

// A user-visible map (`@name`). Internal maps (event array, scratch buffers) are not listed.
struct MapDesc {
  std::string name;      // as written, with '@': "@", "@opens"
  std::string elf_name;  // its symbol in the ELF's .maps section
  ast::Type key;         // user key type: None for a keyless map, a Tuple for several keys
  ast::Type value;       // value type; aggregation kinds for count()/hist()/...
  uint32_t bpf_type = 0; // BPF_MAP_TYPE_*
  uint32_t key_size = 0; // bytes of the BPF key (hist/lhist: user key padded to 8, + u64 bucket)
  uint32_t value_size = 0;
  uint32_t max_entries = 0;
  bool per_cpu = false; // values are per-CPU copies to fold in user space
  // The name of each key expression at the first use with keys (codegen/key_names.h), "" for
  // one without a natural name; empty for a keyless map. --metrics names labels after these.
  std::vector<std::string> key_names;
};

// Every perf event begins with this header; the payload follows at offset 8.
enum class EventKind : uint32_t {
  Printf = 1,     // id: index into printfs; payload: printfs[id].args layout
  Exit = 2,       // no payload
  PrintMap = 3,   // id: index into map_actions
  ClearMap = 4,   // id: index into map_actions
  ZeroMap = 5,    // id: index into map_actions
  PrintValue = 6, // id: index into print_values; payload: print_values[id].value layout
  // Async actions of time(), join(), cat() and system() (runtime/async_actions.cpp):
  Time = 7,         // id: index into time_formats; no payload
  Join = 8,         // id: index into join_separators; payload: kJoinArgs * kJoinArgSize bytes,
                    // one NUL-terminated argument per slot (an empty slot ends the list)
  Cat = 9,          // id: index into cats; payload: cats[id].args layout
  System = 10,      // id: index into systems; payload: systems[id].args layout
  HelperError = 11, // -k: id: index into helper_errors; payload: i64 the helper's return code
};

// join(): as bpftrace 0.17, at most 16 arguments of at most 1023 characters each.
constexpr uint32_t kJoinArgs = 16;
constexpr uint32_t kJoinArgSize = 1024;

struct EventHeader {
  uint32_t kind; // EventKind
  uint32_t id;
};

struct PrintfDesc {
  std::string format; // the format string, escapes decoded, as the user wrote it
  ast::Type args;     // a Tuple: the payload layout (strings as char[N], integers as written)
  Location loc;
};

struct MapActionDesc {
  size_t map = 0;            // index into maps
  uint64_t top = 0, div = 0; // print(@m, top, div); 0 = not given
};

struct PrintValueDesc {
  ast::Type value;
};

// One checked helper call (-k/-kk): which helper, and the statement or expression it serves.
struct HelperErrorDesc {
  std::string helper; // "map_update_elem", "probe_read_kernel", ...
  Location loc;
};

// One BPF program (one per concrete attach point) and where to attach it.
struct ProgramDesc {
  std::string func_name;  // its symbol in the ELF (bpf_object__find_program_by_name)
  std::string section;    // libbpf section name, e.g. "tracepoint/syscalls/sys_enter_openat"
  std::string provider;   // as AttachPoint::provider: BEGIN END tracepoint interval ...
  std::string target;     // as AttachPoint::target
  std::string func;       // as AttachPoint::func, no wildcards left
  uint64_t freq = 0;      // as AttachPoint::freq
  uint64_t offset = 0;    // as AttachPoint::offset
  std::string probe_name; // AttachPoint::name(), for messages
  uint64_t usdt_location = 0; // as AttachPoint::usdt_location
  // The attach points this program serves: 1, or the syscall tracepoints a raw_tracepoint
  // sys_enter/sys_exit dispatcher stands for (codegen/syscall_dispatch.cpp).
  size_t attach_points = 1;
  Location loc; // the attach point in the source, for located attach errors
};

// A BPF_MAP_TYPE_STACK_TRACE map: key u32 stack id, value `depth` u64 addresses (0-padded).
// kstack/ustack values of that depth index it (see ast/types.h, TypeKind::KStack).
struct StackMapDesc {
  std::string elf_name;
  uint32_t depth = 0;
};

inline std::string stack_map_name(uint32_t depth) {
  return "tl_stack_" + std::to_string(depth);
}

// With CodegenOptions::hist_sums, each user key of a hist()/lhist() map also has an entry at
// this bucket index that holds the sum of the values recorded (Prometheus' `_sum`). Printers
// skip it: it is beyond every bucket.
constexpr uint64_t kHistSumBucket = ~0ull;

struct CompiledProgram {
  std::vector<uint8_t> elf; // the object file, loaded with bpf_object__open_mem
  bool hist_sums = false;   // hist()/lhist() maps keep their sums at kHistSumBucket
  std::vector<ProgramDesc> programs;
  std::vector<MapDesc> maps;
  std::string event_map; // ELF name of the BPF_MAP_TYPE_PERF_EVENT_ARRAY; empty if unused
  // ELF name of a 1-entry BPF_MAP_TYPE_ARRAY of u64 that the runtime fills with the
  // CLOCK_MONOTONIC start time in ns before attaching anything (for `elapsed`); empty if unused.
  std::string start_time_map;
  std::vector<PrintfDesc> printfs;
  std::vector<MapActionDesc> map_actions;
  std::vector<PrintValueDesc> print_values;
  std::vector<HelperErrorDesc> helper_errors;
  std::vector<std::string> probe_names; // values of TypeKind::Probe index this
  std::vector<StackMapDesc> stack_maps; // one per stack depth used
  // time(), strftime(), join(), cat(), system(): what their events and values refer to.
  std::vector<std::string> time_formats;     // strftime(3) formats of time() calls
  std::vector<std::string> strftime_formats; // TypeKind::Timestamp values index this
  std::vector<std::string> cgroup_path_filters; // TypeKind::CgroupPath values index this
  std::vector<std::string> join_separators;
  std::vector<PrintfDesc> cats;    // cat(fmt, args...): the file name's format and arguments
  std::vector<PrintfDesc> systems; // system(fmt, args...): the command's format and arguments
};

} // namespace tracelet::codegen
