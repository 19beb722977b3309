// Attach paths, one file per probe kind. Every attachment is a bpf_link, so the kernel detaches
// it when tracelet dies, however it dies.
#pragma once

#include "codegen/compiled_program.h"
#include "runtime/bpf_object.h"

#include <string>

namespace tracelet::runtime {

// BEGIN and END are not attached: run_once() executes the program a single time in tracelet's
// own context (BPF_PROG_TEST_RUN). Throws tracelet::Error if the kernel refuses.
void run_once(bpf_program* prog, const codegen::ProgramDesc& desc);

// interval:s|ms|us|hz:N — a CPU-clock perf event on CPU 0 firing every N units.
Link attach_interval(bpf_program* prog, const codegen::ProgramDesc& desc);
// The period in nanoseconds of interval:<unit>:<n>; throws tracelet::Error for other units.
uint64_t interval_period_ns(const std::string& unit, uint64_t n, const std::string& probe_name);

// tracepoint:<category>:<name>.
Link attach_tracepoint(bpf_program* prog, const codegen::ProgramDesc& desc);

// Whether `provider` is run once (BEGIN/END) rather than attached.
bool is_begin_end(const std::string& provider);

// Throws tracelet::Error naming the first program whose probe kind has no attach path here, so
// that nothing gets attached for a program that cannot fully run.
void check_attachable(const codegen::CompiledProgram& program);

// Attaches one non-BEGIN/END program by its provider.
Link attach_program(bpf_program* prog, const codegen::ProgramDesc& desc);

} // namespace tracelet::runtime
