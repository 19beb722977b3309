// -l pattern handling and -lv argument text (runtime/kernel/probe_listing.h), with a fake kernel.
#include "runtime/kernel/probe_listing.h"

#include "ast/diagnostics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace tracelet::runtime {
namespace {

class FakeKernel : public ast::KernelInfo {
public:
  std::vector<std::pair<std::string, std::string>>
  match_tracepoints(const std::string& cat, const std::string& name) override {
    asked.push_back(cat + ":" + name);
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [c, n] : tracepoints)
      if (ast::glob_match(cat, c) && ast::glob_match(name, n)) out.emplace_back(c, n);
    return out;
  }
  std::shared_ptr<const ast::RecordDef> tracepoint_args(const std::string&,
                                                        const std::string&) override {
    return nullptr;
  }
  std::vector<std::pair<std::string, std::string>> tracepoints = {
      {"sched", "sched_switch"},
      {"syscalls", "sys_enter_open"},
      {"syscalls", "sys_enter_openat"},
      {"syscalls", "sys_exit_openat"},
  };
  std::vector<std::string> asked;
};

std::vector<std::string> names(const std::vector<ListedProbe>& probes) {
  std::vector<std::string> out;
  for (const auto& p : probes)
    out.push_back(p.name);
  return out;
}

TEST(ListPattern, ExpandsProviderAliases) {
  auto p = ListPattern::parse("t:sched:*");
  EXPECT_EQ(p.provider_glob, "tracepoint");
  EXPECT_TRUE(p.matches("tracepoint:sched:sched_switch"));
  EXPECT_FALSE(p.matches("tracepoint:syscalls:sys_enter_open"));
  EXPECT_EQ(ListPattern::parse("rt:*").provider_glob, "rawtracepoint");
  EXPECT_EQ(ListPattern::parse("k:vfs_*").provider_glob, "kprobe");
}

TEST(ListPattern, BareWordMatchesTheNameUnderAnyProvider) {
  auto p = ListPattern::parse("sched_switch");
  EXPECT_TRUE(p.wants_provider("tracepoint"));
  EXPECT_TRUE(p.matches("tracepoint:sched:sched_switch"));
  EXPECT_TRUE(p.matches("rawtracepoint:sched_switch"));
  EXPECT_FALSE(p.matches("tracepoint:sched:sched_switch_x"));
}

TEST(ListProbes, TracepointsOfOneCategoryOnlyAskForThatCategory) {
  FakeKernel kernel;
  std::vector<std::string> notes;
  auto probes = list_probes(kernel, "tracepoint:syscalls:sys_enter_open*", false, notes);
  EXPECT_EQ(names(probes), (std::vector<std::string>{"tracepoint:syscalls:sys_enter_open",
                                                     "tracepoint:syscalls:sys_enter_openat"}));
  EXPECT_EQ(kernel.asked, (std::vector<std::string>{"syscalls:sys_enter_open*"}));
}

TEST(ListProbes, BareWordFindsTracepointsAndRawTracepoints) {
  FakeKernel kernel;
  std::vector<std::string> notes;
  auto probes = list_probes(kernel, "sched_switch", false, notes);
  EXPECT_EQ(names(probes), (std::vector<std::string>{"rawtracepoint:sched_switch",
                                                     "tracepoint:sched:sched_switch"}));
}

TEST(ListProbes, CommaSeparatedPatternsListEachInTurn) {
  // As bpftrace 0.17 (`bpftrace -l 'k:*socket*,tracepoint:syscalls:*tcp*'` in its man page):
  // each pattern's probes in the order given, a probe listed again if matched again.
  FakeKernel kernel;
  std::vector<std::string> notes;
  auto probes = list_probes(
      kernel, "t:syscalls:sys_exit_openat, t:sched:*,t:syscalls:sys_enter_open*,", false, notes);
  EXPECT_EQ(names(probes), (std::vector<std::string>{"tracepoint:syscalls:sys_exit_openat",
                                                     "tracepoint:sched:sched_switch",
                                                     "tracepoint:syscalls:sys_enter_open",
                                                     "tracepoint:syscalls:sys_enter_openat"}));
}

TEST(ListProbes, SoftwareEventsWithTrailingColon) {
  FakeKernel kernel;
  std::vector<std::string> notes;
  auto probes = list_probes(kernel, "software:cpu*", false, notes);
  EXPECT_EQ(names(probes),
            (std::vector<std::string>{"software:cpu-clock:", "software:cpu-migrations:"}));
}

