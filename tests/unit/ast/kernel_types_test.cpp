// Kernel types in the semantic pass: curtask, casts to kernel structs, field chains through
// lazily completed records, sizeof/offsetof, named constants; and their errors, exactly.
#include "semantic_fixture.h"

#include <gtest/gtest.h>

using namespace tracelet;
using ast::Type;

namespace {

std::shared_ptr<ast::Type> shared(Type t) {
  return std::make_shared<Type>(std::move(t));
}

// A kernel with a tiny BTF: task_struct -> nsproxy -> uts_namespace -> new_utsname, where
// nsproxy is reached through a pointer and completed only when asked for, as KernelBtf does.
class BtfKernel : public test::FakeKernel {
public:
  BtfKernel() {
    utsname_->name = "struct new_utsname";
    utsname_->size = 390;
    utsname_->fields = {{"sysname", shared(Type::string(65)), 0},
                        {"nodename", shared(Type::string(65)), 65}};
    uts_->name = "struct uts_namespace";
    uts_->size = 400;
    uts_->fields = {{"name", shared(Type::of_record(utsname_)), 4}};
    nsproxy_->name = "struct nsproxy";
    nsproxy_->size = 72;
    nsproxy_->fields_pending = true;
    task_->name = "struct task_struct";
    task_->size = 3264;
    task_->fields = {
        {"__state", shared(Type::integer(4, false)), 24},
        {"pid", shared(Type::integer(4, true)), 1480},
        {"tgid", shared(Type::integer(4, true)), 1484},
        {"in_execve", shared(Type::integer(1, false)), 1188, 1, 3},
        {"comm", shared(Type::string(16)), 1896},
        {"cpus", shared(Type::array(Type::integer(8, false), 4)), 2000},
        {"nsproxy", shared(Type::pointer(Type::of_record(nsproxy_))), 1960},
        {"parent", shared(Type::pointer(Type::of_record(task_))), 1456},
        {"ns_copy", shared(Type::of_record(nsproxy_)), 2100}, // by value, completed lazily
    };
  }
  std::shared_ptr<const ast::RecordDef> kernel_record(const std::string& name) override {
    ++record_calls;
    if (name == "struct task_struct") return task_;
    if (name == "struct nsproxy") {
      if (nsproxy_->fields_pending) {
        nsproxy_->fields = {{"uts_ns", shared(Type::pointer(Type::of_record(uts_))), 8}};
        nsproxy_->fields_pending = false;
      }
      return nsproxy_;
    }
    if (name == "struct uts_namespace") return uts_;
    return nullptr;
  }
  std::optional<Type> kernel_type(const std::string& name) override {
    if (name == "pid_t") return Type::integer(4, true);
    return std::nullopt;
  }
  std::optional<int64_t> kernel_constant(const std::string& name,
                                         const std::vector<std::string>& headers) override {
    last_headers = headers;
    if (name == "TASK_RUNNING") return 0;
    if (name == "AF_INET6") return 10;
    return std::nullopt;
  }
  int record_calls = 0;
  std::vector<std::string> last_headers;

private:
  std::shared_ptr<ast::RecordDef> task_ = std::make_shared<ast::RecordDef>();
  std::shared_ptr<ast::RecordDef> nsproxy_ = std::make_shared<ast::RecordDef>();
  std::shared_ptr<ast::RecordDef> uts_ = std::make_shared<ast::RecordDef>();
  std::shared_ptr<ast::RecordDef> utsname_ = std::make_shared<ast::RecordDef>();
};

} // namespace

TEST(KernelTypes, CurtaskChainsThroughLazilyCompletedRecords) {
  BtfKernel kernel;
  auto a = test::analyse("BEGIN { printf(\"%s %d\\n\", curtask->nsproxy->uts_ns->name.nodename, "
                         "curtask->parent->tgid); }",
                         {}, &kernel);
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("curtask"), "struct task_struct *");
  EXPECT_EQ(a->type_of("curtask->nsproxy"), "struct nsproxy *");
  EXPECT_EQ(a->type_of("curtask->nsproxy->uts_ns->name"), "struct new_utsname");
  EXPECT_EQ(a->type_of("curtask->nsproxy->uts_ns->name.nodename"), "string[65]");
  EXPECT_EQ(a->type_of("curtask->parent->tgid"), "int32");
}

TEST(KernelTypes, RecordsHeldByValueAreCompletedToBePrintedOrStored) {
  // bpftrace prints `print(curtask->se.load)` as { .weight = ..., .inv_weight = ... }: a BTF
  // record reached as a member is known by name only until its value is printed or stored.
  for (const char* source :
       {"BEGIN { print(curtask->ns_copy); }", "BEGIN { @v = curtask->ns_copy; }",
        "BEGIN { @k[curtask->ns_copy] = count(); }", "BEGIN { @t = (curtask->ns_copy, 1); }"}) {
    BtfKernel kernel;
    auto a = test::analyse(source, {}, &kernel);
    ASSERT_TRUE(a->ok) << source << "\n" << a->errors();
    EXPECT_EQ(a->type_of("curtask->ns_copy"), "struct nsproxy") << source;
  }
}

