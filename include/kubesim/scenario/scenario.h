// Scripted scenarios: a YAML file that builds a cluster, runs steps (apply,
// scale, failures, sleeps, any shell command) and checks assertions at points
// in simulated time. `kubesim run` is the front end (run_main.h); the format
// is documented in docs/scenarios.md and docs/scenario.schema.json.
//
// Everything a scenario does goes through the Shell (commands), the API
// client (assertions list pods, nodes, events) or SimulatorControl (failures,
// via the shell's `node`/`stop`/`start` commands); nothing reads component
// memory. Same scenario + same seed => byte-identical transcript and report.
//
// Thread-safety: all functions may be called from any thread; a run owns its
// Cluster and touches no global state.
#ifndef KUBESIM_SCENARIO_SCENARIO_H_
#define KUBESIM_SCENARIO_SCENARIO_H_

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "kubesim/api/types.h"
#include "kubesim/cluster/cluster.h"
#include "kubesim/sim/clock.h"
#include "kubesim/util/status.h"

namespace kubesim::scenario {

// A place in the scenario file (1-based, as editors count).
struct Mark {
  int line = 0;
  int column = 0;
};

// One check. Which fields matter depends on `type`; the parser fills only
// those (docs/scenarios.md lists them).
struct Assertion {
  enum class Type {
    kPlacement,  // pods of `target` per node == `placement`
    kPods,       // pods whose STATUS column is `status` == `count`
    kNode,       // node `target`'s STATUS column / condition / taints
    kEvent,      // an event with `reason` (and message regex) exists
    kOutput,     // `command`'s output == golden file / matches `regex`
    kFails,      // `command` fails and its output matches `regex`
  };
  Type type = Type::kPods;
  Mark mark;
  std::string namespace_ = "default";
  std::string target;  // "deployment/web", "pod/x", node name
  // kPlacement: node name ("<none>" = unscheduled) -> pod count.
  std::map<std::string, int64_t> placement;
  // kPlacement: count by this node label's value instead of the node name
  // (`by: topology.kubernetes.io/zone`); "<none>" for unlabelled nodes.
  std::string by;
  // kPods: STATUS column value and optional label selector.
  std::string status;
  std::string selector;
  int64_t count = 0;
  // kNode: STATUS column, condition type -> status, exact taint set.
  std::string node_status;
  std::map<std::string, std::string> conditions;
  std::optional<std::vector<std::string>> taints;  // "key[=value]:Effect"
  // kEvent: reason, message regex, involved object "kind/name".
  std::string reason;
  std::string object;
  // kOutput / kFails.
  std::string command;
  std::string golden;  // path as written; golden_path resolved
  std::string golden_path;
  std::string regex;     // ECMAScript, searched (not anchored)
  std::string contains;  // a substring the output must contain
  // Poll (advancing the clock in 1 s steps) for up to this long.
  Duration within = Duration::zero();
};

struct Step {
  enum class Kind {
    kCommand,  // apply, delete, scale, run, sleep, waitFor, nodeX, stop/start
    kExpect,
  };
  Kind kind = Kind::kCommand;
  std::string type;  // the step's key as written: "apply", "expect", ...
  std::string name;
  Mark mark;
  // kCommand: what the transcript shows, what runs, its `-f -` text.
  std::string display;
  std::string command;
  std::string stdin_text;
  // A failing command is a failure of the run unless this is set.
  bool may_fail = false;
  std::vector<Assertion> assertions;  // kExpect
};

struct Scenario {
  std::string path;  // as given
  std::string name;  // `name:` or the file's stem
  std::string description;
  std::optional<uint64_t> seed;
  cluster::ClusterConfig cluster;
  std::vector<Step> steps;
};

// Parses a scenario file. `path` resolves `file:` references (relative to
// the file's directory). On error the Status (kBadRequest) message is
// "PATH:LINE:COLUMN: what is wrong".
StatusOr<Scenario> ParseScenarioFile(const std::string& path);
StatusOr<Scenario> ParseScenario(const std::string& yaml_text, const std::string& path);

struct RunOptions {
  std::optional<uint64_t> seed;  // overrides the scenario's seed
  bool fail_fast = false;
  // Output assertions with a golden file rewrite it instead of comparing.
  bool update_golden = false;
};

// What a run did: the human transcript and the machine report (one JSON
// object per scenario: steps and assertions with simulated timestamps; the
// schema is in docs/scenarios.md). Both are deterministic.
struct RunResult {
  int exit_code = 0;  // 0 all held, 1 an assertion or a command failed
  std::string transcript;
  api::Object report;
};

// Builds the cluster and runs every step. Never throws.
RunResult RunScenario(const Scenario& scenario, const RunOptions& options);

// A JUnit XML document (<testsuites>, one <testsuite> per scenario, one
// <testcase> per assertion) from reports as RunScenario returns them.
std::string RenderJUnit(const std::vector<api::Object>& reports);

// A unified diff ("--- a", "+++ b", @@ hunks with 3 lines of context) of two
// texts, by line; "" if they are equal.
std::string UnifiedDiff(const std::string& a, const std::string& b, const std::string& a_name,
                        const std::string& b_name);

}  // namespace kubesim::scenario

#endif  // KUBESIM_SCENARIO_SCENARIO_H_
