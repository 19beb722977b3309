// tracelet: command line -> parse -> analyse -> codegen -> run. Environment failures arrive
// here as tracelet::Error and leave as one line on stderr and exit status 1.
#include "ast/diagnostics.h"
#include "ast/passes/semantic.h"
#include "ast/printer.h"
#include "ast/stage_times.h"
#include "ast/watchpoints.h"
#include "cli/command_line.h"
#include "cli/environment.h"
#include "cli/info.h"
#include "cli/privileges.h"
#include "cli/tools.h"
#include "cli/traced_process.h"
#include "codegen/codegen.h"
#include "parser/driver.h"
#include "parser/header_search.h"
#include "parser/source_file.h"
#include "runtime/attach/attach.h"
#include "runtime/child_process.h"
#include "runtime/kernel/probe_listing.h"
#include "runtime/kernel/tracefs.h"
#include "runtime/kernel/type_listing.h"
#include "runtime/metrics/metrics_address.h"
#include "runtime/output_file.h"
#include "runtime/runner.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <sys/stat.h>

namespace {

constexpr const char* kUsage = R"(USAGE:
    tracelet [options] filename [arg ...]
    tracelet [options] -e 'program' [arg ...]
    tracelet [options] TOOL [arg ...]      (an installed tool by name: see --list-tools)
    tracelet [options] - [arg ...]          (the program from stdin)

OPTIONS:
    -e 'program'   execute this program
    -d ast|ir|all  print the typed AST, the LLVM IR, or both, before running
    -d times       print how long each stage of compiling and loading took (on stderr)
    --dry-run      compile and load every program into the kernel verifier, attach nothing
    -p PID         attach uprobes and usdt probes to this process only; exit when it exits
    --usdt-file-activation  accepted for bpftrace compatibility: usdt semaphores are
                   always raised in every process that maps the file (without -p)
    --btf          accepted for bpftrace compatibility: kernel types always come from BTF
    -l [PATTERN]   list the probes this kernel can attach, matching PATTERN (wildcards);
                   -l 'struct NAME' (union, enum): the kernel's types of that name
    -lv [PATTERN]  the same, with tracepoint arguments and type definitions
    -f text|json   output format (json: one object per line, as bpftrace)
    -o FILE        write the output to FILE instead of stdout
    -B none|line|full  output buffering (default: line)
    -q             quiet: no "Attaching N probes..." line
    -c 'CMD'       run CMD and trace it (cpid is its pid); exit when it exits
    -I DIR         search DIR for #include headers (after the current directory)
    --include FILE read the header FILE before the program, as #include "FILE"
    --unsafe       allow system() and signal()
    --map-keys-max N  at most N keys per map (default 4096; env BPFTRACE_MAP_KEYS_MAX)
    --no-warnings  do not print warnings
    -k, -kk        warn when a map update or delete fails (-kk: memory reads too), as bpftrace
    --metrics [HOST:]PORT  serve the maps to Prometheus at http://HOST:PORT/metrics while
                   running (HOST defaults to 127.0.0.1)
    -v             verbose messages
    --info         print the system, the build and the kernel's BPF features
    -h, --help     show this help message
    --version      print the version
    --list-tools   list the installed tools (canned scripts) with what each shows

EXAMPLES:
    tracelet -e 'BEGIN { printf("hello\n"); exit(); }'
    tracelet -e 'tracepoint:syscalls:sys_enter_openat { printf("%s %s\n", comm, str(args.filename)); }'
    tracelet -e 'tracepoint:syscalls:sys_enter_* { @[probe] = count(); }'
)";

struct CliOptions {
  std::string program_text;
  std::string program_name;
  bool have_program = false;
  bool debug_ast = false, debug_ir = false;
  bool warnings = true;      // --no-warnings clears it
  int helper_checks = 0;     // -k: 1, -kk: 2
  std::string output_path;   // -o
  int buffering = _IOLBF;    // -B
  std::string child_command; // -c
  tracelet::ast::SemanticOptions semantic;
  tracelet::runtime::RunOptions run;
  bool list = false, list_args = false; // -l, -lv
  std::string list_pattern;
  std::vector<std::string> include_dirs;  // -I, where `#include` looks for headers
  std::vector<std::string> include_files; // --include, read before the program
};

