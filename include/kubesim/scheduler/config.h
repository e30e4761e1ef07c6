// KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1, Kubernetes
// 1.32, pkg/scheduler/apis/config/v1 and validation): the subset kubesim
// honours, and its parser.
//
// Honoured: profiles[] (schedulerName, percentageOfNodesToScore, plugins
// per extension point and multiPoint with enabled/disabled and weights,
// pluginConfig), the global percentageOfNodesToScore. Fields about the
// process (leaderElection, clientConnection, parallelism, ...) are accepted
// and ignored: they have nothing to act on in one process.
//
// Thread-safety: plain values.
#ifndef KUBESIM_SCHEDULER_CONFIG_H_
#define KUBESIM_SCHEDULER_CONFIG_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kubesim/api/types.h"
#include "kubesim/util/status.h"

namespace kubesim::scheduler {

// v1.Plugin and v1.PluginSet.
struct PluginEntry {
  std::string name;
  int32_t weight = 0;  // score only; 0 = 1
};
struct PluginSet {
  std::vector<PluginEntry> enabled;
  std::vector<std::string> disabled;  // "*" = every default
};

// The fields of v1.Plugins: multiPoint, then the extension points in the
// order of framework::ExtensionPoint.
enum class PluginsField {
  kMultiPoint,
  kPreEnqueue,
  kQueueSort,
  kPreFilter,
  kFilter,
  kPostFilter,
  kPreScore,
  kScore,
  kReserve,
  kPermit,
  kPreBind,
  kBind,
  kPostBind,
};

// v1.KubeSchedulerProfile.
struct ProfileConfig {
  std::string scheduler_name = "default-scheduler";
  std::optional<int32_t> percentage_of_nodes_to_score;
  // The user's plugin sets, merged with 1.32's defaults when the profile's
  // framework is built.
  std::map<PluginsField, PluginSet> plugins;
  // pluginConfig: plugin name -> args object.
  std::map<std::string, api::Object> plugin_args;
};

// v1.KubeSchedulerConfiguration.
struct SchedulerConfig {
  std::vector<ProfileConfig> profiles = {ProfileConfig{}};
  std::optional<int32_t> percentage_of_nodes_to_score;  // nullopt/0 = adaptive
};

// Parses a KubeSchedulerConfiguration YAML/JSON document and validates it
// (including building every profile's plugins). Errors (kInvalid) name the
// field, e.g. `profiles[0].plugins.score.enabled[1]: "Foo" does not exist`.
StatusOr<SchedulerConfig> ParseSchedulerConfig(const std::string& text);

}  // namespace kubesim::scheduler

#endif  // KUBESIM_SCHEDULER_CONFIG_H_
