// Type inference: one visitor that gives every expression its type (the typing contract of the
// project brief), split over files by subject: type_inference.cpp (literals, operators,
// variables, maps), builtins.cpp (builtins and `args`), functions.cpp (calls),
// printf_format.cpp (printf format strings), statement_types.cpp (statements).
#pragma once

#include "ast/passes/map_types.h"
#include "ast/passes/passes.h"

#include <map>
#include <set>

namespace tracelet::ast::passes {

// What a probe's body may use: derived from its expanded attach points.
struct ProbeContext {
  Probe* probe = nullptr;
  std::set<std::string> providers; // canonical providers of every expanded entry
  bool syscalls = false;           // every entry is a tracepoint in category "syscalls"
  bool unresolved = false;         // an attach point had an error: probe-specific builtins
                                   // (args, argN, retval) stay untyped without more errors
  bool args_loaded = false;
  bool args_ok = false;                                       // every entry has a record
  std::vector<std::shared_ptr<const RecordDef>> args_records; // one per expanded entry
  std::vector<std::string> args_errors; // uprobe entries without a record: why
  bool only(const std::string& provider) const {
    return providers.size() == 1 && *providers.begin() == provider;
  }
  // Where an address that comes with no address space of its own points: user memory in
  // syscall tracepoints and in uprobe, uretprobe and usdt probes; kernel memory elsewhere.
  AddrSpace default_space() const {
    bool user = !providers.empty();
    for (const auto& p : providers)
      user = user && (p == "uprobe" || p == "uretprobe" || p == "usdt");
    return syscalls || user ? AddrSpace::User : AddrSpace::Kernel;
  }
};

// The type of every variable of every probe, by (probe, Variable::binding).
using VariableTypes = std::map<std::pair<const Probe*, int>, Type>;

class TypeInference : public Visitor {
public:
  using Visitor::visit;
  // `map_hints`, `variable_hints`: map value and variable types learnt by an earlier, silent
  // round, so that a map or a `let` variable read before (in program order) its assignment
  // still has a type.
  TypeInference(KernelInfo& kernel, Diagnostics& diags, const SemanticOptions& options,
                const MapTypes* map_hints, const VariableTypes* variable_hints = nullptr)
      : kernel_(kernel), diags_(diags), options_(options), map_hints_(map_hints),
        variable_hints_(variable_hints) {}

  void run(Program& program);
  // A silent round before the final one: an operand with no type yet (a variable holding a
  // read of a map typed only later, in a cycle such as `$v = @m; @m = $v + 1`) next to an
  // integer makes an integer, so that the assignment it feeds types the map, as in bpftrace.
  void set_provisional() { provisional_ = true; }
  const MapTypes& maps() const { return maps_; }
  const VariableTypes& variables() const { return variable_types_; }

  // Expressions.
  void visit(Integer& n) override;
  void visit(String& n) override;
  void visit(PositionalParam& n) override;
  void visit(Builtin& n) override;
  void visit(Call& n) override;
  void visit(Map& n) override;
  void visit(Variable& n) override;
  void visit(Binary& n) override;
  void visit(Unary& n) override;
  void visit(Ternary& n) override;
  void visit(FieldAccess& n) override;
  void visit(TupleIndex& n) override;
  void visit(Index& n) override;
  void visit(Cast& n) override;
  void visit(Tuple& n) override;
  void visit(Sizeof& n) override;
  void visit(Offsetof& n) override;
  // Statements.
  void visit(ExprStmt& n) override;
  void visit(AssignMap& n) override;
  void visit(AssignVar& n) override;
  void visit(If& n) override;
  void visit(While& n) override;
  void visit(Unroll& n) override;
  void visit(Jump& n) override;
  void visit(For& n) override;
  void visit(Probe& n) override;

private:
  // type_inference.cpp
  void expect_condition(Expr& e, const std::string& what);
  // Visits the keys: Type::none() if keyless, nullopt after an error.
  std::optional<Type> key_type_of(Map& m);
  const Type* known_map_value(const std::string& name) const; // this round's, else the hint
  void read_map(Map& m, bool check_key);                      // types a map read
  void type_pending_map(Expr& e, const Expr& other);          // see visit(Binary)
  std::optional<Type> storage_type(const Expr& value, const std::string& target);
  // `declared`: the type of `let $x: type`, which later assignments convert to.
  void assign_variable(Variable& var, const Type& value, const Location& loc,
                       bool declared = false);
  std::optional<Type> resolve_type_spec(const TypeSpec& spec);
  void finish_probe();

