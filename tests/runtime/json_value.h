// A minimal JSON reader for checking `-f json` output: objects keep their keys in order,
// numbers are int64 (tracelet and bpftrace print integers only). parse_json() throws
// std::runtime_error on anything malformed, so a test fed bad JSON fails loudly.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace tracelet::test {

struct Json {
  enum class Kind { Null, Bool, Number, String, Array, Object } kind = Kind::Null;
  bool boolean = false;
  int64_t number = 0;
  std::string text;
  std::vector<Json> items;                          // Array
  std::vector<std::pair<std::string, Json>> fields; // Object, in order

  const Json& operator[](const std::string& key) const {
    for (const auto& [k, v] : fields)
      if (k == key) return v;
    throw std::runtime_error("no key '" + key + "'");
  }
  const Json& operator[](size_t i) const {
    if (i >= items.size()) throw std::runtime_error("index out of range");
    return items[i];
  }
  bool has(const std::string& key) const {
    for (const auto& f : fields)
      if (f.first == key) return true;
    return false;
  }
};

class JsonParser {
public:
  explicit JsonParser(const std::string& s) : s_(s) {}

  Json parse_document() {
    Json v = value();
    space();
    if (i_ != s_.size()) fail("trailing characters");
    return v;
  }

private:
  [[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error("JSON: " + what + " at " + std::to_string(i_) + " in: " + s_);
  }
  void space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\t' || s_[i_] == '\r'))
      ++i_;
  }
  void expect(char c) {
    space();
    if (i_ >= s_.size() || s_[i_] != c) fail(std::string("expected '") + c + "'");
    ++i_;
  }
  bool take(const char* word) {
    size_t n = std::char_traits<char>::length(word);
    if (s_.compare(i_, n, word) != 0) return false;
    i_ += n;
    return true;
  }
  std::string string() {
    expect('"');
    std::string out;
    while (true) {
      if (i_ >= s_.size()) fail("unterminated string");
      char c = s_[i_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("raw control character in string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) fail("bad escape");
      char e = s_[i_++];
      switch (e) {
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case '/':
        out += '/';
        break;
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u': {
        if (i_ + 4 > s_.size()) fail("bad \\u escape");
        unsigned code = std::stoul(s_.substr(i_, 4), nullptr, 16);
        i_ += 4;
        if (code > 0x7f) fail("non-ASCII \\u escape unsupported here");
        out += static_cast<char>(code);
        break;
      }
      default:
        fail("bad escape");
      }
    }
  }
  Json value() {
    space();
    if (i_ >= s_.size()) fail("unexpected end");
    Json v;
    char c = s_[i_];
    if (c == '{') {
      v.kind = Json::Kind::Object;
      ++i_;
      space();
      if (i_ < s_.size() && s_[i_] == '}') return ++i_, v;
      while (true) {
        std::string key = string();
        expect(':');
        v.fields.emplace_back(key, value());
        space();
        if (i_ < s_.size() && s_[i_] == ',') {
          ++i_;
          continue;
        }
        expect('}');
        return v;
      }
    }
    if (c == '[') {
      v.kind = Json::Kind::Array;
      ++i_;
      space();
      if (i_ < s_.size() && s_[i_] == ']') return ++i_, v;
      while (true) {
        v.items.push_back(value());
        space();
        if (i_ < s_.size() && s_[i_] == ',') {
          ++i_;
          continue;
        }
        expect(']');
        return v;
      }
    }
    if (c == '"') {
      v.kind = Json::Kind::String;
      v.text = string();
      return v;
    }
    if (take("true")) return v.kind = Json::Kind::Bool, v.boolean = true, v;
    if (take("false")) return v.kind = Json::Kind::Bool, v;
    if (take("null")) return v;
    size_t start = i_;
    if (s_[i_] == '-') ++i_;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9')
      ++i_;
    if (i_ == start || (i_ == start + 1 && s_[start] == '-')) fail("expected a value");
    if (i_ < s_.size() && (s_[i_] == '.' || s_[i_] == 'e' || s_[i_] == 'E'))
      fail("non-integer number");
    v.kind = Json::Kind::Number;
    v.number = std::stoll(s_.substr(start, i_ - start));
    return v;
  }

  const std::string& s_;
  size_t i_ = 0;
};

inline Json parse_json(const std::string& text) {
  return JsonParser(text).parse_document();
}

// Every non-empty line of -f json output parsed as one document (bpftrace prints two empty
// lines before the maps at exit, in JSON mode too).
inline std::vector<Json> json_lines(const std::string& out) {
  std::vector<Json> docs;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) docs.push_back(parse_json(line));
  return docs;
}

} // namespace tracelet::test
