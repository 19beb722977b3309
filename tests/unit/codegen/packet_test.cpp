// Packet programs (codegen/packet.cpp): the bounds checks the compiler inserts, proved three
// ways: the IR compares each read's pointer with data_end before loading through it; every
// packet builtin and every header field width passes the kernel verifier (xdp and tc); and
// BPF_PROG_TEST_RUN on built packets reads the packet's last byte, gives 0 one byte past it,
// and finds TCP behind IPv4 options and behind a VLAN tag.
#include "codegen_fixture.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cstring>
#include <regex>
#include <vector>

namespace tracelet::testing {
namespace {

// ---- IR shape

TEST(PacketIr, EveryReadIsComparedWithDataEndFirst) {
  auto c = compile_source("xdp:lo { @a = tcp->dest; @b = tcp->window; }", /*real_kernel=*/true);
  ASSERT_TRUE(c);
  const std::string& ir = c->ir;
  EXPECT_NE(ir.find("section \"xdp\""), std::string::npos);
  // data and data_end come from struct xdp_md (offsets 0 and 4).
  EXPECT_NE(ir.find("%data = inttoptr"), std::string::npos) << ir;
  EXPECT_NE(ir.find("%data_end = inttoptr"), std::string::npos) << ir;
  // One asm barrier per packet pointer: the prologue's eth, vlan, ip, ip options, ip6 and tcp
  // checks, and the two field reads.
  std::regex barrier(R"(call i64 asm sideeffect "", "=r,0")");
  auto n = std::distance(std::sregex_iterator(ir.begin(), ir.end(), barrier), {});
  EXPECT_EQ(n, 8) << ir;
  // Each field load is in a block entered only when `pointer + size <= data_end`.
  std::regex check(R"(icmp u(gt|le) i8\* %[0-9a-z.]+, %data_end)");
  auto checks = std::distance(std::sregex_iterator(ir.begin(), ir.end(), check), {});
  EXPECT_GE(checks, 7) << ir;
}

TEST(PacketIr, UnusedHeadersCostNothing) {
  auto c = compile_source("xdp:lo { @ = pktlen; }", true);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->ir.find("asm sideeffect"), std::string::npos) << c->ir;
}

TEST(PacketIr, PassVerdictsAtTheEndAndOnAFalsePredicate) {
  auto x = compile_source("xdp:lo /udp/ { @ = count(); }", true);
  ASSERT_TRUE(x);
  EXPECT_NE(x->ir.find("ret i64 2"), std::string::npos) << x->ir; // XDP_PASS
  EXPECT_EQ(x->ir.find("ret i64 0"), std::string::npos) << x->ir; // never XDP_ABORTED
  auto t = compile_source("tc:lo:ingress /udp/ { @ = count(); }", true);
  ASSERT_TRUE(t);
  EXPECT_NE(t->ir.find("ret i64 -1"), std::string::npos) << t->ir; // TC_ACT_UNSPEC
  EXPECT_EQ(t->ir.find("ret i64 0"), std::string::npos) << t->ir;
}

// ---- verifier: every builtin and field width

struct Case {
  const char* name;
  const char* source;
};

const Case kVerifierCases[] = {
    {"eth_fields", R"(xdp:lo { @a = eth->h_proto; @b = ntohs(eth->h_proto);
         printf("%s %s %r\n", macaddr(eth->h_source), macaddr(eth->h_dest), buf(eth, 14)); })"},
    {"ip_every_width", R"(xdp:lo /ip/ { printf("%d %d %d %d %d %d %d %d %d %s %s\n", ip->ihl,
         ip->version, ip->tos, ntohs(ip->tot_len), ntohs(ip->id), ip->frag_off, ip->ttl,
         ip->protocol, ip->check, ntop(ip->saddr), ntop(ip->daddr)); })"},
    {"ip6_fields", R"(xdp:lo /ip6/ { printf("%d %d %d %d %s %s\n", ip6->version, ip6->priority,
         ntohs(ip6->payload_len), ip6->hop_limit, ntop(ip6->saddr), ntop(ip6->daddr));
         @n[ip6->nexthdr] = count(); })"},
    {"tcp_fields", R"(xdp:lo /tcp/ { printf("%d %d %u %u %d %d %d %d %d %d\n", ntohs(tcp->source),
         ntohs(tcp->dest), ntohl(tcp->seq), ntohl(tcp->ack_seq), tcp->doff, tcp->syn, tcp->ack,
         tcp->fin, ntohs(tcp->window), tcp->urg_ptr); })"},
    {"udp_fields", R"(xdp:lo /udp/ { @[ntohs(udp->source), ntohs(udp->dest)] = sum(ntohs(udp->len));
         @c = udp->check; })"},
    {"icmp_fields",
     R"(xdp:lo /icmp/ { @[icmp->type, icmp->code] = count(); @s = icmp->checksum; })"},
    {"icmp6_fields", R"(xdp:lo /icmp6/ { @[icmp6->icmp6_type, icmp6->icmp6_code] = count(); })"},
    {"scalars_xdp", R"(xdp:lo { @[ifindex] = hist(pktlen); })"},
    {"scalars_tc",
     R"(tc:lo:ingress { @[ifindex, mark, protocol] = lhist(pktlen, 0, 1500, 100); })"},
    {"tc_every_header", R"(tc:lo:egress { @e = eth->h_proto; @i = ip->saddr; @i6 = ip6->hop_limit;
         @t = tcp->dest; @u = udp->dest; @c = icmp->type; @c6 = icmp6->icmp6_type;
         printf("%r %s\n", buf(ip, 20), ntop(ip6->daddr)); })"},
    {"verdicts_xdp", R"(xdp:lo { if (tcp) { return XDP_PASS; } if (udp) { return XDP_DROP; }
         if (icmp) { return XDP_TX; } if (pktlen > 9000) { return XDP_ABORTED; } })"},
    {"verdicts_tc", R"(tc:lo:ingress { if (udp && ntohs(udp->dest) == 53) { return TC_ACT_SHOT; }
         return TC_ACT_OK; })"},
    {"pointer_variables", R"(xdp:lo { $h = ip; $t = tcp; if ($h && $t) {
         @[ntop($h->saddr), ntohs($t->dest)] = count(); } })"},
    {"pointer_as_value", R"(xdp:lo { @present[eth != 0, ip != 0, ip6 != 0, tcp != 0, udp != 0,
         icmp != 0, icmp6 != 0] = count(); })"},
    {"reads_in_loops", R"(xdp:lo { $i = 0; while ($i < 4) { @[$i] = ip->ttl + tcp->doff; $i++; }
         unroll(3) { @u = udp->len; } })"},
    {"two_interfaces_json_maps",
     R"(xdp:lo, xdp:lo:generic /ip/ { @[probe, ntop(ip->daddr)] = count();
         @s = stats(pktlen); })"},
    {"exit_and_printf", R"(xdp:lo /icmp && icmp->type == 8/ { printf("%s\n", ntop(ip->saddr));
         exit(); })"},
    {"constants",
     R"(xdp:lo /eth && ntohs(eth->h_proto) == ETH_P_IPV6 && ip6->nexthdr == IPPROTO_ICMPV6/
         { @ = count(); })"},
};

