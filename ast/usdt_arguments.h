// USDT argument specs, as SystemTap's sys/sdt.h writes them into .note.stapsdt on x86-64:
// "SIZE@OPERAND" separated by spaces, SIZE negative for signed ("-4@%eax", "8@%rdi",
// "-4@112(%rsp)", "8@$42"). The type pass counts and types the arguments; codegen reads them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tracelet::ast {

struct UsdtArgument {
  enum class Kind { Register, Memory, Constant };
  Kind kind = Kind::Register;
  uint32_t bytes = 8; // 1, 2, 4 or 8
  bool is_signed = false;
  uint64_t pt_regs_offset = 0; // Register, Memory: the register's slot in struct pt_regs
  int64_t value = 0;           // Memory: displacement from the register; Constant: the value
};

// The arguments of one probe's spec string; nullopt (with `error` set) if a spec is not one
// of the forms above (e.g. an index register, "8@(%rax,%rbx,8)").
std::optional<std::vector<UsdtArgument>> parse_usdt_arguments(const std::string& specs,
                                                              std::string* error);

} // namespace tracelet::ast
