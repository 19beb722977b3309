// Values formatted in user space when printed, and the text of time(): strftime() timestamps
// and `username`, as bpftrace 0.17 prints them.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

namespace tracelet::runtime {

// ---- pure functions (unit-tested)

// bpftrace 0.17's strftime(): `nsecs` counts from `boot` (the wall time at boot), "%f" is
// replaced by the microseconds (6 digits) everywhere in `format`, then strftime(3) fills a
// 64-byte buffer in local time. nullopt where bpftrace prints "(?)": a result that is empty or
// does not fit in 63 characters.
std::optional<std::string> format_timestamp(const std::string& format, uint64_t nsecs,
                                            const timespec& boot);

// time(fmt): strftime(3) of the current local time into a 64-byte buffer, without "%f";
// nullopt when bpftrace prints nothing (empty or too long).
std::optional<std::string> format_current_time(const std::string& format);

// The name of `uid` in the passwd text `passwd` ("" if it has none), as bpftrace's lookup.
std::string username_in(const std::string& passwd, uint64_t uid);

// strerror(errno)'s text, as bpftrace prints it: strerror(3) of the value as a C int
// ("Operation not permitted", "Unknown error 200").
std::string errno_text(uint64_t value);

// ---- during a run

// The wall time at boot: CLOCK_REALTIME - CLOCK_BOOTTIME, read as bpftrace does (the closest
// of five samples). Computed once.
const timespec& boot_wall_time();

// The text of a TypeKind::Timestamp value { u64 format id; u64 nsecs } with the formats of the
// running program (ScopedStrftimeFormats); "(?)" as bpftrace when it cannot be formatted (the
// reason goes to stderr).
std::string format_timestamp_value(const uint8_t* data);

// The user name of `uid` from /etc/passwd ("" if none), cached per uid.
std::string username_of(uint64_t uid);

// Makes `formats` (CompiledProgram::strftime_formats) the ones Timestamp values index until
// destroyed.
class ScopedStrftimeFormats {
public:
  explicit ScopedStrftimeFormats(const std::vector<std::string>& formats);
  ~ScopedStrftimeFormats();
  ScopedStrftimeFormats(const ScopedStrftimeFormats&) = delete;
  ScopedStrftimeFormats& operator=(const ScopedStrftimeFormats&) = delete;

private:
  const std::vector<std::string>* previous_;
};

} // namespace tracelet::runtime
