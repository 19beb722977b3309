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

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tracelet::codegen {

// Where a break/continue jumps to in the innermost loop.
struct LoopTargets {
  llvm::BasicBlock* break_to;
  llvm::BasicBlock* continue_to;
};

class IrEmitter {
public:
  IrEmitter(llvm::LLVMContext& ctx, llvm::Module& module, CompiledProgram& out);

  // Emits every probe's programs and the maps they use; fills `out` except `elf`.
  void emit(ast::Program& program);

private:
  // ---- probes (probe_emitter.cpp)
  void emit_probe_program(ast::Probe& probe, const ast::AttachPoint& ap);
  static std::string section_for(const ast::AttachPoint& ap);
  void emit_license();

  // ---- statements (statements.cpp)
  void emit_block(ast::Block& block);
  void emit_stmt(ast::Stmt& stmt);
  void emit_stmt_body(ast::Stmt& stmt);
  void emit_assign_var(ast::AssignVar& s);
  void emit_assign_map(ast::AssignMap& s);
  void emit_if(ast::If& s);
  void emit_while(ast::While& s);
  void emit_unroll(ast::Unroll& s);
  void emit_jump(ast::Jump& s);
  void emit_return();
  // After a terminator (return, break, exit()), code that follows is unreachable; give the
  // builder a fresh block with no predecessors so emission can go on (LLVM deletes it).
  void start_dead_block();
  llvm::AllocaInst* variable_slot(ast::Variable& var, const ast::Type& type);

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
  llvm::Value* emit_string_compare(ast::Expr& lhs, ast::Expr& rhs);
  llvm::Value* emit_unary(ast::Unary& u);
  llvm::Value* emit_incdec(ast::Unary& u);
  llvm::Value* emit_ternary_scalar(ast::Ternary& t);
  llvm::Value* emit_field_scalar(ast::FieldAccess& f);
  void emit_field_into(ast::FieldAccess& f, const ast::Type& dst_type, llvm::Value* dst,
                       bool zero_tail);
  bool is_tracepoint_args(ast::Expr& e) const;
  bool is_function_entry_exit() const;              // the program is fentry or fexit
  llvm::Value* emit_usdt_argument(ast::Builtin& b); // builtins.cpp
  // The record of the tracepoint being emitted when `f` is an args field, else nullptr.
  const ast::RecordDef* tracepoint_record(ast::FieldAccess& f) const;
  // Address (i64) of field `f` in kernel/user memory: pointer + offset, or the address of a
  // record value in memory + offset (fields.cpp).
  llvm::Value* field_address(ast::FieldAccess& f);

  // ---- values that live in kernel or user memory (kernel_memory.cpp)
  // True if `e` is a value read through probe_read (a field or element of a record in memory,
  // `*p`), whose address memory_address() computes without reading it.
  bool is_memory_value(ast::Expr& e);
  llvm::Value* memory_address(ast::Expr& e); // i64
  // A record value held on the BPF stack (a variable), not behind a pointer.
  bool is_stack_record(ast::Expr& e);

  // ---- reads through pointers (memory_reads.cpp)
  llvm::Value* read_scalar_at(llvm::Value* addr, const ast::Type& t, ast::AddrSpace as);
  llvm::Value* emit_deref(ast::Unary& u);
  llvm::Value* emit_index(ast::Index& ix);
  llvm::Value* emit_array_element(ast::Index& ix);

  // ---- values and memory (values.cpp)
  llvm::Type* scalar_type(const ast::Type& t);
  llvm::Value* convert_int(llvm::Value* v, const ast::Type& from, const ast::Type& to);
  llvm::Value* widen(llvm::Value* v, const ast::Type& from); // to i64, sign kept
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
  // Copies a value of type `from` at `src` to type `to` at `dst` (strings resized, tuple
  // elements converted one by one).
  void convert_memory(const ast::Type& from, llvm::Value* src, const ast::Type& to,
                      llvm::Value* dst, bool zero_tail);
  llvm::Value* i64c(uint64_t v);
  llvm::Value* i32c(uint32_t v);

  // ---- builtins (builtins.cpp)
  llvm::Value* emit_builtin_scalar(ast::Builtin& b);
  void emit_comm_into(llvm::Value* dst, uint64_t dst_bytes, bool zero_tail);

  // ---- symbolized values (symbols.cpp): kstack, ustack, ksym(), usym()
  llvm::Value* emit_symbol_scalar(ast::Expr& e); // KStack, UStack, KSym
  void emit_usym_into(ast::Call& c, llvm::Value* dst);

  // ---- calls (calls.cpp)
  void emit_call_stmt(ast::Call& c);
  void emit_str_into(ast::Call& c, llvm::Value* dst, uint64_t dst_bytes, bool zero_tail);
  void emit_printf(ast::Call& c);
  void emit_print(ast::Call& c);
  void emit_map_action(ast::Call& c, EventKind kind);
  void emit_delete(ast::Call& c);
  void emit_exit();

  // ---- maps (map_access.cpp)
  UserMap& user_map(const ast::Map& m);
  // Builds the BPF key of `m` (keyless: a zero u64/u32) on the stack.
  llvm::Value* emit_map_key(ast::Map& m, const UserMap& um);
  llvm::Value* map_ptr(llvm::GlobalVariable* gv);
  llvm::Value* emit_map_scalar(ast::Map& m);                            // lookup; 0 if missing
  std::pair<UserMap&, llvm::Value*> emit_map_value_lookup(ast::Map& m); // null if missing
  void emit_map_into(ast::Map& m, const ast::Type& dst_type, llvm::Value* dst, bool zero_tail);
  void emit_map_update(llvm::GlobalVariable* gv, llvm::Value* key, llvm::Value* value);

  // ---- aggregations (aggregations.cpp)
  void emit_aggregation(ast::Map& m, ast::Call& c);
  // Looks the key up; calls `in_place(value_ptr)` if present, else stores the initial value
  // built by `initial(buffer)` with one update call.
  template <class InPlace, class Initial>
  void lookup_or_init(UserMap& um, llvm::Value* key, InPlace in_place, Initial initial);
  llvm::Value* hist_bucket(llvm::Value* v);
  llvm::Value* lhist_bucket(llvm::Value* v, const ast::Type& lhist);

  // ---- events (events.cpp)
  // A buffer for one perf event record with its header written; payload at offset 8.
  llvm::Value* begin_event(EventKind kind, uint32_t id, uint64_t payload_bytes);
  void send_event(llvm::Value* record, uint64_t payload_bytes);
  llvm::GlobalVariable* event_map();

  llvm::LLVMContext& ctx_;
  llvm::Module& module_;
  CompiledProgram& out_;
  llvm::IRBuilder<> b_;
  Helpers helpers_;
  MapRegistry maps_;
  BtfDebugInfo debug_info_;

  // Per BPF function state.
  llvm::Function* fn_ = nullptr;
  llvm::Value* ctx_arg_ = nullptr;    // the program's context (r1)
  llvm::BasicBlock* entry_ = nullptr; // allocas go here
  const ast::AttachPoint* ap_ = nullptr;
  uint64_t probe_index_ = 0;
  std::map<std::string, std::pair<llvm::AllocaInst*, ast::Type>> vars_;
  std::vector<LoopTargets> loops_;
  std::vector<std::pair<llvm::AllocaInst*, uint64_t>> temporaries_; // (buffer, bytes)
};

} // namespace tracelet::codegen
