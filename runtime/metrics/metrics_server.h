// --metrics: serves the running program's maps and tracelet's health to Prometheus. Maps are
// read from the kernel at scrape time on the server's threads, so clear(), zero() and delete()
// show in the next scrape and a scrape never waits for (or stalls) the event loop.
#pragma once

#include "codegen/compiled_program.h"
#include "runtime/metrics/http_server.h"
#include "runtime/metrics/metrics_address.h"

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace tracelet::runtime {

class BpfObject;
class EventHandler;

class MetricsServer {
public:
  // Binds and starts serving. Throws tracelet::Error ("cannot serve metrics on ADDR: why").
  // Everything passed in must outlive the server.
  MetricsServer(const MetricsAddress& address, const codegen::CompiledProgram& program,
                const BpfObject& obj, const std::vector<int>& map_fds, const EventHandler& handler);
  ~MetricsServer(); // stops serving; no scrape runs after it returns

  void set_probes_attached(uint64_t count) { probes_attached_ = count; }

  // The exposition a scrape gets now. Throws tracelet::Error if a map cannot be read.
  std::string scrape() const;

private:
  struct Probe {
    std::string name;
    int fd;
  };
  const codegen::CompiledProgram& program_;
  std::vector<int> map_fds_;
  std::vector<Probe> probes_;
  const EventHandler& handler_;
  std::atomic<uint64_t> probes_attached_{0};
  std::unique_ptr<HttpServer> http_;
};

} // namespace tracelet::runtime
