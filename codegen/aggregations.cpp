// count/sum/avg/min/max/stats/hist/lhist. Storage per ast/types.h (AggregationStorage).
// Values are per-CPU, so updates in place need no atomics. A keyless aggregation is one slot
// of a per-CPU array: lookup + add in place, never an update call.
#include "codegen/emitter.h"

#include "ast/diagnostics.h"

namespace tracelet::codegen {

using ast::Type;
using ast::TypeKind;

namespace {

bool kind_has_sign(TypeKind kind) {
  return kind == TypeKind::Sum || kind == TypeKind::Min || kind == TypeKind::Max ||
         kind == TypeKind::Avg || kind == TypeKind::Stats;
}

} // namespace

template <class InPlace, class Initial>
void IrEmitter::lookup_or_init(UserMap& um, llvm::Value* key, InPlace in_place, Initial initial) {
  auto* slot = helpers_.map_lookup(map_ptr(um.gv), key);
  auto* found = llvm::BasicBlock::Create(ctx_, "agg_found", fn_);
  auto* missing = llvm::BasicBlock::Create(ctx_, "agg_missing", fn_);
  auto* done = llvm::BasicBlock::Create(ctx_, "agg_done", fn_);
  b_.CreateCondBr(b_.CreateIsNull(slot), missing, found);
  b_.SetInsertPoint(found);
  in_place(slot);
  b_.CreateBr(done);
  b_.SetInsertPoint(missing);
  bool is_array = out_.maps[um.desc_index].bpf_type == kMapPercpuArray;
  if (!is_array) { // an array slot always exists; the check only satisfies the verifier
    auto* init = stack_buffer(um.value.size(), "agg_init");
    initial(init);
    emit_map_update(um.gv, key, init);
  }
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

llvm::Value* IrEmitter::hist_bucket(llvm::Value* v) {
  // 0 if v < 0, 1 if v == 0, else 2 + floor(log2 v). log2 by binary search over the bit
  // width (the BPF backend cannot lower llvm.ctlz).
  llvm::Value* rest = v;
  llvm::Value* log2 = i64c(0);
  for (uint64_t shift : {32, 16, 8, 4, 2, 1}) {
    auto* high = b_.CreateLShr(rest, shift);
    auto* has_high = b_.CreateICmpNE(high, i64c(0));
    log2 = b_.CreateAdd(log2, b_.CreateSelect(has_high, i64c(shift), i64c(0)));
    rest = b_.CreateSelect(has_high, high, rest);
  }
  auto* positive = b_.CreateAdd(log2, i64c(2));
  auto* non_negative = b_.CreateSelect(b_.CreateICmpEQ(v, i64c(0)), i64c(1), positive);
  return b_.CreateSelect(b_.CreateICmpSLT(v, i64c(0)), i64c(0), non_negative, "hist_bucket");
}

llvm::Value* IrEmitter::lhist_bucket(llvm::Value* v, const Type& t) {
  uint64_t n = static_cast<uint64_t>((t.lhist_max - t.lhist_min) / t.lhist_step);
  auto* min = i64c(static_cast<uint64_t>(t.lhist_min));
  auto* inside = b_.CreateAdd(
      b_.CreateUDiv(b_.CreateSub(v, min), i64c(static_cast<uint64_t>(t.lhist_step))), i64c(1));
  auto* upper = b_.CreateSelect(b_.CreateICmpSGE(v, i64c(static_cast<uint64_t>(t.lhist_max))),
                                i64c(n + 1), inside);
  return b_.CreateSelect(b_.CreateICmpSLT(v, min), i64c(0), upper, "lhist_bucket");
}

void IrEmitter::copy_aggregation_sign(const ast::Map& m, const ast::Expr& value, UserMap& um) {
  const auto* source = dynamic_cast<const ast::Map*>(&value);
  const UserMap* from = source ? maps_.find_user(source->name) : nullptr;
  if (!from || !kind_has_sign(um.value.kind) || source->name == m.name) return;
  um.value.is_signed = from->value.is_signed;
  out_.maps[um.desc_index].value.is_signed = from->value.is_signed;
}

void IrEmitter::emit_aggregation(ast::Map& m, ast::Call& c) {
  if (m.type.is_none()) m.type = c.type;
  bool first_use = maps_.find_user(m.name) == nullptr;
  UserMap& um = user_map(m);
  if (first_use && !c.args.empty() && c.args[0]->type.is_integer() &&
      kind_has_sign(um.value.kind)) {
    // Tell the runtime whether the values summed/compared are signed (e.g. sum of uint64).
    um.value.is_signed = c.args[0]->type.is_signed;
    out_.maps[um.desc_index].value.is_signed = c.args[0]->type.is_signed;
  }
  const TypeKind kind = um.value.kind;
  // The key first, then the value, as bpftrace 0.17: `@[$i--] = sum($i)` sums the new $i.
  auto* key = emit_map_key(m, um);
  llvm::Value* v = nullptr;
  if (kind != TypeKind::Count) {
    if (c.args.empty()) throw Error("internal error: " + c.func + "() without an argument");
    v = widen(emit_scalar(*c.args[0]), c.args[0]->type);
  }
  auto field = [&](llvm::Value* base, uint64_t index) { return byte_ptr(base, index * 8); };
  auto load = [&](llvm::Value* p) { return load_scalar(b_.getInt64Ty(), p, 8); };
  auto add_to = [&](llvm::Value* p, llvm::Value* delta) {
    store_scalar(b_.CreateAdd(load(p), delta), p);
  };

  switch (kind) {
  case TypeKind::Count:
    lookup_or_init(
        um, key, [&](llvm::Value* p) { add_to(p, i64c(1)); },
        [&](llvm::Value* p) { store_scalar(i64c(1), p); });
    return;
  case TypeKind::Sum:
    lookup_or_init(
        um, key, [&](llvm::Value* p) { add_to(p, v); },
        [&](llvm::Value* p) { store_scalar(v, p); });
    return;
  case TypeKind::Min:
  case TypeKind::Max:
    lookup_or_init(
        um, key,
        [&](llvm::Value* p) {
          // { i64 value; u64 is_set; }: replace if unset or beaten.
          auto* cur = load(field(p, 0));
          auto* is_set = b_.CreateICmpNE(load(field(p, 1)), i64c(0));
          auto* better =
              kind == TypeKind::Min ? b_.CreateICmpSLT(v, cur) : b_.CreateICmpSGT(v, cur);
          auto* keep = b_.CreateAnd(is_set, b_.CreateNot(better));
          store_scalar(b_.CreateSelect(keep, cur, v), field(p, 0));
          store_scalar(i64c(1), field(p, 1));
        },
        [&](llvm::Value* p) {
          store_scalar(v, field(p, 0));
          store_scalar(i64c(1), field(p, 1));
        });
    return;
  case TypeKind::Avg:
  case TypeKind::Stats:
    lookup_or_init(
        um, key,
        [&](llvm::Value* p) { // { u64 count; i64 total; }
          add_to(field(p, 0), i64c(1));
          add_to(field(p, 1), v);
        },
        [&](llvm::Value* p) {
          store_scalar(i64c(1), field(p, 0));
          store_scalar(v, field(p, 1));
        });
    return;
  case TypeKind::Hist:
  case TypeKind::Lhist: {
    auto* bucket = kind == TypeKind::Hist ? hist_bucket(v) : lhist_bucket(v, um.value);
    store_scalar(bucket, byte_ptr(key, um.user_key_bytes));
    lookup_or_init(
        um, key, [&](llvm::Value* p) { add_to(p, i64c(1)); },
        [&](llvm::Value* p) { store_scalar(i64c(1), p); });
    if (out_.hist_sums) {
      store_scalar(i64c(kHistSumBucket), byte_ptr(key, um.user_key_bytes));
      lookup_or_init(
          um, key, [&](llvm::Value* p) { add_to(p, v); },
          [&](llvm::Value* p) { store_scalar(v, p); });
    }
    return;
  }
  default:
    throw Error("internal error: " + c.func + "() is not an aggregation");
  }
}

} // namespace tracelet::codegen
