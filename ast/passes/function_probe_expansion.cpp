// Expansion of probes on functions: uprobe/uretprobe (binary or library name resolved to a
// file, wildcards over its ELF function symbols) and kprobe/kretprobe/fentry/fexit (wildcards
// over kernel functions). Each match becomes one concrete attach point.
#include "ast/passes/passes.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace tracelet::ast::passes {

namespace {

bool is_uprobe(const std::string& provider) {
  return provider == "uprobe" || provider == "uretprobe";
}

// "0x4005d0" or "4195792": an address in the binary rather than a symbol.
bool is_address(const std::string& func) {
  return !func.empty() && func[0] >= '0' && func[0] <= '9';
}

AttachPointPtr concrete(const AttachPoint& pattern, const std::string& target,
                        const std::string& func) {
  auto ap = std::make_unique<AttachPoint>(pattern);
  ap->target = target;
  ap->func = func;
  ap->need_expansion = false;
  ap->parts = {ap->provider};
  if (!target.empty()) ap->parts.push_back(target);
  ap->parts.push_back(func);
  ap->raw = ap->name();
  return ap;
}

bool has_wildcard(const std::string& s) {
  return s.find_first_of("*?[") != std::string::npos;
}

// The files a uprobe or usdt target names: every executable a path glob matches (a relative
// one from the current directory, as bpftrace: `.*/bin/x` is ./bin/x and ../bin/x), else the
// binary or library it names. Empty (an error reported) if none. A match in the current
// directory itself is named ./x: a bare name would be looked up as a library or program.
std::vector<std::string> named_binaries(const AttachPoint& ap, KernelInfo& kernel,
                                        Diagnostics& diags) {
  if (has_wildcard(ap.target)) {
    auto paths = kernel.match_binary_paths(ap.target);
    if (paths.empty()) diags.error(ap.loc, "no executable file matches '" + ap.target + "'");
    for (auto& path : paths)
      if (path.find('/') == std::string::npos) path = "./" + path;
    return paths;
  }
  std::string path = kernel.resolve_binary(ap.target);
  if (path.empty()) {
    diags.error(ap.loc, ap.provider + " target '" + ap.target +
                            "' is neither an existing file nor a known library or program");
    return {};
  }
  return {path};
}

// A named symbol absent from the library itself, looked up in the libraries it names in
// DT_NEEDED (one level, as the dynamic linker would find it for a caller of this library).
// The attach point then names the library that has it. Empty if none has it.
std::string library_defining(const std::string& path, const std::string& func, KernelInfo& kernel) {
  for (const auto& lib : kernel.needed_libraries(path))
    if (!kernel.match_binary_functions(lib, func).empty()) return lib;
  return "";
}

void expand_uprobe(const AttachPoint& ap, KernelInfo& kernel, Diagnostics& diags,
                   const std::function<void(AttachPointPtr)>& add, const MissingFunction& missing) {
  auto paths = named_binaries(ap, kernel, diags);
  bool any = false;
  for (const auto& path : paths) {
    if (is_address(ap.func)) {
      add(concrete(ap, path, ap.func));
      any = true;
      continue;
    }
    auto matches = kernel.match_binary_functions(path, ap.func);
    if (matches.empty() && !has_wildcard(ap.func))
      if (std::string lib = library_defining(path, ap.func, kernel); !lib.empty()) {
        add(concrete(ap, lib, ap.func));
        any = true;
        continue;
      }
    for (const auto& name : matches)
      add(concrete(ap, path, name));
    any = any || !matches.empty();
  }
  if (any || paths.empty()) return;
  std::string where = paths.size() == 1 ? paths[0] : "'" + ap.target + "'";
  missing(ap.loc, has_wildcard(ap.func) || paths.size() > 1
                      ? "no function in " + where + " matches '" + ap.func + "'"
                      : "function '" + ap.func + "' not found in " + where);
}

// On a kernel without kprobes that loads fentry, a kprobe (kretprobe) at a function's entry
// runs as fentry (fexit) of the same function, with a warning: arg0..argN read the same
// arguments from fentry's context, retval the return value. A kprobe at +offset cannot.
AttachPointPtr as_fentry_if_needed(AttachPointPtr ap, KernelInfo& kernel, Diagnostics& diags) {
  bool kprobe = ap->provider == "kprobe" || ap->provider == "kretprobe";
  if (!kprobe || ap->offset != 0 || !kernel.kprobes_run_as_fentry()) return ap;
  std::string was = ap->name();
  ap->provider = ap->provider == "kprobe" ? "fentry" : "fexit";
  ap->parts[0] = ap->provider;
  ap->raw = ap->name();
  diags.warning(ap->loc, was + " runs as " + ap->raw +
                             ": this kernel has no kprobes (CONFIG_KPROBES off) but loads fentry");
  return ap;
}

void expand_kernel_function(const AttachPoint& ap, KernelInfo& kernel, Diagnostics& diags,
                            const std::function<void(AttachPointPtr)>& add,
                            const MissingFunction& missing) {
  if (!ap.need_expansion)
    return add(as_fentry_if_needed(concrete(ap, ap.target, ap.func), kernel, diags));
  auto matches = kernel.match_kernel_functions(ap.func);
  if (matches.empty()) missing(ap.loc, "no kernel function matches '" + ap.func + "'");
  for (const auto& name : matches)
    add(as_fentry_if_needed(concrete(ap, ap.target, name), kernel, diags));
}

// Whether a usdt target stands for the files of the -p process: none, or "*" with -p.
bool usdt_target_is_process(const AttachPoint& ap, KernelInfo& kernel) {
  return ap.target.empty() || (ap.target == "*" && kernel.traced_pid() > 0);
}

// The files a usdt target stands for: those of -p PID (its program and the libraries it maps)
// when it is empty or "*", else those it names (named_binaries). Empty (an error reported) if
// none.
std::vector<std::string> usdt_binaries(const AttachPoint& ap, KernelInfo& kernel,
                                       Diagnostics& diags) {
  if (!usdt_target_is_process(ap, kernel)) return named_binaries(ap, kernel, diags);
  int pid = kernel.traced_pid();
  if (pid <= 0) {
    diags.error(ap.loc, "usdt probe without a binary needs -p PID (its program is used): "
                        "write usdt:<binary>:[<provider>:]<probe> or add -p");
    return {};
  }
  auto files = kernel.process_files(pid);
  if (files.empty()) diags.error(ap.loc, "no process with pid " + std::to_string(pid));
  return files;
}

// usdt:<binary>:[<provider>:]<probe>: one concrete attach point per matching marker copy,
// named with its provider ("usdt:/usr/bin/python3:python:gc__start"). An empty provider
// matches every provider; a probe named without a provider must be in only one (as
// bpftrace), unless the name is a wildcard.
void expand_usdt(const AttachPoint& ap, KernelInfo& kernel, Diagnostics& diags,
                 const std::function<void(AttachPointPtr)>& add, const MissingFunction& missing) {
  size_t colon = ap.func.find(':');
  bool unqualified = colon == std::string::npos;
  std::string provider_glob = unqualified ? "*" : ap.func.substr(0, colon);
  std::string name_glob = unqualified ? ap.func : ap.func.substr(colon + 1);
  if (provider_glob.empty()) provider_glob = "*";
  auto binaries = usdt_binaries(ap, kernel, diags);
  bool any = false;
  for (const auto& path : binaries) {
    std::vector<UsdtLocation> matches;
    std::set<std::string> providers;
    for (auto& loc : kernel.usdt_locations(path))
      if (glob_match(provider_glob, loc.provider) && glob_match(name_glob, loc.name)) {
        providers.insert(loc.provider);
        matches.push_back(std::move(loc));
      }
    if (unqualified && !has_wildcard(name_glob) && providers.size() > 1) {
      std::string list;
      for (const auto& p : providers)
        list += (list.empty() ? "" : ", ") + p;
      diags.error(ap.loc, "usdt probe '" + name_glob + "' of " + path + " is in " +
                              std::to_string(providers.size()) + " providers (" + list +
                              "): name one, as in usdt:" + path + ":" + *providers.begin() + ":" +
                              name_glob + ", or write usdt:" + path + ":*:" + name_glob +
                              " for all");
      any = true;
      continue;
    }
    std::stable_sort(matches.begin(), matches.end(), [](const auto& a, const auto& b) {
      return std::tie(a.provider, a.name) < std::tie(b.provider, b.name);
    });
    for (const auto& loc : matches) {
      auto concrete_ap = concrete(ap, path, loc.provider + ":" + loc.name);
      concrete_ap->usdt_arguments = loc.arguments;
      concrete_ap->usdt_location = loc.address;
      add(std::move(concrete_ap));
      any = true;
    }
  }
  if (!any && !binaries.empty()) {
    std::string where = binaries.size() == 1 ? binaries[0] : "'" + ap.target + "'";
    if (usdt_target_is_process(ap, kernel)) where = binaries[0] + " or the libraries it maps";
    missing(ap.loc, "no USDT probe in " + where + " matches '" + ap.func + "'");
  }
}

} // namespace

bool is_function_probe(const std::string& provider) {
  return is_uprobe(provider) || provider == "usdt" || provider == "kprobe" ||
         provider == "kretprobe" || provider == "fentry" || provider == "fexit";
}

void expand_function_probe(const AttachPoint& ap, KernelInfo& kernel, Diagnostics& diags,
                           const std::function<void(AttachPointPtr)>& add,
                           const MissingFunction& missing) {
  if (is_uprobe(ap.provider))
    expand_uprobe(ap, kernel, diags, add, missing);
  else if (ap.provider == "usdt")
    expand_usdt(ap, kernel, diags, add, missing);
  else
    expand_kernel_function(ap, kernel, diags, add, missing);
}

} // namespace tracelet::ast::passes
