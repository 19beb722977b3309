// Loads a BPF object, attaches every program (libbpf's auto-attach from the SEC names) and
// holds them until SIGINT or SIGTERM. Prints "ready <prog id> ..." once
// attached. Used by bench/per_event_cost.sh for the hand-written C baselines.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static void on_signal(int sig) {
  (void)sig;
  stop = 1;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s OBJECT.bpf.o\n", argv[0]);
    return 2;
  }
  struct bpf_object* obj = bpf_object__open_file(argv[1], NULL);
  if (!obj || bpf_object__load(obj)) {
    fprintf(stderr, "cannot load %s\n", argv[1]);
    return 1;
  }
  struct bpf_program* prog;
  struct bpf_link* links[16];
  int n = 0;
  printf("ready");
  bpf_object__for_each_program(prog, obj) {
    if (n == 16) break;
    links[n] = bpf_program__attach(prog);
    if (!links[n]) {
      fprintf(stderr, "cannot attach %s\n", bpf_program__name(prog));
      return 1;
    }
    struct bpf_prog_info info = {0};
    __u32 len = sizeof info;
    bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len);
    printf(" %u", info.id);
    ++n;
  }
  printf("\n");
  fflush(stdout);
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  while (!stop)
    pause();
  for (int i = 0; i < n; ++i)
    bpf_link__destroy(links[i]);
  bpf_object__close(obj);
  return 0;
}
