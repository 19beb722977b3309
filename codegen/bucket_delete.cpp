// delete(@h[k]) of a hist()/lhist() map. Such a map holds one BPF entry per (user key, bucket)
// (ast/types.h), so removing a user key removes the entry of each of its buckets: bpf_loop
// runs a callback once per bucket index that writes the index into the key's bucket member and
// deletes that entry. The verifier checks the callback once, so the program stays the same
// size and verifies in the same few steps whatever the bucket count (66 for hist(), up to
// kMaxLoopIterations for lhist()). With --metrics, the key's sum entry goes too.
// -k does not check these deletes: most buckets of a key are empty, and deleting them fails.
#include "codegen/emitter.h"
#include "codegen/located_error.h"

#include <string>
#include <utility>

namespace tracelet::codegen {

void IrEmitter::emit_bucket_delete(const ast::Call& c, const UserMap& um, llvm::Value* key) {
  uint64_t buckets = ast::bucket_count(um.value);
  if (buckets > kMaxLoopIterations)
    fail_at(c, "delete() of one key of an lhist() map with more than " +
                   std::to_string(kMaxLoopIterations) + " buckets (this one has " +
                   std::to_string(buckets) + ")");
  uses_callback_ = true; // the program needs BTF (debug_info.h)
  int checks = std::exchange(helper_checks_, 0);
  helpers_.loop(i64c(buckets), bucket_delete_callback(um), key);
  if (out_.hist_sums) {
    store_scalar(i64c(kHistSumBucket), byte_ptr(key, um.user_key_bytes));
    helpers_.map_delete(map_ptr(um.gv), key);
  }
  helper_checks_ = checks;
}

// long cb(u64 bucket, void *key): one per map, shared by its delete() calls.
llvm::Function* IrEmitter::bucket_delete_callback(const UserMap& um) {
  llvm::Function*& cb = bucket_delete_callbacks_[um.desc_index];
  if (cb) return cb;
  auto* type =
      llvm::FunctionType::get(b_.getInt64Ty(), {b_.getInt64Ty(), b_.getInt8PtrTy()}, false);
  std::string name = "tl_delete_buckets_" + out_.maps[um.desc_index].elf_name;
  cb = llvm::Function::Create(type, llvm::Function::InternalLinkage, name, module_);
  cb->addFnAttr(llvm::Attribute::NoUnwind);
  cb->addFnAttr(llvm::Attribute::NoInline);
  debug_info_.describe_function(*cb, {"bucket", "key"}, {"bucket"});
  llvm::IRBuilderBase::InsertPointGuard caller(b_);
  b_.SetInsertPoint(llvm::BasicBlock::Create(ctx_, "entry", cb));
  llvm::Value* key = cb->getArg(1);
  store_scalar(cb->getArg(0), byte_ptr(key, um.user_key_bytes));
  helpers_.map_delete(map_ptr(um.gv), key);
  b_.CreateRet(i64c(0)); // go on with the next bucket
  return cb;
}

} // namespace tracelet::codegen
