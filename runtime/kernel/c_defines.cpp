#include "runtime/kernel/c_defines.h"

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace tracelet::runtime {

namespace {

constexpr int kMaxIncludeDepth = 8;
constexpr int kMaxAliasDepth = 16;

// A tiny expression evaluator over one #define body.
class DefineParser {
public:
  DefineParser(const std::string& text, const std::map<std::string, std::string>& bodies, int depth)
      : s_(text), bodies_(bodies), depth_(depth) {}

  std::optional<int64_t> parse() {
    auto v = binary(0);
    skip_space();
    if (!v || pos_ != s_.size()) return std::nullopt;
    return v;
  }

private:
  void skip_space() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_])))
      ++pos_;
  }

  static int precedence(const std::string& op) {
    if (op == "|") return 1;
    if (op == "^") return 2;
    if (op == "&") return 3;
    if (op == "<<" || op == ">>") return 4;
    if (op == "+" || op == "-") return 5;
    if (op == "*") return 6;
    return -1;
  }

  std::string peek_operator() {
    skip_space();
    if (pos_ >= s_.size()) return "";
    if (s_.compare(pos_, 2, "<<") == 0 || s_.compare(pos_, 2, ">>") == 0) return s_.substr(pos_, 2);
    char c = s_[pos_];
    if (std::string("|^&+-*").find(c) != std::string::npos) return std::string(1, c);
    return "";
  }

  std::optional<int64_t> binary(int min_prec) {
    auto lhs = unary();
    while (lhs) {
      std::string op = peek_operator();
      int prec = precedence(op);
      if (prec < 0 || prec < min_prec) break;
      pos_ += op.size();
      auto rhs = binary(prec + 1);
      if (!rhs) return std::nullopt;
      uint64_t a = static_cast<uint64_t>(*lhs), b = static_cast<uint64_t>(*rhs);
      if (op == "|")
        a |= b;
      else if (op == "^")
        a ^= b;
      else if (op == "&")
        a &= b;
      else if (op == "<<")
        a = b < 64 ? a << b : 0;
      else if (op == ">>")
        a = b < 64 ? a >> b : 0;
      else if (op == "+")
        a += b;
      else if (op == "-")
        a -= b;
      else if (op == "*")
        a *= b;
      lhs = static_cast<int64_t>(a);
    }
    return lhs;
  }

  std::optional<int64_t> unary() {
    skip_space();
    if (pos_ >= s_.size()) return std::nullopt;
    char c = s_[pos_];
    if (c == '-' || c == '~') {
      ++pos_;
      auto v = unary();
      if (!v) return std::nullopt;
      return c == '-' ? -*v : ~*v;
    }
    if (c == '(') {
      ++pos_;
      auto v = binary(0);
      skip_space();
      if (!v || pos_ >= s_.size() || s_[pos_] != ')') return std::nullopt;
      ++pos_;
      return v;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      const char* begin = s_.c_str() + pos_;
      char* end = nullptr;
      uint64_t v = std::strtoull(begin, &end, 0);
      pos_ += static_cast<size_t>(end - begin);
      while (pos_ < s_.size() && std::strchr("uUlL", s_[pos_]))
        ++pos_;
      return static_cast<int64_t>(v);
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t start = pos_;
      while (pos_ < s_.size() &&
             (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_'))
        ++pos_;
      auto it = bodies_.find(s_.substr(start, pos_ - start));
      if (it == bodies_.end() || depth_ >= kMaxAliasDepth) return std::nullopt;
      return DefineParser(it->second, bodies_, depth_ + 1).parse();
    }
    return std::nullopt;
  }

  const std::string& s_;
  const std::map<std::string, std::string>& bodies_;
  int depth_;
  size_t pos_ = 0;
};

// The text of a line with comments removed (block comments are only dropped within the line).
std::string strip_comments(std::string line) {
  for (size_t p; (p = line.find("/*")) != std::string::npos;) {
    size_t e = line.find("*/", p + 2);
    line.erase(p, e == std::string::npos ? std::string::npos : e + 2 - p);
  }
  if (size_t p = line.find("//"); p != std::string::npos) line.erase(p);
  return line;
}

} // namespace

