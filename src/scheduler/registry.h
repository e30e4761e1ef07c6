// Plugin registry and profiles: the in-tree plugins by name
// (pkg/scheduler/framework/plugins/registry.go), a profile's plugin sets as
// KubeSchedulerConfiguration v1 writes them (per extension point plus
// multiPoint, enabled/disabled, weights, pluginConfig args), merged with
// 1.32's defaults (apis/config/v1/default_plugins.go mergePlugins) and
// expanded into a Framework as runtime.NewFramework does
// (expandMultiPointPlugins: specific-point overrides first, then multiPoint
// plugins, then the rest of the point's own list).
//
// Thread-safety: plain values; NewFramework's result is single-threaded.
#ifndef KUBESIM_SRC_SCHEDULER_REGISTRY_H_
#define KUBESIM_SRC_SCHEDULER_REGISTRY_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "framework.h"
#include "kubesim/scheduler/config.h"
#include "kubesim/util/status.h"

namespace kubesim::scheduler {

// Builds one plugin from its args (null = defaults). Errors name the field,
// e.g. "pluginConfig[NodeResourcesFit].args.scoringStrategy.type: ...".
using PluginFactory = std::function<StatusOr<std::unique_ptr<framework::Plugin>>(
    const api::Object& args, framework::Handle* handle)>;

// The in-tree registry (plugins kubesim implements).
const std::map<std::string, PluginFactory>& InTreeRegistry();

// 1.32's default multiPoint list (name, weight), in order.
const std::vector<PluginEntry>& DefaultMultiPoint();

// mergePlugins(defaults, profile.plugins) then expandMultiPointPlugins.
// Errors (kInvalid): unknown plugin names, a plugin enabled where it has no
// such extension point, double registration, bad args, no bind plugin, no
// queue sort plugin.
StatusOr<std::unique_ptr<framework::Framework>> NewFramework(const ProfileConfig& profile,
                                                             framework::Handle* handle);

}  // namespace kubesim::scheduler

#endif  // KUBESIM_SRC_SCHEDULER_REGISTRY_H_
