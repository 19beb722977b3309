// The IR emitter: lowers one typed program into an LLVM module. Its member functions are
// defined in several files, one concern each (expressions, statements, builtins, calls,
// aggregations, events, maps, probes); this header is the state they share.
#pragma once

#include "ast/ast.h"
#include "codegen/compiled_program.h"
#include "codegen/helpers.h"
#include "codegen/maps.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tracelet::codegen {

// The context struct a loop callback gets (loops.cpp), on the caller's stack; byte offsets.
constexpr uint64_t kLoopCtxProbeCtx = 0; // the program's context pointer (for events, args)
constexpr uint64_t kLoopCtxReturned = 8; // u64, set when the body returned or called exit()
constexpr uint64_t kLoopCtxStart = 16;   // i64: a range loop's start
constexpr uint64_t kLoopCtxVars = 24;    // a pointer to each shared variable, in order

// Where a break/continue jumps to in the innermost loop.
struct LoopTargets {
  llvm::BasicBlock* break_to;
  llvm::BasicBlock* continue_to;
};

class IrEmitter {
public:
  IrEmitter(llvm::LLVMContext& ctx, llvm::Module& module, CompiledProgram& out,
            int helper_checks = 0, bool syscall_dispatch = true);

  // Emits every probe's programs and the maps they use; fills `out` except `elf`.
  void emit(ast::Program& program);

private:
  // ---- probes (probe_emitter.cpp)
  // `probe_index`: the value of `probe` in it (its name in out_.probe_names).
  void emit_probe_program(ast::Probe& probe, const ast::AttachPoint& ap, uint64_t probe_index);
  // Starts the BPF function of `desc` (names it after `name`, else its probe name) with `ap` as
  // the attach point being emitted.
  void begin_program(ProgramDesc& desc, const ast::AttachPoint& ap, const std::string& name = "");
  // The predicate and body, then `return 0`.
  void emit_probe_body(ast::Probe& probe);
  // Gives fn_ its subprogram once its body is emitted (debug_info.h: huge programs give BTF
  // only to functions that pass callbacks).
  void describe_program();
  static std::string section_for(const ast::AttachPoint& ap);
  void emit_license();

  // ---- syscall tracepoints through one raw tracepoint (syscall_dispatch.cpp)
  struct SyscallDispatch {
    bool exit;               // sys_exit (else sys_enter)
    llvm::Value* regs;       // struct pt_regs * as i64
    llvm::Value* nr;         // the syscall number, i64
    llvm::Value* case_index; // i64: the position in `points` of the syscall's attach point
    const std::vector<const ast::AttachPoint*>& points; // the probe's attach points
    const std::vector<size_t>& group;                   // the positions this program serves
  };
  // Which attach points of each probe go into a dispatcher ([probe][point]): probes that
  // share a syscall tracepoint must run in program order on it, so a tracepoint is dispatched
  // only where every probe on it dispatches it (see plan_syscall_dispatch()).
  using DispatchPlan = std::vector<std::vector<bool>>;
  static DispatchPlan
  plan_syscall_dispatch(const std::vector<ast::Probe*>& probes,
                        const std::vector<std::vector<const ast::AttachPoint*>>& points);
  // Emits one dispatcher per kind (sys_enter, sys_exit) for the attach points that `planned`
  // marks; returns the positions left for programs of their own.
  // `probe_base`: the probe index of points[0] (points[i]'s is probe_base + i).
  std::vector<size_t> emit_syscall_dispatchers(ast::Probe& probe,
                                               const std::vector<const ast::AttachPoint*>& points,
                                               const std::vector<bool>& planned,
                                               uint64_t probe_base);
  void emit_syscall_dispatcher(ast::Probe& probe,
                               const std::vector<const ast::AttachPoint*>& points,
                               const std::vector<size_t>& group, uint64_t probe_base, bool exit);
  // args.F in a dispatcher: the case's register (or number, or return value) as F's type;
  // `first` is F in the first attach point's record.
  llvm::Value* emit_dispatched_field(const ast::Field& first, ast::FieldAccess& f);
  llvm::Value* read_kernel_u64(llvm::Value* base, uint64_t offset); // base: i64 address

