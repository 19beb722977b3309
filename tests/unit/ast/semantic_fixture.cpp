#include "semantic_fixture.h"

#include "parser/driver.h"
#include "runtime/kernel/tracefs.h"

#include <sstream>
#include <unistd.h>

namespace tracelet::test {

const char* const kSysEnterOpenatFormat = R"(name: sys_enter_openat
ID: 782
format:
	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
	field:unsigned char common_flags;	offset:2;	size:1;	signed:0;
	field:unsigned char common_preempt_count;	offset:3;	size:1;	signed:0;
	field:int common_pid;	offset:4;	size:4;	signed:1;

	field:int __syscall_nr;	offset:8;	size:4;	signed:1;
	field:int dfd;	offset:16;	size:8;	signed:0;
	field:const char * filename;	offset:24;	size:8;	signed:0;
	field:int flags;	offset:32;	size:8;	signed:0;
	field:umode_t mode;	offset:40;	size:8;	signed:0;

print fmt: "dfd: 0x%08lx, filename: 0x%08lx, flags: 0x%08lx, mode: 0x%08lx", ((unsigned long)(REC->dfd)), ((unsigned long)(REC->filename)), ((unsigned long)(REC->flags)), ((unsigned long)(REC->mode))
)";

const char* const kSysEnterOpenFormat = R"(name: sys_enter_open
ID: 784
format:
	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
	field:unsigned char common_flags;	offset:2;	size:1;	signed:0;
	field:unsigned char common_preempt_count;	offset:3;	size:1;	signed:0;
	field:int common_pid;	offset:4;	size:4;	signed:1;

	field:int __syscall_nr;	offset:8;	size:4;	signed:1;
	field:const char * filename;	offset:16;	size:8;	signed:0;
	field:int flags;	offset:24;	size:8;	signed:0;
	field:umode_t mode;	offset:32;	size:8;	signed:0;

print fmt: "filename: 0x%08lx, flags: 0x%08lx, mode: 0x%08lx", ((unsigned long)(REC->filename)), ((unsigned long)(REC->flags)), ((unsigned long)(REC->mode))
)";

const char* const kSysEnterReadFormat = R"(name: sys_enter_read
ID: 707
format:
	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
	field:unsigned char common_flags;	offset:2;	size:1;	signed:0;
	field:unsigned char common_preempt_count;	offset:3;	size:1;	signed:0;
	field:int common_pid;	offset:4;	size:4;	signed:1;

	field:int __syscall_nr;	offset:8;	size:4;	signed:1;
	field:unsigned int fd;	offset:16;	size:8;	signed:0;
	field:char * buf;	offset:24;	size:8;	signed:0;
	field:size_t count;	offset:32;	size:8;	signed:0;

print fmt: "fd: 0x%08lx, buf: 0x%08lx, count: 0x%08lx", ((unsigned long)(REC->fd)), ((unsigned long)(REC->buf)), ((unsigned long)(REC->count))
)";

const char* const kSchedProcessExecFormat = R"(name: sched_process_exec
ID: 365
format:
	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
	field:unsigned char common_flags;	offset:2;	size:1;	signed:0;
	field:unsigned char common_preempt_count;	offset:3;	size:1;	signed:0;
	field:int common_pid;	offset:4;	size:4;	signed:1;

	field:__data_loc char[] filename;	offset:8;	size:4;	signed:0;
	field:pid_t pid;	offset:12;	size:4;	signed:1;
	field:pid_t old_pid;	offset:16;	size:4;	signed:1;

print fmt: "filename=%s pid=%d old_pid=%d", __get_str(filename), REC->pid, REC->old_pid
)";

const char* const kSchedSwitchFormat = R"(name: sched_switch
ID: 369
format:
	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
	field:unsigned char common_flags;	offset:2;	size:1;	signed:0;
	field:unsigned char common_preempt_count;	offset:3;	size:1;	signed:0;
	field:int common_pid;	offset:4;	size:4;	signed:1;

	field:char prev_comm[16];	offset:8;	size:16;	signed:0;
	field:pid_t prev_pid;	offset:24;	size:4;	signed:1;
	field:int prev_prio;	offset:28;	size:4;	signed:1;
	field:long prev_state;	offset:32;	size:8;	signed:1;
	field:char next_comm[16];	offset:40;	size:16;	signed:0;
	field:pid_t next_pid;	offset:56;	size:4;	signed:1;
	field:int next_prio;	offset:60;	size:4;	signed:1;

print fmt: "prev_comm=%s prev_pid=%d", REC->prev_comm, REC->prev_pid
)";

FakeKernel::FakeKernel() {
  formats_[{"syscalls", "sys_enter_openat"}] = kSysEnterOpenatFormat;
  formats_[{"syscalls", "sys_enter_open"}] = kSysEnterOpenFormat;
  formats_[{"syscalls", "sys_enter_read"}] = kSysEnterReadFormat;
  formats_[{"sched", "sched_process_exec"}] = kSchedProcessExecFormat;
  formats_[{"sched", "sched_switch"}] = kSchedSwitchFormat;
}

