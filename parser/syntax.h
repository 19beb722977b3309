// Small builders used by the grammar actions (parser/parser.yy), so that the actions stay
// one line each and every node gets its location.
#pragma once

#include "ast/ast.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tracelet::parser {

template <class T> std::unique_ptr<T> node(const Location& loc) {
  auto n = std::make_unique<T>();
  n->loc = loc;
  return n;
}

// loc: the whole expression; op_loc: the operator token (where sign warnings point).
ast::ExprPtr binary(const Location& loc, const Location& op_loc, ast::BinaryOp op, ast::ExprPtr lhs,
                    ast::ExprPtr rhs);
ast::ExprPtr unary(const Location& loc, ast::UnaryOp op, ast::ExprPtr operand);
ast::ExprPtr field(const Location& loc, ast::ExprPtr base, std::string name, bool is_arrow);
// op_loc: the compound operator token (`+=`), if any.
ast::StmtPtr assign_map(const Location& loc, ast::MapPtr map, ast::ExprPtr value,
                        std::optional<ast::BinaryOp> compound, const Location& op_loc = {});
ast::StmtPtr assign_var(const Location& loc, ast::VariablePtr var, ast::ExprPtr value,
                        std::optional<ast::BinaryOp> compound, const Location& op_loc = {});
ast::StmtPtr let_var(const Location& loc, ast::VariablePtr var,
                     std::optional<ast::TypeSpec> declared, ast::ExprPtr value);
ast::StmtPtr jump(const Location& loc, ast::JumpKind kind, ast::ExprPtr value);

// Splits an attach point's text on ':' outside double quotes; quotes are removed from the
// parts ("uprobe:\"/a b\":f" -> uprobe, /a b, f). A `+offset` stays in the last part.
std::vector<std::string> split_attach_point(const std::string& raw);

} // namespace tracelet::parser
