// Syscall tracepoint wildcards and lists as one raw tracepoint program.
//
// `tracepoint:syscalls:sys_enter_*` is 361 tracepoints. As 361 perf-event tracepoint programs
// they take seconds to attach and far longer to detach (the kernel detaches perf events one at
// a time). All syscall tracepoints fire from the same two raw tracepoints, sys_enter and
// sys_exit, whose context is {struct pt_regs *regs; long id_or_ret}. So a probe on several
// syscall tracepoints of one kind becomes one raw_tp program that
//   - finds the syscall number (sys_enter: ctx[1]; sys_exit: regs->orig_ax),
//   - looks it up in a constant table: 0 for syscalls the probe does not trace, else 1 + the
//     index of the attach point (its "case"),
//   - runs the probe's predicate and body once, where `probe` is the case's tracepoint name
//     and `args.F` the case's field F: the syscall arguments are in registers in order
//     (di, si, dx, r10, r8, r9) at the slots of the tracefs record (offset 16 + 8 * i), the
//     syscall number at offset 8 (__syscall_nr) and sys_exit's return value (`ret`, offset 16)
//     in ctx[1].
// Probes that use args other than through such fields (common_* fields, `args` as a value) or
// that have for loops (whose callbacks see only the program's context) keep one tracepoint
// program per attach point, as do single tracepoints and syscalls missing from the number
// table.
#include "codegen/emitter.h"

#include "ast/diagnostics.h"
#include "codegen/syscall_numbers.h"

#include <algorithm>
#include <set>

namespace tracelet::codegen {

namespace {

// Byte offsets in x86-64's struct pt_regs (arch/x86/include/asm/ptrace.h).
constexpr uint64_t kRegOrigAx = 120;
// The syscall ABI's argument registers: di, si, dx, r10, r8, r9.
constexpr uint64_t kSyscallArgRegs[] = {112, 104, 96, 56, 72, 64};
// tracefs syscall records: __syscall_nr at 8, then 8-byte slots (arguments, or sys_exit's ret).
constexpr uint64_t kSyscallNrOffset = 8;
constexpr uint64_t kFirstSlot = 16;
// The largest syscall number a table covers (numbers above it are never dispatched).
constexpr int kMaxSyscall = 1023;

constexpr std::string_view kEnter = "sys_enter_", kExit = "sys_exit_";

// "sys_enter_openat" -> ("enter", 257); none if not a syscall tracepoint with a known number.
struct SyscallPoint {
  bool exit = false;
  int number = 0;
};

std::optional<SyscallPoint> syscall_point(const ast::AttachPoint& ap) {
  if (ap.provider != "tracepoint" || ap.target != "syscalls") return std::nullopt;
  std::string_view name = ap.func;
  bool exit = name.substr(0, kExit.size()) == kExit;
  if (!exit && name.substr(0, kEnter.size()) != kEnter) return std::nullopt;
  auto number = syscall_number(name.substr(exit ? kExit.size() : kEnter.size()));
  if (!number || *number < 0 || *number > kMaxSyscall) return std::nullopt;
  return SyscallPoint{exit, *number};
}

// Whether every use of `args` in the probe is a field the dispatcher can fill, and the probe
// has no for loop.
class DispatchCheck : public ast::Visitor {
public:
  using Visitor::visit;
  bool ok = true;

  void visit(ast::Builtin& n) override {
    if (n.name == "args") ok = false; // `args` not under a field access
  }
  void visit(ast::FieldAccess& n) override {
    auto* b = dynamic_cast<ast::Builtin*>(n.base.get());
    if (b && b->name == "args") {
      fields.push_back(n.field);
      return;
    }
    Visitor::visit(n);
  }
  void visit(ast::For&) override { ok = false; }