TEST(ListProbes, HardwareEventsAreListedWhateverTheMachineHas) {
  // As bpftrace: from its table, also on a VM without a PMU (attaching one says why not).
  FakeKernel kernel;
  std::vector<std::string> notes;
  auto probes = names(list_probes(kernel, "hardware:*", false, notes));
  ASSERT_EQ(probes.size(), 10u);
  EXPECT_EQ(probes.front(), "hardware:backend-stalls:");
  EXPECT_NE(std::find(probes.begin(), probes.end(), "hardware:cpu-cycles:"), probes.end());
  EXPECT_EQ(probes.back(), "hardware:ref-cycles:");
  EXPECT_EQ(names(list_probes(kernel, "h:cpu*", false, notes)),
            (std::vector<std::string>{"hardware:cpu-cycles:"}));
}

TEST(ListProbes, WildcardedProviderMatchesProviderNames) {
  // bpftrace's rule: a provider glob is matched against the provider names ("*ware" is
  // hardware and software, "h*" hardware only); aliases count only when written whole.
  FakeKernel kernel;
  std::vector<std::string> notes;
  auto providers = [&](const std::string& pattern) {
    std::set<std::string> out;
    for (const auto& name : names(list_probes(kernel, pattern, false, notes)))
      out.insert(name.substr(0, name.find(':')));
    return out;
  };
  EXPECT_EQ(providers("*ware:*"), (std::set<std::string>{"hardware", "software"}));
  EXPECT_EQ(providers("h*:*"), (std::set<std::string>{"hardware"}));
  EXPECT_EQ(providers("s:*"), (std::set<std::string>{"software"}));
  auto all = providers("*:*"); // kprobe and fentry too where this kernel attaches them
  for (const char* p : {"hardware", "software", "tracepoint"})
    EXPECT_EQ(all.count(p), 1u) << p;
  EXPECT_EQ(all.count("uprobe") + all.count("usdt"), 0u) << "user probes need a binary";
}

TEST(ListProbes, EventNameOrAliasIsListedAsGivenWithoutItsCount) {
  FakeKernel kernel;
  std::vector<std::string> notes;
  EXPECT_EQ(names(list_probes(kernel, "software:faults", false, notes)),
            (std::vector<std::string>{"software:faults:"}));
  EXPECT_EQ(names(list_probes(kernel, "hardware:cycles:1000", false, notes)),
            (std::vector<std::string>{"hardware:cycles:"}));
  EXPECT_EQ(names(list_probes(kernel, "software:*:100", false, notes)).size(), 11u);
}

TEST(ListProbes, UnknownEventOfANamedProviderIsAnError) {
  FakeKernel kernel;
  std::vector<std::string> notes;
  try {
    list_probes(kernel, "hardware:nonexist", false, notes);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "nonexist is not a hardware probe");
  }
  try {
    list_probes(kernel, "software:", false, notes);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "software probe must have a software event name");
  }
  // Under a provider glob, an unknown name just matches nothing.
  EXPECT_TRUE(list_probes(kernel, "*ware:nonexist", false, notes).empty());
}

TEST(TracepointFormatArgs, SkipsCommonFieldsKeepsDeclarations) {
  const char* format = "name: sys_enter_openat\nID: 1\nformat:\n"
                       "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
                       "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
                       "\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
                       "\tfield:const char * filename;\toffset:16;\tsize:8;\tsigned:0;\n"
                       "\tfield:__data_loc char[] name;\toffset:24;\tsize:4;\tsigned:0;\n"
                       "\tfield:char comm[16];\toffset:28;\tsize:16;\tsigned:0;\n\n"
                       "print fmt: \"...\"\n";
  EXPECT_EQ(tracepoint_format_args(format),
            (std::vector<std::string>{"int __syscall_nr", "const char * filename",
                                      "__data_loc char[] name", "char comm[16]"}));
}

TEST(FormatListing, ArgumentsIndentedByFourSpaces) {
  std::vector<ListedProbe> probes = {{"tracepoint:a:b", {"int x", "const char * s"}},
                                     {"tracepoint:a:c", {}}};
  EXPECT_EQ(format_listing(probes),
            "tracepoint:a:b\n    int x\n    const char * s\ntracepoint:a:c\n");
}

} // namespace
} // namespace tracelet::runtime
