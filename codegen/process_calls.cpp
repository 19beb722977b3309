// time(), join(), cat(), system(), signal() and strftime(): the BPF side sends an event (or a
// value) and user space does the work (runtime/async_actions.cpp, runtime/output/user_values.h).
// kaddr(), uaddr(), cgroupid() were resolved by type inference (Call::constant).
#include "codegen/emitter.h"
#include "codegen/located_error.h"

#include "ast/diagnostics.h"

#include <algorithm>

namespace tracelet::codegen {

using ast::Type;
using ast::TypeKind;

namespace {

// Default format of time(), as bpftrace.
constexpr const char* kDefaultTimeFormat = "%H:%M:%S\n";

// A string literal argument, or str($N) resolved by type inference.
std::string literal_text(ast::Expr& e) {
  if (auto* s = dynamic_cast<ast::String*>(&e)) return s->value;
  if (auto* c = dynamic_cast<ast::Call*>(&e); c && !c->args.empty())
    if (auto* p = dynamic_cast<ast::PositionalParam*>(c->args[0].get())) return p->value;
  fail_at(e, "internal error: expected a string literal");
}

} // namespace

bool IrEmitter::emit_process_call(ast::Call& c) {
  const std::string& f = c.func;
  if (f == "time")
    emit_time(c);
  else if (f == "join")
    emit_join(c);
  else if (f == "cat")
    emit_formatted_event(c, EventKind::Cat, out_.cats);
  else if (f == "system")
    emit_formatted_event(c, EventKind::System, out_.systems);
  else if (f == "signal")
    emit_signal(c);
  else if (f == "strftime" || f == "kaddr" || f == "uaddr" || f == "cgroupid" ||
           f == "cgroup_path")
    ; // a value used as a statement: nothing to do
  else
    return false;
  return true;
}

void IrEmitter::emit_time(ast::Call& c) {
  auto id = static_cast<uint32_t>(out_.time_formats.size());
  out_.time_formats.push_back(c.args.empty() ? kDefaultTimeFormat : literal_text(*c.args[0]));
  send_event(begin_event(EventKind::Time, id, 0), 0);
}

void IrEmitter::emit_join(ast::Call& c) {
  ast::Expr& arr = *c.args[0];
  ast::AddrSpace as = arr.type.kind == TypeKind::Pointer ? arr.type.as : ast::AddrSpace::None;
  if (as == ast::AddrSpace::None)
    // Integers are addresses in user space for syscall tracepoints and uprobes (as str()).
    as = ap_ && ((ap_->provider == "tracepoint" && ap_->target == "syscalls") ||
                 ap_->provider == "uprobe" || ap_->provider == "uretprobe")
             ? ast::AddrSpace::User
             : ast::AddrSpace::Kernel;
  bool user = as == ast::AddrSpace::User;
  auto* base = widen(emit_scalar(arr), arr.type);

  auto id = static_cast<uint32_t>(out_.join_separators.size());
  out_.join_separators.push_back(c.args.size() > 1 ? literal_text(*c.args[1]) : " ");
  constexpr uint64_t payload = uint64_t(kJoinArgs) * kJoinArgSize;
  auto* record = begin_event(EventKind::Join, id, payload);
  // As bpftrace 0.17: read argv[i] and the string it points to, for each of the 16 slots. A
  // failed read leaves zeros, so a NULL entry (the end of argv) leaves an empty slot, which
  // ends the list in user space.
  auto* slot = stack_buffer(8, "join_arg");
  for (uint32_t i = 0; i < kJoinArgs; ++i) {
    helpers_.probe_read(user ? HelperId::ProbeReadUser : HelperId::ProbeReadKernel, slot, i32c(8),
                        b_.CreateAdd(base, i64c(8 * i)));
    helpers_.probe_read(user ? HelperId::ProbeReadUserStr : HelperId::ProbeReadKernelStr,
                        byte_ptr(record, 8 + uint64_t(i) * kJoinArgSize), i32c(kJoinArgSize),
                        load_scalar(b_.getInt64Ty(), slot, 8));
  }
  send_event(record, payload);
}

void IrEmitter::emit_signal(ast::Call& c) {
  llvm::Value* sig = nullptr;
  if (c.constant)
    sig = i32c(static_cast<uint32_t>(*c.constant)); // signal("KILL"), signal(9)
  else
    sig = convert_int(emit_scalar(*c.args[0]), c.args[0]->type, Type::integer(4, false));
  helpers_.send_signal(sig);
}

void IrEmitter::emit_strftime_into(ast::Call& c, llvm::Value* dst) {
  std::string format = literal_text(*c.args[0]);
  auto& formats = out_.strftime_formats;
  auto found = std::find(formats.begin(), formats.end(), format);
  auto id = static_cast<uint64_t>(found - formats.begin());
  if (found == formats.end()) formats.push_back(format);
  store_scalar(i64c(id), dst);
  store_scalar(widen(emit_scalar(*c.args[1]), c.args[1]->type), byte_ptr(dst, 8));
}

// cgroup_path(id [, filter]): the id and the index of its filter ("*" when none, as bpftrace);
// the runtime finds the paths when printing.
void IrEmitter::emit_cgroup_path_into(ast::Call& c, llvm::Value* dst) {
  std::string filter = c.args.size() == 2 ? literal_text(*c.args[1]) : "*";
  auto& filters = out_.cgroup_path_filters;
  auto found = std::find(filters.begin(), filters.end(), filter);
  auto id = static_cast<uint64_t>(found - filters.begin());
  if (found == filters.end()) filters.push_back(filter);
  store_scalar(i64c(id), dst);
  store_scalar(widen(emit_scalar(*c.args[0]), c.args[0]->type), byte_ptr(dst, 8));
}

} // namespace tracelet::codegen
