// The key limit of user maps: --map-keys-max N or BPFTRACE_MAP_KEYS_MAX (default: as compiled,
// 4096), applied to the hash maps before loading; and a warning, once per map, when a map is
// full, since the kernel then drops new keys without a word (bpftrace too).
#pragma once

#include "codegen/compiled_program.h"
#include "runtime/bpf_object.h"

#include <cstdint>
#include <vector>

namespace tracelet::runtime {

// keys_max 0: leave the compiled sizes.
void apply_map_keys_max(BpfObject& obj, const codegen::CompiledProgram& program, uint32_t keys_max);

// Warns on stderr about each map that has reached its limit (each map once per run).
class FullMapWarnings {
public:
  FullMapWarnings(const codegen::CompiledProgram& program, std::vector<int> map_fds,
                  uint32_t keys_max)
      : program_(program), map_fds_(std::move(map_fds)), keys_max_(keys_max),
        warned_(program.maps.size(), false) {}
  void check();

private:
  const codegen::CompiledProgram& program_;
  std::vector<int> map_fds_;
  uint32_t keys_max_;
  std::vector<bool> warned_;
};

} // namespace tracelet::runtime
