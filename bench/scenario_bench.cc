// Scenarios per second: the CI example scenarios parsed and run in process
// (cluster start, every step and assertion), as `kubesim run` does.
#include <chrono>
#include <cstdio>

#include "benchmarks.h"
#include "kubesim/scenario/scenario.h"

double ScenariosPerSecond(const std::vector<std::string>& files, int rounds) {
  std::vector<kubesim::scenario::Scenario> scenarios;
  for (const auto& f : files) {
    auto s = kubesim::scenario::ParseScenarioFile(f);
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.status().message().c_str());
      return 0;
    }
    scenarios.push_back(std::move(*s));
  }
  auto start = std::chrono::steady_clock::now();
  int runs = 0;
  for (int r = 0; r < rounds; ++r) {
    for (const auto& s : scenarios) {
      auto result = kubesim::scenario::RunScenario(s, {});
      if (result.exit_code != 0) std::fprintf(stderr, "%s failed\n", s.name.c_str());
      ++runs;
    }
  }
  std::chrono::duration<double> secs = std::chrono::steady_clock::now() - start;
  return runs / secs.count();
}
