// libFuzzer harness over the front end and codegen (issue 13, item 7): every input is parsed,
// checked and, when the checks accept it, lowered to a BPF object through LLVM, exactly as
// tracelet does before loading (tests/fuzz/frontend_run.cpp). Nothing is loaded into the
// kernel. A crash, a sanitizer report or a leak is a bug; a rejected program is not.
// Build and run: tests/fuzz/run.sh (cmake -DTRACELET_FUZZ=ON with clang-14).
#include "tests/fuzz/frontend_run.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0; // long inputs only slow the search down
  auto result =
      tracelet::fuzz::run_frontend(std::string(reinterpret_cast<const char*>(data), size));
  // TRACELET_FUZZ_VERBOSE=1 tracelet_fuzz FILE...: what the front end said about each input
  // (to check that seeds compile, or to see where a crash input stops).
  static const bool verbose = std::getenv("TRACELET_FUZZ_VERBOSE") != nullptr;
  if (verbose) std::cerr << (result.compiled ? "compiled\n" : result.errors);
  return 0;
}
