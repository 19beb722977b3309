#include "runtime/output/output.h"

#include "runtime/output/json_output.h"
#include "runtime/output/text_output.h"

namespace tracelet::runtime {

std::unique_ptr<Output> make_output(OutputFormat format, FILE* out) {
  switch (format) {
  case OutputFormat::Json:
    return std::make_unique<JsonOutput>(out);
  case OutputFormat::Text:
    break;
  }
  return std::make_unique<TextOutput>(out);
}

} // namespace tracelet::runtime
