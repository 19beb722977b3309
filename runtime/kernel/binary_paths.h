// Which files a uprobe/usdt target stands for when it is not one plain path: a path glob
// ("/usr/lib/x86_64-linux-gnu/libc.so.*") or, with -p PID, the program of a process.
#pragma once

#include <string>
#include <vector>

namespace tracelet::runtime {

// The executable regular files whose path matches `glob` (glob(3)), sorted; as bpftrace,
// files without an execute bit (sources, data next to binaries) are left out.
std::vector<std::string> match_binary_paths(const std::string& glob);

// The program process `pid` runs, seen through its root: "/proc/PID/root" + the target of
// /proc/PID/exe (bpftrace's spelling, which also reaches a binary inside a container).
// "" if there is no such process.
std::string process_binary_path(int pid);

// The files process `pid` runs code from: its program, then each library it maps executable
// (in /proc/PID/maps order, each once), spelled as process_binary_path() spells the program.
// Empty if there is no such process. (bpftrace lists and attaches usdt probes of all of them.)
std::vector<std::string> process_files(int pid);

} // namespace tracelet::runtime
