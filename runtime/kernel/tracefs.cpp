// Tracepoints from tracefs. Nothing here runs unless a script names a tracepoint: the mount
// check, the directory listing and every format file are loaded on first use and cached.
#include "runtime/kernel/tracefs.h"

#include "ast/diagnostics.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <memory>
#include <optional>
#include <sched.h>
#include <sstream>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

namespace tracelet::runtime {

namespace {

constexpr const char* kTracefs = "/sys/kernel/tracing";
constexpr const char* kDebugfsTracing = "/sys/kernel/debug/tracing";
constexpr long kTracefsMagic = 0x74726163; // TRACEFS_MAGIC

bool has_events(const std::string& dir) {
  struct stat st;
  return ::stat((dir + "/events").c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Closes a DIR* on scope exit.
struct DirCloser {
  void operator()(DIR* d) const { ::closedir(d); }
};
using DirPtr = std::unique_ptr<DIR, DirCloser>;

// Sub-directories of `path`, sorted; empty if `path` cannot be opened.
std::vector<std::string> subdirectories(const std::string& path) {
  std::vector<std::string> out;
  DirPtr dir(::opendir(path.c_str()));
  if (!dir) return out;
  while (dirent* e = ::readdir(dir.get())) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    if (e->d_type == DT_DIR || e->d_type == DT_UNKNOWN) out.push_back(std::move(name));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Decimal text to a number; 0 for anything malformed (format files are kernel-written, but a
// parse must never throw).
uint64_t to_u64(const std::string& s) {
  uint64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// Value of `key:` in one tab-separated field line ("offset:8;" -> "8").
std::string attribute(const std::string& line, const std::string& key) {
  size_t p = line.find(key + ":");
  if (p == std::string::npos) return {};
  p += key.size() + 1;
  size_t e = line.find(';', p);
  return trim(line.substr(p, e == std::string::npos ? std::string::npos : e - p));
}

// Size and signedness of the C integer type names that appear as pointer targets. Unknown
// names read as bytes: the pointer is still usable with str() and as an address.
ast::Type pointee_type(std::string base) {
  for (const char* qualifier : {"const ", "volatile "})
    while (base.rfind(qualifier, 0) == 0)
      base = base.substr(std::strlen(qualifier));
  base = trim(base);
  struct Known {
    const char* name;
    uint64_t bytes;
    bool is_signed;
  };
  static const Known known[] = {
      {"char", 1, true},
      {"signed char", 1, true},
      {"unsigned char", 1, false},
      {"short", 2, true},
      {"unsigned short", 2, false},
      {"int", 4, true},
      {"unsigned int", 4, false},
      {"long", 8, true},
      {"unsigned long", 8, false},
      {"long long", 8, true},
      {"unsigned long long", 8, false},
      {"u8", 1, false},
      {"u16", 2, false},
      {"u32", 4, false},
      {"u64", 8, false},
      {"s8", 1, true},
      {"s16", 2, true},
      {"s32", 4, true},
      {"s64", 8, true},
      {"__u8", 1, false},
      {"__u16", 2, false},
      {"__u32", 4, false},
      {"__u64", 8, false},
      {"size_t", 8, false},
      {"void", 1, false},
  };
  for (const auto& k : known)
    if (base == k.name) return ast::Type::integer(k.bytes, k.is_signed);
  if (base.rfind("struct ", 0) == 0 || base.rfind("union ", 0) == 0) {
    auto def = std::make_shared<ast::RecordDef>();
    def->name = base;
    def->is_union = base.rfind("union ", 0) == 0;
    return ast::Type::of_record(def);
  }
  return ast::Type::integer(1, false);
}

// Builds the field of one "field:<decl>;\toffset:N;\tsize:N;\tsigned:N;" line.
std::optional<ast::Field> parse_field(const std::string& line, ast::AddrSpace pointer_as) {
  std::string decl = attribute(line, "field");
  if (decl.empty()) return std::nullopt;
  ast::Field f;
  f.offset = to_u64(attribute(line, "offset"));
  std::string size_text = attribute(line, "size");
  uint64_t size = to_u64(size_text);
  bool is_signed = attribute(line, "signed") == "1";

  // Split "<type> <name>[N]" at the last identifier.
  std::optional<uint64_t> array_len;
  std::string d = trim(decl);
  if (!d.empty() && d.back() == ']') {
    size_t open = d.rfind('[');
    std::string n = d.substr(open + 1, d.size() - open - 2);
    array_len = to_u64(n);
    d = trim(d.substr(0, open));
  }
  size_t name_start = d.find_last_of(" *");
  if (name_start == std::string::npos || (size == 0 && !array_len))
    return std::nullopt; // no type before the name, or no storage: not a usable field
  f.name = d.substr(name_start + 1);
  std::string type = trim(d.substr(0, name_start + 1));

  if (type.rfind("__data_loc", 0) == 0) {
    // A u32 locating variable-length data inside the record; only char[] is readable.
    f.is_data_loc = true;
    f.type = std::make_shared<ast::Type>(ast::Type::string(ast::Type::kDefaultStringSize));
    return f;
  }
  int depth = 0;
  while (!type.empty() && type.back() == '*') {
    ++depth;
    type = trim(type.substr(0, type.size() - 1));
  }
  ast::Type t;
  if (depth > 0) {
    t = pointee_type(type);
    for (int i = 0; i < depth; ++i)
      t = ast::Type::pointer(t, pointer_as);
  } else if (array_len) {
    std::string base = type;
    for (const char* q : {"const ", "volatile "})
      if (base.rfind(q, 0) == 0) base = base.substr(std::strlen(q));
    if (base == "char" || base == "unsigned char" || base == "signed char")
      t = ast::Type::string(*array_len);
    else {
      uint64_t elem = *array_len ? size / *array_len : size;
      t = ast::Type::array(ast::Type::integer(elem ? elem : 1, is_signed), *array_len);
    }
  } else {
    t = ast::Type::integer(size, is_signed);
  }
  f.type = std::make_shared<ast::Type>(std::move(t));
  return f;
}

// tracelet's own mount of tracefs changes no global state: it is made in a mount namespace of
// tracelet's own (every mount in it private, so nothing propagates back), which the kernel
// removes when tracelet exits, however it exits. The -c command, forked before, stays in the
// caller's namespace; system() commands run in tracelet's.
bool mount_tracefs_privately() {
  if (::unshare(CLONE_NEWNS) != 0) return false;
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return false;
  return ::mount("nodev", kTracefs, "tracefs", 0, nullptr) == 0;
}

} // namespace

std::string tracefs_dir() {
  static std::string cached;
  if (!cached.empty()) return cached;
  struct statfs fs;
  if (::statfs(kTracefs, &fs) == 0 && fs.f_type == kTracefsMagic && has_events(kTracefs))
    return cached = kTracefs;
  if (mount_tracefs_privately() && has_events(kTracefs)) return cached = kTracefs;
  int mount_errno = errno;
  if (has_events(kDebugfsTracing)) return cached = kDebugfsTracing;
  throw Error(std::string("cannot mount tracefs at ") + kTracefs + ": " +
              std::strerror(mount_errno) + " (tracepoints need tracefs; are you root?)");
}

std::vector<std::pair<std::string, std::string>>
KernelInfoImpl::match_tracepoints(const std::string& category_glob, const std::string& name_glob) {
  std::vector<std::pair<std::string, std::string>> out;
  std::string events = tracefs_dir() + "/events";
  if (!categories_) categories_ = subdirectories(events);
  for (const auto& category : *categories_) {
    if (!ast::glob_match(category_glob, category)) continue;
    auto listed = names_.find(category);
    if (listed == names_.end())
      listed = names_.emplace(category, subdirectories(events + "/" + category)).first;
    for (const auto& name : listed->second)
      if (ast::glob_match(name_glob, name)) out.emplace_back(category, name);
  }
  return out;
}

std::shared_ptr<const ast::RecordDef> KernelInfoImpl::tracepoint_args(const std::string& category,
                                                                      const std::string& name) {
  std::string key = category + ":" + name;
  auto it = formats_.find(key);
  if (it != formats_.end()) return it->second;
  std::ifstream in(tracefs_dir() + "/events/" + category + "/" + name + "/format");
  std::shared_ptr<const ast::RecordDef> def;
  if (in) {
    std::ostringstream text;
    text << in.rdbuf();
    def = parse_tracepoint_format("struct " + category + "_" + name + "_args", text.str());
  }
  formats_[key] = def;
  return def;
}

std::shared_ptr<ast::RecordDef> parse_tracepoint_format(const std::string& record_name,
                                                        const std::string& text) {
  auto def = std::make_shared<ast::RecordDef>();
  def->name = record_name;
  // syscalls tracepoints carry user-space pointers; all others point into the kernel.
  ast::AddrSpace pointer_as =
      record_name.rfind("struct syscalls_", 0) == 0 ? ast::AddrSpace::User : ast::AddrSpace::Kernel;
  std::istringstream lines(text);
  std::string line;
  uint64_t end = 0;
  while (std::getline(lines, line)) {
    if (trim(line).rfind("field:", 0) != 0) continue;
    auto field = parse_field(line, pointer_as);
    if (!field) continue;
    std::string size_text = attribute(line, "size");
    end = std::max(end, field->offset + to_u64(size_text));
    if (field->name.rfind("common_", 0) == 0) continue;
    def->fields.push_back(std::move(*field));
  }
  def->size = end;
  return def;
}

} // namespace tracelet::runtime
