#include "codegen/llvm_diagnostics.h"

#include <llvm/IR/DiagnosticInfo.h>
#include <llvm/IR/DiagnosticPrinter.h>
#include <llvm/IR/Function.h>
#include <llvm/Support/raw_ostream.h>

#include <memory>

namespace tracelet::codegen {

namespace {

class CollectingHandler : public llvm::DiagnosticHandler {
public:
  explicit CollectingHandler(std::vector<LlvmDiagnostic>& errors) : errors_(errors) {}

  bool handleDiagnostics(const llvm::DiagnosticInfo& info) override {
    if (info.getSeverity() != llvm::DS_Error) return true; // remarks and warnings: dropped
    LlvmDiagnostic d;
    std::string text;
    llvm::raw_string_ostream os(text);
    if (auto* unsupported = llvm::dyn_cast<llvm::DiagnosticInfoUnsupported>(&info)) {
      os << unsupported->getMessage();
      d.function = unsupported->getFunction().getName().str();
    } else {
      llvm::DiagnosticPrinterRawOStream printer(os);
      info.print(printer);
    }
    os.flush();
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
      text.pop_back();
    d.message = text;
    errors_.push_back(std::move(d));
    return true; // handled: LLVM goes on instead of exiting
  }

private:
  std::vector<LlvmDiagnostic>& errors_;
};

} // namespace

LlvmDiagnostics::LlvmDiagnostics(llvm::LLVMContext& ctx) : ctx_(ctx) {
  ctx_.setDiagnosticHandler(std::make_unique<CollectingHandler>(errors_));
}

LlvmDiagnostics::~LlvmDiagnostics() {
  ctx_.setDiagnosticHandler(std::make_unique<llvm::DiagnosticHandler>());
}

} // namespace tracelet::codegen
