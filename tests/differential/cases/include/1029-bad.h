#define GOOD 1
struct bad {
  int x;
  int;
  char y[;
};