std::vector<std::pair<std::string, std::string>>
FakeKernel::match_tracepoints(const std::string& category_glob, const std::string& name_glob) {
  ++match_calls;
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, text] : formats_) // std::map: already sorted by category, name
    if (ast::glob_match(category_glob, key.first) && ast::glob_match(name_glob, key.second))
      out.push_back(key);
  return out;
}

std::shared_ptr<const ast::RecordDef> FakeKernel::tracepoint_args(const std::string& category,
                                                                  const std::string& name) {
  ++args_calls;
  auto it = formats_.find({category, name});
  if (it == formats_.end()) return nullptr;
  return runtime::parse_tracepoint_format("struct " + category + "_" + name + "_args", it->second);
}

namespace {

const std::map<std::string, std::vector<std::string>>& fake_binaries() {
  static const std::map<std::string, std::vector<std::string>> binaries = {
      {"/bin/bash", {"main", "readline", "readline_internal"}},
      {"/bin/x", {"f", "g"}},
      {"/lib/x86_64-linux-gnu/libc.so.6", {"free", "getpid", "malloc", "pthread_create"}},
      // Since glibc 2.34 a stub: its functions live in libc.so.6, which it names in DT_NEEDED.
      {"/lib/x86_64-linux-gnu/libpthread.so.0", {}},
  };
  return binaries;
}

std::vector<std::string> matching(const std::vector<std::string>& names, const std::string& glob) {
  std::vector<std::string> out;
  for (const auto& n : names)
    if (ast::glob_match(glob, n)) out.push_back(n);
  return out;
}

} // namespace

std::string FakeKernel::resolve_binary(const std::string& name) {
  if (name == "libc") return "/lib/x86_64-linux-gnu/libc.so.6";
  if (name == "libpthread") return "/lib/x86_64-linux-gnu/libpthread.so.0";
  return fake_binaries().count(name) ? name : "";
}

std::vector<std::string> FakeKernel::match_binary_functions(const std::string& path,
                                                            const std::string& glob) {
  auto it = fake_binaries().find(path);
  return it == fake_binaries().end() ? std::vector<std::string>{} : matching(it->second, glob);
}

std::vector<ast::UsdtLocation> FakeKernel::usdt_locations(const std::string& path) {
  if (path == "/bin/y" || path == "/proc/42/root/bin/y")
    return {{"tl", "probe", "4@%esi", 0x10},
            {"tl", "global", "-4@counter(%rip) 8@16+table(%rip) 2@gone(%rip)", 0x1020}};
  if (path == "/lib/libtl.so" || path == "/proc/42/root/lib/libtl.so")
    return {{"tllib", "lib_probe", "8@%rdi", 0x30}};
  if (path != "/bin/x") return {};
  return {{"tl", "twice", "-8@%rdi", 0x400},
          {"prov", "probe", "-4@%eax 8@16(%rsp)", 0x100},
          {"prov", "other", "8@$5", 0x200},
          {"tl", "probe", "8@%rdi", 0x300},
          {"tl", "twice", "-8@%rax", 0x500}};
}

std::optional<std::pair<uint64_t, uint64_t>>
FakeKernel::binary_object_symbol(const std::string& path, const std::string& name,
                                 std::string& error) {
  bool y = path == "/bin/y" || path == "/proc/42/root/bin/y";
  if (y && name == "counter") return std::make_pair(0x4010, 4);
  if (y && name == "table") return std::make_pair(0x4020, 32);
  error = "no data symbol '" + name + "' in " + path;
  return std::nullopt;
}

std::vector<std::string> FakeKernel::match_binary_paths(const std::string& glob) {
  std::vector<std::string> out;
  for (std::string path : {"/bin/x", "/bin/y"})
    if (ast::glob_match(glob, path)) out.push_back(path);
  return out;
}

std::vector<std::string> FakeKernel::process_files(int pid) {
  if (pid != 42) return {};
  return {"/proc/42/root/bin/y", "/proc/42/root/lib/libtl.so"};
}

std::vector<std::string> FakeKernel::needed_libraries(const std::string& path) {
  if (path == "/lib/x86_64-linux-gnu/libpthread.so.0") return {"/lib/x86_64-linux-gnu/libc.so.6"};
  return {};
}

