// Attach points: resolve aliases to the canonical provider, split the parts into
// target/func/freq/offset, and check each shape. The providers this release cannot run yet
// (kprobe, uprobe, ...) are still accepted here: the stages that attach them decide.
#include "ast/integer_literal.h"
#include "ast/passes/passes.h"
#include "ast/watchpoints.h"

#include <charconv>
#include <map>

namespace tracelet::ast::passes {

namespace {

const std::map<std::string, std::string>& aliases() {
  static const std::map<std::string, std::string> table = {
      {"BEGIN", "BEGIN"},
      {"END", "END"},
      {"tracepoint", "tracepoint"},
      {"t", "tracepoint"},
      {"interval", "interval"},
      {"i", "interval"},
      {"profile", "profile"},
      {"p", "profile"},
      {"kprobe", "kprobe"},
      {"k", "kprobe"},
      {"kretprobe", "kretprobe"},
      {"kr", "kretprobe"},
      {"uprobe", "uprobe"},
      {"u", "uprobe"},
      {"uretprobe", "uretprobe"},
      {"ur", "uretprobe"},
      {"fentry", "fentry"},
      {"f", "fentry"},
      {"kfunc", "fentry"},
      {"fexit", "fexit"},
      {"fr", "fexit"},
      {"kretfunc", "fexit"},
      {"rawtracepoint", "rawtracepoint"},
      {"rt", "rawtracepoint"},
      {"software", "software"},
      {"s", "software"},
      {"hardware", "hardware"},
      {"h", "hardware"},
      {"usdt", "usdt"},
      {"U", "usdt"},
      {"xdp", "xdp"},
      {"tc", "tc"},
      {"watchpoint", "watchpoint"},
      {"w", "watchpoint"},
      {"asyncwatchpoint", "asyncwatchpoint"},
      {"aw", "asyncwatchpoint"},
  };
  return table;
}

bool has_wildcard(const std::string& s) {
  return s.find_first_of("*?") != std::string::npos;
}

// A probe's count as bpftrace 0.17 reads it: any integer literal form (`1e6`, `1_000`, `0x10`,
// `010`), and not 0; nullopt otherwise.
std::optional<uint64_t> positive_integer(const std::string& s) {
  auto lit = parse_integer(s);
  if (s.empty() || !lit.ok || lit.value == 0) return std::nullopt;
  return lit.value;
}

// "func+0x10" / "func+16" -> func, offset. False if the offset is not a number.
bool split_offset(const std::string& text, std::string& func, uint64_t& offset) {
  size_t plus = text.find('+');
  func = text.substr(0, plus);
  offset = 0;
  if (plus == std::string::npos) return true;
  std::string num = text.substr(plus + 1);
  int base = 10;
  if (num.rfind("0x", 0) == 0 || num.rfind("0X", 0) == 0) {
    num = num.substr(2);
    base = 16;
  }
  auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), offset, base);
  return !num.empty() && ec == std::errc() && end == num.data() + num.size();
}

class AttachPointResolver {
public:
  explicit AttachPointResolver(Diagnostics& diags) : diags_(diags) {}

  void resolve(AttachPoint& ap) {
    const auto& parts = ap.parts;
    if (parts.empty() || parts[0].empty()) {
      diags_.error(ap.loc, "empty attach point");
      return;
    }
    auto alias = aliases().find(parts[0]);
    if (alias == aliases().end()) {
      std::vector<std::string> names;
      for (const auto& [name, canonical] : aliases())
        names.push_back(name);
      diags_.error(ap.loc, "unknown probe type '" + parts[0] + "'" + did_you_mean(parts[0], names));
      return;
    }
    ap.provider = alias->second;
    const std::string& p = ap.provider;
    if (p == "BEGIN" || p == "END")
      begin_end(ap);
    else if (p == "interval" || p == "profile")
      timed(ap);
    else if (p == "tracepoint")
      target_and_func(ap, "tracepoint:<category>:<name>");
    else if (p == "kprobe" || p == "kretprobe")
      kprobe(ap);
    else if (p == "uprobe" || p == "uretprobe")
      uprobe(ap);
    else if (p == "usdt")
      usdt(ap);
    else if (p == "fentry" || p == "fexit" || p == "rawtracepoint")
      function_with_optional_module(ap);
    else if (p == "software" || p == "hardware")
      perf_event(ap);
    else if (p == "xdp" || p == "tc")
      packet_attach_point(ap, diags_); // packet_probes.cpp
    else if (p == "watchpoint" || p == "asyncwatchpoint")
      parse_watchpoint(ap, diags_); // watchpoint_probes.cpp
    if (!ap.target.empty() || !ap.func.empty())
      ap.need_expansion = has_wildcard(ap.target) || has_wildcard(ap.func);
  }

private:
  void wrong_shape(AttachPoint& ap, const std::string& usage) {
    diags_.error(ap.loc,
                 ap.provider + " probe takes the form '" + usage + "', not '" + ap.raw + "'");
  }

