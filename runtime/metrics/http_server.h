// The HTTP side of --metrics, behind a small interface: its implementation
// (http/httplib_server.cpp, on Debian's cpp-httplib) is a plugin, tracelet-metrics-http.so,
// loaded only when --metrics is given. Linking cpp-httplib into tracelet itself would load
// OpenSSL, zlib and brotli at every start (+2 ms, +4 MB RSS) for a feature most runs do not use.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace tracelet::runtime {

// Fills `body` with the exposition and returns true, or fills it with a reason and returns
// false (answered as 500). Called on the server's threads, possibly several at once.
using ScrapeFunction = std::function<bool(std::string& body)>;

// Serves GET /metrics (HEAD too) from its own threads until destroyed: other paths 404, other
// methods 405. The threads block SIGINT/SIGTERM, which stay with the event loop.
class HttpServer {
public:
  virtual ~HttpServer() = default;
};

// What the plugin exports, as `tracelet_metrics_http`.
struct HttpServerPlugin {
  uint32_t version; // kHttpServerPluginVersion
  // Binds host:port and starts serving; on failure returns nullptr and a one-line reason.
  std::unique_ptr<HttpServer> (*start)(const std::string& host, uint16_t port,
                                       ScrapeFunction scrape, std::string& error);
};
constexpr uint32_t kHttpServerPluginVersion = 1;
constexpr const char* kHttpServerPluginFile = "tracelet-metrics-http.so";

// Loads the plugin (next to the tracelet binary, or in ../lib/tracelet/ from it; the
// environment variable TRACELET_METRICS_PLUGIN overrides). Throws tracelet::Error if it cannot.
const HttpServerPlugin& http_server_plugin();

} // namespace tracelet::runtime
