// The two output formats of -f: bpftrace's text, or one JSON object per line (bpftrace 0.17's
// JsonOutput, byte for byte).
#pragma once

namespace tracelet::runtime {

enum class OutputFormat { Text, Json };

} // namespace tracelet::runtime
