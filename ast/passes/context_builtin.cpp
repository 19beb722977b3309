// The `ctx` builtin: the probe's context pointer, typed per probe kind as bpftrace 0.17 types it
// (`struct pt_regs *` in kprobes, uprobes and usdt; `struct bpf_perf_event_data *` in the
// perf-event probes) and, beyond bpftrace, `struct xdp_md *` / `struct __sk_buff *` in the
// packet probes. Its pointers are in AddrSpace::Ctx: codegen reads them with direct loads at
// constant offsets (codegen/context_reads.cpp), so only what the verifier allows type-checks:
// fields, embedded records, arrays at constant indexes, casts to other struct pointers.
#include "ast/passes/type_inference.h"

#include <map>
#include <set>

namespace tracelet::ast::passes {

namespace {

// Provider -> the context's kernel struct, or (starting with "!") why ctx is refused there.
const std::map<std::string, std::string>& context_records() {
  static const std::map<std::string, std::string> table = {
      {"kprobe", "struct pt_regs"},
      {"kretprobe", "struct pt_regs"},
      {"uprobe", "struct pt_regs"},
      {"uretprobe", "struct pt_regs"},
      {"usdt", "struct pt_regs"},
      {"profile", "struct bpf_perf_event_data"},
      {"interval", "struct bpf_perf_event_data"},
      {"software", "struct bpf_perf_event_data"},
      {"hardware", "struct bpf_perf_event_data"},
      {"watchpoint", "struct bpf_perf_event_data"},
      {"asyncwatchpoint", "struct bpf_perf_event_data"},
      {"xdp", "struct xdp_md"},
      {"tc", "struct __sk_buff"},
      {"BEGIN", "!ctx is not available in BEGIN probes: they run before any event, with no "
                "probe context"},
      {"END", "!ctx is not available in END probes: they run after the last event, with no "
              "probe context"},
      {"tracepoint", "!use args instead of ctx in tracepoint probes"},
      {"fentry", "!ctx is not available in fentry probes: read the function's arguments with "
                 "args"},
      {"fexit", "!ctx is not available in fexit probes: read the function's arguments with args "
                "and its return value with retval"},
      {"rawtracepoint", "!ctx is not available in rawtracepoint probes: read the arguments with "
                        "arg0, arg1, ..."},
  };
  return table;
}

// Fields of the packet contexts that the verifier turns into packet pointers (read them
// through the header builtins, which are bounds-checked) or refuses in these programs.
const std::map<std::string, std::set<std::string>>& refused_packet_fields() {
  static const std::map<std::string, std::set<std::string>> table = {
      {"struct xdp_md", {"data", "data_end", "data_meta", "egress_ifindex"}},
      {"struct __sk_buff", {"data", "data_end", "data_meta", "flow_keys", "sk"}},
  };
  return table;
}

} // namespace

void TypeInference::type_ctx(Builtin& n) {
  if (probe_.unresolved) return; // the attach point's error is reported already
  std::string record_name, first_provider;
  for (const auto& p : probe_.providers) {
    auto it = context_records().find(p);
    if (it == context_records().end()) {
      diags_.error(n.loc, "ctx is not available in " + p + " probes");
      return;
    }
    if (it->second[0] == '!') {
      diags_.error(n.loc, it->second.substr(1));
      return;
    }
    if (!record_name.empty() && record_name != it->second) {
      diags_.error(n.loc, "ctx is a " + record_name + " * in " + first_provider + " probes but a " +
                              it->second + " * in " + p + " probes: use it in probes of one kind");
      return;
    }
    if (record_name.empty()) first_provider = p;
    record_name = it->second;
  }
  if (record_name.empty()) return; // a probe without attach points: reported elsewhere
  auto record = kernel_.kernel_record(record_name);
  if (!record) {
    diags_.error(n.loc, "ctx needs the kernel's BTF, and " + record_name + " is not in it");
    return;
  }
  kept_records_.push_back(record);
  n.type = Type::pointer(Type::of_record(record, AddrSpace::Ctx), AddrSpace::Ctx);
}

// A field of a record in the context: an integer, an embedded record or array (still in the
// context), or a pointer (to kernel memory).
bool TypeInference::check_context_field(FieldAccess& n, const RecordDef& record) {
  auto refused = refused_packet_fields().find(record.name);
  if (refused != refused_packet_fields().end() && refused->second.count(n.field)) {
    diags_.error(n.loc, "ctx->" + n.field + " of " + record.name +
                            " cannot be read here: the packet's bytes are read through the "
                            "header builtins (eth, ip, tcp, ...), which check their bounds");
    return false;
  }
  if (n.type.kind == TypeKind::Pointer) n.type.as = AddrSpace::Kernel;
  return true;
}

// The context record of this probe's kind (type_ctx reported any disagreement).
const RecordDef* TypeInference::probe_context_record() {
  if (probe_.providers.empty()) return nullptr;
  auto it = context_records().find(*probe_.providers.begin());
  if (it == context_records().end() || it->second[0] == '!') return nullptr;
  auto record = kernel_.kernel_record(it->second);
  if (record) kept_records_.push_back(record);
  return record.get();
}

// `(T)ctx`: to another struct pointer (still the context, so no larger than it) or to an
// integer (its address).
bool TypeInference::check_context_cast(Cast& n, const Type& target) {
  if (target.kind == TypeKind::Pointer) {
    if (!target.pointee || target.pointee->kind != TypeKind::Record) {
      diags_.error(n.loc, "ctx can be cast to a struct pointer or an integer, not to " +
                              target.str() + " (as in bpftrace)");
      return false;
    }
    const RecordDef* context = probe_context_record();
    if (context && target.pointee->size() > context->size) {
      diags_.error(n.loc, "ctx is a " + context->name + " of " + std::to_string(context->size) +
                              " bytes in these probes; " + target.pointee->str() + " (" +
                              std::to_string(target.pointee->size()) +
                              " bytes) would read past its end");
      return false;
    }
    return true;
  }
  n.type.as = AddrSpace::Kernel; // the context's address, a plain kernel address from here on
  return true;
}

// Indexing inside the context: arrays at constant indexes within their bounds (the verifier
// allows only constant ctx offsets); the context pointer itself is not an array.
bool TypeInference::check_context_index(Index& n) {
  const Type& t = n.base->type;
  if (t.kind == TypeKind::Pointer) {
    diags_.error(n.loc, "ctx cannot be indexed: read its fields (ctx->field)");
    return false;
  }
  auto* literal = dynamic_cast<Integer*>(n.index.get());
  if (!literal || literal->value >= t.count) {
    diags_.error(n.index->loc, "an array in ctx is indexed with a constant from 0 to " +
                                   std::to_string(t.count - 1));
    return false;
  }
  return true;
}

// `*ctx`: the whole record, copied with 8-byte loads; the packet contexts allow only loads of
// each field's own size, and some of their fields not at all.
bool TypeInference::check_context_deref(Unary& n) {
  const Type& pointee = *n.operand->type.pointee;
  if (pointee.record && refused_packet_fields().count(pointee.record->name)) {
    diags_.error(n.loc, "ctx of a packet probe (" + pointee.record->name +
                            ") is read field by field (ctx->field), not whole");
    return false;
  }
  return true;
}

// Functions that would read memory through the context pointer (str, buf, kptr, ...) would
// read the kernel's own context struct, which for perf events and packets is not the one ctx
// is typed as; the formatting functions only print its address.
bool TypeInference::check_context_arguments(Call& n) {
  static const std::set<std::string> formatting = {"printf", "system", "cat", "debugf"};
  if (formatting.count(n.func)) return true;
  for (auto& a : n.args)
    if (holds_context(a->type)) {
      diags_.error(a->loc, "ctx cannot be passed to " + n.func +
                               "(): read its fields (ctx->field), or pass (uint64)ctx");
      return false;
    }
  return true;
}

// Whether `t` holds the context pointer (alone or in a tuple), which maps cannot keep: as in
// bpftrace, store (uint64)ctx.
bool holds_context(const Type& t) {
  if (t.kind == TypeKind::Pointer) return t.as == AddrSpace::Ctx;
  for (const auto& e : t.elems)
    if (holds_context(e)) return true;
  return false;
}

} // namespace tracelet::ast::passes
