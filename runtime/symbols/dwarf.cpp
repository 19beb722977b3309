#include "runtime/symbols/dwarf.h"

#include "runtime/symbols/dwarf_types.h"

#include <dwarf.h>
#include <elfutils/libdwfl.h>

#include <cstring>
#include <optional>
#include <unordered_map>

namespace tracelet::runtime {

using ast::Type;

struct BinaryDwarf::Impl {
  Dwfl* dwfl = nullptr;
  Dwfl_Module* module = nullptr;
  Dwarf* dwarf = nullptr;
  std::unique_ptr<dwarf::TypeConverter> types;
  ~Impl() {
    if (dwfl) dwfl_end(dwfl); // owns the module and its Dwarf
  }

  // Calls `f` on each top-level DIE of every compilation unit until it returns true.
  template <typename F> bool each_top_level(F&& f) {
    Dwarf_Addr bias = 0;
    Dwarf_Die* cu = nullptr;
    while ((cu = dwfl_module_nextcu(module, cu, &bias))) {
      Dwarf_Die child;
      if (dwarf_child(cu, &child) != 0) continue;
      do {
        if (f(&child)) return true;
      } while (dwarf_siblingof(&child, &child) == 0);
    }
    return false;
  }

  // Top-level functions and structs/unions by name, indexed in one pass on first use (a -lv
  // listing of every function of a large library asks once per function).
  std::optional<std::unordered_map<std::string, Dwarf_Off>> functions, records;

  void index() {
    if (functions) return;
    functions.emplace();
    records.emplace();
    std::unordered_map<std::string, Dwarf_Off> without_code;
    each_top_level([&](Dwarf_Die* die) {
      int tag = dwarf_tag(die);
      if (dwarf_hasattr(die, DW_AT_declaration)) return false;
      const char* name = dwarf_diename(die);
      if (tag == DW_TAG_subprogram) {
        // Prefer the definition with code to an inline-only abstract instance.
        bool code = dwarf_hasattr(die, DW_AT_low_pc) || dwarf_hasattr(die, DW_AT_ranges);
        auto& into = code ? *functions : without_code;
        if (name) into.emplace(name, dwarf_dieoffset(die));
        Dwarf_Attribute attr;
        if (dwarf_attr_integrate(die, DW_AT_linkage_name, &attr))
          if (const char* linkage = dwarf_formstring(&attr))
            into.emplace(linkage, dwarf_dieoffset(die));
      } else if (name && (tag == DW_TAG_structure_type || tag == DW_TAG_class_type ||
                          tag == DW_TAG_union_type)) {
        records->emplace((tag == DW_TAG_union_type ? "union " : "struct ") + std::string(name),
                         dwarf_dieoffset(die));
      }
      return false;
    });
    functions->merge(without_code); // keeps the entries with code
  }

  bool find(std::unordered_map<std::string, Dwarf_Off>& in, const std::string& name,
            Dwarf_Die* out) {
    auto it = in.find(name);
    return it != in.end() && dwarf_offdie(dwarf, it->second, out);
  }

  bool find_function(const std::string& func, Dwarf_Die* out) {
    index();
    return find(*functions, func, out);
  }

  bool find_record(const std::string& c_name, Dwarf_Die* out) {
    index();
    return find(*records, c_name, out);
  }

