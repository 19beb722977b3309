// The abstract syntax tree. The parser builds it; passes in ast/passes annotate it in place
// (types on expressions, resolved attach points on probes); codegen reads it.
#pragma once

#include "ast/c_declarations.h"
#include "ast/location.h"
#include "ast/types.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tracelet::ast {

class Visitor;

struct Node {
  Location loc;
  virtual ~Node() = default;
  virtual void accept(Visitor& v) = 0;
};

// ---------------------------------------------------------------------------------------------
// Expressions. `type` is None until type inference fills it in.

struct Expr : Node {
  Type type;
};
using ExprPtr = std::unique_ptr<Expr>;

struct Integer : Expr {
  uint64_t value = 0; // the literal's bits; negative literals are Unary(Neg, Integer)
  void accept(Visitor& v) override;
};

struct String : Expr {
  std::string value; // escapes already decoded
  void accept(Visitor& v) override;
};

// `$1`..`$N` (index >= 1) and `$#` (is_count).
struct PositionalParam : Expr {
  int index = 0;
  bool is_count = false;
  // Filled by type inference: the argument's text ("" if not given; the count for `$#`). The
  // node's type says how to use it: an integer (value is its decimal text) or a string.
  std::string value;
  size_t offset = 0; // str($1 + 3): the text from its 3rd character (positional_params.cpp)
  void accept(Visitor& v) override;
};

// pid, tid, uid, gid, comm, nsecs, elapsed, cpu, probe, args, arg0..argN, retval, func, ...
struct Builtin : Expr {
  std::string name;
  // Filled by type inference when `name` is a named constant (a #define of an included header,
  // a kernel enumerator, TASK_RUNNING, ...): the builtin then stands for this int64 value.
  std::optional<int64_t> constant;
  void accept(Visitor& v) override;
};

struct Call : Expr {
  std::string func;
  std::vector<ExprPtr> args;
  // Filled by type inference for calls resolved at compile time: kaddr(), uaddr(),
  // cgroupid() (their value) and signal("NAME") (the signal's number).
  std::optional<uint64_t> constant;
  void accept(Visitor& v) override;
};

// `@name[keys]`; the keyless map `@` has name "@". Several keys form one tuple key.
struct Map : Expr {
  std::string name; // including the '@'
  std::vector<ExprPtr> keys;
  Type key_type; // filled by type inference: None (no key), the key's type, or a Tuple
  void accept(Visitor& v) override;
};
using MapPtr = std::unique_ptr<Map>;

struct Variable : Expr {
  std::string name; // including the '$'
  // Filled by the variable-scope pass: which declaration of `name` this is, unique within its
  // probe (block-scoped `let`s and loop variables make several of one name); 0 if unresolved.
  int binding = 0;
  void accept(Visitor& v) override;
};
using VariablePtr = std::unique_ptr<Variable>;

enum class BinaryOp {
  Add,
  Sub,
  Mul,
  Div,
  Mod,
  BitAnd,
  BitOr,
  BitXor,
  Shl,
  Shr,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  LogicalAnd,
  LogicalOr,
};
const char* to_string(BinaryOp op);

struct Binary : Expr {
  BinaryOp op;
  ExprPtr lhs, rhs;
  Location op_loc; // the operator token
  void accept(Visitor& v) override;
};

enum class UnaryOp {
  Neg,
  LogicalNot,
  BitNot,
  Deref,
  AddrOf,
  PreInc,
  PreDec,
  PostInc,
  PostDec, // operand is a Map or Variable
};
const char* to_string(UnaryOp op);

struct Unary : Expr {
  UnaryOp op;
  ExprPtr operand;
  void accept(Visitor& v) override;
};

struct Ternary : Expr {
  ExprPtr cond, then_expr, else_expr;
  void accept(Visitor& v) override;
};

// `base.field` or `base->field` (is_arrow).
struct FieldAccess : Expr {
  ExprPtr base;
  std::string field;
  bool is_arrow = false;
  // The name as written when type inference replaced it by a kernel field's newer name
  // (kernel_field_renames.cpp); `field` is then the name codegen reads.
  std::string renamed_from;
  void accept(Visitor& v) override;
};

