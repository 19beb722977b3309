// strerror(errno) and debugf(fmt, ...): an error number printed as its text, and a line in the
// kernel's trace buffer (bpf_trace_printk) for debugging a script.
#include "ast/passes/type_inference.h"

#include <cctype>
#include <cstring>

namespace tracelet::ast::passes {

namespace {

// bpf_trace_printk takes three values after the format.
constexpr size_t kDebugfMaxArgs = 3;

struct DebugfConversion {
  std::string text; // "%-5lld"
  char spec;        // d i u x X s p c
};

// The conversions of a debugf() format as the kernel's bpf_trace_printk parses them: flags
// "0+- ", a width, l or ll, then one of d i u x X s p c ("%%" is a percent sign). Precision
// and the other length modifiers make the kernel refuse the whole line, so they are errors.
std::optional<std::vector<DebugfConversion>> parse_debugf_format(const std::string& format,
                                                                 std::string& error) {
  std::vector<DebugfConversion> out;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    size_t start = i++;
    if (i < format.size() && format[i] == '%') continue;
    while (i < format.size() && std::strchr("0+- ", format[i]))
      ++i;
    while (i < format.size() && std::isdigit(static_cast<unsigned char>(format[i])))
      ++i;
    if (format.compare(i, 2, "ll") == 0)
      i += 2;
    else if (i < format.size() && format[i] == 'l')
      ++i;
    if (i >= format.size() || !std::strchr("diuxXspc", format[i])) {
      std::string text = format.substr(start, std::min(i + 1, format.size()) - start);
      if (!text.empty() && text.back() == '\n') text = text.substr(0, text.size() - 1) + "\\n";
      error = "debugf: conversion '" + text +
              "' is not one bpf_trace_printk knows (flags 0+- and a width, l or ll, then "
              "d i u x X s p or c)";
      return std::nullopt;
    }
    out.push_back({format.substr(start, i - start + 1), format[i]});
  }
  return out;
}

} // namespace

void TypeInference::type_strerror(Call& n) {
  walk(n.args[0]);
  const Expr& e = *n.args[0];
  if (e.type.is_none()) return report_missing_value(e, diags_);
  if (!e.type.is_integer()) {
    diags_.error(e.loc, "strerror() needs an integer error number, not " + e.type.str());
    return;
  }
  n.type = Type::strerror();
}

void TypeInference::type_debugf(Call& n) {
  for (auto& a : n.args)
    walk(a);
  auto* fmt = dynamic_cast<String*>(n.args[0].get());
  if (!fmt) {
    diags_.error(n.args[0]->loc, "debugf() needs a string literal as its format");
    return;
  }
  std::string error;
  auto conversions = parse_debugf_format(fmt->value, error);
  if (!conversions) {
    diags_.error(fmt->loc, error);
    return;
  }
  if (conversions->size() > kDebugfMaxArgs) {
    diags_.error(fmt->loc, "debugf: at most 3 conversions (bpf_trace_printk prints 3 values), "
                           "not " +
                               std::to_string(conversions->size()));
    return;
  }
  size_t supplied = n.args.size() - 1;
  if (supplied != conversions->size()) {
    diags_.error(n.loc, std::string("debugf: ") +
                            (supplied < conversions->size() ? "not enough" : "too many") +
                            " arguments for the format (" + std::to_string(supplied) +
                            " supplied, " + std::to_string(conversions->size()) + " expected)");
    return;
  }
  bool ok = true;
  for (size_t i = 0; i < supplied; ++i) {
    const Expr& arg = *n.args[i + 1];
    const DebugfConversion& c = (*conversions)[i];
    if (arg.type.is_none()) {
      report_missing_value(arg, diags_);
      ok = false;
      continue;
    }
    bool wants_string = c.spec == 's';
    if (wants_string ? !arg.type.is_string() : !is_integer_like(arg.type)) {
      diags_.error(arg.loc, "debugf: " + c.text + " expects a value of type " +
                                (wants_string ? "string" : "integer") + " (" + arg.type.str() +
                                " supplied)");
      ok = false;
    }
  }
  if (ok)
    diags_.warning(n.loc, "debugf() writes to the kernel's trace buffer "
                          "(/sys/kernel/tracing/trace_pipe), not to tracelet's output; it is "
                          "for debugging, not for production use (see bpf_trace_printk in "
                          "bpf-helpers(7))");
}

} // namespace tracelet::ast::passes