  // ---- statements (statements.cpp)
  void emit_block(ast::Block& block);
  void emit_stmt(ast::Stmt& stmt);
  void emit_stmt_body(ast::Stmt& stmt);
  void emit_assign_var(ast::AssignVar& s);
  void emit_assign_map(ast::AssignMap& s);
  void emit_if(ast::If& s);
  void emit_statement_ternary(ast::Ternary& t); // statement_ternary.cpp
  void emit_while(ast::While& s);
  void emit_unroll(ast::Unroll& s);
  // The body of a loop (while, unroll, for): break/continue jump to `targets`; falling off its
  // end continues too. The builder is left in no particular block.
  void emit_loop_body(ast::Block& body, LoopTargets targets);
  void emit_jump(ast::Jump& s);
  // Ends the probe: `return 0` in the program, or, in a loop callback, sets the loop
  // context's "returned" flag and stops the loop (the caller then returns in turn).
  void emit_return();
  // After a terminator (return, break, exit()), code that follows is unreachable; give the
  // builder a fresh block with no predecessors so emission can go on (LLVM deletes it).
  void start_dead_block();
  llvm::Value* variable_slot(ast::Variable& var, const ast::Type& type);

  // ---- for loops (loops.cpp): the body becomes a callback of bpf_for_each_map_elem or
  // bpf_loop, sharing the enclosing function's variables through a context struct.
  void emit_for(ast::For& s);
  llvm::Function* emit_loop_callback(ast::For& s, const std::vector<int>& captured,
                                     const UserMap* map);
  llvm::Value* load_aligned_pointer(llvm::Value* src);

  // ---- expressions (expressions.cpp)
  // Integers come back as iN for an N-byte integer type; pointers, probe indexes as i64.
  llvm::Value* emit_scalar(ast::Expr& e);
  // For strings, tuples, records: an i8* to memory holding the value (type e.type).
  // `zero_tail` as for emit_into; only comparisons, which stop at the NUL, can do without.
  llvm::Value* emit_addr(ast::Expr& e, bool zero_tail = true);
  // Writes e's value converted to `dst_type` at `dst`. `zero_tail`: clear bytes a shorter
  // string leaves unused (needed for map keys, where every byte counts).
  void emit_into(ast::Expr& e, const ast::Type& dst_type, llvm::Value* dst, bool zero_tail);
  llvm::Value* emit_cond(ast::Expr& e); // i1
  llvm::Value* emit_binary(ast::Binary& b);
  llvm::Value* emit_logical(ast::Binary& b);
  // i1: equal up to a shared NUL, within the first `limit` characters (strncmp).
  llvm::Value* emit_string_compare(ast::Expr& lhs, ast::Expr& rhs, uint64_t limit = UINT64_MAX);
  llvm::Value* emit_unary(ast::Unary& u);
  llvm::Value* emit_incdec(ast::Unary& u);
  llvm::Value* emit_ternary_scalar(ast::Ternary& t);
  llvm::Value* emit_field_scalar(ast::FieldAccess& f);
  void emit_field_into(ast::FieldAccess& f, const ast::Type& dst_type, llvm::Value* dst,
                       bool zero_tail);
  bool is_tracepoint_args(ast::Expr& e) const;
  bool is_function_entry_exit() const;              // the program is fentry or fexit
  llvm::Value* emit_usdt_argument(ast::Builtin& b); // builtins.cpp
  // uprobe args from DWARF (uprobe_args.cpp): a parameter's value, integer or pointer, of its
  // own width; a struct passed by value copied into `dst`.
  bool is_uprobe_args() const;
  llvm::Value* emit_uprobe_parameter(const ast::Field& field);
  void emit_uprobe_parameter_into(const ast::Field& field, llvm::Value* dst, uint64_t bytes);
  // The record of the tracepoint being emitted when `f` is an args field, else nullptr.
  const ast::RecordDef* tracepoint_record(ast::FieldAccess& f) const;
  // Address (i64) of field `f` in kernel/user memory: pointer + offset, or the address of a
  // record value in memory + offset (fields.cpp).
  llvm::Value* field_address(ast::FieldAccess& f);
  // `n` bytes of the context at `offset` into dst, as aligned ctx loads of at most `max_load`
  // bytes each (fields.cpp).
  void copy_from_ctx(llvm::Value* dst, uint64_t offset, uint64_t n, uint64_t max_load = 8);
  // A char[n] of the context at `offset` into a string of dst_bytes, NUL-terminated (fields.cpp).
  void copy_string_from_ctx(llvm::Value* dst, uint64_t dst_bytes, uint64_t offset, uint64_t n,
                            bool zero_tail);

