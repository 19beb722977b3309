#include "runtime/open_files.h"

#include "runtime/attach/attach.h"

#include <bpf/libbpf.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sys/resource.h>

namespace tracelet::runtime {

namespace {

// Descriptors besides programs, maps and links: stdio, the BTF object, libbpf's feature
// probes, the perf buffer's per-CPU events, -o, --metrics, symbol files.
size_t spare_files() {
  int cpus = libbpf_num_possible_cpus();
  return 64 + 2 * static_cast<size_t>(cpus > 0 ? cpus : 1);
}

size_t nr_open() {
  size_t n = 0;
  std::ifstream("/proc/sys/fs/nr_open") >> n;
  return n ? n : 1048576; // the kernel's default
}

} // namespace

size_t OpenFilesNeeded::total() const {
  return programs + maps + 2 * attachments + spare_files();
}

std::string OpenFilesNeeded::describe() const {
  return "this program needs " + std::to_string(total()) + " open files (" +
         std::to_string(programs) + " BPF programs, " + std::to_string(maps) + " maps, " +
         (attachments ? std::to_string(attachments) + " attachments, " : "") +
         std::to_string(spare_files()) + " to spare)";
}

OpenFilesNeeded open_files_needed(const codegen::CompiledProgram& program, size_t maps,
                                  bool dry_run) {
  OpenFilesNeeded n;
  n.programs = program.programs.size();
  n.maps = maps;
  if (!dry_run)
    for (const auto& desc : program.programs)
      if (!is_begin_end(desc.provider))
        // A syscall dispatcher is one raw tracepoint link for all the tracepoints it serves.
        n.attachments += desc.provider == "rawtracepoint" ? 1 : desc.attach_points;
  return n;
}

size_t raise_open_file_limit(size_t needed) {
  rlimit lim;
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return 0;
  if (lim.rlim_cur == RLIM_INFINITY) return SIZE_MAX;
  if (lim.rlim_cur >= needed) return lim.rlim_cur;
  rlimit want = lim;
  if (lim.rlim_max != RLIM_INFINITY && lim.rlim_max < needed) {
    // Raising the hard limit needs CAP_SYS_RESOURCE, and nr_open bounds it even then.
    want.rlim_max = std::max<rlim_t>(lim.rlim_max, std::min(needed, nr_open()));
    if (::setrlimit(RLIMIT_NOFILE, &want) != 0) want.rlim_max = lim.rlim_max;
  }
  want.rlim_cur = want.rlim_max == RLIM_INFINITY ? needed : std::min<rlim_t>(needed, want.rlim_max);
  if (::setrlimit(RLIMIT_NOFILE, &want) != 0) return lim.rlim_cur;
  return want.rlim_cur;
}

std::string open_file_limit_error(const OpenFilesNeeded& needed, size_t limit) {
  return needed.describe() + ", but the open-file limit (RLIMIT_NOFILE) is " +
         std::to_string(limit) +
         " and cannot be raised further here (the hard limit needs CAP_SYS_RESOURCE to raise; "
         "try `ulimit -n " +
         std::to_string(needed.total()) + "` as root, or fewer probes)";
}

} // namespace tracelet::runtime
