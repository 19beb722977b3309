// Type inference: the typing contract, expression by expression.
#include "semantic_fixture.h"

#include <gtest/gtest.h>

namespace {

using tracelet::ast::AddrSpace;
using tracelet::test::analyse;

TEST(TypeInference, LiteralsAndBuiltins) {
  auto a = analyse("BEGIN { $a = 1; $b = -1; $c = 18446744073709551615; $d = \"abc\"; "
                   "$e = pid; $f = nsecs; $g = comm; $h = probe; $i = cpu; $j = elapsed; }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("1"), "int64");
  EXPECT_EQ(a->type_of("-1"), "int64");
  EXPECT_EQ(a->type_of("18446744073709551615"), "uint64");
  EXPECT_EQ(a->type_of("\"abc\""), "string[4]");
  EXPECT_EQ(a->type_of("pid"), "uint32");
  EXPECT_EQ(a->type_of("nsecs"), "uint64");
  EXPECT_EQ(a->type_of("comm"), "string[16]");
  EXPECT_EQ(a->type_of("probe"), "probe");
  EXPECT_EQ(a->type_of("cpu"), "uint32");
  EXPECT_EQ(a->type_of("elapsed"), "uint64");
}

// As bpftrace 0.17: signed only when both operands are (`(uint64)1 - 2` prints 2^64 - 1).
TEST(TypeInference, ArithmeticWidensAndIsSignedOnlyWhenBothOperandsAre) {
  auto a = analyse("BEGIN { $s = -1; $x = pid + nsecs; $y = pid + 1; $z = $s * nsecs; "
                   "$w = uid ^ gid; $n = -pid; $t = ~pid; $v = $s * 2; }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("pid + nsecs"), "uint64");
  EXPECT_EQ(a->type_of("pid + 1"), "uint64");
  EXPECT_EQ(a->type_of("$s * nsecs"), "uint64");
  EXPECT_EQ(a->type_of("$s * 2"), "int64");
  EXPECT_EQ(a->type_of("uid ^ gid"), "uint64");
  EXPECT_EQ(a->type_of("-pid"), "int64");
  EXPECT_EQ(a->type_of("~pid"), "uint64");
}

TEST(TypeInference, ComparisonsAndLogicAreUint64) {
  auto a = analyse("BEGIN { $a = pid > 1; $b = !pid; $c = cpu && elapsed; $d = comm == \"x\"; "
                   "$e = comm != comm; }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("pid > 1"), "uint64");
  EXPECT_EQ(a->type_of("!pid"), "uint64");
  EXPECT_EQ(a->type_of("cpu && elapsed"), "uint64");
  EXPECT_EQ(a->type_of("comm == \"x\""), "uint64");
  EXPECT_EQ(a->type_of("comm != comm"), "uint64");
}

TEST(TypeInference, TernaryUnifiesBranches) {
  auto a = analyse("BEGIN { $s = -1; $a = 1 ? \"ab\" : \"abcd\"; $b = 1 ? pid : $s; "
                   "$c = 1 ? pid : nsecs; }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("1 ? \"ab\" : \"abcd\""), "string[5]");
  EXPECT_EQ(a->type_of("1 ? pid : $s"), "int64");
  EXPECT_EQ(a->type_of("1 ? pid : nsecs"), "uint64");
}

TEST(TypeInference, TuplesAndVariables) {
  auto a = analyse("BEGIN { $m = (1, \"ab\", comm, pid); $n = $m.1; $v = pid; "
                   "$x = \"a\"; $x = \"abcdef\"; }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("(1, \"ab\", comm, pid)"), "(int64,string[3],string[16],uint32)");
  EXPECT_EQ(a->type_of("$m.1"), "string[3]");
  EXPECT_EQ(a->type_of("$v"), "uint32"); // variables keep the integer type assigned
  // A variable holds the largest string assigned to it, at every use.
  EXPECT_EQ(a->type_of("$x"), "string[7]");
}

TEST(TypeInference, TracepointArgsFields) {
  auto a = analyse("tracepoint:syscalls:sys_enter_openat { $f = args.filename; "
                   "$d = args->dfd; $n = args.__syscall_nr; $s = str(args.filename); "
                   "$t = str(args.dfd); }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("args"), "struct syscalls_sys_enter_openat_args *");
  EXPECT_EQ(a->type_of("args.filename"), "int8 *");
  EXPECT_EQ(a->type_of("args->dfd"), "uint64");
  EXPECT_EQ(a->type_of("args.__syscall_nr"), "int32");
  EXPECT_EQ(a->type_of("str(args.filename)"), "string[64]");
  EXPECT_EQ(a->type_of("str(args.dfd)"), "string[64]");
}

// Finds the first Call to `name` in the first probe's statements (one level of ExprStmt or
// assignment), to look at fields type_of() cannot show.
const tracelet::ast::Call* find_str_call(tracelet::ast::Program& program) {
  for (auto& stmt : program.probes[0]->body.stmts)
    if (auto* assign = dynamic_cast<tracelet::ast::AssignVar*>(stmt.get()))
      if (auto* call = dynamic_cast<tracelet::ast::Call*>(assign->value.get())) return call;
  return nullptr;
}

TEST(TypeInference, StrReadsFromThePointersAddressSpace) {
  auto user = analyse("tracepoint:syscalls:sys_enter_openat { $s = str(args.filename); }");
  ASSERT_TRUE(user->ok) << user->errors();
  EXPECT_EQ(find_str_call(*user->program)->type.as, AddrSpace::User);
  auto integer = analyse("tracepoint:syscalls:sys_enter_openat { $s = str(args.dfd); }");
  EXPECT_EQ(find_str_call(*integer->program)->type.as, AddrSpace::User);
  auto kernel = analyse("tracepoint:sched:sched_switch { $s = str(args.prev_state); }");
  ASSERT_TRUE(kernel->ok) << kernel->errors();
  EXPECT_EQ(find_str_call(*kernel->program)->type.as, AddrSpace::Kernel);
}

TEST(TypeInference, DataLocAndCharArrayFieldsAreStrings) {
  auto a = analyse("tracepoint:sched:sched_process_exec { $f = args.filename; $p = args.pid; } "
                   "tracepoint:sched:sched_switch { $c = args.prev_comm; }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("args.filename"), "string[64]");
  EXPECT_EQ(a->type_of("args.pid"), "int32");
  EXPECT_EQ(a->type_of("args.prev_comm"), "string[16]");
}

TEST(TypeInference, AggregationsAndKeys) {
  auto a = analyse("tracepoint:sched:sched_switch { @[args.prev_comm] = count(); "
                   "@s[args.next_pid, comm] = sum(args.prev_prio); @a = avg(1); @mn = min(1); "
                   "@mx = max(1); @st = stats(1); @h = hist(pid); "
                   "@l = lhist(pid, 0, 100, 10); }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("@[args.prev_comm]"), "count");
  EXPECT_EQ(a->type_of("@s[args.next_pid, comm]"), "sum");
  EXPECT_EQ(a->type_of("@a"), "avg");
  EXPECT_EQ(a->type_of("@mn"), "min");
  EXPECT_EQ(a->type_of("@mx"), "max");
  EXPECT_EQ(a->type_of("@st"), "stats");
  EXPECT_EQ(a->type_of("@h"), "hist");
  EXPECT_EQ(a->type_of("@l"), "lhist(0,100,10)");
  const auto& stmts = a->program->probes[0]->body.stmts;
  auto key_of = [&](size_t i) {
    return dynamic_cast<tracelet::ast::AssignMap&>(*stmts[i]).map->key_type.str();
  };
  EXPECT_EQ(key_of(0), "string[16]");
  EXPECT_EQ(key_of(1), "(int64,string[16])"); // integer keys widen keeping their sign
  EXPECT_EQ(key_of(2), "none");
}

TEST(TypeInference, MapsAgreeAcrossProbes) {
  // Integers of either sign agree; strings agree and the map keeps the largest; the map read
  // in BEGIN before its assignment in END still gets its type.
  auto a = analyse("BEGIN { @x = 1; @s = \"abc\"; print(@late); $v = @late; } "
                   "END { @x = nsecs; @s = \"abcdefgh\"; @late = (1, \"x\"); @t = @s; }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("@x"), "int64");
  EXPECT_EQ(a->type_of("@s"), "string[9]");
  EXPECT_EQ(a->type_of("@late"), "(int64,string[2])");
  EXPECT_EQ(a->type_of("$v"), "(int64,string[2])");
  EXPECT_EQ(a->type_of("@t"), "string[9]");
}

TEST(TypeInference, MapFunctionsAndForLoops) {
  auto a = analyse("BEGIN { @m[1, \"a\"] = 1; delete(@m[2, \"b\"]); delete(@m, (3, \"c\")); "
                   "clear(@m); zero(@m); print(@m, 10, 2); print(@m[1, \"a\"]); "
                   "for ($kv : @m) { print($kv.0); } @i++; }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("$kv"), "((int64,string[2]),int64)");
  EXPECT_EQ(a->type_of("$kv.0"), "(int64,string[2])");
  EXPECT_EQ(a->type_of("@i++"), "int64");
}

TEST(TypeInference, PositionalParameters) {
  auto a = analyse("BEGIN { printf(\"%s %d %d\\n\", str($1), $#, $2); $x = str($3); $n = $2; }",
                   {"abc", "-42"});
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("$1"), "string[4]");
  EXPECT_EQ(a->type_of("$#"), "int64");
  EXPECT_EQ(a->type_of("$2"), "int64");
  EXPECT_EQ(a->type_of("$3"), "string[1]"); // missing: "" like bpftrace
  std::vector<std::string> values;
  struct Collect : tracelet::ast::Visitor {
    using Visitor::visit;
    std::vector<std::string>* out;
    void visit(tracelet::ast::PositionalParam& p) override { out->push_back(p.value); }
  } collect;
  collect.out = &values;
  a->program->accept(collect);
  EXPECT_EQ(values, (std::vector<std::string>{"abc", "2", "-42", "", "-42"}));

  auto missing = analyse("BEGIN { printf(\"%d\\n\", $1); }");
  ASSERT_TRUE(missing->ok) << missing->errors();
  EXPECT_EQ(missing->type_of("$1"), "int64"); // missing numeric parameter reads as 0
}

TEST(TypeInference, PrintfAcceptsMatchingConversions) {
  auto a = analyse("BEGIN { printf(\"%-5d %05u %x %X %o %c %p %s %s %lld %hhu %% %+i\\n\", "
                   "1, pid, 3, 4, 5, 65, 7, comm, probe, nsecs, 9, -1); }");
  EXPECT_TRUE(a->ok) << a->errors();
}

TEST(TypeInference, NumericParametersAcceptBpftraceForms) {
  auto a = analyse("BEGIN { $a = $1; $b = $2; $c = $3; $d = $4; unroll($5) {} }",
                   {"0x10", "010", " +7", "-3", "0x2"});
  ASSERT_TRUE(a->ok) << a->errors();
  std::vector<std::string> values;
  struct Collect : tracelet::ast::Visitor {
    using Visitor::visit;
    std::vector<std::string>* out;
    void visit(tracelet::ast::PositionalParam& p) override { out->push_back(p.value); }
    void visit(tracelet::ast::Unroll& u) override {
      walk(u.count);
      visit(u.body);
    }
  } collect;
  collect.out = &values;
  a->program->accept(collect);
  EXPECT_EQ(values, (std::vector<std::string>{"16", "8", "7", "-3", "2"}));
}

TEST(TypeInference, MapReadBeforeItsFirstAssignmentInTheSameProbe) {
  auto a = analyse("interval:ms:20 /@n < 5/ { @n++; @ticks = count(); }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("@n"), "int64");
}

TEST(TypeInference, StrOfATracepointStringFieldIsTheStringItself) {
  auto a = analyse("tracepoint:sched:sched_process_exec { $s = str(args.filename); }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("str(args.filename)"), "string[64]");
}

TEST(TypeInference, MapsAndVariablesKeepPointers) {
  // As bpftrace: a pointer keeps its type in maps (values, keys, tuples) and variables, so
  // `->`, `[]` and pointer arithmetic work through them.
  auto a = analyse("tracepoint:syscalls:sys_enter_openat { @p = args.filename; "
                   "@k[args.filename] = 1; $v = args.filename; $t = (1, args.filename); "
                   "@q[1] = args.filename; $c = @q[1][2]; $d = *@p; $e = $v[3]; }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("@p"), "int8 *");
  EXPECT_EQ(a->type_of("$v"), "int8 *");
  EXPECT_EQ(a->type_of("$t"), "(int64,int8 *)");
  EXPECT_EQ(a->type_of("@q[1][2]"), "int8");
  EXPECT_EQ(a->type_of("$v[3]"), "int8");
  EXPECT_EQ(a->type_of("*@p"), "int8");
  const auto& stmts = a->program->probes[0]->body.stmts;
  EXPECT_EQ(dynamic_cast<tracelet::ast::AssignMap&>(*stmts[1]).map->key_type.str(), "int8 *");
}

TEST(TypeInference, PointerArithmeticKeepsThePointerType) {
  auto a = analyse("BEGIN { $p = (int32 *)32; $a = $p + 1; $b = 2 + $p; $c = $p - 3; "
                   "$p++; --$p; $p += 2; $p -= 1; @m = (int16 *)8; @m++; @m -= 4; "
                   "$lt = $p < $a; $eq = $p == 32; }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("$p + 1"), "int32 *");
  EXPECT_EQ(a->type_of("2 + $p"), "int32 *");
  EXPECT_EQ(a->type_of("$p - 3"), "int32 *");
  EXPECT_EQ(a->type_of("$p++"), "int32 *");
  EXPECT_EQ(a->type_of("@m++"), "int16 *");
  EXPECT_EQ(a->type_of("$p < $a"), "uint64");
  EXPECT_EQ(a->type_of("$p == 32"), "uint64");
}

TEST(TypeInference, PointerRulesThatBpftraceRefuses) {
  // No pointer difference, no integer minus pointer, no *, &, ... on pointers, no mixing of
  // pointers and integers in one map or variable.
  for (const char* script :
       {"BEGIN { $p = (int32 *)32; $d = $p - $p; }", "BEGIN { $p = (int32 *)32; $d = 2 - $p; }",
        "BEGIN { $p = (int32 *)32; $d = $p * 2; }", "BEGIN { $p = (int32 *)32; $p *= 2; }",
        "BEGIN { @p = (int32 *)32; @p |= 1; }", "BEGIN { @p = (int32 *)32; @p = 8; }",
        "BEGIN { @p = 8; @p = (int32 *)32; }", "BEGIN { $p = (int32 *)32; $p = 8; }"}) {
    auto a = analyse(script);
    EXPECT_FALSE(a->ok) << script;
  }
  // A pointer map takes a pointer of another type (bpftrace too) and keeps its first type.
  auto a = analyse("BEGIN { @p = (int32 *)32; @p = (int64 *)8; }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("@p"), "int32 *");
}

TEST(TypeInference, TupleElementsKeepTheirSizes) {
  // bpftrace lays tuples out with natural alignment: sizeof(((int8)1, (int16)1, (int32)1)) is 8.
  auto a = analyse("BEGIN { $t = ((int8)1, (int16)2, (int32)3); @m = ((int8)1, \"ab\"); "
                   "@n = ((int16)1, ((int8)2, (int32)3)); @w = ((int8)1, 2); @w = (3, 4); }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("$t"), "(int8,int16,int32)");
  EXPECT_EQ(a->type_of("@m"), "(int8,string[3])");
  EXPECT_EQ(a->type_of("@n"), "(int16,(int8,int32))");
  // Tuples of different integer sizes share the wider layout (bpftrace 0.17 refuses them).
  EXPECT_EQ(a->type_of("@w"), "(int64,int64)");
}

} // namespace
