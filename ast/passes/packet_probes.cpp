// Packet programs (xdp, tc): their attach points, the packet builtins (header pointers typed
// from the kernel's BTF, pktlen, ifindex, mark, protocol), byte-order functions, named
// constants, verdicts, and the builtins that mean nothing on a packet.
//
//   xdp:IFACE[:native|generic]    tc:IFACE:ingress|egress    IFACE may be $N
//
// Header pointers are in AddrSpace::Packet: their value is the header's offset + 1 (0 when the
// packet has no such header) and codegen/packet.cpp bounds-checks every field read. Only field
// reads are allowed through them (check_packet_reads), so every program that type-checks
// passes the verifier.
#include "ast/passes/type_inference.h"

#include <algorithm>
#include <map>

namespace tracelet::ast::passes {

namespace {

bool has_wildcard(const std::string& s) {
  return s.find_first_of("*?") != std::string::npos;
}

// Header builtin -> its kernel struct.
const std::map<std::string, std::string>& header_records() {
  static const std::map<std::string, std::string> table = {
      {"eth", "struct ethhdr"},     {"ip", "struct iphdr"},   {"ip6", "struct ipv6hdr"},
      {"tcp", "struct tcphdr"},     {"udp", "struct udphdr"}, {"icmp", "struct icmphdr"},
      {"icmp6", "struct icmp6hdr"},
  };
  return table;
}

// Constants of the packet vocabulary, usable in every probe (uapi #defines that BTF lacks).
const std::map<std::string, int64_t>& packet_constants() {
  static const std::map<std::string, int64_t> table = {
      {"ETH_P_IP", 0x0800},    {"ETH_P_IPV6", 0x86DD},   {"ETH_P_ARP", 0x0806},
      {"ETH_P_8021Q", 0x8100}, {"ETH_P_8021AD", 0x88A8}, {"IPPROTO_IP", 0},
      {"IPPROTO_ICMP", 1},     {"IPPROTO_IGMP", 2},      {"IPPROTO_TCP", 6},
      {"IPPROTO_UDP", 17},     {"IPPROTO_IPV6", 41},     {"IPPROTO_GRE", 47},
      {"IPPROTO_ESP", 50},     {"IPPROTO_AH", 51},       {"IPPROTO_ICMPV6", 58},
      {"IPPROTO_SCTP", 132},   {"IPPROTO_UDPLITE", 136}, {"IPPROTO_RAW", 255},
  };
  return table;
}

const std::map<std::string, int64_t>& xdp_verdicts() {
  static const std::map<std::string, int64_t> table = {
      {"XDP_ABORTED", 0}, {"XDP_DROP", 1}, {"XDP_PASS", 2}, {"XDP_TX", 3}, {"XDP_REDIRECT", 4},
  };
  return table;
}

const std::map<std::string, int64_t>& tc_verdicts() {
  static const std::map<std::string, int64_t> table = {
      {"TC_ACT_UNSPEC", -1}, {"TC_ACT_OK", 0},     {"TC_ACT_RECLASSIFY", 1}, {"TC_ACT_SHOT", 2},
      {"TC_ACT_PIPE", 3},    {"TC_ACT_STOLEN", 4}, {"TC_ACT_REDIRECT", 7},
  };
  return table;
}

// Builtins about the current process or kernel call: a packet has none of them.
bool is_process_builtin(const std::string& name) {
  static const std::vector<std::string> names = {
      "comm",   "pid",  "tid",      "uid",  "gid",  "curtask", "kstack", "ustack", "cgroup", "args",
      "retval", "func", "username", "arg0", "arg1", "arg2",    "arg3",   "arg4",   "arg5",
  };
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool is_packet_provider(const std::string& p) {
  return p == "xdp" || p == "tc";
}

std::string verdict_list(const std::map<std::string, int64_t>& table) {
  std::string s;
  for (const auto& [name, value] : table)
    s += (s.empty() ? "" : ", ") + name;
  return s;
}

} // namespace

void packet_attach_point(AttachPoint& ap, Diagnostics& diags) {
  const auto& parts = ap.parts;
  bool xdp = ap.provider == "xdp";
  std::string usage = xdp ? "xdp:<interface>[:native|generic]" : "tc:<interface>:ingress|egress";
  bool shape_ok = xdp ? parts.size() == 2 || parts.size() == 3 : parts.size() == 3;
  for (size_t i = 1; shape_ok && i < parts.size(); ++i)
    shape_ok = !parts[i].empty();
  if (!shape_ok) {
    diags.error(ap.loc,
                ap.provider + " probe takes the form '" + usage + "', not '" + ap.raw + "'");
    return;
  }
  ap.target = parts[1];
  if (has_wildcard(ap.target)) {
    diags.error(ap.loc, "an interface name cannot hold wildcards ('" + ap.target +
                            "'); list the interfaces with -l '" + ap.provider + ":*'");
    return;
  }
  if (parts.size() == 3) ap.func = parts[2];
  if (xdp && !ap.func.empty() && ap.func != "native" && ap.func != "generic")
    diags.error(ap.loc, "xdp mode must be native or generic, not '" + ap.func + "'");
  if (!xdp && ap.func != "ingress" && ap.func != "egress")
    diags.error(ap.loc, "tc direction must be ingress or egress, not '" + ap.func + "'");
}

void resolve_packet_interfaces(Program& program, Diagnostics& diags,
                               const SemanticOptions& options) {
  for (auto& probe : program.probes)
    for (auto& ap : probe->attach_points) {
      if (!is_packet_provider(ap->provider) || ap->target.size() < 2 || ap->target[0] != '$')
        continue;
      const std::string digits = ap->target.substr(1);
      bool numeric =
          std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
      size_t index = numeric ? std::stoul(digits) : 0;
      if (index == 0 || index > options.positional_params.size() ||
          options.positional_params[index - 1].empty()) {
        diags.error(ap->loc, ap->provider + " interface " + ap->target +
                                 (numeric ? ": no positional parameter " + ap->target + " given"
                                          : ": not a positional parameter"));
        ap->provider.clear();
        continue;
      }
      ap->target = options.positional_params[index - 1];
    }
}

// Types the packet vocabulary; false if `n` is none of it (other builtins go on as usual).
bool TypeInference::type_packet_builtin(Builtin& n) {
  bool packet = !probe_.providers.empty() &&
                std::all_of(probe_.providers.begin(), probe_.providers.end(), is_packet_provider);
  bool all_tc = packet && probe_.only("tc");
  bool all_xdp = packet && probe_.only("xdp");
  if (auto c = packet_constants().find(n.name); c != packet_constants().end()) {
    n.constant = c->second;
    n.type = Type::i64();
    return true;
  }
  const auto& xdp = xdp_verdicts();
  const auto& tc = tc_verdicts();
  bool is_xdp_verdict = xdp.count(n.name) > 0, is_tc_verdict = tc.count(n.name) > 0;
  if (is_xdp_verdict || is_tc_verdict) {
    n.type = Type::none();
    if (probe_.unresolved) return true;
    if (is_xdp_verdict && !all_xdp)
      diags_.error(n.loc, n.name + " is an xdp verdict" +
                              (packet ? "; a tc probe returns one of " + verdict_list(tc)
                                      : ": it means something only in xdp probes"));
    else if (is_tc_verdict && !all_tc)
      diags_.error(n.loc, n.name + " is a tc verdict" +
                              (packet ? "; an xdp probe returns one of " + verdict_list(xdp)
                                      : ": it means something only in tc probes"));
    else {
      n.constant = (is_xdp_verdict ? xdp : tc).at(n.name);
      n.type = Type::i64();
    }
    return true;
  }
  auto header = header_records().find(n.name);
  bool scalar = n.name == "pktlen" || n.name == "ifindex";
  bool tc_scalar = n.name == "mark" || n.name == "protocol";
  if (header == header_records().end() && !scalar && !tc_scalar) {
    if (packet && is_process_builtin(n.name)) {
      n.type = Type::none();
      diags_.error(n.loc, n.name +
                              " means nothing in packet context: " + (all_tc ? "a tc" : "an xdp") +
                              " program runs for a packet, not in a process or a kernel call");
      return true;
    }
    return false;
  }
  n.type = Type::none();
  if (probe_.unresolved) return true;
  if (!packet) {
    diags_.error(n.loc, n.name + " is only available in xdp and tc probes");
    return true;
  }
  if (tc_scalar && !all_tc) {
    diags_.error(n.loc, n.name + " is only available in tc probes (an xdp packet has no skb)");
    return true;
  }
  if (scalar || tc_scalar) {
    n.type = Type::integer(4, false);
    return true;
  }
  auto record = kernel_.kernel_record(header->second);
  if (!record) {
    diags_.error(n.loc,
                 n.name + " needs the kernel's BTF, and " + header->second + " is not in it");
    return true;
  }
  kept_records_.push_back(record);
  n.type = Type::pointer(Type::of_record(record, AddrSpace::Packet), AddrSpace::Packet);
  return true;
}

// ntohs/ntohl/htons/htonl(x): x converted to the width, bytes swapped (this is little-endian
// x86-64 and arm64); false if `n` is none of them.
bool TypeInference::type_byte_order_call(Call& n) {
  bool is16 = n.func == "ntohs" || n.func == "htons";
  bool is32 = n.func == "ntohl" || n.func == "htonl";
  if (!is16 && !is32) return false;
  for (auto& a : n.args)
    walk(a);
  n.type = Type::none();
  if (n.args.size() != 1) {
    diags_.error(n.loc, n.func + "() takes 1 argument, not " + std::to_string(n.args.size()));
    return true;
  }
  const Type& t = n.args[0]->type;
  if (t.is_none()) {
    report_missing_value(*n.args[0], diags_);
    return true;
  }
  if (!t.is_integer()) {
    diags_.error(n.args[0]->loc, n.func + "() needs an integer, not " + t.str());
    return true;
  }
  n.type = Type::integer(is16 ? 2 : 4, false);
  return true;
}

namespace {

bool is_packet_pointer(const Expr& e) {
  return e.type.kind == TypeKind::Pointer && e.type.as == AddrSpace::Packet;
}

class PacketReadCheck : public Visitor {
public:
  explicit PacketReadCheck(Diagnostics& diags) : diags_(diags) {}
  using Visitor::visit;

