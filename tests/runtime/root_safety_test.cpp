// Root does not act on untrusted paths (issue 13, item 4), the privilege and tracefs parts:
// - an unprivileged user (created by the test, removed afterwards) gets one clear line and
//   exit status 1 for a run, --dry-run, -l and --info (as bpftrace 0.17, which refuses all four
//   to non-root), while --help, --version and --list-tools work; the capabilities count, not
//   the uid: the same user holding CAP_BPF and CAP_PERFMON runs a program;
// - a tracefs that tracelet has to mount is mounted in a mount namespace of its own: inside the
//   test's own private mount namespace, where tracefs is unmounted first (never the host's),
//   /proc/self/mountinfo is the same after a tracepoint run as before.
#include "harness.h"

#include <gtest/gtest.h>

#include <fstream>
#include <pwd.h>
#include <sstream>
#include <unistd.h>

using namespace tracelet::test;

namespace {

const char* kNeedsPrivileges = "tracelet needs root, or CAP_BPF and CAP_PERFMON\n";

// A user that exists for the lifetime of the object.
class Stranger {
public:
  Stranger() : name_("tlroot" + std::to_string(getpid())) {
    if (geteuid() != 0) return;
    if (run_command({"/usr/sbin/useradd", "-M", "-N", "-s", "/usr/sbin/nologin", name_}) != 0)
      return;
    if (passwd* pw = getpwnam(name_.c_str())) uid_ = static_cast<int>(pw->pw_uid);
  }
  ~Stranger() {
    if (uid_ >= 0) run_command({"/usr/sbin/userdel", name_});
  }
  bool ok() const { return uid_ > 0; }

  // `setpriv` arguments that run a command as this user with the given capabilities
  // ("" for none).
  std::vector<std::string> as_user(const std::string& caps) const {
    std::string inh = "-all" + (caps.empty() ? "" : "," + caps);
    return {"/usr/bin/setpriv",  "--reuid=" + std::to_string(uid_),
            "--regid=65534",     "--clear-groups",
            "--inh-caps=" + inh, "--ambient-caps=" + inh};
  }

private:
  std::string name_;
  int uid_ = -1;
};

struct Result {
  int status;
  std::string out, err;
};

// Runs argv with stdout and stderr kept apart (run_command merges nothing into err).
Result run_split(std::vector<std::string> argv) {
  std::string out_path = "/tmp/tracelet_root_priv_out_" + std::to_string(getpid());
  std::string err_path = "/tmp/tracelet_root_priv_err_" + std::to_string(getpid());
  std::string cmd;
  for (const auto& a : argv) {
    std::string q = "'";
    for (char c : a)
      q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    cmd += q + "' ";
  }
  cmd += ">" + out_path + " 2>" + err_path + " </dev/null";
  Result r;
  r.status = run_command({"/usr/bin/timeout", "60", "/bin/sh", "-c", cmd});
  auto slurp = [](const std::string& p) {
    std::ifstream in(p);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  r.out = slurp(out_path);
  r.err = slurp(err_path);
  unlink(out_path.c_str());
  unlink(err_path.c_str());
  return r;
}

std::vector<std::string> with(std::vector<std::string> head, const std::vector<std::string>& tail) {
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

TEST(Privileges, UnprivilegedUserGetsOneClearLine) {
  Stranger user;
  if (!user.ok()) GTEST_SKIP() << "needs root and useradd to create an unprivileged user";
  auto as_user = user.as_user("");
  for (std::vector<std::string> args :
       {std::vector<std::string>{"-e", "BEGIN { printf(\"hi\\n\"); exit(); }"},
        {"--dry-run", "-e", "BEGIN { }"},
        {"-e", "tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }"},
        {"-l", "tracepoint:syscalls:*"},
        {"-l"},
        {"--info"},
        {"-c", "/bin/true", "-e", "BEGIN { }"}}) {
    Result r = run_split(with(with(as_user, {tracelet_binary()}), args));
    EXPECT_EQ(r.status, 1) << args[0] << " " << args.back();
    EXPECT_EQ(r.err, kNeedsPrivileges) << args[0] << " " << args.back();
    EXPECT_EQ(r.out, "") << args[0] << " " << args.back();
  }
  Result help = run_split(with(as_user, {tracelet_binary(), "--help"}));
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("USAGE:"), std::string::npos);
  Result version = run_split(with(as_user, {tracelet_binary(), "--version"}));
  EXPECT_EQ(version.status, 0);
  EXPECT_EQ(version.out.rfind("tracelet v", 0), 0u) << version.out;
  Result tools = run_split(with(as_user, {tracelet_binary(), "--list-tools"}));
  EXPECT_EQ(tools.status, 0);
  EXPECT_NE(tools.out.find("hello"), std::string::npos);
}

TEST(Privileges, CapBpfAndCapPerfmonAreEnough) {
  REQUIRE_BPF();
  Stranger user;
  if (!user.ok()) GTEST_SKIP() << "needs root and useradd to create an unprivileged user";
  Result r = run_split(with(user.as_user("+bpf,+perfmon"),
                            {tracelet_binary(), "-e", "BEGIN { printf(\"hi\\n\"); exit(); }"}));
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "Attaching 1 probe...\nhi\n\n\n");
  // One of the two is not enough.
  r = run_split(with(user.as_user("+bpf"), {tracelet_binary(), "-e", "BEGIN { exit(); }"}));
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, kNeedsPrivileges);
}

// Inside a private mount namespace of the test's own, with tracefs unmounted there: a
// tracepoint run works and leaves the namespace's mount table as it was.
TEST(Tracefs, OwnMountIsPrivateToTracelet) {
  REQUIRE_BPF();
  std::string script = "/tmp/tracelet_root_mountns_" + std::to_string(getpid()) + ".sh";
  {
    std::ofstream s(script);
    // Runs in the new namespace only (unshare -m, private propagation): the host keeps its
    // tracefs. Unmounted until none is left at the path (it may be mounted more than once).
    s << "set -e\n"
         "n=0; while grep -q ' /sys/kernel/tracing ' /proc/self/mountinfo && [ $n -lt 10 ]; do\n"
         "  umount /sys/kernel/tracing; n=$((n+1)); done\n"
         "! grep -q ' /sys/kernel/tracing ' /proc/self/mountinfo\n"
         "cat /proc/self/mountinfo > "
      << script << ".before\n"
      << "'" << tracelet_binary()
      << "' -q -e 'tracepoint:syscalls:sys_enter_openat /pid == cpid/ "
         "{ printf(\"%s\\n\", str(args.filename)); }' -c '/bin/cat /etc/hostname' > "
      << script << ".out\n"
      << "cat /proc/self/mountinfo > " << script << ".after\n";
  }
  std::string out;
  int status =
      run_command({"/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", script}, &out);
  auto slurp = [](const std::string& p) {
    std::ifstream in(p);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  std::string before = slurp(script + ".before"), after = slurp(script + ".after"),
              traced = slurp(script + ".out");
  for (const char* ext : {"", ".before", ".after", ".out"})
    unlink((script + ext).c_str());
  ASSERT_EQ(status, 0) << out;
  EXPECT_NE(traced.find("\n/etc/hostname\n"), std::string::npos) << traced;
  ASSERT_FALSE(before.empty());
  EXPECT_EQ(before, after) << "tracelet changed the mount table of the namespace it ran in";
}

} // namespace
