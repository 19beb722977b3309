// strftime() timestamps, time() text, username lookup and the join/cat event texts, without a
// kernel.
#include "runtime/events.h"
#include "runtime/output/user_values.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

using namespace tracelet;

namespace {

// Local time is UTC for these tests.
class Utc : public ::testing::Test {
protected:
  void SetUp() override {
    const char* tz = std::getenv("TZ");
    saved_ = tz ? tz : "";
    had_ = tz != nullptr;
    setenv("TZ", "UTC", 1);
    tzset();
  }
  void TearDown() override {
    if (had_)
      setenv("TZ", saved_.c_str(), 1);
    else
      unsetenv("TZ");
    tzset();
  }

private:
  std::string saved_;
  bool had_ = false;
};

// Booted at 2023-01-30 12:00:00.654032 UTC.
const timespec kBoot = {1675080000, 654032000};

} // namespace

using StrftimeFormat = Utc;

TEST_F(StrftimeFormat, CountsFromTheBootWallTime) {
  EXPECT_EQ(runtime::format_timestamp("%Y-%m-%d %H:%M:%S", 0, kBoot), "2023-01-30 12:00:00");
  EXPECT_EQ(runtime::format_timestamp("%H:%M:%S", 3600ull * 1000000000, kBoot), "13:00:00");
  // 0.654032 s + 0.4 s crosses into the next second.
  EXPECT_EQ(runtime::format_timestamp("%S", 400000000, kBoot), "01");
}

TEST_F(StrftimeFormat, PercentFIsTheMicrosecondsEverywhere) {
  EXPECT_EQ(runtime::format_timestamp("%S.%f", 1234567891, kBoot), "01.888599");
  EXPECT_EQ(runtime::format_timestamp("%f%f", 0, kBoot), "654032654032");
  // bpftrace 0.17 replaces "%f" inside "%%f" too: "%654032" is then no conversion strftime(3)
  // can fit in 64 bytes.
  EXPECT_EQ(runtime::format_timestamp("%%f", 0, kBoot), std::nullopt);
  EXPECT_EQ(runtime::format_timestamp("%3f", 0, kBoot), "%3f");
}

TEST_F(StrftimeFormat, SixtyThreeCharactersFitSixtyFourDoNot) {
  EXPECT_EQ(runtime::format_timestamp(std::string(63, 'x'), 0, kBoot), std::string(63, 'x'));
  EXPECT_EQ(runtime::format_timestamp(std::string(64, 'x'), 0, kBoot), std::nullopt);
  EXPECT_EQ(runtime::format_timestamp("", 0, kBoot), std::nullopt);
}

TEST_F(StrftimeFormat, NegativeNanosecondsWrapAsInBpftrace) {
  // (uint64)-1 plus the boot nanoseconds wraps to just before the boot second's end.
  EXPECT_EQ(runtime::format_timestamp("%H:%M:%S", static_cast<uint64_t>(-1), kBoot), "12:00:00");
}

TEST(TimeFormat, CurrentTimeAndTooLong) {
  auto year = runtime::format_current_time("%Y");
  ASSERT_TRUE(year);
  EXPECT_EQ(year->size(), 4u);
  EXPECT_EQ(runtime::format_current_time("%f\n"), "%f\n"); // no %f in time()
  EXPECT_EQ(runtime::format_current_time(std::string(64, 'x')), std::nullopt);
  EXPECT_EQ(runtime::format_current_time(""), std::nullopt);
}

TEST(Username, LooksTheUidUpInPasswd) {
  const char* passwd = "root:x:0:0:root:/root:/bin/bash\n"
                       "broken line\n"
                       "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
                       "alice:x:1000:1000::/home/alice:/bin/sh\n";
  EXPECT_EQ(runtime::username_in(passwd, 0), "root");
  EXPECT_EQ(runtime::username_in(passwd, 1000), "alice");
  EXPECT_EQ(runtime::username_in(passwd, 4242), "");
}

namespace {

std::vector<uint8_t> record(codegen::EventKind kind, uint32_t id, std::vector<uint8_t> payload) {
  codegen::EventHeader h{static_cast<uint32_t>(kind), id};
  std::vector<uint8_t> r(sizeof h + payload.size());
  std::memcpy(r.data(), &h, sizeof h);
  if (!payload.empty()) std::memcpy(r.data() + sizeof h, payload.data(), payload.size());
  return r;
}

std::vector<uint8_t> join_payload(const std::vector<std::string>& args) {
  std::vector<uint8_t> p(size_t(codegen::kJoinArgs) * codegen::kJoinArgSize, 0);
  for (size_t i = 0; i < args.size(); ++i)
    std::memcpy(p.data() + i * codegen::kJoinArgSize, args[i].data(),
                std::min<size_t>(args[i].size(), codegen::kJoinArgSize - 1));
  return p;
}

std::string handle(const codegen::CompiledProgram& p, const std::vector<uint8_t>& r,
                   runtime::OutputFormat format = runtime::OutputFormat::Text) {
  char* buf = nullptr;
  size_t size = 0;
  FILE* out = open_memstream(&buf, &size);
  {
    runtime::EventHandler handler(p, {}, out, format);
    handler.handle(r.data(), r.size());
  }
  std::fclose(out);
  std::string text(buf, size);
  std::free(buf);
  return text;
}

} // namespace

TEST(JoinEvent, ArgumentsUpToTheFirstEmptyOne) {
  codegen::CompiledProgram p;
  p.join_separators = {" ", ", "};
  EXPECT_EQ(handle(p, record(codegen::EventKind::Join, 0, join_payload({"ls", "-l", "/tmp"}))),
            "ls -l /tmp\n");
  EXPECT_EQ(handle(p, record(codegen::EventKind::Join, 1, join_payload({"a", "", "c"}))), "a\n");
  EXPECT_EQ(handle(p, record(codegen::EventKind::Join, 1, join_payload({}))), "\n");
  EXPECT_EQ(handle(p, record(codegen::EventKind::Join, 1, join_payload({"a", "b\"c"})),
                   runtime::OutputFormat::Json),
            "{\"type\": \"join\", \"data\": \"a, b\\\"c\"}\n");
}

TEST(CatEvent, PrintsTheFormattedFile) {
  codegen::CompiledProgram p;
  p.cats.push_back({"/proc/sys/kernel/%s", ast::Type::tuple({ast::Type::string(8)}), {}});
  std::vector<uint8_t> name(8, 0);
  std::memcpy(name.data(), "ostype", 6);
  EXPECT_EQ(handle(p, record(codegen::EventKind::Cat, 0, name)), "Linux\n");
  EXPECT_EQ(handle(p, record(codegen::EventKind::Cat, 0, name), runtime::OutputFormat::Json),
            "{\"type\": \"cat\", \"data\": \"Linux\\n\"}\n");
}

TEST(TimeEvent, TextAndJson) {
  codegen::CompiledProgram p;
  p.time_formats = {"literal\n"};
  EXPECT_EQ(handle(p, record(codegen::EventKind::Time, 0, {})), "literal\n");
  EXPECT_EQ(handle(p, record(codegen::EventKind::Time, 0, {}), runtime::OutputFormat::Json),
            "{\"type\": \"time\", \"data\": \"literal\\n\"}\n");
}
