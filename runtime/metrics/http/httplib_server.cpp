// The plugin tracelet-metrics-http.so (see runtime/metrics/http_server.h): GET /metrics on
// Debian's cpp-httplib, which owns the HTTP parsing, keep-alive and its thread pool.
#include "runtime/metrics/http_server.h"

#include <httplib.h>

#include <netdb.h>
#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace tracelet::runtime {

namespace {

constexpr size_t kServerThreads = 4; // scrapes served at the same time
constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

class HttplibServer : public HttpServer {
public:
  explicit HttplibServer(ScrapeFunction scrape) : scrape_(std::move(scrape)) {
    server_.new_task_queue = [] { return new httplib::ThreadPool(kServerThreads); };
    server_.set_read_timeout(10, 0);
    server_.set_write_timeout(10, 0);
    server_.set_payload_max_length(64 * 1024);
    server_.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
      std::string body;
      bool ok = false;
      try {
        ok = scrape_(body);
      } catch (const std::exception& e) {
        body = e.what();
      }
      if (!ok) {
        res.status = 500;
        res.set_content(body + "\n", "text/plain; charset=utf-8");
        return;
      }
      res.set_content(std::move(body), kContentType);
    });
    auto not_allowed = [](const httplib::Request&, httplib::Response& res) {
      res.status = 405;
      res.set_header("Allow", "GET, HEAD");
      res.set_content("only GET and HEAD are served\n", "text/plain; charset=utf-8");
    };
    server_.Post("/metrics", not_allowed);
    server_.Put("/metrics", not_allowed);
    server_.Patch("/metrics", not_allowed);
    server_.Delete("/metrics", not_allowed);
    server_.Options("/metrics", not_allowed);
  }

  ~HttplibServer() override {
    server_.stop();
    if (thread_.joinable()) thread_.join(); // the pool's threads are joined before it returns
  }

  bool bind(const std::string& host, uint16_t port, std::string& error) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* result = nullptr;
    if (int rc = getaddrinfo(host.c_str(), nullptr, &hints, &result); rc != 0) {
      error = "cannot resolve '" + host + "': " + gai_strerror(rc);
      return false;
    }
    freeaddrinfo(result);
    errno = 0;
    if (!server_.bind_to_port(host, port)) {
      error = errno ? std::strerror(errno) : "bind failed";
      return false;
    }
    return true;
  }

  // The listening thread (and the pool it starts) block the stop signals: they go to the
  // thread that polls events.
  void start() {
    sigset_t block, previous;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &block, &previous);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  }

private:
  ScrapeFunction scrape_;
  httplib::Server server_;
  std::thread thread_;
};

std::unique_ptr<HttpServer> start(const std::string& host, uint16_t port, ScrapeFunction scrape,
                                  std::string& error) {
  auto server = std::make_unique<HttplibServer>(std::move(scrape));
  if (!server->bind(host, port, error)) return nullptr;
  server->start();
  return server;
}

} // namespace

} // namespace tracelet::runtime

extern "C" {
__attribute__((
    visibility("default"))) extern const tracelet::runtime::HttpServerPlugin tracelet_metrics_http;
const tracelet::runtime::HttpServerPlugin tracelet_metrics_http = {
    tracelet::runtime::kHttpServerPluginVersion, &tracelet::runtime::start};
}
