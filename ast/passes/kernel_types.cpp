// Kernel types in scripts: records converted lazily from BTF, the `curtask` builtin, member
// paths for offsetof(), and named constants (#define in included headers, kernel enumerators,
// TASK_RUNNING and friends).
#include "ast/passes/type_inference.h"

#include <sstream>

namespace tracelet::ast::passes {

void TypeInference::type_curtask(Builtin& n) {
  auto task = kernel_.kernel_record("struct task_struct");
  if (!task) {
    diags_.error(n.loc, "curtask needs the kernel's BTF, and struct task_struct is not in it");
    return;
  }
  kept_records_.push_back(task);
  n.type = Type::pointer(Type::of_record(task), AddrSpace::Kernel);
}

bool TypeInference::type_named_constant(Builtin& n) {
  static const std::vector<std::string> no_includes;
  auto value = kernel_.kernel_constant(n.name, includes_ ? *includes_ : no_includes);
  if (!value) return false;
  n.constant = *value;
  n.type = Type::i64();
  return true;
}

const RecordDef* TypeInference::complete_record(const RecordDef* record, const Location& loc,
                                                const std::string& field, Expr* base) {
  if (!record->fields_pending && !(record->fields.empty() && record->size == 0)) return record;
  // Known by name only (a pointer target in BTF or a tracepoint format): ask the kernel. A
  // BTF record is completed in place, so every type that shares it sees the fields.
  auto def = kernel_.kernel_record(record->name);
  if (!def || def->fields_pending) {
    diags_.error(loc, "cannot read field '" + field + "': the layout of " + record->name +
                          " is unknown (not in the kernel's BTF)");
    return nullptr;
  }
  kept_records_.push_back(def);
  if (base && def.get() != record) {
    // A name-only stub (tracepoint formats): codegen finds fields through the base's type.
    Type& t = base->type;
    if (t.kind == TypeKind::Record)
      t = Type::of_record(def, t.as);
    else if (t.kind == TypeKind::Pointer && t.pointee)
      t.pointee = std::make_shared<Type>(Type::of_record(def, t.pointee->as));
  }
  return def.get();
}

bool TypeInference::storable(const Type& t) {
  complete_value_records(t, 0);
  return is_storable(t);
}

void TypeInference::complete_value_records(const Type& t, int depth) {
  if (depth > 32) return; // records nest by value only finitely; a guard against bad BTF
  switch (t.kind) {
  case TypeKind::Record: {
    if (!t.record) return;
    if (t.record->fields_pending) {
      // BTF records are completed in place: every type sharing this one sees the fields.
      if (auto def = kernel_.kernel_record(t.record->name)) kept_records_.push_back(def);
    }
    for (const auto& f : t.record->fields)
      if (f.type) complete_value_records(*f.type, depth + 1);
    return;
  }
  case TypeKind::Array:
    if (t.pointee) complete_value_records(*t.pointee, depth + 1);
    return;
  case TypeKind::Tuple:
    for (const auto& e : t.elems)
      complete_value_records(e, depth + 1);
    return;
  default:
    return;
  }
}

std::optional<uint64_t> TypeInference::member_offset(const RecordDef& record,
                                                     const std::string& path, const Location& loc) {
  const RecordDef* current = &record;
  uint64_t offset = 0;
  std::istringstream parts(path);
  std::string name;
  bool first = true;
  while (std::getline(parts, name, '.')) {
    if (!first) {
      current = complete_record(current, loc, name);
      if (!current) return std::nullopt;
    }
    first = false;
    const Field* f = current->find(name);
    if (!f || !f->type) {
      std::vector<std::string> names;
      for (const auto& field : current->fields)
        names.push_back(field.name);
      diags_.error(loc, current->name + " has no field '" + name + "'" + did_you_mean(name, names));
      return std::nullopt;
    }
    offset += f->offset;
    bool more = parts.peek() != std::char_traits<char>::eof();
    if (more && (f->type->kind != TypeKind::Record || !f->type->record)) {
      diags_.error(loc, "offsetof(): " + current->name + "." + name + " is a " + f->type->str() +
                            ", not a struct or union");
      return std::nullopt;
    }
    if (more) current = f->type->record.get();
  }
  return offset;
}

} // namespace tracelet::ast::passes

namespace tracelet::ast::passes {

namespace {

// A value with an address in kernel or user memory: a field reached through a pointer (not
// the tracepoint record, which is the probe's context), an element of an array in memory or
// behind a pointer, `*p`.
bool addressable(const Expr& e) {
  if (const auto* f = dynamic_cast<const FieldAccess*>(&e)) {
    if (const auto* b = dynamic_cast<const Builtin*>(f->base.get()); b && b->name == "args")
      return false;
    return f->base->type.kind == TypeKind::Pointer || addressable(*f->base);
  }
  if (const auto* ix = dynamic_cast<const Index*>(&e))
    return ix->base->type.kind == TypeKind::Pointer || addressable(*ix->base);
  if (const auto* u = dynamic_cast<const Unary*>(&e)) return u->op == UnaryOp::Deref;
  return false;
}

} // namespace

void TypeInference::type_address_of(Unary& n) {
  // &((struct x *)0)->f is offsetof(struct x, f), as C tools write it.
  if (!addressable(*n.operand)) {
    diags_.error(n.loc, "the address-of operator '&' needs a field or element of a struct in "
                        "kernel or user memory");
    return;
  }
  Type target = n.operand->type;
  // &ctx->field: an address in the context, a plain kernel address from here on.
  AddrSpace as =
      target.as == AddrSpace::None || target.as == AddrSpace::Ctx ? AddrSpace::Kernel : target.as;
  n.type = Type::pointer(std::move(target), as);
}

} // namespace tracelet::ast::passes
