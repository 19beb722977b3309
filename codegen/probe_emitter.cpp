// One BPF function per concrete attach point, in the section libbpf expects for it.
#include "codegen/emitter.h"
#include "codegen/located_error.h"

#include "ast/diagnostics.h"
#include "ast/watchpoints.h"
#include "codegen/probe_context.h"
#include "codegen/watchpoint_events.h"

#include <csignal>

#include <cctype>

namespace tracelet::codegen {

namespace {

// A C identifier naming the program: "p3_tracepoint_syscalls_sys_enter_openat".
std::string function_name(size_t index, const std::string& probe_name) {
  std::string name = "p" + std::to_string(index) + "_";
  for (char c : probe_name)
    name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

} // namespace

std::string IrEmitter::section_for(const ast::AttachPoint& ap) {
  // BEGIN/END: raw tracepoint programs the runtime runs once with BPF_PROG_TEST_RUN.
  if (ap.provider == "BEGIN" || ap.provider == "END") return "raw_tp";
  if (ap.provider == "interval") return "perf_event";
  if (ap.provider == "tracepoint") return "tracepoint/" + ap.target + "/" + ap.func;
  if (std::string section = probe_kind_section(ap); !section.empty()) return section;
  fail_at(ap, ap.provider + " probes not supported yet");
}

void IrEmitter::emit_license() {
  // The kernel allows GPL-only helpers (probe_read_*, perf_event_output) for GPL programs.
  auto* data = llvm::ConstantDataArray::getString(ctx_, "GPL", true);
  auto* license = new llvm::GlobalVariable(module_, data->getType(), true,
                                           llvm::GlobalValue::ExternalLinkage, data, "_license");
  license->setSection("license");
}

void IrEmitter::emit_probe_program(ast::Probe& probe, const ast::AttachPoint& ap,
                                   uint64_t probe_index) {
  ProgramDesc desc;
  desc.section = section_for(ap);
  desc.provider = ap.provider;
  desc.target = ap.target;
  desc.func = ap.func;
  desc.freq = ap.freq;
  desc.offset = ap.offset;
  desc.usdt_location = ap.usdt_location;
  desc.probe_name = ap.name();
  desc.loc = ap.loc;
  if (ast::is_watchpoint(ap.provider)) { // see codegen/watchpoint_events.h
    desc.target = ap.parts[3];           // the mode
    desc.offset = ap.func.empty() ? ap.offset : 0;
  }
  begin_program(desc, ap);
  probe_index_ = probe_index;
  emit_probe_body(probe);
  describe_program();
  out_.programs.push_back(std::move(desc));
  ap_ = nullptr;
  if (!ast::is_watchpoint(ap.provider) || ap.func.empty()) return;
  // FUNCTION+argN: the uprobe on FUNCTION that sends argN for this program (whose index the
  // event names) to user space, which sets the breakpoint there (codegen/watchpoint_events.h).
  // The synchronous kind first stops the process, so that no access is missed meanwhile.
  uint32_t watch_program = static_cast<uint32_t>(out_.programs.size() - 1);
  ast::AttachPoint uprobe = ap; // argN is read from the uprobe's pt_regs
  uprobe.provider = "uprobe";
  ProgramDesc setup;
  setup.section = "uprobe";
  setup.provider = ap.provider + "_setup";
  setup.target = ap.target;
  setup.func = ap.func;
  setup.probe_name = ap.name();
  setup.loc = ap.loc;
  setup.attach_points = 0; // part of the watchpoint probe: "Attaching 1 probe..."
  begin_program(setup, uprobe, "uprobe:" + ap.target + ":" + ap.func);
  if (ap.provider == "watchpoint") helpers_.send_signal(i32c(SIGSTOP));
  auto* address = emit_context_builtin(b_, ctx_arg_, "arg" + std::to_string(ap.offset), uprobe);
  auto* record = begin_event(static_cast<EventKind>(kWatchpointAttach), watch_program, 8);
  store_scalar(address, byte_ptr(record, 8));
  send_event(record, 8);
  b_.CreateRet(i64c(0));
  describe_program();
  out_.programs.push_back(std::move(setup));
  ap_ = nullptr;
}

void IrEmitter::begin_program(ProgramDesc& desc, const ast::AttachPoint& ap,
                              const std::string& name) {
  desc.func_name = function_name(out_.programs.size(), name.empty() ? desc.probe_name : name);

  auto* fn_type = llvm::FunctionType::get(b_.getInt64Ty(), {b_.getInt8PtrTy()}, false);
  fn_ = llvm::Function::Create(fn_type, llvm::Function::ExternalLinkage, desc.func_name, module_);
  fn_->setSection(desc.section);
  fn_->addFnAttr(llvm::Attribute::NoUnwind);
  uses_callback_ = false;
  ctx_arg_ = fn_->getArg(0);
  ctx_arg_->setName("ctx");
  entry_ = llvm::BasicBlock::Create(ctx_, "entry", fn_);
  b_.SetInsertPoint(entry_);
  ap_ = &ap;
  vars_.clear();
  loops_.clear();
  loop_ctx_ = nullptr;
  temporaries_.clear();
}

void IrEmitter::describe_program() {
  // The first kFullBtfPrograms programs keep their BTF records (so .BTF.ext is never empty).
  debug_info_.describe_program(*fn_, out_.programs.size() < kFullBtfPrograms || uses_callback_);
}

void IrEmitter::emit_probe_body(ast::Probe& probe) {
  packet_.reset();
  if (is_packet_program()) emit_packet_prologue(probe); // packet.cpp
  if (probe.predicate) {
    // A false predicate ends the program before the body.
    auto* body = llvm::BasicBlock::Create(ctx_, "body", fn_);
    auto* skip = llvm::BasicBlock::Create(ctx_, "skip", fn_);
    size_t mark = temporaries_.size();
    b_.CreateCondBr(emit_cond(*probe.predicate), body, skip);
    b_.SetInsertPoint(skip);
    b_.CreateRet(pass_verdict());
    b_.SetInsertPoint(body);
    end_temporaries(mark);
  }
  emit_block(probe.body);
  b_.CreateRet(pass_verdict());
}

} // namespace tracelet::codegen
