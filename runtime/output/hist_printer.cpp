#include "runtime/output/hist_printer.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace tracelet::runtime {

namespace {

constexpr int kBarWidth = 52;

// One table row: label left in 16 columns, count right in 8, then the bar in |...|.
void table_row(std::ostringstream& out, const std::string& label, uint64_t shown_count,
               uint64_t count, uint64_t max_count) {
  // bpftrace computes the bar in float from the undivided count.
  int bar = static_cast<int>(static_cast<float>(count) / static_cast<float>(max_count) *
                             static_cast<float>(kBarWidth));
  out << std::setw(16) << std::left << label << std::setw(8) << std::right << shown_count << " |"
      << std::setw(kBarWidth) << std::left << std::string(static_cast<size_t>(bar), '@') << "|\n";
}

} // namespace

std::string hist_power_label(int power) {
  static const char kSuffixes[] = {'\0', 'K', 'M', 'G', 'T', 'P', 'E'};
  int unit = std::min(power / 10, 6);
  std::string label = std::to_string(uint64_t{1} << (power - unit * 10));
  if (kSuffixes[unit]) label += kSuffixes[unit];
  return label;
}

std::string lhist_number_label(int64_t number) {
  constexpr int64_t kKilo = 1024, kMega = 1024 * 1024;
  if (number == 0) return "0";
  if (number % kMega == 0) return std::to_string(number / kMega) + "M";
  if (number % kKilo == 0) return std::to_string(number / kKilo) + "K";
  return std::to_string(number);
}

namespace {

// The first and last non-empty bucket among the first `limit` (-1 if all are empty), and the
// largest count there: a table prints only that range, with bars scaled to the largest.
struct OccupiedBuckets {
  int first = -1, last = -1;
  uint64_t max_count = 0;
};

OccupiedBuckets occupied_buckets(const std::vector<uint64_t>& counts, size_t limit) {
  OccupiedBuckets r;
  for (size_t i = 0; i < counts.size() && i < limit; ++i) {
    if (counts[i] > 0) {
      if (r.first < 0) r.first = static_cast<int>(i);
      r.last = static_cast<int>(i);
    }
    r.max_count = std::max(r.max_count, counts[i]);
  }
  return r;
}

} // namespace

std::string hist_table(const std::vector<uint64_t>& counts, uint64_t div) {
  if (div == 0) div = 1;
  auto [first, last, max_count] = occupied_buckets(counts, counts.size());
  if (last < 0) return "";
  std::ostringstream out;
  for (int i = first; i <= last; ++i) {
    std::string label;
    if (i == 0)
      label = "(..., 0)";
    else if (i == 1)
      label = "[0]";
    else if (i == 2)
      label = "[1]";
    else
      label = "[" + hist_power_label(i - 2) + ", " + hist_power_label(i - 1) + ")";
    table_row(out, label, counts[i] / div, counts[i], max_count);
  }
  return out.str();
}

std::string lhist_table(const std::vector<uint64_t>& counts, int64_t min, int64_t max,
                        int64_t step) {
  int64_t buckets = step > 0 ? (max - min) / step : 0; // not counting the two outer buckets
  auto [first, last, max_count] =
      occupied_buckets(counts, static_cast<size_t>(std::max<int64_t>(buckets + 2, 0)));
  if (last < 0) return "";
  std::ostringstream out;
  for (int i = first; i <= last; ++i) {
    std::string label;
    if (i == 0)
      label = "(..., " + lhist_number_label(min) + ")";
    else if (i == buckets + 1)
      label = "[" + lhist_number_label(max) + ", ...)";
    else
      label = "[" + lhist_number_label((i - 1) * step + min) + ", " +
              lhist_number_label(i * step + min) + ")";
    table_row(out, label, counts[i], counts[i], max_count);
  }
  return out.str();
}

} // namespace tracelet::runtime
