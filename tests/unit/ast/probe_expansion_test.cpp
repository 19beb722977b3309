// Probe expansion: wildcards through KernelInfo, one entry per concrete attach point, and the
// `args` record of each entry.
#include "semantic_fixture.h"

#include "ast/usdt_arguments.h"

#include <gtest/gtest.h>

namespace {

using tracelet::test::analyse;
using tracelet::test::FakeKernel;

std::vector<std::string> expanded_names(const tracelet::ast::Probe& probe) {
  std::vector<std::string> out;
  for (const auto& ap : probe.expanded)
    out.push_back(ap->name());
  return out;
}

TEST(ProbeExpansion, NameWildcardExpandsToEveryMatchSorted) {
  auto a = analyse("tracepoint:syscalls:sys_enter_* { @[probe] = count(); }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(expanded_names(*a->program->probes[0]),
            (std::vector<std::string>{"tracepoint:syscalls:sys_enter_open",
                                      "tracepoint:syscalls:sys_enter_openat",
                                      "tracepoint:syscalls:sys_enter_read"}));
}

TEST(ProbeExpansion, CategoryWildcardAndDuplicatesRunOnce) {
  auto a = analyse("t:*:sched_s*, tracepoint:sched:sched_switch, BEGIN {}");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(expanded_names(*a->program->probes[0]),
            (std::vector<std::string>{"tracepoint:sched:sched_switch", "BEGIN"}));
  // The attach points as written are kept untouched.
  EXPECT_EQ(a->program->probes[0]->attach_points[0]->func, "sched_s*");
}

TEST(ProbeExpansion, ScriptsWithoutTracepointsNeverAskTheKernel) {
  FakeKernel kernel;
  auto a =
      analyse("BEGIN { printf(\"hi\\n\"); exit(); } interval:s:1 { @n = count(); }", {}, &kernel);
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(kernel.match_calls, 0);
  EXPECT_EQ(kernel.args_calls, 0);
}

TEST(ProbeExpansion, ArgsRecordIsAttachedToEachEntryOnlyWhenArgsIsUsed) {
  auto unused = analyse("tracepoint:syscalls:sys_enter_open* { @ = count(); }");
  ASSERT_TRUE(unused->ok) << unused->errors();
  for (const auto& ap : unused->program->probes[0]->expanded)
    EXPECT_EQ(ap->args_record, nullptr);

  auto used = analyse("tracepoint:syscalls:sys_enter_open* { printf(\"%s\\n\", "
                      "str(args.filename)); }");
  ASSERT_TRUE(used->ok) << used->errors();
  const auto& expanded = used->program->probes[0]->expanded;
  ASSERT_EQ(expanded.size(), 2u);
  // Same field, different offsets: each entry carries its own record.
  ASSERT_TRUE(expanded[0]->args_record && expanded[1]->args_record);
  EXPECT_EQ(expanded[0]->args_record->name, "struct syscalls_sys_enter_open_args");
  EXPECT_EQ(expanded[0]->args_record->find("filename")->offset, 16u);
  EXPECT_EQ(expanded[1]->args_record->name, "struct syscalls_sys_enter_openat_args");
  EXPECT_EQ(expanded[1]->args_record->find("filename")->offset, 24u);
}

TEST(ProbeExpansion, FieldsOfMixedRecordsMustAgreeInType) {
  // __syscall_nr is int32 in every syscalls record; fd (uint64) exists only in read.
  auto ok = analyse("t:syscalls:sys_enter_read, t:syscalls:sys_enter_openat "
                    "{ @[args.__syscall_nr] = count(); }");
  EXPECT_TRUE(ok->ok) << ok->errors();
  auto bad = analyse("t:syscalls:sys_enter_read, t:sched:sched_process_exec "
                     "{ @[args.filename] = count(); }");
  EXPECT_FALSE(bad->ok);
  EXPECT_EQ(
      bad->errors(),
      "stdin:1:59: error: args.filename is not in every tracepoint of this probe: "
      "syscalls:sys_enter_read has no field 'filename' (its fields are: __syscall_nr, fd, "
      "buf, count)\n"
      "t:syscalls:sys_enter_read, t:sched:sched_process_exec { @[args.filename] = count(); }\n"
      "                                                          ^~~~~~~~~~~~~\n");
  auto differ = analyse("t:syscalls:sys_enter_openat, t:sched:sched_process_exec "
                        "{ @[args.filename] = count(); }");
  EXPECT_EQ(differ->errors(),
            "stdin:1:61: error: args.filename has type int8 * in "
            "syscalls:sys_enter_openat but string[64] in sched:sched_process_exec\n"
            "t:syscalls:sys_enter_openat, t:sched:sched_process_exec { @[args.filename] = "
            "count(); }\n"
            "                                                            ^~~~~~~~~~~~~\n");
}

} // namespace

