#include "cli/command_line.h"

#include "ast/diagnostics.h"

#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

namespace tracelet::cli {

namespace {

// Short options without a value, and with one (the rest of the bundle or the next argument).
constexpr std::string_view kShortFlags = "hVvqlk";
constexpr std::string_view kShortWithValue = "edpfoBcI";
// Long options that take the next argument as their value.
bool long_option_takes_value(const std::string& a) {
  return a == "--include" || a == "--metrics" || a == "--map-keys-max";
}

bool is_bundle(const std::string& a) {
  if (a.size() < 3 || a[0] != '-' || a[1] == '-') return false;
  for (size_t i = 1; i < a.size(); ++i) {
    char c = a[i];
    if (kShortWithValue.find(c) != std::string_view::npos) return true; // the rest is its value
    if (kShortFlags.find(c) == std::string_view::npos) return false;
  }
  return true;
}

} // namespace

std::vector<std::string> expand_short_options(const std::vector<std::string>& args) {
  std::vector<std::string> out, operands;
  // As GNU getopt (bpftrace's): options may follow the file name and positional arguments,
  // unless POSIXLY_CORRECT is set; `--` always ends the options.
  const bool permute = std::getenv("POSIXLY_CORRECT") == nullptr;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a == "-" || a.empty() || a[0] != '-') {
      if (!permute) break;
      operands.push_back(a);
      continue;
    }
    if (a.size() == 2 && kShortWithValue.find(a[1]) != std::string_view::npos) {
      out.push_back(a);
      if (i + 1 < args.size()) out.push_back(args[++i]);
      continue;
    }
    if (size_t eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos &&
                                 long_option_takes_value(a.substr(0, eq))) {
      out.push_back(a.substr(0, eq)); // --include=FILE, as getopt_long
      out.push_back(a.substr(eq + 1));
      continue;
    }
    if (long_option_takes_value(a)) {
      out.push_back(a);
      if (i + 1 < args.size()) out.push_back(args[++i]);
      continue;
    }
    if (!is_bundle(a)) {
      out.push_back(a);
      continue;
    }
    for (size_t j = 1; j < a.size(); ++j) {
      char c = a[j];
      if (c == 'k' && j + 1 < a.size() && a[j + 1] == 'k') {
        out.push_back("-kk");
        ++j;
        continue;
      }
      out.push_back(std::string("-") + c);
      if (kShortWithValue.find(c) != std::string_view::npos) {
        if (j + 1 < a.size())
          out.push_back(a.substr(j + 1));
        else if (i + 1 < args.size())
          out.push_back(args[++i]);
        break;
      }
    }
  }
  for (; i < args.size(); ++i)
    operands.push_back(args[i]);
  // The parser takes what follows `--` as the program file (or -l pattern) and its arguments.
  if (!operands.empty()) {
    out.push_back("--");
    out.insert(out.end(), operands.begin(), operands.end());
  }
  return out;
}

std::string read_program(const std::string& filename) {
  std::ostringstream ss;
  if (filename == "-") {
    ss << std::cin.rdbuf();
    if (std::cin.bad()) throw Error("cannot read the program from stdin");
    return ss.str();
  }
  std::ifstream in(filename, std::ios::binary);
  if (!in) throw Error("cannot open '" + filename + "': " + std::strerror(errno));
  ss << in.rdbuf();
  return ss.str();
}

void check_pid_exists(int pid) {
  if (kill(pid, 0) == 0 || errno == EPERM) return;
  throw Error("-p " + std::to_string(pid) + ": no such process");
}

std::string list_pattern_error(const std::string& pattern) {
  constexpr std::string_view kAllowed = "_-./:*[]+,#~ \t";
  for (size_t i = 0; i < pattern.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(pattern[i]);
    if (std::isalnum(c) || kAllowed.find(static_cast<char>(c)) != std::string_view::npos) continue;
    std::string shown = std::isprint(c) ? std::string(1, static_cast<char>(c))
                                        : "\\x" + std::to_string(static_cast<int>(c));
    std::ostringstream msg;
    msg << "stdin:1:" << i + 1 << ": error: invalid character '" << shown
        << "' in probe pattern (-l takes probe names and the wildcards * and [...])\n"
        << pattern << "\n"
        << std::string(i, ' ') << "^\n";
    return msg.str();
  }
  return "";
}

} // namespace tracelet::cli
