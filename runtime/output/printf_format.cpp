#include "runtime/output/printf_format.h"

#include "runtime/output/value_format.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace tracelet::runtime {

namespace {

struct Spec {
  std::string flags, width, precision, length;
  char conversion = 0;
  char buffer_form = 0; // %r: 0; %rx: 'x'; %rh: 'h'
};

// Parses the conversion that starts after the '%' at format[i]; returns the index just past
// it, or npos if the text is not a conversion we know (it is then printed as written).
size_t parse_spec(const std::string& format, size_t i, Spec& spec) {
  auto take = [&](const char* set, std::string& into) {
    while (i < format.size() && std::strchr(set, format[i]) && format[i] != '\0')
      into += format[i++];
  };
  take("-0+ #", spec.flags);
  take("0123456789", spec.width);
  if (i < format.size() && format[i] == '.') {
    spec.precision.push_back('.');
    ++i;
    take("0123456789", spec.precision);
  }
  if (format.compare(i, 2, "hh") == 0 || format.compare(i, 2, "ll") == 0) {
    spec.length = format.substr(i, 2);
    i += 2;
  } else if (i < format.size() && std::strchr("hlzjt", format[i]) && format[i] != '\0') {
    spec.length = format.substr(i, 1);
    ++i;
  }
  if (i < format.size() && format[i] == 'r' && spec.flags.empty() && spec.width.empty() &&
      spec.precision.empty() && spec.length.empty()) {
    spec.conversion = 'r'; // a buf() value, hex-escaped
    if (i + 1 < format.size() && (format[i + 1] == 'x' || format[i + 1] == 'h')) {
      spec.buffer_form = format[i + 1]; // %rx: every byte as \xNN; %rh: "0a fe"
      return i + 2;
    }
    return i + 1;
  }
  if (i < format.size() && format[i] == 'q' && spec.flags.empty() && spec.width.empty() &&
      spec.precision.empty() && spec.length.empty()) {
    spec.conversion = 'q'; // one single-quoted shell word
    return i + 1;
  }
  if (i < format.size() && std::strchr("diuxXocsp", format[i]) && format[i] != '\0') {
    spec.conversion = format[i];
    return i + 1;
  }
  return std::string::npos;
}

template <typename T> std::string c_format(const std::string& fmt, T value) {
  int n = std::snprintf(nullptr, 0, fmt.c_str(), value);
  if (n <= 0) return "";
  std::string out(static_cast<size_t>(n) + 1, '\0');
  std::snprintf(out.data(), out.size(), fmt.c_str(), value);
  out.resize(static_cast<size_t>(n));
  return out;
}

// One argument under one conversion, through the C library so that every flag behaves as in C.
std::string format_argument(const Spec& spec, const ast::Type& type, const uint8_t* data,
                            const std::vector<std::string>& probe_names) {
  std::string base = "%" + spec.flags + spec.width + spec.precision;
  if (spec.conversion == 'r' && spec.buffer_form && type.kind == ast::TypeKind::Buffer)
    return buffer_hex(data + 1, std::min<uint64_t>(data[0], type.bytes - 1), spec.buffer_form);
  if (spec.conversion == 'r') return format_value(type, data, probe_names);
  if (spec.conversion == 'q') {
    std::string text;
    if (type.is_string())
      text = read_string(data, type.bytes);
    else if (type.kind == ast::TypeKind::Probe)
      text = probe_name(read_unsigned(data, 8), probe_names);
    else
      text = format_value(type, data, probe_names);
    return shell_quote(text);
  }
  if (spec.conversion == 's' || type.is_string()) {
    std::string text;
    if (type.is_string())
      text = read_string(data, type.bytes);
    else if (type.kind == ast::TypeKind::Probe)
      text = probe_name(read_unsigned(data, 8), probe_names);
    else
      text = format_value(type, data, probe_names);
    return c_format(base + "s", text.c_str());
  }
  // Integers (and probe indexes): widen by the argument's own signedness, then convert to the
  // C type the length modifier names.
  uint64_t raw = type.is_integer() && type.is_signed
                     ? static_cast<uint64_t>(read_signed(data, type.size()))
                     : read_unsigned(data, type.size() ? type.size() : 8);
  switch (spec.conversion) {
  case 'p':
    return c_format(base + "p", reinterpret_cast<void*>(raw));
  case 'c': {
    // bpftrace 0.17 keeps a conversion's text as a C string: a NUL character ends it
    // (printf("[%c]", 0) prints "[]", "%-3c" of 0 prints nothing).
    std::string text = c_format(base + "c", static_cast<int>(static_cast<unsigned char>(raw)));
    return text.substr(0, text.find('\0'));
  }
  default:
    break;
  }
  char conv = spec.conversion == 'i' ? 'd' : spec.conversion;
  bool is_signed_conv = conv == 'd';
  const std::string& len = spec.length;
  if (len == "l" || len == "ll" || len == "z" || len == "j" || len == "t") {
    std::string fmt = base + "ll" + conv;
    return is_signed_conv ? c_format(fmt, static_cast<long long>(raw))
                          : c_format(fmt, static_cast<unsigned long long>(raw));
  }
  std::string fmt = base + len + conv; // "", "h" or "hh": C narrows an int argument itself
  return is_signed_conv ? c_format(fmt, static_cast<int>(raw))
                        : c_format(fmt, static_cast<unsigned int>(raw));
}

} // namespace

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text)
    if (c == '\'')
      out += "'\\''"; // close the quote, an escaped quote, open again
    else
      out += c;
  return out + "'";
}

std::string format_printf(const std::string& format, const ast::Type& args, const uint8_t* payload,
                          size_t payload_size, const std::vector<std::string>& probe_names) {
  // A payload shorter than its layout (never expected) reads as zeros rather than past the end.
  std::vector<uint8_t> padded;
  uint64_t layout_size = args.size();
  if (payload_size < layout_size) {
    padded.assign(layout_size, 0);
    if (payload_size) std::memcpy(padded.data(), payload, payload_size);
    payload = padded.data();
  }
  auto offsets = args.offsets();
  std::string out;
  size_t next_arg = 0;
  size_t segment_start = 0; // where the text after the last conversion starts
  std::string pending;      // literal text since the last conversion, "%%" collapsed
  for (size_t i = 0; i < format.size();) {
    if (format[i] != '%') {
      pending += format[i++];
      continue;
    }
    if (i + 1 < format.size() && format[i + 1] == '%') {
      pending += '%';
      i += 2;
      continue;
    }
    Spec spec;
    size_t end = parse_spec(format, i + 1, spec);
    if (end == std::string::npos || next_arg >= args.elems.size()) {
      pending += format[i++]; // not a conversion (or no argument left): printed as written
      continue;
    }
    out += pending;
    pending.clear();
    out += format_argument(spec, args.elems[next_arg], payload + offsets[next_arg], probe_names);
    ++next_arg;
    i = end;
    segment_start = i;
  }
  // bpftrace 0.17 prints the text after the last conversion as written, without giving it to
  // the C library: a "%%" there stays "%%" (so printf("100%%\n") prints "100%%").
  out += format.substr(segment_start);
  return out;
}

} // namespace tracelet::runtime
