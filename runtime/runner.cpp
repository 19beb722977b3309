// run(): open -> load -> (dry run stops here) -> attach -> BEGIN -> events until exit() or a
// signal -> detach -> END -> last events -> maps. Every link and fd is owned by an RAII object
// on this stack, so every path out, errors included, detaches everything.
#include "runtime/runner.h"

#include "ast/diagnostics.h"
#include "ast/stage_times.h"
#include "runtime/attach/attach.h"
#include "runtime/attach/detach.h"
#include "runtime/attach/watchpoint.h"
#include "runtime/bpf_object.h"
#include "runtime/events.h"
#include "runtime/map_limits.h"
#include "runtime/map_reader.h"
#include "runtime/metrics/metrics_server.h"
#include "runtime/open_files.h"
#include "runtime/output/cgroup_paths.h"
#include "runtime/output/output.h"
#include "runtime/output/user_values.h"
#include "runtime/program_stats.h"
#include "runtime/signals.h"
#include "runtime/symbols/symbols.h"
#include "runtime/traced_process.h"

#include <bpf/bpf.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <optional>
#include <poll.h>
#include <set>
#include <span>

namespace tracelet::runtime {

namespace {

// bpftrace's test harnesses set __BPFTRACE_NOTIFY_PROBES_ATTACHED and start their workload
// when this line appears on stderr: after every probe is attached, before BEGIN runs.
// The kernel runs the consumers of one uprobe address newest first: uprobes (and usdt probes,
// built on them) attach in reverse program order, so that probes sharing an address run in
// program order, as in bpftrace. Other kinds run in attach order.
std::vector<const codegen::ProgramDesc*> attach_order(const codegen::CompiledProgram& program) {
  auto is_uprobe_kind = [](const codegen::ProgramDesc& d) {
    return d.provider == "uprobe" || d.provider == "uretprobe" || d.provider == "usdt";
  };
  std::vector<const codegen::ProgramDesc*> order;
  for (const auto& desc : program.programs)
    if (!is_uprobe_kind(desc)) order.push_back(&desc);
  for (auto it = program.programs.rbegin(); it != program.programs.rend(); ++it)
    if (is_uprobe_kind(*it)) order.push_back(&*it);
  return order;
}

void notify_probes_attached() {
  if (!std::getenv("__BPFTRACE_NOTIFY_PROBES_ATTACHED")) return;
  std::fputs("__BPFTRACE_NOTIFY_PROBES_ATTACHED\n", stderr);
  std::fflush(stderr);
}

constexpr int kPollTimeoutMs = 100;

// libbpf must load exactly the programs codegen described (those in [first, last) of them)
// and attach none by itself.
void configure_programs(BpfObject& obj, const codegen::CompiledProgram& program, size_t first = 0,
                        size_t last = SIZE_MAX) {
  std::span<const codegen::ProgramDesc> descs(program.programs);
  descs = descs.subspan(first, std::min(last, descs.size()) - first);
  std::set<std::string> wanted;
  for (const auto& desc : descs) {
    obj.program(desc.func_name); // throws if codegen's description and ELF disagree
    wanted.insert(desc.func_name);
  }
  bpf_program* prog;
  bpf_object__for_each_program(prog, obj.get()) {
    bpf_program__set_autoattach(prog, false);
    bpf_program__set_autoload(prog, wanted.count(bpf_program__name(prog)) > 0);
  }
  // Programs the kernel refuses to load at all (fentry where fentry is refused) stay unloaded:
  // a run stops earlier (check_attachable), a dry run reports them as not verified.
  for (const auto& desc : descs)
    if (kernel_refuses_load(desc)) bpf_program__set_autoload(obj.program(desc.func_name), false);
  for (const auto& desc : descs)
    prepare_packet_program(obj.program(desc.func_name), desc); // tc: the tcx attach type
}

// --dry-run: every program is verified, or the kernel refuses some kind outright (fentry);
// those are named on stderr. Exit status 1 only if nothing at all could be verified.
int dry_run_status(const codegen::CompiledProgram& program) {
  size_t refused = 0;
  for (const auto& desc : program.programs)
    if (kernel_refuses_load(desc)) {
      ++refused;
      std::fprintf(stderr, "tracelet: warning: %s not verified: %s\n", desc.probe_name.c_str(),
                   fentry_unavailable(desc).c_str());
    }
  return refused == program.programs.size() ? 1 : 0;
}

// A dry run whose programs do not all fit in the open-file limit at once: the object is loaded
// again for each batch of `batch` programs, each batch's programs closed (the object with them)
// once the verifier has passed them.
void dry_run_in_batches(const codegen::CompiledProgram& program, const RunOptions& options,
                        size_t batch) {
  for (size_t first = 0; first < program.programs.size(); first += batch) {
    BpfObject obj(program.elf, options.verbose);
    configure_programs(obj, program, first, first + batch);
    apply_map_keys_max(obj, program, options.map_keys_max);
    obj.load();
  }
}

size_t count_maps(const BpfObject& obj) {
  size_t n = 0;
  bpf_map* map;
  bpf_object__for_each_map(map, obj.get())++ n;
  return n;
}

void fill_start_time(const BpfObject& obj, const codegen::CompiledProgram& program) {
  if (program.start_time_map.empty()) return;
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  uint64_t now = static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + ts.tv_nsec;
  uint32_t key = 0;
  if (bpf_map_update_elem(obj.map_fd(program.start_time_map), &key, &now, BPF_ANY) != 0)
    throw Error("cannot set the start time for `elapsed`: " + errno_text(errno));
}

void run_programs(const BpfObject& obj, const codegen::CompiledProgram& program,
                  const std::string& provider) {
  for (const auto& desc : program.programs)
    if (desc.provider == provider) run_once(obj.program(desc.func_name), desc);
}

// At exit bpftrace prints two newlines, then every user map in name order (on SIGUSR1 the
// maps only).
void print_all_maps(const codegen::CompiledProgram& program, const std::vector<int>& map_fds,
                    const EventHandler& handler, Output& output, bool at_exit = true) {
  if (at_exit) output.exit_maps_start();
  std::vector<size_t> order(program.maps.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return program.maps[a].name < program.maps[b].name; });
  for (size_t i : order) {
    const auto& map = program.maps[i];
    output.map(map, read_map(map_fds[i], map), program.probe_names, 0, 0, handler.zeroed(i));
  }
  output.flush();
}

// A write error on the output (EPIPE with SIGPIPE ignored, a full disk) ends the run: the
// links detach as the error unwinds, and main prints the message.
void check_output(FILE* out) {
  errno = 0;
  if (std::fflush(out) == 0 && !std::ferror(out)) return;
  int err = errno;
  // The failed write may have been an earlier one, errno since reused: a pipe whose reader
  // is gone says so itself.
  pollfd pfd{fileno(out), POLLOUT, 0};
  if (::poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR)) err = EPIPE;
  bool known = err == EPIPE || err == ENOSPC || err == EDQUOT || err == EFBIG || err == EIO;
  throw Error(std::string("cannot write the output: ") +
              (known ? std::strerror(err) : "write error"));
}

