// Kernel types from this kernel's BTF, checked against what bpftool says about the same
// BTF (its raw dump, parsed here independently of libbpf's API).
#include "runtime/kernel/btf.h"
#include "runtime/kernel/c_defines.h"
#include "runtime/kernel/tracefs.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <unistd.h>

using namespace tracelet;
using ast::TypeKind;

namespace {

constexpr const char* kVmlinux = "/sys/kernel/btf/vmlinux";

// bpftool's raw dump: "[id] KIND 'name' attrs" lines, members indented below their type.
struct BpftoolType {
  std::string kind, name, attrs;
  std::vector<std::string> members; // "'name' type_id=N bits_offset=M [bitfield_size=K]"
};

const std::map<uint32_t, BpftoolType>* bpftool_dump() {
  static std::unique_ptr<std::map<uint32_t, BpftoolType>> dump;
  if (dump) return dump.get();
  FILE* p = popen((std::string("bpftool btf dump file ") + kVmlinux + " 2>/dev/null").c_str(), "r");
  if (!p) return nullptr;
  dump = std::make_unique<std::map<uint32_t, BpftoolType>>();
  static const std::regex head(R"(^\[(\d+)\] (\S+) '([^']*)'\s*(.*)$)");
  char line[4096];
  BpftoolType* current = nullptr;
  while (fgets(line, sizeof line, p)) {
    std::string s(line);
    if (!s.empty() && s.back() == '\n') s.pop_back();
    std::smatch m;
    if (std::regex_match(s, m, head)) {
      current = &(*dump)[static_cast<uint32_t>(std::stoul(m[1]))];
      *current = {m[2], m[3], m[4], {}};
    } else if (current && !s.empty() && s[0] == '\t') {
      current->members.push_back(s.substr(1));
    }
  }
  pclose(p);
  if (dump->empty()) dump.reset();
  return dump.get();
}

uint64_t attr(const std::string& text, const std::string& key) {
  std::smatch m;
  std::regex re(key + R"(=(\d+))");
  return std::regex_search(text, m, re) ? std::stoull(m[1]) : 0;
}

uint32_t find_type(const std::string& kind, const std::string& name) {
  for (const auto& [id, t] : *bpftool_dump())
    if (t.kind == kind && t.name == name) return id;
  return 0;
}

struct BpftoolMember {
  uint32_t type_id = 0;
  uint64_t bits_offset = 0, bitfield_size = 0;
};

// A member by name, looking into anonymous struct/union members as C does.
std::optional<BpftoolMember> find_member(uint32_t struct_id, const std::string& name,
                                         uint64_t base_bits = 0) {
  const auto& t = bpftool_dump()->at(struct_id);
  for (const auto& m : t.members) {
    std::string member_name = m.substr(1, m.find('\'', 1) - 1);
    BpftoolMember bm{static_cast<uint32_t>(attr(m, "type_id")), base_bits + attr(m, "bits_offset"),
                     attr(m, "bitfield_size")};
    if (member_name == name) return bm;
    if (member_name == "(anon)")
      if (auto inner = find_member(bm.type_id, name, bm.bits_offset)) return inner;
  }
  return std::nullopt;
}

// Follows typedefs/modifiers to the INT bpftool names; (size, signed).
std::pair<uint64_t, bool> bpftool_int(uint32_t id) {
  for (;;) {
    const auto& t = bpftool_dump()->at(id);
    if (t.kind == "INT")
      return {attr(t.attrs, "size"), t.attrs.find("encoding=SIGNED") != std::string::npos};
    id = static_cast<uint32_t>(attr(t.attrs, "type_id"));
  }
}

#define REQUIRE_BTF()                                                                              \
  do {                                                                                             \
    if (access(kVmlinux, R_OK) != 0) GTEST_SKIP() << kVmlinux << " is not readable";               \
    if (!bpftool_dump()) GTEST_SKIP() << "bpftool cannot dump " << kVmlinux;                       \
  } while (0)

} // namespace

