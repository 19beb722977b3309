// The driver of the uprobe targets (tl_uprobe_target.c, tl_dwarf_target.c): each defines
// call_all(i), which calls every probed function once.
//   TARGET calls N   call_all(i) for i = 0..N-1, then exit
//   TARGET stdin     call_all(i) once for each byte read on stdin; exit at EOF
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void call_all(long i);

int main(int argc, char** argv) {
  if (argc == 3 && strcmp(argv[1], "calls") == 0) {
    long n = atol(argv[2]);
    for (long i = 0; i < n; ++i)
      call_all(i);
    return 0;
  }
  if (argc == 2 && strcmp(argv[1], "stdin") == 0) {
    char c;
    long i = 0;
    while (read(0, &c, 1) == 1)
      call_all(i++);
    return 0;
  }
  fprintf(stderr, "usage: %s calls N | stdin\n", argv[0]);
  return 2;
}
