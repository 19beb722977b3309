// kstack, ustack, ksym(addr), usym(addr): the BPF side records addresses and stack ids; the
// runtime turns them into names when it prints (runtime/symbols/symbols.h).
#include "codegen/emitter.h"

#include "ast/diagnostics.h"
#include "codegen/maps.h"

namespace tracelet::codegen {

using ast::Type;
using ast::TypeKind;

namespace {

// Stack ids index a map of this many stacks; a full map makes get_stackid fail (the value
// then prints as an empty stack), as in bpftrace.
constexpr uint32_t kStackMapEntries = 4096;

} // namespace

llvm::Value* IrEmitter::emit_symbol_scalar(ast::Expr& e) {
  if (e.type.kind == TypeKind::KSym) {
    auto& call = dynamic_cast<ast::Call&>(e);
    return widen(emit_scalar(*call.args[0]), call.args[0]->type);
  }
  // One stack map per depth, shared by kstack and ustack of that depth.
  uint32_t depth = e.type.stack_depth;
  std::string name = stack_map_name(depth);
  MapDef* def = maps_.find(name);
  if (!def) {
    def = &maps_.define(name, kMapStackTrace, 4, depth * 8, kStackMapEntries);
    out_.stack_maps.push_back({name, depth});
  }
  bool user = e.type.kind == TypeKind::UStack;
  auto* id = helpers_.get_stackid(ctx_arg_, map_ptr(def->gv), user ? kBpfFUserStack : 0);
  if (!user) return id;
  // ustack: the pid rides along so that the runtime can read that process's symbols.
  auto* pid = b_.CreateLShr(helpers_.get_current_pid_tgid(), 32);
  auto* low = b_.CreateAnd(id, i64c(0xffffffffULL));
  return b_.CreateOr(b_.CreateShl(pid, 32), low);
}

void IrEmitter::emit_usym_into(ast::Call& c, llvm::Value* dst) {
  // { u64 addr; u64 pid }
  store_scalar(widen(emit_scalar(*c.args[0]), c.args[0]->type), dst);
  store_scalar(b_.CreateLShr(helpers_.get_current_pid_tgid(), 32), byte_ptr(dst, 8));
}

} // namespace tracelet::codegen
