// Functions whose work happens in user space or outside the probe (bpftrace's async and
// compile-time functions):
//   time([fmt])            prints the wall time when the event is handled (async)
//   strftime(fmt, nsecs)   a timestamp value, formatted when printed
//   join(argv [, sep])     prints a NULL-terminated array of strings (async)
//   cat(fmt, ...)          prints a file (async); system(fmt, ...) runs a command (async, unsafe)
//   signal(sig)            bpf_send_signal to the current process (unsafe)
//   kaddr(name), uaddr(name), cgroupid(path)   resolved while compiling
//   cgroup_path(id [, filter])  a cgroup id, printed as its paths in the cgroup hierarchies
//                               whose names match the wildcard `filter` (user_values.h)
#include "ast/passes/type_inference.h"

#include <regex>

namespace tracelet::ast::passes {

namespace {

// bpftrace 0.17's signal names: "SIGKILL", "KILL" or "kill"; a name starting with 'S' is
// taken as written (so "SEGV" is not found), others get "SIG" in front.
std::optional<int> signal_number(std::string name) {
  static const std::vector<std::pair<const char*, int>> table = {
      {"SIGABRT", 6},  {"SIGALRM", 14}, {"SIGBUS", 7},     {"SIGCHLD", 17},  {"SIGCONT", 18},
      {"SIGFPE", 8},   {"SIGHUP", 1},   {"SIGILL", 4},     {"SIGINT", 2},    {"SIGKILL", 9},
      {"SIGPIPE", 13}, {"SIGPOLL", 29}, {"SIGQUIT", 3},    {"SIGSEGV", 11},  {"SIGSTOP", 19},
      {"SIGSYS", 31},  {"SIGTERM", 15}, {"SIGTRAP", 5},    {"SIGTSTP", 20},  {"SIGTTIN", 21},
      {"SIGTTOU", 22}, {"SIGURG", 23},  {"SIGUSR1", 10},   {"SIGUSR2", 12},  {"SIGVTALRM", 26},
      {"SIGWINCH", 28}, {"SIGXCPU", 24}, {"SIGXFSZ", 25},
  };
  if (name.empty()) return std::nullopt;
  for (char& c : name)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (name[0] != 'S') name = "SIG" + name;
  for (const auto& [n, v] : table)
    if (name == n) return v;
  return std::nullopt;
}

bool is_unsafe(const std::string& func) {
  return func == "system" || func == "signal";
}

} // namespace

bool is_process_function(const std::string& name) {
  for (const char* f : {"time", "strftime", "join", "cat", "system", "signal", "cgroupid",
                        "kaddr", "uaddr", "cgroup_path"})
    if (name == f) return true;
  return false;
}

std::optional<std::string> TypeInference::literal_string(Expr& e) {
  if (auto* s = dynamic_cast<String*>(&e)) return s->value;
  // str($1): the command-line argument, a constant (bpftrace accepts it as a literal).
  if (auto* c = dynamic_cast<Call*>(&e); c && c->func == "str" && c->args.size() == 1)
    if (auto* p = dynamic_cast<PositionalParam*>(c->args[0].get()); p && !p->is_count) {
      const auto& params = options_.positional_params;
      p->value = p->index >= 1 && static_cast<size_t>(p->index) <= params.size()
                     ? params[p->index - 1]
                     : std::string();
      p->type = Type::string(p->value.size() + 1);
      c->type = p->type;
      return p->value;
    }
  return std::nullopt;
}

// The string literal argument `i` of `n`, or nullopt after reporting that it must be one.
std::optional<std::string> TypeInference::literal_arg(Call& n, size_t i, const char* what) {
  Expr& arg = *n.args[i];
  if (auto s = literal_string(arg)) return s;
  walk(n.args[i]);
  diags_.error(arg.loc, n.func + "() needs a string literal as its " + what +
                            (arg.type.is_none() ? std::string() : " (" + arg.type.str() + " given)"));
  return std::nullopt;
}

void TypeInference::type_process_call(Call& n) {
  const std::string& f = n.func;
  if (is_unsafe(f) && !options_.unsafe && ruled_out_depth_ == 0)
    diags_.error(n.loc, f + "() is an unsafe function being used in safe mode: run with --unsafe "
                            "to allow it");
  if (f == "time") {
    if (!n.args.empty()) literal_arg(n, 0, "format");
    return;
  }
  if (f == "cat" || f == "system") return type_printf(n); // a printf format and its arguments
  if (f == "strftime") {
    auto fmt = literal_arg(n, 0, "format");
    walk(n.args[1]);
    const Expr& ns = *n.args[1];
    if (ns.type.is_none()) return report_missing_value(ns, diags_);
    if (!ns.type.is_integer()) {
      diags_.error(ns.loc, "strftime() needs an integer timestamp in nanoseconds, not " +
                               ns.type.str());
      return;
    }
    if (fmt) n.type = Type::timestamp();
    return;
  }
  if (f == "join") {
    walk(n.args[0]);
    const Expr& arr = *n.args[0];
    if (arr.type.is_none()) {
      report_missing_value(arr, diags_);
    } else if (!is_integer_like(arr.type)) {
      diags_.error(arr.loc, "join() needs a pointer to an array of strings (char **), not " +
                                arr.type.str());
    }
    if (n.args.size() == 2) literal_arg(n, 1, "separator");
    return;
  }
  if (f == "signal") return type_signal(n);
  if (f == "kaddr" || f == "cgroupid") {
    auto name = literal_arg(n, 0, f == "kaddr" ? "symbol name" : "path");
    if (!name) return;
    std::string error;
    auto value = f == "kaddr" ? kernel_.kernel_symbol_address(*name, error)
                              : kernel_.cgroup_id(*name, error);
    if (!value) {
      diags_.error(n.args[0]->loc, f + "(\"" + *name + "\"): " + error);
      return;
    }
    n.constant = *value;
    n.type = Type::u64();
    if (f == "kaddr") n.type.as = AddrSpace::Kernel;
    return;
  }
  if (f == "uaddr") return type_uaddr(n);
  if (f == "cgroup_path") {
    walk(n.args[0]);
    const Expr& id = *n.args[0];
    if (id.type.is_none()) return report_missing_value(id, diags_);
    if (!id.type.is_integer()) {
      diags_.error(id.loc, "cgroup_path() needs an integer cgroup id (as `cgroup`), not " +
                               id.type.str());
      return;
    }
    if (n.args.size() == 2 && !literal_arg(n, 1, "filter")) return;
    n.type = Type::cgroup_path();
  }
}

void TypeInference::type_signal(Call& n) {
  for (const auto& p : probe_.providers)
    if (p == "BEGIN" || p == "END" || p == "interval" || p == "software" || p == "hardware") {
      diags_.error(n.loc, "signal() cannot be used in " + p +
                              " probes: it signals the process that triggered the probe");
      break;
    }
  Expr& arg = *n.args[0];
  if (auto* s = dynamic_cast<String*>(&arg)) {
    auto sig = signal_number(s->value);
    if (!sig)
      diags_.error(arg.loc, "'" + s->value + "' is not a valid signal");
    else
      n.constant = static_cast<uint64_t>(*sig);
    return;
  }
  walk(n.args[0]);
  if (arg.type.is_none()) return report_missing_value(arg, diags_);
  if (auto* i = dynamic_cast<Integer*>(&arg)) {
    if (i->value < 1 || i->value > 64)
      diags_.error(arg.loc, std::to_string(i->value) +
                                " is not a valid signal, allowed range: [1,64]");
    else
      n.constant = i->value;
    return;
  }
  if (!arg.type.is_integer())
    diags_.error(arg.loc, "signal() takes a signal name literal (\"SIGKILL\") or an integer, not " +
                              arg.type.str());
}

void TypeInference::type_uaddr(Call& n) {
  auto name = literal_arg(n, 0, "symbol name");
  if (!name) return;
  bool ok = !probe_.providers.empty();
  for (const auto& p : probe_.providers)
    ok &= p == "uprobe" || p == "uretprobe";
  if (!ok) {
    if (!probe_.unresolved) diags_.error(n.loc, "uaddr() is only available in uprobe and uretprobe probes");
    return;
  }
  static const std::regex valid("^[a-zA-Z0-9./_-]+$");
  if (!std::regex_match(*name, valid)) {
    diags_.error(n.args[0]->loc, "uaddr() needs a symbol name (^[a-zA-Z0-9./_-]+$), not \"" +
                                     *name + "\"");
    return;
  }
  std::optional<std::pair<uint64_t, uint64_t>> first;
  for (const auto& ap : probe_.probe->expanded) {
    std::string error;
    auto sym = kernel_.binary_object_symbol(ap->target, *name, error);
    if (!sym) {
      diags_.error(n.args[0]->loc, "uaddr(\"" + *name + "\"): " + error);
      return;
    }
    if (first && *first != *sym) {
      diags_.error(n.args[0]->loc, "uaddr(\"" + *name +
                                       "\") differs between the binaries of this probe; "
                                       "use one probe per binary");
      return;
    }
    first = sym;
  }
  if (!first) return;
  // bpftrace: a pointer to an unsigned integer of the symbol's size (1, 2 or 4 bytes), else 8.
  uint64_t size = first->second == 1 || first->second == 2 || first->second == 4 ? first->second
                                                                                 : 8;
  n.constant = first->first;
  n.type = Type::pointer(Type::integer(size, false), AddrSpace::User);
}

} // namespace tracelet::ast::passes