  void begin_end(AttachPoint& ap) {
    if (ap.parts.size() != 1) {
      diags_.error(ap.loc, ap.provider + " takes no further parts, not '" + ap.raw + "'");
      return;
    }
    int& seen = ap.provider == "BEGIN" ? begin_count_ : end_count_;
    if (++seen > 1) diags_.error(ap.loc, "more than one " + ap.provider + " probe defined");
  }

  void timed(AttachPoint& ap) {
    std::string usage = ap.provider + ":<s|ms|us|hz>:<N>";
    if (ap.parts.size() != 3) return wrong_shape(ap, usage);
    ap.target = ap.parts[1];
    if (ap.target != "s" && ap.target != "ms" && ap.target != "us" && ap.target != "hz") {
      diags_.error(ap.loc,
                   "'" + ap.target + "' is not an accepted unit of time: use s, ms, us or hz");
      return;
    }
    auto n = positive_integer(ap.parts[2]);
    if (!n) {
      diags_.error(ap.loc,
                   ap.provider + " count must be a positive integer, not '" + ap.parts[2] + "'");
      return;
    }
    ap.freq = *n;
  }

  void target_and_func(AttachPoint& ap, const std::string& usage) {
    if (ap.parts.size() != 3 || ap.parts[1].empty() || ap.parts[2].empty())
      return wrong_shape(ap, usage);
    ap.target = ap.parts[1];
    ap.func = ap.parts[2];
  }

  void kprobe(AttachPoint& ap) {
    if (ap.parts.size() != 2 || ap.parts[1].empty())
      return wrong_shape(ap, ap.provider + ":<function>[+<offset>]");
    if (!split_offset(ap.parts[1], ap.func, ap.offset) || ap.func.empty())
      diags_.error(ap.loc, "bad offset in '" + ap.raw + "': use <function>+<number>");
    if (ap.provider == "kretprobe" && ap.offset)
      diags_.error(ap.loc, "kretprobe cannot take an offset");
  }

  void uprobe(AttachPoint& ap) {
    if (ap.parts.size() != 3 || ap.parts[1].empty() || ap.parts[2].empty())
      return wrong_shape(ap, ap.provider + ":<binary>:<function>[+<offset>]");
    ap.target = ap.parts[1];
    if (!split_offset(ap.parts[2], ap.func, ap.offset))
      diags_.error(ap.loc, "bad offset in '" + ap.raw + "': use <function>+<number>");
    if (ap.provider == "uretprobe" && ap.offset)
      diags_.error(ap.loc, "uretprobe cannot take an offset");
  }

  void usdt(AttachPoint& ap) {
    // usdt:<binary>:<probe> or usdt:<binary>:<provider>:<probe>; the provider stays in func.
    // The binary may be empty (the program of -p PID) and the provider too (any provider).
    if (ap.parts.size() == 3 && !ap.parts[2].empty()) {
      ap.target = ap.parts[1];
      ap.func = ap.parts[2];
    } else if (ap.parts.size() == 4 && !ap.parts[3].empty()) {
      ap.target = ap.parts[1];
      ap.func = ap.parts[2] + ":" + ap.parts[3];
    } else {
      wrong_shape(ap, "usdt:<binary>:[<provider>:]<probe>");
    }
  }

  void function_with_optional_module(AttachPoint& ap) {
    if (ap.parts.size() == 2 && !ap.parts[1].empty()) {
      ap.func = ap.parts[1];
    } else if (ap.parts.size() == 3 && !ap.parts[1].empty() && !ap.parts[2].empty()) {
      ap.target = ap.parts[1];
      ap.func = ap.parts[2];
    } else {
      wrong_shape(ap, ap.provider + ":[<module>:]<function>");
    }
  }

  void perf_event(AttachPoint& ap) {
    if (ap.parts.size() != 2 && ap.parts.size() != 3)
      return wrong_shape(ap, ap.provider + ":<event>[:<count>]");
    ap.target = ap.parts[1];
    if (ap.target.empty()) return wrong_shape(ap, ap.provider + ":<event>[:<count>]");
    if (ap.parts.size() == 3) {
      auto n = positive_integer(ap.parts[2]);
      if (!n)
        diags_.error(ap.loc,
                     ap.provider + " count must be a positive integer, not '" + ap.parts[2] + "'");
      else
        ap.freq = *n;
    }
  }

  Diagnostics& diags_;
  int begin_count_ = 0;
  int end_count_ = 0;
};

} // namespace

void resolve_attach_points(Program& program, Diagnostics& diags) {
  AttachPointResolver resolver(diags);
  for (auto& probe : program.probes)
    for (auto& ap : probe->attach_points) {
      int errors = diags.error_count();
      resolver.resolve(*ap);
      // An attach point with an error stays unresolved (no provider): expansion skips it and
      // type inference does not judge the builtins that depend on it.
      if (diags.error_count() != errors) ap->provider.clear();
    }
}

} // namespace tracelet::ast::passes
