// The canned tools in scripts/, each run on the real kernel with a workload that does what
// the tool reports (fork, a thread, unshare'd children, loopback TCP), and its output checked.
// Every wait is bounded (the harness kills tracelet after its timeout; child commands run
// under timeout(1)); cgroups and files the tests create are removed.
#include "harness.h"
#include "loopback.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <regex>
#include <sstream>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace tracelet::test;

namespace {

std::string script(const std::string& name) {
  return std::string(TRACELET_SOURCE_DIR) + "/scripts/" + name + ".bt";
}

// Runs a tool, the workload once it printed its BEGIN line, then SIGINT.
RunResult run_tool(std::vector<std::string> args, std::function<void()> workload) {
  RunSpec spec = interrupt_after(std::move(args), "Hit Ctrl-C to end.", [&] {
    workload();
    usleep(300 * 1000); // events reach the perf buffer reader
  });
  spec.timeout = std::chrono::seconds(30);
  return run_tracelet(spec);
}

bool has_line(const std::string& out, const std::string& regex) {
  return std::regex_search(out, std::regex("(^|\n)" + regex + "(\n|$)"));
}

bool have_unshare(std::string* why) {
  if (access("/usr/bin/unshare", X_OK) != 0) {
    *why = "util-linux unshare is not installed";
    return false;
  }
  return true;
}

// A TCP connect to `addr` (AF_INET or AF_INET6 loopback) port `port`; returns errno or 0.
int tcp_connect(int family, uint16_t port) {
  int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno;
  sockaddr_storage addr;
  socklen_t len = loopback_address(family, port, addr);
  int rc = connect(fd, reinterpret_cast<sockaddr*>(&addr), len);
  int err = rc == 0 ? 0 : errno;
  close(fd);
  return err;
}

// A listening loopback socket on an ephemeral port; fd < 0 if the family is unavailable.
struct Listener {
  int fd = -1;
  uint16_t port = 0;
  explicit Listener(int family) {
    fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return;
    sockaddr_storage ss;
    socklen_t len = loopback_address(family, 0, ss);
    if (bind(fd, reinterpret_cast<sockaddr*>(&ss), len) || listen(fd, 8) ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len)) {
      close(fd);
      fd = -1;
      return;
    }
    port = port_of(ss);
  }
  ~Listener() {
    if (fd >= 0) close(fd);
  }
};

// A loopback port nothing listens on: bound, read and closed.
uint16_t closed_port() {
  Listener l(AF_INET);
  return l.port;
}

// The cgroup2 mount point ("" if none).
std::string cgroup2_root() {
  std::ifstream mounts("/proc/self/mounts");
  for (std::string dev, dir, type, rest;
       mounts >> dev >> dir >> type && std::getline(mounts, rest);)
    if (type == "cgroup2") return dir;
  return "";
}

// A cgroup v2 directory of this test's own (removed on destruction).
struct TestCgroup {
  std::string parent, path;
  TestCgroup(const std::string& leaf) {
    std::string root = cgroup2_root();
    if (root.empty()) return;
    parent = root + "/tracelet_scripts_" + std::to_string(getpid());
    if (mkdir(parent.c_str(), 0755) && errno != EEXIST) {
      parent.clear();
      return;
    }
    path = parent + "/" + leaf;
    if (mkdir(path.c_str(), 0755) && errno != EEXIST) path.clear();
  }
  ~TestCgroup() {
    for (int i = 0; i < 50 && !path.empty() && rmdir(path.c_str()) && errno == EBUSY; ++i)
      usleep(20 * 1000); // the killed/exited members leave asynchronously
    if (!parent.empty()) rmdir(parent.c_str());
  }
};

std::string nodename_for_test() {
  return "tlscr" + std::to_string(getpid());
}

} // namespace

