#include "runtime/kernel/probe_listing.h"

#include "runtime/kernel/interfaces.h"

#include "runtime/kernel/kernel_features.h"
#include "runtime/kernel/perf_events.h"
#include "runtime/kernel/tracefs.h"
#include "runtime/symbols/dwarf.h"

#include "ast/diagnostics.h"
#include "runtime/kernel/binary_paths.h"
#include "runtime/kernel/elf_symbols.h"

#include <bcc/bcc_elf.h>
#include <bcc/bcc_proc.h>
#include <bcc/bcc_syms.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace tracelet::runtime {

namespace {

// Providers in the order -l prints them, with the aliases a pattern may use.
struct ProviderName {
  const char* name;
  const char* alias;
};
constexpr ProviderName kProviders[] = {
    {"hardware", "h"},   {"kfunc", nullptr},  {"kprobe", "k"}, {"rawtracepoint", "rt"},
    {"software", "s"},   {"tracepoint", "t"}, {"fentry", "f"}, {"uprobe", "u"},
    {"uretprobe", "ur"}, {"usdt", "U"},
};

std::string expand_alias(const std::string& provider) {
  for (const auto& p : kProviders)
    if (p.alias && provider == p.alias) return p.name;
  return provider;
}

bool exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The glob of the part of `rest` before its first ':' (tracepoint category), and after it.
std::pair<std::string, std::string> split_once(const std::string& rest) {
  size_t colon = rest.find(':');
  if (colon == std::string::npos) return {rest, "*"};
  return {rest.substr(0, colon), rest.substr(colon + 1)};
}

// Kprobes need CONFIG_KPROBE_EVENTS, whose control file tracefs then has.
std::string kprobes_missing() {
  if (exists(tracefs_dir() + "/kprobe_events")) return "";
  return "this kernel has no kprobes (no kprobe_events in tracefs)";
}

// fentry needs BTF and a kernel that loads BPF_PROG_TYPE_TRACING programs: asked directly by
// loading the smallest fentry program (some kernels answer EPERM even to root).
std::string fentry_missing() {
  btf* vmlinux = btf__load_vmlinux_btf();
  if (!vmlinux) return "this kernel has no BTF (/sys/kernel/btf/vmlinux)";
  int func_id = btf__find_by_name_kind(vmlinux, "vfs_read", BTF_KIND_FUNC);
  btf__free(vmlinux);
  if (func_id <= 0) return "vfs_read is not in the kernel's BTF";
  const bpf_insn insns[] = {
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0},
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
  };
  LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY,
              .attach_btf_id = static_cast<__u32>(func_id));
  int fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "tl_fentry_probe", "GPL", insns, 2, &opts);
  if (fd >= 0) {
    ::close(fd);
    return "";
  }
  return std::string("this kernel refuses fentry programs (") + std::strerror(errno) + ")";
}

// Kernel functions that can be traced: tracefs's list (the same names kprobes accept), else
// the text symbols of /proc/kallsyms. Sorted, without duplicates.
std::vector<std::string> kernel_function_names() {
  std::set<std::string> names;
  std::ifstream filter(tracefs_dir() + "/available_filter_functions");
  std::string line;
  if (filter) {
    while (std::getline(filter, line)) // "name" or "name [module]"
      names.insert(line.substr(0, line.find(' ')));
  } else {
    std::ifstream kallsyms("/proc/kallsyms");
    std::string addr, type, name;
    while (kallsyms >> addr >> type >> name) {
      std::getline(kallsyms, line); // an optional "[module]"
      if (type == "t" || type == "T") names.insert(name);
    }
  }
  return {names.begin(), names.end()};
}

// A path as given, or a library name ("libc") found the way the dynamic linker finds it.
std::string binary_path(const std::string& name) {
  if (name.find('/') != std::string::npos) return exists(name) ? name : "";
  // bcc looks up "lib<name>.so" in the linker cache: "libc" and "c" both mean libc.
  std::string short_name = name.rfind("lib", 0) == 0 ? name.substr(3) : name;
  std::unique_ptr<char, decltype(&std::free)> found(bcc_procutils_which_so(short_name.c_str(), 0),
                                                    &std::free);
  return found ? found.get() : "";
}

// Function symbols of an ELF file (bcc's reader: .symtab, else .dynsym), sorted, unique.
std::vector<std::string> elf_function_names(const std::string& path) {
  std::set<std::string> names;
  bcc_symbol_option options{};
  options.use_symbol_type = 1 << 2; // STT_FUNC
  options.use_debug_file = 1;       // as bpftrace: also the symbols of a detached debug file
  options.check_debug_file_crc = 1;
  bcc_elf_foreach_sym(
      path.c_str(),
      [](const char* name, uint64_t, uint64_t, void* payload) {
        static_cast<std::set<std::string>*>(payload)->insert(name);
        return 0;
      },
      &options, &names);
  return {names.begin(), names.end()};
}

