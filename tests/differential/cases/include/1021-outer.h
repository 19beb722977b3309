#ifndef OUTER_1021_H
#define OUTER_1021_H
// Nested quoted includes are looked up next to this header first.
#include "1021-inner.h"
#include "1021-once.h"
#include "1021-once.h"
struct outer {
  struct inner in;
  int n;
};
#endif
