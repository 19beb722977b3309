#include "codegen/helpers.h"

namespace tracelet::codegen {

llvm::Value* Helpers::as_i8ptr(llvm::Value* v) {
  auto* i8p = b_.getInt8PtrTy();
  if (v->getType() == i8p) return v;
  if (v->getType()->isIntegerTy()) return b_.CreateIntToPtr(v, i8p);
  return b_.CreateBitCast(v, i8p);
}

llvm::Value* Helpers::call(HelperId id, llvm::Type* ret, llvm::ArrayRef<llvm::Value*> args,
                           const char* name) {
  std::vector<llvm::Type*> params;
  for (auto* a : args)
    params.push_back(a->getType());
  auto* fn_type = llvm::FunctionType::get(ret, params, false);
  auto* callee =
      b_.CreateIntToPtr(b_.getInt64(static_cast<uint64_t>(id)), llvm::PointerType::get(fn_type, 0));
  llvm::Value* result = b_.CreateCall(fn_type, callee, args, name);
  if (on_result_) on_result_(id, result);
  return result;
}

llvm::Value* Helpers::map_lookup(llvm::Value* map, llvm::Value* key) {
  auto* value =
      call(HelperId::MapLookupElem, b_.getInt8PtrTy(), {as_i8ptr(map), as_i8ptr(key)}, "lookup");
  // The kernel keeps map values 8-byte aligned; saying so lets LLVM use whole-word loads and
  // stores instead of byte-by-byte ones.
  llvm::cast<llvm::CallInst>(value)->addRetAttr(
      llvm::Attribute::getWithAlignment(b_.getContext(), llvm::Align(8)));
  return value;
}

llvm::Value* Helpers::trace_printk(llvm::Value* fmt, uint64_t fmt_size,
                                   llvm::ArrayRef<llvm::Value*> args) {
  std::vector<llvm::Value*> all = {as_i8ptr(fmt), b_.getInt32(static_cast<uint32_t>(fmt_size))};
  all.insert(all.end(), args.begin(), args.end());
  return call(HelperId::TracePrintk, b_.getInt64Ty(), all, "trace_printk");
}

llvm::Value* Helpers::map_update(llvm::Value* map, llvm::Value* key, llvm::Value* value,
                                 uint64_t flags) {
  return call(HelperId::MapUpdateElem, b_.getInt64Ty(),
              {as_i8ptr(map), as_i8ptr(key), as_i8ptr(value), b_.getInt64(flags)}, "update");
}

llvm::Value* Helpers::get_stackid(llvm::Value* ctx, llvm::Value* map, uint64_t flags) {
  return call(HelperId::GetStackid, b_.getInt64Ty(),
              {as_i8ptr(ctx), as_i8ptr(map), b_.getInt64(flags)}, "stackid");
}

llvm::Value* Helpers::map_delete(llvm::Value* map, llvm::Value* key) {
  return call(HelperId::MapDeleteElem, b_.getInt64Ty(), {as_i8ptr(map), as_i8ptr(key)}, "delete");
}

llvm::Value* Helpers::ktime_get_ns() {
  return call(HelperId::KtimeGetNs, b_.getInt64Ty(), {}, "nsecs");
}

llvm::Value* Helpers::call_no_args(HelperId id, const char* name) {
  return call(id, b_.getInt64Ty(), {}, name);
}

llvm::Value* Helpers::get_smp_processor_id() {
  return call(HelperId::GetSmpProcessorId, b_.getInt64Ty(), {}, "cpu");
}

llvm::Value* Helpers::get_current_pid_tgid() {
  return call(HelperId::GetCurrentPidTgid, b_.getInt64Ty(), {}, "pid_tgid");
}

llvm::Value* Helpers::get_current_uid_gid() {
  return call(HelperId::GetCurrentUidGid, b_.getInt64Ty(), {}, "uid_gid");
}

llvm::Value* Helpers::get_current_task() {
  return call(HelperId::GetCurrentTask, b_.getInt64Ty(), {}, "task");
}

llvm::Value* Helpers::get_current_comm(llvm::Value* buf, uint64_t size) {
  return call(HelperId::GetCurrentComm, b_.getInt64Ty(), {as_i8ptr(buf), b_.getInt32(size)},
              "comm");
}

llvm::Value* Helpers::perf_event_output(llvm::Value* ctx, llvm::Value* map, llvm::Value* data,
                                        uint64_t size) {
  return call(HelperId::PerfEventOutput, b_.getInt64Ty(),
              {as_i8ptr(ctx), as_i8ptr(map), b_.getInt64(kBpfFCurrentCpu), as_i8ptr(data),
               b_.getInt64(size)},
              "output");
}

llvm::Value* Helpers::probe_read(HelperId id, llvm::Value* dst, llvm::Value* size,
                                 llvm::Value* src) {
  return call(id, b_.getInt64Ty(), {as_i8ptr(dst), size, as_i8ptr(src)}, "read");
}

llvm::Value* Helpers::send_signal(llvm::Value* sig) {
  return call(HelperId::SendSignal, b_.getInt64Ty(), {sig}, "signal");
}

llvm::Value* Helpers::for_each_map_elem(llvm::Value* map, llvm::Function* callback,
                                        llvm::Value* ctx) {
  return call(HelperId::ForEachMapElem, b_.getInt64Ty(),
              {as_i8ptr(map), as_i8ptr(callback), as_i8ptr(ctx), b_.getInt64(0)}, "for_each");
}

llvm::Value* Helpers::loop(llvm::Value* n, llvm::Function* callback, llvm::Value* ctx) {
  return call(HelperId::Loop, b_.getInt64Ty(),
              {n, as_i8ptr(callback), as_i8ptr(ctx), b_.getInt64(0)}, "loop");
}

} // namespace tracelet::codegen
