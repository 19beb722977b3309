// printf(): the format string is a literal whose conversions are checked against the
// arguments, one by one, like bpftrace.
#include "ast/passes/type_inference.h"

#include <cctype>
#include <cstring>

namespace tracelet::ast::passes {

namespace {

// The text of a conversion as the user wrote it, for messages ("%\\n", not a line break).
std::string escaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else
      out += c;
  }
  return out;
}

struct Conversion {
  std::string text; // e.g. "%-08lld"
  char spec;        // d i u x X o s c p r q
};

// The conversions of `format`, or an error message.
// `func`: printf, or cat/system, which take a printf format too (their names start messages).
std::optional<std::vector<Conversion>> parse_format(const std::string& func,
                                                    const std::string& format, std::string& error) {
  std::vector<Conversion> out;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    size_t start = i++;
    if (i < format.size() && format[i] == '%') continue;
    while (i < format.size() && std::strchr("-+ 0#", format[i]))
      ++i;
    while (i < format.size() && std::isdigit(static_cast<unsigned char>(format[i])))
      ++i;
    if (i < format.size() && format[i] == '.') {
      ++i;
      while (i < format.size() && std::isdigit(static_cast<unsigned char>(format[i])))
        ++i;
    }
    for (const char* length : {"hh", "ll", "h", "l", "z", "j", "t"})
      if (format.compare(i, std::strlen(length), length) == 0) {
        i += std::strlen(length);
        break;
      }
    if (i >= format.size()) {
      error = func + ": incomplete conversion specifier '" + escaped(format.substr(start)) +
              "' at the end of the format";
      return std::nullopt;
    }
    // %r (a buf() value, hex-escaped) takes no flags, width or precision, as in bpftrace.
    // %rx: every byte as \xNN; %rh: hex bytes separated by spaces.
    if (format[i] == 'r' && i == start + 1) {
      bool form = i + 1 < format.size() && (format[i + 1] == 'x' || format[i + 1] == 'h');
      out.push_back({form ? format.substr(start, 3) : "%r", 'r'});
      if (form) ++i;
      continue;
    }
    // %q (tracelet): the value as one POSIX shell word, single-quoted, for system() (and
    // printf, to show what system() would run). cat() opens a path: quoting makes no sense there.
    if (format[i] == 'q') {
      if (i != start + 1) {
        error = func + ": %q takes no flags, width, precision or length ('" +
                escaped(format.substr(start, i - start + 1)) + "')";
        return std::nullopt;
      }
      if (func == "cat") {
        error = "cat: %q quotes a shell word: it is for system() and printf()";
        return std::nullopt;
      }
      out.push_back({"%q", 'q'});
      continue;
    }
    if (!std::strchr("diuxXoscp", format[i])) {
      error = func + ": invalid conversion specifier '" +
              escaped(format.substr(start, i - start + 1)) + "'";
      return std::nullopt;
    }
    out.push_back({format.substr(start, i - start + 1), format[i]});
  }
  return out;
}

// Why `t` cannot be printed with `c`, or "" if it can.
std::string conversion_mismatch(const std::string& func, const Conversion& c, const Type& t) {
  bool ok;
  const char* expected;
  switch (c.spec) {
  case 's':
  case 'q':
    ok = t.is_string() || t.kind == TypeKind::Probe || t.kind == TypeKind::KStack ||
         t.kind == TypeKind::UStack || t.kind == TypeKind::KSym || t.kind == TypeKind::USym ||
         t.kind == TypeKind::Timestamp || t.kind == TypeKind::Username ||
         t.kind == TypeKind::Strerror || t.kind == TypeKind::CgroupPath ||
         t.kind == TypeKind::Inet || t.kind == TypeKind::MacAddr;
    expected = "string";
    break;
  case 'r':
    ok = t.kind == TypeKind::Buffer;
    expected = "buffer";
    break;
  case 'p':
    ok = is_integer_like(t);
    expected = "integer or pointer";
    break;
  default: // %d of a pointer prints its address, as in bpftrace (printf("%d", curtask))
    ok = is_integer_like(t);
    expected = "integer";
    break;
  }
  if (ok) return {};
  return func + ": " + c.text + " expects a value of type " + expected + " (" + t.str() +
         " supplied)";
}

} // namespace

void TypeInference::type_printf(Call& n) {
  for (auto& a : n.args)
    walk(a);
  auto* fmt = dynamic_cast<String*>(n.args[0].get());
  if (!fmt) {
    const Type& t = n.args[0]->type;
    diags_.error(n.args[0]->loc, n.func + "() needs a string literal as its format" +
                                     (t.is_none() ? std::string() : " (" + t.str() + " given)"));
    return;
  }
  std::string error;
  auto conversions = parse_format(n.func, fmt->value, error);
  if (!conversions) {
    diags_.error(fmt->loc, error);
    return;
  }
  size_t supplied = n.args.size() - 1;
  if (supplied != conversions->size()) {
    diags_.error(n.loc, n.func + ": " +
                            (supplied < conversions->size() ? "not enough" : "too many") +
                            " arguments for the format (" + std::to_string(supplied) +
                            " supplied, " + std::to_string(conversions->size()) + " expected)");
    return;
  }
  for (size_t i = 0; i < supplied; ++i) {
    const Expr& arg = *n.args[i + 1];
    if (arg.type.is_none()) {
      report_missing_value(arg, diags_);
      continue;
    }
    std::string why = conversion_mismatch(n.func, (*conversions)[i], arg.type);
    if (!why.empty()) diags_.error(arg.loc, why);
  }
}

} // namespace tracelet::ast::passes