// A usdt "provider:name" against what a pattern has after the binary: "provider:name" globs,
// or a name glob alone for any provider ("usdt:/bin/x:gc*"), as bpftrace.
bool usdt_matches(const std::string& glob, const std::string& provider_name) {
  if (size_t colon = glob.find(':'); colon != std::string::npos) {
    if (colon == 0) return usdt_matches("*" + glob, provider_name); // "::name": any provider
    return ast::glob_match(glob, provider_name);
  }
  return ast::glob_match(glob, provider_name.substr(provider_name.find(':') + 1));
}

// Whether the binary glob of a -p listing names `path` ("/proc/PID/root/usr/lib/libx.so"): ""
// and "*" name every file, any other glob the files whose path ends with it made absolute.
bool names_file(const std::string& binary, const std::string& path) {
  if (binary.empty() || binary == "*") return true;
  std::string absolute = binary;
  if (binary[0] != '/') {
    char cwd[PATH_MAX];
    if (!::getcwd(cwd, sizeof cwd)) return false;
    absolute = std::string(cwd) + "/" + binary;
  }
  return ast::glob_match("*" + absolute, path);
}

class Lister {
public:
  Lister(ast::KernelInfo& kernel, const ListPattern& pattern, bool verbose,
         std::vector<std::string>& notes)
      : kernel_(kernel), pattern_(pattern), verbose_(verbose), notes_(notes) {}

  void add(const std::string& name, std::vector<std::string> args = {}) {
    if (pattern_.matches(name)) out_.push_back({name, std::move(args)});
  }

  void tracepoints(const std::string& provider) {
    auto [category, name] = split_once(pattern_.rest_glob);
    if (!pattern_.bare_word.empty()) category = "*", name = pattern_.bare_word;
    if (provider == "rawtracepoint")
      category = "*", name = pattern_.bare_word.empty() ? pattern_.rest_glob : pattern_.bare_word;
    for (const auto& [cat, tp] : kernel_.match_tracepoints(category, name)) {
      if (provider == "rawtracepoint") {
        add("rawtracepoint:" + tp);
        continue;
      }
      std::string probe = "tracepoint:" + cat + ":" + tp;
      if (!pattern_.matches(probe)) continue;
      std::vector<std::string> args;
      if (verbose_)
        args = tracepoint_format_args(
            read_file(tracefs_dir() + "/events/" + cat + "/" + tp + "/format"));
      out_.push_back({probe, std::move(args)});
    }
  }

  void kernel_functions(const std::string& provider) {
    // Listed only where they can be attached (this is what -l promises).
    std::string why = provider == "kprobe" ? kprobes_missing() : fentry_missing();
    if (!why.empty()) {
      if (pattern_.provider_glob == provider)
        notes_.push_back(provider + " probes are not listed: " + why);
      return;
    }
    std::string glob = pattern_.bare_word.empty() ? pattern_.rest_glob : pattern_.bare_word;
    for (const auto& fn : kernel_function_names())
      if (ast::glob_match(glob, fn)) add(provider + ":" + fn);
  }

  // uprobe, uretprobe and usdt probes of the binaries the pattern names
  // ("uprobe:/bin/bash:read*", "uretprobe:libc:mall*", "usdt:/usr/bin/python3:*",
  // "*:/bin/x:*", "uprobe:/usr/lib/*/libc.so.*:malloc"): only when it names a binary.
  void user_probes(const std::string& provider) {
    // Named copies, not a structured binding: clang 14 (the fuzz build) cannot capture one.
    const auto [binary, rest] = split_once(pattern_.rest_glob);
    const std::string symbol_glob = rest;
    if (pattern_.rest_glob.find(':') == std::string::npos || binary.empty()) return;
    bool named = pattern_.provider_glob == provider;
    std::vector<std::string> paths;
    if (binary.find_first_of("*?[") != std::string::npos) {
      if (binary.find('/') == std::string::npos) return; // "*:sched:*" names no file
      paths = match_binary_paths(binary);
    } else if (std::string path = binary_path(binary); !path.empty()) {
      paths = {path};
    } else if (named) {
      throw Error(provider + " target file '" + binary + "' does not exist or is not executable");
    }
    for (const auto& path : paths) {
      size_t skip = provider.size() + 1 + path.size() + 1; // "provider:path:"
      // The binary as the pattern names it may be a library name ("libc") that the listed
      // path spells out: only the provider and the symbol part are compared.
      list_binary(provider, path, [&](const std::string& name) {
        if (!ast::glob_match(pattern_.provider_glob, provider)) return false;
        if (provider != "usdt") return ast::glob_match(symbol_glob, name.substr(skip));
        return usdt_matches(symbol_glob, name.substr(skip));
      });
    }
  }

