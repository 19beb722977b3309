// Packet probes (xdp, tc) in the semantic passes: attach point shapes, positional interfaces,
// the types of the packet builtins, and every located error of the packet vocabulary.
// Header records come from this machine's kernel BTF (the tests skip without it).
#include "semantic_fixture.h"

#include <gtest/gtest.h>

namespace tracelet::test {
namespace {

// The header records come from the kernel's BTF.
using PacketProbes = BtfSemanticTest;

TEST_F(PacketProbes, AttachPointsResolve) {
  auto a = run("xdp:lo { } xdp:eth0:native { } xdp:veth1:generic { } tc:lo:ingress { } "
               "tc:lo:egress { }");
  ASSERT_TRUE(a->ok) << a->errors();
  const auto& p = a->program->probes;
  EXPECT_EQ(p[0]->expanded[0]->name(), "xdp:lo");
  EXPECT_EQ(p[1]->expanded[0]->func, "native");
  EXPECT_EQ(p[2]->expanded[0]->target, "veth1");
  EXPECT_EQ(p[4]->expanded[0]->name(), "tc:lo:egress");
}

TEST_F(PacketProbes, InterfaceFromPositionalParameterAndSeveralInterfaces) {
  auto a = run("xdp:$1, xdp:$2 { @[ifindex] = count(); }", {"veth0", "veth1"});
  ASSERT_TRUE(a->ok) << a->errors();
  const auto& e = a->program->probes[0]->expanded;
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0]->name(), "xdp:veth0");
  EXPECT_EQ(e[1]->name(), "xdp:veth1");
}

TEST_F(PacketProbes, HeaderTypesFromBtf) {
  auto a = run("tc:lo:ingress { @a = eth->h_proto; @b = ip->saddr; @c = ip6->nexthdr; "
               "@d = tcp->dest; @e = udp->len; @f = icmp->type; @g = icmp6->icmp6_type; "
               "@h = pktlen; @i = ifindex; @j = mark; @k = protocol; @l = ntohs(tcp->dest); "
               "@m = ntohl(ip->saddr); @n = htons(1); @o = htonl(1); @p = ip->ihl; "
               "@q = ETH_P_IPV6; @r = IPPROTO_ICMPV6; return TC_ACT_OK; }");
  ASSERT_TRUE(a->ok) << a->errors();
  EXPECT_EQ(a->type_of("eth"), "struct ethhdr *");
  EXPECT_EQ(a->type_of("ip"), "struct iphdr *");
  EXPECT_EQ(a->type_of("ip6"), "struct ipv6hdr *");
  EXPECT_EQ(a->type_of("tcp"), "struct tcphdr *");
  EXPECT_EQ(a->type_of("udp"), "struct udphdr *");
  EXPECT_EQ(a->type_of("icmp"), "struct icmphdr *");
  EXPECT_EQ(a->type_of("icmp6"), "struct icmp6hdr *");
  EXPECT_EQ(a->type_of("ip->saddr"), "uint32");
  EXPECT_EQ(a->type_of("tcp->dest"), "uint16");
  EXPECT_EQ(a->type_of("pktlen"), "uint32");
  EXPECT_EQ(a->type_of("mark"), "uint32");
  EXPECT_EQ(a->type_of("ntohs(tcp->dest)"), "uint16");
  EXPECT_EQ(a->type_of("ntohl(ip->saddr)"), "uint32");
  EXPECT_EQ(a->type_of("ip->ihl"), "uint8");
  EXPECT_EQ(a->type_of("ETH_P_IPV6"), "int64");
}

using PacketErrors = BtfSemanticErrors;

TEST_P(PacketErrors, ReportedExactly) {
  expect_reported_exactly();
}

