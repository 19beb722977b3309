// Builtins (pid, comm, nsecs, ...) and the tracepoint `args` record.
#include "ast/passes/type_inference.h"

#include <algorithm>

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
      "ctx", "jiffies", "sarg0", "sarg1", "sarg2", "sarg3", "sarg4", "sarg5",
  };
  return names;
}

bool is_register_arg(const std::string& name) {
  return name.size() == 4 && name.rfind("arg", 0) == 0 && name[3] >= '0' && name[3] <= '5';
}

std::string tracepoint_name(const AttachPoint& ap) {
  return ap.target + ":" + ap.func;
}

std::string field_list(const RecordDef& record) {
  std::string s;
  for (const auto& f : record.fields)
    s += (s.empty() ? "" : ", ") + f.name;
  return s;
}

} // namespace

void TypeInference::visit(Builtin& n) {
  n.type = Type::none();
  for (const auto& b : builtin_table())
    if (n.name == b.name) {
      n.type = b.type();
      return;
    }
  if (n.name == "curtask") return type_curtask(n); // kernel_types.cpp
  if ((n.name == "args" || n.name == "retval" || n.name == "func" || is_register_arg(n.name)) &&
      probe_.unresolved)
    return; // depends on an attach point whose error is reported already
  if (n.name == "args") return type_args_builtin(n);
  if (is_register_arg(n.name) || n.name == "retval") {
    bool is_return = n.name == "retval";
    bool ok = !probe_.providers.empty();
    for (const auto& p : probe_.providers)
      ok &= is_return ? (p == "kretprobe" || p == "uretprobe")
                      : (p == "kprobe" || p == "uprobe" || p == "rawtracepoint");
    if (!ok) {
      diags_.error(n.loc, n.name +
                              (is_return ? " is only available in kretprobe and uretprobe"
                                         : " is only available in kprobe, uprobe and "
                                           "rawtracepoint") +
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
    if (!ap->args_record) ap->args_record = kernel_.tracepoint_args(ap->target, ap->func);
    probe_.args_records.push_back(ap->args_record);
    probe_.args_ok &= ap->args_record != nullptr;
  }
  return probe_.args_ok;
}

void TypeInference::type_args_builtin(Builtin& n) {
  if (!probe_.only("tracepoint")) {
    diags_.error(n.loc, "args is only available in tracepoint probes");
    return;
  }
  // A tracepoint that was not found has its error already; args then stays untyped.
  if (load_args_records())
    n.type = Type::pointer(Type::of_record(probe_.args_records.front()), AddrSpace::Kernel);
}

void TypeInference::type_args_field(FieldAccess& n) {
  if (n.base->type.is_none()) return;
  const auto& entries = probe_.probe->expanded;
  const Field* first = nullptr;
  size_t first_entry = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    const RecordDef& record = *probe_.args_records[i];
    const Field* f = record.find(n.field);
    if (!f || !f->type) {
      if (entries.size() == 1)
        diags_.error(n.loc, "tracepoint " + tracepoint_name(*entries[i]) + " has no field '" +
                                n.field + "'; its fields are: " + field_list(record));
      else
        diags_.error(n.loc, "args." + n.field + " is not in every tracepoint of this probe: " +
                                tracepoint_name(*entries[i]) + " has no field '" + n.field +
                                "' (its fields are: " + field_list(record) + ")");
      return;
    }
    if (!first) {
      first = f;
      first_entry = i;
    } else if (*f->type != *first->type || f->is_data_loc != first->is_data_loc) {
      diags_.error(n.loc, "args." + n.field + " has type " + first->type->str() + " in " +
                              tracepoint_name(*entries[first_entry]) + " but " + f->type->str() +
                              " in " + tracepoint_name(*entries[i]));
      return;
    }
  }
  if (first) n.type = *first->type;
}

} // namespace tracelet::ast::passes
