// Type inference of statements: assignments to variables and maps, conditions, loops.
#include "ast/passes/type_inference.h"

namespace tracelet::ast::passes {

// `p += n`, `p -= n` on a pointer: moves it by n pointees, as `p = p + n` (bpftrace too);
// other compound operators are not defined on pointers.
bool TypeInference::pointer_step_ok(BinaryOp op, const Type& pointer, const Type& value,
                                    const Location& loc) {
  if (pointer.as == AddrSpace::Ctx) { // it would no longer be the context
    diags_.error(loc, "ctx cannot be moved: ctx + n is a kernel pointer of its own");
    return false;
  }
  if ((op == BinaryOp::Add || op == BinaryOp::Sub) && value.is_integer()) return true;
  diags_.error(loc, std::string("'") + to_string(op) + "=' cannot combine " + pointer.str() +
                        " and " + value.str() + ": a pointer takes only += and -= of an integer");
  return false;
}

void TypeInference::visit(ExprStmt& n) {
  walk(n.expr);
}

void TypeInference::visit(AssignMap& n) {
  Map& m = *n.map;
  map_nodes_.push_back(&m);
  if (auto key = key_type_of(m)) {
    m.key_type = *key;
    maps_.use_key(m.name, *key, keys_location(m), diags_);
  }
  if (auto* call = dynamic_cast<Call*>(n.value.get()); call && !n.compound)
    type_call(*call, /*assigned_to_map=*/true);
  else
    walk(n.value);

  std::optional<Type> stored;
  if (n.compound) {
    const Type* current = known_map_value(m.name);
    const Type& v = n.value->type;
    if (v.is_none()) {
      report_missing_value(*n.value, diags_);
    } else if (current && current->kind == TypeKind::Pointer) {
      if (pointer_step_ok(*n.compound, *current, v, n.value->loc)) stored = *current;
    } else if (current && !current->is_integer()) {
      diags_.error(m.loc, std::string("'") + to_string(*n.compound) +
                              "=' needs an integer map, but " + m.name + " holds " +
                              current->str());
    } else if (!v.is_integer()) {
      diags_.error(n.value->loc, std::string("'") + to_string(*n.compound) +
                                     "=' needs an integer, not " + v.str());
    } else {
      stored = current ? *current : map_storage(v);
    }
  } else {
    if (n.value->type.is_aggregation() && !dynamic_cast<Call*>(n.value.get())) {
      // `@r = @q`: this CPU's copy of the aggregation, kept as one (aggregation_reads.cpp).
      if (!is_copyable_aggregation(n.value->type)) {
        diags_.error(n.value->loc, aggregation_copy_error(n.value->type));
        maps_.mark_failed(m.name);
        return;
      }
      stored = n.value->type;
    } else if (holds_context(n.value->type)) {
      diags_.error(n.value->loc,
                   "ctx cannot be stored in a map (as in bpftrace): store (uint64)ctx");
    } else {
      stored = storage_type(*n.value, "map " + m.name);
    }
    if (stored) stored = map_storage(*stored);
  }
  if (!stored) {
    maps_.mark_failed(m.name);
    return;
  }
  m.type = *stored;
  maps_.use_value(m.name, *stored, m.loc, diags_);
}

void TypeInference::visit(AssignVar& n) {
  Variable& var = *n.var;
  // After an error in the value, later reads of the variable report nothing more.
  struct Poison {
    std::map<int, VariableInfo>& vars;
    Variable& var;
    bool armed = true;
    ~Poison() {
      if (armed && var.binding && !vars.count(var.binding))
        vars[var.binding] = {Type::none(), var.loc};
    }
  } poison{variables_, var};
  std::optional<Type> declared;
  if (n.declared && !(declared = resolve_type_spec(*n.declared))) return walk(n.value);
  if (!n.value) { // `let $x: type;` (or `let $x;`, typed by a later assignment)
    poison.armed = false;
    if (declared)
      assign_variable(var, variable_storage(*declared), n.loc, true);
    else
      variable_nodes_.push_back(&var); // typed at the end of the probe, by what is assigned
    return;
  }
  walk(n.value);
  const Type& v = n.value->type;
  if (n.compound) {
    auto it = variables_.find(var.binding);
    if (it == variables_.end()) return; // undefined: reported by the variable-scope pass
    if (v.is_none()) return report_missing_value(*n.value, diags_);
    if (it->second.type.kind == TypeKind::Pointer) {
      if (!pointer_step_ok(*n.compound, it->second.type, v, n.value->loc)) return;
    } else if (!it->second.type.is_integer() || !v.is_integer()) {
      diags_.error(n.value->loc, std::string("'") + to_string(*n.compound) +
                                     "=' needs integers, not " + it->second.type.str() + " and " +
                                     v.str());
      return;
    }
    var.type = it->second.type;
    variable_nodes_.push_back(&var);
    return;
  }
  if (v.is_none()) return report_missing_value(*n.value, diags_);
  // Besides what maps hold, variables may hold records and arrays read from memory.
  std::optional<Type> stored;
  if (v.kind == TypeKind::Record || v.kind == TypeKind::Array)
    stored = v;
  else if (v.is_aggregation() && is_copyable_aggregation(v))
    stored = v; // `$v = @q`: a copy that only a map or a tuple can take (aggregation_reads.cpp)
  else if (v.is_aggregation())
    return diags_.error(n.value->loc,
                        "cannot store a value of type " + v.str() + " in variable " + var.name);
  else if (!(stored = storage_type(*n.value, "variable " + var.name)))
    return;
  if (declared && !assignable(variable_storage(*declared), *stored)) {
    diags_.error(n.value->loc, "cannot assign " + stored->str() + " to " + var.name +
                                   " declared as " + declared->str());
    return;
  }
  poison.armed = false;
  if (declared)
    assign_variable(var, variable_storage(*declared), n.value->loc, true);
  else
    assign_variable(var, *stored, n.value->loc);
}

void TypeInference::visit(If& n) {
  std::optional<bool> known = constant_string_condition(*n.cond);
  walk(n.cond);
  expect_condition(*n.cond, "condition");
  ruled_out_depth_ += known == false;
  visit(n.then_block);
  ruled_out_depth_ -= known == false;
  ruled_out_depth_ += known == true;
  if (n.else_block) visit(*n.else_block);
  ruled_out_depth_ -= known == true;
}

void TypeInference::visit(While& n) {
  walk(n.cond);
  expect_condition(*n.cond, "loop condition");
  visit(n.body);
}

void TypeInference::visit(Unroll& n) {
  // The count was checked by the control-flow pass; a parameter here is always numeric.
  if (auto* param = dynamic_cast<PositionalParam*>(n.count.get())) {
    const auto& params = options_.positional_params;
    param->type = Type::i64();
    std::string text = param->is_count ? std::to_string(params.size())
                       : static_cast<size_t>(param->index) <= params.size() && param->index >= 1
                           ? params[param->index - 1]
                           : "0";
    param->value = std::to_string(parse_integer_param(text).value_or(0));
  } else {
    walk(n.count);
  }
  visit(n.body);
}

void TypeInference::visit(Jump& n) {
  walk(n.value);
  if (n.value && !n.value->type.is_none() && !n.value->type.is_integer())
    diags_.error(n.value->loc, "return needs an integer, not " + n.value->type.str());
}

void TypeInference::visit(For& n) {
  if (n.map) {
    // for ($kv : @m): $kv is the tuple (key, value).
    Map& m = *n.map;
    map_nodes_.push_back(&m);
    const Type* value = known_map_value(m.name);
    const auto* entry = maps_.find(m.name);
    const auto* hint = map_hints_ ? map_hints_->find(m.name) : nullptr;
    const Type* key = entry && entry->key.known ? &entry->key.type
                      : hint && hint->key.known ? &hint->key.type
                                                : nullptr;
    if (!value) {
      diags_.error(m.loc, "undefined map " + m.name + ": it is never assigned a value");
    } else if (!key || key->is_none()) {
      diags_.error(m.loc, "for can only iterate over a map with keys, and " + m.name + " has none");
    } else if (value->is_aggregation()) {
      diags_.error(m.loc, "for cannot iterate over " + m.name + ", which holds " + value->str() +
                              " values");
    } else {
      m.type = *value;
      m.key_type = *key;
      assign_variable(*n.var, Type::tuple({*key, *value}), n.var->loc);
    }
  } else {
    walk(n.range_start);
    walk(n.range_end);
    for (Expr* e : {n.range_start.get(), n.range_end.get()})
      if (e && !e->type.is_none() && !e->type.is_integer())
        diags_.error(e->loc, "a range bound must be an integer, not " + e->type.str());
    assign_variable(*n.var, Type::i64(), n.var->loc);
  }
  visit(n.body);
}

} // namespace tracelet::ast::passes
