// Calls to BPF helper functions. A helper is called through its id cast to a function pointer,
// which the BPF backend turns into `call <id>`.
#pragma once

#include <llvm/IR/IRBuilder.h>

#include <cstdint>
#include <functional>

namespace tracelet::codegen {

// The most iterations bpf_loop runs (the kernel's BPF_MAX_LOOPS); it refuses more.
constexpr uint64_t kMaxLoopIterations = 1 << 23;

// Helper ids from the kernel's uapi (enum bpf_func_id).
enum class HelperId : uint64_t {
  MapLookupElem = 1,
  MapUpdateElem = 2,
  MapDeleteElem = 3,
  KtimeGetNs = 5,
  TracePrintk = 6, // debugf()
  GetPrandomU32 = 7,
  GetSmpProcessorId = 8,
  GetCurrentPidTgid = 14,
  GetCurrentUidGid = 15,
  GetCurrentComm = 16,
  PerfEventOutput = 25,
  GetStackid = 27,
  GetCurrentTask = 35,
  GetNumaNodeId = 42,
  GetCurrentCgroupId = 80,
  ProbeReadUser = 112,
  ProbeReadKernel = 113,
  ProbeReadUserStr = 114,
  ProbeReadKernelStr = 115,
  SendSignal = 109, // signal()
  ForEachMapElem = 164,
  Loop = 181,
};

constexpr uint64_t kBpfAny = 0;                     // map update flag
constexpr uint64_t kBpfFCurrentCpu = 0xffffffffULL; // perf_event_output flag
constexpr uint64_t kBpfFUserStack = 1 << 8;         // get_stackid flag

class Helpers {
public:
  explicit Helpers(llvm::IRBuilder<>& b) : b_(b) {}

  // Pointer results are i8*; all other results are i64.
  llvm::Value* map_lookup(llvm::Value* map, llvm::Value* key);
  llvm::Value* map_update(llvm::Value* map, llvm::Value* key, llvm::Value* value, uint64_t flags);
  llvm::Value* map_delete(llvm::Value* map, llvm::Value* key);
  llvm::Value* ktime_get_ns();
  llvm::Value* get_smp_processor_id();
  // A helper without arguments returning a number (rand, numaid, cgroup), as i64.
  llvm::Value* call_no_args(HelperId id, const char* name);
  llvm::Value* get_current_pid_tgid();
  llvm::Value* get_current_uid_gid();
  llvm::Value* get_current_task(); // struct task_struct * as i64
  llvm::Value* get_current_comm(llvm::Value* buf, uint64_t size);
  llvm::Value* perf_event_output(llvm::Value* ctx, llvm::Value* map, llvm::Value* data,
                                 uint64_t size);
  // bpf_get_stackid(ctx, stack map, flags): a stack id (i64), negative on failure.
  llvm::Value* get_stackid(llvm::Value* ctx, llvm::Value* map, uint64_t flags);
  // probe_read_{user,kernel}[_str](dst, size, src); `size` is an i32 value.
  llvm::Value* probe_read(HelperId id, llvm::Value* dst, llvm::Value* size, llvm::Value* src);
  // bpf_trace_printk(fmt, fmt_size, args...): at most three i64 values.
  llvm::Value* trace_printk(llvm::Value* fmt, uint64_t fmt_size, llvm::ArrayRef<llvm::Value*> args);
  // bpf_send_signal(sig): `sig` is an i32 value.
  llvm::Value* send_signal(llvm::Value* sig);

  // Called with every helper call's id and result as soon as it is emitted (-k checks).
  void on_result(std::function<void(HelperId, llvm::Value*)> hook) { on_result_ = std::move(hook); }
  // bpf_for_each_map_elem(map, callback, callback_ctx, 0) and bpf_loop(n, callback,
  // callback_ctx, 0): the number of elements visited / iterations run, or a negative error.
  llvm::Value* for_each_map_elem(llvm::Value* map, llvm::Function* callback, llvm::Value* ctx);
  llvm::Value* loop(llvm::Value* n, llvm::Function* callback, llvm::Value* ctx);

private:
  llvm::Value* call(HelperId id, llvm::Type* ret, llvm::ArrayRef<llvm::Value*> args,
                    const char* name);
  llvm::Value* as_i8ptr(llvm::Value* v);

  llvm::IRBuilder<>& b_;
  std::function<void(HelperId, llvm::Value*)> on_result_;
};

} // namespace tracelet::codegen