  // -p PID: the uprobe probes (uretprobe when asked for by name) of the process's program and
  // the usdt probes of its program and of the libraries it maps, as "/proc/PID/root/<path>".
  // A binary in a usdt pattern picks the files whose path ends with it made absolute
  // ("usdt:/lib/libx.so:*"); uprobes are those of the program whatever binary is named.
  void process_probes(int pid) {
    std::vector<std::string> files = process_files(pid);
    if (files.empty()) throw Error("no process with pid " + std::to_string(pid));
    const auto [binary, rest] = split_once(pattern_.rest_glob);
    const std::string symbol_glob = rest;
    bool has_binary = pattern_.rest_glob.find(':') != std::string::npos;
    for (const char* provider : {"uprobe", "uretprobe", "usdt"}) {
      bool wanted = provider == std::string("uretprobe") ? pattern_.provider_glob == provider
                                                         : pattern_.wants_provider(provider);
      if (!wanted) continue;
      bool usdt = provider == std::string("usdt");
      for (const auto& path : usdt ? files : std::vector<std::string>{files.front()}) {
        if (usdt && has_binary && pattern_.bare_word.empty() && !names_file(binary, path)) continue;
        size_t skip = std::strlen(provider) + 1 + path.size() + 1; // "provider:path:"
        list_binary(provider, path, [&](const std::string& name) {
          if (!pattern_.bare_word.empty()) return pattern_.matches(name);
          std::string glob = has_binary ? symbol_glob : pattern_.rest_glob;
          if (usdt) return usdt_matches(glob, name.substr(skip));
          return ast::glob_match(glob, name.substr(skip));
        });
      }
    }
  }

  // software and hardware events, from bpftrace's table whatever the machine has (as
  // bpftrace: a VM without a PMU still lists hardware events; attaching one says why not).
  // A glob lists each event it matches ("hardware:cpu*" -> "hardware:cpu-cycles:"); a name
  // or alias without one is listed as given ("software:faults:") and must be known when the
  // pattern names the provider. A count after the event ("software:cpu-clock:1000") is ignored.
  void events(const std::string& provider) {
    if (!pattern_.bare_word.empty()) {
      for (const auto& e : perf_events(provider))
        add(provider + ":" + e.name + ":");
      return;
    }
    std::string event = split_once(pattern_.rest_glob).first;
    if (event.find_first_of("*?[") != std::string::npos) {
      for (const auto& e : perf_events(provider))
        if (ast::glob_match(event, e.name)) out_.push_back({provider + ":" + e.name + ":", {}});
    } else if (find_perf_event(provider, event)) {
      out_.push_back({provider + ":" + event + ":", {}});
    } else if (pattern_.provider_glob == provider) {
      throw Error(event.empty() ? provider + " probe must have a " + provider + " event name"
                                : event + " is not a " + provider + " probe");
    }
    if (provider == "hardware" && pattern_.provider_glob == provider && !kernel_has_hardware_pmu())
      notes_.push_back("this machine exposes no hardware performance counters: hardware events "
                       "cannot attach here");
  }

  std::vector<ListedProbe> take() { return std::move(out_); }

private:
  // "uprobe:PATH:function" for each function symbol, "usdt:PATH:provider:name" for each USDT
  // probe (once, however many copies of the marker there are), those `keep` accepts.
  template <typename Keep>
  void list_binary(const std::string& provider, const std::string& path, const Keep& keep) {
    std::vector<std::string> names;
    if (provider == "usdt") {
      try {
        for (const auto& p : elf_usdt_probes(path))
          names.push_back(p.provider + ":" + p.name);
      } catch (const Error&) {
        return; // not ELF: nothing to list
      }
    } else {
      names = elf_function_names(path);
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    std::optional<BinaryDwarf> dwarf; // -lv: uprobe parameters from DWARF
    bool listed = false;
    for (const auto& n : names)
      if (std::string probe = provider + ":" + path + ":" + n; keep(probe)) {
        std::vector<std::string> parameters;
        if (verbose_ && provider == "uprobe") {
          if (!dwarf) dwarf.emplace(path);
          parameters = uprobe_parameter_lines(*dwarf, n);
        }
        out_.push_back({probe, parameters});
        listed = true;
      }
    if (dwarf && listed && !dwarf->has_debug_info()) // as bpftrace's warning
      notes_.push_back("no DWARF debug info in " + path + ": parameters are not listed");
  }

private:
  ast::KernelInfo& kernel_;
  const ListPattern& pattern_;
  bool verbose_;
  std::vector<std::string>& notes_;
  std::vector<ListedProbe> out_;
};

} // namespace

