// A workload with a known name and exactly counted actions, for runtime tests.
//   tl_workload getppid N        N getppid() syscalls
//   tl_workload open PATH        one openat() of PATH (need not exist)
//   tl_workload sleep MS         sleep MS milliseconds (glibc: one clock_nanosleep)
//   tl_workload nanosleep MS     one nanosleep() system call of MS milliseconds
//   tl_workload statx PATH       one statx() of PATH (need not exist)
//   tl_workload kill SIG         one kill(own pid, SIG); SIG 0 only checks
//   tl_workload setuid UID       one setuid(UID) (as root, setuid(0) changes nothing)
//   tl_workload fsync PATH       write 4 KiB to PATH (created, then removed), fsync() it
//   tl_workload directio PATH    write and read 64 KiB with O_DIRECT (block I/O), remove PATH
//   tl_workload thread N         create and join N threads running tl_thread_main, wait 0.5 s
//   tl_workload resolve HOST     one getaddrinfo(HOST)
//   tl_workload fork N           fork N children that exit at once; wait for each
//   tl_workload spin MS          busy loop on the CPU for MS milliseconds
#define _GNU_SOURCE
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

// The thread start routine threadsnoop names (usym(arg2) of pthread_create): a real symbol.
__attribute__((noinline, used)) void* tl_thread_main(void* arg) {
  __asm__ volatile("" ::: "memory");
  return arg;
}

static long number(const char* s) {
  return strtol(s, NULL, 10);
}

static int write_fsync(const char* path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return 1;
  static char block[4096];
  memset(block, 'x', sizeof block);
  int ok = write(fd, block, sizeof block) == (ssize_t)sizeof block && fsync(fd) == 0;
  close(fd);
  unlink(path);
  return ok ? 0 : 1;
}

static int direct_io(const char* path) {
  enum { kBytes = 64 * 1024 };
  void* buf = NULL;
  if (posix_memalign(&buf, 4096, kBytes) != 0) return 1;
  memset(buf, 'd', kBytes);
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_DIRECT, 0600);
  if (fd < 0) return 1;
  int ok =
      pwrite(fd, buf, kBytes, 0) == kBytes && fsync(fd) == 0 && pread(fd, buf, kBytes, 0) == kBytes;
  close(fd);
  unlink(path);
  free(buf);
  return ok ? 0 : 1;
}

static int threads(long n) {
  for (long i = 0; i < n; ++i) {
    pthread_t t;
    if (pthread_create(&t, NULL, tl_thread_main, NULL) != 0) return 1;
    pthread_join(t, NULL);
  }
  // Live on a moment: a tracer symbolizes our addresses (usym) from /proc/<pid>/maps when it
  // prints the event, which it cannot once we are gone.
  struct timespec linger = {0, 500 * 1000000L};
  nanosleep(&linger, NULL);
  return 0;
}

static int forks(long n) {
  for (long i = 0; i < n; ++i) {
    pid_t pid = fork();
    if (pid == 0) _exit(0);
    if (pid < 0) return 1;
    waitpid(pid, NULL, 0);
  }
  return 0;
}

static int spin(long ms) {
  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  volatile unsigned long x = 0;
  do {
    for (int i = 0; i < 100000; ++i)
      x += i;
    clock_gettime(CLOCK_MONOTONIC, &now);
  } while ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 < ms);
  return 0;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(
        stderr,
        "usage: tl_workload getppid N | open PATH | sleep MS | nanosleep MS | statx PATH | kill SIG"
        " | setuid UID | fsync PATH | directio PATH | thread N | resolve HOST"
        " | fork N | spin MS\n");
    return 2;
  }
  const char* what = argv[1];
  const char* arg = argv[2];
  if (strcmp(what, "getppid") == 0) {
    long n = number(arg);
    for (long i = 0; i < n; ++i)
      syscall(SYS_getppid);
  } else if (strcmp(what, "open") == 0) {
    int fd = open(arg, O_RDONLY);
    if (fd >= 0) close(fd);
  } else if (strcmp(what, "sleep") == 0) {
    long ms = number(arg);
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
  } else if (strcmp(what, "nanosleep") == 0) {
    long ms = number(arg);
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    return syscall(SYS_nanosleep, &ts, NULL) == 0 ? 0 : 1;
  } else if (strcmp(what, "statx") == 0) {
    struct statx st;
    statx(AT_FDCWD, arg, 0, STATX_BASIC_STATS, &st);
  } else if (strcmp(what, "kill") == 0) {
    return kill(getpid(), (int)number(arg)) == 0 ? 0 : 1;
  } else if (strcmp(what, "setuid") == 0) {
    return setuid((uid_t)number(arg)) == 0 ? 0 : 1;
  } else if (strcmp(what, "fsync") == 0) {
    return write_fsync(arg);
  } else if (strcmp(what, "directio") == 0) {
    return direct_io(arg);
  } else if (strcmp(what, "thread") == 0) {
    return threads(number(arg));
  } else if (strcmp(what, "resolve") == 0) {
    struct addrinfo* res = NULL;
    int rc = getaddrinfo(arg, NULL, NULL, &res);
    if (res) freeaddrinfo(res);
    return rc == 0 ? 0 : 1;
  } else if (strcmp(what, "fork") == 0) {
    return forks(number(arg));
  } else if (strcmp(what, "spin") == 0) {
    return spin(number(arg));
  } else {
    return 2;
  }
  return 0;
}