  // builtins.cpp
  void type_fexit_retval(Builtin& n);
  void type_usdt_argument(Builtin& n);
  void type_args_builtin(Builtin& n);
  void type_uprobe_args(Builtin& n); // uprobe parameters from DWARF
  // A struct/union from the DWARF of the binaries this probe's uprobes are in; the note for
  // an unknown type names the binaries looked in (binary_types.cpp).
  std::shared_ptr<const RecordDef> binary_record(const std::string& name);
  std::string binary_record_note() const;
  void type_args_field(FieldAccess& n);
  bool load_args_records();

  // functions.cpp
  void type_call(Call& n, bool assigned_to_map);
  void type_call_by_signature(Call& n, bool assigned_to_map);
  void type_aggregation(Call& n);
  void type_map_function(Call& n);
  void type_map_query(Call& n); // len(), has_key()
  void type_print(Call& n);
  void type_str(Call& n);
  void type_address_space(Call& n); // uptr(), kptr()

  // debug_functions.cpp: strerror(errno), debugf(fmt, ...)
  void type_strerror(Call& n);
  void type_debugf(Call& n);

  // symbol_functions.cpp: kstack(...), ustack(...), ksym(addr), usym(addr)
  void type_symbol_call(Call& n);

  // printf_format.cpp
  void type_printf(Call& n);

  // process_functions.cpp: time, strftime, join, cat, system, signal, kaddr, uaddr, cgroupid
  void type_process_call(Call& n);
  void type_signal(Call& n);
  void type_uaddr(Call& n);
  std::optional<std::string> literal_string(Expr& e);
  std::optional<std::string> literal_arg(Call& n, size_t i, const char* what);
  // byte_functions.cpp: ntop, pton, bswap, buf, strncmp, strcontains, macaddr
  void type_byte_function(Call& n);

  // packet_probes.cpp: eth, ip, ..., pktlen, ifindex, mark, protocol, verdicts and packet
  // constants, process builtins in packet probes; ntohs/ntohl/htons/htonl.
  bool type_packet_builtin(Builtin& n);
  bool type_byte_order_call(Call& n);

  // context_builtin.cpp: ctx, and what may be done with the context pointer
  void type_ctx(Builtin& n);
  bool check_context_field(FieldAccess& n, const RecordDef& record);
  bool check_context_cast(Cast& n, const Type& target);
  bool check_context_index(Index& n);
  bool check_context_deref(Unary& n);
  bool check_context_arguments(Call& n);
  const RecordDef* probe_context_record();

  // array_indexes.cpp: literal indexes within bounds; stack-held arrays take only those
  bool check_array_index(Index& n);

  // kernel_types.cpp: kernel records from BTF, curtask, named constants
  void type_curtask(Builtin& n);
  bool type_named_constant(Builtin& n);
  void type_address_of(Unary& n); // &p->field, &a[i]: members of records in memory
  // The record with its fields: a lazily converted kernel record is completed through
  // KernelInfo; nullptr (error reported at `loc`) if its layout is unknown. A different
  // (complete) record replaces the stub in `base`'s type.
  const RecordDef* complete_record(const RecordDef* record, const Location& loc,
                                   const std::string& field, Expr* base = nullptr);
  // is_storable() once every kernel record held by value in `t` (members of members, array
  // elements; not pointer targets) has its fields: `print(curtask->se.load)` stores a BTF
  // record whose layout was known only by name until then.
  bool storable(const Type& t);
  void complete_value_records(const Type& t, int depth);
  // Byte offset of the member path "a.b.c" in `record`; error reported if there is none.
  std::optional<uint64_t> member_offset(const RecordDef& record, const std::string& path,
                                        const Location& loc);
  const std::vector<std::string>* includes_ = nullptr; // the program's #include names