TEST(KernelBtf, TaskStructPidMatchesBpftool) {
  REQUIRE_BTF();
  runtime::KernelBtf btf;
  auto task = btf.record("struct task_struct");
  ASSERT_NE(task, nullptr);
  uint32_t id = find_type("STRUCT", "task_struct");
  ASSERT_NE(id, 0u);
  EXPECT_EQ(task->size, attr(bpftool_dump()->at(id).attrs, "size"));
  auto pid = find_member(id, "pid");
  ASSERT_TRUE(pid);
  const ast::Field* f = task->find("pid");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->offset * 8, pid->bits_offset);
  auto [bytes, is_signed] = bpftool_int(pid->type_id);
  EXPECT_EQ(f->type->str(), ast::Type::integer(bytes, is_signed).str());
  EXPECT_EQ(f->type->str(), "int32"); // pid_t is int
}

TEST(KernelBtf, AnonymousUnionMembersAreNamedDirectly) {
  REQUIRE_BTF();
  runtime::KernelBtf btf;
  auto skb = btf.record("struct sk_buff");
  ASSERT_NE(skb, nullptr);
  uint32_t id = find_type("STRUCT", "sk_buff");
  // sk_buff starts with a union of { struct { next; prev; union { dev; ... } }; rbnode; ... }.
  for (const char* name : {"next", "prev", "dev", "rbnode", "sk", "tstamp", "len"}) {
    SCOPED_TRACE(name);
    auto m = find_member(id, name);
    ASSERT_TRUE(m);
    const ast::Field* f = skb->find(name);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->offset * 8, m->bits_offset);
  }
  EXPECT_EQ(skb->find("next")->type->str(), "struct sk_buff *");
}

TEST(KernelBtf, BitfieldsMatchBpftool) {
  REQUIRE_BTF();
  runtime::KernelBtf btf;
  auto task = btf.record("struct task_struct");
  ASSERT_NE(task, nullptr);
  uint32_t id = find_type("STRUCT", "task_struct");
  int checked = 0;
  for (const auto& m : bpftool_dump()->at(id).members) {
    uint64_t bits = attr(m, "bitfield_size");
    if (!bits) continue;
    std::string name = m.substr(1, m.find('\'', 1) - 1);
    SCOPED_TRACE(name);
    const ast::Field* f = task->find(name);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->bitfield_bits, bits);
    EXPECT_EQ(f->offset * 8 + f->bitfield_shift, attr(m, "bits_offset"));
    EXPECT_LE(f->bitfield_shift + f->bitfield_bits, f->type->size() * 8); // one read holds it
    ++checked;
  }
  EXPECT_GT(checked, 0) << "task_struct has no bitfields in this kernel";
}

TEST(KernelBtf, CharArrayIsAString) {
  REQUIRE_BTF();
  runtime::KernelBtf btf;
  auto task = btf.record("struct task_struct");
  ASSERT_NE(task, nullptr);
  EXPECT_EQ(task->find("comm")->type->str(), "string[16]");
  auto uts = btf.record("struct new_utsname");
  ASSERT_NE(uts, nullptr);
  EXPECT_EQ(uts->find("nodename")->type->str(), "string[65]");
}

TEST(KernelBtf, TypedefsAndEnums) {
  REQUIRE_BTF();
  runtime::KernelBtf btf;
  EXPECT_EQ(btf.named_type("pid_t")->str(), "int32");
  EXPECT_EQ(btf.named_type("u64")->str(), "uint64");
  EXPECT_EQ(btf.named_type("__u8")->str(), "uint8");
  EXPECT_FALSE(btf.named_type("no_such_typedef_here"));
  EXPECT_EQ(btf.enum_constant("BPF_MAP_TYPE_HASH"), 1);
  EXPECT_FALSE(btf.enum_constant("NO_SUCH_ENUMERATOR"));
}

TEST(KernelBtf, PointerTargetsAreConvertedOnDemand) {
  REQUIRE_BTF();
  runtime::KernelBtf btf;
  auto task = btf.record("struct task_struct");
  ASSERT_NE(task, nullptr);
  const ast::Type& nsproxy = *task->find("nsproxy")->type;
  ASSERT_EQ(nsproxy.kind, TypeKind::Pointer);
  ASSERT_EQ(nsproxy.pointee->kind, TypeKind::Record);
  const ast::RecordDef* target = nsproxy.pointee->record.get();
  EXPECT_EQ(target->name, "struct nsproxy");
  EXPECT_TRUE(target->fields_pending);
  EXPECT_GT(target->size, 0u); // known without converting the fields
  auto full = btf.record("struct nsproxy");
  EXPECT_EQ(full.get(), target); // completed in place: every type sharing it sees the fields
  EXPECT_FALSE(target->fields_pending);
  EXPECT_NE(target->find("uts_ns"), nullptr);
  EXPECT_EQ(btf.record("struct no_such_struct_here"), nullptr);
}

