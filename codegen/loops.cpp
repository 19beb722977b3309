// for loops. `for ($kv : @m)` runs its body as the callback of bpf_for_each_map_elem, and
// `for $i : a..b` as the callback of bpf_loop (the verifier checks the callback once, so the
// bounds need not be known when loading). The callback is a static BPF function:
//
//   long cb(struct bpf_map *, void *key, void *value, struct loop_ctx *)   (map)
//   long cb(u64 index, struct loop_ctx *)                                    (range)
//
// It returns 0 to go on (`continue`, the end of the body) and 1 to stop (`break`). The loop
// context (layout in emitter.h) lives on the caller's stack: the program's context pointer
// (so printf and args work in the body), a "returned" flag (`return` and exit() in the body
// set it and stop the loop; the caller then returns too), a range's start, and a pointer to
// every variable of the caller that the body uses, which the body reads and writes in place.
#include "codegen/emitter.h"

#include "ast/diagnostics.h"

#include <set>

namespace tracelet::codegen {

using ast::Type;
using ast::TypeKind;

namespace {

// The variables (bindings) used in `body` that `declared` already holds: the enclosing
// function's, shared with the callback.
class SharedVariables : public ast::Visitor {
public:
  using ast::Visitor::visit;
  explicit SharedVariables(const std::map<int, std::pair<llvm::Value*, Type>>& declared)
      : declared_(declared) {}
  void visit(ast::Variable& n) override {
    if (declared_.count(n.binding) && seen_.insert(n.binding).second) found.push_back(n.binding);
  }
  std::vector<int> found;

private:
  const std::map<int, std::pair<llvm::Value*, Type>>& declared_;
  std::set<int> seen_;
};

} // namespace

llvm::Value* IrEmitter::load_aligned_pointer(llvm::Value* src) {
  auto* typed = b_.CreatePointerCast(src, llvm::PointerType::get(b_.getInt8PtrTy(), 0));
  auto* p = b_.CreateAlignedLoad(b_.getInt8PtrTy(), typed, llvm::Align(8));
  // Every pointer kept in a loop context points at an 8-aligned slot: say so (known_align).
  p->setMetadata(llvm::LLVMContext::MD_align,
                 llvm::MDNode::get(ctx_, {llvm::ConstantAsMetadata::get(b_.getInt64(8))}));
  return p;
}

void IrEmitter::emit_for(ast::For& s) {
  SharedVariables shared(vars_);
  shared.visit(s.body);
  const std::vector<int>& captured = shared.found;

  auto* lctx = stack_buffer(kLoopCtxVars + 8 * captured.size(), "loop_ctx");
  store_scalar(b_.CreatePointerCast(ctx_arg_, b_.getInt8PtrTy()), byte_ptr(lctx, kLoopCtxProbeCtx));
  store_scalar(i64c(0), byte_ptr(lctx, kLoopCtxReturned));
  for (size_t i = 0; i < captured.size(); ++i)
    store_scalar(b_.CreatePointerCast(vars_.at(captured[i]).first, b_.getInt8PtrTy()),
                 byte_ptr(lctx, kLoopCtxVars + 8 * i));

  if (s.map) {
    UserMap& um = user_map(*s.map);
    llvm::Function* cb = emit_loop_callback(s, captured, &um);
    helpers_.for_each_map_elem(map_ptr(um.gv), cb, lctx);
  } else {
    // The bounds are evaluated once, before the first iteration.
    auto* start = widen(emit_scalar(*s.range_start), s.range_start->type);
    auto* end = widen(emit_scalar(*s.range_end), s.range_end->type);
    store_scalar(start, byte_ptr(lctx, kLoopCtxStart));
    auto* count = b_.CreateSelect(b_.CreateICmpSGT(end, start), b_.CreateSub(end, start), i64c(0));
    count = b_.CreateSelect(b_.CreateICmpUGT(count, i64c(kMaxLoopIterations)),
                            i64c(kMaxLoopIterations), count);
    llvm::Function* cb = emit_loop_callback(s, captured, nullptr);
    helpers_.loop(count, cb, lctx);
  }

  // A `return` or exit() in the body ends the probe here.
  auto* returned = llvm::BasicBlock::Create(ctx_, "loop_returned", fn_);
  auto* done = llvm::BasicBlock::Create(ctx_, "loop_done", fn_);
  auto* flag = load_scalar(b_.getInt64Ty(), byte_ptr(lctx, kLoopCtxReturned), 8);
  b_.CreateCondBr(b_.CreateICmpNE(flag, i64c(0)), returned, done);
  b_.SetInsertPoint(returned);
  emit_return();
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

llvm::Function* IrEmitter::emit_loop_callback(ast::For& s, const std::vector<int>& captured,
                                              const UserMap* map) {
  // The caller's state, restored at the end.
  auto* saved_fn = fn_;
  auto* saved_ctx_arg = ctx_arg_;
  auto* saved_entry = entry_;
  auto* saved_block = b_.GetInsertBlock();
  auto saved_point = b_.GetInsertPoint();
  auto saved_vars = std::move(vars_);
  auto saved_loops = std::move(loops_);
  auto saved_temporaries = std::move(temporaries_);
  auto* saved_loop_ctx = loop_ctx_;

  auto* i8p = b_.getInt8PtrTy();
  auto* fn_type = map ? llvm::FunctionType::get(b_.getInt64Ty(), {i8p, i8p, i8p, i8p}, false)
                      : llvm::FunctionType::get(b_.getInt64Ty(), {b_.getInt64Ty(), i8p}, false);
  std::string name = saved_fn->getName().str() + "_loop" + std::to_string(callbacks_++);
  uses_callback_ = true; // the program needs BTF (debug_info.h)
  fn_ = llvm::Function::Create(fn_type, llvm::Function::InternalLinkage, name, module_);
  fn_->addFnAttr(llvm::Attribute::NoUnwind);
  fn_->addFnAttr(llvm::Attribute::NoInline);
  if (map)
    debug_info_.describe_function(*fn_, {"map", "key", "value", "ctx"});
  else
    debug_info_.describe_function(*fn_, {"index", "ctx"}, {"index"});
  entry_ = llvm::BasicBlock::Create(ctx_, "entry", fn_);
  b_.SetInsertPoint(entry_);
  vars_.clear();
  loops_.clear();
  temporaries_.clear();

  loop_ctx_ = fn_->getArg(map ? 3 : 1);
  ctx_arg_ = load_aligned_pointer(byte_ptr(loop_ctx_, kLoopCtxProbeCtx));
  for (size_t i = 0; i < captured.size(); ++i)
    vars_.emplace(captured[i],
                  std::make_pair(load_aligned_pointer(byte_ptr(loop_ctx_, kLoopCtxVars + 8 * i)),
                                 saved_vars.at(captured[i]).second));

  // The loop variable: (key, value) or start + index.
  const Type& var_type = s.var->type;
  auto* slot = variable_slot(*s.var, var_type);
  if (map) {
    if (var_type.kind != TypeKind::Tuple || var_type.elems.size() != 2)
      throw Error("internal error: for loop variable of type " + var_type.str());
    auto offs = var_type.offsets();
    zero_bytes(slot, var_type.size(), 8);
    convert_memory(map->key, fn_->getArg(1), var_type.elems[0], byte_ptr(slot, offs[0]), false);
    convert_memory(map->value, fn_->getArg(2), var_type.elems[1], byte_ptr(slot, offs[1]), false);
  } else {
    auto* start = load_scalar(b_.getInt64Ty(), byte_ptr(loop_ctx_, kLoopCtxStart), 8);
    store_scalar(convert_int(b_.CreateAdd(start, fn_->getArg(0)), Type::i64(), var_type), slot);
  }

  auto* next = llvm::BasicBlock::Create(ctx_, "loop_next", fn_);
  auto* stop = llvm::BasicBlock::Create(ctx_, "loop_break", fn_);
  emit_loop_body(s.body, {stop, next});
  b_.SetInsertPoint(next);
  b_.CreateRet(i64c(0));
  b_.SetInsertPoint(stop);
  b_.CreateRet(i64c(1));

  llvm::Function* cb = fn_;
  fn_ = saved_fn;
  ctx_arg_ = saved_ctx_arg;
  entry_ = saved_entry;
  b_.SetInsertPoint(saved_block, saved_point);
  vars_ = std::move(saved_vars);
  loops_ = std::move(saved_loops);
  temporaries_ = std::move(saved_temporaries);
  loop_ctx_ = saved_loop_ctx;
  return cb;
}

} // namespace tracelet::codegen
