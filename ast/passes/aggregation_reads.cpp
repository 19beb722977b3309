// Reads of an aggregation map's value, as bpftrace 0.17 allows them: `@r = @q`, `$v = @q`
// (then `@r = $v`) and tuple elements `(@q, 1)`. The value read is this CPU's copy of the
// per-CPU slot (what bpf_map_lookup_elem returns in a probe), as in bpftrace. A copy keeps the
// aggregation's type, so `@r = @q; @r = count()` goes on counting; arithmetic, comparisons,
// conditions, casts, printf and map keys refuse an aggregation, as bpftrace does.
#include "ast/passes/type_inference.h"

namespace tracelet::ast::passes {

bool is_copyable_aggregation(const Type& t) {
  switch (t.kind) {
  case TypeKind::Count:
  case TypeKind::Sum:
  case TypeKind::Min:
  case TypeKind::Max:
  case TypeKind::Avg:
  case TypeKind::Stats:
    return true;
  default: // hist and lhist values are spread over one map entry per bucket
    return false;
  }
}

std::optional<Type> aggregation_element_type(const Type& t) {
  if (!is_copyable_aggregation(t)) return std::nullopt;
  // The first u64 of the per-CPU storage (types.h): the count, the sum, or the min/max value;
  // for avg and stats the count, which is what bpftrace 0.17 shows there too.
  if (t.kind == TypeKind::Count || t.kind == TypeKind::Avg || t.kind == TypeKind::Stats)
    return Type::u64();
  return Type::i64();
}

std::string aggregation_copy_error(const Type& t) {
  return "cannot copy a value of type " + t.str() +
         ": its buckets are not one value (only count, sum, min, max, avg and stats values can "
         "be copied)";
}

} // namespace tracelet::ast::passes
