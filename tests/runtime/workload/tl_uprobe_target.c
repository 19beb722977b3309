// A uprobe target for the runtime tests: functions with known arguments and return values that
// the compiler must keep as real calls (noinline, not static).
//   tl_uprobe_target calls N   call every function N times, then exit
//   tl_uprobe_target stdin     for each byte read on stdin, call every function once; exit at EOF
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TL_PROBED __attribute__((noinline, used))

TL_PROBED long tl_add(long a, long b) {
  __asm__ volatile("" ::: "memory");
  return a + b;
}

TL_PROBED long tl_sum6(long a, long b, long c, long d, long e, long f) {
  __asm__ volatile("" ::: "memory");
  return a + b + c + d + e + f;
}

TL_PROBED unsigned long tl_square(unsigned long x) {
  __asm__ volatile("" ::: "memory");
  return x * x;
}

TL_PROBED unsigned long tl_greet(const char* name) {
  __asm__ volatile("" ::: "memory");
  return strlen(name);
}

// Eight integer arguments: the last two are passed on the stack (sarg0, sarg1). Not named
// tl_*: the wildcard test counts the tl_* functions.
TL_PROBED long tlx_sum8(long a, long b, long c, long d, long e, long f, long g, long h) {
  __asm__ volatile("" ::: "memory");
  return a + b + c + d + e + f + g + h;
}

// A struct in user memory, for scripts that define it (tests/runtime/address_space_test.cpp).
// Not named tl_*: the wildcard test counts the tl_* functions.
struct tlx_point {
  int x;
  int y;
  char name[8];
  long values[2];
};

TL_PROBED long tlx_point_sum(const struct tlx_point* p, const int* scale) {
  __asm__ volatile("" ::: "memory");
  return (p->x + p->y) * *scale;
}

// Arrays of arrays and of structs in user memory, for scripts that index them once copied
// into variables and maps (tests/runtime/array_values_test.cpp). Not named tl_*.
struct tlx_pair {
  int a;
  int b;
};

struct tlx_grid {
  int y[2][2];
  struct tlx_pair pairs[2];
  long z[2][2][2];
};

TL_PROBED long tlx_grid_corner(const struct tlx_grid* g) {
  __asm__ volatile("" ::: "memory");
  return g->y[1][1];
}

// Every probed function once (main in tl_calls_main.c).
void call_all(long i) {
  static const struct tlx_point point = {3, 4, "pt", {10, 20}};
  static const int scale = 5;
  static const struct tlx_grid grid = {
      {{5, 6}, {7, 8}}, {{1, 2}, {3, 4}}, {{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}}};
  volatile long sink = 0;
  sink += tl_add(i, 100);
  sink += tl_sum6(1, 2, 3, 4, 5, 6);
  sink += tlx_sum8(1, 2, 3, 4, 5, 6, 70, 80);
  sink += tl_square(7);
  sink += tl_greet("tracelet");
  sink += tlx_point_sum(&point, &scale);
  sink += tlx_grid_corner(&grid);
  sink += getpid(); // a libc function for library uprobes
  (void)sink;
}
