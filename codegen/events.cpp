// Perf event records to user space: EventHeader {kind, id} then the payload at offset 8.
// Records beyond a few words are built in a per-CPU scratch array (the BPF stack is 512 bytes).
#include "codegen/emitter.h"

namespace tracelet::codegen {

namespace {
constexpr const char* kEventMap = "tl_events";
constexpr const char* kScratchMap = "tl_scratch";
constexpr uint64_t kMaxStackRecord = 32;
} // namespace

llvm::GlobalVariable* IrEmitter::event_map() {
  if (MapDef* def = maps_.find(kEventMap)) return def->gv;
  out_.event_map = kEventMap;
  return maps_.define(kEventMap, kMapPerfEventArray, 4, 4, 0).gv;
}

llvm::Value* IrEmitter::begin_event(EventKind kind, uint32_t id, uint64_t payload_bytes) {
  uint64_t total = 8 + payload_bytes;
  llvm::Value* record = nullptr;
  if (total <= kMaxStackRecord) {
    record = stack_buffer(total, "event");
  } else {
    MapDef* scratch = maps_.find(kScratchMap);
    if (!scratch) scratch = &maps_.define(kScratchMap, kMapPercpuArray, 4, 8, 1);
    if (total > scratch->value_size) scratch->value_size = static_cast<uint32_t>(total);
    auto* key = stack_buffer(4, "zero_key");
    store_scalar(i32c(0), key);
    record = helpers_.map_lookup(map_ptr(scratch->gv), key);
    // The slot always exists; without the check the verifier rejects the access.
    auto* have = llvm::BasicBlock::Create(ctx_, "event_buf", fn_);
    auto* none = llvm::BasicBlock::Create(ctx_, "no_event_buf", fn_);
    b_.CreateCondBr(b_.CreateIsNull(record), none, have);
    b_.SetInsertPoint(none);
    b_.CreateRet(loop_ctx_ ? i64c(0) : pass_verdict());
    b_.SetInsertPoint(have);
  }
  uint64_t header = uint64_t(static_cast<uint32_t>(kind)) | uint64_t(id) << 32;
  store_scalar(i64c(header), record); // {u32 kind; u32 id} in one little-endian store
  return record;
}

void IrEmitter::send_event(llvm::Value* record, uint64_t payload_bytes) {
  helpers_.perf_event_output(ctx_arg_, map_ptr(event_map()), record, 8 + payload_bytes);
}

} // namespace tracelet::codegen
