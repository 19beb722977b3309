// One program through the stages tracelet runs before loading (parse with preprocessing and C
// declarations, every check of ast::analyse, codegen to the BPF object in memory), with kernel
// information that is fixed for the whole process. Shared by the libFuzzer harness
// (fuzz_frontend.cpp) and the unit test that replays the crashes it found
// (tests/unit/codegen/fuzz_regressions_test.cpp), so both take the same path.
#pragma once

#include <cstddef>
#include <string>

namespace tracelet::fuzz {

struct FrontendResult {
  bool compiled = false; // the front end accepted the program and codegen produced an object
  std::string errors;    // the diagnostics (or the Error's message) when it did not
};

// Never lets tracelet::Error out: a rejected program is an expected outcome. Anything else
// escaping (or a sanitizer report) is a bug.
FrontendResult run_frontend(const std::string& text);

} // namespace tracelet::fuzz