  std::vector<std::string> fields;
};

// Where field `name` of this attach point's record sits: its slot offset, if it is the
// syscall number or an 8-byte argument/return slot.
std::optional<uint64_t> slot_of(const ast::AttachPoint& ap, const std::string& name) {
  if (!ap.args_record) return std::nullopt;
  const ast::Field* f = ap.args_record->find(name);
  if (!f || f->bitfield_bits || f->is_data_loc || !f->type) return std::nullopt;
  if (!f->type->is_integer() && f->type->kind != ast::TypeKind::Pointer) return std::nullopt;
  if (f->offset == kSyscallNrOffset) return f->offset;
  if (f->offset < kFirstSlot || (f->offset - kFirstSlot) % 8 != 0) return std::nullopt;
  if ((f->offset - kFirstSlot) / 8 >= std::size(kSyscallArgRegs)) return std::nullopt;
  return f->offset;
}

bool can_dispatch(ast::Probe& probe, const std::vector<const ast::AttachPoint*>& points) {
  DispatchCheck check;
  if (probe.predicate) probe.predicate->accept(check);
  check.visit(probe.body);
  if (!check.ok) return false;
  for (const auto* ap : points)
    for (const auto& field : check.fields)
      if (!slot_of(*ap, field)) return false;
  return true;
}

} // namespace

// The plan. Per probe and kind (sys_enter, sys_exit), the probe's syscall tracepoints of that
// kind share a dispatcher if there are at least two and can_dispatch() holds. The kernel runs
// the programs of one tracepoint in attach order, and programs are attached in program order;
// but a raw_tp dispatcher and a perf-event tracepoint program on the same syscall run in an
// order that depends on which was registered first in the kernel. So a syscall tracepoint that
// some probe cannot dispatch is taken out of every dispatcher (those probes give it a program
// of its own), until every dispatcher keeps at least two tracepoints that all its sharers
// dispatch too.
IrEmitter::DispatchPlan
IrEmitter::plan_syscall_dispatch(const std::vector<ast::Probe*>& probes,
                                 const std::vector<std::vector<const ast::AttachPoint*>>& points) {
  struct Group {
    size_t probe;
    std::vector<size_t> members; // positions in points[probe]
    bool active;
  };
  std::vector<Group> groups;
  for (size_t p = 0; p < probes.size(); ++p) {
    std::vector<size_t> enter, exit;
    for (size_t i = 0; i < points[p].size(); ++i)
      if (auto sp = syscall_point(*points[p][i])) (sp->exit ? exit : enter).push_back(i);
    for (auto* members : {&enter, &exit}) {
      if (members->empty()) continue;
      std::vector<const ast::AttachPoint*> aps;
      for (size_t i : *members)
        aps.push_back(points[p][i]);
      bool active = members->size() >= 2 && can_dispatch(*probes[p], aps);
      groups.push_back({p, std::move(*members), active});
    }
  }
  for (bool changed = true; changed;) {
    changed = false;
    std::set<std::string> excluded; // tracepoints some probe does not dispatch
    for (const auto& g : groups)
      if (!g.active)
        for (size_t i : g.members)
          excluded.insert(points[g.probe][i]->func);
    for (auto& g : groups) {
      if (!g.active) continue;
      std::erase_if(g.members,
                    [&](size_t i) { return excluded.count(points[g.probe][i]->func) != 0; });
      if (g.members.size() < 2) {
        g.active = false;
        changed = true;
      }
    }
  }
  DispatchPlan plan;
  for (size_t p = 0; p < probes.size(); ++p)
    plan.emplace_back(points[p].size(), false);
  for (const auto& g : groups)
    if (g.active)
      for (size_t i : g.members)
        plan[g.probe][i] = true;
  return plan;
}

std::vector<size_t>
IrEmitter::emit_syscall_dispatchers(ast::Probe& probe,
                                    const std::vector<const ast::AttachPoint*>& points,
                                    const std::vector<bool>& planned, uint64_t probe_base) {
  std::vector<size_t> enter, exit;
  for (size_t i = 0; i < points.size(); ++i)
    if (planned[i]) (syscall_point(*points[i])->exit ? exit : enter).push_back(i);
  for (auto* group : {&enter, &exit})
    if (!group->empty()) emit_syscall_dispatcher(probe, points, *group, probe_base, group == &exit);
  std::vector<size_t> rest; // in the order written
  for (size_t i = 0; i < points.size(); ++i)
    if (!planned[i]) rest.push_back(i);
  return rest;
}

void IrEmitter::emit_syscall_dispatcher(ast::Probe& probe,
                                        const std::vector<const ast::AttachPoint*>& points,
                                        const std::vector<size_t>& group, uint64_t probe_base,
                                        bool exit) {
  const char* raw = exit ? "sys_exit" : "sys_enter";
  const ast::AttachPoint& first = *points[group.front()];
  ProgramDesc desc;
  desc.section = std::string("raw_tp/") + raw;
  desc.provider = "rawtracepoint";
  desc.func = raw;
  desc.probe_name = "tracepoint:syscalls:" + std::string(exit ? kExit : kEnter) + "* (" +
                    std::to_string(group.size()) + " syscalls on raw_tracepoint:" + raw + ")";
  desc.loc = first.loc;
  desc.attach_points = group.size();
  // ap_ is the first tracepoint: builtins and args types behave as in a tracepoint program.
  begin_program(desc, first, std::string("raw_tracepoint:") + raw);
  probe_index_ = probe_base;

  // The case table: syscall number -> 1 + the position of its attach point in the probe's
  // list (so that `probe` is probe_base + position, as with one program per tracepoint),
  // 0 if not traced here.
  std::vector<uint16_t> table;
  for (size_t i : group) {
    int nr = syscall_point(*points[i])->number;
    if (table.size() <= static_cast<size_t>(nr)) table.resize(nr + 1, 0);
    table[nr] = static_cast<uint16_t>(i + 1);
  }
  auto* table_type = llvm::ArrayType::get(b_.getInt16Ty(), table.size());
  auto* table_gv = new llvm::GlobalVariable(
      module_, table_type, true, llvm::GlobalValue::InternalLinkage,
      llvm::ConstantDataArray::get(ctx_, table), desc.func_name + "_cases");
  table_gv->setSection(".rodata");
  table_gv->setAlignment(llvm::Align(8));

  // The dispatcher's own reads are not the user's: -k reports none of them.
  int saved_checks = std::exchange(helper_checks_, 0);
  auto* regs = load_scalar(b_.getInt64Ty(), byte_ptr(ctx_arg_, 0), 8);
  llvm::Value* nr = exit ? read_kernel_u64(regs, kRegOrigAx)
                         : load_scalar(b_.getInt64Ty(), byte_ptr(ctx_arg_, 8), 8);
  helper_checks_ = saved_checks;
  auto* lookup = llvm::BasicBlock::Create(ctx_, "syscall_lookup", fn_);
  auto* traced = llvm::BasicBlock::Create(ctx_, "syscall_traced", fn_);
  auto* skip = llvm::BasicBlock::Create(ctx_, "syscall_skip", fn_);
  b_.CreateCondBr(b_.CreateICmpULT(nr, i64c(table.size())), lookup, skip);
  b_.SetInsertPoint(skip);
  b_.CreateRet(b_.getInt64(0));
  b_.SetInsertPoint(lookup);
  auto* slot = b_.CreateInBoundsGEP(table_type, table_gv, {i64c(0), nr});
  auto* entry = b_.CreateAlignedLoad(b_.getInt16Ty(), slot, llvm::Align(2), "case");
  b_.CreateCondBr(b_.CreateICmpEQ(entry, b_.getInt16(0)), skip, traced);
  b_.SetInsertPoint(traced);

  SyscallDispatch dispatch{
      exit,   regs, nr, b_.CreateZExt(b_.CreateSub(entry, b_.getInt16(1)), b_.getInt64Ty()),
      points, group};
  dispatch_ = &dispatch;
  emit_probe_body(probe);
  dispatch_ = nullptr;
  describe_program();
  out_.programs.push_back(std::move(desc));
  ap_ = nullptr;
}

llvm::Value* IrEmitter::read_kernel_u64(llvm::Value* base, uint64_t offset) {
  auto* buf = stack_buffer(8, "kernel_u64", false);
  helpers_.probe_read(HelperId::ProbeReadKernel, buf, i32c(8), b_.CreateAdd(base, i64c(offset)));
  return load_scalar(b_.getInt64Ty(), buf, 8);
}

llvm::Value* IrEmitter::emit_dispatched_field(const ast::Field& first, ast::FieldAccess& f) {
  const SyscallDispatch& d = *dispatch_;
  auto source_of = [&](uint64_t slot) -> int64_t {
    if (slot == kSyscallNrOffset) return -1; // the syscall number
    if (d.exit) return -2;                   // sys_exit's only slot: ret, ctx[1]
    return static_cast<int64_t>(kSyscallArgRegs[(slot - kFirstSlot) / 8]);
  };
  // Where this field comes from for each case (position in d.points; others stay 0).
  std::vector<int64_t> sources(d.points.size(), 0);
  for (size_t i : d.group)
    sources[i] = source_of(*slot_of(*d.points[i], f.field));
  int saved_checks = std::exchange(helper_checks_, 0);
  llvm::Value* raw;
  int64_t source = sources[d.group.front()];
  bool same =
      std::all_of(d.group.begin(), d.group.end(), [&](size_t i) { return sources[i] == source; });
  if (same && source == -1) {
    raw = d.nr;
  } else if (same && source == -2) {
    raw = load_scalar(b_.getInt64Ty(), byte_ptr(ctx_arg_, 8), 8);
  } else if (same) {
    raw = read_kernel_u64(d.regs, static_cast<uint64_t>(source));
  } else {
    // Registers differ between syscalls: the register's pt_regs offset by case, then one read.
    // (The syscall number is never mixed with arguments: a field has one offset per record.)
    // A power-of-two table, indexed through a mask: a bound the verifier sees whatever LLVM
    // makes of the code (a compare-and-select can be hoisted away from the load).
    size_t size = 1;
    while (size < sources.size())
      size *= 2;
    std::vector<uint16_t> offsets(size, 0);
    for (size_t i = 0; i < sources.size(); ++i) {
      if (sources[i] < 0) throw Error("internal error: args." + f.field + " mixes slot kinds");
      offsets[i] = static_cast<uint16_t>(sources[i]);
    }
    auto* type = llvm::ArrayType::get(b_.getInt16Ty(), offsets.size());
    auto* gv = new llvm::GlobalVariable(module_, type, true, llvm::GlobalValue::InternalLinkage,
                                        llvm::ConstantDataArray::get(ctx_, offsets),
                                        std::string(fn_->getName()) + "_" + f.field);
    gv->setSection(".rodata");
    gv->setAlignment(llvm::Align(8));
    auto* index = b_.CreateAnd(d.case_index, i64c(size - 1));
    auto* off = b_.CreateAlignedLoad(
        b_.getInt16Ty(), b_.CreateInBoundsGEP(type, gv, {i64c(0), index}), llvm::Align(2));
    auto* buf = stack_buffer(8, "syscall_arg", false);
    helpers_.probe_read(HelperId::ProbeReadKernel, buf, i32c(8),
                        b_.CreateAdd(d.regs, b_.CreateZExt(off, b_.getInt64Ty())));
    raw = load_scalar(b_.getInt64Ty(), buf, 8);
  }
  helper_checks_ = saved_checks;
  // As a tracepoint program reads it: the field's own width from its slot, then its type.
  if (first.type->size() < 8) raw = b_.CreateTrunc(raw, b_.getIntNTy(first.type->size() * 8));
  const ast::Type& as_read = first.type->is_integer() ? *first.type : f.type;
  return convert_int(raw, as_read, f.type);
}

} // namespace tracelet::codegen
