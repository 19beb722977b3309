// Detaching many probes at once.
#pragma once

#include "runtime/bpf_object.h"

#include <vector>

namespace tracelet::runtime {

// Destroys every link. Detaching a tracepoint waits for an RCU grace period (about 55 ms
// here), so one by one `tracepoint:syscalls:sys_enter_*` would take some 20 s to detach, as it
// does in bpftrace; closing them from several threads lets the waits overlap.
void detach_all(std::vector<Link>& links);

} // namespace tracelet::runtime
