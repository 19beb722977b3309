// Probe expansion: one concrete attach point per BPF program. Tracepoint wildcards are
// resolved through KernelInfo (so tracefs is only read when a script names tracepoints);
// every other provider is copied as is.
//
// A function attach point that resolves to nothing (a symbol the library lacks, a wildcard
// matching no function) is an error when it leaves its probe with nothing to attach, and a
// warning when other attach points of the same probe resolve: bpftrace's tools list variants
// across versions (dcsnoop's lookup_fast.constprop.*, sslsnoop's libcrypto-internal
// rsa_ossl_* that distributions strip), and bpftrace 0.17 drops such wildcards silently.
#include "ast/passes/passes.h"

#include <set>

namespace tracelet::ast::passes {

namespace {

AttachPointPtr concrete_tracepoint(const AttachPoint& pattern, const std::string& category,
                                   const std::string& name) {
  auto ap = std::make_unique<AttachPoint>(pattern);
  ap->target = category;
  ap->func = name;
  ap->raw = "tracepoint:" + category + ":" + name;
  ap->parts = {"tracepoint", category, name};
  ap->need_expansion = false;
  return ap;
}

} // namespace

void expand_probes(Program& program, KernelInfo& kernel, Diagnostics& diags) {
  for (auto& probe : program.probes) {
    probe->expanded.clear();
    std::set<std::string> seen; // the same concrete point listed twice runs once
    std::vector<std::pair<Location, std::string>> missing;
    auto note_missing = [&](const Location& loc, std::string message) {
      missing.emplace_back(loc, std::move(message));
    };
    auto add = [&](AttachPointPtr ap) {
      // usdt: each copy of a marker (same name, another address) is its own program.
      std::string key =
          ap->name() + (ap->usdt_location ? "@" + std::to_string(ap->usdt_location) : "");
      if (seen.insert(key).second) probe->expanded.push_back(std::move(ap));
    };
    for (const auto& ap : probe->attach_points) {
      if (ap->provider.empty()) continue; // its error is reported already
      if (is_function_probe(ap->provider)) {
        expand_function_probe(*ap, kernel, diags, add, note_missing);
        continue;
      }
      if (ap->provider != "tracepoint") {
        add(std::make_unique<AttachPoint>(*ap));
        continue;
      }
      if (ap->need_expansion) {
        auto matches = kernel.match_tracepoints(ap->target, ap->func);
        if (matches.empty()) diags.error(ap->loc, "tracepoint not found: " + ap->raw);
        for (const auto& [category, name] : matches)
          add(concrete_tracepoint(*ap, category, name));
      } else if (!kernel.tracepoint_args(ap->target, ap->func)) {
        diags.error(ap->loc, "tracepoint not found: " + ap->raw);
      } else {
        add(concrete_tracepoint(*ap, ap->target, ap->func));
      }
    }
    for (auto& [loc, message] : missing) {
      if (probe->expanded.empty())
        diags.error(loc, std::move(message));
      else
        diags.warning(loc, message + "; skipped, other attach points of this probe resolve");
    }
  }
}

} // namespace tracelet::ast::passes
