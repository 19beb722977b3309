// Builtins and functions of issue 3, run on the real kernel.
#include "harness.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <sys/stat.h>

using namespace tracelet::test;

namespace {

// The cgroup v2 directory of this process (tracelet, our child, inherits it), or "".
std::string own_cgroup2_dir() {
  std::string mount;
  std::ifstream mounts("/proc/mounts");
  for (std::string dev, dir, type, rest;
       mounts >> dev >> dir >> type && std::getline(mounts, rest);)
    if (type == "cgroup2") mount = dir;
  if (mount.empty()) return "";
  std::ifstream cg("/proc/self/cgroup");
  for (std::string line; std::getline(cg, line);)
    if (line.rfind("0::", 0) == 0) return mount + line.substr(3);
  return "";
}

} // namespace

TEST(Language, RandVariesAndFitsU32) {
  REQUIRE_BPF();
  // 8 draws: all equal would happen with probability 2^-224.
  auto r = run_tracelet({"-q", "-e", R"(BEGIN {
      $i = 0; while ($i < 8) { @r[rand] = count(); $i++; }
      printf("max %d\n", rand <= 0xffffffff); exit(); })"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("max 1\n"), std::string::npos) << r.out;
  size_t keys = 0;
  for (size_t pos = 0; (pos = r.out.find("@r[", pos)) != std::string::npos; ++pos)
    ++keys;
  EXPECT_GT(keys, 1u) << r.out;
}

TEST(Language, NumaidIsANodeOfThisMachine) {
  REQUIRE_BPF();
  auto r = run_tracelet({"-q", "-e", R"(BEGIN { printf("node%d\n", numaid); exit(); })"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  auto start = r.out.find("node");
  ASSERT_NE(start, std::string::npos) << r.out;
  std::string node = r.out.substr(start, r.out.find('\n', start) - start);
  struct stat st;
  bool numa_sysfs = stat("/sys/devices/system/node", &st) == 0;
  if (numa_sysfs)
    EXPECT_EQ(stat(("/sys/devices/system/node/" + node).c_str(), &st), 0) << node;
  else
    EXPECT_EQ(node, "node0");
}

TEST(Language, CgroupIsTheCgroup2InodeOfTheTracer) {
  REQUIRE_BPF();
  std::string dir = own_cgroup2_dir();
  struct stat st;
  if (dir.empty() || stat(dir.c_str(), &st) != 0) GTEST_SKIP() << "no cgroup v2 hierarchy";
  auto r = run_tracelet({"-q", "-e", R"(BEGIN { printf("cg %llu\n", cgroup); exit(); })"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("cg " + std::to_string(st.st_ino) + "\n"), std::string::npos)
      << r.out << " expected inode of " << dir;
}
