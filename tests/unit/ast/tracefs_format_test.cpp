// parse_tracepoint_format() on canned format files.
#include "ast/diagnostics.h"
#include "runtime/kernel/tracefs.h"
#include "semantic_fixture.h"

#include <gtest/gtest.h>

#include <algorithm>

using tracelet::ast::AddrSpace;
using tracelet::ast::TypeKind;
using tracelet::runtime::parse_tracepoint_format;

namespace {

std::string describe(const tracelet::ast::RecordDef& record) {
  std::string out = record.name + " size " + std::to_string(record.size) + "\n";
  for (const auto& f : record.fields) {
    out += "  " + f.name + " @" + std::to_string(f.offset) + ": " + f.type->str();
    if (f.is_data_loc) out += " (data_loc)";
    if (f.type->kind == TypeKind::Pointer)
      out += f.type->as == AddrSpace::User ? " (user)" : " (kernel)";
    out += "\n";
  }
  return out;
}

TEST(TracepointFormat, SyscallRecordSkipsCommonFieldsAndKeepsOffsets) {
  auto record = parse_tracepoint_format("struct syscalls_sys_enter_openat_args",
                                        tracelet::test::kSysEnterOpenatFormat);
  EXPECT_EQ(describe(*record), "struct syscalls_sys_enter_openat_args size 48\n"
                               "  __syscall_nr @8: int32\n"
                               "  dfd @16: uint64\n"
                               "  filename @24: int8 * (user)\n"
                               "  flags @32: uint64\n"
                               "  mode @40: uint64\n");
}

TEST(TracepointFormat, DataLocStringAndSignedFields) {
  auto record = parse_tracepoint_format("struct sched_sched_process_exec_args",
                                        tracelet::test::kSchedProcessExecFormat);
  EXPECT_EQ(describe(*record), "struct sched_sched_process_exec_args size 20\n"
                               "  filename @8: string[64] (data_loc)\n"
                               "  pid @12: int32\n"
                               "  old_pid @16: int32\n");
}

TEST(TracepointFormat, CharArraysAreStringsAndKernelPointersAreKernel) {
  auto record =
      parse_tracepoint_format("struct sched_sched_switch_args", tracelet::test::kSchedSwitchFormat);
  EXPECT_EQ(describe(*record), "struct sched_sched_switch_args size 64\n"
                               "  prev_comm @8: string[16]\n"
                               "  prev_pid @24: int32\n"
                               "  prev_prio @28: int32\n"
                               "  prev_state @32: int64\n"
                               "  next_comm @40: string[16]\n"
                               "  next_pid @56: int32\n"
                               "  next_prio @60: int32\n");
  auto read = parse_tracepoint_format("struct sched_fake_args",
                                      "\tfield:char * buf;\toffset:8;\tsize:8;\tsigned:0;\n"
                                      "\tfield:u32 ids[4];\toffset:16;\tsize:16;\tsigned:0;\n");
  EXPECT_EQ(describe(*read), "struct sched_fake_args size 32\n"
                             "  buf @8: int8 * (kernel)\n"
                             "  ids @16: uint32[4]\n");
}

TEST(TracepointFormat, MalformedTextGivesAnEmptyRecordNotAnException) {
  auto record = parse_tracepoint_format("struct x_y_args", "garbage\nfield:\n\tfield:int;\n");
  EXPECT_TRUE(record->fields.empty());
  EXPECT_EQ(record->name, "struct x_y_args");
}

} // namespace

namespace {

// The real tracefs, when this machine has it (root with tracefs); skipped otherwise.
TEST(TracefsKernelInfo, ListsAndParsesRealTracepoints) {
  tracelet::runtime::KernelInfoImpl kernel;
  std::vector<std::pair<std::string, std::string>> matches;
  try {
    matches = kernel.match_tracepoints("syscalls", "sys_enter_open*");
  } catch (const tracelet::Error& e) {
    GTEST_SKIP() << e.what();
  }
  if (matches.empty()) GTEST_SKIP() << "no syscalls tracepoints here";
  EXPECT_TRUE(std::is_sorted(matches.begin(), matches.end()));
  EXPECT_NE(std::find(matches.begin(), matches.end(),
                      std::make_pair(std::string("syscalls"), std::string("sys_enter_openat"))),
            matches.end());
  auto record = kernel.tracepoint_args("syscalls", "sys_enter_openat");
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->name, "struct syscalls_sys_enter_openat_args");
  ASSERT_NE(record->find("filename"), nullptr);
  EXPECT_EQ(record->find("filename")->type->str(), "int8 *");
  EXPECT_EQ(record->find("common_pid"), nullptr);
  // Cached: the same record object comes back.
  EXPECT_EQ(kernel.tracepoint_args("syscalls", "sys_enter_openat"), record);
  EXPECT_EQ(kernel.tracepoint_args("syscalls", "no_such_tracepoint"), nullptr);
}

} // namespace