namespace {

TEST(FunctionProbeExpansion, UprobeLibraryNameResolvesToItsFile) {
  auto a = analyse("uprobe:libc:malloc, ur:libc:free { @[func] = count(); }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(expanded_names(*a->program->probes[0]),
            (std::vector<std::string>{"uprobe:/lib/x86_64-linux-gnu/libc.so.6:malloc",
                                      "uretprobe:/lib/x86_64-linux-gnu/libc.so.6:free"}));
  EXPECT_EQ(a->type_of("func"), "string[64]");
}

TEST(FunctionProbeExpansion, UprobeWildcardsOffsetsAndAddresses) {
  auto a = analyse("u:/bin/bash:read*, u:/bin/x:f+0x10, u:/bin/x:0x4005d0 { @ = count(); }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(
      expanded_names(*a->program->probes[0]),
      (std::vector<std::string>{"uprobe:/bin/bash:readline", "uprobe:/bin/bash:readline_internal",
                                "uprobe:/bin/x:f+16", "uprobe:/bin/x:0x4005d0"}));
}

// A path glob names every executable it matches (the fake kernel's /bin/x and /bin/y; only
// /bin/x has f and g): each match is an attach point named with its path.
TEST(FunctionProbeExpansion, UprobePathGlobs) {
  auto a = analyse("uprobe:/bin/*:f, uretprobe:/bin/*:g, u:/bin/*:0x10 { @ = count(); }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(expanded_names(*a->program->probes[0]),
            (std::vector<std::string>{"uprobe:/bin/x:f", "uretprobe:/bin/x:g", "uprobe:/bin/x:0x10",
                                      "uprobe:/bin/y:0x10"}));
  auto none = analyse("uprobe:/bin/*:nope { } uprobe:/nowhere/*:f { }");
  EXPECT_FALSE(none->ok);
  EXPECT_EQ(none->errors(), "stdin:1:1: error: no function in '/bin/*' matches 'nope'\n"
                            "uprobe:/bin/*:nope { } uprobe:/nowhere/*:f { }\n"
                            "^~~~~~~~~~~~~~~~~~\n"
                            "stdin:1:24: error: no executable file matches '/nowhere/*'\n"
                            "uprobe:/bin/*:nope { } uprobe:/nowhere/*:f { }\n"
                            "                       ^~~~~~~~~~~~~~~~~~~\n");
}

TEST(FunctionProbeExpansion, KernelFunctionWildcards) {
  auto a = analyse("kprobe:vfs_read*, kr:do_nanosleep, fentry:vfs_w* { @[func] = count(); }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(expanded_names(*a->program->probes[0]),
            (std::vector<std::string>{"kprobe:vfs_read", "kprobe:vfs_readv",
                                      "kretprobe:do_nanosleep", "fentry:vfs_write"}));
}

TEST(FunctionProbeExpansion, NothingFoundIsLocated) {
  auto a = analyse("u:/bin/bash:nope {} u:/bin/x:zz* {} u:/no/such:f {} k:zz_* {}");
  EXPECT_FALSE(a->ok);
  EXPECT_EQ(a->errors(),
            "stdin:1:1: error: function 'nope' not found in /bin/bash\n"
            "u:/bin/bash:nope {} u:/bin/x:zz* {} u:/no/such:f {} k:zz_* {}\n"
            "^~~~~~~~~~~~~~~~\n"
            "stdin:1:21: error: no function in /bin/x matches 'zz*'\n"
            "u:/bin/bash:nope {} u:/bin/x:zz* {} u:/no/such:f {} k:zz_* {}\n"
            "                    ^~~~~~~~~~~~\n"
            "stdin:1:37: error: uprobe target '/no/such' is neither an existing file nor a known "
            "library or program\n"
            "u:/bin/bash:nope {} u:/bin/x:zz* {} u:/no/such:f {} k:zz_* {}\n"
            "                                    ^~~~~~~~~~~~\n"
            "stdin:1:53: error: no kernel function matches 'zz_*'\n"
            "u:/bin/bash:nope {} u:/bin/x:zz* {} u:/no/such:f {} k:zz_* {}\n"
            "                                                    ^~~~~~\n");
}

TEST(FunctionProbeExpansion, SymbolMissingFromALibraryIsFoundInItsNeededLibraries) {
  // threadsnoop.bt's uprobe:libpthread:pthread_create on glibc >= 2.34.
  auto a = analyse("uprobe:libpthread:pthread_create { @ = count(); }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(expanded_names(*a->program->probes[0]),
            (std::vector<std::string>{"uprobe:/lib/x86_64-linux-gnu/libc.so.6:pthread_create"}));
  // Wildcards match the library's own symbols only.
  auto w = analyse("uprobe:libpthread:pthread_cr* { @ = count(); }");
  EXPECT_FALSE(w->ok);
  EXPECT_EQ(w->errors(),
            "stdin:1:1: error: no function in /lib/x86_64-linux-gnu/libpthread.so.0 matches "
            "'pthread_cr*'\n"
            "uprobe:libpthread:pthread_cr* { @ = count(); }\n"
            "^~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n");
}

TEST(FunctionProbeExpansion, UnresolvedBesideResolvedAttachPointsIsAWarning) {
  // dcsnoop.bt: a wildcard for compiler clones beside the plain function; sslsnoop.bt: local
  // symbols a distribution strips beside exported ones.
  auto a = analyse("kprobe:vfs_read, kprobe:vfs_read.constprop.* { @ = count(); }\n"
                   "u:/bin/x:f, u:/bin/x:rsa_local { @ = count(); }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(expanded_names(*a->program->probes[0]), (std::vector<std::string>{"kprobe:vfs_read"}));
  EXPECT_EQ(expanded_names(*a->program->probes[1]), (std::vector<std::string>{"uprobe:/bin/x:f"}));
  EXPECT_EQ(a->errors(),
            "stdin:1:18: warning: no kernel function matches 'vfs_read.constprop.*'; skipped, "
            "other attach points of this probe resolve\n"
            "kprobe:vfs_read, kprobe:vfs_read.constprop.* { @ = count(); }\n"
            "                 ^~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
            "stdin:2:13: warning: function 'rsa_local' not found in /bin/x; skipped, other "
            "attach points of this probe resolve\n"
            "u:/bin/x:f, u:/bin/x:rsa_local { @ = count(); }\n"
            "            ^~~~~~~~~~~~~~~~~~\n");
  // Nothing of the probe resolves: errors, as before.
  auto none = analyse("kprobe:zz_a*, kprobe:zz_b* { @ = count(); }");
  EXPECT_FALSE(none->ok);
  EXPECT_EQ(none->diags.error_count(), 2);
}

TEST(FunctionProbeExpansion, RegisterBuiltinsByProbeKind) {
  auto ok = analyse("kprobe:vfs_read { @[arg0, arg5] = count(); } "
                    "ur:/bin/bash:readline { @r = sum(retval); } "
                    "rt:sys_enter { @n[arg1] = count(); }");
  ASSERT_TRUE(ok->ok) << ok->errors();
  EXPECT_EQ(ok->type_of("arg5"), "uint64");
  auto bad = analyse("rt:sys_enter { @[func] = count(); }");
  EXPECT_FALSE(bad->ok);
  EXPECT_EQ(bad->errors(), "stdin:1:18: error: func is only available in kprobe, kretprobe, "
                           "uprobe, uretprobe, fentry and fexit probes\n"
                           "rt:sys_enter { @[func] = count(); }\n"
                           "                 ^~~~\n");
}

} // namespace

namespace {

TEST(FunctionEntryExit, ArgsAreTypedFromTheBtfPrototypeAndRetvalFromItsReturnType) {
  // f/fr and kfunc/kretfunc are the same probes.
  auto a =
      analyse("f:vfs_read, kfunc:vfs_write { @[args.count] = sum(args.file->f_flags); "
              "@b[str(args.buf)] = count(); }\n"
              "fr:vfs_read, kretfunc:vfs_write { @r = hist(retval); @c[args.count] = count(); }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("args.count"), "uint64");
  EXPECT_EQ(a->type_of("args.file"), "struct file *");
  EXPECT_EQ(a->type_of("args.file->f_flags"), "uint32");
  EXPECT_EQ(a->type_of("args.buf"), "int8 *");
  EXPECT_EQ(a->type_of("retval"), "int64");
}

TEST(FunctionEntryExit, ErrorsNameTheFunctionAndItsParameters) {
  auto a = analyse("fentry:vfs_read { @ = args.nope; }\n"
                   "fexit:ksys_sync { @v = retval; }\n"
                   "fexit:vfs_read, fexit:d_lookup { @x = retval; }\n"
                   "fentry:no_btf_for_this { @y = args.x; }\n"
                   "kprobe:vfs_read { @z = args.count; }");
  EXPECT_FALSE(a->ok);
  EXPECT_EQ(
      a->errors(),
      "stdin:1:23: error: function vfs_read has no parameter 'nope'; its parameters are: "
      "file, buf, count, pos\n"
      "fentry:vfs_read { @ = args.nope; }\n"
      "                      ^~~~~~~~~\n"
      "stdin:2:24: error: retval: function ksys_sync returns void\n"
      "fexit:ksys_sync { @v = retval; }\n"
      "                       ^~~~~~\n"
      "stdin:3:39: error: retval has type int64 in function vfs_read but uint64 * in "
      "function d_lookup\n"
      "fexit:vfs_read, fexit:d_lookup { @x = retval; }\n"
      "                                      ^~~~~~\n"
      "stdin:4:31: error: args: kernel BTF has no prototype for function no_btf_for_this\n"
      "fentry:no_btf_for_this { @y = args.x; }\n"
      "                              ^~~~\n"
      "stdin:5:24: error: args is only available in tracepoint, fentry, fexit and uprobe probes\n"
      "kprobe:vfs_read { @z = args.count; }\n"
      "                       ^~~~\n");
}

} // namespace

namespace {

TEST(FunctionEntryExit, KprobesRunAsFentryWhereOnlyFentryWorks) {
  FakeKernel kernel;
  kernel.fentry_instead_of_kprobes = true;
  auto a = analyse("kprobe:vfs_read { @[arg2] = count(); }\n"
                   "kretprobe:vfs_read, kr:vfs_w* { @r = hist(retval); }\n"
                   "kprobe:vfs_read+4 { @o = count(); }",
                   {}, &kernel);
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(expanded_names(*a->program->probes[0]), (std::vector<std::string>{"fentry:vfs_read"}));
  EXPECT_EQ(expanded_names(*a->program->probes[1]),
            (std::vector<std::string>{"fexit:vfs_read", "fexit:vfs_write"}));
  // An offset into the function has no fentry equivalent: it stays a kprobe (and fails to
  // attach with its one-line error).
  EXPECT_EQ(expanded_names(*a->program->probes[2]),
            (std::vector<std::string>{"kprobe:vfs_read+4"}));
  EXPECT_EQ(a->type_of("arg2"), "uint64");
  EXPECT_EQ(a->type_of("retval"), "int64"); // from the BTF return type, as fexit
  EXPECT_EQ(a->errors(),
            "stdin:1:1: warning: kprobe:vfs_read runs as fentry:vfs_read: this kernel has no "
            "kprobes (CONFIG_KPROBES off) but loads fentry\n"
            "kprobe:vfs_read { @[arg2] = count(); }\n"
            "^~~~~~~~~~~~~~~\n"
            "stdin:2:1: warning: kretprobe:vfs_read runs as fexit:vfs_read: this kernel has no "
            "kprobes (CONFIG_KPROBES off) but loads fentry\n"
            "kretprobe:vfs_read, kr:vfs_w* { @r = hist(retval); }\n"
            "^~~~~~~~~~~~~~~~~~\n"
            "stdin:2:21: warning: kretprobe:vfs_write runs as fexit:vfs_write: this kernel has "
            "no kprobes (CONFIG_KPROBES off) but loads fentry\n"
            "kretprobe:vfs_read, kr:vfs_w* { @r = hist(retval); }\n"
            "                    ^~~~~~~~~\n");

  // A kernel with kprobes (or without fentry) keeps them.
  auto k = analyse("kprobe:vfs_read { @[arg2] = count(); }");
  ASSERT_TRUE(k->ok) << k->errors();
  EXPECT_EQ(expanded_names(*k->program->probes[0]), (std::vector<std::string>{"kprobe:vfs_read"}));
}

} // namespace

namespace {

TEST(Usdt, ProbesExpandToProviderAndNameAndMissingOnesAreLocated) {
  auto a = analyse("usdt:/bin/x::probe { @a = count(); } U:/bin/x:prov:* { @b = count(); }"
                   " usdt:/bin/x:*:probe { @c = count(); } usdt:/bin/x:other { @d = count(); }");
  ASSERT_TRUE(a->ok) << a->errors();
  // An empty provider is any provider.
  EXPECT_EQ(expanded_names(*a->program->probes[0]),
            (std::vector<std::string>{"usdt:/bin/x:prov:probe", "usdt:/bin/x:tl:probe"}));
  EXPECT_EQ(expanded_names(*a->program->probes[1]),
            (std::vector<std::string>{"usdt:/bin/x:prov:other", "usdt:/bin/x:prov:probe"}));
  EXPECT_EQ(expanded_names(*a->program->probes[2]),
            (std::vector<std::string>{"usdt:/bin/x:prov:probe", "usdt:/bin/x:tl:probe"}));
  EXPECT_EQ(expanded_names(*a->program->probes[3]),
            (std::vector<std::string>{"usdt:/bin/x:prov:other"}));
  auto bad = analyse("usdt:/bin/x:nope { } usdt:/no/such:p { }");
  EXPECT_FALSE(bad->ok);
  EXPECT_EQ(bad->errors(), "stdin:1:1: error: no USDT probe in /bin/x matches 'nope'\n"
                           "usdt:/bin/x:nope { } usdt:/no/such:p { }\n"
                           "^~~~~~~~~~~~~~~~\n"
                           "stdin:1:22: error: usdt target '/no/such' is neither an existing file "
                           "nor a known library or program\n"
                           "usdt:/bin/x:nope { } usdt:/no/such:p { }\n"
                           "                     ^~~~~~~~~~~~~~~\n");
}

// As bpftrace 0.17 ("namespace for usdt:... not specified, matched 2 probes"), a probe named
// without its provider must be in one provider only; bpftrace then goes on without it.
TEST(Usdt, ANameInSeveralProvidersNeedsTheProvider) {
  auto a = analyse("usdt:/bin/x:probe { }");
  EXPECT_FALSE(a->ok);
  EXPECT_EQ(a->errors(), "stdin:1:1: error: usdt probe 'probe' of /bin/x is in 2 providers (prov, "
                         "tl): name one, as in usdt:/bin/x:prov:probe, or write "
                         "usdt:/bin/x:*:probe for all\n"
                         "usdt:/bin/x:probe { }\n"
                         "^~~~~~~~~~~~~~~~~\n");
}

// One concrete attach point per copy of a marker (inlined, unrolled): each with the address
// and the argument specs of its own note, in note order.
TEST(Usdt, EveryCopyOfAMarkerIsItsOwnAttachPoint) {
  auto a = analyse("usdt:/bin/x:tl:twice { @[arg0] = count(); }");
  ASSERT_TRUE(a->ok) << a->errors();
  const auto& expanded = a->program->probes[0]->expanded;
  ASSERT_EQ(expanded.size(), 2u);
  EXPECT_EQ(expanded[0]->name(), "usdt:/bin/x:tl:twice");
  EXPECT_EQ(expanded[1]->name(), "usdt:/bin/x:tl:twice");
  EXPECT_EQ(expanded[0]->usdt_location, 0x400u);
  EXPECT_EQ(expanded[0]->usdt_arguments, "-8@%rdi");
  EXPECT_EQ(expanded[1]->usdt_location, 0x500u);
  EXPECT_EQ(expanded[1]->usdt_arguments, "-8@%rax");
  EXPECT_EQ(a->type_of("arg0"), "int64");
}

// A path glob names every executable it matches; an empty binary is the program of -p PID,
// spelled as bpftrace spells it, and needs -p.
TEST(Usdt, WildcardAndEmptyBinaries) {
  auto a = analyse("usdt:/bin/*:tl:probe { }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(expanded_names(*a->program->probes[0]),
            (std::vector<std::string>{"usdt:/bin/x:tl:probe", "usdt:/bin/y:tl:probe"}));
  tracelet::test::FakeKernel kernel;
  kernel.pid = 42;
  auto p = analyse("usdt:::probe { } usdt::tl:probe { }", {}, &kernel);
  ASSERT_TRUE(p->ok) << p->errors();
  EXPECT_EQ(expanded_names(*p->program->probes[0]),
            (std::vector<std::string>{"usdt:/proc/42/root/bin/y:tl:probe"}));
  EXPECT_EQ(expanded_names(*p->program->probes[1]),
            (std::vector<std::string>{"usdt:/proc/42/root/bin/y:tl:probe"}));
  // The libraries the process maps count too (bpftrace's probes_for_pid), "*" as no binary.
  auto lib = analyse("usdt:::lib_probe { } usdt:*:tllib:* { } usdt:::probe { }", {}, &kernel);
  ASSERT_TRUE(lib->ok) << lib->errors();
  EXPECT_EQ(expanded_names(*lib->program->probes[0]),
            (std::vector<std::string>{"usdt:/proc/42/root/lib/libtl.so:tllib:lib_probe"}));
  EXPECT_EQ(expanded_names(*lib->program->probes[1]),
            (std::vector<std::string>{"usdt:/proc/42/root/lib/libtl.so:tllib:lib_probe"}));
  EXPECT_EQ(expanded_names(*lib->program->probes[2]),
            (std::vector<std::string>{"usdt:/proc/42/root/bin/y:tl:probe"}));
  auto none = analyse("usdt:::nope { }", {}, &kernel);
  EXPECT_EQ(none->errors(), "stdin:1:1: error: no USDT probe in /proc/42/root/bin/y or the "
                            "libraries it maps matches ':nope'\n"
                            "usdt:::nope { }\n"
                            "^~~~~~~~~~~\n");
  auto no_pid = analyse("usdt:::probe { }");
  EXPECT_FALSE(no_pid->ok);
  EXPECT_EQ(no_pid->errors(),
            "stdin:1:1: error: usdt probe without a binary needs -p PID (its program is used): "
            "write usdt:<binary>:[<provider>:]<probe> or add -p\n"
            "usdt:::probe { }\n"
            "^~~~~~~~~~~~\n");
  auto no_file = analyse("usdt:/nowhere/*:tl:probe { }");
  EXPECT_FALSE(no_file->ok);
  EXPECT_EQ(no_file->errors(), "stdin:1:1: error: no executable file matches '/nowhere/*'\n"
                               "usdt:/nowhere/*:tl:probe { }\n"
                               "^~~~~~~~~~~~~~~~~~~~~~~~\n");
}

} // namespace

namespace {

TEST(Usdt, ArgumentSpecsOfSdtNotes) {
  using K = tracelet::ast::UsdtArgument::Kind;
  std::string error;
  auto args = tracelet::ast::parse_usdt_arguments(
      "-4@%eax 8@%r12 -8@112(%rsp) 2@-8(%rbp) 8@$42 1@%dil", &error);
  ASSERT_TRUE(args) << error;
  ASSERT_EQ(args->size(), 6u);
  auto is = [](const tracelet::ast::UsdtArgument& a, K kind, uint32_t bytes, bool is_signed,
               uint64_t slot, int64_t value) {
    return a.kind == kind && a.bytes == bytes && a.is_signed == is_signed &&
           a.pt_regs_offset == slot && a.value == value;
  };
  EXPECT_TRUE(is((*args)[0], K::Register, 4, true, 80, 0));  // ax
  EXPECT_TRUE(is((*args)[1], K::Register, 8, false, 24, 0)); // r12
  EXPECT_TRUE(is((*args)[2], K::Memory, 8, true, 152, 112)); // sp + 112
  EXPECT_TRUE(is((*args)[3], K::Memory, 2, false, 32, -8));  // bp - 8
  EXPECT_TRUE(is((*args)[4], K::Constant, 8, false, 0, 42));
  EXPECT_TRUE(is((*args)[5], K::Register, 1, false, 112, 0)); // di
  EXPECT_FALSE(tracelet::ast::parse_usdt_arguments("4@16(%rip)", &error));
  EXPECT_EQ(error, "unsupported USDT argument spec '4@16(%rip)'");
  EXPECT_FALSE(tracelet::ast::parse_usdt_arguments("4@counter(%rip,%rax,4)", &error));
  EXPECT_FALSE(tracelet::ast::parse_usdt_arguments("4@8+16(%rip)", &error));
  EXPECT_FALSE(tracelet::ast::parse_usdt_arguments("4@counter(%rax)", &error));
  EXPECT_FALSE(tracelet::ast::parse_usdt_arguments("8@(%rax,%rbx,3)", &error));
  EXPECT_FALSE(tracelet::ast::parse_usdt_arguments("8@(%rax,%rip,8)", &error));
  EXPECT_FALSE(tracelet::ast::parse_usdt_arguments("3@%rax", &error));
  EXPECT_TRUE(tracelet::ast::parse_usdt_arguments("", &error)->empty());
}

// Globals, "sym(%rip)" as gcc writes them for a global or static variable: the symbol and
// the offset from it, in every order gas accepts.
TEST(Usdt, GlobalVariableSpecs) {
  using K = tracelet::ast::UsdtArgument::Kind;
  std::string error;
  auto args = tracelet::ast::parse_usdt_arguments(
      "-4@counter(%rip) 8@16+arr(%rip) 2@tab+6(%rip) 1@x.1-2(%rip) -8@-8+_g$1(%rip)", &error);
  ASSERT_TRUE(args) << error;
  ASSERT_EQ(args->size(), 5u);
  auto is = [&](size_t i, uint32_t bytes, bool is_signed, const std::string& symbol,
                int64_t offset) {
    const auto& a = (*args)[i];
    return a.kind == K::Global && a.bytes == bytes && a.is_signed == is_signed &&
           a.symbol == symbol && a.value == offset;
  };
  EXPECT_TRUE(is(0, 4, true, "counter", 0));
  EXPECT_TRUE(is(1, 8, false, "arr", 16));
  EXPECT_TRUE(is(2, 2, false, "tab", 6));
  EXPECT_TRUE(is(3, 1, false, "x.1", -2));
  EXPECT_TRUE(is(4, 8, true, "_g$1", -8));
}

// Type inference resolves the globals the used arguments read, per attach point (here in the
// program of -p 42), and locates a symbol the binary does not have at the argument.
TEST(Usdt, GlobalsResolvedFromTheBinary) {
  tracelet::test::FakeKernel kernel;
  kernel.pid = 42;
  auto a = analyse("usdt::tl:global { @[arg0] = sum(arg1); }", {}, &kernel);
  ASSERT_TRUE(a->ok) << a->errors();
  const auto& ap = *a->program->probes[0]->expanded[0];
  EXPECT_EQ(ap.usdt_globals,
            (std::map<std::string, uint64_t>{{"counter", 0x4010}, {"table", 0x4020}}));
  EXPECT_EQ(a->type_of("arg0"), "int64");
  EXPECT_EQ(a->type_of("arg1"), "uint64");
  auto gone = analyse("usdt::tl:global { print(arg2); }", {}, &kernel);
  EXPECT_FALSE(gone->ok);
  EXPECT_EQ(gone->errors(),
            "stdin:1:25: error: arg2: usdt:/proc/42/root/bin/y:tl:global reads global 'gone': "
            "no data symbol 'gone' in /proc/42/root/bin/y\n"
            "usdt::tl:global { print(arg2); }\n"
            "                        ^~~~\n");
}

// Index registers, "disp(%base,%index,scale)": address = base + index * scale + disp.
TEST(Usdt, IndexRegisterSpecs) {
  std::string error;
  auto args = tracelet::ast::parse_usdt_arguments(
      "-2@-88(%rsp,%rax,8) -4@(%rdx,%rcx,4) 8@16(%rbx,%r12) 1@(%rdi,%rsi,1)", &error);
  ASSERT_TRUE(args) << error;
  ASSERT_EQ(args->size(), 4u);
  const auto& a = *args;
  EXPECT_EQ(a[0].kind, tracelet::ast::UsdtArgument::Kind::Memory);
  EXPECT_EQ(a[0].bytes, 2u);
  EXPECT_TRUE(a[0].is_signed);
  EXPECT_EQ(a[0].pt_regs_offset, 152u);      // rsp
  EXPECT_EQ(a[0].index_pt_regs_offset, 80u); // rax
  EXPECT_EQ(a[0].scale, 8u);
  EXPECT_EQ(a[0].value, -88);
  EXPECT_EQ(a[1].pt_regs_offset, 96u); // rdx
  EXPECT_EQ(a[1].index_pt_regs_offset, 88u);
  EXPECT_EQ(a[1].scale, 4u);
  EXPECT_EQ(a[1].value, 0);
  EXPECT_EQ(a[2].index_pt_regs_offset, 24u); // r12, scale omitted: 1
  EXPECT_EQ(a[2].scale, 1u);
  EXPECT_EQ(a[2].value, 16);
  EXPECT_EQ(a[3].scale, 1u);
  auto plain = tracelet::ast::parse_usdt_arguments("8@16(%rbx)", &error);
  ASSERT_TRUE(plain);
  EXPECT_EQ((*plain)[0].scale, 0u); // no index register
}

// Constants keep the size and sign their spec gives them, as the compiler passed them.
TEST(Usdt, ConstantsKeepTheirSizeAndSign) {
  std::string error;
  auto args = tracelet::ast::parse_usdt_arguments(
      "-1@$-1 -4@$-1 1@$-1 -8@$-7 2@$-1 -1@$255 4@$0x80000000 -4@$0x80000000 1@$256", &error);
  ASSERT_TRUE(args) << error;
  std::vector<int64_t> values;
  for (const auto& a : *args)
    values.push_back(a.value);
  EXPECT_EQ(values,
            (std::vector<int64_t>{-1, -1, 255, -7, 65535, -1, 0x80000000LL, -0x80000000LL, 0}));
}

TEST(Usdt, ArgumentsAreTypedBySignAndCountedPerNote) {
  auto a = analyse("usdt:/bin/x:prov:probe { @[arg0] = sum(arg1); }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("arg0"), "int64");
  EXPECT_EQ(a->type_of("arg1"), "uint64");
  auto bad = analyse("usdt:/bin/x:tl:probe { @ = arg1; }");
  EXPECT_FALSE(bad->ok);
  EXPECT_EQ(bad->errors(), "stdin:1:28: error: arg1: usdt:/bin/x:tl:probe has 1 argument\n"
                           "usdt:/bin/x:tl:probe { @ = arg1; }\n"
                           "                           ^~~~\n");
}

} // namespace
