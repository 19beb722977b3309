#include "runtime/attach/detach.h"

#include <algorithm>
#include <thread>

namespace tracelet::runtime {

namespace {

constexpr size_t kLinksPerThread = 4;
constexpr size_t kMaxThreads = 64;

} // namespace

void detach_all(std::vector<Link>& links) {
  size_t threads = std::min(kMaxThreads, links.size() / kLinksPerThread);
  if (threads > 1) {
    std::vector<std::thread> workers;
    workers.reserve(threads);
    try {
      for (size_t t = 0; t < threads; ++t)
        workers.emplace_back([&links, t, threads] {
          for (size_t i = t; i < links.size(); i += threads)
            links[i].reset();
        });
    } catch (...) {
      // No thread could be started: the ones that did finish their share, the rest below.
    }
    for (auto& w : workers)
      w.join();
  }
  links.clear(); // whatever is left, in this thread
}

} // namespace tracelet::runtime
