// The ctx builtin in the semantic passes: its type in every probe kind (as bpftrace 0.17 types
// it, plus the packet kinds), what may be done with it, and every located error, exactly.
// The context records come from this machine's kernel BTF (the tests skip without it).
#include "semantic_fixture.h"

#include <gtest/gtest.h>

namespace tracelet::test {
namespace {

// ctx's records come from the kernel's BTF.
using ContextBuiltin = BtfSemanticTest;

TEST_F(ContextBuiltin, PtRegsInKprobesUprobesAndUsdt) {
  for (const char* probe : {"kprobe:vfs_read", "kretprobe:vfs_read", "uprobe:/bin/x:f",
                            "uretprobe:/bin/x:f", "usdt:/bin/x:prov:probe"}) {
    auto a = run(std::string(probe) + " { printf(\"%p %d\\n\", ctx, ctx->di); }");
    ASSERT_TRUE(a->ok) << probe << "\n" << a->errors();
    EXPECT_EQ(a->type_of("ctx"), "(ctx) struct pt_regs *") << probe;
    EXPECT_EQ(a->type_of("ctx->di"), "uint64") << probe;
  }
}

TEST_F(ContextBuiltin, PerfEventDataInPerfEventProbes) {
  for (const char* probe : {"profile:hz:99", "interval:s:1", "software:cpu-clock:1000",
                            "hardware:cycles:1000", "watchpoint:0x10000000:8:w"}) {
    auto a = run(std::string(probe) + " { @ = ctx->sample_period + ctx->regs.ip; }");
    ASSERT_TRUE(a->ok) << probe << "\n" << a->errors();
    EXPECT_EQ(a->type_of("ctx"), "(ctx) struct bpf_perf_event_data *") << probe;
    EXPECT_EQ(a->type_of("ctx->sample_period"), "uint64") << probe;
    EXPECT_EQ(a->type_of("ctx->regs"), "struct pt_regs") << probe;
  }
}

TEST_F(ContextBuiltin, PacketContextsInXdpAndTc) {
  auto a = run("xdp:lo { @q[ctx->rx_queue_index, ctx->ingress_ifindex] = count(); }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("ctx"), "(ctx) struct xdp_md *");
  EXPECT_EQ(a->type_of("ctx->rx_queue_index"), "uint32");
  auto t = run("tc:lo:ingress { @m[ctx->mark, ctx->cb[1]] = count(); }");
  ASSERT_TRUE(t->ok) << t->errors();
  EXPECT_EQ(t->type_of("ctx"), "(ctx) struct __sk_buff *");
  EXPECT_EQ(t->type_of("ctx->mark"), "uint32");
  EXPECT_EQ(t->type_of("ctx->cb[1]"), "uint32");
}

TEST_F(ContextBuiltin, CastsVariablesTernariesAndItsAddress) {
  auto a =
      run("kprobe:f { $r = (struct pt_regs *)ctx; $v = ctx; "
          "$t = pid > 1 ? ctx : $v; @a = (uint64)ctx; @b = (uint64)($r + 1); "
          "printf(\"%d %d %d %d %d\\n\", $r->si, $v->di, $t->ip, sizeof(*ctx), ctx == 0); }"
          "profile:hz:99 { @p = ((struct pt_regs *)ctx)->ip; $d = *ctx; @s = $d.sample_period; }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("(struct pt_regs *)ctx"), "(ctx) struct pt_regs *");
  EXPECT_EQ(a->type_of("$t"), "(ctx) struct pt_regs *");
  EXPECT_EQ(a->type_of("(uint64)ctx"), "uint64");
  // Past the context: an ordinary kernel pointer (read with probe_read_kernel).
  EXPECT_EQ(a->type_of("$r + 1"), "struct pt_regs *");
  EXPECT_EQ(a->type_of("*ctx"), "struct pt_regs");
  EXPECT_EQ(a->type_of("$d"), "struct bpf_perf_event_data");
}

using ContextErrors = BtfSemanticErrors;

TEST_P(ContextErrors, ReportedExactly) {
  expect_reported_exactly();
}

const SemanticErrorCase kErrors[] = {
    {"BEGIN { $x = ctx; }",
     "stdin:1:14: error: ctx is not available in BEGIN probes: they run before any event, with "
     "no probe context\n"
     "BEGIN { $x = ctx; }\n"
     "             ^~~\n"},
    {"END { print((uint64)ctx); }",
     "stdin:1:21: error: ctx is not available in END probes: they run after the last event, "
     "with no probe context\n"
     "END { print((uint64)ctx); }\n"
     "                    ^~~\n"},
    {"tracepoint:syscalls:sys_enter_openat { $x = ctx; }",
     "stdin:1:45: error: use args instead of ctx in tracepoint probes\n"
     "tracepoint:syscalls:sys_enter_openat { $x = ctx; }\n"
     "                                            ^~~\n"},
    {"fentry:vfs_read { $x = ctx; }",
     "stdin:1:24: error: ctx is not available in fentry probes: read the function's arguments "
     "with args\n"
     "fentry:vfs_read { $x = ctx; }\n"
     "                       ^~~\n"},
    {"rawtracepoint:sys_enter { $x = ctx; }",
     "stdin:1:32: error: ctx is not available in rawtracepoint probes: read the arguments with "
     "arg0, arg1, ...\n"
     "rawtracepoint:sys_enter { $x = ctx; }\n"
     "                               ^~~\n"},
    {"kprobe:f, interval:s:1 { $x = ctx; }",
     "stdin:1:31: error: ctx is a struct bpf_perf_event_data * in interval probes but a struct "
     "pt_regs * in kprobe probes: use it in probes of one kind\n"
     "kprobe:f, interval:s:1 { $x = ctx; }\n"
     "                              ^~~\n"},
    {"kprobe:f { @p = ctx; }",
     "stdin:1:17: error: ctx cannot be stored in a map (as in bpftrace): store (uint64)ctx\n"
     "kprobe:f { @p = ctx; }\n"
     "                ^~~\n"},
    {"kprobe:f { @p[ctx] = count(); }",
     "stdin:1:15: error: ctx cannot be a map key (as in bpftrace): use (uint64)ctx\n"
     "kprobe:f { @p[ctx] = count(); }\n"
     "              ^~~\n"},
    {"kprobe:f { @t = (ctx, 1); }",
     "stdin:1:17: error: ctx cannot be stored in a map (as in bpftrace): store (uint64)ctx\n"
     "kprobe:f { @t = (ctx, 1); }\n"
     "                ^~~~~~~~\n"},
    {"kprobe:f { $x = ctx; $x = 0; }",
     "stdin:1:27: error: type mismatch for $x: assigning int64, but $x was first assigned (ctx) "
     "struct pt_regs * at stdin:1:17\n"
     "kprobe:f { $x = ctx; $x = 0; }\n"
     "                          ^\n"},
    {"kprobe:f { $x = ctx; $x++; }",
     "stdin:1:22: error: ctx cannot be moved: ctx + n is a kernel pointer of its own\n"
     "kprobe:f { $x = ctx; $x++; }\n"
     "                     ^~\n"},
    {"kprobe:f { $x = ctx; $x += 1; }",
     "stdin:1:28: error: ctx cannot be moved: ctx + n is a kernel pointer of its own\n"
     "kprobe:f { $x = ctx; $x += 1; }\n"
     "                           ^\n"},
    {"kprobe:f { $p = (int64 *)ctx; }",
     "stdin:1:17: error: ctx can be cast to a struct pointer or an integer, not to int64 * (as "
     "in bpftrace)\n"
     "kprobe:f { $p = (int64 *)ctx; }\n"
     "                ^~~~~~~~~~~~\n"},
    {"uprobe:/bin/x:f { @ = ((struct bpf_perf_event_data *)ctx)->sample_period; }",
     "stdin:1:24: error: ctx is a struct pt_regs of 168 bytes in these probes; struct "
     "bpf_perf_event_data (184 bytes) would read past its end\n"
     "uprobe:/bin/x:f { @ = ((struct bpf_perf_event_data *)ctx)->sample_period; }\n"
     "                       ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"},
    {"kprobe:f { @ = ctx->nosuch; }", "stdin:1:16: error: struct pt_regs has no field 'nosuch'\n"
                                      "kprobe:f { @ = ctx->nosuch; }\n"
                                      "               ^~~~~~~~~~~\n"},
    {"kprobe:f { @ = ctx[1].di; }",
     "stdin:1:16: error: ctx cannot be indexed: read its fields (ctx->field)\n"
     "kprobe:f { @ = ctx[1].di; }\n"
     "               ^~~~~~\n"},
    {"tc:lo:ingress { @ = ctx->cb[pktlen]; }",
     "stdin:1:29: error: an array in ctx is indexed with a constant from 0 to 4\n"
     "tc:lo:ingress { @ = ctx->cb[pktlen]; }\n"
     "                            ^~~~~~\n"},
    {"xdp:lo { @ = ctx->data; }",
     "stdin:1:14: error: ctx->data of struct xdp_md cannot be read here: the packet's bytes are "
     "read through the header builtins (eth, ip, tcp, ...), which check their bounds\n"
     "xdp:lo { @ = ctx->data; }\n"
     "             ^~~~~~~~~\n"},
    {"tc:lo:egress { $s = *ctx; }",
     "stdin:1:21: error: ctx of a packet probe (struct __sk_buff) is read field by field "
     "(ctx->field), not whole\n"
     "tc:lo:egress { $s = *ctx; }\n"
     "                    ^~~~\n"},
    {"kprobe:f { print(str(ctx)); }",
     "stdin:1:22: error: ctx cannot be passed to str(): read its fields (ctx->field), or pass "
     "(uint64)ctx\n"
     "kprobe:f { print(str(ctx)); }\n"
     "                     ^~~\n"},
};

INSTANTIATE_TEST_SUITE_P(All, ContextErrors, ::testing::ValuesIn(kErrors));

} // namespace
} // namespace tracelet::test
