// C definitions written in a script (`struct`, `union`, `enum`, `typedef` before the probes),
// as parser/c_declarations.cpp reads them: the syntax only. ast/passes/script_types.cpp lays
// the records out and makes the names known to the type passes.
#pragma once

#include "ast/location.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tracelet::ast {

struct CRecordBody;
struct CEnumBody;

// The type part of a declaration: a type name ("unsigned long", "u64", "struct foo",
// "foo_t"), or a struct, union or enum defined in place (named or anonymous).
struct CTypeName {
  std::string name; // "struct foo", "enum e", "int"; "" for an anonymous definition
  std::shared_ptr<CRecordBody> record; // defined here: `struct foo { ... }`
  std::shared_ptr<CEnumBody> enumeration;
  Location loc;
};

// What a declarator adds to the type: `*name[2][3] : 4`.
struct CDeclarator {
  std::string name;
  Location loc;
  int pointers = 0;             // `*` count (a function pointer counts as one)
  std::vector<uint64_t> dims;   // array dimensions, outermost first
  std::optional<uint32_t> bits; // bitfield width
};

// `type declarator, declarator;`. No declarators: an anonymous struct/union member, or a
// definition on its own (`struct foo { ... };`).
struct CDeclaration {
  bool is_typedef = false;
  CTypeName type;
  std::vector<CDeclarator> declarators;
  Location loc;
};

struct CRecordBody {
  bool is_union = false;
  std::string name; // "struct foo"; "" if anonymous
  std::vector<CDeclaration> members;
  Location loc;
};

struct CEnumBody {
  std::string name; // "enum e"; "" if anonymous
  std::vector<std::pair<std::string, int64_t>> values;
  Location loc;
};

} // namespace tracelet::ast
