// A USDT target for the runtime tests (usdt_test.cpp, probe_listing_test.cpp): SystemTap
// markers (<sys/sdt.h>) whose argument specs cover every operand shape gcc writes on x86-64.
//   tl_usdt_target N       run the markers N times (i = 0..N-1), then exit
//   tl_usdt_target stdin   run them once for each byte read on stdin; exit at EOF
// Per run i:
//   tl:sizes     s8=-5 u8=250 s16=-300 u16=65000 s32=-70000 u32=4000000000 s64=-5e9 u64=1.8e19,
//                each read from the stack ("-1@-9(%rsp)" ... "8@-40(%rsp)")
//   tl:wide      s64, u64 again (arg0..arg5 are what a probe reads, as in bpftrace)
//   tl:consts    (int8)-1 (int32)-1 (uint8)255 (int64)-7 as constants ("-1@$-1 -4@$-1 1@$-1")
//   tl:pointers  "hello", &(int32)-42, i
//   tl:inlined   i and i+1000 from one marker in an inlined function: two locations
//   other:consts i (same probe name as tl:consts, another provider)
//   tl:indexed   arr[i%4], the 16 bits after it, i%4 through "base + index*4" specs
//                (arr = {10, -20, 30, -40}; "-4@(%rdx,%rcx,4) -2@4(%rdx,%rcx,4) 8@%rcx")
//   tl:guarded   i, only while its semaphore is raised (tl_usdt_guarded.c)
//   tl:globals   tl_counter = -1000 - i, tl_table[2] = 3 * i, tl_small = i + 7, read from the
//                globals themselves ("-4@tl_counter(%rip) -8@16+tl_table(%rip)
//                2@tl_small(%rip)"): where they are depends on the load address (PIE)
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sdt.h>

void tl_guarded(long i); // tl_usdt_guarded.c

// volatile: gcc names them in the marker's operands instead of copying them to registers.
volatile int32_t tl_counter;
volatile int64_t tl_table[4];
static volatile uint16_t tl_small;

static inline __attribute__((always_inline)) void tl_inlined(long v) {
  DTRACE_PROBE1(tl, inlined, v);
}

__attribute__((noinline)) void tl_run(long i, const char* word) {
  volatile int8_t s8 = -5;
  volatile uint8_t u8 = 250;
  volatile int16_t s16 = -300;
  volatile uint16_t u16 = 65000;
  volatile int32_t s32 = -70000;
  volatile uint32_t u32 = 4000000000u;
  volatile int64_t s64 = -5000000000LL;
  volatile uint64_t u64 = 18000000000000000000ull;
  int32_t value = -42;
  DTRACE_PROBE8(tl, sizes, s8, u8, s16, u16, s32, u32, s64, u64);
  DTRACE_PROBE2(tl, wide, s64, u64);
  DTRACE_PROBE4(tl, consts, (int8_t)-1, (int32_t)-1, (uint8_t)255, (int64_t)-7);
  DTRACE_PROBE3(tl, pointers, word, &value, i);
  tl_inlined(i);
  tl_inlined(i + 1000);
  DTRACE_PROBE1(other, consts, i);
  int arr[4] = {10, -20, 30, -40};
  long idx = i % 4;
  // An explicit operand string: gcc itself rarely writes index registers into a spec.
  __asm__ volatile(STAP_PROBE_ASM(tl, indexed, -4@(%%rdx,%%rcx,4) -2@4(%%rdx,%%rcx,4) 8@%%rcx)
                   :
                   : "d"(arr), "c"(idx)
                   : "memory");
  tl_guarded(i);
  tl_counter = (int32_t)(-1000 - i);
  tl_table[2] = 3 * i;
  tl_small = (uint16_t)(i + 7);
  DTRACE_PROBE3(tl, globals, tl_counter, tl_table[2], tl_small);
}

int main(int argc, char** argv) {
  // On the stack: a string literal's page may not be mapped in yet when the probe reads it
  // (BPF reads of user memory do not fault pages in).
  char word[8];
  strcpy(word, "hello");
  if (argc > 1 && strcmp(argv[1], "stdin") == 0) {
    long i = 0;
    while (getchar() != EOF)
      tl_run(i++, word);
    return 0;
  }
  long n = argc > 1 ? atol(argv[1]) : 1;
  for (long i = 0; i < n; i++)
    tl_run(i, word);
  return 0;
}
