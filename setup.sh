#!/usr/bin/env bash
# Installs what tracelet needs from Debian 12's repositories (if missing) and builds it into
# build/. Run as root. Idempotent: a second run only rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")"

packages=(
  cmake ninja-build g++ pkg-config ccache bison flex
  llvm-14-dev clang-14 libclang-rt-14-dev
  libbpf-dev libelf-dev zlib1g-dev libzstd-dev libbpfcc-dev
  libgtest-dev bpftool bpftrace iproute2 time
  groff-base # groff -man -ww -z: man pages (tests/runtime/docs_test.cpp, install_test.cpp)
  dpkg-dev # dpkg-shlibdeps: the .deb's Depends (cpack -G DEB, dist/install.cmake)
  iputils-ping # packet probe runtime tests ping across their own veth pairs
  libcpp-httplib-dev # --metrics: the HTTP server (plugin tracelet-metrics-http.so)
  prometheus curl    # --metrics tests: a real Prometheus and promtool; scrapes in tests and bench
  systemtap-sdt-dev # <sys/sdt.h>: USDT markers of tests/runtime/workload/tl_usdt_target.c
  libdw-dev # uprobe args and struct casts from a binary's DWARF (runtime/symbols/dwarf.h)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup.sh: missing packages (${missing[*]}); run as root to install them" >&2
    exit 1
  fi
  echo "setup.sh: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2
