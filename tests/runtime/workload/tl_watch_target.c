// A watchpoint target for the runtime tests (tests/runtime/watchpoint_test.cpp): a global and
// heap slots written and read a known number of times, through functions that take the
// address as an argument (noinline, kept). Built without PIE, so that the global's address is
// the same in every run.
//   tl_watch_target address        print the address of tl_watch_counter and exit
//   tl_watch_target run COMMANDS   run the commands, then exit
//   tl_watch_target stdin          run the commands read on stdin, exit at EOF
// Commands, one character each:
//   g      tl_watch_counter += 1 (one read, one write)
//   G      read tl_watch_counter
//   0-7    tl_watch_touch(0, slot N): *slot += 1 (one read, one write)
//   s      tl_watch_register(0, slot 0): the address is passed, not accessed
//   A-H    tl_watch_release(slot 0-7): the address is passed, not accessed
// Anything else is ignored.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TL_PROBED __attribute__((noinline, used))

// Initialised, so in .data: exec clears the tail of the page .data ends in (the start of
// .bss) byte by byte from the kernel, which a breakpoint on a .bss variable would count.
volatile long tl_watch_counter = 1;
volatile long tl_watch_sink;

TL_PROBED void tl_watch_touch(int unused, volatile long* slot) {
  (void)unused;
  *slot += 1;
}

TL_PROBED void tl_watch_register(int unused, volatile long* slot) {
  (void)unused;
  __asm__ volatile("" : : "r"(slot) : "memory");
}

TL_PROBED void tl_watch_release(volatile long* slot) {
  __asm__ volatile("" : : "r"(slot) : "memory");
}

static void run(char c, volatile long* slots) {
  if (c == 'g')
    tl_watch_counter += 1;
  else if (c == 'G')
    tl_watch_sink = tl_watch_counter;
  else if (c >= '0' && c <= '7')
    tl_watch_touch(0, &slots[(c - '0') * 8]); // 64 bytes apart: one slot per cache line
  else if (c == 's')
    tl_watch_register(0, &slots[0]);
  else if (c >= 'A' && c <= 'H')
    tl_watch_release(&slots[(c - 'A') * 8]);
}

int main(int argc, char** argv) {
  if (argc == 2 && strcmp(argv[1], "address") == 0) {
    printf("%p\n", (void*)&tl_watch_counter);
    return 0;
  }
  volatile long* slots = calloc(64, sizeof(long));
  if (!slots) return 1;
  if (argc == 3 && strcmp(argv[1], "run") == 0) {
    for (const char* p = argv[2]; *p; ++p)
      run(*p, slots);
    return 0;
  }
  if (argc == 2 && strcmp(argv[1], "stdin") == 0) {
    char c;
    while (read(0, &c, 1) == 1)
      run(c, slots);
    return 0;
  }
  fprintf(stderr, "usage: %s address | run COMMANDS | stdin\n", argv[0]);
  return 2;
}
