// Root does not act on untrusted paths (issue 13, item 4). An unprivileged user, created by
// the test and removed afterwards, plants a symbolic link, a file and a FIFO in /tmp; root's
// tracelet must neither follow, overwrite nor block on them.
#include "harness.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace tracelet::test;

namespace {

// A user that exists for the lifetime of the object.
class Stranger {
public:
  Stranger() : name_("tlharden" + std::to_string(getpid())) {
    if (geteuid() != 0) return;
    if (run_command({"/usr/sbin/useradd", "-M", "-N", "-s", "/usr/sbin/nologin", name_}) != 0)
      return;
    if (passwd* pw = getpwnam(name_.c_str())) {
      uid_ = pw->pw_uid;
      gid_ = pw->pw_gid;
    }
  }
  ~Stranger() {
    if (uid_ >= 0) run_command({"/usr/sbin/userdel", name_});
  }
  bool ok() const { return uid_ > 0; }

  // Runs `action` in a child process with the user's identity; true if it returned true.
  bool as_user(const std::function<bool()>& action) const {
    pid_t pid = fork();
    if (pid == 0) {
      if (setgid(static_cast<gid_t>(gid_)) != 0 || setuid(static_cast<uid_t>(uid_)) != 0) _exit(2);
      _exit(action() ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }

private:
  std::string name_;
  int uid_ = -1, gid_ = -1;
};

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string tmp_name(const std::string& what) {
  return "/tmp/tracelet_harden_" + what + "_" + std::to_string(getpid());
}

} // namespace

TEST(UntrustedPaths, OutputSymlinkPlantedByAnotherUserIsNotFollowed) {
  REQUIRE_BPF();
  Stranger user;
  if (!user.ok()) GTEST_SKIP() << "cannot create a user with useradd";
  std::string victim = tmp_name("victim"), link = tmp_name("link");
  {
    std::ofstream(victim) << "root's secret\n";
    chmod(victim.c_str(), 0600);
  }
  ASSERT_TRUE(user.as_user([&] { return symlink(victim.c_str(), link.c_str()) == 0; }));
  auto r = run_tracelet({"-o", link, "-e", "BEGIN { printf(\"overwritten\\n\"); exit(); }"});
  std::string content = read_all(victim);
  unlink(link.c_str());
  unlink(victim.c_str());
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err, "tracelet: error: cannot open '" + link +
                       "': it is a symbolic link in a world-writable directory (not followed)\n");
  EXPECT_EQ(content, "root's secret\n");
}

TEST(UntrustedPaths, OutputFilePlantedByAnotherUserIsNotWritten) {
  REQUIRE_BPF();
  Stranger user;
  if (!user.ok()) GTEST_SKIP() << "cannot create a user with useradd";
  std::string planted = tmp_name("planted");
  ASSERT_TRUE(user.as_user([&] {
    std::ofstream(planted) << "theirs\n";
    return chmod(planted.c_str(), 0666) == 0;
  }));
  auto r = run_tracelet({"-o", planted, "-e", "BEGIN { printf(\"mine\\n\"); exit(); }"});
  std::string content = read_all(planted);
  unlink(planted.c_str());
  EXPECT_EQ(r.exit_status, 1);
  EXPECT_EQ(r.err, "tracelet: error: cannot open '" + planted +
                       "': it belongs to another user in a world-writable directory\n");
  EXPECT_EQ(content, "theirs\n");
}

TEST(UntrustedPaths, OutputFileIsCreatedPrivate) {
  REQUIRE_BPF();
  std::string path = tmp_name("private");
  unlink(path.c_str());
  auto r = run_tracelet({"-o", path, "-e", "BEGIN { printf(\"x\\n\"); exit(); }"});
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  unlink(path.c_str());
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(UntrustedPaths, CatOfAFifoDoesNotBlockTheEventLoop) {
  REQUIRE_BPF();
  Stranger user;
  if (!user.ok()) GTEST_SKIP() << "cannot create a user with useradd";
  std::string fifo = tmp_name("fifo");
  ASSERT_TRUE(user.as_user([&] { return mkfifo(fifo.c_str(), 0666) == 0; }));
  RunSpec spec;
  spec.args = {"-e", "BEGIN { cat(\"" + fifo + "\"); printf(\"after cat\\n\"); exit(); }"};
  spec.timeout = std::chrono::seconds(10);
  auto r = run_tracelet(spec);
  unlink(fifo.c_str());
  ASSERT_FALSE(r.timed_out) << "cat() of a FIFO blocked";
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_NE(r.out.find("after cat\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "tracelet: cat: '" + fifo + "' is not a regular file\n");
}
