// A USDT marker behind a semaphore (tl_usdt_target.c): tl:guarded fires only while a tracer
// has raised tl_guarded_semaphore (the kernel does it for a uprobe with ref_ctr_offset).
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>

unsigned short tl_guarded_semaphore __attribute__((unused, section(".probes")));

__attribute__((noinline)) void tl_guarded(long i) {
  if (__builtin_expect(tl_guarded_semaphore, 0)) DTRACE_PROBE1(tl, guarded, i);
}
