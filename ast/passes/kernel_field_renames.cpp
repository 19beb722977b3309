// Kernel struct fields that were renamed without a change of meaning. A script written for an
// older kernel (bpftrace's runqlen.bt reads cfs_rq->nr_running) names the old field; on a
// kernel whose BTF has only the new name, type inference reads the new one and warns. The
// table holds pure renames only: a field whose meaning or type changed does not belong here.
#include "ast/passes/passes.h"

#include <array>

namespace tracelet::ast::passes {

namespace {

struct FieldRename {
  const char* record;
  const char* old_name;
  const char* new_name;
  const char* since; // the kernel release that renamed it
};

constexpr std::array<FieldRename, 3> kRenames = {{
    // sched/fair: "Rename cfs_rq.nr_running into nr_queued" (and h_nr_running likewise).
    {"struct cfs_rq", "nr_running", "nr_queued", "6.14"},
    {"struct cfs_rq", "h_nr_running", "h_nr_queued", "6.14"},
    // sched: "Change task_struct::state" (to __state, read with READ_ONCE in C).
    {"struct task_struct", "state", "__state", "5.14"},
}};

} // namespace

std::optional<FieldRenamed> renamed_kernel_field(const RecordDef& record,
                                                 const std::string& field) {
  for (const auto& r : kRenames)
    if (record.name == r.record && field == r.old_name && record.find(r.new_name))
      return FieldRenamed{r.new_name, r.since};
  return std::nullopt;
}

} // namespace tracelet::ast::passes
