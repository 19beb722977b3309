// `#include` of a header that exists nowhere is an error (bpftrace: "file not found"). Kernel
// headers (<linux/...>, <net/...>, <asm/...>, ...) are accepted without being on disk: tracelet
// takes kernel types from BTF, and bpftrace's tools include them on machines without kernel
// headers. Other headers are looked up next to the script ("x.h" only), in the -I directories,
// and in /usr/include (with its multiarch directory).
#pragma once

#include <string>
#include <vector>

namespace tracelet::parser {

// The -I directories of this run (cli/main.cpp sets them before parsing).
void set_include_dirs(std::vector<std::string> dirs);

// "" if `header` (as written between <> or "") can be found, else why not. `quoted`: the
// "x.h" form; `script`: the including file's path ("stdin" for -e).
std::string missing_header_reason(const std::string& header, bool quoted,
                                  const std::string& script);

} // namespace tracelet::parser
