#include "runtime/tunables.h"

namespace tracelet::runtime {

Tunables& tunables() {
  static Tunables values;
  return values;
}

} // namespace tracelet::runtime
