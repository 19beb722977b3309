// USDT argument specs, as SystemTap's sys/sdt.h writes them into .note.stapsdt on x86-64:
// "SIZE@OPERAND" separated by spaces, SIZE negative for signed ("-4@%eax", "8@%rdi",
// "-4@112(%rsp)", "-2@-88(%rsp,%rax,8)", "8@$42", and a global variable, "-4@counter(%rip)"
// or "8@16+table(%rip)"). The type pass counts and types the arguments and resolves globals;
// codegen reads them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tracelet::ast {

struct UsdtArgument {
  enum class Kind { Register, Memory, Constant, Global };
  Kind kind = Kind::Register;
  uint32_t bytes = 8; // 1, 2, 4 or 8
  bool is_signed = false;
  uint64_t pt_regs_offset = 0; // Register, Memory: the (base) register's slot in struct pt_regs
  // Memory: displacement from the base register; Constant: the value, already truncated to
  // `bytes` and sign- or zero-extended as the size says ("1@$-1" is 255, "-1@$255" is -1).
  // Global: the offset from the symbol ("16+table(%rip)" is 16).
  int64_t value = 0;
  // Memory with an index register, "disp(%base,%index,scale)": address = base + index * scale
  // + disp. scale is 0 when there is no index register.
  uint64_t index_pt_regs_offset = 0;
  uint32_t scale = 0; // 1, 2, 4 or 8
  // Global: the variable's ELF symbol; its run-time address is the symbol's value plus
  // `value` plus the load bias of the binary (0 unless it is PIE or a shared object).
  std::string symbol;
};

// The arguments of one probe's spec string; nullopt (with `error` set) if a spec is not one
// of the forms above (e.g. a segment, "8@%fs:0", or "%rip" without a symbol).
std::optional<std::vector<UsdtArgument>> parse_usdt_arguments(const std::string& specs,
                                                              std::string* error);

} // namespace tracelet::ast
