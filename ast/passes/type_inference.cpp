// Type inference: literals, operators, variables and maps. Builtins, calls and printf live
// in their own files (see type_inference.h). An expression whose type could not be found gets
// Type::none() after its error was reported, and uses of it report nothing more.
#include "ast/passes/type_inference.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <set>

namespace tracelet::ast::passes {

Type widened(const Type& t) {
  if (t.is_integer()) return Type::integer(8, t.is_signed);
  return t;
}

Type variable_storage(const Type& t) {
  return t.is_integer() ? t : widened(t);
}

bool assignable(const Type& variable, const Type& value) {
  return (variable.is_integer() && value.is_integer()) || unify(variable, value).has_value();
}

Type map_storage(const Type& t) {
  // A packet header pointer is an offset into one packet: meaningless outside its program.
  if (t.kind == TypeKind::Pointer && t.as == AddrSpace::Packet) return Type::u64();
  return widened(t);
}

Location keys_location(const Map& m) {
  if (m.keys.empty()) return m.loc;
  return Location::span(m.keys.front()->loc, m.keys.back()->loc);
}

bool is_integer_like(const Type& t) {
  return t.is_integer() || t.kind == TypeKind::Pointer;
}

namespace {

bool is_arithmetic(BinaryOp op) {
  return op <= BinaryOp::Shr;
}

} // namespace

bool is_statement_expr(const Expr& e) {
  if (!e.type.is_none()) return false;
  if (auto* call = dynamic_cast<const Call*>(&e)) return is_statement_function(call->func);
  if (auto* t = dynamic_cast<const Ternary*>(&e))
    return is_statement_expr(*t->then_expr) && is_statement_expr(*t->else_expr);
  return false;
}

// A value that has no type because a statement-only call produced it gets its own message;
// any other typeless value already had its error reported.

void report_missing_value(const Expr& e, Diagnostics& diags) {
  if (auto* call = dynamic_cast<const Call*>(&e))
    if (call->type.is_none() && is_statement_function(call->func))
      diags.error(e.loc, call->func + "() does not return a value");
  if (dynamic_cast<const Ternary*>(&e) && is_statement_expr(e))
    diags.error(e.loc, "this ?: does not return a value: its branches are statements");
}

bool is_storable(const Type& t) {
  switch (t.kind) {
  case TypeKind::Integer:
  case TypeKind::String:
  case TypeKind::Probe:
  case TypeKind::Pointer:
  case TypeKind::KStack:
  case TypeKind::UStack:
  case TypeKind::KSym:
  case TypeKind::USym:
  case TypeKind::Timestamp:
  case TypeKind::Username:
  case TypeKind::Strerror:
  case TypeKind::CgroupPath:
  case TypeKind::Inet:    // ntop()
  case TypeKind::Buffer:  // buf()
  case TypeKind::MacAddr: // macaddr()
    return true;
  case TypeKind::Array: // pton(), or an array read from memory
    return t.pointee && (t.pointee->is_integer() || is_storable(*t.pointee));
  case TypeKind::Record: // a struct/union read from memory, with every field known
    if (!t.record || t.record->fields_pending || t.record->size == 0) return false;
    for (const auto& f : t.record->fields)
      if (f.type && !is_storable(*f.type)) return false;
    return true;
  case TypeKind::Tuple:
    for (const auto& e : t.elems)
      if (!is_storable(e)) return false;
    return true;
  default:
    return t.is_aggregation();
  }
}

void TypeInference::run(Program& program) {
  includes_ = &program.includes;
  for (auto& probe : program.probes)
    probe->accept(*this);
  // Maps are global: every node shows the type agreed by all uses (e.g. the largest string).
  for (Map* m : map_nodes_) {
    if (const auto* entry = maps_.find(m->name)) {
      if (entry->value.known) m->type = entry->value.type;
      if (entry->key.known) m->key_type = entry->key.type;
    }
  }
}

void TypeInference::visit(Probe& n) {
  probe_ = ProbeContext{};
  probe_.probe = &n;
  // Expansion may have failed (error already reported); fall back to what was written.
  if (!n.expanded.empty()) {
    probe_.syscalls = true;
    for (const auto& ap : n.expanded) {
      probe_.providers.insert(ap->provider);
      probe_.syscalls &= ap->provider == "tracepoint" && ap->target == "syscalls";
    }
  } else {
    for (const auto& ap : n.attach_points)
      probe_.providers.insert(ap->provider);
  }
  for (const auto& ap : n.attach_points)
    probe_.unresolved |= ap->provider.empty();
  variables_.clear();
  variable_nodes_.clear();
  if (n.predicate) {
    walk(n.predicate);
    expect_condition(*n.predicate, "predicate");
  }
  visit(n.body);
  finish_probe();
}

void TypeInference::finish_probe() {
  for (Variable* v : variable_nodes_) {
    auto it = variables_.find(v->binding);
    if (it != variables_.end()) v->type = it->second.type;
  }
  for (const auto& [binding, info] : variables_)
    if (!info.type.is_none()) variable_types_[{probe_.probe, binding}] = info.type;
}

void TypeInference::expect_condition(Expr& e, const std::string& what) {
  if (e.type.is_none()) {
    report_missing_value(e, diags_);
    return;
  }
  if (!is_integer_like(e.type))
    diags_.error(e.loc, "the " + what + " must be an integer, not " + e.type.str());
}

// ---------------------------------------------------------------------------------------------
// Literals.

void TypeInference::visit(Integer& n) {
  n.type = n.value > static_cast<uint64_t>(INT64_MAX) ? Type::u64() : Type::i64();
}

void TypeInference::visit(String& n) {
  n.type = Type::string(n.value.size() + 1);
}

std::optional<int64_t> parse_integer_param(const std::string& text) {
  // Like bpftrace (strtoll with base 0): leading blanks, a sign, then decimal, 0x hex or 0
  // octal digits, and nothing after them.
  const char* begin = text.c_str();
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(begin, &end, 0);
  if (end == begin || *end != '\0' || errno == ERANGE) return std::nullopt;
  return v;
}

void TypeInference::visit(PositionalParam& n) {
  // Positional parameters are used as integers except inside str() (see type_str()). A
  // missing one reads as 0, like bpftrace.
  const auto& params = options_.positional_params;
  n.type = Type::i64();
  if (n.is_count) {
    n.value = std::to_string(params.size());
    return;
  }
  if (n.index < 1 || static_cast<size_t>(n.index) > params.size()) {
    n.value = "0";
    return;
  }
  const std::string& text = params[n.index - 1]; // "" is an error, as in bpftrace 0.17
  auto number = parse_integer_param(text);
  if (!number) {
    std::string name = "$" + std::to_string(n.index);
    diags_.error(n.loc,
                 name + " used numerically but given \"" + text + "\"; try str(" + name + ")");
    n.type = Type::none();
    return;
  }
  n.value = std::to_string(*number);
}

// ---------------------------------------------------------------------------------------------
// Variables and maps.

void TypeInference::visit(Variable& n) {
  n.type = Type::none();
  if (n.binding == 0) return; // undefined: reported by the variable-scope pass
  auto it = variables_.find(n.binding);
  if (it == variables_.end()) {
    // A `let` variable read before (in program order) its first assignment: the type an
    // earlier round learnt from that assignment.
    if (variable_hints_) {
      auto hint = variable_hints_->find({probe_.probe, n.binding});
      if (hint != variable_hints_->end()) {
        n.type = hint->second;
        variable_nodes_.push_back(&n);
        return;
      }
    }
    std::string hint = "let " + n.name + ": int64";
    diags_.error(n.loc, n.name + " has no type: nothing is assigned to it (declare one, as in " +
                            hint + ")");
    variables_[n.binding] = {Type::none(), n.loc};
    return;
  }
  n.type = it->second.type;
  variable_nodes_.push_back(&n);
}

void TypeInference::assign_variable(Variable& var, const Type& value, const Location& loc,
                                    bool declared) {
  var.type = value;
  variable_nodes_.push_back(&var);
  auto it = variables_.find(var.binding);
  if (it == variables_.end() || it->second.type.is_none()) {
    variables_[var.binding] = {value, loc, declared};
    return;
  }
  VariableInfo& info = it->second;
  std::optional<Type> merged;
  if (info.type.is_integer() && value.is_integer()) {
    // Integers keep their size (sizeof((int16)x) is 2, as in bpftrace); a variable holds the
    // widest integer assigned to it, unless its type was declared with let.
    merged = info.declared || value.bytes <= info.type.bytes ? info.type : value;
  } else {
    merged = unify(info.type, value);
  }
  if (!merged) {
    diags_.error(loc, "type mismatch for " + var.name + ": assigning " + value.str() + ", but " +
                          var.name + " was first assigned " + info.type.str() + " at " +
                          where(info.first_assignment));
    var.type = info.type;
    return;
  }
  info.type = *merged;
}

std::optional<Type> TypeInference::storage_type(const Expr& value, const std::string& target) {
  if (value.type.is_none()) {
    report_missing_value(value, diags_);
    return std::nullopt;
  }
  if (!storable(value.type)) {
    diags_.error(value.loc, "cannot store a value of type " + value.type.str() + " in " + target);
    return std::nullopt;
  }
  return variable_storage(value.type);
}

std::optional<Type> TypeInference::key_type_of(Map& m) {
  std::vector<Type> keys;
  bool ok = true;
  for (auto& k : m.keys) {
    walk(k);
    if (k->type.is_none()) {
      report_missing_value(*k, diags_);
      ok = false;
    } else if (!storable(k->type) || k->type.is_aggregation()) {
      diags_.error(k->loc, "a value of type " + k->type.str() + " cannot be a map key");
      ok = false;
    } else if (k->type.kind == TypeKind::Tuple) {
      diags_.error(k->loc, "a tuple cannot be a map key: use several keys, as in @m[a, b]");
      ok = false;
    } else {
      if (holds_context(k->type)) {
        diags_.error(k->loc, "ctx cannot be a map key (as in bpftrace): use (uint64)ctx");
        ok = false;
        continue;
      }
      keys.push_back(map_storage(k->type));
    }
  }
  if (!ok) return std::nullopt;
  if (keys.empty()) return Type::none();
  return keys.size() == 1 ? keys[0] : Type::tuple(std::move(keys));
}

const Type* TypeInference::known_map_value(const std::string& name) const {
  if (const auto* entry = maps_.find(name); entry && entry->value.known) return &entry->value.type;
  if (map_hints_)
    if (const auto* entry = map_hints_->find(name); entry && entry->value.known)
      return &entry->value.type;
  return nullptr;
}

void TypeInference::read_map(Map& m, bool check_key) {
  map_nodes_.push_back(&m);
  if (check_key) {
    if (auto key = key_type_of(m)) {
      m.key_type = *key;
      maps_.use_key(m.name, *key, keys_location(m), diags_);
    }
  }
  if (const Type* value = known_map_value(m.name)) {
    m.type = *value;
  } else {
    m.type = Type::none();
    if (!maps_.failed(m.name) && !(map_hints_ && map_hints_->failed(m.name)))
      diags_.error(m.loc, "undefined map " + m.name + ": it is never assigned a value");
  }
}

void TypeInference::visit(Map& n) {
  read_map(n, true);
}

// ---------------------------------------------------------------------------------------------
// Operators.

// A map whose type is not known yet, read as an operand next to an integer: it reads as int64
// (as `@m++` defines it), so that `@m[k] = @m[k] + $i`, the map's only assignment, types it.
// A map that no assignment ever types is still reported as undefined by read_map().
void TypeInference::type_pending_map(Expr& e, const Expr& other) {
  auto* m = dynamic_cast<Map*>(&e);
  if (!m || !m->type.is_none() || !other.type.is_integer() || known_map_value(m->name)) return;
  if (maps_.failed(m->name) || (map_hints_ && map_hints_->failed(m->name))) return;
  m->type = Type::i64();
}

void TypeInference::visit(Binary& n) {
  walk(n.lhs);
  walk(n.rhs);
  type_pending_map(*n.lhs, *n.rhs);
  type_pending_map(*n.rhs, *n.lhs);
  n.type = Type::none();
  const Type& l = n.lhs->type;
  const Type& r = n.rhs->type;
  if (provisional_ && n.op != BinaryOp::LogicalAnd && n.op != BinaryOp::LogicalOr &&
      ((l.is_none() && r.is_integer()) || (r.is_none() && l.is_integer()))) {
    n.type = is_arithmetic(n.op) ? Type::i64() : Type::u64();
    return;
  }
  if (l.is_none() || r.is_none()) {
    report_missing_value(*n.lhs, diags_);
    report_missing_value(*n.rhs, diags_);
    return;
  }
  auto mismatch = [&] {
    diags_.error(n.loc, std::string("invalid operands to '") + to_string(n.op) + "': " + l.str() +
                            " and " + r.str());
  };
  if (is_arithmetic(n.op)) {
    if ((n.op == BinaryOp::Div || n.op == BinaryOp::Mod))
      if (auto* lit = dynamic_cast<Integer*>(n.rhs.get()); lit && lit->value == 0)
        diags_.warning(n.rhs->loc, std::string("division by zero: '") + to_string(n.op) +
                                       " 0' gives the kernel's answer (x / 0 is 0, x % 0 is x)");
    if (l.is_integer() && r.is_integer()) {
      // As bpftrace 0.17: signed only when both operands are (`(uint64)1 - 2` is 2^64 - 1).
      n.type = l.is_signed && r.is_signed ? Type::i64() : Type::u64();
    } else if (l.kind == TypeKind::Pointer && r.is_integer() &&
               (n.op == BinaryOp::Add || n.op == BinaryOp::Sub)) {
      n.type = l; // pointer arithmetic, in units of the pointee like C (pointer_math.cpp)
    } else if (l.is_integer() && r.kind == TypeKind::Pointer && n.op == BinaryOp::Add) {
      n.type = r; // 1 + p, as bpftrace (which, like C, has no integer - pointer)
    } else {
      mismatch();
    }
    // ctx + n points past the context: kernel memory, read with probe_read_kernel.
    if (n.type.as == AddrSpace::Ctx) n.type.as = AddrSpace::Kernel;
    return;
  }
  bool ok = false;
  switch (n.op) {
  case BinaryOp::Eq:
  case BinaryOp::Ne:
    ok = (is_integer_like(l) && is_integer_like(r)) || (l.is_string() && r.is_string()) ||
         (l.kind == TypeKind::Probe && r.kind == TypeKind::Probe) ||
         (l.kind == TypeKind::Array && r.kind == TypeKind::Array && l.compatible(r)) ||
         (l.kind == TypeKind::Buffer && r.kind == TypeKind::Buffer); // buf(): length and bytes
    break;
  default:
    ok = is_integer_like(l) && is_integer_like(r);
    break;
  }
  if (!ok) return mismatch();
  n.type = Type::u64();
}

void TypeInference::visit(Unary& n) {
  n.type = Type::none();
  bool is_step = n.op == UnaryOp::PreInc || n.op == UnaryOp::PreDec || n.op == UnaryOp::PostInc ||
                 n.op == UnaryOp::PostDec;
  if (is_step) {
    // `@m++` on a map never assigned defines it as int64, like `@m = 0` then `@m++`.
    if (auto* m = dynamic_cast<Map*>(n.operand.get())) {
      map_nodes_.push_back(m);
      if (auto key = key_type_of(*m)) {
        m->key_type = *key;
        maps_.use_key(m->name, *key, keys_location(*m), diags_);
      }
      const Type* value = known_map_value(m->name);
      m->type = value ? *value : Type::i64();
      maps_.use_value(m->name, m->type, m->loc, diags_);
    } else if (dynamic_cast<Variable*>(n.operand.get())) {
      walk(n.operand);
    } else {
      walk(n.operand);
      diags_.error(n.operand->loc, "++ and -- need a variable or a map");
      return;
    }
    if (n.operand->type.is_none()) return;
    if (!n.operand->type.is_integer() && n.operand->type.kind != TypeKind::Pointer) {
      diags_.error(n.operand->loc,
                   "++ and -- need an integer or a pointer, not " + n.operand->type.str());
      return;
    }
    if (n.operand->type.as == AddrSpace::Ctx && n.operand->type.kind == TypeKind::Pointer) {
      diags_.error(n.operand->loc, "ctx cannot be moved: ctx + n is a kernel pointer of its own");
      return;
    }
    n.type = n.operand->type;
    return;
  }
  walk(n.operand);
  const Type& t = n.operand->type;
  if (t.is_none()) {
    report_missing_value(*n.operand, diags_);
    return;
  }
  switch (n.op) {
  case UnaryOp::Neg:
    if (t.is_integer()) n.type = Type::i64();
    break;
  case UnaryOp::LogicalNot:
    if (is_integer_like(t)) n.type = Type::u64();
    break;
  case UnaryOp::BitNot:
    if (t.is_integer()) n.type = widened(t);
    break;
  case UnaryOp::Deref:
    if (t.kind == TypeKind::Pointer && t.pointee) {
      if (t.as == AddrSpace::Ctx && !check_context_deref(n)) return; // context_builtin.cpp
      n.type = *t.pointee;
      n.type.as = t.as;
    } else if (t.is_integer()) {
      // As bpftrace: *addr reads a uint64 at an integer address (loads.bt: *kaddr("avenrun")),
      // in the address space the integer came from, else the probe's.
      n.type = Type::u64();
      n.type.as = t.as != AddrSpace::None ? t.as : probe_.default_space();
    }
    break;
  case UnaryOp::AddrOf:
    return type_address_of(n); // kernel_types.cpp
  default:
    break;
  }
  if (n.type.is_none())
    diags_.error(n.loc, std::string("invalid operand to '") + to_string(n.op) + "': " + t.str());
}

void TypeInference::visit(Ternary& n) {
  walk(n.cond);
  expect_condition(*n.cond, "condition");
  walk(n.then_expr);
  walk(n.else_expr);
  const Type& a = n.then_expr->type;
  const Type& b = n.else_expr->type;
  n.type = Type::none();
  if (a.is_integer() && b.is_integer())
    n.type = a.is_signed || b.is_signed ? Type::i64() : Type::u64();
  else if (a.is_string() && b.is_string())
    n.type = a.bytes >= b.bytes ? a : b;
  else if (a.is_none() != b.is_none() &&
           (is_statement_expr(*n.then_expr) || is_statement_expr(*n.else_expr))) {
    const Expr& statement = is_statement_expr(*n.then_expr) ? *n.then_expr : *n.else_expr;
    const Type& value = a.is_none() ? b : a;
    auto* call = dynamic_cast<const Call*>(&statement);
    diags_.error(n.loc, "the branches of ?: must both be values or both be statements: " +
                            (call ? call->func + "()" : std::string("one branch")) +
                            " has no value, the other is " + value.str());
  } else if (a.is_none() || b.is_none())
    return; // statement ternary (`c ? exit() : printf(..)`) or an error reported below it
  else if (a.kind == TypeKind::Inet || a.kind == TypeKind::Buffer || a.kind == TypeKind::MacAddr ||
           a.kind == TypeKind::Array)
    // As bpftrace 0.17 ("Ternary return type unsupported"); LLVM would also merge the two
    // branches' reads into one from a selected ctx pointer, which the verifier refuses.
    diags_.error(n.loc, "the branches of ?: cannot be of type " + a.str());
  else if (a.compatible(b))
    n.type = a;
  else
    diags_.error(n.loc, "the branches of ?: have different types: " + a.str() + " and " + b.str());
}

void TypeInference::visit(FieldAccess& n) {
  walk(n.base);
  n.type = Type::none();
  if (auto* b = dynamic_cast<Builtin*>(n.base.get()); b && b->name == "args")
    return type_args_field(n);
  const Type& t = n.base->type;
  if (t.is_none()) return;
  const RecordDef* record = nullptr;
  if (t.kind == TypeKind::Record)
    record = t.record.get();
  else if (t.kind == TypeKind::Pointer && t.pointee && t.pointee->kind == TypeKind::Record)
    record = t.pointee->record.get();
  if (!record) {
    diags_.error(n.loc, "cannot access field '" + n.field + "' of a value of type " + t.str());
    return;
  }
  record = complete_record(record, n.loc, n.field, n.base.get()); // kernel_types.cpp
  if (!record) return;
  const Field* f = record->find(n.field);
  if (!f && renamed_kernel_field(*record, n.field)) {
    n.renamed_from = n.field;
    n.field = renamed_kernel_field(*record, n.field)->new_name; // codegen reads this name
    f = record->find(n.field);
  }
  if (!n.renamed_from.empty())
    if (auto renamed = renamed_kernel_field(*record, n.renamed_from)) // every round warns
      diags_.warning(n.loc, record->name + " has no field '" + n.renamed_from + "'; reading '" +
                                renamed->new_name + "', its name since Linux " + renamed->since);
  if (!f || !f->type) {
    std::vector<std::string> names;
    for (const auto& field : record->fields)
      names.push_back(field.name);
    diags_.error(n.loc,
                 record->name + " has no field '" + n.field + "'" + did_you_mean(n.field, names));
    return;
  }
  n.type = *f->type;
  if (n.type.kind != TypeKind::Integer) n.type.as = t.as;
  if (t.as == AddrSpace::Ctx && !check_context_field(n, *record)) n.type = Type::none();
}

void TypeInference::visit(TupleIndex& n) {
  walk(n.base);
  n.type = Type::none();
  const Type& t = n.base->type;
  if (t.is_none()) return;
  if (t.kind != TypeKind::Tuple) {
    diags_.error(n.loc, "cannot take element " + std::to_string(n.index) + " of a value of type " +
                            t.str() + ": not a tuple");
    return;
  }
  if (n.index >= t.elems.size()) {
    diags_.error(n.loc,
                 "tuple index " + std::to_string(n.index) + " is out of range for " + t.str());
    return;
  }
  n.type = t.elems[n.index];
}

void TypeInference::visit(Index& n) {
  walk(n.base);
  walk(n.index);
  n.type = Type::none();
  const Type& t = n.base->type;
  if (t.is_none() || n.index->type.is_none()) return;
  if (!n.index->type.is_integer()) {
    diags_.error(n.index->loc, "an index must be an integer, not " + n.index->type.str());
    return;
  }
  if ((t.kind != TypeKind::Array && t.kind != TypeKind::Pointer) || !t.pointee) {
    diags_.error(n.loc, "cannot index a value of type " + t.str());
    return;
  }
  if (t.kind == TypeKind::Array && !check_array_index(n)) return; // array_indexes.cpp
  if (t.as == AddrSpace::Ctx && !check_context_index(n)) return;  // context_builtin.cpp
  n.type = *t.pointee;
  n.type.as = t.as;
}

std::optional<Type> TypeInference::resolve_type_spec(const TypeSpec& spec) {
  struct Named {
    const char* name;
    uint64_t bytes;
    bool is_signed;
  };
  static const Named integers[] = {
      {"int8", 1, true},
      {"int16", 2, true},
      {"int32", 4, true},
      {"int64", 8, true},
      {"uint8", 1, false},
      {"uint16", 2, false},
      {"uint32", 4, false},
      {"uint64", 8, false},
      {"char", 1, true},
      {"short", 2, true},
      {"int", 4, true},
      {"long", 8, true},
      {"unsigned char", 1, false},
      {"unsigned short", 2, false},
      {"unsigned int", 4, false},
      {"unsigned long", 8, false},
      {"unsigned", 4, false},
      {"bool", 1, false},
      {"void", 1, false},
  };
  std::optional<Type> base;
  for (const auto& i : integers)
    if (spec.name == i.name) base = Type::integer(i.bytes, i.is_signed);
  if (!base && spec.name == "string") {
    base = Type::string(spec.array_size.value_or(Type::kDefaultStringSize));
    if (spec.pointer_depth == 0) return base;
  }
  if (!base && (spec.name.rfind("struct ", 0) == 0 || spec.name.rfind("union ", 0) == 0)) {
    if (auto def = kernel_.kernel_record(spec.name))
      base = Type::of_record(def);
    else if (auto user_def = binary_record(spec.name)) // DWARF of a uprobe's binary
      base = Type::of_record(user_def, AddrSpace::User);
    else {
      diags_.error(spec.loc, "unknown type '" + spec.name + "'" + binary_record_note());
      return std::nullopt;
    }
  }
  if (!base) base = kernel_.kernel_type(spec.name); // typedefs and enums from BTF
  if (!base) {
    diags_.error(spec.loc, "unknown type '" + spec.name + "'");
    return std::nullopt;
  }
  Type t = *base;
  for (int i = 0; i < spec.pointer_depth; ++i)
    t = Type::pointer(t, probe_.default_space());
  if (spec.array_size && spec.name != "string") t = Type::array(t, *spec.array_size);
  return t;
}

void TypeInference::visit(Cast& n) {
  walk(n.operand);
  n.type = Type::none();
  auto target = resolve_type_spec(n.target);
  if (!target || n.operand->type.is_none()) return;
  if (!is_integer_like(n.operand->type)) {
    diags_.error(n.operand->loc, "cannot cast a value of type " + n.operand->type.str());
    return;
  }
  if (!is_integer_like(*target)) {
    diags_.error(n.target.loc,
                 "cannot cast to " + target->str() + ": casts are to integers and pointers");
    return;
  }
  n.type = *target;
  if (n.operand->type.as == AddrSpace::Ctx && n.operand->type.kind == TypeKind::Pointer) {
    n.type.as = AddrSpace::Ctx;
    if (!check_context_cast(n, *target)) n.type = Type::none(); // context_builtin.cpp
    return;
  }
  // A pointer lives where the value it was cast from points (curtask, a kernel pointer
  // field, uptr(arg0)), through any chain of casts; an integer from nowhere in particular
  // points into the probe's default space (user memory in uprobes and syscalls).
  if (n.type.kind == TypeKind::Pointer && n.operand->type.as != AddrSpace::None)
    n.type.as = n.operand->type.as;
  else if (n.type.kind != TypeKind::Pointer && n.operand->type.as != AddrSpace::None)
    n.type.as = n.operand->type.as; // (uint64)uptr(p): still a user address
}

void TypeInference::visit(Tuple& n) {
  std::vector<Type> elems;
  n.type = Type::none();
  bool ok = true;
  for (auto& e : n.elems) {
    walk(e);
    if (e->type.is_none()) {
      report_missing_value(*e, diags_);
      ok = false;
    } else if (auto element = aggregation_element_type(e->type)) {
      elems.push_back(*element); // `(@q, 1)`: the aggregation's value (aggregation_reads.cpp)
      continue;
    } else if (!storable(e->type) || e->type.is_aggregation()) {
      diags_.error(e->loc, "a tuple cannot hold a value of type " + e->type.str());
      ok = false;
    }
    // Elements keep their types, so a tuple is laid out as bpftrace lays it out:
    // sizeof(((int8)1, (int16)1, (int32)1)) is 8.
    elems.push_back(e->type);
  }
  if (ok) n.type = Type::tuple(std::move(elems));
}

namespace {

// The builtins that sizeof(name) may mean instead of a type name.
bool is_builtin_name(const std::string& name) {
  static const std::set<std::string> names = {
      "pid",    "tid",    "uid",    "gid",    "nsecs",    "elapsed", "numaid",  "cpu",
      "comm",   "kstack", "ustack", "retval", "func",     "probe",   "curtask", "rand",
      "cgroup", "cpid",   "args",   "ctx",    "username", "jiffies"};
  if (names.count(name)) return true;
  for (const char* prefix : {"arg", "sarg"})
    if (name.rfind(prefix, 0) == 0 && name.size() > std::string(prefix).size() &&
        std::isdigit(static_cast<unsigned char>(name[std::string(prefix).size()])))
      return true;
  return false;
}

} // namespace

void TypeInference::visit(Sizeof& n) {
  n.type = Type::u64();
  if (n.of_type) {
    auto t = resolve_type_spec(*n.of_type);
    if (!t)
      n.type = Type::none();
    else
      n.value = t->size();
  } else if (auto* b = dynamic_cast<Builtin*>(n.of_expr.get());
             b && !is_builtin_name(b->name) && kernel_.kernel_type(b->name)) {
    // sizeof(foo_t): a typedef (the script's or BTF's), not a builtin.
    n.value = kernel_.kernel_type(b->name)->size();
  } else {
    walk(n.of_expr);
  }
}

void TypeInference::visit(Offsetof& n) {
  n.type = Type::none();
  auto record = resolve_type_spec(n.record);
  if (!record) return;
  if (record->kind != TypeKind::Record || !record->record) {
    diags_.error(n.record.loc, "offsetof() needs a struct or union, not " + record->str());
    return;
  }
  n.value = member_offset(*record->record, n.field, n.loc); // kernel_types.cpp
  if (!n.value) return;
  n.type = Type::u64();
}

} // namespace tracelet::ast::passes