// Waits for events until exit() or a signal; without an event map only a signal ends it.
// With -c, the child's exit ends it too, and with -p the traced process's exit (as bpftrace).
// SIGUSR1 prints every map and the run goes on.
void serve_events(EventReader* reader, const EventHandler& handler, const RunOptions& options,
                  const codegen::CompiledProgram& program, const std::vector<int>& map_fds,
                  Output& output) {
  std::optional<TracedProcess> traced;
  if (options.pid > 0 && !options.child) traced.emplace(options.pid);
  while (!handler.exit_requested() && !StopSignals::received() &&
         !(options.child && options.child->exited()) && !(traced && traced->exited())) {
    if (StopSignals::take_print_request())
      print_all_maps(program, map_fds, handler, output, /*at_exit=*/false);
    int relay_fd = options.child ? options.child->relay_fd() : -1;
    if (relay_fd >= 0) {
      // Events or the -c command's output, whichever comes first; events are printed first.
      pollfd fds[2] = {{relay_fd, POLLIN, 0}, {reader ? reader->epoll_fd() : -1, POLLIN, 0}};
      ::poll(fds, 2, kPollTimeoutMs);
      std::string text = options.child->take_output();
      if (reader) reader->drain(); // not poll(0): an event's wakeup may lag behind the pipe
      options.child->write_output(text);
    } else if (reader) {
      reader->poll(kPollTimeoutMs);
    } else {
      ::poll(nullptr, 0, kPollTimeoutMs); // a signal interrupts the sleep
    }
    check_output(output.file());
  }
}

} // namespace

