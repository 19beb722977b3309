// Named integer constants for scripts that `#include` headers, without a C compiler: simple
// `#define NAME <integer expression>` lines of the named headers under /usr/include (nested
// includes followed), and a built-in table of kernel constants that neither BTF nor uapi
// headers carry.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tracelet::runtime {

class HeaderDefines {
public:
  // `include_dirs` empty: /usr/include and the multiarch directory under it.
  explicit HeaderDefines(std::vector<std::string> include_dirs = {});

  // The value of NAME as `#define`d by `headers` (e.g. "linux/socket.h") or what they include.
  // Headers are read on the first lookup only; unreadable headers are skipped.
  std::optional<int64_t> lookup(const std::string& name, const std::vector<std::string>& headers);

  // Evaluates a #define body: integer literals (with U/L suffixes), names defined earlier,
  // parentheses, unary - ~, and binary | & ^ << >> + - *. nullopt if it is anything else.
  std::optional<int64_t> evaluate(const std::string& body) const;

private:
  void read_header(const std::string& name, int depth);
  std::vector<std::string> dirs_;
  std::set<std::string> read_;
  std::map<std::string, std::string> bodies_; // NAME -> text after it
};

// TASK_RUNNING, AF_INET, ...: constants scripts use that the kernel's BTF has no enum for.
std::optional<int64_t> builtin_kernel_constant(const std::string& name);

} // namespace tracelet::runtime
