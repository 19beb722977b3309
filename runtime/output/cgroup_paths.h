// cgroup_path(id [, filter]): a cgroup id printed as its paths, found in user space when the
// value is printed, as bpftrace 0.17: "unified:/a/b" for the cgroup v2 hierarchy, then one
// "NAME:/path" per cgroup v1 hierarchy (sorted by NAME) that has a directory with that id,
// joined by ','. Only hierarchies whose NAME matches the wildcard filter are searched ("*":
// all); nothing found prints "".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tracelet::runtime {

struct CgroupHierarchy {
  std::string name;        // "unified" for cgroup2; v1: the controllers ("cpu,cpuacct") or
                           // the name= option ("systemd")
  std::string mount_point; // e.g. /sys/fs/cgroup/unified
};

// ---- pure functions (unit-tested)

// The cgroup hierarchies mounted according to /proc/self/mountinfo text: cgroup2 first (one
// mount per hierarchy: the first seen), then cgroup v1 sorted by name.
std::vector<CgroupHierarchy> cgroup_hierarchies(const std::string& mountinfo);

// The text of cgroup_path(id, filter) over `hierarchies`: each one searched by walking its
// directories for the one whose inode number is `id` (a kernfs node id is its cgroup id).
std::string cgroup_paths(uint64_t id, const std::string& filter,
                         const std::vector<CgroupHierarchy>& hierarchies);

// ---- during a run

// The text of a TypeKind::CgroupPath value { u64 filter id; u64 cgroup id } with the filters of
// the running program (ScopedCgroupPathFilters); mounts are read once, results cached.
std::string format_cgroup_path_value(const uint8_t* data);

// Makes `filters` (CompiledProgram::cgroup_path_filters) the ones CgroupPath values index
// until destroyed.
class ScopedCgroupPathFilters {
public:
  explicit ScopedCgroupPathFilters(const std::vector<std::string>& filters);
  ~ScopedCgroupPathFilters();
  ScopedCgroupPathFilters(const ScopedCgroupPathFilters&) = delete;
  ScopedCgroupPathFilters& operator=(const ScopedCgroupPathFilters&) = delete;

private:
  const std::vector<std::string>* previous_;
};

} // namespace tracelet::runtime
