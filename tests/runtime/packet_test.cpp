// Packet programs (xdp, tc) on the real kernel, in private network namespaces: every test
// creates two namespaces joined by a veth pair (packet_a_<pid> with 10.77.0.1 / fd77::1 on
// pkta<pid>, packet_b_<pid> with 10.77.0.2 / fd77::2 on pktb<pid>), moves this process into
// the first while it runs, and removes both afterwards. Traffic goes only across that pair or
// to the namespaces' own loopback. Every ping and socket wait is bounded in count and time.
#include "harness.h"
#include "json_value.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <sstream>
#include <thread>

namespace tracelet::test {
namespace {

const std::string kIp = "/usr/sbin/ip";
const std::string kPing = "/usr/bin/ping";
const std::string kTimeout = "/usr/bin/timeout";

std::string script(const std::string& name) {
  return std::string(TRACELET_SOURCE_DIR) + "/scripts/" + name;
}

// Lines of `text` that contain `needle`.
int count_lines(const std::string& text, const std::string& needle) {
  std::istringstream in(text);
  int n = 0;
  for (std::string line; std::getline(in, line);)
    n += line.find(needle) != std::string::npos;
  return n;
}

class PacketNet : public ::testing::Test {
protected:
  void SetUp() override {
    REQUIRE_BPF();
    if (access(kPing.c_str(), X_OK) != 0) GTEST_SKIP() << "ping (iputils-ping) is not installed";
    std::string pid = std::to_string(getpid());
    ns_a_ = "packet_a_" + pid;
    ns_b_ = "packet_b_" + pid;
    if_a_ = "pkta" + pid;
    if_b_ = "pktb" + pid;
    ASSERT_EQ(ip({"netns", "add", ns_a_}), 0);
    created_ = true;
    ASSERT_EQ(ip({"netns", "add", ns_b_}), 0);
    ASSERT_EQ(ip({"link", "add", if_a_, "type", "veth", "peer", "name", if_b_}), 0);
    ASSERT_EQ(ip({"link", "set", if_a_, "netns", ns_a_}), 0);
    ASSERT_EQ(ip({"link", "set", if_b_, "netns", ns_b_}), 0);
    ASSERT_EQ(ip({"-n", ns_a_, "addr", "add", "10.77.0.1/24", "dev", if_a_}), 0);
    ASSERT_EQ(ip({"-n", ns_b_, "addr", "add", "10.77.0.2/24", "dev", if_b_}), 0);
    ASSERT_EQ(ip({"-n", ns_a_, "addr", "add", "fd77::1/64", "dev", if_a_, "nodad"}), 0);
    ASSERT_EQ(ip({"-n", ns_b_, "addr", "add", "fd77::2/64", "dev", if_b_, "nodad"}), 0);
    for (const auto& [ns, dev] : {std::pair{ns_a_, if_a_}, std::pair{ns_b_, if_b_}}) {
      ASSERT_EQ(ip({"-n", ns, "link", "set", "lo", "up"}), 0);
      ASSERT_EQ(ip({"-n", ns, "link", "set", dev, "up"}), 0);
    }
    // This process (and so tracelet, its child) works in namespace a from here on.
    home_ns_ = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(home_ns_, 0);
    int a = open(("/run/netns/" + ns_a_).c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(a, 0);
    ASSERT_EQ(setns(a, CLONE_NEWNET), 0);
    close(a);
    ASSERT_EQ(ping_from_b("10.77.0.1", 1), 1) << "the veth pair does not carry pings";
  }

  void TearDown() override {
    if (home_ns_ >= 0) {
      setns(home_ns_, CLONE_NEWNET);
      close(home_ns_);
    }
    if (created_) {
      ip({"netns", "del", ns_a_}); // removes the veth pair too
      ip({"netns", "del", ns_b_});
    }
  }

  static int ip(std::vector<std::string> args) {
    args.insert(args.begin(), kIp);
    return run_command(args);
  }

  // Pings `address` `count` times from namespace b (or a, from_a); the replies received.
  int ping(const std::string& address, int count, bool from_a) const {
    std::vector<std::string> argv;
    if (!from_a) argv = {kIp, "netns", "exec", ns_b_};
    argv.insert(argv.end(),
                {kPing, "-n", "-q", "-c", std::to_string(count), "-i", "0.2", "-W", "1", address});
    std::string out;
    run_command(argv, &out);
    size_t at = out.find(" received");
    if (at == std::string::npos) return -1;
    size_t start = out.rfind(' ', at - 1);
    return std::stoi(out.substr(start + 1, at - start - 1));
  }
  int ping_from_b(const std::string& address, int count) const {
    return ping(address, count, false);
  }

  // A TCP exchange from b to a server here in a: the client sends "hello", the server answers
  // "olleh". True if the client got the answer.
  bool tcp_works() const {
    int server = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = 0;
    inet_pton(AF_INET, "10.77.0.1", &addr.sin_addr);
    if (server < 0 || bind(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        listen(server, 1) != 0)
      return false;
    socklen_t len = sizeof addr;
    getsockname(server, reinterpret_cast<sockaddr*>(&addr), &len);
    std::thread accepter([server] {
      pollfd p{server, POLLIN, 0};
      if (poll(&p, 1, 5000) != 1) return;
      int c = accept4(server, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) return;
      char buf[5];
      if (recv(c, buf, sizeof buf, MSG_WAITALL) == 5) send(c, "olleh", 5, 0);
      close(c);
    });
    std::string out;
    run_command({kIp, "netns", "exec", ns_b_, kTimeout, "5", "/usr/bin/bash", "-c",
                 "exec 3<>/dev/tcp/10.77.0.1/" + std::to_string(ntohs(addr.sin_port)) +
                     " && printf hello >&3 && head -c 5 <&3"},
                &out);
    accepter.join();
    close(server);
    return out == "olleh";
  }

  std::string ns_a_, ns_b_, if_a_, if_b_;
  int home_ns_ = -1;
  bool created_ = false;
};

// icmp_drop.bt on the veth end in a (native XDP): ping from b loses every packet and each is
// counted; TCP across the same pair works meanwhile; Ctrl-C restores ping.
TEST_F(PacketNet, IcmpDropDropsEveryPingAndCtrlCRestores) {
  int v4 = -1, v6 = -1;
  bool tcp = false;
  std::string link_during;
  RunResult r = run_tracelet(interrupt_after({script("icmp_drop.bt"), if_a_}, "TYPE", [&] {
    run_command({kIp, "-d", "link", "show", if_a_}, &link_during);
    v4 = ping_from_b("10.77.0.1", 5);
    v6 = ping_from_b("fd77::1", 3);
    tcp = tcp_works();
  }));
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(v4, 0) << r.out;
  EXPECT_EQ(v6, 0) << r.out;
  EXPECT_TRUE(tcp) << "a TCP connection across the pair failed while icmp_drop ran";
  // Native mode on veth: `ip link` says "xdp" (generic would be "xdpgeneric").
  EXPECT_NE(link_during.find(" xdp "), std::string::npos) << link_during;
  EXPECT_EQ(link_during.find("xdpgeneric"), std::string::npos) << link_during;
  EXPECT_NE(r.out.find("@drops[10.77.0.2]: 5\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("@drops[fd77::2]: 3\n"), std::string::npos) << r.out;
  EXPECT_EQ(count_lines(r.out, " 10.77.0.2 "), 5) << r.out;
  EXPECT_EQ(count_lines(r.out, "10.77.0.1                  8    98"), 5) << r.out;
  EXPECT_EQ(count_lines(r.out, "fd77::1                  128   118"), 3) << r.out;
  // Detached: ping answers again, over IPv4 and IPv6, and no XDP program is left.
  EXPECT_EQ(ping_from_b("10.77.0.1", 2), 2);
  EXPECT_EQ(ping_from_b("fd77::1", 2), 2);
  std::string link_after;
  run_command({kIp, "-d", "link", "show", if_a_}, &link_after);
  EXPECT_EQ(link_after.find("prog/xdp"), std::string::npos) << link_after;
}

TEST_F(PacketNet, IcmpDropSigkillRestoresPing) {
  int during = -1;
  RunSpec spec = interrupt_after({script("icmp_drop.bt"), if_a_}, "TYPE",
                                 [&] { during = ping_from_b("fd77::1", 2); });
  spec.stop_signal = SIGKILL;
  RunResult r = run_tracelet(spec);
  EXPECT_EQ(r.exit_status, 128 + SIGKILL);
  EXPECT_EQ(during, 0) << r.out;
  // The link died with the process: nothing left on the interface.
  EXPECT_EQ(ping_from_b("10.77.0.1", 2), 2);
  EXPECT_EQ(ping_from_b("fd77::1", 2), 2);
}

TEST_F(PacketNet, SigtermAndExitRestorePing) {
  RunSpec spec = interrupt_after({script("icmp_drop.bt"), if_a_}, "TYPE",
                                 [&] { EXPECT_EQ(ping_from_b("10.77.0.1", 2), 0); });
  spec.stop_signal = SIGTERM;
  RunResult r = run_tracelet(spec);
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(ping_from_b("10.77.0.1", 2), 2);
  // exit() from the packet program itself: the third echo request ends the run.
  RunResult e = trace_until_exit("xdp:" + if_a_ +
                                     " /icmp && icmp->type == 8/ { @n++; if (@n == 3) { exit(); } "
                                     "return XDP_DROP; }",
                                 [&] { ping_from_b("10.77.0.1", 3); });
  EXPECT_EQ(e.exit_status, 0) << e.err;
  EXPECT_NE(e.out.find("@n: 3"), std::string::npos) << e.out;
  EXPECT_EQ(ping_from_b("10.77.0.1", 2), 2);
}

// Opens a UDP socket in namespace b on `port` (sockets keep their namespace).
int udp_socket_in(const std::string& ns, int home, uint16_t port) {
  int b = open(("/run/netns/" + ns).c_str(), O_RDONLY | O_CLOEXEC);
  if (b < 0 || setns(b, CLONE_NEWNET) != 0) return -1;
  close(b);
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  inet_pton(AF_INET, "10.77.0.2", &addr.sin_addr);
  if (s >= 0 && bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(s);
    s = -1;
  }
  int back = home;
  setns(back, CLONE_NEWNET);
  return s;
}

int drain(int s) {
  int n = 0;
  char buf[64];
  pollfd p{s, POLLIN, 0};
  while (poll(&p, 1, 300) == 1 && recv(s, buf, sizeof buf, 0) > 0)
    ++n;
  return n;
}

TEST_F(PacketNet, TcEgressDropsOneUdpPortAndPassesAnother) {
  const uint16_t dropped = 7701, passed = 7702;
  int a_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  int rx_dropped = udp_socket_in(ns_b_, a_ns, dropped);
  int rx_passed = udp_socket_in(ns_b_, a_ns, passed);
  close(a_ns);
  ASSERT_GE(rx_dropped, 0);
  ASSERT_GE(rx_passed, 0);
  int got_dropped = -1, got_passed = -1;
  RunResult r = trace_while(
      "tc:" + if_a_ + ":egress /udp/ { if (ntohs(udp->dest) == " + std::to_string(dropped) +
          ") { @dropped = count(); return TC_ACT_SHOT; } "
          "@seen[ntohs(udp->dest)] = count(); }",
      [&] {
        int tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_in to{};
        to.sin_family = AF_INET;
        inet_pton(AF_INET, "10.77.0.2", &to.sin_addr);
        for (int i = 0; i < 10; ++i) {
          to.sin_port = htons(dropped);
          sendto(tx, "x", 1, 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
          if (i < 7) {
            to.sin_port = htons(passed);
            sendto(tx, "y", 1, 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
          }
        }
        close(tx);
        got_dropped = drain(rx_dropped);
        got_passed = drain(rx_passed);
      });
  close(rx_dropped);
  close(rx_passed);
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(got_dropped, 0);
  EXPECT_EQ(got_passed, 7);
  EXPECT_NE(r.out.find("@dropped: 10\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("@seen[" + std::to_string(passed) + "]: 7\n"), std::string::npos) << r.out;
}

TEST_F(PacketNet, GenericModeOnLoopback) {
  int replies = -1;
  RunResult r = trace_while("xdp:lo:generic /icmp && icmp->type == 8/ "
                            "{ @[ntop(ip->daddr), pktlen > 0] = count(); return XDP_DROP; }",
                            [&] { replies = ping("127.0.0.1", 3, /*from_a=*/true); });
  ASSERT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(replies, 0);
  EXPECT_NE(r.out.find("@[127.0.0.1, 1]: 3\n"), std::string::npos) << r.out;
  EXPECT_EQ(ping("127.0.0.1", 1, true), 1);
}

// Also: the interface as a positional parameter, and two interfaces in one probe.
TEST_F(PacketNet, JsonOutputFromAPacketProbe) {
  // In JSON the ready line is "data": "ready\n", with a backslash.
  RunResult r = run_tracelet(interrupt_after(
      {"-f", "json", "-e",
       "BEGIN { printf(\"ready\\n\"); } xdp:$1, xdp:lo /icmp/ { printf(\"%s %d\\n\", "
       "ntop(ip->saddr), icmp->type); @types[icmp->type] = count(); }",
       if_a_},
      "ready", [&] { EXPECT_EQ(ping_from_b("10.77.0.1", 2), 2); }));
  ASSERT_EQ(r.exit_status, 0) << r.err;
  int printfs = 0;
  bool map_seen = false;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    Json j = parse_json(line);
    if (j["type"].text == "printf" && j["data"].text == "10.77.0.2 8\n") ++printfs;
    if (j["type"].text == "map") {
      map_seen = true;
      EXPECT_EQ(j["data"]["@types"]["8"].number, 2) << line;
    }
  }
  EXPECT_EQ(printfs, 2) << r.out;
  EXPECT_TRUE(map_seen) << r.out;
}

TEST_F(PacketNet, AttachErrorsAreOneLocatedLine) {
  RunResult missing = run_tracelet({"-e", "xdp:nosuch0 { }"});
  EXPECT_EQ(missing.exit_status, 1);
  EXPECT_EQ(missing.err.rfind("stdin:1:1: error: xdp:nosuch0 cannot attach: no network interface "
                              "'nosuch0' here (interfaces: lo, " +
                                  if_a_ + ")",
                              0),
            0u)
      << missing.err;
  RunResult native_lo = run_tracelet({"-e", "xdp:lo:native { }"});
  EXPECT_EQ(native_lo.exit_status, 1);
  EXPECT_NE(native_lo.err.find("stdin:1:1: error: xdp:lo:native cannot attach: the driver of lo "
                               "has no native XDP"),
            std::string::npos)
      << native_lo.err;
  EXPECT_EQ(ping("127.0.0.1", 1, true), 1); // nothing left behind

  // Someone else's XDP program on the interface: never replaced.
  RunResult second;
  RunResult r = trace_while("xdp:" + if_a_ + " { }", [&] {
    second = run_tracelet({"-e", "xdp:" + if_a_ + " /icmp/ { return XDP_DROP; }"});
  });
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(second.exit_status, 1);
  EXPECT_NE(second.err.find("stdin:1:1: error: xdp:" + if_a_ + " cannot attach: interface " +
                            if_a_ + " already has an XDP program (id "),
            std::string::npos)
      << second.err;
  EXPECT_NE(second.err.find("native mode) attached by someone else; tracelet does not replace it"),
            std::string::npos)
      << second.err;
}

TEST_F(PacketNet, ListsInterfaces) {
  RunResult x = run_tracelet({"-l", "xdp:*"});
  EXPECT_EQ(x.exit_status, 0) << x.err;
  EXPECT_EQ(x.out, "xdp:lo\nxdp:" + if_a_ + "\n");
  RunResult t = run_tracelet({"-l", "tc:*"});
  EXPECT_EQ(t.exit_status, 0) << t.err;
  EXPECT_NE(t.out.find("tc:" + if_a_ + ":egress\ntc:" + if_a_ + ":ingress\n"), std::string::npos)
      << t.out;
}

} // namespace
} // namespace tracelet::test
