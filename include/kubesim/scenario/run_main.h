// `kubesim run SCENARIO.yaml|DIR`: the command-line front end of scenarios.
// main.cc parses the flags (CLI11) into RunCommandOptions and calls RunMain.
#ifndef KUBESIM_SCENARIO_RUN_MAIN_H_
#define KUBESIM_SCENARIO_RUN_MAIN_H_

#include <cstdint>
#include <optional>
#include <string>

namespace kubesim::scenario {

struct RunCommandOptions {
  std::string path;  // a scenario file, or a directory of *.yaml scenarios
  std::optional<uint64_t> seed;
  std::string report_format;  // "", "json" or "junit"
  std::string report_file;
  bool update_golden = false;
  bool fail_fast = false;
  int jobs = 1;  // >1: scenarios of a DIR run in that many child processes
};

// Runs the scenario(s): transcripts on stdout in file order, errors on
// stderr, the report (if asked) written to report_file. Returns the exit
// status: 0 every assertion held, 1 an assertion or command failed (or a
// golden transcript differs), 2 a scenario file is invalid (or a usage
// error). With jobs > 1 it forks and execs /proc/self/exe per scenario.
int RunMain(const RunCommandOptions& options);

}  // namespace kubesim::scenario

#endif  // KUBESIM_SCENARIO_RUN_MAIN_H_
