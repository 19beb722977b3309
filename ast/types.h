// The types of tracelet expressions and map values, and their byte layout.
//
// The layout defined here (size, alignment, tuple field offsets, aggregation storage) is the
// single contract between codegen/ (which writes these bytes in BPF) and runtime/ (which reads
// them back from maps and perf events). Neither side computes a layout on its own.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tracelet::ast {

enum class TypeKind {
  None,    // no value: statements, calls like exit()
  Integer, // 1, 2, 4 or 8 bytes, signed or not
  String,  // char[size]; always NUL-terminated within size (default size: kDefaultStringSize)
  Tuple,   // elements laid out as a C struct
  Pointer, // pointee + address space
  Record,  // a struct or union: from BTF, a C definition in the script, or a tracepoint format
  Array,   // fixed-size array of `pointee`
  Probe,   // the `probe` builtin: an index into CompiledProgram::probe_names, stored as u64
  // Values the runtime symbolizes when printing (see runtime/symbols/symbols.h). All are one u64:
  KStack, // kstack: the stack id in the stack map of this mode/depth (negative: no stack)
  UStack, // ustack: pid << 32 | (u32)stack id
  KSym,   // ksym(addr): a kernel address
  USym,   // usym(addr): a user address; the pid is `pid` of the probe, stored alongside:
          // 16 bytes { u64 addr; u64 pid }
  // Values the runtime formats when printing (runtime/output/user_values.h):
  Timestamp,  // strftime(fmt, ns): 16 bytes { u64 format id (CompiledProgram::strftime_formats);
              // u64 nsecs since boot }
  Username,   // username: the uid, one u64; printed as its /etc/passwd name
  Strerror,   // strerror(errno): the error number, one u64; printed as strerror(3) says
  CgroupPath, // cgroup_path(id [, filter]): 16 bytes { u64 filter id
              // (CompiledProgram::cgroup_path_filters); u64 cgroup id }
  // Byte values of bpftrace's value functions (runtime/output/value_format.cpp prints them):
  Inet,    // ntop(): 24 bytes { i64 address family; u8 addr[16] } (IPv4 in the first 4 bytes)
  Buffer,  // buf(): `bytes` = 1 + capacity: { u8 length; u8 data[capacity] }
  MacAddr, // macaddr(): 6 bytes
  // Values that aggregation functions leave in a map. Their per-CPU storage is fixed below.
  Count,
  Sum,
  Avg,
  Min,
  Max,
  Stats,
  Hist,
  Lhist,
};

// Packet: a header inside the packet of an xdp/tc program. Such a pointer's value is the
// header's offset in the packet plus one (0: the packet has no such header); codegen/packet.cpp
// bounds-checks every read through it.
// Ctx: the probe's context (the `ctx` builtin, its casts to other struct pointers, the records
// and arrays inside it). The value is the program's context pointer; codegen reads its fields
// with direct loads at constant offsets (codegen/context_reads.cpp), as the verifier requires.
enum class AddrSpace { None, Kernel, User, Packet, Ctx };

struct Type;
using TypePtr = std::shared_ptr<const Type>;

struct Field {
  std::string name;
  std::shared_ptr<Type> type;
  uint64_t offset = 0;        // bytes from the start of the record
  uint32_t bitfield_bits = 0; // 0 if not a bitfield
  uint32_t bitfield_shift = 0;
  bool is_data_loc = false; // tracepoint `__data_loc char[]`: a u32 (len << 16 | offset)
};

// A struct or union layout. Shared, because many types point at the same record.
struct RecordDef {
  std::string name; // e.g. "struct task_struct", "struct syscalls_sys_enter_openat_args"
  uint64_t size = 0;
  uint64_t align = 0; // 0: not known (BTF); estimated from the size
  bool is_union = false;
  // Kernel records reached through a pointer or member are converted lazily: name and size
  // are known, the fields are filled in place by KernelInfo::kernel_record(name).
  bool fields_pending = false;
  std::vector<Field> fields;
  const Field* find(const std::string& field_name) const;
};