  // ---- values inside the probe's context: `ctx` and what it points to (context_reads.cpp)
  // True if `e` (a field, element or `*p`) lies in the context (AddrSpace::Ctx): read with
  // direct loads at constant offsets from the program's context pointer.
  bool in_context(ast::Expr& e) const;
  // Byte offset in the context of `e` (in_context), or of what a context pointer points to.
  uint64_t context_offset(ast::Expr& e) const;
  llvm::Value* emit_context_scalar(ast::Expr& e); // an integer or pointer in the context
  void emit_context_value_into(ast::Expr& e, const ast::Type& dst_type, llvm::Value* dst,
                               bool zero_tail);

  // ---- values that live in kernel or user memory (kernel_memory.cpp)
  // True if `e` is a value read through probe_read (a field or element of a record in memory,
  // `*p`), whose address memory_address() computes without reading it.
  bool is_memory_value(ast::Expr& e);
  llvm::Value* memory_address(ast::Expr& e); // i64
  // A record value held on the BPF stack (a variable), not behind a pointer.
  bool is_stack_record(ast::Expr& e);
  // A record, array or string element read whole from memory (`*p`, `p->arr[i]`) into `dst`.
  void emit_memory_value_into(ast::Expr& e, const ast::Type& dst_type, llvm::Value* dst,
                              bool zero_tail);
  // i1: two arrays of the same type hold the same bytes (array_compare.cpp).
  llvm::Value* emit_array_equal(ast::Expr& lhs, ast::Expr& rhs);
  llvm::Value* emit_buffer_equal(ast::Expr& lhs, ast::Expr& rhs); // buf() values (i1)

  // ---- reads through pointers (memory_reads.cpp)
  llvm::Value* read_scalar_at(llvm::Value* addr, const ast::Type& t, ast::AddrSpace as);
  llvm::Value* emit_deref(ast::Unary& u);
  llvm::Value* emit_index(ast::Index& ix);
  llvm::Value* emit_array_element(ast::Index& ix);
  // An element of an array held on the stack (a variable, a map value, an element or member
  // of one): not in ctx nor read from memory. Its address is the array's plus a constant.
  bool is_stack_element(ast::Expr& e);
  uint64_t constant_element_offset(ast::Index& ix); // index * element size; a literal index
  llvm::Value* stack_element_address(ast::Index& ix);

  // ---- values and memory (values.cpp)
  llvm::Type* scalar_type(const ast::Type& t);
  llvm::Value* convert_int(llvm::Value* v, const ast::Type& from, const ast::Type& to);
  llvm::Value* widen(llvm::Value* v, const ast::Type& from); // to i64, sign kept
  // n * the size of `pointer`'s pointee (pointer_math.cpp); n itself for a non-pointer.
  llvm::Value* scaled_by_pointee(llvm::Value* n, const ast::Type& pointer);
  // A stack buffer; a temporary one lives until end_temporaries() at the end of the statement.
  llvm::AllocaInst* stack_buffer(uint64_t bytes, const std::string& name, bool temporary = true);
  void end_temporaries(size_t mark);
  llvm::Value* byte_ptr(llvm::Value* base, uint64_t offset);
  // The alignment `p` is known to have (1..8), from its base buffer and constant offset.
  uint64_t known_align(llvm::Value* p);
  void store_scalar(llvm::Value* v, llvm::Value* dst_i8);
  llvm::Value* load_scalar(llvm::Type* ty, llvm::Value* src_i8, uint64_t align = 1);
  void zero_bytes(llvm::Value* dst, uint64_t bytes, uint64_t align = 1);
  void copy_bytes(llvm::Value* dst, llvm::Value* src, uint64_t bytes, uint64_t align = 1);
  void store_string_literal(const std::string& s, llvm::Value* dst, uint64_t dst_bytes);
  void store_constant_bytes(const std::string& bytes, llvm::Value* dst); // exactly these bytes
  // Copies a value of type `from` at `src` to type `to` at `dst` (strings resized, tuple
  // elements converted one by one).
  void convert_memory(const ast::Type& from, llvm::Value* src, const ast::Type& to,
                      llvm::Value* dst, bool zero_tail);
  llvm::Value* i64c(uint64_t v);
  llvm::Value* i32c(uint32_t v);

  // ---- builtins (builtins.cpp)
  llvm::Value* emit_builtin_scalar(ast::Builtin& b);
  void emit_comm_into(llvm::Value* dst, uint64_t dst_bytes, bool zero_tail);

