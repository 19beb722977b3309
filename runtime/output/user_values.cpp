#include "runtime/output/user_values.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

namespace tracelet::runtime {

namespace {

// bpftrace 0.17's buffer for strftime() and time() text (STRING_SIZE).
constexpr size_t kTimeBufferSize = 64;

const std::vector<std::string>* active_formats = nullptr;

std::optional<std::string> strftime_text(const std::string& format, const struct tm& tm) {
  char buf[kTimeBufferSize];
  size_t n = std::strftime(buf, sizeof buf, format.c_str(), &tm);
  if (n == 0) return std::nullopt;
  return std::string(buf, n);
}

std::string replace_all(const std::string& text, const std::string& from, const std::string& to) {
  std::string out;
  size_t pos = 0;
  for (size_t hit; (hit = text.find(from, pos)) != std::string::npos; pos = hit + from.size())
    out += text.substr(pos, hit - pos) + to;
  return out + text.substr(pos);
}

} // namespace

std::optional<std::string> format_timestamp(const std::string& format, uint64_t nsecs,
                                            const timespec& boot) {
  // The arithmetic of bpftrace 0.17: an unsigned sum, seconds through a double.
  uint64_t since_boot_second = static_cast<uint64_t>(boot.tv_nsec) + nsecs;
  double seconds = static_cast<double>(boot.tv_sec) + static_cast<double>(since_boot_second) / 1e9;
  time_t t = seconds >= static_cast<double>(std::numeric_limits<time_t>::max())
                 ? std::numeric_limits<time_t>::max()
                 : static_cast<time_t>(seconds);
  struct tm tm;
  if (!localtime_r(&t, &tm)) return std::nullopt;
  uint64_t us = (since_boot_second % 1000000000) / 1000;
  char usecs[8];
  std::snprintf(usecs, sizeof usecs, "%06" PRIu64, us);
  return strftime_text(replace_all(format, "%f", usecs), tm);
}

std::optional<std::string> format_current_time(const std::string& format) {
  time_t t = std::time(nullptr);
  struct tm tm;
  if (!localtime_r(&t, &tm)) return std::nullopt;
  return strftime_text(format, tm);
}

std::string username_in(const std::string& passwd, uint64_t uid) {
  std::istringstream lines(passwd);
  std::string line, want = std::to_string(uid);
  while (std::getline(lines, line)) {
    std::vector<std::string> fields;
    std::istringstream parts(line);
    for (std::string f; std::getline(parts, f, ':');)
      fields.push_back(f);
    if (fields.size() >= 3 && fields[2] == want) return fields[0];
  }
  return "";
}

const timespec& boot_wall_time() {
  static const timespec boot = [] {
    timespec best{};
    long lowest = std::numeric_limits<long>::max();
    for (int i = 0; i < 5; ++i) {
      timespec before, boottime, after;
      if (clock_gettime(CLOCK_REALTIME, &before) || clock_gettime(CLOCK_BOOTTIME, &boottime) ||
          clock_gettime(CLOCK_REALTIME, &after))
        continue;
      if (before.tv_sec != after.tv_sec) continue;
      long delta = after.tv_nsec - before.tv_nsec;
      if (delta < 0 || delta >= lowest) continue;
      lowest = delta;
      long avg = (before.tv_nsec + after.tv_nsec) / 2;
      best.tv_sec = after.tv_sec - boottime.tv_sec;
      best.tv_nsec = avg - boottime.tv_nsec;
      if (best.tv_nsec < 0) {
        best.tv_sec -= 1;
        best.tv_nsec += 1000000000L;
      }
    }
    return best;
  }();
  return boot;
}

std::string format_timestamp_value(const uint8_t* data) {
  uint64_t id, nsecs;
  std::memcpy(&id, data, 8);
  std::memcpy(&nsecs, data + 8, 8);
  if (!active_formats || id >= active_formats->size()) return "(?)";
  const std::string& format = (*active_formats)[id];
  auto text = format_timestamp(format, nsecs, boot_wall_time());
  if (!text) {
    std::fprintf(stderr,
                 "tracelet: strftime(\"%s\"): the text is empty or longer than 63 characters; "
                 "printed as (?)\n",
                 format.c_str());
    return "(?)";
  }
  return *text;
}

std::string errno_text(uint64_t value) {
  char buf[128];
  // The GNU strerror_r returns its text, which need not be in buf.
  return ::strerror_r(static_cast<int>(value), buf, sizeof buf);
}

std::string username_of(uint64_t uid) {
  static std::map<uint64_t, std::string> cache;
  auto it = cache.find(uid);
  if (it != cache.end()) return it->second;
  std::ifstream in("/etc/passwd");
  std::stringstream text;
  text << in.rdbuf();
  return cache[uid] = username_in(text.str(), uid);
}

ScopedStrftimeFormats::ScopedStrftimeFormats(const std::vector<std::string>& formats)
    : previous_(active_formats) {
  active_formats = &formats;
}

ScopedStrftimeFormats::~ScopedStrftimeFormats() {
  active_formats = previous_;
}

} // namespace tracelet::runtime
