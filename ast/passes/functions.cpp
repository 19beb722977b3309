// Calls: the signature table (name, number of arguments, where the call may appear) and the
// type rules of each function.
#include "ast/integer_literal.h"
#include "ast/passes/register_access.h"
#include "ast/passes/type_inference.h"

#include <algorithm>

namespace tracelet::ast::passes {

namespace {

enum class CallKind {
  Statement,   // no value: printf, exit, print, delete, clear, zero
  Value,       // an expression: str
  Aggregation, // only as `@m[...] = f(...)`
};

struct Signature {
  const char* name;
  size_t min_args;
  size_t max_args; // SIZE_MAX: any number
  CallKind kind;
};

const std::vector<Signature>& signatures() {
  static const std::vector<Signature> table = {
      {"printf", 1, SIZE_MAX, CallKind::Statement},
      {"exit", 0, 0, CallKind::Statement},
      {"print", 1, 3, CallKind::Statement},
      {"delete", 1, 2, CallKind::Statement},
      {"clear", 1, 1, CallKind::Statement},
      {"zero", 1, 1, CallKind::Statement},
      {"str", 1, 2, CallKind::Value},
      {"kstack", 0, 2, CallKind::Value},
      {"ustack", 0, 2, CallKind::Value},
      {"ksym", 1, 1, CallKind::Value},
      {"usym", 1, 1, CallKind::Value},
      // Map queries (newer bpftrace): len(@m), has_key(@m, key).
      {"len", 1, 1, CallKind::Value},
      {"has_key", 2, 2, CallKind::Value},
      {"count", 0, 0, CallKind::Aggregation},
      {"sum", 1, 1, CallKind::Aggregation},
      {"avg", 1, 1, CallKind::Aggregation},
      {"min", 1, 1, CallKind::Aggregation},
      {"max", 1, 1, CallKind::Aggregation},
      {"stats", 1, 1, CallKind::Aggregation},
      {"hist", 1, 1, CallKind::Aggregation},
      {"lhist", 4, 4, CallKind::Aggregation},
      // User-space and compile-time functions (process_functions.cpp).
      {"time", 0, 1, CallKind::Statement},
      {"strftime", 2, 2, CallKind::Value},
      {"join", 1, 2, CallKind::Statement},
      {"cat", 1, SIZE_MAX, CallKind::Statement},
      {"system", 1, SIZE_MAX, CallKind::Statement},
      {"signal", 1, 1, CallKind::Statement},
      {"cgroupid", 1, 1, CallKind::Value},
      {"cgroup_path", 1, 2, CallKind::Value},
      {"kaddr", 1, 1, CallKind::Value},
      {"uaddr", 1, 1, CallKind::Value},
      // Values on addresses, bytes and strings (byte_functions.cpp).
      {"ntop", 1, 2, CallKind::Value},
      {"pton", 1, 1, CallKind::Value},
      {"bswap", 1, 1, CallKind::Value},
      {"buf", 1, 2, CallKind::Value},
      {"strncmp", 3, 3, CallKind::Value},
      {"strcontains", 2, 2, CallKind::Value},
      {"macaddr", 1, 1, CallKind::Value},
      {"uptr", 1, 1, CallKind::Value},
      {"kptr", 1, 1, CallKind::Value},
      // debug_functions.cpp
      {"strerror", 1, 1, CallKind::Value},
      {"debugf", 1, SIZE_MAX, CallKind::Statement},
      {"unwatch", 1, 1, CallKind::Statement}, // watchpoints: ast/watchpoints.h
      {"reg", 1, 1, CallKind::Value},         // register_access.cpp
  };
  return table;
}

// bpftrace functions that tracelet does not implement yet.
const std::vector<std::string>& unsupported_functions() {
  static const std::vector<std::string> names = {
      "override", "path", "sizeof", "skboutput", "offsetof",
  };
  return names;
}

std::string plural(size_t n, const char* what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

std::string expected_args(const Signature& s) {
  if (s.min_args == s.max_args)
    return s.min_args == 0 ? "no arguments" : plural(s.min_args, "argument");
  if (s.max_args == SIZE_MAX) return "at least " + plural(s.min_args, "argument");
  return std::to_string(s.min_args) + " to " + std::to_string(s.max_args) + " arguments";
}

TypeKind aggregation_kind(const std::string& name) {
  if (name == "count") return TypeKind::Count;
  if (name == "sum") return TypeKind::Sum;
  if (name == "avg") return TypeKind::Avg;
  if (name == "min") return TypeKind::Min;
  if (name == "max") return TypeKind::Max;
  if (name == "stats") return TypeKind::Stats;
  return TypeKind::Hist;
}

} // namespace

bool is_statement_function(const std::string& name) {
  for (const auto& s : signatures())
    if (name == s.name) return s.kind == CallKind::Statement;
  return false;
}

void TypeInference::visit(Call& n) {
  type_call(n, /*assigned_to_map=*/false);
}

void TypeInference::type_call(Call& n, bool assigned_to_map) {
  int errors = diags_.error_count();
  type_call_by_signature(n, assigned_to_map);
  // ctx as an argument, unless the call was refused already (context_builtin.cpp)
  if (diags_.error_count() == errors && !check_context_arguments(n)) n.type = Type::none();
}

void TypeInference::type_call_by_signature(Call& n, bool assigned_to_map) {
  n.type = Type::none();
  if (type_byte_order_call(n)) return; // packet_probes.cpp
  const auto& table = signatures();
  auto sig = std::find_if(table.begin(), table.end(),
                          [&](const Signature& s) { return n.func == s.name; });
  if (sig == table.end()) {
    for (auto& a : n.args)
      walk(a);
    const auto& unsupported = unsupported_functions();
    if (std::find(unsupported.begin(), unsupported.end(), n.func) != unsupported.end()) {
      diags_.error(n.loc, "function '" + n.func + "' is not supported yet");
      return;
    }
    std::vector<std::string> names;
    for (const auto& s : table)
      names.push_back(s.name);
    diags_.error(n.loc, "unknown function '" + n.func + "'" + did_you_mean(n.func, names));
    return;
  }
  if (n.args.size() < sig->min_args || n.args.size() > sig->max_args) {
    for (auto& a : n.args)
      walk(a);
    diags_.error(n.loc, n.func + "() takes " + expected_args(*sig) + ", not " +
                            std::to_string(n.args.size()));
    return;
  }
  if (sig->kind == CallKind::Aggregation) {
    type_aggregation(n);
    if (!assigned_to_map) {
      diags_.error(n.loc, n.func + "() must be assigned directly to a map, as in @m = " + n.func +
                              "(...)");
      n.type = Type::none();
    }
    return;
  }
  if (is_process_function(n.func)) return type_process_call(n);
  if (n.func == "printf") return type_printf(n);
  if (n.func == "strerror") return type_strerror(n);
  if (n.func == "debugf") return type_debugf(n);
  if (n.func == "reg") { // register_access.cpp
    if (!dynamic_cast<String*>(n.args[0].get())) walk(n.args[0]);
    return type_reg_call(n, probe_, diags_);
  }
  if (n.func == "str") return type_str(n);
  if (n.func == "uptr" || n.func == "kptr") return type_address_space(n);
  if (n.func == "kstack" || n.func == "ustack" || n.func == "ksym" || n.func == "usym")
    return type_symbol_call(n);
  if (is_byte_function(n.func)) return type_byte_function(n);
  if (n.func == "print") return type_print(n);
  if (n.func == "delete" || n.func == "clear" || n.func == "zero") return type_map_function(n);
  if (n.func == "len" || n.func == "has_key") return type_map_query(n);
  if (n.func == "unwatch") {
    // unwatch(addr): an async action (runtime/attach/watchpoint.cpp); an address that is not
    // watched is no error, as in bpftrace.
    walk(n.args[0]);
    const Expr& arg = *n.args[0];
    if (arg.type.is_none()) return report_missing_value(arg, diags_);
    if (!arg.type.is_integer() && arg.type.kind != TypeKind::Pointer)
      diags_.error(arg.loc,
                   "unwatch() takes the watched address, an integer, not " + arg.type.str());
    return;
  }
  // exit(): nothing to check.
}

void TypeInference::type_aggregation(Call& n) {
  for (auto& a : n.args)
    walk(a);
  if (!n.args.empty()) {
    const Expr& value = *n.args[0];
    if (value.type.is_none()) {
      report_missing_value(value, diags_);
      return;
    }
    if (!value.type.is_integer()) {
      diags_.error(value.loc, n.func + "() needs an integer, not " + value.type.str());
      return;
    }
  }
  if (n.func != "lhist") {
    n.type = Type::aggregation(aggregation_kind(n.func));
    return;
  }
  const char* names[] = {"min", "max", "step"};
  int64_t bounds[3];
  for (int i = 0; i < 3; ++i) {
    auto v = integer_literal(*n.args[i + 1]);
    if (!v) {
      diags_.error(n.args[i + 1]->loc,
                   std::string("lhist() ") + names[i] + " must be an integer literal");
      return;
    }
    bounds[i] = *v;
  }
  if (bounds[0] < 0) {
    diags_.error(n.args[1]->loc,
                 "lhist() min must not be negative, not " + std::to_string(bounds[0]));
    return;
  }
  if (bounds[2] < 1) {
    diags_.error(n.args[3]->loc,
                 "lhist() step must be at least 1, not " + std::to_string(bounds[2]));
    return;
  }
  if (bounds[1] <= bounds[0]) {
    diags_.error(n.args[2]->loc, "lhist() max must be greater than min (" +
                                     std::to_string(bounds[1]) +
                                     " <= " + std::to_string(bounds[0]) + ")");
    return;
  }
  if (bounds[2] > bounds[1] - bounds[0]) { // as bpftrace 0.17: no bucket would fit
    diags_.error(n.args[3]->loc, "lhist() step " + std::to_string(bounds[2]) +
                                     " is larger than the range " +
                                     std::to_string(bounds[1] - bounds[0]) + " from min to max");
    return;
  }
  n.type = Type::lhist(bounds[0], bounds[1], bounds[2]);
}

void TypeInference::type_str(Call& n) {
  Expr& arg = *n.args[0];
  if (auto* param = dynamic_cast<PositionalParam*>(&arg); param && !param->is_count) {
    // str($1): the command-line argument itself, a constant ("" if not given).
    const auto& params = options_.positional_params;
    param->value = param->index >= 1 && static_cast<size_t>(param->index) <= params.size()
                       ? params[param->index - 1]
                       : std::string();
    param->value = param->value.substr(std::min(param->offset, param->value.size()));
    if (n.args.size() >= 2)
      if (auto* len = dynamic_cast<Integer*>(n.args[1].get()))
        param->value = param->value.substr(0, len->value); // str($1, N): N characters
    param->type = Type::string(param->value.size() + 1);
    n.type = Type::string(); // BPFTRACE_STRLEN bytes: a longer argument is cut, as bpftrace
  } else {
    walk(n.args[0]);
    const Type& t = arg.type;
    if (t.is_none()) return report_missing_value(arg, diags_);
    if (t.kind == TypeKind::Pointer) {
      n.type = Type::string();
      n.type.as = t.as; // probe_read_{user,kernel}_str chosen by the pointer's address space
    } else if (t.is_integer()) {
      n.type = Type::string();
      n.type.as = t.as != AddrSpace::None ? t.as : probe_.default_space();
    } else if (t.is_string() && dynamic_cast<FieldAccess*>(&arg)) {
      // A tracepoint's __data_loc or char[] field is already a string; scripts written for
      // bpftrace still wrap it in str().
      n.type = t;
    } else {
      diags_.error(arg.loc, "str() needs a pointer or an integer address, not " + t.str());
      return;
    }
  }
  if (n.args.size() == 2) {
    walk(n.args[1]);
    const Expr& len = *n.args[1];
    if (!len.type.is_none() && !len.type.is_integer()) {
      diags_.error(len.loc, "str() length must be an integer, not " + len.type.str());
      n.type = Type::none();
    }
  }
}

void TypeInference::type_print(Call& n) {
  auto* m = dynamic_cast<Map*>(n.args[0].get());
  if (m && m->keys.empty()) {
    // print(@m [, top [, div]]): the whole map.
    read_map(*m, /*check_key=*/false);
    if (const auto* entry = maps_.find(m->name); entry && entry->key.known)
      m->key_type = entry->key.type;
    for (size_t i = 1; i < n.args.size(); ++i) {
      walk(n.args[i]);
      const Expr& a = *n.args[i];
      // As bpftrace, known while compiling (and cut to 32 bits, codegen/calls.cpp).
      if (!a.type.is_none() && (!a.type.is_integer() || !integer_literal(a)))
        diags_.error(a.loc, std::string("print() ") + (i == 1 ? "top" : "div") +
                                " must be an integer literal, not " +
                                (a.type.is_integer() ? "a computed " : "") + a.type.str());
    }
    return;
  }
  for (auto& a : n.args)
    walk(a);
  if (n.args.size() > 1) {
    diags_.error(n.loc,
                 "print() of a value takes one argument, not " + std::to_string(n.args.size()));
    return;
  }
  const Expr& v = *n.args[0];
  if (v.type.is_none()) return report_missing_value(v, diags_);
  if (!storable(v.type) || v.type.is_aggregation() || v.type.kind == TypeKind::Pointer)
    diags_.error(v.loc, "print() cannot print a value of type " + v.type.str());
}

void TypeInference::type_map_function(Call& n) {
  auto* m = dynamic_cast<Map*>(n.args[0].get());
  bool keyed_form = n.func == "delete" && n.args.size() == 1 && m && !m->keys.empty();
  if (!m || (!keyed_form && !m->keys.empty()) || (n.func != "delete" && n.args.size() != 1)) {
    for (auto& a : n.args)
      if (!dynamic_cast<Map*>(a.get())) // a misplaced map reports only the misplacement
        walk(a);
    diags_.error(n.args[0]->loc, n.func == "delete"
                                     ? "delete() takes a map element: delete(@m[key]) or "
                                       "delete(@m, key)"
                                     : n.func + "() takes a whole map, as in " + n.func + "(@m)");
    return;
  }
  if (keyed_form) {
    read_map(*m, /*check_key=*/true); // delete(@m[k])
    return;
  }
  read_map(*m, /*check_key=*/false);
  if (n.func == "delete") {
    // delete(@m, key) or delete(@m) for the keyless map.
    Type key = Type::none();
    if (n.args.size() == 2) {
      walk(n.args[1]);
      const Expr& k = *n.args[1];
      if (k.type.is_none()) return report_missing_value(k, diags_);
      key = map_storage(k.type);
    }
    maps_.use_key(m->name, key, n.args.size() == 2 ? n.args[1]->loc : m->loc, diags_);
  }
  if (const auto* entry = maps_.find(m->name); entry && entry->key.known)
    m->key_type = entry->key.type;
}

// len(@m): the number of elements (int64); has_key(@m, key): 1 if the key is present, else 0
// (uint64, as comparisons). Both need a map with keys; hist() and lhist() maps, whose elements
// are buckets, are refused.
void TypeInference::type_map_query(Call& n) {
  auto* m = dynamic_cast<Map*>(n.args[0].get());
  bool is_len = n.func == "len";
  if (!m || !m->keys.empty()) {
    for (auto& a : n.args)
      if (!dynamic_cast<Map*>(a.get())) walk(a);
    diags_.error(n.args[0]->loc, is_len ? "len() takes a whole map, as in len(@m)"
                                        : "has_key() takes a map and a key, as in has_key(@m, k)");
    return;
  }
  read_map(*m, /*check_key=*/false);
  const auto* entry = maps_.find(m->name);
  const auto* hint = map_hints_ ? map_hints_->find(m->name) : nullptr;
  const Type* key = entry && entry->key.known ? &entry->key.type
                    : hint && hint->key.known ? &hint->key.type
                                              : nullptr;
  if (!is_len) walk(n.args[1]);
  if (m->type.is_none()) return; // undefined map: reported by read_map()
  if (key && key->is_none()) {
    diags_.error(m->loc, n.func + "() needs a map with keys, and " + m->name + " has none");
    return;
  }
  if (m->type.kind == TypeKind::Hist || m->type.kind == TypeKind::Lhist) {
    diags_.error(m->loc, n.func + "() cannot query " + m->name + ", which holds " + m->type.str() +
                             " values");
    return;
  }
  if (key) m->key_type = *key;
  if (!is_len) {
    const Expr& k = *n.args[1];
    if (k.type.is_none()) return report_missing_value(k, diags_);
    maps_.use_key(m->name, map_storage(k.type), k.loc, diags_);
  }
  n.type = is_len ? Type::i64() : Type::u64();
}

// uptr(p), kptr(p): the same value, read from user or kernel memory whatever the probe.
void TypeInference::type_address_space(Call& n) {
  walk(n.args[0]);
  const Type& t = n.args[0]->type;
  n.type = Type::none();
  if (t.is_none()) return report_missing_value(*n.args[0], diags_);
  if (!is_integer_like(t)) {
    diags_.error(n.args[0]->loc,
                 n.func + "() needs a pointer or an integer address, not " + t.str());
    return;
  }
  n.type = t;
  n.type.as = n.func == "uptr" ? AddrSpace::User : AddrSpace::Kernel;
}

} // namespace tracelet::ast::passes