  template <typename F> void each_parameter(Dwarf_Die* func, F&& f) {
    Dwarf_Die child;
    if (dwarf_child(func, &child) != 0) return;
    do {
      if (dwarf_tag(&child) == DW_TAG_formal_parameter) f(&child);
    } while (dwarf_siblingof(&child, &child) == 0);
  }
};

BinaryDwarf::BinaryDwarf(std::string path) : path_(std::move(path)) {}

BinaryDwarf::~BinaryDwarf() = default;

bool BinaryDwarf::open() {
  if (tried_) return impl_ != nullptr;
  tried_ = true;
  static char* debuginfo_path = nullptr;
  static const Dwfl_Callbacks callbacks = {
      .find_elf = dwfl_build_id_find_elf,
      .find_debuginfo = dwfl_standard_find_debuginfo,
      .section_address = dwfl_offline_section_address,
      .debuginfo_path = &debuginfo_path,
  };
  auto impl = std::make_unique<Impl>();
  impl->dwfl = dwfl_begin(&callbacks);
  if (!impl->dwfl) return false;
  impl->module = dwfl_report_offline(impl->dwfl, "", path_.c_str(), -1);
  dwfl_report_end(impl->dwfl, nullptr, nullptr);
  if (!impl->module) return false;
  Dwarf_Addr bias = 0;
  impl->dwarf = dwfl_module_getdwarf(impl->module, &bias);
  if (!impl->dwarf) return false;
  impl->types = std::make_unique<dwarf::TypeConverter>(impl->dwarf);
  impl_ = std::move(impl);
  return true;
}

bool BinaryDwarf::has_debug_info() {
  return open();
}

std::optional<std::vector<DwarfParameter>> BinaryDwarf::parameters(const std::string& func) {
  if (!open()) return std::nullopt;
  Dwarf_Die die;
  if (!impl_->find_function(func, &die)) return std::nullopt;
  std::vector<DwarfParameter> params;
  impl_->each_parameter(&die, [&](Dwarf_Die* p) {
    const char* name = dwarf_diename(p);
    params.push_back({name ? name : "", dwarf::TypeConverter::c_name_of(p)});
  });
  return params;
}

std::shared_ptr<const ast::RecordDef> BinaryDwarf::function_args(const std::string& func,
                                                                 std::string& error) {
  if (!open()) {
    error = path_ + " has no DWARF debug info (build it with -g, or install its -dbg or "
                    "-dbgsym package)";
    return nullptr;
  }
  Dwarf_Die die;
  if (!impl_->find_function(func, &die)) {
    error = "the debug info of " + path_ + " does not describe function " + func;
    return nullptr;
  }
  auto def = std::make_shared<ast::RecordDef>();
  def->name = "struct " + func + "_args";
  uint64_t gp = 0, sse = 0, stack = 0;
  // A function returning a struct in memory takes the address to return it at in rdi.
  Dwarf_Die ret;
  if (dwarf::TypeConverter::type_of(&die, &ret) &&
      impl_->types->classify(&ret).passed_in == dwarf::PassedIn::Memory) {
    Dwarf_Die peeled;
    if (dwarf::peel(&ret, &peeled) && dwarf_tag(&peeled) != DW_TAG_base_type) gp = 1;
  }
  constexpr uint64_t kGpRegs = 6, kSseRegs = 8;
  auto on_stack = [&](uint64_t size, uint64_t align) {
    stack = (stack + align - 1) / align * align;
    uint64_t at = stack;
    stack += (size + 7) / 8 * 8;
    return at;
  };
  impl_->each_parameter(&die, [&](Dwarf_Die* p) {
    Dwarf_Die type;
    if (!dwarf::TypeConverter::type_of(p, &type)) return;
    auto c = impl_->types->classify(&type);
    std::optional<uint64_t> offset; // where the parameter is, if tracelet can read it
    switch (c.passed_in) {
    case dwarf::PassedIn::Integer:
      if (gp + c.eightbytes <= kGpRegs) {
        offset = 8 * gp;
        gp += c.eightbytes;
      } else {
        offset = ast::kUprobeStackArgs + on_stack(c.size, 8);
      }
      break;
    case dwarf::PassedIn::Sse:
      if (sse + c.eightbytes <= kSseRegs)
        sse += c.eightbytes;
      else
        on_stack(c.size, c.align);
      break;
    case dwarf::PassedIn::Mixed:
      if (gp + 1 <= kGpRegs && sse + 1 <= kSseRegs)
        ++gp, ++sse;
      else
        on_stack(c.size, 8);
      break;
    case dwarf::PassedIn::Memory:
      offset = ast::kUprobeStackArgs + on_stack(c.size, std::max<uint64_t>(c.align, 8));
      break;
    }
    const char* name = dwarf_diename(p);
    if (!name || !*name) return;
    Type t = offset ? impl_->types->convert(&type) : Type::none();
    if (t.is_none()) // named, so that args.<name> says why it cannot be read
      def->fields.push_back({name, nullptr, 0});
    else
      def->fields.push_back({name, std::make_shared<Type>(std::move(t)), *offset});
  });
  def->size = ast::kUprobeStackArgs + stack;
  return def;
}

std::shared_ptr<const ast::RecordDef> BinaryDwarf::record(const std::string& c_name) {
  bool is_union = c_name.rfind("union ", 0) == 0;
  if (!is_union && c_name.rfind("struct ", 0) != 0) return nullptr;
  if (!open()) return nullptr;
  Dwarf_Die found;
  if (!impl_->find_record(c_name, &found)) return nullptr;
  return impl_->types->record(&found);
}

std::vector<std::string> uprobe_parameter_lines(BinaryDwarf& dwarf, const std::string& func) {
  std::vector<std::string> lines;
  if (auto params = dwarf.parameters(func))
    for (const auto& p : *params)
      lines.push_back(p.c_type + " " + p.name);
  return lines;
}

} // namespace tracelet::runtime
