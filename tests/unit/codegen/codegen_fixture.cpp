#include "codegen_fixture.h"

#include "ast/diagnostics.h"
#include "ast/passes/semantic.h"
#include "parser/driver.h"
#include "runtime/kernel/tracefs.h"

#include <bpf/libbpf.h>
#include <unistd.h>

#include <cstdarg>
#include <regex>
#include <sstream>

namespace tracelet::testing {

namespace {

std::shared_ptr<ast::RecordDef> make_record(const std::string& name, std::vector<ast::Field> fields,
                                            uint64_t size) {
  auto def = std::make_shared<ast::RecordDef>();
  def->name = name;
  def->fields = std::move(fields);
  def->size = size;
  return def;
}

ast::Field field(const std::string& name, ast::Type type, uint64_t offset, bool data_loc = false) {
  ast::Field f;
  f.name = name;
  f.type = std::make_shared<ast::Type>(std::move(type));
  f.offset = offset;
  f.is_data_loc = data_loc;
  return f;
}

// libbpf's messages for the load in progress (libbpf's print callback has no user pointer).
thread_local std::string* libbpf_log = nullptr;

int capture_libbpf(enum libbpf_print_level level, const char* fmt, va_list args) {
  if (!libbpf_log || level == LIBBPF_DEBUG) return 0;
  char buf[4096];
  int n = vsnprintf(buf, sizeof buf, fmt, args);
  libbpf_log->append(buf);
  return n;
}

struct ObjectCloser {
  void operator()(bpf_object* obj) const { bpf_object__close(obj); }
};

} // namespace

std::vector<std::pair<std::string, std::string>>
FakeKernelInfo::match_tracepoints(const std::string& category_glob, const std::string& name_glob) {
  std::vector<std::pair<std::string, std::string>> all = {
      {"sched", "sched_process_exec"},
      {"syscalls", "sys_enter_openat"}, // sys_enter_open too, but not for wildcards
      {"syscalls", "sys_enter_read"},
  };
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& [c, n] : all)
    if (ast::glob_match(category_glob, c) && ast::glob_match(name_glob, n)) out.emplace_back(c, n);
  return out;
}

std::shared_ptr<const ast::RecordDef> FakeKernelInfo::tracepoint_args(const std::string& category,
                                                                      const std::string& name) {
  using ast::Type;
  if (category == "syscalls" && name == "sys_enter_openat")
    return make_record(
        "struct syscalls_sys_enter_openat_args",
        {field("__syscall_nr", Type::integer(4, true), 8), field("dfd", Type::u64(), 16),
         field("filename", Type::pointer(Type::integer(1, true), ast::AddrSpace::User), 24),
         field("flags", Type::u64(), 32), field("mode", Type::u64(), 40)},
        48);
  if (category == "syscalls" && name == "sys_enter_open") // filename where openat has dfd
    return make_record(
        "struct syscalls_sys_enter_open_args",
        {field("__syscall_nr", Type::integer(4, true), 8),
         field("filename", Type::pointer(Type::integer(1, true), ast::AddrSpace::User), 16),
         field("flags", Type::u64(), 24), field("mode", Type::u64(), 32)},
        40);
  if (category == "syscalls" && name == "sys_enter_read")
    return make_record("struct syscalls_sys_enter_read_args",
                       {field("__syscall_nr", Type::integer(4, true), 8),
                        field("fd", Type::u64(), 16), field("buf", Type::u64(), 24),
                        field("count", Type::u64(), 32)},
                       40);
  if (category == "sched" && name == "sched_process_exec")
    return make_record("struct sched_sched_process_exec_args",
                       {field("filename", Type::string(64), 8, true),
                        field("pid", Type::integer(4, true), 12),
                        field("old_pid", Type::integer(4, true), 16)},
                       20);
  return nullptr;
}

std::shared_ptr<const ast::RecordDef> FakeKernelInfo::function_args(const std::string& func) {
  using ast::Type;
  auto kptr = [](Type t) { return Type::pointer(std::move(t), ast::AddrSpace::Kernel); };
  if (func == "vfs_read")
    return make_record(
        "struct vfs_read_args",
        {field("file", kptr(Type::u64()), 0), field("buf", kptr(Type::integer(1, true)), 8),
         field("count", Type::u64(), 16), field("pos", kptr(Type::integer(8, true)), 24),
         field("$retval", Type::integer(8, true), 32)},
        40);
  if (func == "do_nanosleep") // int do_nanosleep(struct hrtimer_sleeper *, int mode)
    return make_record("struct do_nanosleep_args",
                       {field("t", kptr(Type::u64()), 0), field("mode", Type::integer(4, true), 8),
                        field("$retval", Type::integer(4, true), 16)},
                       24);
  return nullptr;
}

