// RLIMIT_NOFILE for programs with many probes (issue 13). The loaded BPF object holds one file
// descriptor per program and per map, and a run holds up to two more per attachment (a perf
// event and its bpf_link), so 20,000 probes need more than the usual limit of 1024 (or a
// container's 20,000). The soft limit is raised to what the program needs before loading (and
// the hard one too, where CAP_SYS_RESOURCE allows, up to /proc/sys/fs/nr_open).
#pragma once

#include "codegen/compiled_program.h"

#include <cstddef>
#include <string>

namespace tracelet::runtime {

struct OpenFilesNeeded {
  size_t programs = 0, maps = 0, attachments = 0;
  size_t total() const;
  // "this program needs 40086 open files (20000 BPF programs, 2 maps, 20000 attachments and
  // 84 to spare)"
  std::string describe() const;
};

// What loading `program` (with its `maps` maps, internal ones included) needs; a dry run
// attaches nothing.
OpenFilesNeeded open_files_needed(const codegen::CompiledProgram& program, size_t maps,
                                  bool dry_run);

// Raises the soft RLIMIT_NOFILE to at least `needed` where the limits allow; returns the soft
// limit in force afterwards (never lowered).
size_t raise_open_file_limit(size_t needed);

// The error for a run that needs more open files than the limit allows: the count needed, the
// hard limit, and how to raise it.
std::string open_file_limit_error(const OpenFilesNeeded& needed, size_t limit);

} // namespace tracelet::runtime
