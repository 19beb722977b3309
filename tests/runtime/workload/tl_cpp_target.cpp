// A C++ uprobe target: tl::work(int) is a mangled name (_ZN2tl4workEi) for the demangling
// tests (BPFTRACE_NO_CPP_DEMANGLE). Usage: tl_cpp_target N -> N calls, 10 ms apart.
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace tl {
__attribute__((noinline)) int work(int x) {
  asm volatile("");
  return x * 2;
}
} // namespace tl

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 10;
  int sum = 0;
  for (int i = 0; i < n; i++) {
    sum += tl::work(i);
    usleep(10000);
  }
  std::printf("%d\n", sum);
  return 0;
}