  // ---- packet programs: xdp, tc (packet.cpp)
  struct PacketState;
  bool is_packet_program() const;
  // What a program returns when it passes: XDP_PASS, TC_ACT_UNSPEC; 0 for other programs.
  llvm::Value* pass_verdict();
  // At the program's entry: data, data_end and the headers the probe reads.
  void emit_packet_prologue(ast::Probe& probe);
  // eth, ip, ..., pktlen, ifindex, mark, protocol; nullptr for other builtins.
  llvm::Value* emit_packet_builtin(ast::Builtin& b);
  bool is_packet_field(ast::FieldAccess& f) const; // `f.base` is a header pointer
  llvm::Value* emit_packet_field_scalar(ast::FieldAccess& f);
  void emit_packet_field_into(ast::FieldAccess& f, const ast::Type& dst_type, llvm::Value* dst);
  void emit_packet_buf(ast::Expr& src, llvm::Value* length, llvm::Value* dst);
  llvm::Value* emit_byte_order(ast::Call& c); // ntohs ...; nullptr for other calls
  llvm::Value* packet_ptr(llvm::Value* offset);
  llvm::Value* packet_has(llvm::Value* offset, uint64_t bytes); // i1
  // if (condition && data + offset + field + bytes <= data_end) values = body(data + offset +
  // field); else 0s. `offset` is a header's start, `field` a constant within it.
  std::vector<llvm::Value*>
  packet_guarded(llvm::Value* condition, llvm::Value* offset, uint64_t field, uint64_t bytes,
                 const std::function<std::vector<llvm::Value*>(llvm::Value*)>& body);
  std::vector<llvm::Value*>
  packet_field_read(ast::FieldAccess& f, uint64_t bytes,
                    const std::function<std::vector<llvm::Value*>(llvm::Value*)>& read);
  llvm::Value* packet_load(llvm::Value* p, uint64_t offset, uint64_t bytes, uint64_t align);

  // ---- symbolized values (symbols.cpp): kstack, ustack, ksym(), usym()
  llvm::Value* emit_symbol_scalar(ast::Expr& e); // KStack, UStack, KSym
  void emit_usym_into(ast::Call& c, llvm::Value* dst);

  // ---- calls (calls.cpp)
  // byte_values.cpp: ntop, pton, buf, macaddr (values in memory); bswap, strncmp, strcontains.
  bool emit_byte_value_into(ast::Call& c, const ast::Type& dst_type, llvm::Value* dst,
                            bool zero_tail);   // false if `c` is none of them
  llvm::Value* emit_byte_scalar(ast::Call& c); // nullptr if `c` is none of them
  llvm::Value* emit_strcontains(ast::Call& c);
  void emit_call_stmt(ast::Call& c);
  void emit_str_into(ast::Call& c, llvm::Value* dst, uint64_t dst_bytes, bool zero_tail);
  void emit_printf(ast::Call& c);
  void emit_print(ast::Call& c);
  void emit_map_action(ast::Call& c, EventKind kind);
  void emit_delete(ast::Call& c);
  void emit_exit();
  void emit_debugf(ast::Call& c); // debugf.cpp
  // printf, cat, system: the format and its arguments as one event of `kind`.
  void emit_formatted_event(ast::Call& c, EventKind kind, std::vector<PrintfDesc>& descs);

  // ---- user-space and compile-time functions (process_calls.cpp)
  // time, join, cat, system, signal as statements; false if `c` is none of them.
  bool emit_process_call(ast::Call& c);
  void emit_time(ast::Call& c);
  void emit_join(ast::Call& c);
  void emit_signal(ast::Call& c);
  void emit_strftime_into(ast::Call& c, llvm::Value* dst);    // { u64 format id; u64 nsecs }
  void emit_cgroup_path_into(ast::Call& c, llvm::Value* dst); // { u64 filter id; u64 cgroup id }

  // ---- maps (map_access.cpp)
  UserMap& user_map(const ast::Map& m);
  // Builds the BPF key of `m` (keyless: a zero u64/u32) on the stack.
  llvm::Value* emit_map_key(ast::Map& m, const UserMap& um);
  // hist()/lhist(): zeroes the bytes between the user key and the bucket (part of the key).
  void zero_key_padding(const UserMap& um, llvm::Value* key);
  llvm::Value* map_ptr(llvm::GlobalVariable* gv);
  // Lookups at m's key, or at `key` when given (already emitted); a missing element reads as
  // 0 (emit_map_scalar) or is a null pointer (emit_map_value_lookup).
  llvm::Value* emit_map_scalar(ast::Map& m, llvm::Value* key = nullptr);
  std::pair<UserMap&, llvm::Value*> emit_map_value_lookup(ast::Map& m, llvm::Value* key = nullptr);
  void emit_map_into(ast::Map& m, const ast::Type& dst_type, llvm::Value* dst, bool zero_tail);
  void emit_map_update(llvm::GlobalVariable* gv, llvm::Value* key, llvm::Value* value);
  llvm::Value* emit_map_query(ast::Call& c); // len(@m), has_key(@m, k)

