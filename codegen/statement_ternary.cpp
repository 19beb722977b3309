// `cond ? printf(..) : exit()`: a ternary whose branches are statements (calls without a
// value, or such ternaries) runs like `if (cond) { a } else { b }`.
#include "codegen/emitter.h"

#include "ast/diagnostics.h"

namespace tracelet::codegen {

void IrEmitter::emit_statement_ternary(ast::Ternary& t) {
  auto* then_bb = llvm::BasicBlock::Create(ctx_, "ternary_then", fn_);
  auto* else_bb = llvm::BasicBlock::Create(ctx_, "ternary_else", fn_);
  auto* done = llvm::BasicBlock::Create(ctx_, "ternary_done", fn_);
  b_.CreateCondBr(emit_cond(*t.cond), then_bb, else_bb);
  for (auto [branch, bb] : {std::pair{&t.then_expr, then_bb}, std::pair{&t.else_expr, else_bb}}) {
    b_.SetInsertPoint(bb);
    ast::Expr& e = **branch;
    LocationScope at(*this, e.loc);
    if (auto* c = dynamic_cast<ast::Call*>(&e))
      emit_call_stmt(*c);
    else if (auto* nested = dynamic_cast<ast::Ternary*>(&e))
      emit_statement_ternary(*nested);
    else
      throw Error("internal error: a statement ternary with a branch that is not a call");
    b_.CreateBr(done); // from a dead block after exit(): harmless
  }
  b_.SetInsertPoint(done);
}

} // namespace tracelet::codegen
