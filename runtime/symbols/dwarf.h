// Types from a binary's DWARF debug info (elfutils' libdw), for uprobes: the parameters of a
// function (`args.name` in a uprobe, `-lv` listings) and struct/union layouts for casts
// (`(struct foo *)arg0`). The binary is opened on the first question, never at start-up; its
// separate debug file (/usr/lib/debug, .gnu_debuglink, build id) is found as gdb would.
//
// Parameters are placed as the x86-64 System V ABI passes them; the args record of a function
// says where each one is (the uprobe codegen reads it from there, codegen/uprobe_args.cpp):
//   offset 8 * i (i < 6):  the i-th integer argument register (rdi rsi rdx rcx r8 r9); a
//                          struct of 9..16 bytes passed by value fills slots i and i + 1;
//   offset 48 + k:         byte k of the stack argument area (rsp + 8 at the function's entry):
//                          integer arguments past the sixth, structs larger than 16 bytes.
// Floating-point parameters (SSE registers), structs that hold floats and 128-bit integers are
// in the record without a type (Field::type null): tracelet cannot read or hold them.
#pragma once

#include "ast/kernel_info.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tracelet::runtime {

struct DwarfParameter {
  std::string name;
  std::string c_type; // as bpftrace -lv spells it: "const char*", "struct Foo*", "long int"
};

class BinaryDwarf {
public:
  explicit BinaryDwarf(std::string path);
  ~BinaryDwarf();
  BinaryDwarf(const BinaryDwarf&) = delete;
  BinaryDwarf& operator=(const BinaryDwarf&) = delete;

  // Whether the binary (or its separate debug file) has DWARF. Opens it on the first call.
  bool has_debug_info();
  // The parameters of `func` (its C name or its linkage name), in order; nullopt if the debug
  // info has no definition of it.
  std::optional<std::vector<DwarfParameter>> parameters(const std::string& func);
  // The args record of `func` as described above ("struct <func>_args"); nullptr with `error`
  // set (why, for a located message) if it cannot be had.
  std::shared_ptr<const ast::RecordDef> function_args(const std::string& func, std::string& error);
  // "struct foo" / "union bar" defined in the debug info, with its fields (members of anonymous
  // structs and unions lifted, as C names them); pointers in it point into user memory.
  // nullptr if the debug info has no complete definition of it.
  std::shared_ptr<const ast::RecordDef> record(const std::string& c_name);

  // Whether the debug info was read (tests check that scripts without uprobe args never do).
  bool opened() const { return impl_ != nullptr; }

private:
  struct Impl;
  bool open();
  std::string path_;
  bool tried_ = false;
  std::unique_ptr<Impl> impl_;
};

// `-lv` for a uprobe: its parameters as bpftrace 0.17 lists them, one "TYPE NAME" per line
// ("const char* name"); empty if the debug info does not describe `func`.
std::vector<std::string> uprobe_parameter_lines(BinaryDwarf& dwarf, const std::string& func);

} // namespace tracelet::runtime