  KernelInfo& kernel_;
  Diagnostics& diags_;
  const SemanticOptions& options_;
  const MapTypes* map_hints_;
  MapTypes maps_;
  std::vector<Map*> map_nodes_; // every map node, typed once all uses are known
  std::vector<std::shared_ptr<const RecordDef>> kept_records_; // looked up while typing

  // Per probe.
  ProbeContext probe_;
  struct VariableInfo {
    Type type;
    Location first_assignment;
    bool declared = false;
  };
  std::map<int, VariableInfo> variables_; // by Variable::binding
  const VariableTypes* variable_hints_;
  VariableTypes variable_types_;
  std::vector<Variable*> variable_nodes_;
  bool provisional_ = false;
  bool in_map_assignment_ = false; // the value being typed is `@m[...] = <here>`
  // Inside `if (str($1) == "lit") { here }` with a false condition (unsafe_branches.cpp):
  // system()/signal() there need no --unsafe, since they cannot run.
  int ruled_out_depth_ = 0;
  std::optional<bool> constant_string_condition(Expr& cond);
  bool pointer_step_ok(BinaryOp op, const Type& pointer, const Type& value, const Location& loc);
};

// Whether `t` is the context pointer, or a tuple holding it (context_builtin.cpp).
bool holds_context(const Type& t);

// Integers widen to 64 bits keeping their sign; everything else (tuples too: their elements
// keep their sizes, as in bpftrace) is unchanged.
Type widened(const Type& t);
// What a variable holds: integers keep their size and sign (sizeof((int16)x) stays 2, as in
// bpftrace).
Type variable_storage(const Type& t);
// `value` can be assigned to a variable of type `variable`: any integer to an integer
// variable (converted to its type), otherwise the types must unify.
bool assignable(const Type& variable, const Type& value);
// What a map key or value holds: widened(); pointers keep their type (arithmetic, `->` and
// indexing work through them, as in bpftrace).
Type map_storage(const Type& t);
// Integer-typed (or a pointer, which compares and tests like one).
bool is_integer_like(const Type& t);
// Where a map's keys are written (the map itself if it has none): key errors point here.
Location keys_location(const Map& m);
// Can live in a map value, a map key or a tuple (integers, strings, probe, pointers, tuples
// of those, and aggregations for map values).
bool is_storable(const Type& t);
// Reports "f() does not return a value" when `e` is a statement-only call; other typeless
// expressions already had their error reported.
void report_missing_value(const Expr& e, Diagnostics& diags);
// aggregation_reads.cpp: count, sum, min, max, avg and stats values can be copied into a map
// or variable (keeping their type) or a tuple (as the integer aggregation_element_type()).
bool is_copyable_aggregation(const Type& t);
std::optional<Type> aggregation_element_type(const Type& t);
std::string aggregation_copy_error(const Type& t);
// A call without a value (printf, exit, ...) or a ?: whose branches are both such statements.
bool is_statement_expr(const Expr& e);
// printf, exit, print, ...: functions that are statements and have no value (functions.cpp).
bool is_statement_function(const std::string& name);
// The functions of process_functions.cpp.
bool is_process_function(const std::string& name);
// ntop, pton, bswap, buf, strncmp, strcontains, macaddr (byte_functions.cpp).
bool is_byte_function(const std::string& name);

} // namespace tracelet::ast::passes
