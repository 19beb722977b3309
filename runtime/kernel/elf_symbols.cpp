#include "runtime/kernel/elf_symbols.h"

#include "ast/diagnostics.h"
#include "runtime/bpf_object.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <sys/stat.h>

namespace tracelet::runtime {

namespace {

// An open ELF file: the fd and libelf's handle, released together.
class ElfFile {
public:
  explicit ElfFile(const std::string& path) : path_(path) {
    if (elf_version(EV_CURRENT) == EV_NONE) throw Error("libelf is unusable: " + path);
    fd_ = UniqueFd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd_) throw Error("cannot open '" + path + "': " + std::strerror(errno));
    elf_ = elf_begin(fd_.get(), ELF_C_READ, nullptr);
    if (!elf_ || elf_kind(elf_) != ELF_K_ELF) {
      if (elf_) elf_end(elf_);
      throw Error("'" + path + "' is not an ELF binary");
    }
  }
  ~ElfFile() { elf_end(elf_); }
  ElfFile(const ElfFile&) = delete;
  ElfFile& operator=(const ElfFile&) = delete;
  Elf* get() const { return elf_; }

private:
  std::string path_;
  UniqueFd fd_;
  Elf* elf_ = nullptr;
};

void collect_functions(Elf* elf, Elf_Scn* scn, const GElf_Shdr& shdr,
                       std::vector<ElfFunction>& out) {
  Elf_Data* data = elf_getdata(scn, nullptr);
  if (!data || shdr.sh_entsize == 0) return;
  size_t count = shdr.sh_size / shdr.sh_entsize;
  for (size_t i = 0; i < count; ++i) {
    GElf_Sym sym;
    if (!gelf_getsym(data, static_cast<int>(i), &sym)) continue;
    int type = GELF_ST_TYPE(sym.st_info);
    if ((type != STT_FUNC && type != STT_GNU_IFUNC) || sym.st_shndx == SHN_UNDEF ||
        sym.st_value == 0)
      continue;
    const char* name = elf_strptr(elf, shdr.sh_link, sym.st_name);
    if (!name || !*name) continue;
    std::string n = name;
    // Versioned names ("memcpy@@GLIBC_2.14") attach by their plain name.
    if (size_t at = n.find('@'); at != std::string::npos) n.resize(at);
    out.push_back({n, sym.st_value, sym.st_size});
  }
}

bool is_executable_file(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// Entries of /etc/ld.so.cache (format "glibc-ld.so.cache1.1"): (soname, path) pairs.
std::vector<std::pair<std::string, std::string>> ld_so_cache() {
  std::ifstream in("/etc/ld.so.cache", std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  static const std::string magic = "glibc-ld.so.cache1.1";
  std::vector<std::pair<std::string, std::string>> entries;
  // The new format may follow an old-format header; find it.
  size_t base = data.find(magic);
  if (base == std::string::npos) return entries;
  constexpr size_t kHeader = 48, kEntry = 24;
  if (data.size() < base + kHeader) return entries;
  uint32_t nlibs;
  std::memcpy(&nlibs, data.data() + base + 20, 4);
  auto str_at = [&](uint32_t off) -> std::string {
    // String offsets are relative to the start of the new-format header.
    size_t pos = base + off;
    if (pos >= data.size()) return "";
    return std::string(data.c_str() + pos);
  };
  for (uint32_t i = 0; i < nlibs; ++i) {
    size_t e = base + kHeader + i * kEntry;
    if (e + kEntry > data.size()) break;
    uint32_t key, value;
    std::memcpy(&key, data.data() + e + 4, 4);
    std::memcpy(&value, data.data() + e + 8, 4);
    entries.emplace_back(str_at(key), str_at(value));
  }
  return entries;
}

// "libc" -> "libc.so"; "libc.so.6" stays.
std::string soname_prefix(const std::string& name) {
  return name.find(".so") != std::string::npos ? name : name + ".so";
}

std::string library_in_process(const std::string& prefix, int pid) {
  std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
  std::string line;
  while (std::getline(maps, line)) {
    size_t slash = line.find('/');
    if (slash == std::string::npos) continue;
    std::string path = line.substr(slash);
    std::string base = path.substr(path.rfind('/') + 1);
    if (base.rfind(prefix, 0) == 0) return path;
  }
  return "";
}

} // namespace

std::vector<ElfFunction> elf_functions(const std::string& path) {
  ElfFile file(path);
  std::vector<ElfFunction> out;
  Elf_Scn* scn = nullptr;
  while ((scn = elf_nextscn(file.get(), scn))) {
    GElf_Shdr shdr;
    if (!gelf_getshdr(scn, &shdr)) continue;
    if (shdr.sh_type == SHT_SYMTAB || shdr.sh_type == SHT_DYNSYM)
      collect_functions(file.get(), scn, shdr, out);
  }
  std::sort(out.begin(), out.end(), [](const ElfFunction& a, const ElfFunction& b) {
    return a.name != b.name ? a.name < b.name : a.address < b.address;
  });
  out.erase(
      std::unique(out.begin(), out.end(),
                  [](const ElfFunction& a, const ElfFunction& b) { return a.name == b.name; }),
      out.end());
  return out;
}

std::optional<ElfFunction> elf_object(const std::string& path, const std::string& name) {
  ElfFile file(path);
  Elf_Scn* scn = nullptr;
  while ((scn = elf_nextscn(file.get(), scn))) {
    GElf_Shdr shdr;
    if (!gelf_getshdr(scn, &shdr) || (shdr.sh_type != SHT_SYMTAB && shdr.sh_type != SHT_DYNSYM))
      continue;
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (!data || shdr.sh_entsize == 0) continue;
    size_t count = shdr.sh_size / shdr.sh_entsize;
    for (size_t i = 0; i < count; ++i) {
      GElf_Sym sym;
      if (!gelf_getsym(data, static_cast<int>(i), &sym)) continue;
      if (GELF_ST_TYPE(sym.st_info) != STT_OBJECT || sym.st_shndx == SHN_UNDEF) continue;
      const char* n = elf_strptr(file.get(), shdr.sh_link, sym.st_name);
      if (n && name == n) return ElfFunction{name, sym.st_value, sym.st_size};
    }
  }
  return std::nullopt;
}

std::vector<std::string> elf_needed(const std::string& path) {
  ElfFile file(path);
  std::vector<std::string> sonames;
  Elf_Scn* scn = nullptr;
  while ((scn = elf_nextscn(file.get(), scn))) {
    GElf_Shdr shdr;
    if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_DYNAMIC) continue;
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (!data || shdr.sh_entsize == 0) continue;
    for (size_t i = 0; i < shdr.sh_size / shdr.sh_entsize; ++i) {
      GElf_Dyn dyn;
      if (!gelf_getdyn(data, static_cast<int>(i), &dyn)) continue;
      if (dyn.d_tag != DT_NEEDED) continue;
      if (const char* name = elf_strptr(file.get(), shdr.sh_link, dyn.d_un.d_val))
        sonames.emplace_back(name);
    }
  }
  return sonames;
}

std::optional<uint64_t> elf_file_offset(const std::string& path, uint64_t address,
                                        bool executable) {
  ElfFile file(path);
  size_t count = 0;
  if (elf_getphdrnum(file.get(), &count) != 0) return std::nullopt;
  for (size_t i = 0; i < count; ++i) {
    GElf_Phdr phdr;
    if (!gelf_getphdr(file.get(), static_cast<int>(i), &phdr)) continue;
    if (phdr.p_type != PT_LOAD || (executable && !(phdr.p_flags & PF_X))) continue;
    if (address >= phdr.p_vaddr && address < phdr.p_vaddr + phdr.p_memsz)
      return address - phdr.p_vaddr + phdr.p_offset;
  }
  return std::nullopt;
}

std::vector<UsdtProbe> elf_usdt_probes(const std::string& path) {
  ElfFile file(path);
  size_t shstrndx = 0;
  if (elf_getshdrstrndx(file.get(), &shstrndx) != 0) return {};
  // .stapsdt.base's real address: notes record the address it had when they were written.
  std::optional<uint64_t> base_address;
  std::vector<Elf_Scn*> notes;
  Elf_Scn* scn = nullptr;
  while ((scn = elf_nextscn(file.get(), scn))) {
    GElf_Shdr shdr;
    if (!gelf_getshdr(scn, &shdr)) continue;
    const char* name = elf_strptr(file.get(), shstrndx, shdr.sh_name);
    if (!name) continue;
    if (std::strcmp(name, ".stapsdt.base") == 0) base_address = shdr.sh_addr;
    if (shdr.sh_type == SHT_NOTE && std::strcmp(name, ".note.stapsdt") == 0) notes.push_back(scn);
  }
  constexpr uint32_t kNtStapsdt = 3;
  std::vector<UsdtProbe> probes;
  for (Elf_Scn* note_scn : notes) {
    Elf_Data* data = elf_getdata(note_scn, nullptr);
    if (!data) continue;
    GElf_Nhdr nhdr;
    size_t offset = 0, name_off = 0, desc_off = 0;
    while ((offset = gelf_getnote(data, offset, &nhdr, &name_off, &desc_off)) > 0) {
      const char* owner = static_cast<const char*>(data->d_buf) + name_off;
      if (nhdr.n_type != kNtStapsdt || nhdr.n_namesz != 8 || std::strcmp(owner, "stapsdt") != 0 ||
          nhdr.n_descsz < 3 * 8 + 3)
        continue;
      const char* desc = static_cast<const char*>(data->d_buf) + desc_off;
      const char* end = desc + nhdr.n_descsz;
      uint64_t addr[3]; // location, .stapsdt.base when written, semaphore
      std::memcpy(addr, desc, sizeof addr);
      UsdtProbe p;
      const char* text = desc + sizeof addr;
      p.provider.assign(text, strnlen(text, end - text));
      text += p.provider.size() + 1;
      if (text >= end) continue;
      p.name.assign(text, strnlen(text, end - text));
      text += p.name.size() + 1;
      if (text < end) p.arguments.assign(text, strnlen(text, end - text));
      int64_t slide = base_address ? int64_t(*base_address - addr[1]) : 0;
      p.location = addr[0] + slide;
      p.semaphore = addr[2] ? addr[2] + slide : 0;
      probes.push_back(std::move(p));
    }
  }
  return probes;
}

std::string resolve_uprobe_binary(const std::string& name, int pid) {
  if (name.empty()) return "";
  if (name.find('/') != std::string::npos) return is_executable_file(name) ? name : "";
  std::string prefix = soname_prefix(name);
  if (pid > 0)
    if (std::string p = library_in_process(prefix, pid); !p.empty()) return p;
  for (const auto& [soname, path] : ld_so_cache())
    if (soname.rfind(prefix, 0) == 0 && is_executable_file(path)) return path;
  for (const char* dir : {"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64",
                          "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib"}) {
    std::string exact = std::string(dir) + "/" + name;
    if (name.find(".so") != std::string::npos && is_executable_file(exact)) return exact;
  }
  // A program name, as a shell would find it.
  const char* path_env = std::getenv("PATH");
  std::stringstream dirs(path_env ? path_env : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':'))
    if (!dir.empty() && ::access((dir + "/" + name).c_str(), X_OK) == 0) return dir + "/" + name;
  return "";
}

} // namespace tracelet::runtime
