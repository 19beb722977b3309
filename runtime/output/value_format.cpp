#include "runtime/output/value_format.h"

#include "runtime/output/cgroup_paths.h"
#include "runtime/output/record_format.h"
#include "runtime/output/user_values.h"
#include "runtime/symbols/symbols.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cstdio>
#include <cstring>

namespace tracelet::runtime {

int64_t read_signed(const uint8_t* data, uint64_t bytes) {
  switch (bytes) {
  case 1:
    return static_cast<int8_t>(data[0]);
  case 2: {
    int16_t v;
    std::memcpy(&v, data, 2);
    return v;
  }
  case 4: {
    int32_t v;
    std::memcpy(&v, data, 4);
    return v;
  }
  default: {
    int64_t v;
    std::memcpy(&v, data, 8);
    return v;
  }
  }
}

uint64_t read_unsigned(const uint8_t* data, uint64_t bytes) {
  switch (bytes) {
  case 1:
    return data[0];
  case 2: {
    uint16_t v;
    std::memcpy(&v, data, 2);
    return v;
  }
  case 4: {
    uint32_t v;
    std::memcpy(&v, data, 4);
    return v;
  }
  default: {
    uint64_t v;
    std::memcpy(&v, data, 8);
    return v;
  }
  }
}

std::string read_string(const uint8_t* data, uint64_t size) {
  const void* nul = std::memchr(data, 0, size);
  size_t len = nul ? static_cast<size_t>(static_cast<const uint8_t*>(nul) - data) : size;
  return std::string(reinterpret_cast<const char*>(data), len);
}

std::string hex_escaped(const uint8_t* data, uint64_t size) {
  std::string out;
  char esc[5];
  for (uint64_t i = 0; i < size; ++i) {
    if (data[i] >= 32 && data[i] <= 126) {
      out += static_cast<char>(data[i]);
    } else {
      std::snprintf(esc, sizeof esc, "\\x%02x", data[i]);
      out += esc;
    }
  }
  return out;
}

std::string buffer_hex(const uint8_t* data, uint64_t size, char form) {
  std::string out;
  char hex[5];
  for (uint64_t i = 0; i < size; ++i) {
    std::snprintf(hex, sizeof hex, form == 'x' ? "\\x%02x" : "%02x", data[i]);
    if (form != 'x' && i) out += ' ';
    out += hex;
  }
  return out;
}

namespace {

// ntop(): { i64 af; u8 addr[16] }; an unknown family prints as "" (as bpftrace).
std::string format_inet(const uint8_t* data) {
  int64_t family = read_signed(data, 8);
  char text[INET6_ADDRSTRLEN] = "";
  if (family == AF_INET || family == AF_INET6)
    inet_ntop(static_cast<int>(family), data + 8, text, sizeof text);
  return text;
}

std::string format_macaddr(const uint8_t* data) {
  char text[18];
  std::snprintf(text, sizeof text, "%02X:%02X:%02X:%02X:%02X:%02X", data[0], data[1], data[2],
                data[3], data[4], data[5]);
  return text;
}

} // namespace

std::string probe_name(uint64_t index, const std::vector<std::string>& probe_names) {
  if (index < probe_names.size()) return probe_names[index];
  return "probe#" + std::to_string(index);
}

std::string format_value(const ast::Type& type, const uint8_t* data,
                         const std::vector<std::string>& probe_names) {
  using ast::TypeKind;
  switch (type.kind) {
  case TypeKind::Integer:
    return type.is_signed ? std::to_string(read_signed(data, type.bytes))
                          : std::to_string(read_unsigned(data, type.bytes));
  case TypeKind::String:
    return read_string(data, type.bytes);
  case TypeKind::Probe:
    return probe_name(read_unsigned(data, 8), probe_names);
  case TypeKind::Tuple: {
    std::string out = "(";
    auto offsets = type.offsets();
    for (size_t i = 0; i < type.elems.size(); ++i) {
      if (i) out += ", ";
      out += format_value(type.elems[i], data + offsets[i], probe_names);
    }
    return out + ")";
  }
  case TypeKind::Pointer: // as bpftrace 0.17 prints a pointer-valued map: @t: -131387287321856
    return std::to_string(read_signed(data, 8));
  case TypeKind::Inet:
    return format_inet(data);
  case TypeKind::MacAddr:
    return format_macaddr(data);
  case TypeKind::Buffer: // { u8 length; u8 data[bytes - 1] }
    return hex_escaped(data + 1, std::min<uint64_t>(data[0], type.bytes - 1));
  case TypeKind::Array:  // bpftrace: "[1,2,3,4]"
  case TypeKind::Record: // "{ .a = 1, .b = x }"
    return format_record_or_array(type, data, probe_names, /*in_key=*/false);
  case TypeKind::KStack:
  case TypeKind::UStack:
  case TypeKind::KSym:
  case TypeKind::USym:
    return format_symbolized(type, data, /*indent=*/8);
  case TypeKind::Timestamp:
    return format_timestamp_value(data);
  case TypeKind::CgroupPath:
    return format_cgroup_path_value(data);
  case TypeKind::Username:
    return username_of(read_unsigned(data, 8));
  case TypeKind::Strerror:
    return errno_text(read_unsigned(data, 8));
  default:
    return std::to_string(read_signed(data, 8));
  }
}

// bpftrace 0.17 prints 64-bit integer keys as signed whatever their type: @m[(uint64)-1] shows
// as @m[-1] (narrower keys are widened first, so (uint32)4294967295 stays 4294967295).
std::string format_key_element(const ast::Type& type, const uint8_t* data,
                               const std::vector<std::string>& probe_names) {
  if (type.is_integer() && type.bytes == 8) return std::to_string(read_signed(data, 8));
  if (type.kind == ast::TypeKind::Pointer) return format_pointer_key(data); // @m[0x20]
  if (type.kind == ast::TypeKind::Record || type.kind == ast::TypeKind::Array)
    return format_record_or_array(type, data, probe_names, /*in_key=*/true); // "{.a=1}"
  if (type.kind == ast::TypeKind::KStack || type.kind == ast::TypeKind::UStack)
    return format_symbolized(type, data, /*indent=*/4); // bpftrace indents key frames by 4
  return format_value(type, data, probe_names);
}

std::string format_pointer_key(const uint8_t* data) {
  char hex[24];
  std::snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(read_unsigned(data, 8)));
  return hex;
}

std::string format_key(const ast::Type& key, const uint8_t* data,
                       const std::vector<std::string>& probe_names) {
  if (key.is_none()) return "";
  if (key.kind != ast::TypeKind::Tuple)
    return "[" + format_key_element(key, data, probe_names) + "]";
  std::string out = "[";
  auto offsets = key.offsets();
  for (size_t i = 0; i < key.elems.size(); ++i) {
    if (i) out += ", ";
    out += format_key_element(key.elems[i], data + offsets[i], probe_names);
  }
  return out + "]";
}

} // namespace tracelet::runtime
