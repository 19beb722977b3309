// Command-line forms bpftrace accepts that need more than one flag per argument: bundled
// short options (`-ve 'prog'`, `-lv`, `-kk`, `-p123`), `-` for a program on stdin, and the
// checks of -p and -l values that bpftrace makes before doing anything else.
#pragma once

#include <string>
#include <vector>

namespace tracelet::cli {

// Splits bundled short options into one argument each, as getopt does: "-ve" "prog" ->
// "-v" "-e" "prog"; "-eprog" -> "-e" "prog"; "-p123" -> "-p" "123"; "-kk" stays "-kk" (it is
// one level, not two -k). Options may also follow the file name and positional arguments, as
// with GNU getopt (not with POSIXLY_CORRECT set): the result lists every option first, then
// `--` and the operands in their order. Values of options and everything after `--` are left
// alone, as is anything that is not a bundle of known short options, so that the parser still
// reports an unknown option by its own spelling.
std::vector<std::string> expand_short_options(const std::vector<std::string>& args);

// The program text of FILENAME, or of stdin when FILENAME is "-" (bpftrace's convention).
// Throws tracelet::Error when the file cannot be read.
std::string read_program(const std::string& filename);

// -p PID: the process must exist (bpftrace: "No such process"). Throws tracelet::Error.
void check_pid_exists(int pid);

// -l PATTERN: a probe pattern may hold letters, digits and _ - . / : * [ ] + , # ~ and
// spaces; bpftrace rejects the others ($ ? ; " ' @ { } ( ) = ! % & | ...) as a syntax error.
// Returns "" when the pattern is valid, else a located message in tracelet's form
// ("stdin:1:COL: error: ...", the pattern, a caret under the first bad character).
std::string list_pattern_error(const std::string& pattern);

} // namespace tracelet::cli
