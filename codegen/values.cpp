// Scalar conversions and byte-level memory operations shared by every emitter file.
#include "codegen/emitter.h"

#include "ast/diagnostics.h"

#include <llvm/IR/Operator.h>

#include <algorithm>

namespace tracelet::codegen {

using ast::Type;
using ast::TypeKind;

llvm::Value* IrEmitter::i64c(uint64_t v) {
  return b_.getInt64(v);
}
llvm::Value* IrEmitter::i32c(uint32_t v) {
  return b_.getInt32(v);
}

llvm::Type* IrEmitter::scalar_type(const Type& t) {
  if (t.kind == TypeKind::Integer) return b_.getIntNTy(static_cast<unsigned>(t.bytes * 8));
  return b_.getInt64Ty(); // pointers, probe indexes, 8-byte aggregation values
}

llvm::Value* IrEmitter::convert_int(llvm::Value* v, const Type& from, const Type& to) {
  auto* target = scalar_type(to);
  unsigned have = v->getType()->getIntegerBitWidth();
  unsigned want = target->getIntegerBitWidth();
  if (have == want) return v;
  if (have > want) return b_.CreateTrunc(v, target);
  return from.is_integer() && from.is_signed ? b_.CreateSExt(v, target) : b_.CreateZExt(v, target);
}

llvm::Value* IrEmitter::widen(llvm::Value* v, const Type& from) {
  return convert_int(v, from, Type::integer(8, from.is_integer() && from.is_signed));
}

llvm::AllocaInst* IrEmitter::stack_buffer(uint64_t bytes, const std::string& name, bool temporary) {
  // Allocas live in the entry block so that LLVM gives them fixed stack slots.
  llvm::IRBuilder<> entry(entry_, entry_->begin());
  bytes = std::max<uint64_t>(bytes, 1);
  auto* buf = entry.CreateAlloca(llvm::ArrayType::get(b_.getInt8Ty(), bytes), nullptr, name);
  buf->setAlignment(llvm::Align(8));
  if (temporary) {
    // Live from here to the end of the statement: LLVM then lets temporaries of different
    // statements share stack slots (the BPF stack is only 512 bytes).
    b_.CreateLifetimeStart(buf, b_.getInt64(bytes));
    temporaries_.emplace_back(buf, bytes);
  }
  return buf;
}

void IrEmitter::end_temporaries(size_t mark) {
  for (size_t i = mark; i < temporaries_.size(); ++i)
    b_.CreateLifetimeEnd(temporaries_[i].first, b_.getInt64(temporaries_[i].second));
  temporaries_.resize(mark);
}

llvm::Value* IrEmitter::byte_ptr(llvm::Value* base, uint64_t offset) {
  auto* p = b_.CreatePointerCast(base, b_.getInt8PtrTy());
  return offset ? b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), p, offset) : p;
}

uint64_t IrEmitter::known_align(llvm::Value* p) {
  // Every pointer here is a stack buffer, a map value, the context or a constant offset from
  // one of them. LLVM 14 does not infer this itself, and the BPF backend splits any access it
  // cannot prove aligned into single bytes.
  uint64_t offset = 0;
  const auto& layout = module_.getDataLayout();
  for (;;) {
    if (auto* gep = llvm::dyn_cast<llvm::GEPOperator>(p)) {
      llvm::APInt off(64, 0);
      if (!gep->accumulateConstantOffset(layout, off)) return 1;
      offset += off.getZExtValue();
      p = gep->getPointerOperand();
    } else if (auto* cast = llvm::dyn_cast<llvm::BitCastOperator>(p)) {
      p = cast->getOperand(0);
    } else {
      break;
    }
  }
  uint64_t base = 1;
  if (auto* alloca = llvm::dyn_cast<llvm::AllocaInst>(p))
    base = alloca->getAlign().value();
  else if (auto* call = llvm::dyn_cast<llvm::CallBase>(p))
    base = call->getRetAlign() ? call->getRetAlign()->value() : 1;
  else if (llvm::isa<llvm::Argument>(p))
    base = 8; // the program context; a loop callback's key, value and context
  else if (auto* load = llvm::dyn_cast<llvm::LoadInst>(p);
           load && load->getMetadata(llvm::LLVMContext::MD_align))
    base = 8; // a pointer loaded from a loop context (see loops.cpp)
  uint64_t align = std::min<uint64_t>(base, 8);
  while (align > 1 && offset % align)
    align /= 2;
  return align;
}