struct Type {
  TypeKind kind = TypeKind::None;
  uint64_t bytes = 0;     // Integer: 1/2/4/8; String: buffer size incl. NUL; Array: total size
  bool is_signed = false; // Integer only
  AddrSpace as = AddrSpace::None;          // Pointer, String read from memory, Record fields
  std::vector<Type> elems;                 // Tuple elements
  std::shared_ptr<Type> pointee;           // Pointer target; Array element
  uint64_t count = 0;                      // Array: number of elements
  std::shared_ptr<const RecordDef> record; // Record
  // Lhist parameters, fixed at the first call site: lhist(v, min, max, step).
  int64_t lhist_min = 0, lhist_max = 0, lhist_step = 0;
  // KStack/UStack: frames kept (the stack map's value is stack_depth u64s) and print mode.
  uint32_t stack_depth = 0;
  bool stack_perf = false; // "perf" mode: "\t<hex addr> <sym+off>" per frame

  static Type none();
  static Type integer(uint64_t bytes, bool is_signed);
  static Type u64() { return integer(8, false); }
  static Type i64() { return integer(8, true); }
  static Type string(uint64_t bytes = kDefaultStringSize);
  static Type tuple(std::vector<Type> elems);
  static Type pointer(Type pointee, AddrSpace as = AddrSpace::Kernel);
  static Type array(Type elem, uint64_t count);
  static Type of_record(std::shared_ptr<const RecordDef> def, AddrSpace as = AddrSpace::Kernel);
  static Type probe();
  static Type aggregation(TypeKind kind); // Count..Hist
  static Type lhist(int64_t min, int64_t max, int64_t step);
  static Type stack(bool user, bool perf_mode = false, uint32_t depth = kDefaultStackDepth);
  static Type ksym();
  static Type usym();
  static Type timestamp();
  static Type username();
  static Type strerror();
  static Type cgroup_path();
  static Type inet();
  static Type buffer(uint64_t capacity); // buf(): `capacity` data bytes after the length byte
  static Type macaddr();

  static constexpr uint32_t kDefaultStackDepth = 127; // bpftrace's default (perf_max_stack)
  static constexpr uint32_t kMaxStackDepth = 1024;

  // str() and string defaults; BPFTRACE_STRLEN changes it once at start-up (cli/environment).
  static inline uint64_t kDefaultStringSize = 64;

  bool is_integer() const { return kind == TypeKind::Integer; }
  bool is_string() const { return kind == TypeKind::String; }
  bool is_aggregation() const { return kind >= TypeKind::Count; }
  bool is_none() const { return kind == TypeKind::None; }

  // Storage size and alignment of a value of this type in a map key/value or an event.
  // Aggregations answer for their per-CPU storage (see AggregationStorage).
  uint64_t size() const;
  uint64_t align() const;
  // Tuple: byte offset of each element (C struct rules, but a struct element is aligned to 1
  // as in bpftrace 0.17); size() includes tail padding.
  std::vector<uint64_t> offsets() const;
  static uint64_t tuple_element_align(const Type& element);

  // Same kind and shape (strings of different sizes compare equal; integers must match in
  // size and sign). Used to check that every use of a map agrees.
  bool compatible(const Type& other) const;
  bool operator==(const Type& other) const;
  bool operator!=(const Type& other) const { return !(*this == other); }

  // bpftrace-like spelling for messages and -d ast: "int64", "uint8", "string[64]",
  // "(int64,string[16])", "struct sock *", "count", "hist", "lhist(0,100,10)".
  std::string str() const;
};

// Per-CPU storage of aggregation values in BPF maps. Userspace folds the per-CPU copies.
//   Count, Sum:  u64 (Sum of signed values stored as two's complement i64)
//   Min, Max:    { i64 value; u64 is_set; }
//   Avg, Stats:  { u64 count; i64 total; }
//   Hist, Lhist: u64 count per bucket; the bucket index is the last member of the BPF key:
//                BPF key = { <user key bytes, padded to 8>; u64 bucket }.
// Hist bucket of v:  0 if v < 0;  1 if v == 0;  2 + floor(log2(v)) otherwise  (max 65).
// Lhist bucket of v with n = (max - min) / step:
//   0 if v < min;  n + 1 if v >= max;  1 + (v - min) / step otherwise.
uint64_t hist_bucket(int64_t v);
uint64_t lhist_bucket(int64_t v, int64_t min, int64_t max, int64_t step);
// The number of buckets of a hist (66) or lhist (n + 2) type.
uint64_t bucket_count(const Type& t);

} // namespace tracelet::ast