TEST(KernelInfo, ConstantsWithoutKernelTypesDoNotParseBtf) {
  runtime::KernelInfoImpl kernel;
  EXPECT_EQ(kernel.kernel_constant("TASK_RUNNING", {}), 0);
  EXPECT_EQ(kernel.kernel_constant("TASK_UNINTERRUPTIBLE", {}), 2);
  EXPECT_EQ(kernel.kernel_constant("AF_INET6", {}), 10);
  EXPECT_FALSE(kernel.btf().loaded());
}

TEST(HeaderDefines, EvaluatesSimpleIntegerDefines) {
  runtime::HeaderDefines defines;
  EXPECT_EQ(defines.evaluate(" 0x10"), 16);
  EXPECT_EQ(defines.evaluate("(1U << 3) | 1"), 9);
  EXPECT_EQ(defines.evaluate("-(2)"), -2);
  EXPECT_EQ(defines.evaluate("2 + 3 * 4"), 14);
  EXPECT_FALSE(defines.evaluate("\"text\""));
  EXPECT_FALSE(defines.evaluate("sizeof(int)"));
}

TEST(HeaderDefines, FollowsIncludesAndAliases) {
  char dir[] = "/tmp/tl_defines_XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string d = dir;
  std::ofstream(d + "/outer.h") << "#include <inner.h>\n#define OUTER (INNER + 1) /* c */\n"
                                << "#define FN(x) x\n#define MULTI 1 \\\n  + 2\n";
  std::ofstream(d + "/inner.h") << "# define INNER 0x20UL\n";
  runtime::HeaderDefines defines({d});
  EXPECT_EQ(defines.lookup("OUTER", {"outer.h"}), 0x21);
  EXPECT_EQ(defines.lookup("INNER", {"outer.h"}), 0x20);
  EXPECT_FALSE(defines.lookup("FN", {"outer.h"}));
  EXPECT_FALSE(defines.lookup("MULTI", {"outer.h"}));
  std::remove((d + "/outer.h").c_str());
  std::remove((d + "/inner.h").c_str());
  rmdir(dir);
}

TEST(HeaderDefines, SystemHeaders) {
  if (access("/usr/include/linux/sched.h", R_OK) != 0) GTEST_SKIP() << "no uapi headers";
  runtime::HeaderDefines defines;
  EXPECT_EQ(defines.lookup("CLONE_VM", {"linux/sched.h"}), 0x100);
  if (access("/usr/include/x86_64-linux-gnu/bits/socket.h", R_OK) == 0)
    EXPECT_EQ(defines.lookup("AF_INET6", {"sys/socket.h"}), 10); // AF_INET6 -> PF_INET6 -> 10
}

// fentry/fexit arguments from the BTF function prototype: one u64 slot per parameter, the
// return value in the slot after them (fexit's retval).
TEST(KernelBtf, FunctionArgumentsFromTheBtfPrototype) {
  REQUIRE_BTF();
  runtime::KernelBtf btf;
  // ssize_t vfs_read(struct file *file, char *buf, size_t count, loff_t *pos)
  auto args = btf.function_args("vfs_read");
  ASSERT_NE(args, nullptr);
  EXPECT_EQ(args->name, "struct vfs_read_args");
  std::vector<std::string> names;
  for (const auto& f : args->fields)
    names.push_back(f.name + "@" + std::to_string(f.offset) + ":" + f.type->str());
  EXPECT_EQ(names,
            (std::vector<std::string>{"file@0:struct file *", "buf@8:int8 *", "count@16:uint64",
                                      "pos@24:int64 *", "$retval@32:int64"}));
  EXPECT_EQ(args->size, 40u);
  // void ksys_sync(void): no parameters, no return slot.
  auto sync = btf.function_args("ksys_sync");
  ASSERT_NE(sync, nullptr);
  EXPECT_TRUE(sync->fields.empty());
  EXPECT_EQ(btf.function_args("no_such_function_tracelet"), nullptr);
}
