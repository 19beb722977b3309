#include "ast/diagnostics.h"

#include <sstream>

namespace tracelet {

const std::string& Location::filename() const {
  static const std::string unknown = "<unknown>";
  return file ? *file : unknown;
}

Location Location::span(const Location& a, const Location& b) {
  Location r = a;
  r.end_line = b.end_line;
  r.end_col = b.end_col;
  return r;
}

void Diagnostics::add_source(const std::string& filename, std::string text) {
  sources_[filename] = std::move(text);
}

void Diagnostics::add_include_origin(const std::string& header, const Location& from) {
  origins_.emplace(header, from);
}

void Diagnostics::error(const Location& loc, std::string message) {
  diags_.push_back({Severity::Error, loc, std::move(message)});
  ++error_count_;
}

void Diagnostics::warning(const Location& loc, std::string message) {
  diags_.push_back({Severity::Warning, loc, std::move(message)});
}

void Diagnostics::clear() {
  diags_.clear();
  error_count_ = 0;
}

static std::string line_of(const std::string& text, int line) {
  int current = 1;
  size_t start = 0;
  while (current < line) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) return {};
    start = nl + 1;
    ++current;
  }
  size_t end = text.find('\n', start);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string Diagnostics::format(const Diagnostic& d) const {
  std::ostringstream out;
  const Location& loc = d.loc;
  std::vector<const Location*> chain; // innermost first
  for (auto it = origins_.find(loc.filename());
       it != origins_.end() && chain.size() < origins_.size();
       it = origins_.find(it->second.filename()))
    chain.push_back(&it->second);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it)
    out << "In file included from " << (*it)->filename() << ":" << (*it)->line << ":\n";
  out << loc.filename() << ":" << loc.line << ":" << loc.col << ": "
      << (d.severity == Severity::Error ? "error" : "warning") << ": " << d.message << "\n";
  auto src = sources_.find(loc.filename());
  if (src == sources_.end()) return out.str();
  std::string text = line_of(src->second, loc.line);
  out << text << "\n";
  // Tabs in the quoted line are kept in the marker line so the caret lines up.
  std::string marker;
  for (int i = 1; i < loc.col && i - 1 < static_cast<int>(text.size()); ++i)
    marker += text[i - 1] == '\t' ? '\t' : ' ';
  marker += '^';
  int last = loc.end_line == loc.line ? loc.end_col : static_cast<int>(text.size()) + 1;
  for (int c = loc.col + 1; c < last; ++c)
    marker += '~';
  out << marker << "\n";
  return out.str();
}

void Diagnostics::print(std::ostream& out, bool with_warnings) const {
  for (const auto& d : diags_) {
    if (d.severity == Severity::Warning && !with_warnings) continue;
    out << format(d);
  }
}

} // namespace tracelet