// `base.N` on a tuple.
struct TupleIndex : Expr {
  ExprPtr base;
  uint64_t index = 0;
  void accept(Visitor& v) override;
};

// `base[index]` on arrays and pointers.
struct Index : Expr {
  ExprPtr base, index;
  void accept(Visitor& v) override;
};

// A type as written in the source: "uint8", "int64", "struct sock", "string", with `pointer_depth`
// stars and optional array size. Resolved into `Type` by type inference.
struct TypeSpec {
  std::string name; // "int32", "struct task_struct", "union foo", "string", ...
  int pointer_depth = 0;
  std::optional<uint64_t> array_size;
  Location loc;
};

struct Cast : Expr {
  TypeSpec target;
  ExprPtr operand;
  void accept(Visitor& v) override;
};

struct Tuple : Expr {
  std::vector<ExprPtr> elems;
  void accept(Visitor& v) override;
};

// sizeof(type) or sizeof(expr): exactly one of the two is set.
struct Sizeof : Expr {
  std::optional<TypeSpec> of_type;
  ExprPtr of_expr;
  std::optional<uint64_t> value; // filled by type inference when the size is known there
  void accept(Visitor& v) override;
};

struct Offsetof : Expr {
  TypeSpec record;
  std::string field;             // a member or a path of members, "a.b.c"
  std::optional<uint64_t> value; // filled by type inference: the byte offset
  void accept(Visitor& v) override;
};

// ---------------------------------------------------------------------------------------------
// Statements.

struct Stmt : Node {};
using StmtPtr = std::unique_ptr<Stmt>;

struct Block : Node {
  std::vector<StmtPtr> stmts;
  void accept(Visitor& v) override;
};

// A nested `{ ... }`: a scope for the `let` declarations inside it.
struct BlockStmt : Stmt {
  Block block;
  void accept(Visitor& v) override;
};

struct ExprStmt : Stmt {
  ExprPtr expr;
  void accept(Visitor& v) override;
};

// `@m[k] = v` and compound forms `@m[k] op= v` (compound set).
struct AssignMap : Stmt {
  MapPtr map;
  ExprPtr value;
  std::optional<BinaryOp> compound;
  Location op_loc; // compound: the operator token
  void accept(Visitor& v) override;
};

// `$x = v`, `$x op= v`, `let $x [: type] [= v]`.
struct AssignVar : Stmt {
  VariablePtr var;
  ExprPtr value; // may be null only for `let $x: type;`
  std::optional<BinaryOp> compound;
  Location op_loc; // compound: the operator token
  bool is_let = false;
  std::optional<TypeSpec> declared;
  void accept(Visitor& v) override;
};

struct If : Stmt {
  ExprPtr cond;
  Block then_block;
  std::optional<Block> else_block; // `else if` is an else block holding one If
  void accept(Visitor& v) override;
};

struct While : Stmt {
  ExprPtr cond;
  Block body;
  void accept(Visitor& v) override;
};

struct Unroll : Stmt {
  ExprPtr count; // an integer literal or positional parameter; checked to be 1..100
  Block body;
  void accept(Visitor& v) override;
};

enum class JumpKind { Return, Break, Continue };

struct Jump : Stmt {
  JumpKind kind;
  ExprPtr value; // optional, only for Return
  void accept(Visitor& v) override;
};

// `for ($kv : @map) {}` (map set) or `for $i : start..end {}` (range set).
struct For : Stmt {
  VariablePtr var;
  MapPtr map;
  ExprPtr range_start, range_end;
  Block body;
  void accept(Visitor& v) override;
};

// ---------------------------------------------------------------------------------------------
// Probes.