TEST(KernelTypes, CastsBitfieldsArraysSizeofOffsetof) {
  BtfKernel kernel;
  auto a = test::analyse("BEGIN { $t = (struct task_struct *)curtask; "
                         "@[$t->in_execve, $t->cpus[1], (pid_t)$t->pid] = count(); "
                         "printf(\"%d %d %d\\n\", sizeof(struct task_struct), "
                         "offsetof(struct task_struct, pid), "
                         "offsetof(struct uts_namespace, name.nodename)); }",
                         {}, &kernel);
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("$t->in_execve"), "uint8");
  EXPECT_EQ(a->type_of("$t->cpus[1]"), "uint64");
  EXPECT_EQ(a->type_of("(pid_t)$t->pid"), "int32");
  std::vector<uint64_t> values;
  struct Collect : ast::Visitor {
    std::vector<uint64_t>* out;
    void visit(ast::Sizeof& n) override { out->push_back(n.value.value_or(~0ull)); }
    void visit(ast::Offsetof& n) override { out->push_back(n.value.value_or(~0ull)); }
  } collect;
  collect.out = &values;
  a->program->accept(collect);
  EXPECT_EQ(values, (std::vector<uint64_t>{3264, 1480, 4 + 65}));
}

TEST(KernelTypes, NamedConstantsAskTheKernelWithTheIncludes) {
  BtfKernel kernel;
  auto a = test::analyse("#include <linux/socket.h>\n"
                         "BEGIN { if (curtask->__state == TASK_RUNNING) { print(AF_INET6); } }",
                         {}, &kernel);
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("AF_INET6"), "int64");
  EXPECT_EQ(kernel.last_headers, std::vector<std::string>{"linux/socket.h"});
}

TEST(KernelTypes, ScriptsWithoutKernelTypesNeverAskForThem) {
  BtfKernel kernel;
  auto a = test::analyse("BEGIN { printf(\"%d %s\\n\", pid, comm); exit(); }", {}, &kernel);
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(kernel.record_calls, 0);
}

struct KernelTypeError {
  const char* source;
  const char* expected;
};

class KernelTypeErrors : public testing::TestWithParam<KernelTypeError> {};

void PrintTo(const KernelTypeError& c, std::ostream* os) {
  *os << c.source;
}

TEST_P(KernelTypeErrors, ReportedExactly) {
  BtfKernel kernel;
  auto a = test::analyse(GetParam().source, {}, &kernel);
  ASSERT_NE(a->program, nullptr) << a->errors();
  EXPECT_FALSE(a->ok);
  EXPECT_EQ(a->errors(), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    All, KernelTypeErrors,
    testing::Values(
        KernelTypeError{"BEGIN { $s = (struct nosuch *)0; }",
                        "stdin:1:15: error: unknown type 'struct nosuch'\n"
                        "BEGIN { $s = (struct nosuch *)0; }\n"
                        "              ^~~~~~~~~~~~~~~\n"},
        KernelTypeError{"BEGIN { print(curtask->pidd); }",
                        "stdin:1:15: error: struct task_struct has no field 'pidd' (did you mean "
                        "'pid'?)\n"
                        "BEGIN { print(curtask->pidd); }\n"
                        "              ^~~~~~~~~~~~~\n"},
        KernelTypeError{"BEGIN { print(offsetof(struct task_struct, comn)); }",
                        "stdin:1:15: error: struct task_struct has no field 'comn' (did you "
                        "mean 'comm'?)\n"
                        "BEGIN { print(offsetof(struct task_struct, comn)); }\n"
                        "              ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"},
        KernelTypeError{"BEGIN { print(TASK_RUNNNG); }",
                        "stdin:1:15: error: unknown identifier 'TASK_RUNNNG'\n"
                        "BEGIN { print(TASK_RUNNNG); }\n"
                        "              ^~~~~~~~~~~\n"}));

TEST(KernelTypes, AddressOfMembersInMemory) {
  BtfKernel kernel;
  auto a = test::analyse("BEGIN { $o = (uint64)&((struct task_struct *)0)->pid; "
                         "$p = &curtask->cpus[2]; }",
                         {}, &kernel);
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("&((struct task_struct *)0)->pid"), "int32 *");
  EXPECT_EQ(a->type_of("&curtask->cpus[2]"), "uint64 *");
  auto bad = test::analyse("BEGIN { $p = &pid; }", {}, &kernel);
  EXPECT_EQ(bad->errors(), "stdin:1:14: error: the address-of operator '&' needs a field or "
                           "element of a struct in kernel or user memory\n"
                           "BEGIN { $p = &pid; }\n"
                           "             ^~~~\n");
}

TEST(KernelTypes, CurtaskWithoutBtf) {
  auto a = test::analyse("BEGIN { print(curtask->pid); }");
  EXPECT_EQ(a->errors(),
            "stdin:1:15: error: curtask needs the kernel's BTF, and struct task_struct is not in "
            "it\n"
            "BEGIN { print(curtask->pid); }\n"
            "              ^~~~~~~\n");
}

TEST(KernelTypes, RenamedKernelFieldReadsTheNewNameWithAWarning) {
  // task_struct::state became __state in Linux 5.14; scripts written before still say state.
  BtfKernel kernel;
  auto a = test::analyse("BEGIN { @ = curtask->state; }", {}, &kernel);
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("curtask->state"), "uint32");
  EXPECT_EQ(a->errors(), "stdin:1:13: warning: struct task_struct has no field 'state'; reading "
                         "'__state', its name since Linux 5.14\n"
                         "BEGIN { @ = curtask->state; }\n"
                         "            ^~~~~~~~~~~~~~\n");
  // A field that was never renamed stays an error.
  auto b = test::analyse("BEGIN { @ = curtask->nr_running; }", {}, &kernel);
  EXPECT_FALSE(b->ok);
  EXPECT_EQ(b->diags.error_count(), 1);
}
