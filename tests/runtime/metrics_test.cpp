// --metrics end to end: a real Prometheus (Debian's `prometheus` package) scrapes tracelet on
// loopback every second and its HTTP API must report exactly what an exact workload did;
// promtool accepts the exposition of every map type; bind errors are one line before anything
// attaches.
#include "harness.h"
#include "loopback.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <linux/bpf.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <thread>

#include "json_value.h"

namespace tracelet::test {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// A port nothing listens on now (the kernel's pick for port 0).
int unused_port() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_storage addr;
  socklen_t len = loopback_address(AF_INET, 0, addr);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) close(fd);
    return -1;
  }
  close(fd);
  return port_of(addr);
}

bool have(const std::string& program) {
  return run_command({"/bin/sh", "-c", "command -v " + program}) == 0;
}

// curl's body; `code` gets the HTTP status ("000" when nothing answered).
std::string http(const std::vector<std::string>& args, std::string* code = nullptr) {
  std::vector<std::string> argv{"/usr/bin/curl", "-s", "-m", "5", "-w", "\n%{http_code}"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string out;
  run_command(argv, &out);
  auto nl = out.rfind('\n');
  if (code) *code = nl == std::string::npos ? out : out.substr(nl + 1);
  return nl == std::string::npos ? "" : out.substr(0, nl);
}

std::string scrape(int port, std::string* code = nullptr) {
  return http({"http://127.0.0.1:" + std::to_string(port) + "/metrics"}, code);
}

// tl_workload MODE ARG, run to completion; returns its pid.
pid_t run_workload(const std::string& mode, const std::string& arg) {
  pid_t pid = fork();
  if (pid == 0) {
    execl(workload_binary().c_str(), workload_binary().c_str(), mode.c_str(), arg.c_str(), nullptr);
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) ADD_FAILURE() << "waitpid: " << strerror(errno);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    ADD_FAILURE() << "tl_workload " << mode << " " << arg << ": status " << status;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? pid : -1;
}

// A Prometheus server on 127.0.0.1 that scrapes 127.0.0.1:target every second, its storage in
// a temporary directory. Stopped (SIGTERM, then SIGKILL after 10 s) and removed at the end.
class PrometheusServer {
public:
  explicit PrometheusServer(int target) {
    char tmpl[] = "/tmp/tracelet-metrics-prometheus-XXXXXX";
    if (!mkdtemp(tmpl)) return;
    dir_ = tmpl;
    port_ = unused_port();
    std::ofstream(dir_ / "prometheus.yml") << "global:\n"
                                              "  scrape_interval: 1s\n"
                                              "  scrape_timeout: 1s\n"
                                              "  evaluation_interval: 1s\n"
                                              "scrape_configs:\n"
                                              "  - job_name: tracelet\n"
                                              "    static_configs:\n"
                                              "      - targets: ['127.0.0.1:"
                                           << target << "']\n";
    std::string config = "--config.file=" + (dir_ / "prometheus.yml").string();
    std::string storage = "--storage.tsdb.path=" + (dir_ / "data").string();
    std::string listen = "--web.listen-address=127.0.0.1:" + std::to_string(port_);
    std::string log = (dir_ / "prometheus.log").string();
    pid_ = fork();
    if (pid_ == 0) {
      FILE* f = std::freopen(log.c_str(), "w", stdout);
      (void)f;
      dup2(fileno(stdout), STDERR_FILENO);
      execlp("prometheus", "prometheus", config.c_str(), storage.c_str(), listen.c_str(),
             "--log.level=warn", nullptr);
      _exit(127);
    }
  }

  ~PrometheusServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      for (int i = 0; i < 100 && waitpid(pid_, &status, WNOHANG) == 0; ++i)
        std::this_thread::sleep_for(100ms);
      if (waitpid(pid_, &status, WNOHANG) == 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
      }
    }
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  // Waits (up to 30 s) until the server answers /-/ready.
  bool ready() {
    for (int i = 0; i < 300 && pid_ > 0; ++i) {
      std::string code;
      http({"http://127.0.0.1:" + std::to_string(port_) + "/-/ready"}, &code);
      if (code == "200") return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

  std::string log() const {
    std::ifstream in(dir_ / "prometheus.log");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  // /api/v1/query: each series of the instant vector as (labels, value text).
  std::vector<std::pair<std::map<std::string, std::string>, std::string>>
  query(const std::string& expr) {
    std::string body = http({"--get", "--data-urlencode", "query=" + expr,
                             "http://127.0.0.1:" + std::to_string(port_) + "/api/v1/query"});
    // Sample timestamps are fractional seconds; the test's JSON reader takes integers only.
    body = std::regex_replace(body, std::regex(R"(\[([0-9]+)\.[0-9]+,)"), "[$1,");
    std::vector<std::pair<std::map<std::string, std::string>, std::string>> series;
    Json j;
    try {
      j = parse_json(body);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "bad answer to " << expr << ": " << e.what() << "\n" << body;
      return series;
    }
    if (j["status"].text != "success") return series;
    for (const auto& s : j["data"]["result"].items) {
      std::map<std::string, std::string> labels;
      for (const auto& [k, v] : s["metric"].fields)
        labels[k] = v.text;
      series.emplace_back(labels, s["value"][1].text);
    }
    return series;
  }

  // The value of a query that selects one series; "" until it does.
  std::string value(const std::string& expr) {
    auto series = query(expr);
    return series.size() == 1 ? series[0].second : "";
  }

private:
  fs::path dir_;
  int port_ = -1;
  pid_t pid_ = -1;
};

// Keeps the kernel counting BPF program runs while it lives (BPF_ENABLE_STATS: counting is on
// while any such fd is open, as with kernel.bpf_stats_enabled=1, without touching the sysctl).
class BpfStats {
public:
  BpfStats() {
    union bpf_attr attr {};
    attr.enable_stats.type = BPF_STATS_RUN_TIME;
    fd_ = static_cast<int>(syscall(__NR_bpf, BPF_ENABLE_STATS, &attr, sizeof attr));
  }
  ~BpfStats() {
    if (fd_ >= 0) close(fd_);
  }
  bool ok() const { return fd_ >= 0; }

private:
  int fd_ = -1;
};

#define REQUIRE_METRICS_TOOLS()                                                                    \
  do {                                                                                             \
    REQUIRE_BPF();                                                                                 \
    for (const char* tool : {"curl", "prometheus", "promtool"})                                    \
      if (!have(tool)) GTEST_SKIP() << tool << " is not installed (./setup.sh installs it)";       \
  } while (0)

constexpr int kCalls = 100;

// The counter equals the number of getppid() calls; the histograms of the values 0..99 (one per
// call) have exactly their known buckets and sum; labels carry the key expressions' names.
TEST(Metrics, PrometheusScrapesExactCountsAndHistograms) {
  REQUIRE_METRICS_TOOLS();
  int port = unused_port();
  ASSERT_GT(port, 0);
  PrometheusServer prometheus(port);
  ASSERT_TRUE(prometheus.ready()) << prometheus.log();
  BpfStats stats;

  pid_t workload = -1;
  std::string pid_label, last_scrape;
  std::vector<std::pair<std::map<std::string, std::string>, std::string>> calls, buckets, lbuckets;
  std::string sum, count, lsum, attached;
  RunSpec spec;
  spec.args = {"--metrics", std::to_string(port), "-e", R"(
BEGIN { printf("ready\n"); }
tracepoint:syscalls:sys_enter_getppid /comm == "tl_workload"/ {
  @calls[comm, pid] = count();
  @seq[pid]++;
  $v = @seq[pid] - 1;
  @values[pid] = hist($v);
  @linear[pid] = lhist($v, 0, 100, 10);
})"};
  spec.ready_marker = "ready\n";
  spec.stop_signal = SIGINT;
  spec.timeout = 90s;
  spec.workload = [&] {
    workload = run_workload("getppid", std::to_string(kCalls));
    if (workload <= 0) return;
    pid_label = "{pid=\"" + std::to_string(workload) + "\"}";
    // Prometheus scrapes every second; wait (at most 30 s) for a scrape after the workload.
    for (int i = 0; i < 300; ++i) {
      if (prometheus.value("tracelet_calls_total" + pid_label) == std::to_string(kCalls)) break;
      std::this_thread::sleep_for(100ms);
    }
    calls = prometheus.query("tracelet_calls_total" + pid_label);
    buckets = prometheus.query("tracelet_values_bucket" + pid_label);
    sum = prometheus.value("tracelet_values_sum" + pid_label);
    count = prometheus.value("tracelet_values_count" + pid_label);
    lbuckets = prometheus.query("tracelet_linear_bucket" + pid_label);
    lsum = prometheus.value("tracelet_linear_sum" + pid_label);
    attached = prometheus.value("tracelet_runtime_probes_attached");
    last_scrape = scrape(port);
  };
  RunResult r = run_tracelet(spec);
  ASSERT_GT(workload, 0) << "tl_workload did not run: " << r.err;
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_FALSE(r.timed_out);

  ASSERT_EQ(calls.size(), 1u) << prometheus.log();
  EXPECT_EQ(calls[0].second, std::to_string(kCalls));
  EXPECT_EQ(calls[0].first["comm"], "tl_workload");
  EXPECT_EQ(calls[0].first["pid"], std::to_string(workload));
  EXPECT_EQ(calls[0].first["job"], "tracelet");
  EXPECT_EQ(calls[0].first["instance"], "127.0.0.1:" + std::to_string(port));

  // hist() of 0..99: 0 | 1 | 2-3 | 4-7 | 8-15 | 16-31 | 32-63 | 64-99, cumulative.
  std::map<std::string, std::string> le;
  for (const auto& [labels, value] : buckets)
    le[labels.at("le")] = value;
  std::map<std::string, std::string> expected = {
      {"-1", "0"},  {"0", "1"},   {"1", "2"},     {"3", "4"},     {"7", "8"},     {"15", "16"},
      {"31", "32"}, {"63", "64"}, {"127", "100"}, {"255", "100"}, {"+Inf", "100"}};
  for (const auto& [bound, value] : expected)
    EXPECT_EQ(le[bound], value) << "le=" << bound;
  EXPECT_EQ(buckets.size(), 66u);
  EXPECT_EQ(sum, "4950");
  EXPECT_EQ(count, "100");

  // lhist(v, 0, 100, 10): ten values per bucket.
  std::map<std::string, std::string> lle;
  for (const auto& [labels, value] : lbuckets)
    lle[labels.at("le")] = value;
  EXPECT_EQ(lbuckets.size(), 12u);
  EXPECT_EQ(lle["-1"], "0");
  for (int i = 1; i <= 10; ++i)
    EXPECT_EQ(lle[std::to_string(i * 10 - 1)], std::to_string(i * 10)) << i;
  EXPECT_EQ(lle["+Inf"], "100");
  EXPECT_EQ(lsum, "4950");
  EXPECT_EQ(attached, "2"); // BEGIN and the tracepoint, as "Attaching 2 probes..."

  // Per-probe health from bpf_prog_info while kernel.bpf_stats_enabled is on (the tracepoint
  // runs for every getppid() on the machine, the filter is inside).
  if (stats.ok()) {
    std::smatch m;
    ASSERT_TRUE(std::regex_search(
        last_scrape, m,
        std::regex(
            R"(tracelet_runtime_probe_runs_total\{probe="tracepoint:syscalls:sys_enter_getppid"\} ([0-9]+))")))
        << last_scrape;
    EXPECT_GE(std::stoull(m[1]), static_cast<unsigned long long>(kCalls));
    EXPECT_TRUE(std::regex_search(
        last_scrape,
        std::regex(
            R"(tracelet_runtime_probe_run_time_ns_total\{probe="tracepoint:syscalls:sys_enter_getppid"\} [1-9][0-9]*)")))
        << last_scrape;
  }
  // stdout goes on as usual: the maps are printed at exit.
  EXPECT_NE(r.out.find("@calls[tl_workload, " + std::to_string(workload) + "]: 100\n"),
            std::string::npos)
      << r.out;
}

// Every map type, scraped and checked by promtool; label values escaped; 404 and 405; several
// scrapes at once; clear(), zero() and delete() in the next scrape.
TEST(Metrics, PromtoolAcceptsEveryMapType) {
  REQUIRE_METRICS_TOOLS();
  int port = unused_port();
  ASSERT_GT(port, 0);
  std::string trigger = "/tmp/tracelet-metrics-clear-" + std::to_string(getpid());
  std::string first, after, missing_code, post_code, promtool_out;
  int promtool_status = -1;
  std::vector<std::string> parallel(6), parallel_codes(6);
  RunSpec spec;
  spec.args = {"--metrics", "127.0.0.1:" + std::to_string(port), "-e", R"(
BEGIN {
  @syscalls[probe] = count();
  @ = count();
  @bytes_read = sum((uint64)4096);
  @offset = sum(-12);
  @smallest = min(-3);
  @largest[comm] = max(77);
  @average = avg(10);
  @size_stats = stats(20);
  @sizes = hist(1000);
  @spread = lhist(15, 0, 50, 10);
  @level[1, "two"] = 5;
  @names[pid] = comm;
  @quoted["say \"hi\"\\back\nslash"] = count();
  @cleared["a"] = count();
  @zeroed = count();
  @deleted["keep"] = 1;
  @deleted["drop"] = 2;
  printf("ready\n");
}
tracepoint:syscalls:sys_enter_statx /str(args.filename) == ")" + trigger + R"("/ {
  clear(@cleared);
  zero(@zeroed);
  delete(@deleted["drop"]);
})"};
  spec.ready_marker = "ready\n";
  spec.stop_signal = SIGINT;
  spec.timeout = 60s;
  spec.workload = [&] {
    first = scrape(port);
    std::ofstream(trigger + ".prom") << first;
    promtool_status = run_command(
        {"/bin/sh", "-c", "promtool check metrics < " + trigger + ".prom 2>&1"}, &promtool_out);
    fs::remove(trigger + ".prom");
    http({"http://127.0.0.1:" + std::to_string(port) + "/other"}, &missing_code);
    http({"-X", "POST", "-d", "x", "http://127.0.0.1:" + std::to_string(port) + "/metrics"},
         &post_code);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < parallel.size(); ++i)
      threads.emplace_back([&, i] { parallel[i] = scrape(port, &parallel_codes[i]); });
    for (auto& t : threads)
      t.join();
    run_workload("statx", trigger); // the file need not exist: the probe sees the name
    for (int i = 0; i < 50; ++i) {  // the clear() runs when its event is read
      after = scrape(port);
      if (after.find("tracelet_cleared_total{") == std::string::npos) break;
      std::this_thread::sleep_for(100ms);
    }
  };
  RunResult r = run_tracelet(spec);
  EXPECT_EQ(r.exit_status, 0) << r.err;

  EXPECT_EQ(promtool_status, 0) << promtool_out << "\n" << first;
  EXPECT_EQ(promtool_out, "");
  for (const char* line : {
           "# TYPE tracelet_syscalls_total counter\n"
           "tracelet_syscalls_total{probe=\"BEGIN\"} 1\n",
           "# TYPE tracelet_map_total counter\ntracelet_map_total 1\n",
           "# TYPE tracelet_bytes_read_total counter\ntracelet_bytes_read_total 4096\n",
           "# TYPE tracelet_offset gauge\ntracelet_offset -12\n",
           "# TYPE tracelet_smallest gauge\ntracelet_smallest -3\n",
           "tracelet_largest{comm=\"tracelet\"} 77\n",
           "# TYPE tracelet_average gauge\ntracelet_average 10\n",
           "# TYPE tracelet_size_stats summary\n"
           "tracelet_size_stats_sum 20\n"
           "tracelet_size_stats_count 1\n",
           "# TYPE tracelet_sizes histogram\n",
           "tracelet_sizes_bucket{le=\"511\"} 0\ntracelet_sizes_bucket{le=\"1023\"} 1\n",
           "tracelet_sizes_sum 1000\ntracelet_sizes_count 1\n",
           "tracelet_spread_bucket{le=\"9\"} 0\ntracelet_spread_bucket{le=\"19\"} 1\n",
           "tracelet_level{key0=\"1\",key1=\"two\"} 5\n",
           "tracelet_quoted_total{key0=\"say \\\"hi\\\"\\\\back\\nslash\"} 1\n",
           "tracelet_zeroed_total 1\n",
           "tracelet_deleted{key0=\"drop\"} 2\n",
       })
    EXPECT_NE(first.find(line), std::string::npos) << line << "\nnot in:\n" << first;
  EXPECT_TRUE(
      std::regex_search(first, std::regex(R"(tracelet_names\{pid="[0-9]+",value="tracelet"\} 1)")))
      << first;

  EXPECT_EQ(missing_code, "404");
  EXPECT_EQ(post_code, "405");
  for (size_t i = 0; i < parallel.size(); ++i) {
    EXPECT_EQ(parallel_codes[i], "200");
    EXPECT_NE(parallel[i].find("tracelet_sizes_count 1\n"), std::string::npos);
  }

  // clear(): the entries are gone; zero(): the counter is back at 0 (a counter reset to
  // Prometheus); delete(): that one key is gone.
  EXPECT_EQ(after.find("tracelet_cleared_total{"), std::string::npos) << after;
  EXPECT_NE(after.find("# TYPE tracelet_cleared_total counter\n"), std::string::npos);
  EXPECT_NE(after.find("tracelet_zeroed_total 0\n"), std::string::npos) << after;
  EXPECT_EQ(after.find("tracelet_deleted{key0=\"drop\"}"), std::string::npos) << after;
  EXPECT_NE(after.find("tracelet_deleted{key0=\"keep\"} 1\n"), std::string::npos) << after;
}

TEST(Metrics, WorksWithJsonOutput) {
  REQUIRE_METRICS_TOOLS();
  int port = unused_port();
  std::string body;
  RunSpec spec;
  spec.args = {"-f",        "json",
               "--metrics", std::to_string(port),
               "-e",        R"(BEGIN { @hits = count(); printf("ready\n"); })"};
  spec.ready_marker = "ready"; // in JSON: "data": "ready\n"
  spec.stop_signal = SIGINT;
  spec.workload = [&] { body = scrape(port); };
  RunResult r = run_tracelet(spec);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(body.find("tracelet_hits_total 1\n"), std::string::npos) << body;
  EXPECT_NE(r.out.find(R"({"type": "printf", "data": "ready\n"})"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(R"({"type": "map", "data": {"@hits": 1}})"), std::string::npos) << r.out;
}

// A taken port or an address not on this machine: one line, exit 1, nothing attached.
TEST(Metrics, BindErrorsAreOneLineBeforeAttaching) {
  REQUIRE_METRICS_TOOLS();
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_storage addr;
  socklen_t len = loopback_address(AF_INET, 0, addr);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), len), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  std::string port = std::to_string(port_of(addr));
  int links = count_bpf_links();
  const std::string prog = "tracepoint:syscalls:sys_enter_getppid { @ = count(); }";

  RunResult taken = run_tracelet({"--metrics", port, "-e", prog});
  close(fd);
  EXPECT_EQ(taken.exit_status, 1);
  EXPECT_EQ(taken.err, "tracelet: error: cannot serve metrics on 127.0.0.1:" + port +
                           ": Address already in use\n");
  EXPECT_EQ(taken.out, ""); // no "Attaching" line: nothing was attached
  EXPECT_EQ(count_bpf_links(), links);

  // 192.0.2.1 (TEST-NET-1) is no address of this machine.
  RunResult foreign = run_tracelet({"--metrics", "192.0.2.1:" + port, "-e", prog});
  EXPECT_EQ(foreign.exit_status, 1);
  EXPECT_EQ(foreign.err, "tracelet: error: cannot serve metrics on 192.0.2.1:" + port +
                             ": Cannot assign requested address\n");
  EXPECT_EQ(foreign.out, "");

  RunResult bad = run_tracelet({"--metrics", "localhost:http", "-e", prog});
  EXPECT_EQ(bad.exit_status, 1);
  EXPECT_EQ(bad.err, "tracelet: error: --metrics takes [HOST:]PORT, not 'localhost:http': the "
                     "port is not a number\n");
  EXPECT_EQ(count_bpf_links(), links);
}

} // namespace
} // namespace tracelet::test
