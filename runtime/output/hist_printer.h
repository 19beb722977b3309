// The bucket tables of hist() and lhist() maps, as bpftrace 0.17 draws them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tracelet::runtime {

// counts[i] is the count of hist bucket i (ast::hist_bucket numbering). Values are divided by
// `div` (at least 1); the bars are not. Returns "" when every bucket is empty.
std::string hist_table(const std::vector<uint64_t>& counts, uint64_t div);

// counts[i] is the count of lhist bucket i (ast::lhist_bucket numbering: 0 below min,
// 1..n inside, n + 1 at or above max).
std::string lhist_table(const std::vector<uint64_t>& counts, int64_t min, int64_t max,
                        int64_t step);

// Bucket labels: "1K" for 2^10, "4M" for 2^22 (hist); "2K", "3M", "70" (lhist).
std::string hist_power_label(int power);
std::string lhist_number_label(int64_t number);

} // namespace tracelet::runtime
