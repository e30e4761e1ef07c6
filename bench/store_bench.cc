// Store write throughput: the API server's every create/update is one Put.

#include <chrono>
#include <string>
#include <vector>

#include "benchmarks.h"
#include "kubesim/store/store.h"

double StorePutsPerSecond(int n) {
  auto store = kubesim::store::Store::CreateInMemory();
  // Keys are built before the clock starts: we measure the store, not
  // std::to_string.
  std::vector<std::string> keys;
  keys.reserve(n);
  for (int i = 0; i < n; ++i) keys.push_back("/registry/pods/default/pod-" + std::to_string(i));
  // About the size of a small serialized object; copied per call, as a
  // caller would.
  const std::string value(64, 'x');

  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    if (!store->Put(keys[i], value).ok()) return 0;
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  return elapsed.count() > 0 ? n / elapsed.count() : 0;
}
