// debugf(fmt, ...): bpf_trace_printk, which the kernel formats into its trace buffer
// (/sys/kernel/tracing/trace_pipe). The format and string arguments are copied to the stack;
// integers are passed as 64-bit values (the kernel reads 32 of them without l/ll).
#include "codegen/emitter.h"

#include "ast/diagnostics.h"

namespace tracelet::codegen {

void IrEmitter::emit_debugf(ast::Call& c) {
  auto* fmt = dynamic_cast<ast::String*>(c.args[0].get());
  if (!fmt) throw Error("internal error: debugf() without a literal format");
  std::string text = fmt->value + '\0';
  auto* fmt_buf = stack_buffer(text.size(), "debugf_fmt");
  store_constant_bytes(text, fmt_buf);
  std::vector<llvm::Value*> args;
  for (size_t i = 1; i < c.args.size(); ++i) {
    ast::Expr& a = *c.args[i];
    if (a.type.is_string()) {
      auto* buf = stack_buffer(a.type.size(), "debugf_str");
      emit_into(a, a.type, buf, true);
      args.push_back(b_.CreatePtrToInt(buf, b_.getInt64Ty()));
    } else {
      args.push_back(widen(emit_scalar(a), a.type));
    }
  }
  helpers_.trace_printk(fmt_buf, text.size(), args);
}

} // namespace tracelet::codegen
