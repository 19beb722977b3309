// Exit paths (issue 13, item 5): a program path that is a directory, a device or too big is
// one clear error; a write error on the output ends the run with a message and detaches.
#include "harness.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace tracelet::test;

TEST(ExitPaths, ProgramPathThatIsADirectory) {
  auto r = run_tracelet({"/tmp"});
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err, "tracelet: error: cannot read the program '/tmp': it is a directory\n");
}

TEST(ExitPaths, ProgramPathThatIsAnEndlessDevice) {
  auto r = run_tracelet({"/dev/zero"});
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err,
            "tracelet: error: cannot read the program '/dev/zero': it is larger than 16 MiB\n");
}

TEST(ExitPaths, ProgramFileOverTheCap) {
  std::string path = "/tmp/tracelet_harden_big_" + std::to_string(getpid()) + ".bt";
  {
    std::ofstream out(path);
    out << "BEGIN { exit(); }\n";
    out << std::string(17 * 1024 * 1024, '\n');
  }
  auto r = run_tracelet({path});
  unlink(path.c_str());
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err,
            "tracelet: error: cannot read the program '" + path + "': it is larger than 16 MiB\n");
}

TEST(ExitPaths, ProgramFromAFifo) {
  std::string path = "/tmp/tracelet_harden_fifo_" + std::to_string(getpid());
  ASSERT_EQ(mkfifo(path.c_str(), 0600), 0);
  pid_t writer = fork();
  if (writer == 0) {
    std::ofstream(path) << "BEGIN { printf(\"from fifo\\n\"); exit(); }";
    _exit(0);
  }
  auto r = run_tracelet({path});
  unlink(path.c_str());
  waitpid(writer, nullptr, 0);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("from fifo\n"), std::string::npos);
}

TEST(ExitPaths, BrokenPipeWithSigpipeIgnoredEndsTheRun) {
  REQUIRE_BPF();
  std::string err_path = "/tmp/tracelet_harden_epipe_" + std::to_string(getpid());
  // The reader (head) leaves after one line; tracelet must notice and stop, not loop forever.
  std::string script = "trap '' PIPE; timeout -s KILL 20 " + tracelet_binary() +
                       " -e 'interval:ms:10 { printf(\"tick\\n\"); }' 2>" + err_path +
                       " | head -1 >/dev/null; exit ${PIPESTATUS[0]}";
  int status = run_command({"/bin/bash", "-c", script});
  std::ifstream in(err_path);
  std::string err((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  unlink(err_path.c_str());
  EXPECT_EQ(status, 1) << err;
  EXPECT_EQ(err, "tracelet: error: cannot write the output: Broken pipe\n");
}

TEST(ExitPaths, FullDiskEndsTheRun) {
  REQUIRE_BPF();
  auto r = run_tracelet({"-o", "/dev/full", "-e", "interval:ms:10 { printf(\"tick\\n\"); }"});
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err.rfind("tracelet: error: cannot write the output: ", 0), 0u) << r.err;
}