  // ---- aggregations (aggregations.cpp)
  void emit_aggregation(ast::Map& m, ast::Call& c);
  // `@r = @q` made @r (map `um`): it sums/compares signed values as @q does.
  void copy_aggregation_sign(const ast::Map& m, const ast::Expr& value, UserMap& um);
  // Looks the key up; calls `in_place(value_ptr)` if present, else stores the initial value
  // built by `initial(buffer)` with one update call.
  template <class InPlace, class Initial>
  void lookup_or_init(UserMap& um, llvm::Value* key, InPlace in_place, Initial initial);
  llvm::Value* hist_bucket(llvm::Value* v);
  llvm::Value* lhist_bucket(llvm::Value* v, const ast::Type& lhist);
  // delete(@h[k]) of a hist()/lhist() map (bucket_delete.cpp): deletes the entry of every
  // bucket of the user key in `key` (a BPF key buffer; its bucket member is overwritten).
  void emit_bucket_delete(const ast::Call& c, const UserMap& um, llvm::Value* key);
  llvm::Function* bucket_delete_callback(const UserMap& um);

  // ---- events (events.cpp)
  // A buffer for one perf event record with its header written; payload at offset 8.
  llvm::Value* begin_event(EventKind kind, uint32_t id, uint64_t payload_bytes);
  void send_event(llvm::Value* record, uint64_t payload_bytes);
  llvm::GlobalVariable* event_map();

  // ---- -k/-kk (helper_errors.cpp)
  // After a helper call: if it is one that -k (or -kk) checks and it failed (< 0), send a
  // HelperError event that names the helper and current_loc_.
  void check_helper(HelperId id, llvm::Value* result);
  void check_map_lookup(llvm::Value* value_ptr); // -kk: a read of a missing map element
  void send_helper_error(const char* name, llvm::Value* failed_cond, llvm::Value* result);
  // Marks the statement or expression being emitted, for the duration of a scope.
  class LocationScope {
  public:
    LocationScope(IrEmitter& e, const Location& loc) : e_(e), saved_(e.current_loc_) {
      e.current_loc_ = &loc;
    }
    ~LocationScope() { e_.current_loc_ = saved_; }
    LocationScope(const LocationScope&) = delete;
    LocationScope& operator=(const LocationScope&) = delete;

  private:
    IrEmitter& e_;
    const Location* saved_;
  };

  llvm::LLVMContext& ctx_;
  llvm::Module& module_;
  CompiledProgram& out_;
  llvm::IRBuilder<> b_;
  Helpers helpers_;
  MapRegistry maps_;
  BtfDebugInfo debug_info_;
  bool uses_callback_ = false;            // fn_ passes a callback (loops.cpp, len())
  int helper_checks_ = 0;                 // as CodegenOptions::helper_checks
  bool syscall_dispatch_ = true;          // as CodegenOptions::syscall_dispatch
  const Location* current_loc_ = nullptr; // see LocationScope

  // Per BPF function state.
  llvm::Function* fn_ = nullptr;
  llvm::Value* ctx_arg_ = nullptr;    // the program's context (r1)
  llvm::BasicBlock* entry_ = nullptr; // allocas go here
  const ast::AttachPoint* ap_ = nullptr;
  std::shared_ptr<PacketState> packet_; // packet programs: see packet.cpp
  uint64_t probe_index_ = 0;
  const SyscallDispatch* dispatch_ = nullptr; // in a syscall dispatcher
  // Variables by ast::Variable::binding: the address of each one's slot and its type.
  std::map<int, std::pair<llvm::Value*, ast::Type>> vars_;
  std::vector<LoopTargets> loops_;
  std::vector<std::pair<llvm::AllocaInst*, uint64_t>> temporaries_; // (buffer, bytes)
  llvm::Value* loop_ctx_ = nullptr; // in a loop callback: its context struct (see loops.cpp)
  int callbacks_ = 0;               // loop callbacks emitted, for unique names
  llvm::Function* count_callback_ = nullptr; // len()'s bpf_for_each_map_elem callback
  std::map<size_t, llvm::Function*> bucket_delete_callbacks_; // by UserMap::desc_index
};

} // namespace tracelet::codegen