TEST(ScriptsClonesnoop, SeesForkThreadAndNewPidNamespace) {
  REQUIRE_BPF();
  std::string why;
  if (!have_unshare(&why)) GTEST_SKIP() << why;
  pid_t child = -1;
  pid_t thread_tid = -1;
  int unshare_status = -1;
  auto r = run_tool({script("clonesnoop")}, [&] {
    child = fork();
    if (child == 0) _exit(0);
    waitpid(child, nullptr, 0);
    std::thread t([&] { thread_tid = gettid(); });
    t.join();
    unshare_status =
        run_command({"/usr/bin/timeout", "10", "/usr/bin/unshare", "-p", "-f", "/bin/true"});
  });
  ASSERT_FALSE(r.timed_out) << r.out << r.err;
  EXPECT_EQ(r.exit_status, 0) << r.err;
  ASSERT_EQ(unshare_status, 0);
  std::string me = std::to_string(getpid());
  EXPECT_TRUE(has_line(r.out, "PID     PPID    COMM             CHILD   FLAGS")) << r.out;
  // fork(): glibc's clone flags, no CLONE_THREAD.
  EXPECT_TRUE(has_line(r.out, me + R"(\s+\d+\s+runtime_tests\s+)" + std::to_string(child) +
                                  R"(\s+(CLONE_CHILD_CLEARTID CLONE_CHILD_SETTID|-))"))
      << r.out;
  EXPECT_TRUE(has_line(r.out, me + R"(\s+\d+\s+runtime_tests\s+)" + std::to_string(thread_tid) +
                                  R"(\s+CLONE_VM .*CLONE_THREAD.*)"))
      << r.out;
  EXPECT_TRUE(has_line(r.out, R"(\d+\s+\d+\s+unshare\s+\d+ .*CLONE_NEWPID.*)")) << r.out;
}

TEST(ScriptsClonesnoop, PrintsJsonLines) {
  REQUIRE_BPF();
  pid_t child = -1;
  auto r = run_tool({"-f", "json", script("clonesnoop")}, [&] {
    child = fork();
    if (child == 0) _exit(0);
    waitpid(child, nullptr, 0);
  });
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(
      r.out.find(
          R"({"type": "printf", "data": "PID     PPID    COMM             CHILD   FLAGS\n"})"),
      std::string::npos)
      << r.out;
  EXPECT_TRUE(std::regex_search(
      r.out, std::regex(R"(\{"type": "printf", "data": ")" + std::to_string(getpid()) +
                        R"(\s+\d+\s+runtime_tests\s+)" + std::to_string(child) + R"(\s.*\\n"\})")))
      << r.out;
}

TEST(ScriptsTcpconnect, SeesV4AndV6ConnectsAndARefusal) {
  REQUIRE_BPF();
  Listener v4(AF_INET), v6(AF_INET6);
  ASSERT_GE(v4.fd, 0);
  uint16_t refused_port = closed_port();
  int v4_err = -1, v6_err = -1, refused_err = -1;
  auto r = run_tool({script("tcpconnect")}, [&] {
    v4_err = tcp_connect(AF_INET, v4.port);
    if (v6.fd >= 0) v6_err = tcp_connect(AF_INET6, v6.port);
    refused_err = tcp_connect(AF_INET, refused_port);
  });
  ASSERT_FALSE(r.timed_out) << r.out << r.err;
  EXPECT_EQ(r.exit_status, 0) << r.err;
  ASSERT_EQ(v4_err, 0);
  ASSERT_EQ(refused_err, ECONNREFUSED);
  std::string me = std::to_string(getpid());
  EXPECT_TRUE(
      has_line(r.out, "PID     COMM             IP SADDR +DADDR +DPORT SPORT  LAT\\(us\\) RESULT"))
      << r.out;
  EXPECT_TRUE(has_line(r.out, me + R"(\s+runtime_tests\s+4\s+127\.0\.0\.1\s+127\.0\.0\.1\s+)" +
                                  std::to_string(v4.port) + R"(\s+\d+\s+\d+ ok)"))
      << r.out;
  EXPECT_TRUE(has_line(r.out, me + R"(\s+runtime_tests\s+4\s+127\.0\.0\.1\s+127\.0\.0\.1\s+)" +
                                  std::to_string(refused_port) + R"(\s+\d+\s+\d+ refused)"))
      << r.out;
  if (v6.fd < 0) GTEST_SKIP() << "no IPv6 loopback here: the v6 connect was not checked";
  ASSERT_EQ(v6_err, 0);
  EXPECT_TRUE(has_line(r.out, me + R"(\s+runtime_tests\s+6\s+::1\s+::1\s+)" +
                                  std::to_string(v6.port) + R"(\s+\d+\s+\d+ ok)"))
      << r.out;
}

