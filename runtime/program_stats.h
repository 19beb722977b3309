// -v: what the verifier made of each loaded program, as bpftrace -v shows it (program id and
// the verifier's instruction count), from the kernel's bpf_prog_info.
#pragma once

#include "codegen/compiled_program.h"
#include "runtime/bpf_object.h"

#include <cstdio>

namespace tracelet::runtime {

// One line per program on `out`: "tracelet: loaded <probe> (program id N): X instructions,
// the verifier processed Y (limit 1000000)".
void print_program_stats(const BpfObject& obj, const codegen::CompiledProgram& program,
                         std::FILE* out);

} // namespace tracelet::runtime
