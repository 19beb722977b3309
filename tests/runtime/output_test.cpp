// -f json parsed back, and the output/run options: -o, -q, -B, -c, --no-warnings, -I, --include.
#include "harness.h"
#include "json_value.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace tracelet::test;

namespace {

const Json* find_typed(const std::vector<Json>& docs, const std::string& type,
                       const std::string& map = "") {
  for (const auto& d : docs)
    if (d["type"].text == type && (map.empty() || d["data"].has(map))) return &d;
  return nullptr;
}

std::string read_whole(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

} // namespace

TEST(JsonOutput, PrintfValuesAndEveryMapKind) {
  REQUIRE_BPF();
  auto r = run_tracelet({"-f", "json", "-e", R"(BEGIN {
      printf("a \"quoted\"\tline %d\n", -3);
      @c = count(); @c = count();
      @k[1, "x"] = sum(-5);
      @s["st"] = "v\\w";
      @t = (7, "seven");
      @h = hist(0); @h = hist(5); @h = hist(100);
      @l[2] = lhist(-1, 0, 10, 5); @l[2] = lhist(12, 0, 10, 5);
      @st = stats(4); @st = stats(8);
      @a[1] = avg(10); @a[1] = avg(20);
      print(@c); print(42); print((1, "two"));
      exit(); })"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  std::vector<Json> docs;
  ASSERT_NO_THROW(docs = json_lines(r.out)) << r.out;

  const Json* attached = find_typed(docs, "attached_probes");
  ASSERT_TRUE(attached) << r.out;
  EXPECT_EQ((*attached)["data"]["probes"].number, 1);

  const Json* p = find_typed(docs, "printf");
  ASSERT_TRUE(p) << r.out;
  EXPECT_EQ((*p)["data"].text, "a \"quoted\"\tline -3\n");

  std::vector<const Json*> values;
  for (const auto& d : docs)
    if (d["type"].text == "value") values.push_back(&d);
  ASSERT_EQ(values.size(), 2u) << r.out;
  EXPECT_EQ((*values[0])["data"].number, 42);
  EXPECT_EQ((*values[1])["data"][0].number, 1);
  EXPECT_EQ((*values[1])["data"][1].text, "two");

  const Json* c = find_typed(docs, "map", "@c");
  ASSERT_TRUE(c) << r.out;
  EXPECT_EQ((*c)["data"]["@c"].number, 2);
  EXPECT_EQ((*find_typed(docs, "map", "@k"))["data"]["@k"]["1,x"].number, -5);
  EXPECT_EQ((*find_typed(docs, "map", "@s"))["data"]["@s"]["st"].text, "v\\w");
  const Json& t = (*find_typed(docs, "map", "@t"))["data"]["@t"];
  EXPECT_EQ(t[0].number, 7);
  EXPECT_EQ(t[1].text, "seven");

  const Json* h = find_typed(docs, "hist", "@h");
  ASSERT_TRUE(h) << r.out;
  const Json& buckets = (*h)["data"]["@h"];
  ASSERT_EQ(buckets.items.size(), 8u) << r.out; // [0], [1], [2,3], ... [64,127]
  EXPECT_EQ(buckets[0]["min"].number, 0);
  EXPECT_EQ(buckets[0]["max"].number, 0);
  EXPECT_EQ(buckets[0]["count"].number, 1);
  EXPECT_EQ(buckets[3]["min"].number, 4);
  EXPECT_EQ(buckets[3]["max"].number, 7);
  EXPECT_EQ(buckets[3]["count"].number, 1);
  EXPECT_EQ(buckets[4]["count"].number, 0);
  EXPECT_EQ(buckets[7]["min"].number, 64);
  EXPECT_EQ(buckets[7]["max"].number, 127);
  EXPECT_EQ(buckets[7]["count"].number, 1);

  const Json& l = (*find_typed(docs, "hist", "@l"))["data"]["@l"]["2"];
  ASSERT_EQ(l.items.size(), 4u) << r.out; // below 0, [0,4], [5,9], 10 and above
  EXPECT_FALSE(l[0].has("min"));
  EXPECT_EQ(l[0]["max"].number, -1);
  EXPECT_EQ(l[1]["min"].number, 0);
  EXPECT_EQ(l[1]["max"].number, 4);
  EXPECT_EQ(l[3]["min"].number, 10);
  EXPECT_FALSE(l[3].has("max"));
  EXPECT_EQ(l[3]["count"].number, 1);

  const Json& st = (*find_typed(docs, "stats", "@st"))["data"]["@st"];
  EXPECT_EQ(st["count"].number, 2);
  EXPECT_EQ(st["average"].number, 6);
  EXPECT_EQ(st["total"].number, 12);
  EXPECT_EQ((*find_typed(docs, "stats", "@a"))["data"]["@a"]["1"].number, 15);
}

TEST(JsonOutput, EmptyMapPrintsNoLine) {
  REQUIRE_BPF();
  auto r = run_tracelet({"-f", "json", "-e", "BEGIN { @m[1] = 1; delete(@m[1]); exit(); }"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  auto docs = json_lines(r.out);
  EXPECT_EQ(find_typed(docs, "map"), nullptr) << r.out;
}

TEST(JsonOutput, RejectsUnknownFormat) {
  auto r = run_tracelet({"-f", "yaml", "-e", "BEGIN { exit(); }"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_NE(r.err.find("-f takes text or json, not 'yaml'"), std::string::npos) << r.err;
}

TEST(CliOptions, OutputFileGetsEverything) {
  REQUIRE_BPF();
  std::string path = "/tmp/tracelet-o-" + std::to_string(getpid());
  auto r = run_tracelet({"-o", path, "-e", R"(BEGIN { printf("to file\n"); @x = 3; exit(); })"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(read_whole(path), "Attaching 1 probe...\nto file\n\n\n@x: 3\n");
  unlink(path.c_str());
}

TEST(CliOptions, QuietDropsAttachingLine) {
  REQUIRE_BPF();
  auto r = run_tracelet({"-q", "-e", R"(BEGIN { printf("only\n"); exit(); })"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "only\n\n\n");
}

TEST(CliOptions, BufferingModes) {
  REQUIRE_BPF();
  for (const char* mode : {"none", "line", "full"}) {
    auto r = run_tracelet({"-B", mode, "-q", "-e", R"(BEGIN { printf("b\n"); exit(); })"});
    EXPECT_EQ(r.exit_status, 0) << mode << r.err;
    EXPECT_EQ(r.out, "b\n\n\n") << mode;
  }
  auto bad = run_tracelet({"-B", "some", "-e", "BEGIN { exit(); }"});
  EXPECT_EQ(bad.exit_status, 1);
  EXPECT_NE(bad.err.find("-B takes none, line or full, not 'some'"), std::string::npos);
}

TEST(CliOptions, ChildCommandTracedAndEndsTheRun) {
  REQUIRE_BPF();
  // The child makes 25 getppid calls once started; tracelet exits by itself when it exits.
  auto r = run_tracelet({"-q", "-c", workload_binary() + " getppid 25", "-e",
                         R"(BEGIN { printf("cpid=%d\n", cpid); }
          tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @calls = count(); })"});
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_FALSE(r.timed_out);
  EXPECT_NE(r.out.find("cpid="), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("cpid=0\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("@calls: 25\n"), std::string::npos) << r.out;
}

TEST(CliOptions, CpidWithoutChildIsLocatedError) {
  REQUIRE_BPF();
  auto r = run_tracelet({"-e", "BEGIN { print(cpid); }"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err, "stdin:1:15: error: cpid is only available with -c CMD\n"
                   "BEGIN { print(cpid); }\n"
                   "              ^~~~\n");
}

TEST(CliOptions, IncludeDirsAndFiles) {
  REQUIRE_BPF();
  auto ok = run_tracelet({"-I", "/tmp", "--include", "/dev/null", "-q", "-e", "BEGIN { exit(); }"});
  EXPECT_EQ(ok.exit_status, 0) << ok.err;
  // As bpftrace (clang): a missing -I directory is searched in vain; tracelet warns.
  auto missing_dir =
      run_tracelet({"-I", "/nonexistent-tracelet-dir", "-q", "-e", "BEGIN { exit(); }"});
  EXPECT_EQ(missing_dir.exit_status, 0) << missing_dir.err;
  EXPECT_NE(missing_dir.err.find("warning: -I /nonexistent-tracelet-dir: no such directory"),
            std::string::npos)
      << missing_dir.err;
  // bpftrace: "fatal error: 'nope.h' file not found", exit 1.
  auto missing_file =
      run_tracelet({"--include", "nonexistent-tracelet.h", "-e", "BEGIN { exit(); }"});
  EXPECT_EQ(missing_file.exit_status, 1);
  EXPECT_NE(missing_file.err.find("--include nonexistent-tracelet.h: file not found"),
            std::string::npos)
      << missing_file.err;
}

TEST(CliOptions, UnsafeAndKAccepted) {
  REQUIRE_BPF();
  auto r = run_tracelet(
      {"--unsafe", "-k", "--no-warnings", "-q", "-e", R"(BEGIN { printf("ok\n"); exit(); })"});
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.out, "ok\n\n\n");
}

// A warning is printed on stderr, located, and the program still runs; --no-warnings hides it.
TEST(CliOptions, WarningsPrintAndNoWarningsSilencesThem) {
  REQUIRE_BPF();
  const std::string prog = R"(BEGIN { $a = 7; printf("%d\n", $a / 2); exit(); })";
  auto warned = run_tracelet({"-q", "-e", prog});
  EXPECT_EQ(warned.exit_status, 0) << warned.err;
  EXPECT_EQ(warned.out, "3\n\n\n");
  EXPECT_NE(warned.err.find("stdin:1:35: warning: signed operands for '/' can lead to undefined "
                            "behavior (cast to unsigned to silence warning)\n"),
            std::string::npos)
      << warned.err;
  auto quiet = run_tracelet({"-q", "--no-warnings", "-e", prog});
  EXPECT_EQ(quiet.exit_status, 0) << quiet.err;
  EXPECT_EQ(quiet.out, "3\n\n\n");
  EXPECT_EQ(quiet.err.find("warning"), std::string::npos) << quiet.err;
}

// -k: a failing map delete is a located warning on the output stream, as bpftrace 0.17 prints
// it; without -k nothing is said. -kk adds failing memory reads, also as JSON.
TEST(CliOptions, KReportsFailingHelpers) {
  REQUIRE_BPF();
  const std::string del = R"(BEGIN { @x[1] = 1; delete(@x[2]); exit(); })";
  auto checked = run_tracelet({"-q", "-k", "-e", del});
  EXPECT_EQ(checked.exit_status, 0) << checked.err;
  EXPECT_EQ(checked.out, "stdin:1:20: warning: Failed to map_delete_elem: No such file or "
                         "directory (-2)\n"
                         "BEGIN { @x[1] = 1; delete(@x[2]); exit(); }\n"
                         "                   ^~~~~~~~~~~~~\n"
                         "\n\n@x[1]: 1\n");
  auto unchecked = run_tracelet({"-q", "-e", del});
  EXPECT_EQ(unchecked.out, "\n\n@x[1]: 1\n");

  const std::string read = R"(BEGIN { $p = (uint64)8; printf("%d\n", *(uint32 *)$p); exit(); })";
  auto k = run_tracelet({"-q", "-k", "-e", read});
  EXPECT_EQ(k.out, "0\n\n\n") << "-k leaves memory reads unchecked";
  auto kk = run_tracelet({"-q", "-kk", "-f", "json", "-e", read});
  EXPECT_EQ(kk.exit_status, 0) << kk.err;
  EXPECT_NE(kk.out.find(R"({"type": "helper_error", "helper": "probe_read_kernel", "retcode": -)"),
            std::string::npos)
      << kk.out;
  EXPECT_NE(kk.out.find(R"(, "line": 1, "col": 40})"), std::string::npos) << kk.out;
}
