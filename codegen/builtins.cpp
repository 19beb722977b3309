// Builtin variables: pid, tid, uid, gid, cpu, nsecs, elapsed, comm, probe, args.
#include "codegen/emitter.h"
#include "codegen/located_error.h"

#include "ast/diagnostics.h"
#include "ast/registers.h"
#include "ast/usdt_arguments.h"
#include "codegen/probe_context.h"

namespace tracelet::codegen {

using ast::Type;

namespace {
constexpr const char* kStartTimeMap = "tl_start_time";
}

llvm::Value* IrEmitter::emit_builtin_scalar(ast::Builtin& b) {
  const std::string& n = b.name;
  if (b.constant) // a named constant resolved by type inference
    return convert_int(i64c(static_cast<uint64_t>(*b.constant)), Type::i64(), b.type);
  llvm::Value* v = emit_packet_builtin(b); // packet.cpp
  if (v) {
  } else if (n == "pid" || n == "tid") {
    auto* pid_tgid = helpers_.get_current_pid_tgid();
    v = n == "pid" ? b_.CreateLShr(pid_tgid, 32) : pid_tgid;
  } else if (n == "username") {
    v = b_.CreateAnd(helpers_.get_current_uid_gid(), i64c(0xffffffffULL)); // the uid
  } else if (n == "uid" || n == "gid") {
    auto* uid_gid = helpers_.get_current_uid_gid();
    v = n == "gid" ? b_.CreateLShr(uid_gid, 32) : uid_gid;
  } else if (n == "cpu") {
    v = helpers_.get_smp_processor_id();
  } else if (n == "nsecs") {
    v = helpers_.ktime_get_ns();
  } else if (n == "elapsed") {
    // nsecs minus the start time the runtime stored in a 1-entry array before attaching.
    MapDef* def = maps_.find(kStartTimeMap);
    if (!def) {
      def = &maps_.define(kStartTimeMap, kMapArray, 4, 8, 1);
      out_.start_time_map = kStartTimeMap;
    }
    auto* key = stack_buffer(4, "zero_key");
    store_scalar(i32c(0), key);
    auto* slot = helpers_.map_lookup(map_ptr(def->gv), key);
    auto* now = helpers_.ktime_get_ns();
    auto* have = llvm::BasicBlock::Create(ctx_, "start_time", fn_);
    auto* done = llvm::BasicBlock::Create(ctx_, "elapsed", fn_);
    auto* before = b_.GetInsertBlock();
    b_.CreateCondBr(b_.CreateIsNull(slot), done, have);
    b_.SetInsertPoint(have);
    auto* since = b_.CreateSub(now, load_scalar(b_.getInt64Ty(), slot, 8));
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
    auto* phi = b_.CreatePHI(b_.getInt64Ty(), 2);
    phi->addIncoming(now, before);
    phi->addIncoming(since, have);
    v = phi;
  } else if (n == "probe") {
    v = dispatch_ ? b_.CreateAdd(i64c(probe_index_), dispatch_->case_index) : i64c(probe_index_);
  } else if (n == "rand") {
    v = helpers_.call_no_args(HelperId::GetPrandomU32, "rand");
  } else if (n == "numaid") {
    v = helpers_.call_no_args(HelperId::GetNumaNodeId, "numaid");
  } else if (n == "cgroup") {
    v = helpers_.call_no_args(HelperId::GetCurrentCgroupId, "cgroup");
  } else if (n.rfind("sarg", 0) == 0 && ap_ &&
             (ap_->provider == "uprobe" || ap_->provider == "kprobe")) {
    // sargN on function entry: the N-th integer argument passed on the stack, 8 bytes above
    // the return address at sp: *(sp + 8 * (N + 1)), from user memory in uprobes.
    uint64_t index = std::stoull(n.substr(4));
    auto* sp = emit_register(b_, ctx_arg_, ast::kPtRegsSp);
    auto* buf = stack_buffer(8, "sarg");
    store_scalar(i64c(0), buf);
    helpers_.probe_read(ap_->provider == "uprobe" ? HelperId::ProbeReadUser
                                                  : HelperId::ProbeReadKernel,
                        buf, i32c(8), b_.CreateAdd(sp, i64c(8 * (index + 1))));
    v = load_scalar(b_.getInt64Ty(), buf, 8);
  } else if (n == "curtask") {
    v = helpers_.get_current_task();
  } else if (n == "retval" && ap_ && ap_->provider == "fexit") {
    // After the arguments in fexit's u64 context array (slot from the BTF prototype).
    const ast::Field* ret = ap_->args_record ? ap_->args_record->find("$retval") : nullptr;
    if (!ret) throw Error("internal error: fexit:" + ap_->func + " without a return slot");
    v = load_scalar(b_.getInt64Ty(), byte_ptr(ctx_arg_, ret->offset), 8);
  } else if (ap_ && ap_->provider == "usdt" && n.rfind("arg", 0) == 0) {
    v = emit_usdt_argument(b);
  } else if (ap_ && is_context_builtin(n, *ap_)) {
    v = emit_context_builtin(b_, ctx_arg_, n, *ap_); // arg0..argN, retval
  } else if (n == "ctx") { // its fields are read from ctx_arg_ itself (context_reads.cpp)
    v = b_.CreatePtrToInt(ctx_arg_, b_.getInt64Ty());
  } else if (n == "args" && is_tracepoint_args(b)) {
    v = b_.CreatePtrToInt(ctx_arg_, b_.getInt64Ty());
  } else {
    fail_at(b, "builtin " + n + " not supported yet" +
                   (ap_ ? " in " + ap_->provider + " probes" : ""));
  }
  return convert_int(v, Type::u64(), b.type);
}

// A USDT argument as its note describes it: a register of pt_regs, memory at a register plus
// a displacement and an optional index register times a scale (user memory of the traced
// process), or a constant (extended at parse time); sign- or zero-extended
// from its size to 64 bits.
llvm::Value* IrEmitter::emit_usdt_argument(ast::Builtin& b) {
  std::string error;
  auto args = ast::parse_usdt_arguments(ap_->usdt_arguments, &error);
  size_t index = static_cast<size_t>(b.name[3] - '0');
  if (!args || index >= args->size())
    throw Error("internal error: " + b.name + " of " + ap_->name() + ": " + error);
  const ast::UsdtArgument& arg = (*args)[index];
  llvm::Value* v = nullptr;
  if (arg.kind == ast::UsdtArgument::Kind::Constant) return i64c(static_cast<uint64_t>(arg.value));
  llvm::Value* reg = load_scalar(b_.getInt64Ty(), byte_ptr(ctx_arg_, arg.pt_regs_offset), 8);
  if (arg.kind == ast::UsdtArgument::Kind::Register) {
    v = arg.bytes < 8 ? b_.CreateTrunc(reg, b_.getIntNTy(arg.bytes * 8)) : reg;
  } else {
    auto* buf = stack_buffer(8, "usdt_arg");
    store_scalar(i64c(0), buf);
    llvm::Value* addr = nullptr;
    if (arg.kind == ast::UsdtArgument::Kind::Global) {
      // "sym(%rip)": the global's ELF address moved by the binary's load bias, which is where
      // this marker copy runs (a uprobe sees ip at the probed instruction) less its ELF address.
      auto global = ap_->usdt_globals.find(arg.symbol);
      if (global == ap_->usdt_globals.end())
        throw Error("internal error: global " + arg.symbol + " of " + ap_->name() + " unresolved");
      llvm::Value* bias = b_.CreateSub(reg, i64c(ap_->usdt_location));
      addr = b_.CreateAdd(bias, i64c(global->second + static_cast<uint64_t>(arg.value)));
    } else {
      addr = b_.CreateAdd(reg, i64c(static_cast<uint64_t>(arg.value)));
    }
    if (arg.scale) { // disp(%base,%index,scale)
      llvm::Value* index =
          load_scalar(b_.getInt64Ty(), byte_ptr(ctx_arg_, arg.index_pt_regs_offset), 8);
      addr = b_.CreateAdd(addr, b_.CreateMul(index, i64c(arg.scale)));
    }
    helpers_.probe_read(HelperId::ProbeReadUser, buf, i32c(arg.bytes), addr);
    v = load_scalar(b_.getIntNTy(arg.bytes * 8), buf, 8);
  }
  if (arg.bytes == 8) return v;
  return arg.is_signed ? b_.CreateSExt(v, b_.getInt64Ty()) : b_.CreateZExt(v, b_.getInt64Ty());
}

void IrEmitter::emit_comm_into(llvm::Value* dst, uint64_t dst_bytes, bool zero_tail) {
  constexpr uint64_t kCommBytes = 16; // TASK_COMM_LEN
  uint64_t n = std::min(dst_bytes, kCommBytes);
  // The helper NUL-pads the whole buffer it is given.
  helpers_.get_current_comm(dst, n);
  if (dst_bytes > n && zero_tail) zero_bytes(byte_ptr(dst, n), dst_bytes - n);
}

} // namespace tracelet::codegen
