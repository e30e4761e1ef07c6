#!/usr/bin/env bash
# kubesim's one entry point for people and CI.
#   bash scripts/dev.sh run [kubesim flags...]  install what is missing, build, start the shell
#   bash scripts/dev.sh test                    install what is missing, build, run every test
#   bash scripts/dev.sh build                   install what is missing, build
#   bash scripts/dev.sh bench                   build and run the benchmarks
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian 12 packages kubesim builds with (see docs/dependencies.md for why each).
PACKAGES=(build-essential cmake ninja-build pkg-config
          libgtest-dev libgmock-dev
          nlohmann-json3-dev libyaml-cpp-dev libspdlog-dev libcli11-dev
          libedit-dev libcpp-httplib-dev libjemalloc-dev)
# Only the tests need these: python3-jsonschema and python3-yaml validate
# the example scenarios against docs/scenario.schema.json.
TEST_PACKAGES=(python3-jsonschema python3-yaml)

install_missing() {
  local missing=()
  for p in "${PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "kubesim: installing ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

build() {
  local jobs
  jobs=$(nproc 2>/dev/null || echo 2)
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build -j "$jobs" --target kubesim kubesim_tests
}

cmd=${1:-run}
[ $# -gt 0 ] && shift
case "$cmd" in
  run)
    install_missing; build >&2
    exec ./build/kubesim "$@" ;;
  build)
    install_missing; build ;;
  test)
    install_missing "${TEST_PACKAGES[@]}"; build
    (cd build && ctest --output-on-failure -j "$(nproc 2>/dev/null || echo 2)" --timeout 600) ;;
  bench)
    install_missing; build
    cmake --build build --target bench
    ./build/kubesim_bench "$@" ;;
  *)
    echo "usage: bash scripts/dev.sh run|test|build|bench" >&2; exit 2 ;;
esac
