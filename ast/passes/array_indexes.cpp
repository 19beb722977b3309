// Indexing arrays (`a[i]`), as bpftrace 0.17 checks it: a literal index must lie within the
// array ("the index 5 is out of bounds for array of size 4"), wherever the array is. An array
// held by value (in a variable, a map, a tuple, an element of one of those) lives on the BPF
// stack, where the verifier allows constant offsets only: it takes literal indexes, as in
// bpftrace. An array read from memory (`p->arr[i]`) takes any index (read with probe_read;
// bpftrace refuses non-literal ones there too). Arrays in ctx: context_builtin.cpp.
#include "ast/passes/type_inference.h"

namespace tracelet::ast::passes {

namespace {

// The value of a literal index: `2`, `0x1`, `-1`.
std::optional<int64_t> literal_index(const Expr& e) {
  if (auto* i = dynamic_cast<const Integer*>(&e)) return static_cast<int64_t>(i->value);
  auto* u = dynamic_cast<const Unary*>(&e);
  if (u && u->op == UnaryOp::Neg)
    if (auto* i = dynamic_cast<const Integer*>(u->operand.get()))
      return -static_cast<int64_t>(i->value);
  return std::nullopt;
}

// Whether the value of `e` (an array) is held on the stack rather than read from memory: it
// is a variable or map value, or a member or element of one (not behind a pointer).
bool held_by_value(const Expr& e) {
  if (dynamic_cast<const Variable*>(&e) || dynamic_cast<const Map*>(&e) ||
      dynamic_cast<const Tuple*>(&e) || dynamic_cast<const TupleIndex*>(&e) ||
      dynamic_cast<const Ternary*>(&e))
    return true;
  if (auto* f = dynamic_cast<const FieldAccess*>(&e))
    return f->base->type.kind != TypeKind::Pointer && held_by_value(*f->base);
  if (auto* ix = dynamic_cast<const Index*>(&e))
    return ix->base->type.kind != TypeKind::Pointer && held_by_value(*ix->base);
  return false;
}

} // namespace

bool TypeInference::check_array_index(Index& n) {
  const Type& array = n.base->type;
  if (auto index = literal_index(*n.index)) {
    if (*index < 0 || static_cast<uint64_t>(*index) >= array.count) {
      diags_.error(n.loc, "the index " + std::to_string(*index) +
                              " is out of bounds for array of size " + std::to_string(array.count));
      return false;
    }
    return true;
  }
  if (held_by_value(*n.base)) {
    diags_.error(n.loc, "an array held in a variable or map takes literal integer indexes only");
    return false;
  }
  return true;
}

} // namespace tracelet::ast::passes