class PacketVerifier : public ::testing::TestWithParam<Case> {};

TEST_P(PacketVerifier, Loads) {
  std::string why = kernel_unavailable_reason();
  if (!why.empty()) GTEST_SKIP() << why;
  auto c = compile_source(GetParam().source, true);
  ASSERT_TRUE(c);
  EXPECT_EQ(load_into_kernel(c->program), "") << c->ir;
}

INSTANTIATE_TEST_SUITE_P(All, PacketVerifier, ::testing::ValuesIn(kVerifierCases),
                         [](const auto& info) { return std::string(info.param.name); });

// ---- BPF_PROG_TEST_RUN on built packets

// Loads the only program of `source` and runs it once on `packet`: its return value.
class TestRun {
public:
  explicit TestRun(const std::string& source) {
    auto c = compile_source(source, true);
    if (!c) return;
    obj_ = bpf_object__open_mem(c->program.elf.data(), c->program.elf.size(), nullptr);
    if (!obj_ || bpf_object__load(obj_) != 0) return;
    bpf_program* prog =
        bpf_object__find_program_by_name(obj_, c->program.programs[0].func_name.c_str());
    fd_ = prog ? bpf_program__fd(prog) : -1;
  }
  ~TestRun() { bpf_object__close(obj_); }
  bool ok() const { return fd_ >= 0; }
  uint32_t run(std::vector<uint8_t> packet) const {
    LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = packet.data(),
                .data_size_in = static_cast<uint32_t>(packet.size()), .repeat = 1);
    EXPECT_EQ(bpf_prog_test_run_opts(fd_, &opts), 0) << std::strerror(errno);
    return opts.retval;
  }

private:
  bpf_object* obj_ = nullptr;
  int fd_ = -1;
};

// Ethernet (IPv4 or a VLAN tag), IPv4 with `option_words` of options, TCP ports 0x1234 ->
// 0xabcd, urg_ptr 0x5a5b (the last two bytes).
std::vector<uint8_t> tcp_packet(int option_words, bool vlan = false) {
  std::vector<uint8_t> p(12, 0x02); // MACs
  if (vlan) p.insert(p.end(), {0x81, 0x00, 0x00, 0x07});
  p.insert(p.end(), {0x08, 0x00});
  uint8_t ihl = static_cast<uint8_t>(5 + option_words);
  std::vector<uint8_t> ip = {static_cast<uint8_t>(0x40 | ihl),
                             0,
                             0,
                             0,
                             0,
                             0,
                             0x40,
                             0,
                             64,
                             6,
                             0,
                             0,
                             10,
                             0,
                             0,
                             1,
                             10,
                             0,
                             0,
                             2};
  for (int i = 0; i < option_words * 4; ++i)
    ip.push_back(1); // NOP options
  p.insert(p.end(), ip.begin(), ip.end());
  std::vector<uint8_t> tcp = {0x12, 0x34, 0xab, 0xcd, 0,    0,    0, 1, 0,    0,
                              0,    0,    0x50, 0x02, 0xff, 0xff, 0, 0, 0x5a, 0x5b};
  p.insert(p.end(), tcp.begin(), tcp.end());
  return p;
}

