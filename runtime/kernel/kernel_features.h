// What this kernel can attach, found out once per run by looking (kprobe PMU, hardware PMU)
// or by trying (loading a minimal fentry program). Weak kernels here lack kprobes and refuse
// fentry, so every probe kind checks before anything is attached.
#pragma once

#include <string>

namespace tracelet::runtime {

// The kprobe PMU (/sys/bus/event_source/devices/kprobe) or tracefs kprobe_events exists.
bool kernel_has_kprobes();
// A minimal fentry program on a BTF-described kernel function loads (not EPERM/EINVAL...).
bool kernel_loads_fentry();
// A hardware PMU (cpu cycles) can be opened: perf_event_open(PERF_TYPE_HARDWARE) works.
bool kernel_has_hardware_pmu();

// A tracepoint to suggest for kernel function `func` ("do_sys_openat2" ->
// "tracepoint:syscalls:sys_enter_openat"), or "" if none seems to match.
std::string suggest_tracepoint(const std::string& func);

} // namespace tracelet::runtime
