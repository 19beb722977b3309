// `#include` of a header that exists nowhere is a located error (issue 10, item 9; bpftrace:
// "file not found"); kernel headers are satisfied by BTF; others are looked up as clang does:
// the including file's directory ("x.h" only), the -I directories, the system directories.
#include "parse_helpers.h"
#include "parser/header_search.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <unistd.h>

using namespace tracelet;
using namespace tracelet::testing;

TEST(HeaderSearch, MissingHeaderIsALocatedError) {
  auto r = parse_text("#include <nonexistent_tracelet_header.h>\nBEGIN { }");
  EXPECT_EQ(r.program, nullptr);
  EXPECT_EQ(r.messages(),
            "stdin:1:1: error: #include <nonexistent_tracelet_header.h>: file not found\n"
            "#include <nonexistent_tracelet_header.h>\n"
            "^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n");
}

TEST(HeaderSearch, KernelHeadersNeedNotBeOnDisk) {
  auto r = parse_text("#include <linux/sched.h>\n#include <net/sock.h>\n#include \"net/sock.h\"\n"
                      "#include <asm/ptrace.h>\nBEGIN { }");
  EXPECT_NE(r.program, nullptr) << r.messages();
}

TEST(HeaderSearch, SystemHeadersAreFoundInUsrInclude) {
  if (access("/usr/include/stdint.h", R_OK) != 0) GTEST_SKIP() << "no /usr/include/stdint.h";
  auto r = parse_text("#include <stdint.h>\nBEGIN { }");
  EXPECT_NE(r.program, nullptr) << r.messages();
}

TEST(HeaderSearch, UserHeadersAreThoseOutsideTheSystemDirectories) {
  std::string dir = "/tmp/tracelet_header_search_" + std::to_string(getpid());
  ASSERT_EQ(system(("mkdir -p " + dir + "/inc").c_str()), 0);
  std::ofstream(dir + "/local.h") << "#define A 1\n";
  std::ofstream(dir + "/inc/other.h") << "#define B 2\n";
  auto near = parser::find_header("local.h", true, dir);
  EXPECT_TRUE(near.found && near.user);
  EXPECT_EQ(near.path, dir + "/local.h");
  EXPECT_FALSE(parser::find_header("local.h", false, dir).found) << "<x.h> skips the includer";
  EXPECT_FALSE(parser::find_header("other.h", true, dir).found);
  parser::set_include_dirs({dir + "/inc"});
  auto in_dir = parser::find_header("other.h", false, ".");
  parser::set_include_dirs({});
  EXPECT_TRUE(in_dir.found && in_dir.user);
  EXPECT_EQ(in_dir.path, dir + "/inc/other.h");
  auto absolute = parser::find_header(dir + "/local.h", false, ".");
  EXPECT_TRUE(absolute.found && absolute.user);
  EXPECT_EQ(parser::directory_of(in_dir.path), dir + "/inc");
  EXPECT_EQ(parser::directory_of("x.h"), ".");
  ASSERT_EQ(system(("rm -rf " + dir).c_str()), 0);
}

TEST(HeaderSearch, SystemAndKernelHeadersAreNotTheUsers) {
  auto kernel = parser::find_header("linux/nonexistent_tracelet.h", false, ".");
  EXPECT_TRUE(kernel.found);
  EXPECT_FALSE(kernel.user);
  if (access("/usr/include/stdint.h", R_OK) != 0) GTEST_SKIP() << "no /usr/include/stdint.h";
  auto sys = parser::find_header("stdint.h", true, ".");
  EXPECT_TRUE(sys.found);
  EXPECT_FALSE(sys.user);
}