void IrEmitter::store_scalar(llvm::Value* v, llvm::Value* dst) {
  uint64_t align = known_align(dst);
  auto* typed = b_.CreatePointerCast(dst, llvm::PointerType::get(v->getType(), 0));
  b_.CreateAlignedStore(v, typed, llvm::Align(align));
}

llvm::Value* IrEmitter::load_scalar(llvm::Type* ty, llvm::Value* src, uint64_t align) {
  align = std::max(align, known_align(src));
  auto* typed = b_.CreatePointerCast(src, llvm::PointerType::get(ty, 0));
  return b_.CreateAlignedLoad(ty, typed, llvm::Align(align));
}

void IrEmitter::zero_bytes(llvm::Value* dst, uint64_t bytes, uint64_t align) {
  if (bytes)
    b_.CreateMemSet(byte_ptr(dst, 0), b_.getInt8(0), bytes,
                    llvm::MaybeAlign(std::max(align, known_align(dst))));
}

void IrEmitter::copy_bytes(llvm::Value* dst, llvm::Value* src, uint64_t bytes, uint64_t align) {
  if (bytes)
    b_.CreateMemCpy(byte_ptr(dst, 0), llvm::MaybeAlign(std::max(align, known_align(dst))),
                    byte_ptr(src, 0), llvm::MaybeAlign(std::max(align, known_align(src))), bytes);
}

void IrEmitter::store_string_literal(const std::string& s, llvm::Value* dst, uint64_t dst_bytes) {
  std::string bytes = s.substr(0, dst_bytes ? dst_bytes - 1 : 0);
  bytes.resize(dst_bytes, '\0');
  store_constant_bytes(bytes, dst);
}

void IrEmitter::store_constant_bytes(const std::string& bytes, llvm::Value* dst) {
  // Immediate stores, 8 bytes at a time: no constant data section, no copy.
  uint64_t dst_bytes = bytes.size();
  uint64_t base_align = known_align(dst);
  uint64_t off = 0;
  while (off < dst_bytes) {
    // The widest store that fits what is left and is aligned at dst + off.
    uint64_t chunk = 8;
    while (chunk > dst_bytes - off || chunk > base_align || (off % chunk) != 0)
      chunk /= 2;
    uint64_t value = 0;
    for (uint64_t i = 0; i < chunk; ++i)
      value |= uint64_t(static_cast<uint8_t>(bytes[off + i])) << (8 * i); // little endian
    store_scalar(b_.getIntN(static_cast<unsigned>(chunk * 8), value), byte_ptr(dst, off));
    off += chunk;
  }
}

void IrEmitter::convert_memory(const Type& from, llvm::Value* src, const Type& to, llvm::Value* dst,
                               bool zero_tail) {
  if (from == to && from.kind != TypeKind::Tuple) {
    copy_bytes(dst, src, to.size());
    return;
  }
  switch (to.kind) {
  case TypeKind::Integer:
  case TypeKind::Probe:
  case TypeKind::Pointer: {
    auto* v = load_scalar(scalar_type(from), src);
    store_scalar(convert_int(v, from, to), dst);
    return;
  }
  case TypeKind::String: {
    uint64_t n = std::min(from.size(), to.size());
    copy_bytes(dst, src, n);
    if (to.size() > n) {
      if (zero_tail) zero_bytes(byte_ptr(dst, n), to.size() - n);
    } else if (n) {
      store_scalar(b_.getInt8(0), byte_ptr(dst, n - 1)); // keep it NUL-terminated
    }
    return;
  }
  case TypeKind::Tuple: {
    if (from.kind != TypeKind::Tuple || from.elems.size() != to.elems.size())
      throw Error("internal error: cannot convert " + from.str() + " to " + to.str());
    if (from == to && !zero_tail) {
      copy_bytes(dst, src, to.size());
      return;
    }
    if (zero_tail) zero_bytes(dst, to.size()); // padding bytes are part of a key
    auto from_offs = from.offsets();
    auto to_offs = to.offsets();
    for (size_t i = 0; i < to.elems.size(); ++i)
      convert_memory(from.elems[i], byte_ptr(src, from_offs[i]), to.elems[i],
                     byte_ptr(dst, to_offs[i]), false);
    return;
  }
  default:
    copy_bytes(dst, src, std::min(from.size(), to.size()));
  }
}

} // namespace tracelet::codegen
