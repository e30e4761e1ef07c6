// Assertion evaluation: reads cluster state through API requests (the same
// server-side tables `kubectl get` receives, so "status" means exactly the
// STATUS column) or through shell commands, and says what it expected and
// what it found.
#ifndef KUBESIM_SRC_SCENARIO_ASSERTIONS_H_
#define KUBESIM_SRC_SCENARIO_ASSERTIONS_H_

#include <string>

#include "kubesim/client/client.h"
#include "kubesim/scenario/scenario.h"

namespace kubesim::scenario {

struct CommandOutput {
  int exit_code = 0;
  std::string output;  // stdout and stderr interleaved
};

// What an assertion may touch: an API client, the clock's reading, and the
// shell (for output/fails assertions and failure context).
class Probe {
 public:
  virtual ~Probe() = default;
  virtual client::Client& client() = 0;
  virtual Time Now() = 0;
  virtual CommandOutput RunCommand(const std::string& command) = 0;
  virtual const RunOptions& options() = 0;
};

struct Verdict {
  bool passed = false;
  std::string description;  // "pods with STATUS Pending", ...
  std::string expected;
  std::string found;
  // On failure, the transcript shows this command's output (a `get`), or
  // `context` when there is no command to run.
  std::string context_command;
  std::string context;
  api::Object placement;  // kPlacement: found node -> count
};

// Evaluates once, at the current simulated time. Does not move the clock.
Verdict Evaluate(Probe& probe, const Assertion& a);

const char* AssertionTypeName(Assertion::Type type);

}  // namespace kubesim::scenario

#endif  // KUBESIM_SRC_SCENARIO_ASSERTIONS_H_