class PacketTestRun : public ::testing::Test {
protected:
  void SetUp() override {
    std::string why = kernel_unavailable_reason();
    if (!why.empty()) GTEST_SKIP() << why;
  }
};

TEST_F(PacketTestRun, CtxIsTheSkBuffOrTheXdpMd) {
  std::vector<uint8_t> packet = tcp_packet(0);
  TestRun len("tc:lo:ingress { return ctx->len == pktlen ? ctx->len + 0x10000 : 1; }");
  ASSERT_TRUE(len.ok());
  EXPECT_EQ(len.run(packet), 0x10000u + packet.size());
  // BPF_PROG_TEST_RUN runs XDP on the loopback device's first queue.
  TestRun queue("xdp:lo { return ctx->rx_queue_index + 7; }");
  ASSERT_TRUE(queue.ok());
  EXPECT_EQ(queue.run(packet), 7u);
}

TEST_F(PacketTestRun, ReadsTheLastByteAndZeroOnePast) {
  // urg_ptr is the packet's last two bytes.
  TestRun last("xdp:lo { return ntohs(tcp->urg_ptr) + 0x10000; }");
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last.run(tcp_packet(0)), 0x15a5bu);
  // One byte short: the TCP header does not fit, the pointer is 0 and the read gives 0.
  auto cut = tcp_packet(0);
  cut.pop_back();
  EXPECT_EQ(last.run(cut), 0x10000u);
  TestRun present("xdp:lo { return tcp != 0 ? 7 : 9; }");
  ASSERT_TRUE(present.ok());
  EXPECT_EQ(present.run(tcp_packet(0)), 7u);
  EXPECT_EQ(present.run(cut), 9u);
}

TEST_F(PacketTestRun, TcpBehindIpOptionsAndVlan) {
  TestRun dest("xdp:lo { return ntohs(tcp->dest); }");
  ASSERT_TRUE(dest.ok());
  EXPECT_EQ(dest.run(tcp_packet(0)), 0xabcdu);
  EXPECT_EQ(dest.run(tcp_packet(2)), 0xabcdu);       // 8 bytes of options (ihl 7)
  EXPECT_EQ(dest.run(tcp_packet(10)), 0xabcdu);      // the most options (ihl 15)
  EXPECT_EQ(dest.run(tcp_packet(3, true)), 0xabcdu); // behind an 802.1Q tag
  // Options cut short: no whole IPv4 header, so neither ip nor tcp.
  auto cut = tcp_packet(4);
  cut.resize(14 + 20 + 8);
  TestRun ip_there("xdp:lo { return (ip != 0) * 2 + (tcp != 0); }");
  ASSERT_TRUE(ip_there.ok());
  EXPECT_EQ(ip_there.run(cut), 0u);
  EXPECT_EQ(ip_there.run(tcp_packet(4)), 3u);
  // A read inside the options: the byte after the fixed header.
  TestRun option("xdp:lo { return ip->ihl * 100 + ip->protocol; }");
  ASSERT_TRUE(option.ok());
  EXPECT_EQ(option.run(tcp_packet(4)), 906u);
}

TEST_F(PacketTestRun, VerdictsAndPass) {
  TestRun drop("xdp:lo /tcp && ntohs(tcp->dest) == 0xabcd/ { return XDP_DROP; }");
  ASSERT_TRUE(drop.ok());
  EXPECT_EQ(drop.run(tcp_packet(0)), 1u); // XDP_DROP
  auto other = tcp_packet(0);
  other[14 + 20 + 3] = 0xce;
  EXPECT_EQ(drop.run(other), 2u); // a false predicate passes: XDP_PASS
  TestRun observe("xdp:lo { @ = count(); }");
  ASSERT_TRUE(observe.ok());
  EXPECT_EQ(observe.run(tcp_packet(0)), 2u);
  // tc programs run on an skb: same headers, the pass verdict is TC_ACT_UNSPEC (-1).
  TestRun tc("tc:lo:ingress /tcp/ { return ntohs(tcp->source); }");
  ASSERT_TRUE(tc.ok());
  EXPECT_EQ(tc.run(tcp_packet(1)), 0x1234u);
  TestRun tc_pass("tc:lo:ingress /udp/ { return TC_ACT_SHOT; }");
  ASSERT_TRUE(tc_pass.ok());
  EXPECT_EQ(tc_pass.run(tcp_packet(0)), 0xffffffffu);
}

} // namespace
} // namespace tracelet::testing