std::unique_ptr<Compiled> compile_source(const std::string& source, bool real_kernel,
                                         int helper_checks, bool syscall_dispatch) {
  Diagnostics diags;
  auto program = parser::parse("test.bt", source, diags);
  std::ostringstream messages;
  if (!program) {
    diags.print(messages);
    ADD_FAILURE() << "parse failed for:\n" << source << "\n" << messages.str();
    return nullptr;
  }
  FakeKernelInfo fake;
  std::unique_ptr<runtime::KernelInfoImpl> real;
  ast::KernelInfo* kernel = &fake;
  if (real_kernel) {
    real = std::make_unique<runtime::KernelInfoImpl>();
    kernel = real.get();
  }
  ast::SemanticOptions semantic;
  semantic.positional_params = {"3", "hello"}; // $1 and $2 for the cases that use them
  if (!ast::analyse(*program, *kernel, diags, semantic)) {
    diags.print(messages);
    ADD_FAILURE() << "analysis failed for:\n" << source << "\n" << messages.str();
    return nullptr;
  }
  auto out = std::make_unique<Compiled>();
  std::ostringstream ir;
  codegen::CodegenOptions options;
  options.helper_checks = helper_checks;
  options.syscall_dispatch = syscall_dispatch;
  options.ir_out = &ir;
  out->program = codegen::compile(*program, options);
  out->ir = ir.str();
  return out;
}

std::string load_into_kernel(const codegen::CompiledProgram& program) {
  std::string log;
  libbpf_log = &log;
  auto previous = libbpf_set_print(capture_libbpf);
  LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "tracelet_test");
  std::unique_ptr<bpf_object, ObjectCloser> obj(
      bpf_object__open_mem(program.elf.data(), program.elf.size(), &opts));
  std::string result;
  if (!obj) {
    result = "bpf_object__open_mem failed: " + log;
  } else {
    // Keep the verifier's log for rejected programs.
    bpf_program* prog;
    std::vector<std::unique_ptr<char[]>> bufs;
    bpf_object__for_each_program(prog, obj.get()) {
      bufs.push_back(std::make_unique<char[]>(1 << 20));
      bpf_program__set_log_buf(prog, bufs.back().get(), 1 << 20);
      bpf_program__set_log_level(prog, 1);
    }
    if (bpf_object__load(obj.get()) != 0) {
      result = "bpf_object__load failed:\n" + log;
      size_t i = 0;
      bpf_object__for_each_program(prog, obj.get()) {
        std::string vlog = bufs[i++].get();
        if (vlog.size() > 6000) vlog = "..." + vlog.substr(vlog.size() - 6000);
        result += "\n--- " + std::string(bpf_program__name(prog)) + " verifier log:\n" + vlog;
      }
    }
  }
  // libbpf falls back to no kernel BTF with only a warning; for us that is a bug.
  if (result.empty() && log.find("Error loading .BTF") != std::string::npos)
    result = "the kernel rejected the object's BTF:\n" + log;
  libbpf_set_print(previous);
  libbpf_log = nullptr;
  return result;
}

std::string kernel_unavailable_reason() {
  if (geteuid() != 0) return "loading BPF programs needs root";
  try {
    runtime::tracefs_dir();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

int count_helper_calls(const std::string& ir, int helper_id) {
  std::string needle = "inttoptr (i64 " + std::to_string(helper_id) + " to";
  int n = 0;
  for (size_t pos = ir.find(needle); pos != std::string::npos; pos = ir.find(needle, pos + 1))
    ++n;
  return n;
}

std::vector<int> ctx_offsets(const std::string& ir) {
  std::vector<int> out;
  std::regex gep(R"(getelementptr inbounds i8, i8\* %ctx, i64 (\d+))");
  for (std::sregex_iterator it(ir.begin(), ir.end(), gep), end; it != end; ++it)
    out.push_back(std::stoi((*it)[1]));
  return out;
}

} // namespace tracelet::testing
