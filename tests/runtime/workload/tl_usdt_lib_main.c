// The program of tl_usdt_lib_target: links libtl_usdt_lib.so (tl_usdt_lib.c) and has one
// marker of its own.
//   tl_usdt_lib_target N       fire the markers N times (i = 0..N-1), then exit
//   tl_usdt_lib_target stdin   fire them once for each byte read on stdin; exit at EOF
// Per run i: tlmain:main_probe i, then the library's tllib:lib_probe i and
// tllib2:lib_probe_2 i, 2 * i.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sdt.h>

void tl_lib_fire(long i); // tl_usdt_lib.c

static void run(long i) {
  DTRACE_PROBE1(tlmain, main_probe, i);
  tl_lib_fire(i);
}

int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], "stdin") == 0) {
    long i = 0;
    while (getchar() != EOF)
      run(i++);
    return 0;
  }
  long n = argc > 1 ? atol(argv[1]) : 1;
  for (long i = 0; i < n; i++)
    run(i);
  return 0;
}
