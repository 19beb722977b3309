#include "runtime/metrics/metrics_server.h"

#include "ast/diagnostics.h"
#include "runtime/attach/attach.h"
#include "runtime/bpf_object.h"
#include "runtime/events.h"
#include "runtime/map_reader.h"
#include "runtime/output/prometheus.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <fstream>

namespace tracelet::runtime {

namespace {

std::optional<bool> bpf_stats_enabled() {
  std::ifstream in("/proc/sys/kernel/bpf_stats_enabled");
  int value = 0;
  if (!(in >> value)) return std::nullopt;
  return value != 0;
}

} // namespace

MetricsServer::MetricsServer(const MetricsAddress& address, const codegen::CompiledProgram& program,
                             const BpfObject& obj, const std::vector<int>& map_fds,
                             const EventHandler& handler)
    : program_(program), map_fds_(map_fds), handler_(handler) {
  for (const auto& desc : program.programs)
    if (!is_begin_end(desc.provider))
      probes_.push_back({desc.probe_name, bpf_program__fd(obj.program(desc.func_name))});
  const HttpServerPlugin& plugin = http_server_plugin();
  std::string error;
  http_ = plugin.start(
      address.host, address.port,
      [this](std::string& body) {
        try {
          body = scrape();
          return true;
        } catch (const Error& e) {
          body = e.what();
          return false;
        }
      },
      error);
  if (!http_) throw Error("cannot serve metrics on " + address.text() + ": " + error);
}

MetricsServer::~MetricsServer() {
  http_.reset();
}

std::string MetricsServer::scrape() const {
  std::vector<std::vector<MapEntry>> entries;
  for (size_t i = 0; i < program_.maps.size(); ++i)
    entries.push_back(read_map(map_fds_[i], program_.maps[i]));
  HealthSample health;
  health.lost_events = handler_.lost_total();
  health.probes_attached = probes_attached_;
  health.bpf_stats_enabled = bpf_stats_enabled();
  // The kernel also counts while some process holds a BPF_ENABLE_STATS fd (bpftool prog
  // profile, ...), which the sysctl does not show: counts above 0 say so.
  bool counted = health.bpf_stats_enabled.value_or(false);
  for (const auto& probe : probes_) {
    bpf_prog_info info{};
    uint32_t len = sizeof info;
    if (bpf_obj_get_info_by_fd(probe.fd, &info, &len) != 0) continue;
    health.probes.push_back({probe.name, info.run_cnt, info.run_time_ns});
    counted = counted || info.run_cnt > 0;
  }
  if (!counted) health.probes.clear();
  return prometheus_exposition(program_.maps, entries, program_.probe_names, program_.hist_sums,
                               health);
}

} // namespace tracelet::runtime