ListPattern ListPattern::parse(const std::string& pattern) {
  ListPattern p;
  if (pattern.empty()) return p;
  size_t colon = pattern.find(':');
  if (colon == std::string::npos) {
    // A bare word matches the name after any provider, as in bpftrace.
    p.bare_word = pattern;
    p.rest_glob = "*" + pattern;
    p.full_glob = "*:" + pattern;
    return p;
  }
  p.provider_glob = expand_alias(pattern.substr(0, colon));
  p.rest_glob = pattern.substr(colon + 1);
  p.full_glob = p.provider_glob + ":" + p.rest_glob;
  return p;
}

bool ListPattern::wants_provider(const std::string& provider) const {
  return ast::glob_match(provider_glob, provider);
}

bool ListPattern::matches(const std::string& probe) const {
  return ast::glob_match(full_glob, probe);
}

std::vector<std::string> tracepoint_format_args(const std::string& format_text) {
  std::vector<std::string> args;
  std::istringstream in(format_text);
  std::string line;
  while (std::getline(in, line)) {
    size_t start = line.find("field:");
    if (start == std::string::npos) continue;
    start += 6;
    size_t end = line.find(';', start);
    if (end == std::string::npos) continue;
    std::string decl = line.substr(start, end - start);
    // The field name is the last word (before any [N] suffix).
    std::string name = decl.substr(decl.find_last_of(" *") + 1);
    if (name.rfind("common_", 0) == 0) continue;
    args.push_back(decl);
  }
  return args;
}

namespace {

// The probes of one pattern (no comma), sorted.
std::vector<ListedProbe> list_pattern(ast::KernelInfo& kernel, const std::string& pattern,
                                      bool verbose, std::vector<std::string>& notes, int pid) {
  ListPattern p = ListPattern::parse(pattern);
  Lister lister(kernel, p, verbose, notes);
  if (pid > 0) { // as bpftrace: only the process's own probes
    lister.process_probes(pid);
    auto probes = lister.take();
    std::sort(probes.begin(), probes.end(),
              [](const ListedProbe& a, const ListedProbe& b) { return a.name < b.name; });
    return probes;
  }
  std::vector<std::string> providers;
  for (const auto& provider : kProviders)
    if (p.wants_provider(provider.name)) providers.push_back(provider.name);
  for (const auto& provider : providers) {
    if (provider == "tracepoint" || provider == "rawtracepoint")
      lister.tracepoints(provider);
    else if (provider == "kprobe" || provider == "fentry")
      lister.kernel_functions(provider);
    else if (provider == "software" || provider == "hardware")
      lister.events(provider);
    else if (provider == "uprobe" || provider == "usdt")
      lister.user_probes(provider);
    else if (provider == "uretprobe" && p.provider_glob == "uretprobe") // not in "*:bin:*"
      lister.user_probes(provider);
    // kfunc is fentry's alias: listed once, as fentry.
  }
  // Packet probes, only when asked for by name (-l 'xdp:*'): bpftrace has none.
  for (const char* packet : {"xdp", "tc"})
    if (p.provider_glob == packet)
      for (const auto& name : packet_probe_names(packet))
        lister.add(name);
  auto probes = lister.take();
  std::stable_sort(probes.begin(), probes.end(),
                   [](const ListedProbe& a, const ListedProbe& b) { return a.name < b.name; });
  return probes;
}

} // namespace

std::vector<ListedProbe> list_probes(ast::KernelInfo& kernel, const std::string& pattern,
                                     bool verbose, std::vector<std::string>& notes, int pid) {
  // As bpftrace: `-l 'A,B'` lists A's probes, then B's (blanks around a comma do not count).
  std::vector<ListedProbe> out;
  std::istringstream parts(pattern);
  std::string part;
  bool any = false;
  while (std::getline(parts, part, ',')) {
    size_t first = part.find_first_not_of(" \t\n");
    if (first == std::string::npos) continue;
    part = part.substr(first, part.find_last_not_of(" \t\n") - first + 1);
    auto probes = list_pattern(kernel, part, verbose, notes, pid);
    out.insert(out.end(), probes.begin(), probes.end());
    any = true;
  }
  return any ? out : list_pattern(kernel, pattern, verbose, notes, pid);
}

std::string format_listing(const std::vector<ListedProbe>& probes) {
  std::string out;
  for (const auto& probe : probes) {
    out += probe.name + "\n";
    for (const auto& arg : probe.args)
      out += "    " + arg + "\n";
  }
  return out;
}

} // namespace tracelet::runtime