[[noreturn]] void usage_error(const std::string& message) {
  std::cerr << "tracelet: " << message << "\n\n" << kUsage;
  std::exit(1);
}

// --map-keys-max N, BPFTRACE_MAP_KEYS_MAX: a key count from 1 to 2^24 (16M keys).
uint32_t map_keys_max(const std::string& text, const std::string& what) {
  char* end = nullptr;
  errno = 0;
  unsigned long long n = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || *end || errno || n == 0 || n > (1ull << 24) || text[0] == '-')
    usage_error(what + " takes a number of keys from 1 to 16777216, not '" + text + "'");
  return static_cast<uint32_t>(n);
}

int parse_pid(const std::string& pid) {
  char* end = nullptr;
  long n = std::strtol(pid.c_str(), &end, 10);
  if (pid.empty() || *end || n <= 0 || n > INT32_MAX)
    usage_error("-p takes a process id, not '" + pid + "'");
  tracelet::cli::check_pid_exists(static_cast<int>(n));
  return static_cast<int>(n);
}

CliOptions parse_args(int argc, char** argv) {
  CliOptions o;
  if (const char* env = std::getenv("BPFTRACE_MAP_KEYS_MAX"))
    o.run.map_keys_max = map_keys_max(env, "BPFTRACE_MAP_KEYS_MAX");
  int i = 1;
  for (; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* flag) -> std::string {
      if (i + 1 >= argc) usage_error(std::string("option ") + flag + " needs a value");
      return argv[++i];
    };
    if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      std::exit(0);
    } else if (a == "--list-tools") {
      tracelet::cli::print_tools(std::cout);
      std::exit(0);
    } else if (a == "--version" || a == "-V") {
      // Installed as `bpftrace` (a link), scripts that check the version see the release
      // whose language we follow first (docs/differences.md).
      if (std::filesystem::path(argv[0]).filename() == "bpftrace")
        std::cout << "bpftrace v" << TRACELET_BPFTRACE_VERSION << " (tracelet v" << TRACELET_VERSION
                  << ")\n";
      else
        std::cout << "tracelet v" << TRACELET_VERSION << "\n";
      std::exit(0);
    } else if (a == "-e") {
      o.program_text = value("-e");
      o.program_name = "stdin";
      o.have_program = true;
    } else if (a == "-d") {
      std::string what = value("-d");
      if (what == "ast")
        o.debug_ast = true;
      else if (what == "ir")
        o.debug_ir = true;
      else if (what == "times")
        tracelet::StageTimer::enable(true);
      else if (what == "all")
        o.debug_ast = o.debug_ir = true;
      else
        usage_error("-d takes ast, ir, times or all, not '" + what + "'");
    } else if (a == "-p") {
      o.run.pid = parse_pid(value("-p"));
    } else if (a == "--usdt-file-activation") {
      // The kernel raises usdt semaphores (uprobe ref_ctr_offset) in every process mapping
      // the file, those started later too: what this flag asks bpftrace for.
    } else if (a == "--btf") {
      // bpftrace's "force BTF" (over kernel headers): tracelet reads kernel types from BTF
      // only, and only when a script uses them.
    } else if (a == "-l" || a == "-lv") {
      o.list = true;
      o.list_args = o.list_args || a == "-lv";
    } else if (a == "--info") {
      tracelet::cli::require_bpf_privileges(); // its feature probes load programs
      tracelet::cli::print_info(std::cout);
      std::exit(0);
    } else if (a == "--dry-run") {
      o.run.dry_run = true;
    } else if (a == "-v") {
      o.run.verbose = true;
    } else if (a == "--unsafe") {
      o.semantic.unsafe = true;
    } else if (a == "-f") {
      std::string format = value("-f");
      if (format == "json")
        o.run.format = tracelet::runtime::OutputFormat::Json;
      else if (format != "text")
        usage_error("-f takes text or json, not '" + format + "'");
    } else if (a == "-o") {
      o.output_path = value("-o");
    } else if (a == "-B") {
      std::string mode = value("-B");
      if (mode == "none")
        o.buffering = _IONBF;
      else if (mode == "line")
        o.buffering = _IOLBF;
      else if (mode == "full")
        o.buffering = _IOFBF;
      else
        usage_error("-B takes none, line or full, not '" + mode + "'");
    } else if (a == "-q") {
      o.run.quiet = true;
    } else if (a == "-c") {
      o.child_command = value("-c");
    } else if (a == "-I") {
      // As clang (bpftrace's): a directory that is not there is searched in vain. tracelet
      // says so, since it is most likely a typo.
      std::string dir = value("-I");
      struct stat st;
      if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        std::cerr << "tracelet: warning: -I " << dir << ": no such directory\n";
      o.include_dirs.push_back(dir);
    } else if (a == "--include") {
      o.include_files.push_back(value("--include")); // looked up as #include "FILE"
    } else if (a == "--map-keys-max") {
      o.run.map_keys_max = map_keys_max(value("--map-keys-max"), "--map-keys-max");
    } else if (a == "--no-warnings") {
      o.warnings = false;
    } else if (a == "-k" || a == "-kk") {
      o.helper_checks = std::max(o.helper_checks, a == "-k" ? 1 : 2);
    } else if (a == "--metrics") {
      o.run.metrics = tracelet::runtime::parse_metrics_address(value("--metrics"));
    } else if (a == "--") {
      ++i;
      break;
    } else if (a.size() > 1 && a[0] == '-') {
      usage_error("unknown option '" + a + "'");
    } else {
      break;
    }
  }
  if (o.list && !o.have_program) {
    if (i < argc) o.list_pattern = argv[i++];
    // As getopt permutes bpftrace's arguments, -p and -v may follow the pattern
    // (`-l 'usdt:*' -p PID`).
    for (; i < argc; ++i) {
      std::string a = argv[i];
      if (a == "-p" && i + 1 < argc)
        o.run.pid = parse_pid(argv[++i]);
      else if (a == "-v")
        o.run.verbose = true;
      else
        usage_error("unexpected argument '" + a + "' after the -l pattern");
    }
    if (auto error = tracelet::cli::list_pattern_error(o.list_pattern); !error.empty()) {
      std::cerr << error;
      std::exit(1);
    }
    o.list_args = o.list_args || o.run.verbose; // `-l -v` as `-lv`
    return o;
  }
  if (!o.have_program) {
    if (i >= argc) usage_error("no program given: use -e 'program' or a file name");
    o.program_name = std::strcmp(argv[i], "-") == 0 ? "stdin" : argv[i];
    struct stat st;
    if (o.program_name == "stdin") {
      o.program_text = tracelet::cli::read_program(argv[i]);
    } else {
      if (stat(argv[i], &st) != 0)
        if (auto tool = tracelet::cli::find_tool(argv[i])) o.program_name = *tool;
      o.program_text = tracelet::parser::read_program_file(o.program_name);
    }
    o.have_program = true;
    ++i;
  }
  for (; i < argc; ++i)
    o.semantic.positional_params.push_back(argv[i]);
  return o;
}

