// Watchpoint records (codegen/watchpoint_events.h) reach the handler's watchpoint callback with
// their kind, id and address, and print nothing themselves.
#include "codegen/watchpoint_events.h"
#include "runtime/events.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <tuple>
#include <vector>

using namespace tracelet;

namespace {

std::vector<uint8_t> record(uint32_t kind, uint32_t id, std::vector<uint8_t> payload) {
  codegen::EventHeader h{kind, id};
  std::vector<uint8_t> r(sizeof h);
  std::memcpy(r.data(), &h, sizeof h);
  r.insert(r.end(), payload.begin(), payload.end());
  return r;
}

std::vector<uint8_t> address_bytes(uint64_t a) {
  std::vector<uint8_t> b(8);
  std::memcpy(b.data(), &a, 8);
  return b;
}

TEST(WatchpointEvents, AttachAndDetachReachTheCallback) {
  codegen::CompiledProgram program;
  FILE* out = std::tmpfile();
  ASSERT_TRUE(out);
  runtime::EventHandler handler(program, {}, out);
  std::vector<std::tuple<uint32_t, uint32_t, uint64_t>> seen;
  handler.serve_watchpoints(
      [&](uint32_t kind, uint32_t id, uint64_t address) { seen.emplace_back(kind, id, address); });
  auto attach = record(codegen::kWatchpointAttach, 3, address_bytes(0x7ffd1234));
  auto detach = record(codegen::kWatchpointDetach, 0, address_bytes(0x404038));
  auto short_one = record(codegen::kWatchpointAttach, 1, {1, 2, 3}); // no whole address
  handler.handle(attach.data(), attach.size());
  handler.handle(detach.data(), detach.size());
  handler.handle(short_one.data(), short_one.size());
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], std::make_tuple(codegen::kWatchpointAttach, 3u, uint64_t(0x7ffd1234)));
  EXPECT_EQ(seen[1], std::make_tuple(codegen::kWatchpointDetach, 0u, uint64_t(0x404038)));
  std::fflush(out);
  EXPECT_EQ(std::ftell(out), 0L); // nothing printed
  std::fclose(out);
}

TEST(WatchpointEvents, IgnoredWithoutACallback) {
  codegen::CompiledProgram program;
  FILE* out = std::tmpfile();
  ASSERT_TRUE(out);
  runtime::EventHandler handler(program, {}, out);
  auto attach = record(codegen::kWatchpointAttach, 0, address_bytes(0x1000));
  handler.handle(attach.data(), attach.size());
  std::fflush(out);
  EXPECT_EQ(std::ftell(out), 0L);
  std::fclose(out);
}

} // namespace
