// bpftrace's value functions on addresses, bytes and strings, typed as in bpftrace 0.17:
//   ntop([af,] addr)        inet: addr an integer (IPv4) or 4/16 bytes (uint8[4], in6_addr...)
//   pton("addr")            uint8[4] or uint8[16], a constant
//   bswap(int)              the unsigned integer of the same width, bytes reversed
//   buf(p [, n])            buffer: n bytes (at most 64) read from p, printed with %r
//   strncmp(a, b, n)        uint64: 0 if the first n characters are equal, else 1
//   strcontains(h, needle)  uint64: 1 if needle occurs in h, else 0
//   macaddr(p)              macaddr: 6 bytes read from p (a pointer, an address or an array)
#include "ast/inet.h"
#include "ast/integer_literal.h"
#include "ast/passes/type_inference.h"

namespace tracelet::ast::passes {

namespace {

// Bytes held by value (an array or a string) rather than pointed to.
bool is_byte_value(const Type& t) {
  return t.kind == TypeKind::Array || t.is_string();
}

} // namespace

bool is_byte_function(const std::string& name) {
  return name == "ntop" || name == "pton" || name == "bswap" || name == "buf" ||
         name == "strncmp" || name == "strcontains" || name == "macaddr";
}

void TypeInference::type_byte_function(Call& n) {
  if (n.func == "pton") {
    auto* lit = dynamic_cast<String*>(n.args[0].get());
    if (!lit) {
      walk(n.args[0]);
      diags_.error(n.args[0]->loc, "pton() needs a string literal address");
      return;
    }
    walk(n.args[0]);
    auto bytes = parse_inet_literal(lit->value);
    if (!bytes) {
      diags_.error(n.args[0]->loc,
                   "pton() needs a valid IPv4 or IPv6 address, not \"" + lit->value + "\"");
      return;
    }
    n.type = Type::array(Type::integer(1, false), bytes->size());
    return;
  }
  for (auto& a : n.args)
    walk(a);
  for (const auto& a : n.args)
    if (a->type.is_none()) return report_missing_value(*a, diags_);

  if (n.func == "ntop") {
    if (n.args.size() == 2 && !n.args[0]->type.is_integer()) {
      diags_.error(n.args[0]->loc,
                   "ntop() address family must be an integer, not " + n.args[0]->type.str());
      return;
    }
    const Expr& addr = *n.args.back();
    if (addr.type.is_integer()) {
      n.type = Type::inet();
    } else if (addr.type.kind == TypeKind::Array || addr.type.is_string() || // char[4], "abc"
               (addr.type.kind == TypeKind::Record && addr.type.record &&
                (addr.type.record->name == "struct in6_addr" ||
                 addr.type.record->name == "struct in_addr"))) {
      // Records too: ntop(ip6->saddr), a struct in6_addr (tracelet only; see differences.md).
      if (addr.type.size() != 4 && addr.type.size() != 16) {
        diags_.error(addr.loc, "ntop() needs an address of 4 or 16 bytes, not " +
                                   std::to_string(addr.type.size()) + " (" + addr.type.str() + ")");
        return;
      }
      n.type = Type::inet();
    } else {
      diags_.error(addr.loc,
                   "ntop() needs an integer or an array of 4 or 16 bytes, not " + addr.type.str());
    }
    return;
  }

  if (n.func == "bswap") {
    const Expr& v = *n.args[0];
    if (!v.type.is_integer()) {
      diags_.error(v.loc, "bswap() needs an integer, not " + v.type.str());
      return;
    }
    // Variables keep the width of the integers assigned to them, so `$port = bswap($port)` on
    // a 16-bit port swaps 16 bits, as bpftrace.
    n.type = Type::integer(v.type.bytes, false);
    return;
  }

  if (n.func == "buf") {
    const Expr& src = *n.args[0];
    const Type& t = src.type;
    if (!t.is_integer() && t.kind != TypeKind::Pointer && !is_byte_value(t)) {
      diags_.error(src.loc, "buf() needs a pointer, an integer address, a string or an array, "
                            "not " +
                                t.str());
      return;
    }
    uint64_t capacity = Type::kDefaultStringSize;
    if (n.args.size() == 1) {
      if (t.kind != TypeKind::Array) {
        diags_.error(n.loc,
                     "buf() needs a length with a " + t.str() + " argument, as in buf(p, n)");
        return;
      }
      capacity = t.size();
    } else {
      const Expr& len = *n.args[1];
      if (!len.type.is_integer()) {
        diags_.error(len.loc, "buf() length must be an integer, not " + len.type.str());
        return;
      }
      if (auto v = integer_literal(len)) {
        if (*v < 0) {
          diags_.error(len.loc, "buf() length must not be negative, not " + std::to_string(*v));
          return;
        }
        capacity = static_cast<uint64_t>(*v);
      }
    }
    if (capacity > Type::kDefaultStringSize) {
      diags_.warning(n.loc, "buf() length is too long and will be shortened to " +
                                std::to_string(Type::kDefaultStringSize) + " bytes");
      capacity = Type::kDefaultStringSize;
    }
    n.type = Type::buffer(capacity);
    return;
  }

  if (n.func == "strncmp" || n.func == "strcontains") {
    for (size_t i = 0; i < 2; ++i) {
      const Expr& s = *n.args[i];
      if (!s.type.is_string()) {
        diags_.error(s.loc, n.func + "() needs strings, not " + s.type.str());
        return;
      }
    }
    if (n.func == "strncmp") {
      const Expr& len = *n.args[2];
      auto v = integer_literal(len);
      if (!v) {
        diags_.error(len.loc, "strncmp() length must be an integer literal");
        return;
      }
      if (*v < 0) {
        diags_.error(len.loc, "strncmp() length must not be negative, not " + std::to_string(*v));
        return;
      }
    }
    n.type = Type::u64();
    return;
  }

  // macaddr
  const Expr& src = *n.args[0];
  const Type& t = src.type;
  if (is_byte_value(t)) {
    if (t.size() != 6) {
      diags_.error(src.loc, "macaddr() needs 6 bytes, not " + std::to_string(t.size()) + " (" +
                                t.str() + ")");
      return;
    }
  } else if (!t.is_integer() && t.kind != TypeKind::Pointer) {
    diags_.error(src.loc, "macaddr() needs a pointer, an integer address or an array of 6 "
                          "bytes, not " +
                              t.str());
    return;
  }
  n.type = Type::macaddr();
}

} // namespace tracelet::ast::passes
