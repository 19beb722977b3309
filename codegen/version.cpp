#include "codegen/version.h"

#include <llvm/Config/llvm-config.h>

namespace tracelet::codegen {

std::string llvm_version() {
  return LLVM_VERSION_STRING;
}

} // namespace tracelet::codegen
