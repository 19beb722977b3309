// Event decoding without a kernel: records are fed to EventHandler as the perf buffer would.
#include "runtime/events.h"
#include "test_values.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

using namespace tracelet;
using namespace tracelet::test;

namespace {

std::vector<uint8_t> record(codegen::EventKind kind, uint32_t id,
                            const std::vector<uint8_t>& payload = {}) {
  codegen::EventHeader h{static_cast<uint32_t>(kind), id};
  std::vector<uint8_t> r(sizeof h);
  std::memcpy(r.data(), &h, sizeof h);
  r.insert(r.end(), payload.begin(), payload.end());
  return r;
}

// Collects what the handler writes.
class Output {
public:
  Output() : file_(open_memstream(&buf_, &size_)) {}
  ~Output() {
    std::fclose(file_);
    std::free(buf_);
  }
  FILE* file() { return file_; }
  std::string text() {
    std::fflush(file_);
    return std::string(buf_, size_);
  }

private:
  char* buf_ = nullptr;
  size_t size_ = 0;
  FILE* file_;
};

codegen::CompiledProgram program() {
  codegen::CompiledProgram p;
  p.printfs.push_back({"%s got %d\n", Type::tuple({Type::string(8), Type::i64()}), {}});
  p.print_values.push_back({Type::tuple({Type::i64(), Type::string(4)})});
  p.print_values.push_back({Type::probe()});
  p.probe_names = {"BEGIN", "interval:s:1"};
  return p;
}

} // namespace

TEST(EventHandler, PrintfPrintValueAndExit) {
  auto p = program();
  Output out;
  runtime::EventHandler handler(p, {}, out.file());
  Bytes args({Type::string(8), Type::i64()});
  args.s(0, "cpu").i(1, -3);
  auto r = record(codegen::EventKind::Printf, 0, args.data());
  handler.handle(r.data(), r.size());
  Bytes value({Type::i64(), Type::string(4)});
  value.i(0, 5).s(1, "abc");
  r = record(codegen::EventKind::PrintValue, 0, value.data());
  handler.handle(r.data(), r.size());
  r = record(codegen::EventKind::PrintValue, 1, u64_bytes(1));
  handler.handle(r.data(), r.size());
  EXPECT_FALSE(handler.exit_requested());
  r = record(codegen::EventKind::Exit, 0);
  handler.handle(r.data(), r.size());
  EXPECT_TRUE(handler.exit_requested());
  // After exit(), bpftrace ignores further events until END runs.
  r = record(codegen::EventKind::Printf, 0, args.data());
  handler.handle(r.data(), r.size());
  EXPECT_EQ(out.text(), "cpu got -3\n(5, abc)\ninterval:s:1\n");
  handler.accept_events_again();
  handler.handle(r.data(), r.size());
  EXPECT_EQ(out.text(), "cpu got -3\n(5, abc)\ninterval:s:1\ncpu got -3\n");
}

TEST(EventHandler, LostEventsAreReportedAndCounted) {
  auto p = program();
  Output out;
  runtime::EventHandler handler(p, {}, out.file());
  handler.lost(3);
  handler.lost(12);
  EXPECT_EQ(out.text(), "Lost 3 events\nLost 12 events\n");
  EXPECT_EQ(handler.lost_total(), 15u);
}

TEST(EventHandler, MalformedRecordsAreIgnored) {
  auto p = program();
  Output out;
  runtime::EventHandler handler(p, {}, out.file());
  uint8_t tiny[3] = {1, 0, 0};
  handler.handle(tiny, sizeof tiny);
  auto r = record(codegen::EventKind::Printf, 99);
  handler.handle(r.data(), r.size());
  r = record(static_cast<codegen::EventKind>(77), 0);
  handler.handle(r.data(), r.size());
  r = record(codegen::EventKind::PrintMap, 5);
  handler.handle(r.data(), r.size());
  EXPECT_EQ(out.text(), "");
  EXPECT_FALSE(handler.exit_requested());
}
