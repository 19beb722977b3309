// Builtins (pid, comm, nsecs, ...) and the tracepoint `args` record.
#include "ast/passes/register_access.h"
#include "ast/passes/type_inference.h"
#include "ast/usdt_arguments.h"

#include <algorithm>
#include <set>

namespace tracelet::ast::passes {

namespace {

struct BuiltinDef {
  const char* name;
  Type (*type)();
};

const std::vector<BuiltinDef>& builtin_table() {
  static const std::vector<BuiltinDef> table = {
      {"pid", [] { return Type::integer(4, false); }},
      {"tid", [] { return Type::integer(4, false); }},
      {"uid", [] { return Type::integer(4, false); }},
      {"gid", [] { return Type::integer(4, false); }},
      {"cpu", [] { return Type::integer(4, false); }},
      {"nsecs", [] { return Type::u64(); }},
      {"elapsed", [] { return Type::u64(); }},
      {"comm", [] { return Type::string(16); }},
      {"probe", [] { return Type::probe(); }},
      {"kstack", [] { return Type::stack(false); }},
      {"ustack", [] { return Type::stack(true); }},
      {"rand", [] { return Type::integer(4, false); }},   // bpf_get_prandom_u32
      {"numaid", [] { return Type::integer(4, false); }}, // bpf_get_numa_node_id
      {"cgroup", [] { return Type::u64(); }},             // bpf_get_current_cgroup_id
      {"username", [] { return Type::username(); }},      // the uid, printed as its name
  };
  return table;
}

// bpftrace builtins that tracelet does not implement yet: named as such, not as typos.
const std::vector<std::string>& unsupported_builtins() {
  static const std::vector<std::string> names = {
      "jiffies",
  };
  return names;
}

bool is_register_arg(const std::string& name) {
  return name.size() == 4 && name.rfind("arg", 0) == 0 && name[3] >= '0' && name[3] <= '5';
}

bool is_function_entry_exit(const std::string& provider) {
  return provider == "fentry" || provider == "fexit";
}

// Probes whose `args` are a function's parameters: fentry/fexit (BTF), uprobe (DWARF).
bool has_parameters(const std::string& provider) {
  return is_function_entry_exit(provider) || provider == "uprobe";
}

// "tracepoint syscalls:sys_enter_read" / "function vfs_read" / "function f of /bin/x", for
// messages about args.
std::string args_owner(const AttachPoint& ap) {
  if (ap.provider == "uprobe") return "function " + ap.func + " of " + ap.target;
  return is_function_entry_exit(ap.provider) ? "function " + ap.func
                                             : "tracepoint " + ap.target + ":" + ap.func;
}

// "syscalls:sys_enter_read" / "function vfs_read", inside messages naming several of them.
std::string args_source(const AttachPoint& ap) {
  if (ap.provider == "uprobe") return "function " + ap.func + " of " + ap.target;
  return is_function_entry_exit(ap.provider) ? "function " + ap.func : ap.target + ":" + ap.func;
}

// The fexit return value is the record's last field, "$retval": not a parameter.
constexpr const char* kRetvalField = "$retval";

std::string field_list(const RecordDef& record) {
  std::string s;
  for (const auto& f : record.fields)
    if (f.name != kRetvalField) s += (s.empty() ? "" : ", ") + f.name;
  return s;
}

} // namespace

void TypeInference::visit(Builtin& n) {
  n.type = Type::none();
  if (type_packet_builtin(n)) return; // packet_probes.cpp
  for (const auto& b : builtin_table())
    if (n.name == b.name) {
      n.type = b.type();
      return;
    }
  if (n.name == "curtask") return type_curtask(n); // kernel_types.cpp
  if (n.name == "ctx") return type_ctx(n);         // context_builtin.cpp
  if (is_stack_arg_name(n.name)) return type_stack_arg(n, probe_, diags_); // register_access.cpp
  if ((n.name == "args" || n.name == "retval" || n.name == "func" || is_register_arg(n.name)) &&
      probe_.unresolved)
    return; // depends on an attach point whose error is reported already
  if (n.name == "args") return type_args_builtin(n);
  if (n.name == "retval" && probe_.only("fexit")) return type_fexit_retval(n);
  if (is_register_arg(n.name) && probe_.only("usdt")) return type_usdt_argument(n);
  if (is_register_arg(n.name) || n.name == "retval") {
    bool is_return = n.name == "retval";
    bool ok = !probe_.providers.empty();
    for (const auto& p : probe_.providers)
      ok &= is_return ? (p == "kretprobe" || p == "uretprobe")
                      : (p == "kprobe" || p == "uprobe" || p == "rawtracepoint" ||
                         is_function_entry_exit(p)); // fentry's u64 argument slots
    if (!ok) {
      diags_.error(n.loc, n.name +
                              (is_return ? " is only available in kretprobe, uretprobe and fexit"
                                         : " is only available in kprobe, uprobe, fentry, "
                                           "fexit and rawtracepoint") +
                              " probes");
      return;
    }
    n.type = Type::u64();
    return;
  }
  if (n.name == "func") {
    // The probed function's name: a constant per concrete attach point (codegen stores it).
    bool ok = !probe_.providers.empty();
    for (const auto& p : probe_.providers)
      ok &= p == "kprobe" || p == "kretprobe" || p == "uprobe" || p == "uretprobe" ||
            p == "fentry" || p == "fexit";
    if (!ok) {
      diags_.error(n.loc, "func is only available in kprobe, kretprobe, uprobe, uretprobe, "
                          "fentry and fexit probes");
      return;
    }
    n.type = Type::string(Type::kDefaultStringSize);
    return;
  }
  if (n.name == "cpid") {
    // -c's child pid, known before compiling: a constant, as in bpftrace.
    if (options_.cpid < 0) {
      diags_.error(n.loc, "cpid is only available with -c CMD");
      return;
    }
    n.type = Type::integer(4, false);
    n.constant = options_.cpid;
    return;
  }
  const auto& unsupported = unsupported_builtins();
  if (std::find(unsupported.begin(), unsupported.end(), n.name) != unsupported.end()) {
    diags_.error(n.loc, "builtin '" + n.name + "' is not supported yet");
    return;
  }
  if (type_named_constant(n)) return; // kernel_types.cpp
  std::vector<std::string> names = {"args", "retval", "arg0"};
  for (const auto& b : builtin_table())
    names.push_back(b.name);
  diags_.error(n.loc, "unknown identifier '" + n.name + "'" + did_you_mean(n.name, names));
}

bool TypeInference::load_args_records() {
  if (probe_.args_loaded) return probe_.args_ok;
  probe_.args_loaded = true;
  probe_.args_ok = !probe_.probe->expanded.empty();
  for (auto& ap : probe_.probe->expanded) {
    std::string error;
    if (!ap->args_record && ap->provider == "uprobe")
      ap->args_record = kernel_.binary_function_args(ap->target, ap->func, error); // DWARF
    else if (!ap->args_record)
      ap->args_record = is_function_entry_exit(ap->provider)
                            ? kernel_.function_args(ap->func) // BTF prototype
                            : kernel_.tracepoint_args(ap->target, ap->func);
    probe_.args_records.push_back(ap->args_record);
    probe_.args_errors.push_back(error);
    probe_.args_ok &= ap->args_record != nullptr;
  }
  return probe_.args_ok;
}

void TypeInference::type_args_builtin(Builtin& n) {
  bool functions = !probe_.providers.empty();
  for (const auto& p : probe_.providers)
    functions &= is_function_entry_exit(p);
  if (probe_.providers.count("uretprobe")) {
    diags_.error(n.loc, "args is not available in uretprobe probes (as in bpftrace): read the "
                        "parameters in a uprobe on the function's entry");
    return;
  }
  if (probe_.only("uprobe")) return type_uprobe_args(n);
  if (!probe_.only("tracepoint") && !functions) {
    diags_.error(n.loc, "args is only available in tracepoint, fentry, fexit and uprobe probes");
    return;
  }
  // A tracepoint that was not found has its error already; args then stays untyped.
  if (load_args_records()) {
    n.type = Type::pointer(Type::of_record(probe_.args_records.front()), AddrSpace::Kernel);
    return;
  }
  if (functions)
    for (size_t i = 0; i < probe_.args_records.size(); ++i)
      if (!probe_.args_records[i])
        diags_.error(n.loc, "args: kernel BTF has no prototype for function " +
                                probe_.probe->expanded[i]->func);
}

// uprobe args: the parameters from the binary's DWARF. One located error per reason (several
// functions of one binary without debug info give the same one).
void TypeInference::type_uprobe_args(Builtin& n) {
  for (const auto& ap : probe_.probe->expanded)
    if (ap->offset != 0) { // the registers may no longer hold the parameters there
      diags_.error(n.loc, "args needs the uprobe at the function's entry, not at " + ap->func +
                              "+" + std::to_string(ap->offset));
      return;
    }
  if (load_args_records()) {
    n.type = Type::pointer(Type::of_record(probe_.args_records.front()), AddrSpace::Kernel);
    return;
  }
  std::set<std::string> reported;
  for (size_t i = 0; i < probe_.args_records.size(); ++i)
    if (!probe_.args_records[i] && reported.insert(probe_.args_errors[i]).second)
      diags_.error(n.loc, "args: " + probe_.args_errors[i]);
}

// usdt's argN: the N-th argument spec of every attach point's note; signed if any is.
void TypeInference::type_usdt_argument(Builtin& n) {
  size_t index = static_cast<size_t>(n.name[3] - '0');
  bool is_signed = false;
  for (const auto& ap : probe_.probe->expanded) {
    std::string error;
    auto args = parse_usdt_arguments(ap->usdt_arguments, &error);
    if (!args) {
      diags_.error(n.loc, n.name + ": " + ap->name() + " has an " + error);
      return;
    }
    if (index >= args->size()) {
      diags_.error(n.loc, n.name + ": " + ap->name() + " has " + std::to_string(args->size()) +
                              " argument" + (args->size() == 1 ? "" : "s"));
      return;
    }
    const UsdtArgument& arg = (*args)[index];
    if (arg.kind == UsdtArgument::Kind::Global && !ap->usdt_globals.count(arg.symbol)) {
      auto sym = kernel_.binary_object_symbol(ap->target, arg.symbol, error);
      if (!sym) {
        diags_.error(n.loc,
                     n.name + ": " + ap->name() + " reads global '" + arg.symbol + "': " + error);
        return;
      }
      ap->usdt_globals[arg.symbol] = sym->first;
    }
    is_signed |= arg.is_signed;
  }
  n.type = is_signed ? Type::i64() : Type::u64();
}

// fexit's retval: the function's return type from BTF; every attach point must agree.
void TypeInference::type_fexit_retval(Builtin& n) {
  if (!load_args_records()) {
    for (size_t i = 0; i < probe_.args_records.size(); ++i)
      if (!probe_.args_records[i])
        diags_.error(n.loc, "retval: kernel BTF has no prototype for function " +
                                probe_.probe->expanded[i]->func);
    return;
  }
  const Type* first = nullptr;
  for (size_t i = 0; i < probe_.args_records.size(); ++i) {
    const Field* f = probe_.args_records[i]->find(kRetvalField);
    const std::string& func = probe_.probe->expanded[i]->func;
    if (!f || !f->type) {
      diags_.error(n.loc, "retval: function " + func + " returns void");
      return;
    }
    if (first && *first != *f->type) {
      diags_.error(n.loc, "retval has type " + first->str() + " in function " +
                              probe_.probe->expanded[0]->func + " but " + f->type->str() +
                              " in function " + func);
      return;
    }
    if (!first) first = f->type.get();
  }
  n.type = *first;
}

void TypeInference::type_args_field(FieldAccess& n) {
  if (n.base->type.is_none()) return;
  const auto& entries = probe_.probe->expanded;
  const Field* first = nullptr;
  size_t first_entry = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    const RecordDef& record = *probe_.args_records[i];
    const Field* f = n.field == kRetvalField ? nullptr : record.find(n.field);
    bool function = has_parameters(entries[i]->provider);
    const char* what = function ? "parameter" : "field";
    if (f && !f->type) { // uprobe: in a floating-point register, or a type with no tracelet twin
      diags_.error(n.loc, "parameter '" + n.field + "' of " + args_owner(*entries[i]) +
                              " cannot be read: it is a floating-point value (or a struct "
                              "holding one, or a 128-bit integer), which tracelet has no type for");
      return;
    }
    if (!f || !f->type) {
      if (entries.size() == 1)
        diags_.error(n.loc, args_owner(*entries[i]) + " has no " + what + " '" + n.field +
                                (record.fields.empty() ? "'; it has none"
                                                       : "'; its " + std::string(what) +
                                                             "s are: " + field_list(record)));
      else
        diags_.error(n.loc, "args." + n.field + " is not in every " +
                                (function ? "function" : "tracepoint") + " of this probe: " +
                                args_source(*entries[i]) + " has no " + what + " '" + n.field +
                                "' (its " + what + "s are: " + field_list(record) + ")");
      return;
    }
    if (!first) {
      first = f;
      first_entry = i;
    } else if (*f->type != *first->type || f->is_data_loc != first->is_data_loc) {
      diags_.error(n.loc, "args." + n.field + " has type " + first->type->str() + " in " +
                              args_source(*entries[first_entry]) + " but " + f->type->str() +
                              " in " + args_source(*entries[i]));
      return;
    }
  }
  if (first) n.type = *first->type;
}

} // namespace tracelet::ast::passes
