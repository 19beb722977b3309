// x86-64 system call numbers by tracepoint name ("openat" for sys_enter_openat).
#pragma once

#include <optional>
#include <string_view>

namespace tracelet::codegen {

// The number of the syscall whose tracepoints are sys_enter_<name>/sys_exit_<name>, or none.
std::optional<int> syscall_number(std::string_view name);

} // namespace tracelet::codegen
