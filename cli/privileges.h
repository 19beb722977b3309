// Loading BPF programs needs CAP_SYS_ADMIN (root), or CAP_BPF and CAP_PERFMON (Linux 5.8+).
// Checked once, before anything else is done, so that an unprivileged user reads one clear line
// instead of a RLIMIT_MEMLOCK or tracefs failure from the middle of a run. --help, --version
// and --list-tools need nothing; a run, --dry-run, -l and --info need the privileges.
#pragma once

namespace tracelet::cli {

// True if this process's effective capabilities can load and attach BPF programs.
bool has_bpf_privileges();

// Without them: prints "tracelet needs root, or CAP_BPF and CAP_PERFMON" on stderr and exits 1.
void require_bpf_privileges();

} // namespace tracelet::cli
