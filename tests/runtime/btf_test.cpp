// Kernel types from BTF, end to end: curtask chains, casts of tracepoint pointers to structs,
// sizeof of kernel structs, named constants.
#include "harness.h"

#include <gtest/gtest.h>

#include <csignal>
#include <regex>
#include <sys/utsname.h>
#include <unistd.h>

using namespace tracelet::test;

namespace {

bool have_btf(std::string* why) {
  if (access("/sys/kernel/btf/vmlinux", R_OK) == 0) return true;
  *why = "/sys/kernel/btf/vmlinux is not readable";
  return false;
}

#define REQUIRE_BTF()                                                                              \
  do {                                                                                             \
    REQUIRE_BPF();                                                                                 \
    std::string btf_why_;                                                                          \
    if (!have_btf(&btf_why_)) GTEST_SKIP() << btf_why_;                                            \
  } while (0)

// What the script printed: stdout without the "Attaching N probes..." line and blank lines.
std::string printed(const std::string& out) {
  std::string result, line;
  for (size_t pos = 0; pos < out.size();) {
    size_t end = out.find('\n', pos);
    line = out.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    pos = end == std::string::npos ? out.size() : end + 1;
    if (!line.empty() && line.rfind("Attaching ", 0) != 0) result += line + "\n";
  }
  return result;
}

} // namespace

TEST(Btf, CurtaskNodenameIsUnameN) {
  REQUIRE_BTF();
  struct utsname u;
  ASSERT_EQ(uname(&u), 0);
  auto r = run_tracelet(
      {"-e", R"(BEGIN { printf("%s\n", curtask->nsproxy->uts_ns->name.nodename); exit(); })"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(printed(r.out), std::string(u.nodename) + "\n") << r.err;
}

TEST(Btf, CurtaskTgidIsPid) {
  REQUIRE_BTF();
  auto r = run_tracelet({"-e", R"(BEGIN { printf("%d %d %d %d %s\n", curtask->tgid, pid,
                                          curtask->pid, tid, curtask->comm); exit(); })"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  std::smatch m;
  std::string out = printed(r.out);
  ASSERT_TRUE(std::regex_match(out, m, std::regex(R"((\d+) (\d+) (\d+) (\d+) (\S+)\n)")))
      << r.out << r.err;
  EXPECT_EQ(m[1], m[2]);
  EXPECT_EQ(m[3], m[4]);
  EXPECT_NE(m[1], "0");
  EXPECT_EQ(m[5], "tracelet"); // BEGIN runs in tracelet's own context
}

TEST(Btf, SizeofTaskStructIsBtfs) {
  REQUIRE_BTF();
  std::string dump;
  if (run_command({"/bin/sh", "-c",
                   "bpftool btf dump file /sys/kernel/btf/vmlinux | grep \"STRUCT 'task_struct'\""},
                  &dump) != 0)
    GTEST_SKIP() << "bpftool cannot dump the kernel's BTF";
  std::smatch m;
  ASSERT_TRUE(std::regex_search(dump, m, std::regex(R"(size=(\d+))"))) << dump;
  auto r = run_tracelet({"-e", R"(BEGIN { printf("%d %d\n", sizeof(struct task_struct),
                                          offsetof(struct task_struct, pid) > 0); exit(); })"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(printed(r.out), m[1].str() + " 1\n") << r.err;
}

TEST(Btf, TracepointPointerCastToStruct) {
  REQUIRE_BTF();
  // tl_workload sleep 1234 calls nanosleep({1, 234000000}): read it through the syscall's
  // user pointer cast to the kernel's struct __kernel_timespec.
  auto r = trace_while(R"(tracepoint:syscalls:sys_enter_clock_nanosleep
      /comm == "tl_workload"/ {
        $ts = (struct __kernel_timespec *)args->rqtp;
        printf("%d.%09d\n", $ts->tv_sec, $ts->tv_nsec); })",
                       {workload_binary(), "sleep", "1234"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("1.234000000\n"), std::string::npos) << r.out << r.err;
}

TEST(Btf, NamedConstantsAndHeaders) {
  REQUIRE_BTF();
  auto r = run_tracelet({"-e", R"(#include <linux/sched.h>
      BEGIN { printf("%d %d %d %d\n", TASK_RUNNING, AF_INET6, CLONE_VM, BPF_MAP_TYPE_HASH);
              exit(); })"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(printed(r.out), "0 10 256 1\n") << r.err;
}

TEST(Btf, AddressOfMemberMatchesOffsetof) {
  REQUIRE_BTF();
  auto r = run_tracelet({"-e", R"(BEGIN { printf("%d %d %d\n",
      (uint64)&((struct task_struct *)0)->tgid == offsetof(struct task_struct, tgid),
      &curtask->tgid == (uint64)curtask + offsetof(struct task_struct, tgid),
      *(&curtask->tgid) == pid); exit(); })"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(printed(r.out), "1 1 1\n") << r.err;
}

TEST(Btf, RecordCopiedIntoAVariable) {
  REQUIRE_BTF();
  struct utsname u;
  ASSERT_EQ(uname(&u), 0);
  auto r = run_tracelet({"-e", R"(BEGIN { $u = curtask->nsproxy->uts_ns->name;
      $id = curtask->cred->uid; printf("%s %s %d\n", $u.sysname, $u.nodename, $id.val == uid);
      exit(); })"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(printed(r.out), std::string(u.sysname) + " " + u.nodename + " 1\n") << r.err;
}

// --btf is bpftrace's "force BTF": accepted, changing nothing (tracelet reads kernel types
// from BTF only). bpftrace's runtime tests btf.user_supplied_c_def_using_btf,
// btf.tracepoint_pointer_type_resolution and btf.enum_value_reference, run with it.
TEST(Btf, BtfOptionIsAcceptedAsInBpftrace) {
  REQUIRE_BTF();
  auto c_def =
      run_tracelet({"-v", "--btf", "-e", "struct foo { struct task_struct t; } BEGIN { exit(); }"});
  EXPECT_EQ(c_def.exit_status, 0) << c_def.err;
  EXPECT_EQ(c_def.out.rfind("Attaching 1 probe...\n", 0), 0u) << c_def.out;
  auto enum_value =
      run_tracelet({"--btf", "-e", R"(BEGIN { printf("%d\n", sizeof(BTF_VAR_STATIC)); exit(); })"});
  EXPECT_EQ(enum_value.exit_status, 0) << enum_value.err;
  EXPECT_EQ(printed(enum_value.out), "8\n"); // an enumerator is an int64, as in bpftrace
  // An expression statement that only reads a field through the tracepoint's user pointer.
  RunSpec spec;
  spec.args = {"--btf", "-e", R"(BEGIN { printf("tracelet-ready\n"); }
      tracepoint:syscalls:sys_enter_nanosleep /comm == "tl_workload"/ {
        args->rqtp->tv_sec; printf("read\n"); exit(); })"};
  spec.ready_marker = kReadyLine;
  spec.workload = [] { run_command({workload_binary(), "nanosleep", "10"}); };
  auto r = run_tracelet(spec);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(printed(r.out), "tracelet-ready\nread\n") << r.err;
}
