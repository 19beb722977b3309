// MapDesc::key_names: the names --metrics gives its labels, from the key expressions.
#include "codegen_fixture.h"

namespace tracelet::testing {
namespace {

const codegen::MapDesc* find_map(const codegen::CompiledProgram& p, const std::string& name) {
  for (const auto& m : p.maps)
    if (m.name == name) return &m;
  return nullptr;
}

std::vector<std::string> names_of(const std::string& source, const std::string& map) {
  auto c = compile_source(source, false);
  if (!c) return {"<not compiled>"};
  const auto* m = find_map(c->program, map);
  if (!m) return {"<no map>"};
  return m->key_names;
}

using Names = std::vector<std::string>;

TEST(KeyNames, BuiltinsFieldsVariablesAndFunctions) {
  EXPECT_EQ(names_of("tracepoint:syscalls:sys_enter_read { @[comm, pid] = count(); }", "@"),
            (Names{"comm", "pid"}));
  EXPECT_EQ(
      names_of("tracepoint:syscalls:sys_enter_openat { @o[str(args.filename)] = count(); }", "@o"),
      (Names{"filename"}));
  EXPECT_EQ(names_of("tracepoint:syscalls:sys_enter_openat { @o[args->flags] = count(); }", "@o"),
            (Names{"flags"}));
  EXPECT_EQ(names_of("tracepoint:syscalls:sys_enter_read { @p[probe] = count(); }", "@p"),
            (Names{"probe"}));
  EXPECT_EQ(names_of("tracepoint:syscalls:sys_enter_read { $fd = args.fd; @f[$fd, (int32)cpu] = "
                     "sum(args.count); }",
                     "@f"),
            (Names{"fd", "cpu"}));
}

TEST(KeyNames, UnnamedAndKeyless) {
  // Literals and arithmetic have no name (the runtime falls back to key0, key1, ...).
  EXPECT_EQ(names_of("tracepoint:syscalls:sys_enter_read { @l[1, pid + 1] = count(); }", "@l"),
            (Names{"", ""}));
  EXPECT_TRUE(names_of("tracepoint:syscalls:sys_enter_read { @n = count(); }", "@n").empty());
}

TEST(KeyNames, FirstUseWithKeysNamesThem) {
  // The map is first met in print() (no keys), then with keys.
  EXPECT_EQ(
      names_of("BEGIN { print(@m); } tracepoint:syscalls:sys_enter_read { @m[tid] = 1; }", "@m"),
      (Names{"tid"}));
}

} // namespace
} // namespace tracelet::testing
