// -k / -kk: after a checked helper call, `if (ret < 0)` sends a HelperError event naming the
// helper and the statement or expression it served; the runtime prints it as a located warning
// (or a helper_error JSON line), as bpftrace does. -k checks map updates and deletes; -kk also
// the memory reads, which fail routinely on unmapped addresses.
#include "codegen/emitter.h"

namespace tracelet::codegen {

namespace {

const char* checked_helper_name(HelperId id, int level) {
  switch (id) {
  case HelperId::MapUpdateElem:
    return "map_update_elem";
  case HelperId::MapDeleteElem:
    return "map_delete_elem";
  case HelperId::ProbeReadUser:
    return level > 1 ? "probe_read_user" : nullptr;
  case HelperId::ProbeReadKernel:
    return level > 1 ? "probe_read_kernel" : nullptr;
  case HelperId::ProbeReadUserStr:
    return level > 1 ? "probe_read_user_str" : nullptr;
  case HelperId::ProbeReadKernelStr:
    return level > 1 ? "probe_read_kernel_str" : nullptr;
  default:
    return nullptr;
  }
}

} // namespace

void IrEmitter::check_helper(HelperId id, llvm::Value* result) {
  // helper_checks_ is 0 while emitting calls that are never checked (bucket_delete.cpp).
  const char* name = helper_checks_ > 0 ? checked_helper_name(id, helper_checks_) : nullptr;
  // The event it sends uses only unchecked helpers (perf_event_output, map lookups).
  if (!name || !fn_) return;
  send_helper_error(name, b_.CreateICmpSLT(result, i64c(0)), result);
}

// -kk: a read of a map element that is not there (it reads as zero), as bpftrace's
// "Failed to map_lookup_elem: 0". Only lookups whose value the script reads come here.
void IrEmitter::check_map_lookup(llvm::Value* value_ptr) {
  if (helper_checks_ < 2 || !fn_) return;
  send_helper_error("map_lookup_elem", b_.CreateIsNull(value_ptr), i64c(0));
}

void IrEmitter::send_helper_error(const char* name, llvm::Value* failed_cond, llvm::Value* result) {
  auto index = static_cast<uint32_t>(out_.helper_errors.size());
  out_.helper_errors.push_back({name, current_loc_ ? *current_loc_ : Location{}});
  auto* failed = llvm::BasicBlock::Create(ctx_, "helper_failed", fn_);
  auto* next = llvm::BasicBlock::Create(ctx_, "helper_ok", fn_);
  b_.CreateCondBr(failed_cond, failed, next);
  b_.SetInsertPoint(failed);
  // The record lives only in this block: with lifetime markers LLVM gives the records of all
  // checks one stack slot (32 checked reads of a join() took 512 bytes, the whole BPF stack).
  auto* record = stack_buffer(16, "helper_error");
  b_.CreateLifetimeStart(record, b_.getInt64(16));
  uint64_t header = uint64_t(static_cast<uint32_t>(EventKind::HelperError)) | uint64_t(index) << 32;
  store_scalar(i64c(header), record); // {u32 kind; u32 id}, as begin_event()
  store_scalar(result, byte_ptr(record, 8));
  send_event(record, 8);
  b_.CreateLifetimeEnd(record, b_.getInt64(16));
  b_.CreateBr(next);
  b_.SetInsertPoint(next);
}

} // namespace tracelet::codegen
