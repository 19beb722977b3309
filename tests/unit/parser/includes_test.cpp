// `#include "x.h"`, -I and --include as bpftrace 0.17 does them (clang underneath): a user's
// header is part of the program (#defines, struct/union/enum/typedef, nested includes, include
// guards, #pragma once, conditionals), found in the including file's directory (the current
// directory for the script), then in the -I directories; errors in it are located in it.
#include "parse_helpers.h"
#include "parser/header_search.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace tracelet;
using namespace tracelet::testing;
namespace fs = std::filesystem;

namespace {

const ast::CDeclaration* find_record(const ast::Program& p, const std::string& name) {
  for (const auto& def : p.c_definitions)
    for (const auto& decl : def.declarations)
      if (decl.type.record && decl.type.record->name == "struct " + name) return &decl;
  return nullptr;
}

// A fresh directory that is the current directory while the test runs; -I and --include
// settings are cleared at the end.
class IncludeTest : public ::testing::Test {
protected:
  void SetUp() override {
    old_ = fs::current_path();
    dir_ = fs::temp_directory_path() /
           ("tracelet_includes_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fs::current_path(dir_);
  }
  void TearDown() override {
    parser::set_include_dirs({});
    parser::set_include_files({});
    fs::current_path(old_);
    fs::remove_all(dir_);
  }
  void write(const std::string& path, const std::string& text) {
    fs::path p = dir_ / path;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }
  // Parses `text` into parsed_ and returns its AST dump (macros expanded); when it does not
  // parse, the test fails and the dump is the messages.
  std::string parse_dump(const std::string& text) {
    parsed_ = parse_text(text);
    EXPECT_NE(parsed_.program, nullptr) << parsed_.messages();
    return parsed_.program ? dump(*parsed_.program) : parsed_.messages();
  }
  // The struct `name` as the program parsed last defines it (nullptr if it does not).
  const ast::CDeclaration* record(const std::string& name) const {
    return parsed_.program ? find_record(*parsed_.program, name) : nullptr;
  }
  ParseResult parsed_;

private:
  fs::path old_, dir_;
};

} // namespace

TEST_F(IncludeTest, HeaderDefinitionsActAsTheScripts) {
  write("defs.h", "// a header\n"
                  "#define N 4\n"
                  "#define TWICE(x) ((x) * 2)\n"
                  "enum color { RED = N, GREEN };\n"
                  "struct pair { int a[N]; long b; };\n"
                  "typedef struct pair pair_t;\n");
  std::string ast =
      parse_dump("#include \"defs.h\"\nBEGIN { printf(\"%d %d\\n\", TWICE(N), GREEN); }");
  EXPECT_NE(record("pair"), nullptr);
  EXPECT_NE(ast.find("int: 4"), std::string::npos) << ast;
  EXPECT_NE(ast.find("   *\n    int: 4\n    int: 2\n"), std::string::npos) << ast;
  // The headers' definitions come before the script's, after the #defines.
  ASSERT_NE(parsed_.program, nullptr);
  EXPECT_EQ(parsed_.program->c_definitions.front().text, "#define N 4");
  EXPECT_TRUE(parsed_.program->includes.empty()) << "a user header is not a system header";
}

TEST_F(IncludeTest, NestedIncludesLookInTheHeadersDirectoryFirst) {
  write("h.h", "#define WHERE 1\n");
  write("c/h.h", "#define WHERE 2\n");
  write("c/nest.h", "#include \"h.h\"\n");
  EXPECT_NE(dump_text("#include \"c/nest.h\"\nBEGIN { @ = WHERE; }").find("int: 2"),
            std::string::npos);
}

TEST_F(IncludeTest, SearchOrderCurrentDirectoryThenIncludeDirsInOrder) {
  write("a/h.h", "#define WHERE 1\n");
  write("b/h.h", "#define WHERE 2\n");
  parser::set_include_dirs({"b", "a"});
  EXPECT_NE(dump_text("#include \"h.h\"\nBEGIN { @ = WHERE; }").find("int: 2"), std::string::npos);
  write("h.h", "#define WHERE 3\n");
  EXPECT_NE(dump_text("#include \"h.h\"\nBEGIN { @ = WHERE; }").find("int: 3"), std::string::npos);
  // <h.h> does not look in the current directory, but does in -I directories.
  EXPECT_NE(dump_text("#include <h.h>\nBEGIN { @ = WHERE; }").find("int: 2"), std::string::npos);
}

TEST_F(IncludeTest, ScriptsDirectoryIsNotSearched) {
  // bpftrace 0.17 compiles the script as a file in the current directory.
  write("sub/h.h", "#define WHERE 1\n");
  auto r = parse_text("#include \"h.h\"\nBEGIN { @ = WHERE; }", "sub/t.bt");
  EXPECT_EQ(r.program, nullptr);
  EXPECT_EQ(r.messages(), "sub/t.bt:1:1: error: #include \"h.h\": file not found\n"
                          "#include \"h.h\"\n"
                          "^~~~~~~~~~~~~~\n");
}

TEST_F(IncludeTest, IncludeGuardsAndPragmaOnce) {
  write("guarded.h", "#ifndef GUARDED_H\n#define GUARDED_H\nstruct g { int x; };\n#endif\n");
  write("once.h", "#pragma once\nstruct o { int y; };\n");
  write("both.h", "#include \"guarded.h\"\n#include \"once.h\"\n");
  auto r = parse_text("#include \"guarded.h\"\n#include \"once.h\"\n#include \"both.h\"\n"
                      "#include \"guarded.h\"\nBEGIN { }");
  ASSERT_NE(r.program, nullptr) << r.messages();
  int records = 0;
  for (const auto& def : r.program->c_definitions)
    records += static_cast<int>(def.declarations.size());
  EXPECT_EQ(records, 2);
}

TEST_F(IncludeTest, Conditionals) {
  write("cond.h", "#define VERSION 3\n"
                  "#if 0\nstruct never { int x; };\n#endif\n"
                  "#if VERSION >= 3 && defined(VERSION) && !defined UNDEFINED\n"
                  "#define A 1\n"
                  "#elif VERSION == 2\n#define A 2\n"
                  "#else\n#define A 3\n#endif\n"
                  "#if UNDEFINED_NAME\n#define B 1\n#elif (VERSION << 1) == 6 /* yes */\n"
                  "#define B 2\n#else\n#define B 3\n#endif\n"
                  "#ifdef VERSION\n#define C 1\n#else\n#define C 2\n#endif\n");
  std::string ast = parse_dump("#include \"cond.h\"\nBEGIN { @ = A * 100 + B * 10 + C; }");
  EXPECT_EQ(record("never"), nullptr);
  EXPECT_NE(ast.find("int: 1\n"), std::string::npos) << ast;
  EXPECT_NE(ast.find("int: 2\n"), std::string::npos) << ast;
  EXPECT_EQ(ast.find("int: 3\n"), std::string::npos) << ast;
}

TEST_F(IncludeTest, HasIncludeAsksTheDiskWithTheIncludeSearchOrder) {
  // As clang answers it for bpftrace 0.17: "x.h" next to the script or in an -I directory,
  // <x.h> in the system directories; a kernel header #include would accept without a file
  // is not there for __has_include.
  write("here.h", "");
  write("inc/there.h", "");
  parser::set_include_dirs({"inc"});
  std::string ast =
      parse_dump("#if __has_include(\"here.h\") && __has_include(<there.h>) && "
                 "__has_include( <stdio.h> ) && __has_include_next(<stdio.h>)\n"
                 "#define A 1\n#else\n#define A 2\n#endif\n"
                 "#if __has_include(\"absent.h\") || __has_include(<linux/no_such_header.h>)\n"
                 "#define B 3\n#else\n#define B 4\n#endif\n"
                 "BEGIN { @ = A * 10 + B; }");
  EXPECT_NE(ast.find("int: 1\n"), std::string::npos) << ast;
  EXPECT_NE(ast.find("int: 4\n"), std::string::npos) << ast;
  auto bad = parse_text("#if __has_include\n#endif\nBEGIN { }");
  EXPECT_EQ(bad.messages(), "stdin:1:5: error: __has_include in #if needs a header: "
                            "__has_include(<x.h>) or __has_include(\"x.h\")\n"
                            "#if __has_include\n"
                            "    ^~~~~~~~~~~~~\n");
}

TEST_F(IncludeTest, CommentsAndLineContinuations) {
  write("cont.h",
        "/* #define HIDDEN 1\n   struct hidden { int x; }; */\n"
        "#define LONG_ONE \\\n  (1 + \\\n   2)\n"
        "#if defined(LONG_ONE) && \\\n    LONG_ONE == 3\n#define OK 7 // seven\n#endif\n");
  std::string ast = parse_dump("#include \"cont.h\" // the header\nBEGIN { @ = OK + LONG_ONE; }");
  EXPECT_EQ(record("hidden"), nullptr);
  EXPECT_NE(ast.find("int: 7"), std::string::npos) << ast;
  EXPECT_EQ(ast.find("seven"), std::string::npos) << ast;
}

TEST_F(IncludeTest, ErrorInAHeaderIsLocatedThereAndSaysWhoIncludedIt) {
  write("inc/bad.h", "#define X 1\nstruct bad { int x; int };\n");
  write("outer.h", "\n#include \"inc/bad.h\"\n");
  auto r = parse_text("BEGIN { }\n#include \"outer.h\"\nEND { }");
  EXPECT_EQ(r.program, nullptr);
  EXPECT_EQ(r.messages().substr(0, r.messages().find('\n', r.messages().find("./inc"))),
            "In file included from stdin:2:\n"
            "In file included from ./outer.h:2:\n"
            "./inc/bad.h:2:25: error: expected a member name, found '}'")
      << r.messages();
  EXPECT_NE(r.messages().find("struct bad { int x; int };\n"
                              "                        ^\n"),
            std::string::npos)
      << r.messages();
}

TEST_F(IncludeTest, MissingNestedHeaderAndCycleAreLocated) {
  write("a.h", "#include \"missing.h\"\n");
  auto r = parse_text("#include \"a.h\"\nBEGIN { }");
  EXPECT_EQ(r.messages(), "In file included from stdin:1:\n"
                          "./a.h:1:1: error: #include \"missing.h\": file not found\n"
                          "#include \"missing.h\"\n"
                          "^~~~~~~~~~~~~~~~~~~~\n");
  write("cyc1.h", "#include \"cyc2.h\"\n");
  write("cyc2.h", "\n#include \"cyc1.h\"\n");
  auto c = parse_text("#include \"cyc1.h\"\nBEGIN { }");
  EXPECT_EQ(c.program, nullptr);
  ASSERT_EQ(c.diags.error_count(), 1) << c.messages();
  EXPECT_EQ(c.messages(), "In file included from stdin:1:\n"
                          "In file included from ./cyc1.h:1:\n"
                          "./cyc2.h:2:1: error: #include nested too deeply: include cycle "
                          "./cyc1.h -> ./cyc2.h -> ./cyc1.h\n"
                          "#include \"cyc1.h\"\n"
                          "^~~~~~~~~~~~~~~~~\n");
  // With include guards, headers that include each other are fine.
  write("g1.h", "#ifndef G1\n#define G1\n#include \"g2.h\"\n#endif\n");
  write("g2.h", "#ifndef G2\n#define G2\n#include \"g1.h\"\n#endif\n");
  auto g = parse_text("#include \"g1.h\"\nBEGIN { }");
  EXPECT_NE(g.program, nullptr) << g.messages();
}

TEST_F(IncludeTest, ForcedIncludeIsReadFirst) {
  write("b/forced.h", "#define FORCED 9\nstruct f { int z; };\n");
  parser::set_include_dirs({"b"});
  parser::set_include_files({"forced.h"});
  parse_dump("BEGIN { @ = FORCED; }");
  EXPECT_NE(record("f"), nullptr);
  parser::set_include_files({"nope.h"});
  EXPECT_THROW(parse_text("BEGIN { }"), Error);
}

TEST_F(IncludeTest, ProbesAndErrorDirectivesInAHeader) {
  write("probe.h", "BEGIN { }\n");
  auto r = parse_text("#include \"probe.h\"\nEND { }");
  EXPECT_EQ(r.program, nullptr);
  EXPECT_NE(r.messages().find("./probe.h:1:1: error: a header can only hold C definitions"),
            std::string::npos)
      << r.messages();
  write("err.h", "#ifndef NEEDED\n#error NEEDED must be defined\n#endif\n");
  auto e = parse_text("#include \"err.h\"\nEND { }");
  EXPECT_NE(e.messages().find("./err.h:2:1: error: #error NEEDED must be defined"),
            std::string::npos)
      << e.messages();
}