TEST(ScriptsTcpconnect, PrintsJsonLines) {
  REQUIRE_BPF();
  Listener v4(AF_INET);
  ASSERT_GE(v4.fd, 0);
  auto r = run_tool({"-f", "json", script("tcpconnect")}, [&] { tcp_connect(AF_INET, v4.port); });
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_TRUE(std::regex_search(
      r.out, std::regex(R"(\{"type": "printf", "data": ")" + std::to_string(getpid()) +
                        R"(\s+runtime_tests\s+4\s+127\.0\.0\.1\s+127\.0\.0\.1\s+)" +
                        std::to_string(v4.port) + R"(\s+\d+\s+\d+ ok\\n"\})")))
      << r.out;
}

TEST(ScriptsTcpconnectKprobe, PassesDryRunAndNamesTheAlternative) {
  REQUIRE_BPF();
  auto dry = run_tracelet({"--dry-run", script("tcpconnect_kprobe")});
  EXPECT_EQ(dry.exit_status, 0) << dry.err;
  struct stat st;
  if (stat("/sys/kernel/tracing/kprobe_events", &st) == 0 ||
      stat("/sys/kernel/debug/tracing/kprobe_events", &st) == 0)
    GTEST_SKIP() << "this kernel has kprobes: the tool runs here, no refusal to check";
  auto run = run_tracelet({script("tcpconnect_kprobe")});
  EXPECT_EQ(run.exit_status, 1);
  EXPECT_EQ(run.err,
            script("tcpconnect_kprobe") +
                ":32:1: error: kprobe:tcp_v4_connect cannot attach: this kernel has no "
                "kprobes (CONFIG_KPROBES off) and refuses fentry; try tcpconnect.bt "
                "(`tracelet tcpconnect`), which uses tracepoint:sock:inet_sock_set_state\n");
}

TEST(ScriptsContainerTcp, SeesAContainerConnectAndNotTheHost) {
  REQUIRE_BPF();
  std::string why;
  if (!have_unshare(&why)) GTEST_SKIP() << why;
  const std::string id = "c0ffee" + std::to_string(getpid()) + "0123456789abcdef";
  TestCgroup cg("docker-" + id + ".scope");
  if (cg.path.empty()) GTEST_SKIP() << "cannot create a cgroup v2 directory here";
  std::string node = nodename_for_test();
  uint16_t port = closed_port();
  std::string host_comm = "/tmp/tl_scripts_host_" + std::to_string(getpid());
  ASSERT_EQ(run_command({"/bin/cp", "/bin/bash", host_comm}), 0);
  std::string connect = "exec 3<>/dev/tcp/127.0.0.1/" + std::to_string(port);
  // The container: its own cgroup, PID and UTS namespaces, a hostname, then a connect.
  std::string container = "echo $$ > " + cg.path +
                          "/cgroup.procs && exec /usr/bin/timeout 10 "
                          "/usr/bin/unshare -p -f -u --mount-proc /bin/bash -c 'hostname " +
                          node + " && " + connect + "'";
  auto workload = [&] {
    run_command({"/bin/sh", "-c", container});
    run_command({"/usr/bin/timeout", "10", host_comm, "-c", connect});
  };
  auto r = run_tool({script("container_tcp")}, workload);
  auto filtered = run_tool({"-f", "json", script("container_tcp"), node}, workload);
  auto other = run_tool({script("container_tcp"), "not_" + node}, workload);
  unlink(host_comm.c_str());
  ASSERT_FALSE(r.timed_out) << r.out << r.err;
  EXPECT_EQ(r.exit_status, 0) << r.err;
  std::string rel = cg.path.substr(cgroup2_root().size());
  std::string line = R"(\d+\s+bash\s+)" + node + R"(\s+)" + id.substr(0, 12) +
                     R"( 4\s+127\.0\.0\.1\s+)" + std::to_string(port) + R"(\s+unified:)" + rel;
  EXPECT_TRUE(has_line(r.out, line)) << r.out;
  EXPECT_EQ(r.out.find("tl_scripts_host"), std::string::npos) << r.out;
  EXPECT_TRUE(std::regex_search(
      filtered.out, std::regex(R"(\{"type": "printf", "data": ")" + line + R"(\\n"\})")))
      << filtered.out;
  EXPECT_EQ(other.out.find(node), std::string::npos) << other.out;
}