// -l / -lv: the listing on stdout, providers the pattern named but this kernel lacks on stderr.
int list_probes(const CliOptions& opts) {
  if (tracelet::runtime::is_type_pattern(opts.list_pattern)) { // -l 'struct task_struct'
    std::cout << tracelet::runtime::list_kernel_types(opts.list_pattern, opts.list_args);
    return 0;
  }
  tracelet::runtime::KernelInfoImpl kernel;
  std::vector<std::string> notes;
  auto probes = tracelet::runtime::list_probes(kernel, opts.list_pattern, opts.list_args, notes,
                                               opts.run.pid);
  std::cout << tracelet::runtime::format_listing(probes);
  for (const auto& note : notes)
    std::cerr << "tracelet: " << note << "\n";
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  using namespace tracelet;
  try {
    // Bundled short options (-ve 'prog') become one argument each first, as getopt does.
    std::vector<std::string> args = cli::expand_short_options({argv + 1, argv + argc});
    std::vector<char*> arg_ptrs{argv[0]};
    for (auto& a : args)
      arg_ptrs.push_back(a.data());
    CliOptions opts = parse_args(static_cast<int>(arg_ptrs.size()), arg_ptrs.data());
    cli::require_bpf_privileges();                  // one clear line, before any kernel is touched
    cli::Environment env = cli::read_environment(); // BPFTRACE_STRLEN and the others
    cli::apply_environment(env);
    opts.semantic.max_probes = env.max_probes;
    opts.semantic.max_bpf_progs = env.max_bpf_progs;
    if (opts.list) return list_probes(opts);
    // -o and -B apply to everything printed from here on, maps and events alike.
    std::unique_ptr<FILE, int (*)(FILE*)> output_file(nullptr, &std::fclose);
    if (!opts.output_path.empty()) {
      output_file.reset(runtime::open_output_file(opts.output_path));
      opts.run.out = output_file.get();
    }
    std::setvbuf(opts.run.out, nullptr, opts.buffering, BUFSIZ);
    // -c: forked now so that `cpid` is known while compiling; it execs once attached.
    std::unique_ptr<runtime::ChildProcess> child;
    if (!opts.child_command.empty()) {
      child = std::make_unique<runtime::ChildProcess>(opts.child_command);
      opts.semantic.cpid = child->pid();
      opts.run.child = child.get();
    }
    Diagnostics diags;
    parser::set_include_dirs(opts.include_dirs);
    parser::set_include_files(opts.include_files);
    StageTimer parse_timer("parse");
    auto program = parser::parse(opts.program_name, opts.program_text, diags);
    parse_timer.stop();
    if (!program) {
      diags.print(std::cerr);
      return 1;
    }
    runtime::KernelInfoImpl kernel;
    kernel.pid = opts.run.pid; // usdt probes without a binary: its program
    bool ok = ast::analyse(*program, kernel, diags, opts.semantic);
    // watchpoint:FUNC+argN: the traced process's program (ast/watchpoints.h).
    ok = ok &&
         ast::resolve_watchpoint_targets(*program, kernel, diags, opts.run.pid, opts.semantic.cpid,
                                         cli::traced_binary(opts.run.pid, opts.child_command));
    diags.print(std::cerr, opts.warnings);
    if (!ok) return 1;
    if (opts.debug_ast) ast::print_ast(*program, std::cout);
    codegen::CodegenOptions cg;
    if (opts.debug_ir) cg.ir_out = &std::cout;
    cg.helper_checks = opts.helper_checks;
    cg.hist_sums = opts.run.metrics.has_value(); // histograms' _sum
    // TRACELET_SYSCALL_DISPATCH=0: one tracepoint program per syscall (to compare, bench/).
    if (const char* d = std::getenv("TRACELET_SYSCALL_DISPATCH"); d && std::string(d) == "0")
      cg.syscall_dispatch = false;
    opts.run.sources = &diags;
    codegen::CompiledProgram compiled;
    try {
      compiled = codegen::compile(*program, cg);
    } catch (const codegen::CodegenError& e) {
      if (!e.loc.file) throw;
      std::cerr << diags.format(Diagnostic{Severity::Error, e.loc, e.what()});
      return 1;
    }
    std::cout.flush();
    return runtime::run(compiled, opts.run);
  } catch (const tracelet::runtime::AttachError& e) {
    std::cerr << e.what() << "\n"; // already "file:line:col: error: ..."
    return 1;
  } catch (const Error& e) {
    std::cerr << "tracelet: error: " << e.what() << "\n";
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "tracelet: error: out of memory\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "tracelet: error: " << e.what() << "\n";
    return 1;
  }
}