int run(const codegen::CompiledProgram& program, const RunOptions& options) {
  // Nothing could ever stop such a run but a signal.
  if (program.programs.empty()) throw Error("the program has no probes to attach");
  StageTimer open_timer("libbpf: open");
  BpfObject obj(program.elf, options.verbose);
  open_timer.stop();
  // Enough open files for every program, map and link, or one clear error before loading (a
  // dry run verifies in batches instead).
  OpenFilesNeeded files = open_files_needed(program, count_maps(obj), options.dry_run);
  size_t file_limit = raise_open_file_limit(files.total());
  if (file_limit < files.total()) {
    size_t others = files.total() - files.programs;
    if (!options.dry_run || file_limit <= others)
      throw Error(open_file_limit_error(files, file_limit));
    StageTimer timer("libbpf: load in batches (maps, relocations, verifier)");
    dry_run_in_batches(program, options, file_limit - others);
    return dry_run_status(program);
  }
  StageTimer configure_timer("libbpf: configure");
  configure_programs(obj, program);
  apply_map_keys_max(obj, program, options.map_keys_max);
  configure_timer.stop();
  // Before loading, so that a probe this kernel cannot attach stops the run with its reason
  // rather than with the load failure it would cause.
  if (!options.dry_run) check_attachable(program);
  {
    StageTimer timer("libbpf: load (maps, relocations, verifier)");
    obj.load();
  }
  if (options.verbose) print_program_stats(obj, program, stderr);
  if (options.dry_run) return dry_run_status(program);
  fill_start_time(obj, program);

  std::vector<int> map_fds;
  for (const auto& map : program.maps)
    map_fds.push_back(obj.map_fd(map.elf_name));
  std::map<uint32_t, int> stack_map_fds;
  for (const auto& stack_map : program.stack_maps)
    stack_map_fds[stack_map.depth] = obj.map_fd(stack_map.elf_name);
  SymbolContext symbols(std::move(stack_map_fds)); // caches load on the first symbol printed
  ScopedSymbolContext symbols_in_use(symbols);
  ScopedStrftimeFormats strftime_formats(program.strftime_formats);
  ScopedCgroupPathFilters cgroup_path_filters(program.cgroup_path_filters);
  FullMapWarnings full_maps(program, map_fds, options.map_keys_max);
  std::unique_ptr<Output> output = make_output(options.format, options.out);
  EventHandler handler(program, map_fds, *output);
  handler.quote_sources_from(options.sources);
  std::optional<EventReader> reader;
  if (!program.event_map.empty()) reader.emplace(obj.map_fd(program.event_map), handler);

  // --metrics binds before anything attaches, so a taken port is one line and nothing else.
  std::optional<MetricsServer> metrics;
  if (options.metrics) metrics.emplace(*options.metrics, program, obj, map_fds, handler);
  // Watchpoints live here (not in `links`): unwatch() and FUNC+argN events change them.
  Watchpoints watchpoints(obj, program,
                          options.pid > 0 ? options.pid
                          : options.child ? options.child->pid()
                                          : -1,
                          *output);
  handler.serve_watchpoints([&watchpoints](uint32_t kind, uint32_t id, uint64_t addr) {
    watchpoints.on_event(kind, id, addr);
  });
  StopSignals signals;
  if (!options.quiet) {
    size_t probes = 0; // a syscall dispatcher program counts as the tracepoints it serves
    for (const auto& desc : program.programs)
      probes += desc.attach_points;
    output->attaching(probes);
    output->flush();
  }
  {
    std::vector<Link> links; // on an error, destroyed with this block: detaches everything
    // BEGIN runs before the other probes attach, as in bpftrace: no event precedes it, and
    // `BEGIN { @start = nsecs } interval:s:1 { ... }` sees a whole second. Its output waits in
    // the event buffer until serve_events(), after the attach.
    run_programs(obj, program, "BEGIN");
    StageTimer attach_timer("attach");
    for (const auto* desc_ptr : attach_order(program)) {
      const auto& desc = *desc_ptr;
      if (is_begin_end(desc.provider)) continue;
      if (is_watchpoint_program(desc))
        watchpoints.attach(desc);
      else
        for (auto& link : attach_links(obj.program(desc.func_name), desc, options.pid))
          links.push_back(std::move(link));
      if (options.verbose) std::fprintf(stderr, "tracelet: attached %s\n", desc.probe_name.c_str());
    }
    attach_timer.stop();
    if (metrics) metrics->set_probes_attached(program.programs.size());
    notify_probes_attached();
    if (options.child) options.child->start();
    serve_events(reader ? &*reader : nullptr, handler, options, program, map_fds, *output);
    StageTimer detach_timer("detach");
    detach_all(links);
    watchpoints.detach();
    detach_timer.stop();
  }

  // Like bpftrace: probes detached, END runs, its events are served, maps printed. What the
  // probes sent before detaching is served first (and ignored after an exit(), as bpftrace
  // does), so that a late exit() record from another CPU cannot swallow END's output.
  if (StopSignals::received()) handler.stop_running_commands();
  if (reader) reader->drain();
  if (options.child) // the command's last words, after its events
    options.child->write_output(options.child->take_output());
  handler.accept_events_again();
  run_programs(obj, program, "END");
  if (reader) {
    reader->drain();
    reader->report_unseen_losses();
  }
  std::fflush(options.out);
  if (handler.commands_not_run())
    std::fprintf(stderr, "tracelet: %llu queued system() commands not run: stopped by a signal\n",
                 static_cast<unsigned long long>(handler.commands_not_run()));
  handler.report_suppressed_warnings();
  full_maps.check();
  print_all_maps(program, map_fds, handler, *output);
  check_output(output->file());
  return 0;
}

} // namespace tracelet::runtime
