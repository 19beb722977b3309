// reg("name") and sarg0..sargN: the probed task's registers (x86-64 struct pt_regs) and the
// integer arguments it passed on the stack, in probes whose context holds pt_regs.
#include "ast/passes/register_access.h"

#include "ast/registers.h"

#include <cctype>

namespace tracelet::ast::passes {

namespace {

// Probe kinds whose context starts with the interrupted task's struct pt_regs (perf event
// programs get struct bpf_perf_event_data, whose first member is it).
bool has_pt_regs(const std::string& provider) {
  return provider == "kprobe" || provider == "kretprobe" || provider == "uprobe" ||
         provider == "uretprobe" || provider == "usdt" || provider == "profile" ||
         provider == "software" || provider == "hardware";
}

std::string kinds_of(const ProbeContext& probe) {
  std::string s;
  for (const auto& p : probe.providers)
    s += (s.empty() ? "" : ", ") + p;
  return s;
}

} // namespace

bool is_stack_arg_name(const std::string& name) {
  if (name.size() < 5 || name.rfind("sarg", 0) != 0) return false;
  for (size_t i = 4; i < name.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(name[i]))) return false;
  return name.size() <= 7; // sarg0 .. sarg999
}

void type_reg_call(Call& n, const ProbeContext& probe, Diagnostics& diags) {
  auto* name = dynamic_cast<String*>(n.args[0].get());
  if (!name) {
    diags.error(n.args[0]->loc, "reg() needs a register name as a string literal, as in "
                                "reg(\"ip\")");
    return;
  }
  name->type = Type::string(name->value.size() + 1);
  if (!pt_regs_offset(name->value)) {
    diags.error(name->loc,
                "'" + name->value + "' is not an x86-64 register; reg() knows " + register_names());
    return;
  }
  if (probe.unresolved) return;
  bool ok = !probe.providers.empty();
  for (const auto& p : probe.providers)
    ok &= has_pt_regs(p);
  if (!ok) {
    diags.error(n.loc, "reg() reads the registers of kprobe, kretprobe, uprobe, uretprobe, "
                       "usdt, profile, software and hardware probes, not of " +
                           kinds_of(probe) + " probes");
    return;
  }
  n.type = Type::u64();
}

void type_stack_arg(Builtin& n, const ProbeContext& probe, Diagnostics& diags) {
  if (probe.unresolved) return;
  bool ok = !probe.providers.empty();
  for (const auto& p : probe.providers)
    ok &= p == "kprobe" || p == "uprobe";
  if (!ok) {
    diags.error(n.loc, n.name + " (an argument passed on the stack) is only available in "
                                "kprobe and uprobe probes");
    return;
  }
  n.type = Type::u64();
}

} // namespace tracelet::ast::passes
