// The LLVM that this build compiles BPF with (for --info), kept in codegen/ with every other
// LLVM dependency.
#pragma once

#include <string>

namespace tracelet::codegen {

std::string llvm_version(); // "14.0.6"

} // namespace tracelet::codegen
