// x86-64 register names as bpftrace's reg() knows them, and their byte offsets in the
// kernel's struct pt_regs (arch/x86/include/asm/ptrace.h). Shared by type inference (names)
// and codegen (offsets).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace tracelet::ast {

// The offset of `name` ("ip", "sp", "di", "r8", ...) in struct pt_regs; nullopt if unknown.
std::optional<uint64_t> pt_regs_offset(const std::string& name);
// "r15, r14, ..., ss": every name, for messages.
std::string register_names();
// struct pt_regs's sp: where a function's stack arguments are found on entry.
constexpr uint64_t kPtRegsSp = 19 * 8;

} // namespace tracelet::ast
