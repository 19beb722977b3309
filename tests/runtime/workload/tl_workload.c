// A workload with a known name and exactly counted actions, for runtime tests.
//   tl_workload getppid N     N getppid() syscalls
//   tl_workload open PATH     one openat() of PATH (need not exist)
//   tl_workload sleep MS      sleep MS milliseconds
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: tl_workload getppid N | open PATH | sleep MS\n");
    return 2;
  }
  if (strcmp(argv[1], "getppid") == 0) {
    long n = strtol(argv[2], NULL, 10);
    for (long i = 0; i < n; ++i)
      syscall(SYS_getppid);
  } else if (strcmp(argv[1], "open") == 0) {
    int fd = open(argv[2], O_RDONLY);
    if (fd >= 0)
      close(fd);
  } else if (strcmp(argv[1], "sleep") == 0) {
    long ms = strtol(argv[2], NULL, 10);
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
  } else {
    return 2;
  }
  return 0;
}
