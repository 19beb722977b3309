// Reads and writes of user maps that hold plain values (not aggregations).
#include "codegen/emitter.h"

#include "ast/diagnostics.h"
#include "codegen/key_names.h"

namespace tracelet::codegen {

using ast::Type;
using ast::TypeKind;

UserMap& IrEmitter::user_map(const ast::Map& m) {
  UserMap* um = maps_.find_user(m.name);
  if (!um) {
    Type value = m.type;
    if (value.is_integer()) value = Type::integer(8, value.is_signed);
    if (value.is_none()) throw Error("internal error: map " + m.name + " has no value type");
    um = &maps_.user_map(m.name, m.key_type, value, out_.maps);
  }
  auto& key_names = out_.maps[um->desc_index].key_names;
  if (key_names.empty() && !m.keys.empty()) key_names = key_expression_names(m);
  return *um;
}

llvm::Value* IrEmitter::map_ptr(llvm::GlobalVariable* gv) {
  return b_.CreatePointerCast(gv, b_.getInt8PtrTy());
}

llvm::Value* IrEmitter::emit_map_key(ast::Map& m, const UserMap& um) {
  auto* key = stack_buffer(um.bpf_key_size, "key");
  if (um.keyless) {
    // Keyless: a zero u32 for 1-entry arrays, a zero u64 for hashes; for hist/lhist the
    // bucket (written by the caller) is the whole key.
    if (!um.bucketed) store_scalar(um.bpf_key_size == 4 ? i32c(0) : i64c(0), key);
    return key;
  }
  if (m.keys.size() == 1) {
    emit_into(*m.keys[0], um.key, key, true);
  } else {
    if (um.key.kind != TypeKind::Tuple || um.key.elems.size() != m.keys.size())
      throw Error("internal error: map " + m.name + " key type " + um.key.str());
    zero_bytes(key, um.key.size(), 8); // padding is part of the key
    auto offs = um.key.offsets();
    for (size_t i = 0; i < m.keys.size(); ++i)
      emit_into(*m.keys[i], um.key.elems[i], byte_ptr(key, offs[i]), false);
  }
  zero_key_padding(um, key);
  return key;
}

void IrEmitter::zero_key_padding(const UserMap& um, llvm::Value* key) {
  if (um.bucketed && um.user_key_bytes > um.key.size())
    zero_bytes(byte_ptr(key, um.key.size()), um.user_key_bytes - um.key.size());
}

void IrEmitter::emit_map_update(llvm::GlobalVariable* gv, llvm::Value* key, llvm::Value* value) {
  helpers_.map_update(map_ptr(gv), key, value, kBpfAny);
}

// Looks up `m[keys]` for reading; the pointer is null when the entry is missing.
std::pair<UserMap&, llvm::Value*> IrEmitter::emit_map_value_lookup(ast::Map& m, llvm::Value* key) {
  auto& um = user_map(m);
  if (um.bucketed) // hist/lhist: refused by type inference (aggregation_reads.cpp)
    throw Error("internal error: reading the value of hist map " + m.name);
  if (!key) key = emit_map_key(m, um);
  auto* value = helpers_.map_lookup(map_ptr(um.gv), key);
  check_map_lookup(value);
  return {um, value};
}

llvm::Value* IrEmitter::emit_map_scalar(ast::Map& m, llvm::Value* key) {
  auto [um, value] = emit_map_value_lookup(m, key);
  auto* before = b_.GetInsertBlock();
  auto* found = llvm::BasicBlock::Create(ctx_, "map_found", fn_);
  auto* done = llvm::BasicBlock::Create(ctx_, "map_read", fn_);
  b_.CreateCondBr(b_.CreateIsNull(value), done, found);
  b_.SetInsertPoint(found);
  // An aggregation read as a tuple element: the first u64 of its per-CPU storage.
  auto* loaded = load_scalar(scalar_type(um.value), value, 8);
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  auto* phi = b_.CreatePHI(scalar_type(um.value), 2);
  phi->addIncoming(llvm::ConstantInt::get(scalar_type(um.value), 0), before);
  phi->addIncoming(loaded, found);
  return convert_int(phi, um.value, m.type);
}

void IrEmitter::emit_map_into(ast::Map& m, const Type& dst_type, llvm::Value* dst, bool zero_tail) {
  auto [um, value] = emit_map_value_lookup(m);
  auto* found = llvm::BasicBlock::Create(ctx_, "map_found", fn_);
  auto* missing = llvm::BasicBlock::Create(ctx_, "map_missing", fn_);
  auto* done = llvm::BasicBlock::Create(ctx_, "map_read", fn_);
  b_.CreateCondBr(b_.CreateIsNull(value), missing, found);
  b_.SetInsertPoint(found);
  convert_memory(um.value, value, dst_type, dst, zero_tail);
  b_.CreateBr(done);
  b_.SetInsertPoint(missing);
  zero_bytes(dst, dst_type.size()); // a missing entry reads as zero / empty
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

llvm::Value* IrEmitter::emit_map_query(ast::Call& c) {
  auto* m = dynamic_cast<ast::Map*>(c.args.at(0).get());
  if (!m) throw Error("internal error: " + c.func + "() without a map");
  UserMap& um = user_map(*m);
  llvm::Value* result = nullptr;
  if (c.func == "has_key") {
    auto* key = stack_buffer(um.bpf_key_size, "key");
    emit_into(*c.args[1], um.key, key, true);
    auto* found = helpers_.map_lookup(map_ptr(um.gv), key);
    result = b_.CreateZExt(b_.CreateIsNotNull(found), b_.getInt64Ty());
  } else {
    // len(@m): bpf_for_each_map_elem with a callback that only goes on returns the number
    // of elements it visited.
    if (!count_callback_) {
      auto* i8p = b_.getInt8PtrTy();
      auto* type = llvm::FunctionType::get(b_.getInt64Ty(), {i8p, i8p, i8p, i8p}, false);
      count_callback_ =
          llvm::Function::Create(type, llvm::Function::InternalLinkage, "tl_count_elem", module_);
      count_callback_->addFnAttr(llvm::Attribute::NoUnwind);
      count_callback_->addFnAttr(llvm::Attribute::NoInline);
      debug_info_.describe_function(*count_callback_, {"map", "key", "value", "ctx"});
      llvm::IRBuilder<> cb(llvm::BasicBlock::Create(ctx_, "entry", count_callback_));
      cb.CreateRet(cb.getInt64(0));
    }
    uses_callback_ = true; // the program needs BTF (debug_info.h)
    result = helpers_.for_each_map_elem(map_ptr(um.gv), count_callback_,
                                        llvm::ConstantPointerNull::get(b_.getInt8PtrTy()));
  }
  return convert_int(result, Type::i64(), c.type);
}

} // namespace tracelet::codegen
