#include "uprobe_target.h"

namespace tracelet::test {

std::string uprobe_target() {
  return TL_UPROBE_TARGET;
}

RunResult trace_uprobe_target(const std::string& script, int calls,
                              std::vector<std::string> options) {
  return trace_while(script, {uprobe_target(), "calls", std::to_string(calls)}, std::move(options));
}

} // namespace tracelet::test
