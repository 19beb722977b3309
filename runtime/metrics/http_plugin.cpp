#include "ast/diagnostics.h"
#include "runtime/metrics/http_server.h"

#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <vector>

namespace tracelet::runtime {

namespace {

std::string executable_dir() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  std::string path(buf, static_cast<size_t>(n));
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

} // namespace

const HttpServerPlugin& http_server_plugin() {
  static const HttpServerPlugin* plugin = nullptr;
  if (plugin) return *plugin;
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("TRACELET_METRICS_PLUGIN"); env && *env)
    candidates.push_back(env);
  else {
    std::string dir = executable_dir();
    candidates = {dir + "/" + kHttpServerPluginFile,
                  dir + "/../lib/tracelet/" + kHttpServerPluginFile};
  }
  std::string reasons;
  for (const auto& path : candidates) {
    if (access(path.c_str(), F_OK) != 0) continue;
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      reasons += std::string("; ") + dlerror();
      continue;
    }
    auto* found = static_cast<const HttpServerPlugin*>(dlsym(handle, "tracelet_metrics_http"));
    if (!found || found->version != kHttpServerPluginVersion) {
      reasons += "; " + path + " is not a tracelet " + std::to_string(kHttpServerPluginVersion) +
                 " metrics plugin";
      dlclose(handle);
      continue;
    }
    plugin = found; // stays loaded for the life of the process
    return *plugin;
  }
  std::string tried;
  for (const auto& path : candidates)
    tried += (tried.empty() ? "" : ", ") + path;
  throw Error("--metrics needs the HTTP plugin " + std::string(kHttpServerPluginFile) +
              " (looked for " + tried + ")" + reasons);
}

} // namespace tracelet::runtime
