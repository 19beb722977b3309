#include "codegen/probe_context.h"

#include "ast/diagnostics.h"

#include <cstddef>

namespace tracelet::codegen {

namespace {

// Byte offsets in x86-64's struct pt_regs (arch/x86/include/asm/ptrace.h).
constexpr uint64_t kRegR9 = 64, kRegR8 = 72, kRegAx = 80, kRegCx = 88, kRegDx = 96, kRegSi = 104,
                   kRegDi = 112, kRegSp = 152;
// The System V AMD64 ABI passes the first six integer arguments in these registers.
constexpr uint64_t kArgRegs[] = {kRegDi, kRegSi, kRegDx, kRegCx, kRegR8, kRegR9};

bool reads_pt_regs(const std::string& provider) {
  return provider == "kprobe" || provider == "kretprobe" || provider == "uprobe" ||
         provider == "uretprobe";
}

// "arg3" -> 3; -1 if not an argN name.
int arg_index(const std::string& name) {
  if (name.size() < 4 || name.rfind("arg", 0) != 0) return -1;
  int n = 0;
  for (size_t i = 3; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9') return -1;
    n = n * 10 + (name[i] - '0');
  }
  return n;
}

llvm::Value* load_u64(llvm::IRBuilder<>& b, llvm::Value* ctx, uint64_t offset,
                      const std::string& name) {
  auto* p = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), b.CreatePointerCast(ctx, b.getInt8PtrTy()),
                                         offset);
  auto* typed = b.CreatePointerCast(p, b.getInt64Ty()->getPointerTo());
  return b.CreateAlignedLoad(b.getInt64Ty(), typed, llvm::Align(8), name);
}

} // namespace

std::string probe_kind_section(const ast::AttachPoint& ap) {
  const std::string& p = ap.provider;
  if (p == "kprobe" || p == "kretprobe") return p + "/" + ap.func;
  // uprobes are attached by the runtime at a file offset; the section names only the kind.
  if (p == "uprobe" || p == "uretprobe") return p;
  if (p == "usdt") return "uprobe"; // a uprobe at the note's address
  if (p == "fentry" || p == "fexit") return p + "/" + ap.func;
  if (p == "rawtracepoint") return "raw_tp/" + ap.func;
  if (p == "profile" || p == "software" || p == "hardware") return "perf_event";
  if (p == "watchpoint" || p == "asyncwatchpoint") return "perf_event"; // a breakpoint event
  if (p == "xdp" || p == "tc") return p; // attached by the runtime (runtime/attach/xdp.cpp, tc.cpp)
  return "";
}

bool is_context_builtin(const std::string& builtin, const ast::AttachPoint& ap) {
  int n = arg_index(builtin);
  if (reads_pt_regs(ap.provider))
    return builtin == "retval" ? ap.provider == "kretprobe" || ap.provider == "uretprobe"
                               : n >= 0 && n < 6;
  if (ap.provider == "rawtracepoint") return n >= 0 && n < 12;
  // fentry/fexit: the same u64 argument array (retval of fexit is read by its BTF slot).
  if (ap.provider == "fentry" || ap.provider == "fexit") return n >= 0 && n < 6;
  return false;
}

llvm::Value* emit_context_builtin(llvm::IRBuilder<>& b, llvm::Value* ctx,
                                  const std::string& builtin, const ast::AttachPoint& ap) {
  if (!is_context_builtin(builtin, ap))
    throw Error("internal error: " + builtin + " read in a " + ap.provider + " probe");
  if (builtin == "retval") return load_u64(b, ctx, kRegAx, "retval");
  int n = arg_index(builtin);
  if (reads_pt_regs(ap.provider)) return load_u64(b, ctx, kArgRegs[n], builtin);
  return load_u64(b, ctx, 8 * static_cast<uint64_t>(n), builtin); // u64 args[]
}

llvm::Value* emit_register(llvm::IRBuilder<>& b, llvm::Value* ctx, uint64_t pt_regs_offset) {
  return load_u64(b, ctx, pt_regs_offset, "reg");
}

uint64_t pt_regs_argument_offset(uint64_t slot) {
  if (slot >= std::size(kArgRegs))
    throw Error("internal error: argument register " + std::to_string(slot));
  return kArgRegs[slot];
}

uint64_t pt_regs_stack_pointer_offset() {
  return kRegSp;
}

std::string probe_function_name(const ast::AttachPoint& ap) {
  return ap.func;
}

} // namespace tracelet::codegen
