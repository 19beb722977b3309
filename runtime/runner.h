// ELF -> kernel -> output. Loads and attaches, serves events, prints maps, detaches.
#pragma once

#include "codegen/compiled_program.h"
#include "runtime/child_process.h"
#include "runtime/metrics/metrics_address.h"
#include "runtime/output/output_format.h"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

namespace tracelet {
class Diagnostics;
} // namespace tracelet

namespace tracelet::runtime {

struct RunOptions {
  bool dry_run = false; // load every program into the verifier, attach nothing, exit 0
  bool verbose = false; // -v: verifier logs on failure, attach details
  OutputFormat format = OutputFormat::Text; // -f text|json
  FILE* out = stdout;                       // -o FILE: where all output goes
  bool quiet = false;                       // -q: no "Attaching N probes..." line
  ChildProcess* child = nullptr;            // -c CMD: started once attached; its exit stops us
  int pid = -1;                             // -p PID: uprobes fire in this process only
  const Diagnostics* sources = nullptr;     // source texts, quoted by -k helper warnings
  std::optional<MetricsAddress> metrics;    // --metrics: serve the maps to Prometheus here
  uint32_t map_keys_max = 0; // --map-keys-max / BPFTRACE_MAP_KEYS_MAX; 0: as compiled (4096)
};

// Returns the process exit status. Throws tracelet::Error for environment failures (libbpf
// refusing the object, a probe that cannot attach), after detaching whatever was attached.
int run(const codegen::CompiledProgram& program, const RunOptions& options);

} // namespace tracelet::runtime
