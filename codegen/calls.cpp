// Function calls used as statements (printf, print, clear, zero, delete, exit) and str().
#include "ast/integer_literal.h"
#include "codegen/emitter.h"
#include "codegen/located_error.h"

#include "ast/diagnostics.h"
#include "codegen/watchpoint_events.h"

#include <algorithm>

namespace tracelet::codegen {

using ast::Type;
using ast::TypeKind;

namespace {

ast::Map& map_arg(ast::Call& c) {
  auto* m = c.args.empty() ? nullptr : dynamic_cast<ast::Map*>(c.args[0].get());
  if (!m) fail_at(c, "internal error: " + c.func + "() expects a map");
  return *m;
}

// print(@m, top, div): literals (type inference checked), cut to 32 bits as bpftrace 0.17
// does (-1 is 2^32-1, 2^32+1 is 1).
uint64_t literal_arg(ast::Call& c, size_t i) {
  if (c.args.size() <= i) return 0;
  if (auto v = ast::integer_literal(*c.args[i])) return static_cast<uint32_t>(*v);
  fail_at(*c.args[i], "internal error: " + c.func + "() takes integer literals after the map");
}

} // namespace

void IrEmitter::emit_call_stmt(ast::Call& c) {
  const std::string& f = c.func;
  if (f == "printf")
    emit_printf(c);
  else if (f == "print")
    emit_print(c);
  else if (f == "clear")
    emit_map_action(c, EventKind::ClearMap);
  else if (f == "zero")
    emit_map_action(c, EventKind::ZeroMap);
  else if (f == "delete")
    emit_delete(c);
  else if (f == "exit")
    emit_exit();
  else if (f == "debugf")
    emit_debugf(c);
  else if (f == "unwatch") { // codegen/watchpoint_events.h
    auto* address = widen(emit_scalar(*c.args[0]), c.args[0]->type);
    auto* record = begin_event(static_cast<EventKind>(kWatchpointDetach), 0, 8);
    store_scalar(address, byte_ptr(record, 8));
    send_event(record, 8);
  } else if (f == "str")
    emit_addr(c); // evaluated for its reads only
  else if (emit_process_call(c))
    return;
  else if (c.type.is_integer())
    emit_scalar(c); // a value not used: len(), has_key()
  else if (c.type.size() > 0) {
    // A value not used, buf(), ksym(), ntop(): evaluated for its reads, as bpftrace does.
    emit_into(c, c.type, stack_buffer(c.type.size(), "unused_" + f), false);
  } else {
    unsupported_at(c, "function " + f + "() as a statement");
  }
}

void IrEmitter::emit_printf(ast::Call& c) {
  emit_formatted_event(c, EventKind::Printf, out_.printfs);
}

void IrEmitter::emit_formatted_event(ast::Call& c, EventKind kind, std::vector<PrintfDesc>& descs) {
  auto* fmt = c.args.empty() ? nullptr : dynamic_cast<ast::String*>(c.args[0].get());
  if (!fmt) fail_at(c, "internal error: " + c.func + "() without a literal format");
  std::vector<Type> arg_types;
  for (size_t i = 1; i < c.args.size(); ++i)
    arg_types.push_back(c.args[i]->type);
  Type payload = Type::tuple(arg_types);
  auto id = static_cast<uint32_t>(descs.size());
  descs.push_back(PrintfDesc{fmt->value, payload, c.loc});

  auto* record = begin_event(kind, id, payload.size());
  auto offs = payload.offsets();
  for (size_t i = 1; i < c.args.size(); ++i)
    emit_into(*c.args[i], payload.elems[i - 1], byte_ptr(record, 8 + offs[i - 1]), false);
  send_event(record, payload.size());
}

void IrEmitter::emit_print(ast::Call& c) {
  auto* m = c.args.empty() ? nullptr : dynamic_cast<ast::Map*>(c.args[0].get());
  if (m && m->keys.empty()) {
    emit_map_action(c, EventKind::PrintMap);
    return;
  }
  if (c.args.empty()) fail_at(c, "internal error: print() without an argument");
  ast::Expr& value = *c.args[0];
  auto id = static_cast<uint32_t>(out_.print_values.size());
  out_.print_values.push_back(PrintValueDesc{value.type});
  auto* record = begin_event(EventKind::PrintValue, id, value.type.size());
  emit_into(value, value.type, byte_ptr(record, 8), false);
  send_event(record, value.type.size());
}

void IrEmitter::emit_map_action(ast::Call& c, EventKind kind) {
  ast::Map& m = map_arg(c);
  UserMap& um = user_map(m);
  MapActionDesc action;
  action.map = um.desc_index;
  if (kind == EventKind::PrintMap) {
    action.top = literal_arg(c, 1);
    action.div = literal_arg(c, 2);
  }
  auto id = static_cast<uint32_t>(out_.map_actions.size());
  out_.map_actions.push_back(action);
  send_event(begin_event(kind, id, 0), 0);
}

void IrEmitter::emit_delete(ast::Call& c) {
  ast::Map& m = map_arg(c);
  UserMap& um = user_map(m);
  if (um.keyless && um.value.is_aggregation()) {
    // delete(@) of a keyless count()/sum()/.../hist(): the runtime resets its per-CPU slots
    // (or buckets) when it reads this event. As bpftrace 0.17 prints them afterwards: avg()
    // and stats() as zero() leaves them ("@a: 0"), the others as clear() does (count() then
    // prints "@c: 0", sum/min/max/hist nothing).
    TypeKind kind = um.value.kind;
    emit_map_action(c, kind == TypeKind::Avg || kind == TypeKind::Stats ? EventKind::ZeroMap
                                                                        : EventKind::ClearMap);
    return;
  }
  llvm::Value* key = nullptr;
  if (c.args.size() >= 2 && !um.keyless) {
    key = stack_buffer(um.bpf_key_size, "key"); // delete(@m, k)
    emit_into(*c.args[1], um.key, key, true);
    zero_key_padding(um, key);
  } else {
    key = emit_map_key(m, um); // delete(@m[k]) or a keyless map
  }
  if (um.bucketed)
    emit_bucket_delete(c, um, key); // one entry per bucket of the key
  else
    helpers_.map_delete(map_ptr(um.gv), key);
}

void IrEmitter::emit_exit() {
  send_event(begin_event(EventKind::Exit, 0, 0), 0);
  emit_return(); // nothing after exit() runs in this probe
}

void IrEmitter::emit_str_into(ast::Call& c, llvm::Value* dst, uint64_t dst_bytes, bool zero_tail) {
  if (c.args.empty()) fail_at(c, "internal error: str() without an argument");
  ast::Expr& src = *c.args[0];
  if (src.type.is_string()) { // str() of something already a string
    if (zero_tail) zero_bytes(dst, dst_bytes);
    emit_into(src, Type::string(dst_bytes), dst, false);
    return;
  }
  ast::AddrSpace as = src.type.kind == TypeKind::Pointer ? src.type.as : ast::AddrSpace::None;
  if (as == ast::AddrSpace::None) as = c.type.as; // the type pass's choice for an integer
  if (as == ast::AddrSpace::None)
    // Integers are addresses in user space for syscall tracepoints, uprobes and usdt.
    as = ap_ && ((ap_->provider == "tracepoint" && ap_->target == "syscalls") ||
                 ap_->provider == "uprobe" || ap_->provider == "uretprobe" ||
                 ap_->provider == "usdt")
             ? ast::AddrSpace::User
             : ast::AddrSpace::Kernel;
  uint64_t max = std::min<uint64_t>(dst_bytes, c.type.size() ? c.type.size() : dst_bytes);
  llvm::Value* size = i32c(static_cast<uint32_t>(max));
  if (c.args.size() >= 2) {
    // str(p, n): n bytes plus the NUL, at most the buffer. The helper wants a known bound.
    auto* n = widen(emit_scalar(*c.args[1]), c.args[1]->type);
    auto* want = b_.CreateAdd(n, i64c(1));
    auto* clamped = b_.CreateSelect(b_.CreateICmpUGT(want, i64c(max)), i64c(max), want);
    size = b_.CreateTrunc(clamped, b_.getInt32Ty());
  }
  if (zero_tail) zero_bytes(dst, dst_bytes);
  auto* addr = emit_scalar(src);
  helpers_.probe_read(as == ast::AddrSpace::User ? HelperId::ProbeReadUserStr
                                                 : HelperId::ProbeReadKernelStr,
                      dst, size, addr);
}

} // namespace tracelet::codegen
