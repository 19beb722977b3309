// Field access: tracepoint records and the records of `ctx` straight from the context (direct
// ctx loads are allowed there), other records through probe_read_{kernel,user}.
#include "codegen/emitter.h"

#include "ast/diagnostics.h"

#include <algorithm>

namespace tracelet::codegen {

using ast::Type;
using ast::TypeKind;

namespace {

const Type& record_of(ast::FieldAccess& f) {
  const Type& base = f.base->type;
  const Type* record = base.kind == TypeKind::Pointer ? base.pointee.get() : &base;
  if (!record || record->kind != TypeKind::Record || !record->record)
    throw Error("internal error: field access on " + base.str());
  return *record;
}

// `own_record`: the tracepoint record of the attach point being emitted, for args fields. A
// probe on several tracepoints types args by the first one's record, but a field may sit at
// another offset in each (sys_enter_open's filename at 16, sys_enter_openat's at 24).
const ast::Field& find_field(ast::FieldAccess& f, const ast::RecordDef* own_record) {
  const ast::RecordDef* record = own_record ? own_record : record_of(f).record.get();
  const ast::Field* field = record->find(f.field);
  if (!field) throw Error("internal error: no field " + f.field + " in " + record->name);
  return *field;
}

// The largest power of two (up to 8) dividing `offset`: the alignment of a ctx load there.
uint64_t alignment_of(uint64_t offset) {
  uint64_t a = 8;
  while (a > 1 && offset % a)
    a /= 2;
  return a;
}

HelperId read_helper(ast::AddrSpace as, bool str) {
  if (as == ast::AddrSpace::User) return str ? HelperId::ProbeReadUserStr : HelperId::ProbeReadUser;
  return str ? HelperId::ProbeReadKernelStr : HelperId::ProbeReadKernel;
}

} // namespace

const ast::RecordDef* IrEmitter::tracepoint_record(ast::FieldAccess& f) const {
  if (!is_tracepoint_args(*f.base) || !ap_ || !ap_->args_record) return nullptr;
  return ap_->args_record.get();
}

llvm::Value* IrEmitter::emit_field_scalar(ast::FieldAccess& f) {
  if (is_packet_field(f)) return emit_packet_field_scalar(f); // packet.cpp
  const ast::Field& field = find_field(f, tracepoint_record(f));
  if (dispatch_ && is_tracepoint_args(*f.base)) return emit_dispatched_field(field, f);
  llvm::Type* ty = scalar_type(f.type);
  uint64_t bytes = ty->getIntegerBitWidth() / 8;
  llvm::Value* raw = nullptr;
  if (is_tracepoint_args(*f.base) && is_uprobe_args()) {
    raw = emit_uprobe_parameter(field); // uprobe_args.cpp: a register or the stack
  } else if (is_tracepoint_args(*f.base) && is_function_entry_exit()) {
    // fentry/fexit arguments: whole u64 slots (the verifier checks ctx reads against BTF),
    // then the parameter's own width.
    raw = load_scalar(b_.getInt64Ty(), byte_ptr(ctx_arg_, field.offset), 8);
    if (field.type->size() < 8) raw = b_.CreateTrunc(raw, b_.getIntNTy(field.type->size() * 8));
  } else if (is_tracepoint_args(*f.base)) {
    raw = load_scalar(b_.getIntNTy(field.type->size() * 8), byte_ptr(ctx_arg_, field.offset),
                      alignment_of(field.offset));
  } else if (in_context(f)) {
    // A field of `ctx` (or of a record inside it): a direct load (context_reads.cpp).
    uint64_t offset = context_offset(f);
    raw = load_scalar(b_.getIntNTy(field.type->size() * 8), byte_ptr(ctx_arg_, offset),
                      alignment_of(offset));
  } else if (is_stack_record(*f.base)) {
    // A record already copied onto the stack (a variable holding a struct).
    uint64_t read_bytes = field.type->size() ? field.type->size() : bytes;
    raw = load_scalar(b_.getIntNTy(read_bytes * 8), byte_ptr(emit_addr(*f.base), field.offset));
  } else {
    // A record in kernel or user memory: read the field's bytes onto the stack.
    auto* addr = field_address(f);
    uint64_t read_bytes = field.type->size() ? field.type->size() : bytes;
    auto* buf = stack_buffer(8, "field");
    if (read_bytes < 8) store_scalar(i64c(0), buf);
    helpers_.probe_read(read_helper(f.base->type.as, false), buf, i32c(read_bytes), addr);
    raw = load_scalar(b_.getIntNTy(read_bytes * 8), buf, 8);
  }
  if (field.bitfield_bits) {
    raw = b_.CreateLShr(raw, field.bitfield_shift);
    raw = b_.CreateAnd(raw, (uint64_t(1) << field.bitfield_bits) - 1);
    if (field.type->is_signed) { // a signed bitfield (DWARF says so): extend its top bit
      uint64_t unused = raw->getType()->getIntegerBitWidth() - field.bitfield_bits;
      raw = b_.CreateAShr(b_.CreateShl(raw, unused), unused);
    }
  }
  const Type& as_read = field.type->is_integer() ? *field.type : f.type;
  return convert_int(raw, as_read, f.type);
}

llvm::Value* IrEmitter::field_address(ast::FieldAccess& f) {
  const ast::Field& field = find_field(f, tracepoint_record(f));
  llvm::Value* start =
      f.base->type.kind == TypeKind::Pointer ? emit_scalar(*f.base) : memory_address(*f.base);
  return b_.CreateAdd(start, i64c(field.offset));
}

// Loads, not a memcpy: LLVM may compute `ctx + offset` of a memcpy once and reuse it in a
// later block (a predicate's `args->comm == "x"`, then printf("%s", args->comm) in the
// body), which the verifier refuses ("dereference of modified ctx ptr"). A load's constant
// offset stays in the instruction. Each load is aligned to its own size, as ctx reads must be.
void IrEmitter::copy_from_ctx(llvm::Value* dst, uint64_t offset, uint64_t n, uint64_t max_load) {
  for (uint64_t done = 0; done < n;) {
    uint64_t chunk = std::min(alignment_of(offset + done), max_load);
    while (chunk > n - done)
      chunk /= 2;
    auto* v = load_scalar(b_.getIntNTy(static_cast<unsigned>(chunk * 8)),
                          byte_ptr(ctx_arg_, offset + done), chunk);
    store_scalar(v, byte_ptr(dst, done));
    done += chunk;
  }
}

void IrEmitter::copy_string_from_ctx(llvm::Value* dst, uint64_t dst_bytes, uint64_t offset,
                                     uint64_t size, bool zero_tail) {
  uint64_t n = std::min(size, dst_bytes);
  copy_from_ctx(dst, offset, n);
  if (dst_bytes > n) {
    if (zero_tail)
      zero_bytes(byte_ptr(dst, n), dst_bytes - n);
    else
      store_scalar(b_.getInt8(0), byte_ptr(dst, n));
  } else {
    store_scalar(b_.getInt8(0), byte_ptr(dst, dst_bytes - 1));
  }
}

void IrEmitter::emit_field_into(ast::FieldAccess& f, const Type& dst_type, llvm::Value* dst,
                                bool zero_tail) {
  if (is_packet_field(f)) return emit_packet_field_into(f, dst_type, dst); // packet.cpp
  if (in_context(f)) return emit_context_value_into(f, dst_type, dst, zero_tail);
  const ast::Field& field = find_field(f, tracepoint_record(f));
  if (dst_type.kind != TypeKind::String) {
    // Tuples/records by value: copy the bytes.
    uint64_t n = std::min(field.type->size(), dst_type.size());
    if (is_tracepoint_args(*f.base) && is_uprobe_args())
      emit_uprobe_parameter_into(field, dst, n); // uprobe_args.cpp
    else if (is_tracepoint_args(*f.base))
      copy_from_ctx(dst, field.offset, n);
    else if (is_stack_record(*f.base))
      copy_bytes(dst, byte_ptr(emit_addr(*f.base), field.offset), n);
    else // a record (or array) inside a record in memory: one read of its bytes
      helpers_.probe_read(read_helper(f.base->type.as, false), dst, i32c(n), field_address(f));
    return;
  }
  uint64_t dst_bytes = dst_type.size();
  if (is_tracepoint_args(*f.base)) {
    if (field.is_data_loc) {
      // __data_loc: u32 (len << 16 | offset from the record start).
      auto* loc = load_scalar(b_.getInt32Ty(), byte_ptr(ctx_arg_, field.offset),
                              alignment_of(field.offset));
      auto* off = b_.CreateZExt(b_.CreateAnd(loc, 0xffff), b_.getInt64Ty());
      auto* src = b_.CreateGEP(b_.getInt8Ty(), byte_ptr(ctx_arg_, 0), off);
      if (zero_tail) zero_bytes(dst, dst_bytes);
      helpers_.probe_read(HelperId::ProbeReadKernelStr, dst,
                          i32c(std::min<uint64_t>(dst_bytes, f.type.size())), src);
      return;
    }
    // char[N] inline in the record.
    copy_string_from_ctx(dst, dst_bytes, field.offset, field.type->size(), zero_tail);
    return;
  }
  if (is_stack_record(*f.base)) {
    convert_memory(*field.type, byte_ptr(emit_addr(*f.base), field.offset), dst_type, dst,
                   zero_tail);
    return;
  }
  // char[N] inside a record in memory. As bpftrace, all N bytes are read: a name that fills
  // the array has no NUL, and the printers stop at N. Into a shorter string: up to its NUL.
  auto* addr = field_address(f);
  if (zero_tail) zero_bytes(dst, dst_bytes);
  bool whole = dst_bytes >= field.type->size();
  helpers_.probe_read(read_helper(f.base->type.as, !whole), dst,
                      i32c(std::min(field.type->size(), dst_bytes)), addr);
}

} // namespace tracelet::codegen
