// Attach paths, one file per probe kind. Every attachment is a bpf_link, so the kernel detaches
// it when tracelet dies, however it dies.
#pragma once

#include "ast/diagnostics.h"
#include "codegen/compiled_program.h"
#include "runtime/bpf_object.h"

#include <string>
#include <vector>

namespace tracelet::runtime {

// A probe this kernel (or this tracelet) cannot attach, pinned to the attach point in the
// user's program: what() is the whole line, "file:line:col: error: <probe> cannot attach:
// <why>[; try <alternative>]". cli/main.cpp prints it as is.
struct AttachError : Error {
  AttachError(const codegen::ProgramDesc& desc, const std::string& why);
};

// BEGIN and END are not attached: run_once() executes the program a single time in tracelet's
// own context (BPF_PROG_TEST_RUN). Throws tracelet::Error if the kernel refuses.
void run_once(bpf_program* prog, const codegen::ProgramDesc& desc);

// interval:s|ms|us|hz:N — a CPU-clock perf event on CPU 0 firing every N units.
Link attach_interval(bpf_program* prog, const codegen::ProgramDesc& desc);
// The period in nanoseconds of interval:<unit>:<n>; throws tracelet::Error for other units.
uint64_t interval_period_ns(const std::string& unit, uint64_t n, const std::string& probe_name);

// tracepoint:<category>:<name>.
Link attach_tracepoint(bpf_program* prog, const codegen::ProgramDesc& desc);

// rawtracepoint:<name> (raw_tracepoint.cpp).
Link attach_raw_tracepoint(bpf_program* prog, const codegen::ProgramDesc& desc);

// uprobe/uretprobe:<binary>:<symbol|address>[+offset] (uprobe.cpp); pid > 0 limits the
// probe to that process.
Link attach_uprobe(bpf_program* prog, const codegen::ProgramDesc& desc, int pid);
// The file offset the uprobe of `desc` attaches at; throws AttachError if it cannot be found.
uint64_t uprobe_file_offset(const codegen::ProgramDesc& desc);
// usdt:<binary>:<provider>:<name> (uprobe.cpp): a uprobe at the note's address, with
// the probe's semaphore (if any) counted by the kernel. Throws AttachError if not found.
struct UsdtPlacement {
  uint64_t offset = 0;           // file offset of the probe's instruction
  uint64_t semaphore_offset = 0; // file offset of its semaphore, 0 if none
};
UsdtPlacement usdt_placement(const codegen::ProgramDesc& desc);
Link attach_usdt(bpf_program* prog, const codegen::ProgramDesc& desc, int pid);

// kprobe/kretprobe and fentry/fexit (kprobe.cpp). kprobe_unavailable() is "" when this
// kernel can attach the kprobe of `desc`, else why not (with a tracepoint to use instead);
// fentry_unavailable() likewise for fentry/fexit.
Link attach_kprobe(bpf_program* prog, const codegen::ProgramDesc& desc);
Link attach_fentry(bpf_program* prog, const codegen::ProgramDesc& desc);
std::string kprobe_unavailable(const codegen::ProgramDesc& desc);
std::string fentry_unavailable(const codegen::ProgramDesc& desc);

// profile:hz|s|ms|us:N, software:<event>[:count], hardware:<event>[:count] (perf.cpp):
// one perf event per CPU. perf_unavailable() is "" if the event exists here, else why not.
std::vector<Link> attach_perf_event(bpf_program* prog, const codegen::ProgramDesc& desc);
std::string perf_unavailable(const codegen::ProgramDesc& desc);

// xdp:IFACE[:native|generic] (xdp.cpp) and tc:IFACE:ingress|egress (tc.cpp): links on the
// interface. packet_interface_unavailable() is "" if the interface exists, else why not (with
// the interfaces there are). prepare_packet_program() sets what must be set before loading.
Link attach_xdp(bpf_program* prog, const codegen::ProgramDesc& desc);
Link attach_tc(bpf_program* prog, const codegen::ProgramDesc& desc);
std::string packet_interface_unavailable(const codegen::ProgramDesc& desc);
void prepare_packet_program(bpf_program* prog, const codegen::ProgramDesc& desc);

// Whether `provider` is run once (BEGIN/END) rather than attached.
bool is_begin_end(const std::string& provider);

// Throws (AttachError for a located probe) naming the first program this kernel cannot attach,
// so that nothing gets attached for a program that cannot fully run.
void check_attachable(const codegen::CompiledProgram& program);

// Whether the kernel will refuse to load this program (fentry/fexit where fentry is refused):
// such programs are not loaded; --dry-run reports them as not verified.
bool kernel_refuses_load(const codegen::ProgramDesc& desc);

// Attaches one non-BEGIN/END program by its provider; pid > 0 limits uprobes to one process.
std::vector<Link> attach_links(bpf_program* prog, const codegen::ProgramDesc& desc, int pid);
Link attach_program(bpf_program* prog, const codegen::ProgramDesc& desc);

} // namespace tracelet::runtime
