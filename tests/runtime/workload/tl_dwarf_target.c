// A uprobe target with DWARF debug info (built with -g -O0, so every parameter is where the
// ABI passes it at the entry), for uprobe `args` typed from DWARF, `-lv` and casts to its
// structs (tests/runtime/dwarf_test.cpp, tests/unit/runtime/dwarf_test.cpp).
//   tl_dwarf_target calls N   call every function N times, then exit
//   tl_dwarf_target stdin     for each byte read on stdin, call every function once
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TL_PROBED __attribute__((noinline, used))

typedef unsigned int tld_count_t;
enum tld_color { TLD_RED, TLD_GREEN = 5, TLD_BLUE };
enum tld_sign { TLD_NEG = -2, TLD_POS = 2 };

struct tld_inner {
  short s;
  unsigned char low : 3, high : 5;
  int wide : 20;
};

struct tld_node {
  int id;
  char name[16];
  struct tld_inner inner;
  long values[3];
  int grid[2][3];
  union {
    unsigned int as_int;
    unsigned short halves[2];
  };
  struct {
    int anon_x;
    int anon_y;
  };
  struct tld_node* next;
  const char* label;
  double ratio; // not readable: left out of the record
};

struct tld_pair {
  int x;
  int y;
};

struct tld_triple {
  long a;
  int b;
};

struct tld_big {
  long a, b, c;
};

struct tld_only_cast {
  unsigned long magic;
  char tag[8];
};

TL_PROBED long tld_ints(int8_t a, uint8_t b, int16_t c, uint16_t d, int32_t e, uint32_t f) {
  __asm__ volatile("" ::: "memory");
  return a + b + c + d + e + f;
}

TL_PROBED long tld_wide(int64_t a, uint64_t b, tld_count_t c, enum tld_color col, char ch,
                        bool ok) {
  __asm__ volatile("" ::: "memory");
  return a + (long)b + c + col + ch + ok;
}

TL_PROBED int tld_strings(const char* name, struct tld_node* node) {
  __asm__ volatile("" ::: "memory");
  return (int)strlen(name) + node->id;
}

TL_PROBED long tld_by_value(struct tld_pair p, struct tld_triple t, struct tld_big big, long last) {
  __asm__ volatile("" ::: "memory");
  return p.x + p.y + t.a + t.b + big.a + big.b + big.c + last;
}

TL_PROBED long tld_many(long a1, long a2, long a3, long a4, long a5, long a6, long a7,
                        int a8) {
  __asm__ volatile("" ::: "memory");
  return a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8;
}

TL_PROBED long tld_after_float(double d, long x, enum tld_sign sign) {
  __asm__ volatile("" ::: "memory");
  return (long)d + x + sign;
}

TL_PROBED void tld_none(void) {
  __asm__ volatile("" ::: "memory");
}

TL_PROBED long tld_opaque(void* p, int** pp) {
  __asm__ volatile("" ::: "memory");
  return (long)p + (long)pp;
}

// Every probed function once (main in tl_calls_main.c).
void call_all(long i) {
  static struct tld_node second = {.id = 7, .name = "second"};
  static struct tld_node first = {.id = 42,
                                  .name = "first",
                                  .inner = {.s = -3, .low = 5, .high = 17, .wide = -1000},
                                  .values = {10, 20, 30},
                                  .grid = {{1, 2, 3}, {4, 5, 6}},
                                  .as_int = 0x04030201,
                                  .anon_x = 11,
                                  .anon_y = 12,
                                  .next = &second,
                                  .label = "a label",
                                  .ratio = 0.5};
  static struct tld_only_cast cast = {0xfeedface, "castme"};
  struct tld_pair p = {1, 2};
  struct tld_triple t = {300, 400};
  struct tld_big big = {5000, 6000, 7000};
  int value = 9;
  int* pv = &value;
  volatile long sink = 0;
  sink += tld_ints(-1, 200, -300, 60000, -70000, 4000000000u);
  sink += tld_wide(-5, 1ull << 63, 77, TLD_BLUE, 'z', true);
  sink += tld_strings("world", &first);
  sink += tld_by_value(p, t, big, 8);
  sink += tld_many(1, 2, 3, 4, 5, 6, 7, -8);
  sink += tld_after_float(1.5, 11 + i, TLD_NEG);
  tld_none();
  sink += tld_opaque(&cast, &pv);
  (void)sink;
}
