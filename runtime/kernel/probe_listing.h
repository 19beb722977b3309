// `tracelet -l [PATTERN]` and `-lv`: the probes this kernel can attach, one per line, in
// bpftrace's spelling ("tracepoint:sched:sched_switch", "software:cpu-clock:").
//
// Lazy: only the providers the pattern can match are enumerated, and for tracepoints only the
// categories it names, so `-l 'tracepoint:syscalls:*'` reads one directory.
#pragma once

#include "ast/kernel_info.h"

#include <string>
#include <vector>

namespace tracelet::runtime {

// A listing request split like bpftrace: "provider:rest" with the provider alias expanded
// ("t:sched:*" -> tracepoint), or a bare word ("sched_switch" -> any provider, "*:" + word).
struct ListPattern {
  std::string provider_glob = "*"; // matched against provider names
  std::string rest_glob = "*";     // matched against what follows "provider:"
  std::string full_glob = "*";     // matched against the whole probe name
  std::string bare_word;           // set for a pattern without ':' (the word itself)

  static ListPattern parse(const std::string& pattern);
  bool wants_provider(const std::string& provider) const;
  bool matches(const std::string& probe) const;
};

struct ListedProbe {
  std::string name;              // "tracepoint:syscalls:sys_enter_openat"
  std::vector<std::string> args; // -lv: "int dfd", "const char * filename" (tracepoints)
};

// Every attachable probe matching `pattern`, sorted by provider then name; a comma-separated
// list of patterns lists each one's probes in turn, as bpftrace does. `verbose` fills
// ListedProbe::args. `notes` receives one line per provider the pattern asked for by name but
// this kernel cannot attach (e.g. kprobes without CONFIG_KPROBES). With `pid` (-p), only the
// uprobe and usdt probes of that process's program ("uprobe:/proc/PID/root/bin/x:main").
// Throws tracelet::Error for a binary the pattern names that does not exist.
std::vector<ListedProbe> list_probes(ast::KernelInfo& kernel, const std::string& pattern,
                                     bool verbose, std::vector<std::string>& notes, int pid = 0);

// The text -l prints: one name per line, each followed by "    <arg>" lines when verbose.
std::string format_listing(const std::vector<ListedProbe>& probes);

// The fields of a tracefs format file as bpftrace -lv shows them ("__data_loc char[] filename",
// "int dfd"): declarations without the common_* header fields.
std::vector<std::string> tracepoint_format_args(const std::string& format_text);

} // namespace tracelet::runtime