TEST(ScriptsUnshareGuard, ReportsAnUnshareInAContainer) {
  REQUIRE_BPF();
  std::string why;
  if (!have_unshare(&why)) GTEST_SKIP() << why;
  std::string node = nodename_for_test();
  std::string out;
  auto r = run_tool({script("unshare_guard")}, [&] {
    run_command({"/usr/bin/timeout", "10", "/usr/bin/unshare", "-p", "-f", "-u", "--mount-proc",
                 "/bin/sh", "-c",
                 "hostname " + node + " && /usr/bin/unshare -u /bin/true && echo alive"},
                &out);
  });
  ASSERT_FALSE(r.timed_out) << r.out << r.err;
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(out, "alive\n");
  EXPECT_TRUE(has_line(r.out, R"(\d+\s+unshare\s+)" + node +
                                  R"(\s+unshare\s+report flags=0x4000000 CLONE_NEWUTS)"))
      << r.out;
  EXPECT_TRUE(has_line(r.out, R"(\d+\s+unshare\s+\S+\s+mount\s+report type=proc target=/proc.*)"))
      << r.out;
}

TEST(ScriptsUnshareGuard, KillModeKillsTheCallerAndNeedsUnsafe) {
  REQUIRE_BPF();
  std::string why;
  if (!have_unshare(&why)) GTEST_SKIP() << why;
  auto refused = run_tracelet({script("unshare_guard"), "kill"});
  EXPECT_EQ(refused.exit_status, 1);
  EXPECT_NE(refused.err.find("signal() is an unsafe function being used in safe mode: run with "
                             "--unsafe to allow it"),
            std::string::npos)
      << refused.err;
  std::string out;
  auto r = run_tool({"--unsafe", script("unshare_guard"), "kill"}, [&] {
    // The container's shell survives (it calls nothing); its `unshare -u` child is killed.
    run_command({"/usr/bin/timeout", "10", "/usr/bin/unshare", "-p", "-f", "/bin/sh", "-c",
                 "/usr/bin/unshare -u /bin/true; echo status=$?"},
                &out);
  });
  ASSERT_FALSE(r.timed_out) << r.out << r.err;
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(out, "status=137\n"); // 128 + SIGKILL
  EXPECT_TRUE(
      has_line(r.out, R"(\d+\s+unshare\s+\S+\s+unshare\s+kill\s+flags=0x4000000 CLONE_NEWUTS)"))
      << r.out;
}

TEST(ScriptsCgroupPath, PrintsPathsAsBpftrace) {
  REQUIRE_BPF();
  TestCgroup cg("sub");
  if (cg.path.empty()) GTEST_SKIP() << "cannot create a cgroup v2 directory here";
  std::string rel = cg.path.substr(cgroup2_root().size());
  std::string prog = "BEGIN { printf(\"%s|%s|%s\\n\", cgroup_path(cgroupid(\"" + cg.path +
                     "\")), cgroup_path(cgroupid(\"" + cg.path +
                     "\"), \"uni*\"), cgroup_path(cgroupid(\"" + cg.path +
                     "\"), \"cpu\")); print(cgroup_path(cgroupid(\"" + cg.path + "\"))); exit(); }";
  auto r = run_tracelet({"-q", "-e", prog});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  // (the two empty lines at exit are bpftrace's, before the maps)
  EXPECT_EQ(r.out, "unified:" + rel + "|unified:" + rel + "|\nunified:" + rel + "\n\n\n");
  auto json =
      run_tracelet({"-q", "-f", "json", "-e",
                    "BEGIN { print(cgroup_path(cgroupid(\"" + cg.path + "\"))); exit(); }"});
  EXPECT_EQ(json.out, "{\"type\": \"value\", \"data\": \"unified:" + rel + "\"}\n\n\n") << json.err;
  auto bad = run_tracelet({"-e", "BEGIN { printf(\"%s\\n\", cgroup_path(\"x\")); exit(); }"});
  EXPECT_EQ(bad.exit_status, 1);
  EXPECT_NE(bad.err.find("cgroup_path() needs an integer cgroup id (as `cgroup`), not string"),
            std::string::npos)
      << bad.err;
}