std::shared_ptr<const ast::RecordDef> FakeKernel::function_args(const std::string& func) {
  using ast::Type;
  auto shared = [](Type t) { return std::make_shared<Type>(std::move(t)); };
  auto record = std::make_shared<ast::RecordDef>();
  record->name = "struct " + func + "_args";
  auto file = std::make_shared<ast::RecordDef>();
  file->name = "struct file";
  file->size = 232;
  file->fields = {{"f_flags", shared(Type::integer(4, false)), 40}};
  if (func == "vfs_read" || func == "vfs_write") {
    record->fields = {
        {"file", shared(Type::pointer(Type::of_record(file), ast::AddrSpace::Kernel)), 0},
        {"buf", shared(Type::pointer(Type::integer(1, true), ast::AddrSpace::Kernel)), 8},
        {"count", shared(Type::u64()), 16},
        {"pos", shared(Type::pointer(Type::integer(8, true), ast::AddrSpace::Kernel)), 24},
        {"$retval", shared(Type::integer(8, true)), 32}};
    record->size = 40;
  } else if (func == "d_lookup") {
    record->fields = {{"parent", shared(Type::pointer(Type::u64(), ast::AddrSpace::Kernel)), 0},
                      {"$retval", shared(Type::pointer(Type::u64(), ast::AddrSpace::Kernel)), 8}};
    record->size = 16;
  } else if (func != "ksys_sync") {
    return nullptr;
  }
  return record;
}

std::vector<std::string> FakeKernel::match_kernel_functions(const std::string& glob) {
  return matching({"do_nanosleep", "do_sys_openat2", "vfs_read", "vfs_readv", "vfs_write"}, glob);
}

std::string Analysed::errors() const {
  std::string out;
  for (const auto& d : diags.all())
    out += diags.format(d);
  return out;
}

namespace {

// Source text of a one-line location.
std::string text_at(const std::string& source, const Location& loc) {
  if (loc.line != loc.end_line) return {};
  size_t start = 0;
  for (int line = 1; line < loc.line; ++line)
    start = source.find('\n', start) + 1;
  return source.substr(start + loc.col - 1, loc.end_col - loc.col);
}

// Records "text: type" for every expression of the tree.
class TypeDump : public ast::Visitor {
public:
  explicit TypeDump(const std::string& source) : source_(source) {}
  using Visitor::visit;
  std::vector<std::pair<std::string, std::string>> entries;

#define TRACELET_RECORD(T)                                                                         \
  void visit(ast::T& n) override {                                                                 \
    record(n);                                                                                     \
    Visitor::visit(n);                                                                             \
  }
  TRACELET_RECORD(Integer)
  TRACELET_RECORD(String)
  TRACELET_RECORD(PositionalParam)
  TRACELET_RECORD(Builtin)
  TRACELET_RECORD(Call)
  TRACELET_RECORD(Map)
  TRACELET_RECORD(Variable)
  TRACELET_RECORD(Binary)
  TRACELET_RECORD(Unary)
  TRACELET_RECORD(Ternary)
  TRACELET_RECORD(FieldAccess)
  TRACELET_RECORD(TupleIndex)
  TRACELET_RECORD(Index)
  TRACELET_RECORD(Cast)
  TRACELET_RECORD(Tuple)
  TRACELET_RECORD(Sizeof)
#undef TRACELET_RECORD

private:
  void record(ast::Expr& e) {
    entries.emplace_back(text_at(source_, e.loc), e.type.str());
  }
  const std::string& source_;
};

} // namespace

std::string Analysed::type_of(const std::string& text) const {
  TypeDump dump(source);
  program->accept(dump);
  for (const auto& [t, type] : dump.entries)
    if (t == text) return type;
  return "";
}

std::vector<std::string> Analysed::all_types() const {
  TypeDump dump(source);
  program->accept(dump);
  std::vector<std::string> out;
  for (const auto& [t, type] : dump.entries)
    out.push_back(t + ": " + type);
  return out;
}

std::unique_ptr<Analysed> analyse(const std::string& source, std::vector<std::string> params,
                                  FakeKernel* kernel) {
  auto result = std::make_unique<Analysed>();
  result->source = source;
  result->program = parser::parse("stdin", source, result->diags);
  if (!result->program) return result;
  FakeKernel own;
  ast::SemanticOptions options;
  options.positional_params = std::move(params);
  result->ok = ast::analyse(*result->program, kernel ? *kernel : own, result->diags, options);
  return result;
}

BtfKernel::BtfKernel() : real_(std::make_unique<runtime::KernelInfoImpl>()) {}

BtfKernel::~BtfKernel() = default;

std::shared_ptr<const ast::RecordDef> BtfKernel::kernel_record(const std::string& name) {
  return real_->kernel_record(name);
}

void BtfSemanticTest::SetUp() {
  if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
    GTEST_SKIP() << "no kernel BTF here (/sys/kernel/btf/vmlinux): the kernel records need it";
}

void PrintTo(const SemanticErrorCase& c, std::ostream* os) {
  *os << c.source;
}

void BtfSemanticErrors::expect_reported_exactly() {
  auto a = run(GetParam().source);
  ASSERT_NE(a->program, nullptr) << a->errors();
  EXPECT_FALSE(a->ok);
  EXPECT_EQ(a->errors(), GetParam().expected);
}

} // namespace tracelet::test