const SemanticErrorCase kErrors[] = {
    // A verdict in a non-packet probe.
    {"tracepoint:syscalls:sys_enter_read { return XDP_DROP; }",
     "stdin:1:45: error: XDP_DROP is an xdp verdict: it means something only in xdp probes\n"
     "tracepoint:syscalls:sys_enter_read { return XDP_DROP; }\n"
     "                                            ^~~~~~~~\n"},
    {"BEGIN { return TC_ACT_SHOT; }",
     "stdin:1:16: error: TC_ACT_SHOT is a tc verdict: it means something only in tc probes\n"
     "BEGIN { return TC_ACT_SHOT; }\n"
     "               ^~~~~~~~~~~\n"},
    // A tc verdict in an xdp probe, and the other way round.
    {"xdp:lo { return TC_ACT_SHOT; }",
     "stdin:1:17: error: TC_ACT_SHOT is a tc verdict; an xdp probe returns one of XDP_ABORTED, "
     "XDP_DROP, XDP_PASS, XDP_REDIRECT, XDP_TX\n"
     "xdp:lo { return TC_ACT_SHOT; }\n"
     "                ^~~~~~~~~~~\n"},
    {"tc:lo:egress { return XDP_DROP; }",
     "stdin:1:23: error: XDP_DROP is an xdp verdict; a tc probe returns one of TC_ACT_OK, "
     "TC_ACT_PIPE, TC_ACT_RECLASSIFY, TC_ACT_REDIRECT, TC_ACT_SHOT, TC_ACT_STOLEN, "
     "TC_ACT_UNSPEC\n"
     "tc:lo:egress { return XDP_DROP; }\n"
     "                      ^~~~~~~~\n"},
    // Process builtins mean nothing on a packet.
    {"xdp:lo { @[comm] = count(); }",
     "stdin:1:12: error: comm means nothing in packet context: an xdp program runs for a packet, "
     "not in a process or a kernel call\n"
     "xdp:lo { @[comm] = count(); }\n"
     "           ^~~~\n"},
    {"tc:lo:ingress { printf(\"%d %d\\n\", pid, uid); }",
     "stdin:1:35: error: pid means nothing in packet context: a tc program runs for a packet, "
     "not in a process or a kernel call\n"
     "tc:lo:ingress { printf(\"%d %d\\n\", pid, uid); }\n"
     "                                  ^~~\n"
     "stdin:1:40: error: uid means nothing in packet context: a tc program runs for a packet, "
     "not in a process or a kernel call\n"
     "tc:lo:ingress { printf(\"%d %d\\n\", pid, uid); }\n"
     "                                       ^~~\n"},
    {"xdp:lo { @ = curtask; @s[kstack] = count(); @u[ustack] = count(); @c = cgroup; "
     "@t = tid; }",
     "stdin:1:14: error: curtask means nothing in packet context: an xdp program runs for a "
     "packet, not in a process or a kernel call\n"
     "xdp:lo { @ = curtask; @s[kstack] = count(); @u[ustack] = count(); @c = cgroup; @t = tid; }\n"
     "             ^~~~~~~\n"
     "stdin:1:26: error: kstack means nothing in packet context: an xdp program runs for a "
     "packet, not in a process or a kernel call\n"
     "xdp:lo { @ = curtask; @s[kstack] = count(); @u[ustack] = count(); @c = cgroup; @t = tid; }\n"
     "                         ^~~~~~\n"
     "stdin:1:48: error: ustack means nothing in packet context: an xdp program runs for a "
     "packet, not in a process or a kernel call\n"
     "xdp:lo { @ = curtask; @s[kstack] = count(); @u[ustack] = count(); @c = cgroup; @t = tid; }\n"
     "                                               ^~~~~~\n"
     "stdin:1:72: error: cgroup means nothing in packet context: an xdp program runs for a "
     "packet, not in a process or a kernel call\n"
     "xdp:lo { @ = curtask; @s[kstack] = count(); @u[ustack] = count(); @c = cgroup; @t = tid; }\n"
     "                                                                       ^~~~~~\n"
     "stdin:1:85: error: tid means nothing in packet context: an xdp program runs for a packet, "
     "not in a process or a kernel call\n"
     "xdp:lo { @ = curtask; @s[kstack] = count(); @u[ustack] = count(); @c = cgroup; @t = tid; }\n"
     "                                                                                    ^~~\n"},
    // Packet builtins outside packet probes; skb fields in xdp.
    {"BEGIN { @ = ip; }", "stdin:1:13: error: ip is only available in xdp and tc probes\n"
                          "BEGIN { @ = ip; }\n"
                          "            ^~\n"},
    {"xdp:lo { @ = mark; }",
     "stdin:1:14: error: mark is only available in tc probes (an xdp packet has no skb)\n"
     "xdp:lo { @ = mark; }\n"
     "             ^~~~\n"},
    // Attach point shapes.
    {"xdp:lo:fast { }", "stdin:1:1: error: xdp mode must be native or generic, not 'fast'\n"
                        "xdp:lo:fast { }\n"
                        "^~~~~~~~~~~\n"},
    {"tc:lo { }",
     "stdin:1:1: error: tc probe takes the form 'tc:<interface>:ingress|egress', not 'tc:lo'\n"
     "tc:lo { }\n"
     "^~~~~\n"},
    {"tc:lo:both { }", "stdin:1:1: error: tc direction must be ingress or egress, not 'both'\n"
                       "tc:lo:both { }\n"
                       "^~~~~~~~~~\n"},
    {"xdp:veth* { }",
     "stdin:1:1: error: an interface name cannot hold wildcards ('veth*'); list the interfaces "
     "with -l 'xdp:*'\n"
     "xdp:veth* { }\n"
     "^~~~~~~~~\n"},
    {"xdp:$1 { }",
     "stdin:1:1: error: attach point xdp:$1 uses $1, but no positional parameter $1 is given\n"
     "xdp:$1 { }\n"
     "^~~~~~\n"},
    // Reads the compiler cannot bounds-check as fields.
    {"xdp:lo { $h = *ip; }",
     "stdin:1:15: error: read packet headers through their fields (ip->saddr), not as a whole\n"
     "xdp:lo { $h = *ip; }\n"
     "              ^~~\n"},
    {"xdp:lo { $p = ip + 1; }",
     "stdin:1:18: error: no arithmetic on packet header pointers: the compiler locates each "
     "header (eth, ip, ip6, tcp, udp, icmp, icmp6) itself\n"
     "xdp:lo { $p = ip + 1; }\n"
     "                 ^\n"},
    {"xdp:lo { printf(\"%s\\n\", str(eth)); }",
     "stdin:1:29: error: str() cannot read through a packet header pointer; read its fields "
     "(str(p->field)) or use buf(p, n)\n"
     "xdp:lo { printf(\"%s\\n\", str(eth)); }\n"
     "                            ^~~\n"},
    {"xdp:lo { return ip->saddr > 0 ? \"a\" : \"b\"; }",
     "stdin:1:17: error: return needs an integer, not string[2]\n"
     "xdp:lo { return ip->saddr > 0 ? \"a\" : \"b\"; }\n"
     "                ^~~~~~~~~~~~~~~~~~~~~~~~~\n"},
};

INSTANTIATE_TEST_SUITE_P(All, PacketErrors, ::testing::ValuesIn(kErrors));

} // namespace
} // namespace tracelet::test
