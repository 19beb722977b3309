// Turning libbpf's failure messages into one line, and the hist/lhist bucket labels.
#include "runtime/bpf_object.h"
#include "runtime/output/hist_printer.h"

#include <gtest/gtest.h>

using namespace tracelet::runtime;

TEST(LoadFailure, NamesProgramAndVerifierReason) {
  std::string messages = "libbpf: prog 'probe_0': BPF program load failed: Permission denied\n"
                         "libbpf: prog 'probe_0': -- BEGIN PROG LOAD LOG --\n"
                         "0: R1=ctx() R10=fp0\n"
                         "; return *v;\n"
                         "5: (79) r0 = *(u64 *)(r0 +0)\n"
                         "R0 invalid mem access 'map_value_or_null'\n"
                         "processed 6 insns (limit 1000000) max_states_per_insn 0 total_states 0\n"
                         "-- END PROG LOAD LOG --\n"
                         "libbpf: prog 'probe_0': failed to load: -13\n"
                         "libbpf: failed to load object 'tracelet'\n";
  EXPECT_EQ(summarize_load_failure(messages),
            "prog 'probe_0': BPF program load failed: Permission denied; verifier: R0 invalid "
            "mem access 'map_value_or_null'");
}

TEST(LoadFailure, WithoutAProgramMessageUsesTheFirstLine) {
  EXPECT_EQ(summarize_load_failure("libbpf: map 'AT_x': failed to create: Invalid argument\n"
                                   "libbpf: failed to load object 'tracelet'\n"),
            "map 'AT_x': failed to create: Invalid argument");
  EXPECT_EQ(summarize_load_failure(""), "loading the BPF object failed");
}

TEST(HistLabels, PowersOfTwoWithUnitSuffixes) {
  EXPECT_EQ(hist_power_label(0), "1");
  EXPECT_EQ(hist_power_label(9), "512");
  EXPECT_EQ(hist_power_label(10), "1K");
  EXPECT_EQ(hist_power_label(21), "2M");
  EXPECT_EQ(hist_power_label(32), "4G");
  EXPECT_EQ(hist_power_label(40), "1T");
  EXPECT_EQ(hist_power_label(52), "4P");
  EXPECT_EQ(hist_power_label(63), "8E");
  EXPECT_EQ(lhist_number_label(0), "0");
  EXPECT_EQ(lhist_number_label(70), "70");
  EXPECT_EQ(lhist_number_label(3072), "3K");
  EXPECT_EQ(lhist_number_label(3 * 1048576), "3M");
  EXPECT_EQ(lhist_number_label(1000), "1000");
}

TEST(HistTable, EmptyIsEmptyAndDivisionKeepsBars) {
  EXPECT_EQ(hist_table(std::vector<uint64_t>(66, 0), 1), "");
  std::vector<uint64_t> counts(66, 0);
  counts[3] = 4;
  counts[4] = 1;
  EXPECT_EQ(hist_table(counts, 2),
            "[2, 4)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
            "[4, 8)                 0 |@@@@@@@@@@@@@                                       |\n");
}