// One attach point as written, e.g. "tracepoint:syscalls:sys_enter_open*" or "interval:s:5".
// The parser splits the text on ':' into `parts` (a part may itself contain ':'-free wildcards);
// the attach-point pass canonicalises aliases and fills the rest.
struct AttachPoint : Node {
  std::string raw;                // exactly as written
  std::vector<std::string> parts; // raw split on ':'
  // Filled by the attach-point pass:
  std::string provider; // canonical: BEGIN END tracepoint interval profile kprobe kretprobe
                        // uprobe uretprobe fentry fexit rawtracepoint software hardware usdt
  std::string target;   // tracepoint category, binary path, interval unit ("s", "ms", "us", "hz")
  std::string func;     // tracepoint/function/symbol name; may hold wildcards before expansion
  uint64_t freq = 0;    // interval/profile period or frequency, software/hardware count
  uint64_t offset = 0;  // kprobe/uprobe +offset
  bool need_expansion = false; // func or target contains '*' or '?'
  // Tracepoint entries of Probe::expanded whose probe uses `args`: this tracepoint's record
  // (filled by type inference). Records of entries of one probe may differ in layout; a field
  // of `args` is looked up by name in each entry's own record.
  std::shared_ptr<const RecordDef> args_record;
  // usdt entries: the probe's argument specs from its note ("-4@%eax 8@%rdi"), filled by
  // probe expansion; see ast/usdt_arguments.h.
  std::string usdt_arguments;
  // usdt entries: the virtual address of this marker copy; a probe inlined or repeated in the
  // code has one entry (one BPF program, one uprobe) per copy, each with its own arguments.
  uint64_t usdt_location = 0;
  // usdt entries: the ELF addresses of the globals its used arguments read ("-4@counter(%rip)"),
  // by symbol, filled by type inference.
  std::map<std::string, uint64_t> usdt_globals;
  void accept(Visitor& v) override;

  // The canonical name used by the `probe` builtin and in messages: "tracepoint:syscalls:x".
  std::string name() const;
};
using AttachPointPtr = std::unique_ptr<AttachPoint>;

struct Probe : Node {
  std::vector<AttachPointPtr> attach_points;
  ExprPtr predicate; // may be null
  Block body;
  // Filled by probe expansion: every concrete attach point this probe runs on, wildcards
  // resolved (e.g. one entry per matching tracepoint). Codegen emits one BPF program per entry.
  std::vector<AttachPointPtr> expanded;
  void accept(Visitor& v) override;
};
using ProbePtr = std::unique_ptr<Probe>;

// A C definition in the script (`struct foo { int a; }`): its text, and the declarations that
// parser/c_declarations.cpp read from it (empty for `#define` lines); C types are resolved by
// the type passes (ast/passes/script_types.cpp).
struct CDefinition {
  std::string text;
  Location loc;
  std::vector<CDeclaration> declarations;
};

struct Program : Node {
  std::vector<std::string> includes; // header names from `#include <x.h>` / `#include "x.h"`
  std::vector<CDefinition> c_definitions;
  std::vector<ProbePtr> probes;
  void accept(Visitor& v) override;
};

// ---------------------------------------------------------------------------------------------
// Visitor. The default implementation of every visit walks the children, so a pass overrides
// only the nodes it cares about.

class Visitor {
public:
  virtual ~Visitor() = default;
  virtual void visit(Integer&) {}
  virtual void visit(String&) {}
  virtual void visit(PositionalParam&) {}
  virtual void visit(Builtin&) {}
  virtual void visit(Call& n);
  virtual void visit(Map& n);
  virtual void visit(Variable&) {}
  virtual void visit(Binary& n);
  virtual void visit(Unary& n);
  virtual void visit(Ternary& n);
  virtual void visit(FieldAccess& n);
  virtual void visit(TupleIndex& n);
  virtual void visit(Index& n);
  virtual void visit(Cast& n);
  virtual void visit(Tuple& n);
  virtual void visit(Sizeof& n);
  virtual void visit(Offsetof&) {}
  virtual void visit(Block& n);
  virtual void visit(BlockStmt& n);
  virtual void visit(ExprStmt& n);
  virtual void visit(AssignMap& n);
  virtual void visit(AssignVar& n);
  virtual void visit(If& n);
  virtual void visit(While& n);
  virtual void visit(Unroll& n);
  virtual void visit(Jump& n);
  virtual void visit(For& n);
  virtual void visit(AttachPoint&) {}
  virtual void visit(Probe& n);
  virtual void visit(Program& n);

  // Helpers: visit a possibly-null child.
  void walk(Node* n) {
    if (n) n->accept(*this);
  }
  template <class T> void walk(const std::unique_ptr<T>& n) { walk(n.get()); }
};

} // namespace tracelet::ast
