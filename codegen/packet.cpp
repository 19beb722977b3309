// Packet programs (xdp, tc): where each header is, and reads that the compiler bounds-checks.
//
// At the program's entry the prologue loads data/data_end from the context and locates the
// headers the probe uses: ethernet at 0 (one 802.1Q/802.1ad tag skipped), IPv4 (its length
// from ihl; L4 only in a first fragment) or IPv6 (fixed 40 bytes, no extension headers) after
// it, then TCP, UDP, ICMP or ICMPv6. A header is present only if the whole header is inside
// the packet. Its builtin's value is its offset + 1, or 0 when absent (so `/icmp/` filters).
//
// Every read through a header pointer is `if (h && data + h - 1 + off + size <= data_end)
// load; else 0`, written so that the verifier sees a packet pointer compared with data_end
// before the load through that same pointer.
#include "codegen/emitter.h"
#include "codegen/located_error.h"

#include "ast/diagnostics.h"

#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/Intrinsics.h>

#include <algorithm>
#include <set>

namespace tracelet::codegen {

using ast::Type;
using ast::TypeKind;

namespace {

// struct xdp_md and struct __sk_buff (uapi/linux/bpf.h): the fields packet programs read.
constexpr uint64_t kXdpData = 0, kXdpDataEnd = 4, kXdpIngressIfindex = 12;
constexpr uint64_t kSkbLen = 0, kSkbMark = 8, kSkbProtocol = 16, kSkbIfindex = 40, kSkbData = 76,
                   kSkbDataEnd = 80;

// Header sizes (the kernel's structs; the same in every kernel's BTF).
constexpr uint64_t kEthLen = 14, kVlanLen = 4, kIpLen = 20, kIp6Len = 40, kTcpLen = 20, kUdpLen = 8,
                   kIcmpLen = 8;

// Values of the ethertype and of IPv4's frag_off as a little-endian load of their network-order
// bytes sees them.
constexpr uint64_t kEthPIpLoaded = 0x0008, kEthPIp6Loaded = 0xDD86, kEthP8021QLoaded = 0x0081,
                   kEthP8021ADLoaded = 0xA888, kFragOffsetMaskLoaded = 0xFF1F;

constexpr uint64_t kProtoIcmp = 1, kProtoTcp = 6, kProtoUdp = 17, kProtoIcmp6 = 58;

// BPF helpers for buf() of packet bytes: (ctx, offset, to, len).
constexpr uint64_t kHelperSkbLoadBytes = 26, kHelperXdpLoadBytes = 189;

bool is_header(const std::string& name) {
  return name == "eth" || name == "ip" || name == "ip6" || name == "tcp" || name == "udp" ||
         name == "icmp" || name == "icmp6";
}

// Which header builtins a probe reads.
class HeaderUses : public ast::Visitor {
public:
  using ast::Visitor::visit;
  void visit(ast::Builtin& n) override {
    if (is_header(n.name)) names.insert(n.name);
  }
  std::set<std::string> names;
};

uint64_t natural_align(uint64_t bytes) {
  uint64_t a = 1;
  while (a < bytes && a < 8)
    a *= 2;
  return a;
}

} // namespace

struct IrEmitter::PacketState {
  llvm::Value* data = nullptr;                 // i8*
  llvm::Value* data_end = nullptr;             // i8*
  llvm::Function* fn = nullptr;                // the program these values belong to
  std::map<std::string, llvm::Value*> headers; // i64 offset + 1, 0 if absent
};

bool IrEmitter::is_packet_program() const {
  return ap_ && (ap_->provider == "xdp" || ap_->provider == "tc");
}

llvm::Value* IrEmitter::pass_verdict() {
  // XDP_PASS; TC_ACT_UNSPEC (with tcx: go on to the next program, else the default action).
  if (ap_ && ap_->provider == "xdp") return i64c(2);
  if (ap_ && ap_->provider == "tc") return i64c(static_cast<uint64_t>(-1));
  return i64c(0);
}

llvm::Value* IrEmitter::packet_ptr(llvm::Value* offset) {
  // The offset goes through an empty inline asm (`$0 = $1`, kept apart by its side effect):
  // without it LLVM folds `h - 1 + field` into the load's displacement (a negative one, which
  // the verifier refuses), or shares one check among reads, or compares a pointer built
  // differently from the one it loads through. Both IR passes and the instruction selector
  // stop at the asm; it costs no instruction.
  auto* i64 = b_.getInt64Ty();
  auto* barrier = llvm::InlineAsm::get(llvm::FunctionType::get(i64, {i64}, false), "", "=r,0",
                                       /*hasSideEffects=*/true);
  auto* hidden = b_.CreateCall(barrier, {offset});
  return b_.CreateGEP(b_.getInt8Ty(), packet_->data, hidden);
}

llvm::Value* IrEmitter::packet_has(llvm::Value* offset, uint64_t bytes) {
  auto* end = b_.CreateGEP(b_.getInt8Ty(), packet_ptr(offset), i64c(bytes));
  return b_.CreateICmpULE(end, packet_->data_end);
}

std::vector<llvm::Value*>
IrEmitter::packet_guarded(llvm::Value* condition, llvm::Value* offset, uint64_t field,
                          uint64_t bytes,
                          const std::function<std::vector<llvm::Value*>(llvm::Value*)>& body) {
  auto* check = llvm::BasicBlock::Create(ctx_, "pkt_check", fn_);
  auto* in = llvm::BasicBlock::Create(ctx_, "pkt_in", fn_);
  auto* done = llvm::BasicBlock::Create(ctx_, "pkt_done", fn_);
  auto* start = b_.GetInsertBlock();
  if (condition)
    b_.CreateCondBr(condition, check, done);
  else
    b_.CreateBr(check);
  b_.SetInsertPoint(check);
  auto* base = packet_ptr(offset);
  auto* end = b_.CreateConstGEP1_64(b_.getInt8Ty(), base, field + bytes);
  b_.CreateCondBr(b_.CreateICmpULE(end, packet_->data_end), in, done);
  b_.SetInsertPoint(in);
  std::vector<llvm::Value*> values = body(b_.CreateConstGEP1_64(b_.getInt8Ty(), base, field));
  auto* in_end = b_.GetInsertBlock();
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  std::vector<llvm::Value*> merged;
  for (auto* v : values) {
    auto* phi = b_.CreatePHI(v->getType(), 3);
    auto* zero = llvm::Constant::getNullValue(v->getType());
    if (condition) phi->addIncoming(zero, start);
    phi->addIncoming(zero, check);
    phi->addIncoming(v, in_end);
    merged.push_back(phi);
  }
  return merged;
}

llvm::Value* IrEmitter::packet_load(llvm::Value* p, uint64_t offset, uint64_t bytes,
                                    uint64_t align) {
  auto* at = b_.CreateConstGEP1_64(b_.getInt8Ty(), p, offset);
  llvm::Type* ty = b_.getIntNTy(static_cast<unsigned>(bytes * 8));
  auto* typed = b_.CreatePointerCast(at, llvm::PointerType::get(ty, 0));
  return b_.CreateAlignedLoad(ty, typed, llvm::Align(align));
}

void IrEmitter::emit_packet_prologue(ast::Probe& probe) {
  packet_ = std::make_shared<PacketState>();
  packet_->fn = fn_;
  bool xdp = ap_->provider == "xdp";
  auto load_ctx_u32 = [&](uint64_t offset) {
    return b_.CreateZExt(load_scalar(b_.getInt32Ty(), byte_ptr(ctx_arg_, offset), 4),
                         b_.getInt64Ty());
  };
  packet_->data =
      b_.CreateIntToPtr(load_ctx_u32(xdp ? kXdpData : kSkbData), b_.getInt8PtrTy(), "data");
  packet_->data_end = b_.CreateIntToPtr(load_ctx_u32(xdp ? kXdpDataEnd : kSkbDataEnd),
                                        b_.getInt8PtrTy(), "data_end");
  HeaderUses uses;
  uses.walk(probe.predicate);
  probe.body.accept(uses);
  const auto& want = uses.names;
  if (want.empty()) return;
  auto wants = [&](const char* name) { return want.count(name) > 0; };
  bool want_l4 = wants("tcp") || wants("udp") || wants("icmp") || wants("icmp6");
  bool want_ip = wants("ip") || wants("tcp") || wants("udp") || wants("icmp");
  bool want_ip6 = wants("ip6") || wants("tcp") || wants("udp") || wants("icmp6");
  auto* zero = i64c(0);

  // Ethernet: the ethertype, after one VLAN tag if there is one.
  llvm::Value* proto = nullptr;
  llvm::Value* l3 = i64c(kEthLen);
  auto eth = packet_guarded(nullptr, zero, 0, kEthLen, [&](llvm::Value* p) {
    return std::vector<llvm::Value*>{packet_load(p, 12, 2, 2), b_.getTrue()};
  });
  proto = eth[0];
  packet_->headers["eth"] = b_.CreateSelect(eth[1], i64c(1), zero, "eth");
  if (!want_ip && !want_ip6) return;
  auto* tagged = b_.CreateOr(b_.CreateICmpEQ(proto, b_.getInt16(kEthP8021QLoaded)),
                             b_.CreateICmpEQ(proto, b_.getInt16(kEthP8021ADLoaded)));
  auto inner = packet_guarded(tagged, zero, 0, kEthLen + kVlanLen, [&](llvm::Value* p) {
    return std::vector<llvm::Value*>{packet_load(p, kEthLen + 2, 2, 2)};
  });
  proto = b_.CreateSelect(tagged, inner[0], proto, "ethertype");
  l3 = b_.CreateSelect(tagged, i64c(kEthLen + kVlanLen), i64c(kEthLen), "l3");

  llvm::Value* ip_present = b_.getFalse();
  llvm::Value* ip6_present = b_.getFalse();
  llvm::Value* l4 = zero;
  llvm::Value* l4proto = b_.getInt8(0);
  if (want_ip) {
    // IPv4: version 4, ihl >= 5, the whole header (options included) in the packet.
    auto is_ip = b_.CreateICmpEQ(proto, b_.getInt16(kEthPIpLoaded));
    auto v = packet_guarded(is_ip, l3, 0, kIpLen, [&](llvm::Value* p) {
      auto* b0 = packet_load(p, 0, 1, 1);
      auto* frag = packet_load(p, 6, 2, 2);
      auto* protocol = packet_load(p, 9, 1, 1);
      auto* ihl = b_.CreateZExt(b_.CreateAnd(b0, 0x0f), b_.getInt64Ty());
      auto* ok = b_.CreateAnd(b_.CreateICmpEQ(b_.CreateLShr(b0, 4), b_.getInt8(4)),
                              b_.CreateICmpUGE(ihl, i64c(5)));
      auto* first_fragment =
          b_.CreateICmpEQ(b_.CreateAnd(frag, kFragOffsetMaskLoaded), b_.getInt16(0));
      return std::vector<llvm::Value*>{ok, b_.CreateShl(ihl, 2), protocol, first_fragment};
    });
    auto* header_len = v[1];
    // The options too: data + l3 + ihl * 4 <= data_end.
    ip_present = b_.CreateAnd(v[0], packet_has(b_.CreateAdd(l3, header_len), 0), "ip_present");
    packet_->headers["ip"] = b_.CreateSelect(ip_present, b_.CreateAdd(l3, i64c(1)), zero, "ip");
    l4 = b_.CreateSelect(ip_present, b_.CreateAdd(l3, header_len), zero);
    l4proto = b_.CreateSelect(b_.CreateAnd(ip_present, v[3]), v[2], b_.getInt8(0));
  }
  if (want_ip6) {
    auto* is_ip6 = b_.CreateICmpEQ(proto, b_.getInt16(kEthPIp6Loaded));
    auto v = packet_guarded(is_ip6, l3, 0, kIp6Len, [&](llvm::Value* p) {
      auto* b0 = packet_load(p, 0, 1, 1);
      auto* ok = b_.CreateICmpEQ(b_.CreateLShr(b0, 4), b_.getInt8(6));
      return std::vector<llvm::Value*>{ok, packet_load(p, 6, 1, 1)};
    });
    ip6_present = v[0];
    packet_->headers["ip6"] = b_.CreateSelect(ip6_present, b_.CreateAdd(l3, i64c(1)), zero, "ip6");
    l4 = b_.CreateSelect(ip6_present, b_.CreateAdd(l3, i64c(kIp6Len)), l4);
    l4proto = b_.CreateSelect(ip6_present, v[1], l4proto);
  }
  if (!want_l4) return;
  auto l4_header = [&](const char* name, llvm::Value* family, uint64_t protocol, uint64_t bytes) {
    if (!wants(name)) return;
    auto* match = b_.CreateAnd(family, b_.CreateICmpEQ(l4proto, b_.getInt8(protocol)));
    auto present = packet_guarded(
        match, l4, 0, bytes, [&](llvm::Value*) { return std::vector<llvm::Value*>{b_.getTrue()}; });
    packet_->headers[name] = b_.CreateSelect(present[0], b_.CreateAdd(l4, i64c(1)), zero, name);
  };
  auto* either = b_.CreateOr(ip_present, ip6_present);
  l4_header("tcp", either, kProtoTcp, kTcpLen);
  l4_header("udp", either, kProtoUdp, kUdpLen);
  l4_header("icmp", ip_present, kProtoIcmp, kIcmpLen);
  l4_header("icmp6", ip6_present, kProtoIcmp6, kIcmpLen);
}

llvm::Value* IrEmitter::emit_packet_builtin(ast::Builtin& b) {
  if (!is_packet_program() || b.constant) return nullptr;
  const std::string& n = b.name;
  bool xdp = ap_->provider == "xdp";
  if (is_header(n)) {
    if (!packet_ || packet_->fn != fn_)
      fail_at(b, n + " cannot be read inside a for loop's body (a separate BPF function)");
    return packet_->headers.at(n);
  }
  auto ctx_u32 = [&](uint64_t offset) {
    return b_.CreateZExt(load_scalar(b_.getInt32Ty(), byte_ptr(ctx_arg_, offset), 4),
                         b_.getInt64Ty());
  };
  if (n == "pktlen") {
    if (!xdp) return ctx_u32(kSkbLen);
    if (!packet_ || packet_->fn != fn_)
      fail_at(b, "pktlen cannot be read inside a for loop's body");
    auto* data = b_.CreatePtrToInt(packet_->data, b_.getInt64Ty());
    auto* end = b_.CreatePtrToInt(packet_->data_end, b_.getInt64Ty());
    return b_.CreateSub(end, data);
  }
  if (n == "ifindex") return ctx_u32(xdp ? kXdpIngressIfindex : kSkbIfindex);
  if (n == "mark" && !xdp) return ctx_u32(kSkbMark);
  if (n == "protocol" && !xdp) return ctx_u32(kSkbProtocol);
  return nullptr;
}

bool IrEmitter::is_packet_field(ast::FieldAccess& f) const {
  return f.base->type.kind == TypeKind::Pointer && f.base->type.as == ast::AddrSpace::Packet;
}

// The field of `f` inside the packet: its offset from the packet start (i64), or the
// handle's absence; calls `read(p)` with a pointer checked for `bytes` bytes.
std::vector<llvm::Value*>
IrEmitter::packet_field_read(ast::FieldAccess& f, uint64_t bytes,
                             const std::function<std::vector<llvm::Value*>(llvm::Value*)>& read) {
  if (!packet_ || packet_->fn != fn_)
    fail_at(f, "packet headers cannot be read inside a for loop's body (a separate BPF function)");
  const Type& base = f.base->type;
  const ast::Field* field =
      base.pointee && base.pointee->record ? base.pointee->record->find(f.field) : nullptr;
  if (!field) throw Error("internal error: no field " + f.field + " in a packet header");
  auto* handle = widen(emit_scalar(*f.base), base);
  auto* present = b_.CreateICmpNE(handle, i64c(0));
  auto* start = b_.CreateSub(handle, i64c(1)); // the header's offset
  return packet_guarded(present, start, field->offset, bytes, read);
}

llvm::Value* IrEmitter::emit_packet_field_scalar(ast::FieldAccess& f) {
  const ast::Field* field = f.base->type.pointee->record->find(f.field);
  uint64_t bytes = field->type->size();
  if (bytes == 0 || bytes > 8) fail_at(f, "cannot read " + f.field + " as a number");
  uint64_t align = natural_align(bytes);
  auto v = packet_field_read(f, bytes, [&](llvm::Value* p) {
    return std::vector<llvm::Value*>{packet_load(p, 0, bytes, align)};
  });
  llvm::Value* raw = v[0];
  if (field->bitfield_bits) {
    raw = b_.CreateLShr(raw, field->bitfield_shift);
    raw = b_.CreateAnd(raw, (uint64_t(1) << field->bitfield_bits) - 1);
  }
  const Type& as_read = field->type->is_integer() ? *field->type : f.type;
  return convert_int(raw, as_read, f.type);
}

void IrEmitter::emit_packet_field_into(ast::FieldAccess& f, const Type& dst_type,
                                       llvm::Value* dst) {
  // Arrays (h_source) and records (in6_addr) by value: copied whole, or zeros if the packet
  // ends before them.
  const ast::Field* field = f.base->type.pointee->record->find(f.field);
  uint64_t bytes = std::min(field->type->size(), dst_type.size());
  zero_bytes(dst, dst_type.size());
  uint64_t align = std::min<uint64_t>(field->type->align(), 8);
  packet_field_read(f, bytes, [&](llvm::Value* p) {
    b_.CreateMemCpy(byte_ptr(dst, 0), llvm::MaybeAlign(known_align(dst)), p,
                    llvm::MaybeAlign(std::max<uint64_t>(align, 1)), bytes);
    return std::vector<llvm::Value*>{};
  });
}

// buf(p, n) of a header pointer: `length` bytes (at most the capacity) from the header on,
// fewer when the packet ends sooner (the length byte says how many).
void IrEmitter::emit_packet_buf(ast::Expr& src, llvm::Value* length, llvm::Value* dst) {
  if (!packet_ || packet_->fn != fn_)
    fail_at(src,
            "packet headers cannot be read inside a for loop's body (a separate BPF function)");
  auto* handle = widen(emit_scalar(src), src.type);
  auto* present = b_.CreateICmpNE(handle, i64c(0));
  auto* offset = b_.CreateSelect(present, b_.CreateSub(handle, i64c(1)), i64c(0));
  auto* data = b_.CreatePtrToInt(packet_->data, b_.getInt64Ty());
  auto* end = b_.CreatePtrToInt(packet_->data_end, b_.getInt64Ty());
  auto* left = b_.CreateSub(b_.CreateSub(end, data), offset);
  left = b_.CreateSelect(b_.CreateICmpSGT(left, i64c(0)), left, i64c(0));
  auto* n = b_.CreateSelect(b_.CreateICmpULT(left, length), left, length);
  n = b_.CreateSelect(present, n, i64c(0));
  store_scalar(b_.CreateTrunc(n, b_.getInt8Ty()), dst);
  auto* copy = llvm::BasicBlock::Create(ctx_, "buf_copy", fn_);
  auto* done = llvm::BasicBlock::Create(ctx_, "buf_done", fn_);
  b_.CreateCondBr(b_.CreateICmpNE(n, i64c(0)), copy, done);
  b_.SetInsertPoint(copy);
  bool xdp = ap_->provider == "xdp";
  auto* i32 = b_.getInt32Ty();
  auto* fn_type = llvm::FunctionType::get(b_.getInt64Ty(),
                                          {b_.getInt8PtrTy(), i32, b_.getInt8PtrTy(), i32}, false);
  auto* callee = b_.CreateIntToPtr(i64c(xdp ? kHelperXdpLoadBytes : kHelperSkbLoadBytes),
                                   llvm::PointerType::get(fn_type, 0));
  b_.CreateCall(fn_type, callee,
                {ctx_arg_, b_.CreateTrunc(offset, i32), byte_ptr(dst, 1), b_.CreateTrunc(n, i32)});
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

llvm::Value* IrEmitter::emit_byte_order(ast::Call& c) {
  bool is16 = c.func == "ntohs" || c.func == "htons";
  bool is32 = c.func == "ntohl" || c.func == "htonl";
  if (!is16 && !is32) return nullptr;
  ast::Expr& v = *c.args[0];
  auto* value = convert_int(emit_scalar(v), v.type, c.type);
  return b_.CreateUnaryIntrinsic(llvm::Intrinsic::bswap, value);
}

} // namespace tracelet::codegen
