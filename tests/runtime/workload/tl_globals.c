// A non-PIE uprobe target with data symbols of known values, for uaddr(): built with
// -fno-pie -no-pie, so a symbol's ELF address is its address in the process.
//   tl_globals N   calls tl_touch() N times, then exits
#include <stdlib.h>

volatile unsigned short tl_magic16 = 0xbeef;
volatile unsigned int tl_magic32 = 0x1234abcd;
volatile unsigned long tl_magic64 = 0x1122334455667788UL;

__attribute__((noinline, used)) void tl_touch(void) {
  __asm__ volatile("" ::: "memory");
}

int main(int argc, char** argv) {
  long n = argc > 1 ? atol(argv[1]) : 1;
  for (long i = 0; i < n; ++i)
    tl_touch();
  return 0;
}
