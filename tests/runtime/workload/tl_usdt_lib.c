// A shared library with USDT markers, for probes that live in a library a process links
// rather than in its program (usdt_library_test.cpp):
//   tllib:lib_probe      i
//   tllib2:lib_probe_2   i, 2 * i
#include <sys/sdt.h>

__attribute__((visibility("default"), noinline)) void tl_lib_fire(long i) {
  DTRACE_PROBE1(tllib, lib_probe, i);
  DTRACE_PROBE2(tllib2, lib_probe_2, i, 2 * i);
}
