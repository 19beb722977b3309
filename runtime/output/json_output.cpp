#include "runtime/output/json_output.h"

#include "runtime/output/json_map_printer.h"
#include "runtime/output/record_format.h"
#include "runtime/output/value_format.h"

#include <cstdio>

namespace tracelet::runtime {

std::string json_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (static_cast<unsigned char>(c) <= 0x1f) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
        out += buf;
      } else {
        out += c;
      }
    }
  }
  return out;
}

std::string json_text_line(const char* type, const std::string& text) {
  return std::string("{\"type\": \"") + type + "\", \"data\": \"" + json_escape(text) + "\"}\n";
}

std::string json_counter_line(const char* type, const char* field, uint64_t value) {
  return std::string("{\"type\": \"") + type + "\", \"data\": {\"" + field +
         "\": " + std::to_string(value) + "}}\n";
}

std::string json_value(const ast::Type& type, const uint8_t* data,
                       const std::vector<std::string>& probe_names) {
  switch (type.kind) {
  case ast::TypeKind::String:
  case ast::TypeKind::Probe:
  case ast::TypeKind::Inet:    // ntop()
  case ast::TypeKind::Buffer:  // buf(), hex-escaped as in text
  case ast::TypeKind::MacAddr: // macaddr()
  case ast::TypeKind::Username:
  case ast::TypeKind::Strerror:
  case ast::TypeKind::CgroupPath:
  case ast::TypeKind::KSym: // ksym(), usym(): "vfs_read"
  case ast::TypeKind::USym:
  case ast::TypeKind::KStack: // "\n        frame\n...", as in text with its newlines escaped
  case ast::TypeKind::UStack:
    // (a strftime() Timestamp is not quoted: bpftrace 0.17 prints it bare)
    return "\"" + json_escape(format_value(type, data, probe_names)) + "\"";
  case ast::TypeKind::Tuple: {
    // bpftrace joins tuple elements with "," and no space in JSON.
    std::string out = "[";
    auto offsets = type.offsets();
    for (size_t i = 0; i < type.elems.size(); ++i) {
      if (i) out += ",";
      out += json_value(type.elems[i], data + offsets[i], probe_names);
    }
    return out + "]";
  }
  case ast::TypeKind::Record:
  case ast::TypeKind::Array:
    return json_record_or_array(type, data, probe_names);
  default:
    return format_value(type, data, probe_names);
  }
}

std::string json_key(const ast::Type& key, const uint8_t* data,
                     const std::vector<std::string>& probe_names) {
  std::string joined;
  if (key.kind == ast::TypeKind::Tuple) {
    auto offsets = key.offsets();
    for (size_t i = 0; i < key.elems.size(); ++i) {
      if (i) joined += ",";
      joined += format_key_element(key.elems[i], data + offsets[i], probe_names);
    }
  } else if (!key.is_none()) {
    joined = format_key_element(key, data, probe_names);
  }
  return "\"" + json_escape(joined) + "\"";
}

namespace {

std::string bucket(const std::string& bounds, uint64_t count) {
  return "{" + bounds + "\"count\": " + std::to_string(count) + "}";
}

std::string bounds(int64_t min, int64_t max) {
  return "\"min\": " + std::to_string(min) + ", \"max\": " + std::to_string(max) + ", ";
}

} // namespace

std::string hist_json(const std::vector<uint64_t>& counts, uint64_t div) {
  int first = -1, last = -1;
  for (size_t i = 0; i < counts.size(); ++i)
    if (counts[i] > 0) {
      if (first < 0) first = static_cast<int>(i);
      last = static_cast<int>(i);
    }
  if (first < 0) return "[]";
  std::string out = "[";
  for (int i = first; i <= last; ++i) {
    if (i > first) out += ", ";
    uint64_t count = counts[static_cast<size_t>(i)] / (div ? div : 1);
    if (i == 0)
      out += bucket("\"max\": -1, ", count);
    else if (i == 1)
      out += bucket(bounds(0, 0), count);
    else if (i == 2)
      out += bucket(bounds(1, 1), count);
    else
      out += bucket(bounds(int64_t{1} << (i - 2), (int64_t{1} << (i - 1)) - 1), count);
  }
  return out + "]";
}

std::string lhist_json(const std::vector<uint64_t>& counts, int64_t min, int64_t max,
                       int64_t step) {
  int first = -1, last = -1;
  for (size_t i = 0; i < counts.size(); ++i)
    if (counts[i] > 0) {
      if (first < 0) first = static_cast<int>(i);
      last = static_cast<int>(i);
    }
  if (first < 0) return "[]";
  int64_t inner = (max - min) / (step > 0 ? step : 1);
  std::string out = "[";
  for (int i = first; i <= last; ++i) {
    if (i > first) out += ", ";
    uint64_t count = counts[static_cast<size_t>(i)];
    if (i == 0)
      out += bucket("\"max\": " + std::to_string(min - 1) + ", ", count);
    else if (i == inner + 1)
      out += bucket("\"min\": " + std::to_string(max) + ", ", count);
    else
      out += bucket(bounds((i - 1) * step + min, i * step + min - 1), count);
  }
  return out + "]";
}

std::string json_map_line(const char* type, const std::string& map_name, bool keyed,
                          const std::vector<std::string>& entries) {
  if (entries.empty()) return "";
  std::string body;
  for (const auto& e : entries) {
    if (!body.empty()) body += ", ";
    body += e;
  }
  if (keyed) body = "{" + body + "}";
  return std::string("{\"type\": \"") + type + "\", \"data\": {\"" + json_escape(map_name) +
         "\": " + body + "}}\n";
}

void JsonOutput::attaching(size_t probes) {
  write(json_counter_line("attached_probes", "probes", probes));
}

void JsonOutput::printf_text(const std::string& text) {
  write(json_text_line("printf", text));
}

void JsonOutput::value(const ast::Type& type, const uint8_t* data,
                       const std::vector<std::string>& probe_names) {
  write("{\"type\": \"value\", \"data\": " + json_value(type, data, probe_names) + "}\n");
}

void JsonOutput::map(const codegen::MapDesc& map, const std::vector<MapEntry>& entries,
                     const std::vector<std::string>& probe_names, uint64_t top, uint64_t div,
                     bool zeroed) {
  write(format_map_json(map, entries, probe_names, top, div, zeroed));
}

void JsonOutput::time(const std::string& text) {
  write(json_text_line("time", text));
}

// No "\n" after the joined text, unlike the text output.
void JsonOutput::join(const std::string& joined) {
  write(json_text_line("join", joined));
}

void JsonOutput::cat(const std::string& contents) {
  write(json_text_line("cat", contents));
}

// bpftrace 0.17 names system()'s lines "syscall".
void JsonOutput::system(const std::string& command_output) {
  write(json_text_line("syscall", command_output));
}

// {"type": "helper_error", "helper": ..., "retcode": ..., "line": ..., "col": ...}; no source.
void JsonOutput::helper_error(const codegen::HelperErrorDesc& desc, int64_t retcode,
                              const Diagnostics*) {
  write("{\"type\": \"helper_error\", \"helper\": \"" + desc.helper + "\", \"retcode\": " +
        std::to_string(retcode) + ", \"line\": " + std::to_string(desc.loc.line) +
        ", \"col\": " + std::to_string(desc.loc.col) + "}\n");
}

void JsonOutput::lost_events(uint64_t count) {
  write(json_counter_line("lost_events", "events", count));
}

} // namespace tracelet::runtime