HeaderDefines::HeaderDefines(std::vector<std::string> include_dirs)
    : dirs_(std::move(include_dirs)) {
  if (dirs_.empty()) dirs_ = {"/usr/include", "/usr/include/x86_64-linux-gnu"};
}

void HeaderDefines::read_header(const std::string& name, int depth) {
  if (depth > kMaxIncludeDepth || !read_.insert(name).second) return;
  for (const auto& dir : dirs_) {
    std::ifstream in(dir + "/" + name);
    if (!in) continue;
    std::string line;
    while (std::getline(in, line)) {
      // Continued lines: a #define spanning lines is not a simple constant; skip it whole.
      bool continued = !line.empty() && line.back() == '\\';
      std::istringstream words(strip_comments(line));
      std::string directive;
      words >> directive;
      if (directive == "#") {
        std::string rest;
        words >> rest;
        directive += rest;
      }
      if (directive == "#include") {
        std::string target;
        words >> target;
        if (target.size() > 2 && (target.front() == '<' || target.front() == '"'))
          read_header(target.substr(1, target.size() - 2), depth + 1);
      } else if (directive == "#define" && !continued) {
        std::string macro;
        words >> macro;
        if (macro.empty() || macro.find('(') != std::string::npos) continue; // function-like
        std::string body;
        std::getline(words, body);
        bodies_.emplace(macro, body); // first definition wins, as with include guards
      }
      while (continued && std::getline(in, line))
        continued = !line.empty() && line.back() == '\\';
    }
    return;
  }
}

std::optional<int64_t> HeaderDefines::evaluate(const std::string& body) const {
  return DefineParser(body, bodies_, 0).parse();
}

std::optional<int64_t> HeaderDefines::lookup(const std::string& name,
                                             const std::vector<std::string>& headers) {
  for (const auto& h : headers)
    read_header(h, 0);
  auto it = bodies_.find(name);
  if (it == bodies_.end()) return std::nullopt;
  return evaluate(it->second);
}

std::optional<int64_t> builtin_kernel_constant(const std::string& name) {
  // From include/linux/sched.h and include/linux/socket.h: kernel-internal headers, so
  // neither BTF (they are #defines) nor the uapi headers under /usr/include have them.
  static const std::map<std::string, int64_t> table = {
      {"TASK_RUNNING", 0x0},
      {"TASK_INTERRUPTIBLE", 0x1},
      {"TASK_UNINTERRUPTIBLE", 0x2},
      {"__TASK_STOPPED", 0x4},
      {"__TASK_TRACED", 0x8},
      {"EXIT_DEAD", 0x10},
      {"EXIT_ZOMBIE", 0x20},
      {"TASK_PARKED", 0x40},
      {"TASK_DEAD", 0x80},
      {"TASK_WAKEKILL", 0x100},
      {"TASK_WAKING", 0x200},
      {"TASK_NOLOAD", 0x400},
      {"TASK_NEW", 0x800},
      {"TASK_KILLABLE", 0x102},
      {"TASK_STOPPED", 0x104},
      {"TASK_TRACED", 0x8},
      {"TASK_IDLE", 0x402},
      {"TASK_COMM_LEN", 16},
      {"AF_UNSPEC", 0},
      {"AF_UNIX", 1},
      {"AF_LOCAL", 1},
      {"AF_INET", 2},
      {"AF_INET6", 10},
      {"AF_NETLINK", 16},
      {"AF_PACKET", 17},
      {"AF_XDP", 44},
      {"PF_INET", 2},
      {"PF_INET6", 10},
      {"PF_UNIX", 1},
      {"PF_KTHREAD", 0x00200000},
      {"PF_EXITING", 0x00000004},
      {"PAGE_SHIFT", 12},
      {"PAGE_SIZE", 4096},
  };
  auto it = table.find(name);
  if (it == table.end()) return std::nullopt;
  return it->second;
}

} // namespace tracelet::runtime
