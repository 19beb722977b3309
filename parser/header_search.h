// Where `#include` finds a header, in clang's order (bpftrace 0.17 hands its headers to clang):
// for "x.h" first the including file's directory (the current directory for the script itself
// and for -e, since bpftrace compiles the script as a file in the current directory), then the
// -I directories in order, then the system directories (/usr/local/include,
// /usr/include/<multiarch>, /usr/include). <x.h> skips the first step.
//
// A header found in the including file's directory or an -I directory is the user's: it is read
// as part of the program (its #defines, struct/union/enum/typedef definitions). One found in a
// system directory is left to BTF and the integer #define lookup (runtime/kernel/c_defines.h).
// Kernel headers (<linux/...>, <net/...>, <asm/...>, ...) are accepted without being on disk:
// tracelet takes kernel types from BTF, and bpftrace's tools include them on machines without
// kernel headers.
#pragma once

#include <string>
#include <vector>

namespace tracelet::parser {

// The -I directories of this run, and the --include files (cli/main.cpp sets them before
// parsing).
void set_include_dirs(std::vector<std::string> dirs);
void set_include_files(std::vector<std::string> files);
const std::vector<std::string>& include_files();

struct HeaderLookup {
  bool found = false;
  bool user = false; // found in the including file's directory or an -I directory
  std::string path;  // as clang names it: "./x.h", "inc/x.h" (empty for a kernel header)
};

// `header` as written between <> or "". `includer_dir`: the including file's directory, "."
// for the script.
HeaderLookup find_header(const std::string& header, bool quoted, const std::string& includer_dir);

// The directory part of a header path as find_header() returns it ("inc" for "inc/x.h").
std::string directory_of(const std::string& path);

} // namespace tracelet::parser
