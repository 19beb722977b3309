#define FIRST 11
struct first { int a; char b; };
