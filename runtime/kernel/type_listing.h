// `tracelet -l 'struct task_struct'` and `-lv 'struct path'`: the kernel's struct, union and
// enum types from BTF, by name (`struct task_*`) or with their C definitions, as bpftrace
// lists them. BTF is read only when such a listing is asked for.
#pragma once

#include <string>

struct btf;

namespace tracelet::runtime {

// Whether a -l pattern asks for types rather than probes: as bpftrace, one without ':' that
// starts with "struct", "union" or "enum".
bool is_type_pattern(const std::string& pattern);

// The named struct, union and enum types of `btf` whose "struct NAME" matches the glob
// `pattern`, sorted, one per line; `verbose`: each one's C definition (as libbpf's BTF dumper
// writes it: members one per line, tab-indented) followed by an empty line.
std::string list_types(const struct btf* btf, const std::string& pattern, bool verbose);

// The same for the running kernel's BTF. Throws tracelet::Error if it has none.
std::string list_kernel_types(const std::string& pattern, bool verbose);

} // namespace tracelet::runtime
