// The global table of map types: every use of a map must agree on its key and value types.
// The first use fixes the type; a later use that disagrees is reported at the later use,
// naming both. Integers of either sign agree (the first use's sign is kept; integers of
// different sizes in tuples share the wider size); strings of any size agree and the map keeps
// the largest size; pointers agree with pointers (the first use's pointee is kept).
#pragma once

#include "ast/ast.h"
#include "ast/diagnostics.h"

#include <map>
#include <optional>
#include <set>
#include <string>

namespace tracelet::ast::passes {

// "file:line:col", to name the place of an earlier use in a message.
std::string where(const Location& loc);

// The type both `a` and `b` fit in, if they agree by the rule above.
std::optional<Type> unify(const Type& a, const Type& b);

class MapTypes {
public:
  struct Slot {
    Type type;
    Location first_use;
    bool known = false;
  };
  struct Entry {
    Slot key, value;
  };

  // Record a use with `key` (Type::none() for no key); report a disagreement.
  void use_key(const std::string& map, const Type& key, const Location& loc, Diagnostics& diags);
  // Record a value stored into the map; report a disagreement.
  void use_value(const std::string& map, const Type& value, const Location& loc,
                 Diagnostics& diags);

  const Entry* find(const std::string& map) const;
  // A map whose assignment had an error: reads of it report nothing more.
  void mark_failed(const std::string& map) { failed_.insert(map); }
  bool failed(const std::string& map) const { return failed_.count(map) != 0; }
  const std::map<std::string, Entry>& all() const { return maps_; }

private:
  std::map<std::string, Entry> maps_;
  std::set<std::string> failed_;
};

} // namespace tracelet::ast::passes
