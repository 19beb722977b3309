// uprobe `args` and struct casts typed from a binary's DWARF (KernelInfo::binary_function_args,
// binary_record), with a fake binary: the types the passes give, the located errors, and that
// a script that does not use them never asks (so start-up never reads debug info for it).
#include "semantic_fixture.h"

#include <gtest/gtest.h>

namespace tracelet {
namespace {

using ast::AddrSpace;
using ast::Type;

// /bin/x's f(int a, const char *name, struct thing *t) and g(long a); struct thing in DWARF.
class DwarfKernel : public test::FakeKernel {
public:
  std::shared_ptr<const ast::RecordDef> binary_function_args(const std::string& path,
                                                             const std::string& func,
                                                             std::string& error) override {
    ++dwarf_calls;
    auto shared = [](Type t) { return std::make_shared<Type>(std::move(t)); };
    auto record = std::make_shared<ast::RecordDef>();
    record->name = "struct " + func + "_args";
    if (path == "/bin/x" && func == "f") {
      record->fields = {
          {"a", shared(Type::integer(4, true)), 0},
          {"name", shared(Type::pointer(Type::integer(1, true), AddrSpace::User)), 8},
          {"t", shared(Type::pointer(Type::of_record(thing(), AddrSpace::User), AddrSpace::User)),
           16}};
      return record;
    }
    if (path == "/bin/x" && func == "g") {
      record->fields = {{"a", shared(Type::integer(8, true)), 0}};
      return record;
    }
    error = path + " has no DWARF debug info";
    return nullptr;
  }
  std::shared_ptr<const ast::RecordDef> binary_record(const std::string& path,
                                                      const std::string& name) override {
    ++dwarf_calls;
    return path == "/bin/x" && name == "struct thing" ? thing() : nullptr;
  }
  static std::shared_ptr<ast::RecordDef> thing() {
    static auto def = [] {
      auto d = std::make_shared<ast::RecordDef>();
      d->name = "struct thing";
      d->size = 16;
      d->fields = {{"id", std::make_shared<Type>(Type::integer(8, false)), 0},
                   {"flags", std::make_shared<Type>(Type::integer(4, false)), 8}};
      return d;
    }();
    return def;
  }
  int dwarf_calls = 0;
};

TEST(UprobeArgs, TypedFromTheBinarysDebugInfo) {
  DwarfKernel kernel;
  auto a = test::analyse("uprobe:/bin/x:f { @a = args.a; @n = str(args.name); @id = args->t->id; "
                         "@f = args.t->flags; }",
                         {}, &kernel);
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("args.a"), "int32");
  EXPECT_EQ(a->type_of("args.name"), "int8 *");
  EXPECT_EQ(a->type_of("args->t->id"), "uint64");
  EXPECT_EQ(a->type_of("args.t->flags"), "uint32");
}

TEST(UprobeArgs, ScriptsWithoutArgsNeverAskForDebugInfo) {
  DwarfKernel kernel;
  auto a = test::analyse("uprobe:/bin/x:f { @ = arg0 + arg1; } uretprobe:/bin/x:g { @r = retval; } "
                         "BEGIN { printf(\"hi\\n\"); }",
                         {}, &kernel);
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(kernel.dwarf_calls, 0);
}

TEST(UprobeArgs, OnlyAtTheFunctionsEntry) {
  DwarfKernel kernel;
  auto a = test::analyse("uprobe:/bin/x:f+4 { @ = args.a; }", {}, &kernel);
  EXPECT_FALSE(a->ok);
  EXPECT_EQ(a->errors(), "stdin:1:25: error: args needs the uprobe at the function's entry, not "
                         "at f+4\n"
                         "uprobe:/bin/x:f+4 { @ = args.a; }\n"
                         "                        ^~~~\n");
  EXPECT_EQ(kernel.dwarf_calls, 0);
}

TEST(UprobeArgs, CastToAStructOfTheBinary) {
  DwarfKernel kernel;
  auto a = test::analyse("uprobe:/bin/x:g { @ = ((struct thing *)arg0)->flags; }", {}, &kernel);
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("((struct thing *)arg0)->flags"), "uint32");
  EXPECT_EQ(a->type_of("(struct thing *)arg0"), "struct thing *");
}

TEST(UprobeArgs, LocatedErrors) {
  DwarfKernel kernel;
  auto a = test::analyse("uprobe:/bin/x:f { @ = args.nope; }\n"
                         "uprobe:/bin/bash:readline { @b = args.x; }\n"
                         "uretprobe:/bin/x:f { @c = args.a; }\n"
                         "uprobe:/bin/x:f,uprobe:/bin/x:g { @d = args.a; }\n"
                         "uprobe:/bin/x:g { @e = ((struct other *)arg0)->x; }\n",
                         {}, &kernel);
  EXPECT_FALSE(a->ok);
  EXPECT_EQ(a->errors(),
            "stdin:1:23: error: function f of /bin/x has no parameter 'nope'; its parameters "
            "are: a, name, t\n"
            "uprobe:/bin/x:f { @ = args.nope; }\n"
            "                      ^~~~~~~~~\n"
            "stdin:2:34: error: args: /bin/bash has no DWARF debug info\n"
            "uprobe:/bin/bash:readline { @b = args.x; }\n"
            "                                 ^~~~\n"
            "stdin:3:27: error: args is not available in uretprobe probes (as in bpftrace): read "
            "the parameters in a uprobe on the function's entry\n"
            "uretprobe:/bin/x:f { @c = args.a; }\n"
            "                          ^~~~\n"
            "stdin:4:40: error: args.a has type int32 in function f of /bin/x but int64 in "
            "function g of /bin/x\n"
            "uprobe:/bin/x:f,uprobe:/bin/x:g { @d = args.a; }\n"
            "                                       ^~~~~~\n"
            "stdin:5:26: error: unknown type 'struct other' (neither the kernel's BTF nor the "
            "debug info of /bin/x defines it)\n"
            "uprobe:/bin/x:g { @e = ((struct other *)arg0)->x; }\n"
            "                         ^~~~~~~~~~~~~~\n");
}

} // namespace
} // namespace tracelet
