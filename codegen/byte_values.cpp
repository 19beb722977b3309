// bpftrace's value functions on addresses, bytes and strings (typed in
// ast/passes/byte_functions.cpp, printed by runtime/output/value_format.cpp):
//   ntop, pton, buf, macaddr   values in memory, laid out as ast/types.h says
//   bswap, strncmp, strcontains scalars
#include "codegen/emitter.h"
#include "codegen/located_error.h"

#include "ast/diagnostics.h"
#include "ast/inet.h"

#include <llvm/IR/Intrinsics.h>

#include <algorithm>

namespace tracelet::codegen {

using ast::Type;
using ast::TypeKind;

namespace {

constexpr uint64_t kAfInet = 2;         // AF_INET
constexpr uint64_t kAfInet6 = 10;       // AF_INET6
constexpr uint64_t kInetAddrOffset = 8; // { i64 af; u8 addr[16] }

// Which helper reads the bytes behind an address argument: a pointer's own address space;
// plain integers are user addresses for syscall tracepoints and uprobes (as str()).
HelperId read_helper_for(const Type& t, const ast::AttachPoint* ap) {
  ast::AddrSpace as = t.kind == TypeKind::Pointer ? t.as : ast::AddrSpace::None;
  if (as == ast::AddrSpace::None)
    as = ap && ((ap->provider == "tracepoint" && ap->target == "syscalls") ||
                ap->provider == "uprobe" || ap->provider == "uretprobe")
             ? ast::AddrSpace::User
             : ast::AddrSpace::Kernel;
  return as == ast::AddrSpace::User ? HelperId::ProbeReadUser : HelperId::ProbeReadKernel;
}

} // namespace

bool IrEmitter::emit_byte_value_into(ast::Call& c, const Type& dst_type, llvm::Value* dst,
                                     bool zero_tail) {
  const std::string& f = c.func;
  if (f == "pton") {
    auto* lit = dynamic_cast<ast::String*>(c.args[0].get());
    auto bytes = lit ? ast::parse_inet_literal(lit->value) : std::nullopt;
    if (!bytes) fail_at(c, "internal error: pton() of an unchecked literal");
    store_constant_bytes(std::string(bytes->begin(), bytes->end()), dst);
    return true;
  }
  if (f == "ntop") {
    ast::Expr& addr = *c.args.back();
    llvm::Value* family;
    if (c.args.size() == 2)
      family = widen(emit_scalar(*c.args[0]), c.args[0]->type);
    else
      family = i64c(addr.type.is_integer() || addr.type.size() == 4 ? kAfInet : kAfInet6);
    store_scalar(family, dst);
    auto* bytes = byte_ptr(dst, kInetAddrOffset);
    zero_bytes(bytes, 16);
    if (addr.type.is_integer()) {
      // An IPv4 address in network order, as the kernel keeps it: 4 bytes, whatever the
      // integer's width (bpftrace 0.17 too: ntop(AF_INET6, x) shows only those 4).
      store_scalar(convert_int(emit_scalar(addr), addr.type, Type::integer(4, false)), bytes);
    } else {
      emit_into(addr, addr.type, bytes, false);
    }
    return true;
  }
  if (f == "macaddr") {
    ast::Expr& src = *c.args[0];
    if (src.type.kind == TypeKind::Array || src.type.is_string())
      emit_into(src, src.type, dst, false);
    else
      helpers_.probe_read(read_helper_for(src.type, ap_), dst, i32c(6), emit_scalar(src));
    return true;
  }
  if (f != "buf") return false;
  // { u8 length; u8 data[capacity] }: `length` bytes of data are meaningful.
  ast::Expr& src = *c.args[0];
  uint64_t capacity = std::min(c.type.size(), dst_type.size()) - 1;
  if (zero_tail) zero_bytes(dst, dst_type.size());
  llvm::Value* length = i64c(capacity);
  if (c.args.size() == 2 && !dynamic_cast<ast::Integer*>(c.args[1].get())) {
    // A length known only at run time: at most the capacity (the verifier needs the bound).
    auto* n = widen(emit_scalar(*c.args[1]), c.args[1]->type);
    length = b_.CreateSelect(b_.CreateICmpUGT(n, i64c(capacity)), i64c(capacity), n);
  }
  store_scalar(b_.CreateTrunc(length, b_.getInt8Ty()), dst);
  auto* data = byte_ptr(dst, 1);
  if (src.type.kind == TypeKind::Pointer && src.type.as == ast::AddrSpace::Packet) {
    emit_packet_buf(src, length, dst); // packet.cpp: bytes of the packet, as many as it has
    return true;
  }
  if (src.type.kind == TypeKind::Array || src.type.is_string()) {
    // Bytes held by value: copy what fits; a shorter source leaves zeros after it.
    auto* from = emit_addr(src);
    uint64_t n = std::min(src.type.size(), capacity);
    copy_bytes(data, from, n);
    if (!zero_tail && capacity > n) zero_bytes(byte_ptr(data, n), capacity - n);
    return true;
  }
  helpers_.probe_read(read_helper_for(src.type, ap_), data, b_.CreateTrunc(length, b_.getInt32Ty()),
                      emit_scalar(src));
  return true;
}

llvm::Value* IrEmitter::emit_byte_scalar(ast::Call& c) {
  if (auto* v = emit_byte_order(c)) return v; // ntohs, ntohl, htons, htonl (packet.cpp)
  if (c.func == "bswap") {
    ast::Expr& v = *c.args[0];
    // The width type inference chose (a variable's first assignment), then its bytes reversed.
    auto* value = convert_int(emit_scalar(v), v.type, c.type);
    if (c.type.bytes == 1) return value;
    return b_.CreateUnaryIntrinsic(llvm::Intrinsic::bswap, value);
  }
  if (c.func == "strncmp") {
    auto* limit = dynamic_cast<ast::Integer*>(c.args[2].get());
    if (!limit) fail_at(c, "internal error: strncmp() without a non-negative literal length");
    auto* equal = emit_string_compare(*c.args[0], *c.args[1], limit->value);
    return convert_int(b_.CreateZExt(b_.CreateNot(equal), b_.getInt64Ty()), Type::u64(), c.type);
  }
  if (c.func == "strcontains") return emit_strcontains(c);
  return nullptr;
}

llvm::Value* IrEmitter::emit_strcontains(ast::Call& c) {
  // 1 if the needle (up to its NUL) occurs in the haystack (up to its NUL), else 0; an empty
  // needle is found everywhere. Two bounded loops; a literal bounds its side by its length.
  ast::Expr& hay = *c.args[0];
  ast::Expr& needle = *c.args[1];
  uint64_t hay_bytes = hay.type.size();
  uint64_t needle_bytes = needle.type.size();
  if (auto* lit = dynamic_cast<ast::String*>(&hay))
    hay_bytes = std::min<uint64_t>(hay_bytes, lit->value.size() + 1);
  if (auto* lit = dynamic_cast<ast::String*>(&needle))
    needle_bytes = std::min<uint64_t>(needle_bytes, lit->value.size() + 1);
  auto* h = byte_ptr(emit_addr(hay), 0);
  auto* nd = byte_ptr(emit_addr(needle), 0);
  auto* i8 = b_.getInt8Ty();

  auto* start = b_.GetInsertBlock();
  auto* outer = llvm::BasicBlock::Create(ctx_, "sc_outer", fn_);
  auto* inner = llvm::BasicBlock::Create(ctx_, "sc_inner", fn_);
  auto* inner_hay = llvm::BasicBlock::Create(ctx_, "sc_inner_hay", fn_);
  auto* inner_cmp = llvm::BasicBlock::Create(ctx_, "sc_inner_cmp", fn_);
  auto* inner_next = llvm::BasicBlock::Create(ctx_, "sc_inner_next", fn_);
  auto* outer_next = llvm::BasicBlock::Create(ctx_, "sc_outer_next", fn_);
  auto* outer_step = llvm::BasicBlock::Create(ctx_, "sc_outer_step", fn_);
  auto* found = llvm::BasicBlock::Create(ctx_, "sc_found", fn_);
  auto* missing = llvm::BasicBlock::Create(ctx_, "sc_missing", fn_);
  auto* done = llvm::BasicBlock::Create(ctx_, "sc_done", fn_);
  b_.CreateBr(outer);

  // for (i = 0; i < hay_bytes; ++i)
  b_.SetInsertPoint(outer);
  auto* i = b_.CreatePHI(b_.getInt64Ty(), 2, "i");
  i->addIncoming(i64c(0), start);
  b_.CreateBr(inner);
  //   for (j = 0; j < needle_bytes && needle[j]; ++j) if (i + j >= hay_bytes || ...) break
  b_.SetInsertPoint(inner);
  auto* j = b_.CreatePHI(b_.getInt64Ty(), 2, "j");
  j->addIncoming(i64c(0), outer);
  auto* j_in = b_.CreateICmpULT(j, i64c(needle_bytes));
  auto* inner_load = llvm::BasicBlock::Create(ctx_, "sc_inner_load", fn_);
  b_.CreateCondBr(j_in, inner_load, found); // needle exhausted without a NUL: all matched
  b_.SetInsertPoint(inner_load);
  auto* nc = b_.CreateLoad(i8, b_.CreateGEP(i8, nd, j));
  b_.CreateCondBr(b_.CreateICmpEQ(nc, b_.getInt8(0)), found, inner_hay);
  b_.SetInsertPoint(inner_hay);
  auto* ij = b_.CreateAdd(i, j);
  b_.CreateCondBr(b_.CreateICmpULT(ij, i64c(hay_bytes)), inner_cmp, missing);
  b_.SetInsertPoint(inner_cmp);
  auto* hc = b_.CreateLoad(i8, b_.CreateGEP(i8, h, ij));
  b_.CreateCondBr(b_.CreateICmpEQ(hc, nc), inner_next, outer_next);
  b_.SetInsertPoint(inner_next);
  j->addIncoming(b_.CreateAdd(j, i64c(1)), inner_next);
  b_.CreateBr(inner);
  // A mismatch at i: the haystack ends at its NUL, else try i + 1.
  b_.SetInsertPoint(outer_next);
  auto* hi = b_.CreateLoad(i8, b_.CreateGEP(i8, h, i));
  b_.CreateCondBr(b_.CreateICmpEQ(hi, b_.getInt8(0)), missing, outer_step);
  b_.SetInsertPoint(outer_step);
  auto* next_i = b_.CreateAdd(i, i64c(1));
  i->addIncoming(next_i, outer_step);
  b_.CreateCondBr(b_.CreateICmpULT(next_i, i64c(hay_bytes)), outer, missing);

  b_.SetInsertPoint(found);
  b_.CreateBr(done);
  b_.SetInsertPoint(missing);
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  auto* phi = b_.CreatePHI(b_.getInt64Ty(), 2);
  phi->addIncoming(i64c(1), found);
  phi->addIncoming(i64c(0), missing);
  return convert_int(phi, Type::u64(), c.type);
}

} // namespace tracelet::codegen
