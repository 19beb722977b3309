#ifndef INNER_1021_H
#define INNER_1021_H
#define INNER 7
struct inner { long a; long b; };
#endif
