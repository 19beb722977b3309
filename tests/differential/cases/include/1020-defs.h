// A user's header: object-like macros, an enum, a struct, a union and a typedef.
#define SLOTS 4
#define SCALE (SLOTS * 10)
enum color { RED = SLOTS, GREEN, BLUE = 10 };
struct pair {
  int a[SLOTS];
  long b;
  char c;
};
typedef struct pair pair_t;
union num { int i; char c[12]; };
struct wrap { pair_t p; int x; };