  void visit(Unary& n) override {
    Visitor::visit(n);
    if (n.op == UnaryOp::Deref && is_packet_pointer(*n.operand)) only_fields(n.loc);
  }
  void visit(Index& n) override {
    Visitor::visit(n);
    if (is_packet_pointer(*n.base)) only_fields(n.loc);
  }
  void visit(Binary& n) override {
    Visitor::visit(n);
    bool arithmetic = n.op != BinaryOp::Eq && n.op != BinaryOp::Ne &&
                      n.op != BinaryOp::LogicalAnd && n.op != BinaryOp::LogicalOr;
    if (arithmetic && (is_packet_pointer(*n.lhs) || is_packet_pointer(*n.rhs)))
      diags_.error(n.op_loc, "no arithmetic on packet header pointers: the compiler locates "
                             "each header (eth, ip, ip6, tcp, udp, icmp, icmp6) itself");
  }
  void visit(FieldAccess& n) override {
    Visitor::visit(n);
    // ip6->saddr.in6_u: a member of a record inside the packet.
    if (auto* inner = dynamic_cast<FieldAccess*>(n.base.get()))
      if (is_packet_pointer(*inner->base) && inner->type.kind == TypeKind::Record)
        diags_.error(n.loc, "read " + inner->field +
                                " as a whole (e.g. ntop(...)): members of "
                                "its members are not read from the packet");
  }
  void visit(Call& n) override {
    Visitor::visit(n);
    bool allowed = n.func == "buf";
    for (auto& a : n.args)
      if (is_packet_pointer(*a) && !allowed)
        diags_.error(a->loc, n.func +
                                 "() cannot read through a packet header pointer; read "
                                 "its fields (" +
                                 n.func + "(p->field)) or use buf(p, n)");
  }

private:
  void only_fields(const Location& loc) {
    diags_.error(loc, "read packet headers through their fields (ip->saddr), not as a whole");
  }
  Diagnostics& diags_;
};

} // namespace

void check_packet_reads(Program& program, Diagnostics& diags) {
  PacketReadCheck check(diags);
  for (auto& probe : program.probes) {
    bool packet = false;
    for (const auto& ap : probe->attach_points)
      packet |= is_packet_provider(ap->provider);
    if (packet) probe->accept(check);
  }
}

} // namespace tracelet::ast::passes
