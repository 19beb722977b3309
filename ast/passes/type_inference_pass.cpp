// infer_types(): runs TypeInference until map types settle, then once more for real.
//
// A map may be read before (in program order) the statement that gives it a value, e.g. read
// in BEGIN and assigned in a tracepoint. Silent rounds learn the value types of every map
// (feeding each round the previous one's results, so chains like `@b = @a` resolve); the last
// round reports errors with those types known.
#include "ast/passes/type_inference.h"

namespace tracelet::ast::passes {

namespace {

size_t known_values(const MapTypes& maps) {
  size_t n = 0;
  for (const auto& [name, entry] : maps.all())
    n += entry.value.known;
  return n;
}

} // namespace

void infer_types(Program& program, KernelInfo& kernel, Diagnostics& diags,
                 const SemanticOptions& options) {
  MapTypes hints;
  VariableTypes variable_hints;
  constexpr int kMaxSilentRounds = 4;
  for (int round = 0; round < kMaxSilentRounds; ++round) {
    Diagnostics scratch;
    TypeInference silent(kernel, scratch, options, round ? &hints : nullptr,
                         round ? &variable_hints : nullptr);
    silent.set_provisional();
    silent.run(program);
    bool settled = round > 0 && known_values(silent.maps()) == known_values(hints) &&
                   silent.variables().size() == variable_hints.size();
    hints = silent.maps();
    variable_hints = silent.variables();
    if (settled || !scratch.has_errors()) break;
  }
  TypeInference final_round(kernel, diags, options, &hints, &variable_hints);
  final_round.run(program);
}

} // namespace tracelet::ast::passes
