#include "registry.h"

#include <algorithm>
#include <set>

#include "plugins/in_tree.h"
#include "plugins/plugins.h"

namespace kubesim::scheduler {
namespace {

using framework::ExtensionPoint;
using framework::Plugin;

template <typename T, typename... Args>
StatusOr<std::unique_ptr<Plugin>> Make(Args&&... args) {
  return std::unique_ptr<Plugin>(std::make_unique<T>(std::forward<Args>(args)...));
}

// A plugin without configurable args: only null/empty args are accepted.
template <typename T>
PluginFactory NoArgs(const char* name) {
  return [name](const api::Object& args,
                framework::Handle* handle) -> StatusOr<std::unique_ptr<Plugin>> {
    if (!args.is_null() && !(args.is_object() && args.empty())) {
      return kubesim::Status::Invalid(std::string("pluginConfig[") + name +
                                      "].args: this plugin takes no args in kubesim");
    }
    if constexpr (std::is_constructible_v<T, framework::Handle*>) {
      return Make<T>(handle);
    } else {
      return Make<T>();
    }
  };
}

// NodeResourcesFitArgs, validated as validation_pluginargs.go
// ValidateNodeResourcesFitArgs.
StatusOr<std::unique_ptr<Plugin>> NodeResourcesFitFactory(const api::Object& args,
                                                          framework::Handle*) {
  plugins::NodeResourcesFitArgs a;
  const std::string prefix = "pluginConfig[NodeResourcesFit].args.";
  if (args.is_object()) {
    for (const char* key : {"ignoredResources", "ignoredResourceGroups"}) {
      auto it = args.find(key);
      if (it == args.end() || it->is_null()) continue;
      if (!it->is_array()) return kubesim::Status::Invalid(prefix + key + ": Invalid value");
      for (const api::Object& v : *it) {
        if (!v.is_string()) return kubesim::Status::Invalid(prefix + key + ": Invalid value");
        (std::string(key) == "ignoredResources" ? a.ignored_resources : a.ignored_resource_groups)
            .push_back(v.get<std::string>());
      }
    }
    if (auto it = args.find("scoringStrategy"); it != args.end() && it->is_object()) {
      const std::string p = prefix + "scoringStrategy.";
      const api::Object& st = *it;
      a.strategy = st.value("type", "LeastAllocated");
      if (a.strategy != "LeastAllocated" && a.strategy != "MostAllocated" &&
          a.strategy != "RequestedToCapacityRatio") {
        return kubesim::Status::Invalid(p + "type: Unsupported value: \"" + a.strategy +
                                        "\": supported values: \"LeastAllocated\", "
                                        "\"MostAllocated\", \"RequestedToCapacityRatio\"");
      }
      if (auto res = st.find("resources"); res != st.end() && res->is_array()) {
        a.resources.clear();
        for (size_t i = 0; i < res->size(); ++i) {
          const api::Object& r = (*res)[i];
          const std::string name = r.value("name", "");
          const int64_t w = r.value("weight", int64_t{0});
          const std::string f = p + "resources[" + std::to_string(i) + "]";
          if (name.empty()) return kubesim::Status::Invalid(f + ".name: Required value");
          if (w <= 0 || w > 100) {
            return kubesim::Status::Invalid(f + ".weight: Invalid value: " + std::to_string(w) +
                                            ": resource weight of " + name +
                                            " not in valid range [1, 100]");
          }
          a.resources.emplace_back(name, w);
        }
      }
      if (a.strategy == "RequestedToCapacityRatio") {
        auto rtcr = st.find("requestedToCapacityRatio");
        if (rtcr == st.end() || !rtcr->is_object() || !rtcr->contains("shape") ||
            !(*rtcr)["shape"].is_array() || (*rtcr)["shape"].empty()) {
          return kubesim::Status::Invalid(p + "requestedToCapacityRatio.shape: Required value");
        }
        const api::Object& shape = (*rtcr)["shape"];
        for (size_t i = 0; i < shape.size(); ++i) {
          const int64_t u = shape[i].value("utilization", int64_t{0});
          const int64_t sc = shape[i].value("score", int64_t{0});
          const std::string f = p + "requestedToCapacityRatio.shape[" + std::to_string(i) + "]";
          if (u < 0 || u > 100) {
            return kubesim::Status::Invalid(f + ".utilization: Invalid value: " +
                                            std::to_string(u) + ": not in valid range [0, 100]");
          }
          if (i > 0 && u <= a.shape.back().first) {
            return kubesim::Status::Invalid(f +
                                            ".utilization: Invalid value: " + std::to_string(u) +
                                            ": utilization values must be sorted in increasing "
                                            "order");
          }
          if (sc < 0 || sc > 10) {
            return kubesim::Status::Invalid(f + ".score: Invalid value: " + std::to_string(sc) +
                                            ": not in valid range [0, 10]");
          }
          a.shape.emplace_back(u, sc);
        }
      }
    }
  }
  return std::unique_ptr<Plugin>(std::make_unique<plugins::NodeResourcesFit>(std::move(a)));
}

PluginsField FieldFor(ExtensionPoint p) {
  return static_cast<PluginsField>(static_cast<int>(p) + 1);
}

constexpr ExtensionPoint kAllPoints[] = {
    ExtensionPoint::kPreEnqueue, ExtensionPoint::kQueueSort,  ExtensionPoint::kPreFilter,
    ExtensionPoint::kFilter,     ExtensionPoint::kPostFilter, ExtensionPoint::kPreScore,
    ExtensionPoint::kScore,      ExtensionPoint::kReserve,    ExtensionPoint::kPermit,
    ExtensionPoint::kPreBind,    ExtensionPoint::kBind,       ExtensionPoint::kPostBind};

// v1 default.go mergePluginSet.
PluginSet MergePluginSet(const PluginSet& defaults, const PluginSet& custom) {
  std::set<std::string> disabled(custom.disabled.begin(), custom.disabled.end());
  std::map<std::string, size_t> custom_index;
  for (size_t i = 0; i < custom.enabled.size(); ++i) custom_index[custom.enabled[i].name] = i;
  std::set<size_t> replaced;
  PluginSet out;
  out.disabled = custom.disabled;
  if (!disabled.contains("*")) {
    for (const PluginEntry& d : defaults.enabled) {
      if (disabled.contains(d.name)) continue;
      if (auto it = custom_index.find(d.name); it != custom_index.end()) {
        out.enabled.push_back(custom.enabled[it->second]);  // overridden in place
        replaced.insert(it->second);
      } else {
        out.enabled.push_back(d);
      }
    }
  }
  for (size_t i = 0; i < custom.enabled.size(); ++i) {
    if (!replaced.contains(i)) out.enabled.push_back(custom.enabled[i]);
  }
  return out;
}

}  // namespace

const std::vector<PluginEntry>& DefaultMultiPoint() {
  // default_plugins.go getDefaultPlugins (1.32), without the volume plugins
  // (VolumeRestrictions, NodeVolumeLimits, VolumeBinding, VolumeZone), which
  // kubesim does not model.
  static const std::vector<PluginEntry> kDefaults = {
      {plugins::kSchedulingGates, 0},   {plugins::kPrioritySort, 0},
      {plugins::kNodeUnschedulable, 0}, {plugins::kNodeName, 0},
      {plugins::kTaintToleration, 3},   {plugins::kNodeAffinity, 2},
      {plugins::kNodePorts, 0},         {plugins::kNodeResourcesFit, 1},
      {plugins::kPodTopologySpread, 2}, {plugins::kInterPodAffinity, 2},
      {plugins::kDefaultPreemption, 0}, {plugins::kNodeResourcesBalancedAllocation, 1},
      {plugins::kImageLocality, 1},     {plugins::kDefaultBinder, 0},
  };
  return kDefaults;
}

const std::map<std::string, PluginFactory>& InTreeRegistry() {
  static const std::map<std::string, PluginFactory> kRegistry = [] {
    std::map<std::string, PluginFactory> r;
    r[plugins::kSchedulingGates] = NoArgs<plugins::SchedulingGates>(plugins::kSchedulingGates);
    r[plugins::kPrioritySort] = NoArgs<plugins::PrioritySort>(plugins::kPrioritySort);
    r[plugins::kNodeUnschedulable] =
        NoArgs<plugins::NodeUnschedulable>(plugins::kNodeUnschedulable);
    r[plugins::kNodeName] = NoArgs<plugins::NodeName>(plugins::kNodeName);
    r[plugins::kTaintToleration] = NoArgs<plugins::TaintToleration>(plugins::kTaintToleration);
    r[plugins::kNodeAffinity] = NoArgs<plugins::NodeAffinity>(plugins::kNodeAffinity);
    r[plugins::kNodePorts] = NoArgs<plugins::NodePorts>(plugins::kNodePorts);
    r[plugins::kNodeResourcesFit] = NodeResourcesFitFactory;
    r[plugins::kNodeResourcesBalancedAllocation] =
        NoArgs<plugins::NodeResourcesBalancedAllocation>(plugins::kNodeResourcesBalancedAllocation);
    r[plugins::kImageLocality] = NoArgs<plugins::ImageLocality>(plugins::kImageLocality);
    r[plugins::kDefaultBinder] = NoArgs<plugins::DefaultBinder>(plugins::kDefaultBinder);
    // DefaultPreemption (branch `preempt` owns default_preemption.cc): built
    // with the profile's Handle.
    r[plugins::kDefaultPreemption] =
        NoArgs<plugins::DefaultPreemption>(plugins::kDefaultPreemption);
    r[plugins::kPodTopologySpread] =
        [](const api::Object& args,
           framework::Handle* handle) -> StatusOr<std::unique_ptr<Plugin>> {
      plugins::PodTopologySpreadArgs a;
      if (args.is_object()) {
        const std::string prefix = "pluginConfig[PodTopologySpread].args.";
        if (auto it = args.find("defaultingType"); it != args.end()) {
          if (!it->is_string() || (*it != "System" && *it != "List")) {
            return kubesim::Status::Invalid(prefix +
                                            "defaultingType: Unsupported value: supported "
                                            "values: \"System\", \"List\"");
          }
          a.defaulting_type = it->get<std::string>();
        }
        if (auto it = args.find("defaultConstraints"); it != args.end() && it->is_array()) {
          for (size_t i = 0; i < it->size(); ++i) {
            const api::Object& c = (*it)[i];
            plugins::TopologySpreadConstraint t;
            t.max_skew = static_cast<int32_t>(c.value("maxSkew", 0));
            t.topology_key = c.value("topologyKey", "");
            t.when_unsatisfiable = c.value("whenUnsatisfiable", "");
            const std::string f = prefix + "defaultConstraints[" + std::to_string(i) + "].";
            if (t.max_skew <= 0) {
              return kubesim::Status::Invalid(
                  f + "maxSkew: Invalid value: " + std::to_string(t.max_skew) +
                  ": must be greater than zero");
            }
            if (t.topology_key.empty()) {
              return kubesim::Status::Invalid(f + "topologyKey: Required value: can not be empty");
            }
            if (t.when_unsatisfiable != "DoNotSchedule" &&
                t.when_unsatisfiable != "ScheduleAnyway") {
              return kubesim::Status::Invalid(f + "whenUnsatisfiable: Unsupported value: \"" +
                                              t.when_unsatisfiable +
                                              "\": supported values: \"DoNotSchedule\", "
                                              "\"ScheduleAnyway\"");
            }
            if (c.contains("labelSelector")) {
              return kubesim::Status::Invalid(f +
                                              "labelSelector: Forbidden: constraint must not "
                                              "define a selector, as they deduced for each pod");
            }
            a.default_constraints.push_back(std::move(t));
          }
        }
        if (a.defaulting_type == "System" && !a.default_constraints.empty()) {
          return kubesim::Status::Invalid(prefix +
                                          "defaultConstraints: Invalid value: when "
                                          "`defaultingType` is \"System\", "
                                          "`defaultConstraints` must be empty");
        }
      }
      return Make<plugins::PodTopologySpread>(handle, std::move(a));
    };
    r[plugins::kInterPodAffinity] =
        [](const api::Object& args,
           framework::Handle* handle) -> StatusOr<std::unique_ptr<Plugin>> {
      plugins::InterPodAffinityArgs a;
      if (args.is_object()) {
        if (auto it = args.find("hardPodAffinityWeight"); it != args.end()) {
          const int64_t w = it->is_number_integer() ? it->get<int64_t>() : -1;
          if (w < 0 || w > 100) {
            return kubesim::Status::Invalid(
                "pluginConfig[InterPodAffinity].args.hardPodAffinityWeight: Invalid value: " +
                it->dump() + ": not in valid range [0-100]");
          }
          a.hard_pod_affinity_weight = static_cast<int32_t>(w);
        }
        if (auto it = args.find("ignorePreferredTermsOfExistingPods");
            it != args.end() && it->is_boolean()) {
          a.ignore_preferred_terms_of_existing_pods = it->get<bool>();
        }
      }
      return Make<plugins::InterPodAffinity>(handle, a);
    };
    return r;
  }();
  return kRegistry;
}

StatusOr<std::unique_ptr<framework::Framework>> NewFramework(const ProfileConfig& profile,
                                                             framework::Handle* handle) {
  // mergePlugins: the defaults are all multiPoint.
  std::map<PluginsField, PluginSet> merged;
  PluginSet default_multi;
  default_multi.enabled = DefaultMultiPoint();
  merged[PluginsField::kMultiPoint] = default_multi;
  for (const auto& [field, set] : profile.plugins) {
    merged[field] = MergePluginSet(merged[field], set);
  }

  const std::map<std::string, PluginFactory>& registry = InTreeRegistry();
  auto fwk = std::make_unique<framework::Framework>();
  fwk->profile_name = profile.scheduler_name;
  fwk->percentage_of_nodes_to_score = profile.percentage_of_nodes_to_score;

  // Instantiate every plugin named anywhere enabled, once.
  std::map<std::string, Plugin*> instances;
  auto instantiate = [&](const std::string& name) -> kubesim::Status {
    if (instances.contains(name)) return kubesim::Status::Ok();
    auto it = registry.find(name);
    if (it == registry.end()) {
      return kubesim::Status::Invalid("profiles[" + profile.scheduler_name + "].plugins: \"" +
                                      name + "\" does not exist");
    }
    api::Object args;
    if (auto a = profile.plugin_args.find(name); a != profile.plugin_args.end()) {
      args = a->second;
      if (args.is_object()) {
        args.erase("kind");
        args.erase("apiVersion");
      }
    }
    auto p = it->second(args, handle);
    if (!p.ok()) return p.status();
    instances[name] = fwk->Own(std::move(*p));
    return kubesim::Status::Ok();
  };
  for (const auto& [field, set] : merged) {
    for (const PluginEntry& e : set.enabled) {
      if (kubesim::Status s = instantiate(e.name); !s.ok()) return s;
    }
  }
  for (const auto& [name, args] : profile.plugin_args) {
    if (!registry.contains(name)) {
      return kubesim::Status::Invalid("profiles[" + profile.scheduler_name + "].pluginConfig: \"" +
                                      name + "\" does not exist");
    }
  }

  // expandMultiPointPlugins, per extension point.
  for (ExtensionPoint point : kAllPoints) {
    const PluginSet& specific = merged[FieldFor(point)];
    std::set<std::string> disabled(specific.disabled.begin(), specific.disabled.end());
    std::vector<PluginEntry> enabled_specific;
    std::set<std::string> enabled_set;
    for (const PluginEntry& e : specific.enabled) {
      if (!framework::Implements(*instances[e.name], point)) {
        return kubesim::Status::Invalid("profiles[" + profile.scheduler_name + "].plugins." +
                                        framework::ExtensionPointName(point) + ": plugin \"" +
                                        e.name + "\" does not extend " +
                                        framework::ExtensionPointName(point) + " plugin");
      }
      if (!enabled_set.insert(e.name).second) {
        return kubesim::Status::Invalid("profiles[" + profile.scheduler_name + "].plugins." +
                                        framework::ExtensionPointName(point) + ": plugin \"" +
                                        e.name + "\" already registered");
      }
      enabled_specific.push_back(e);
    }
    std::vector<PluginEntry> overrides, multi;
    std::set<std::string> override_set, multi_set;
    if (!disabled.contains("*")) {
      for (const PluginEntry& e : merged[PluginsField::kMultiPoint].enabled) {
        if (!framework::Implements(*instances[e.name], point)) continue;
        if (disabled.contains(e.name)) continue;
        if (enabled_set.contains(e.name)) {
          override_set.insert(e.name);
          continue;
        }
        if (!multi_set.insert(e.name).second) {
          return kubesim::Status::Invalid("profiles[" + profile.scheduler_name +
                                          "].plugins.multiPoint: plugin \"" + e.name +
                                          "\" already registered");
        }
        multi.push_back(e);
      }
    }
    // Order: overridden plugins (as in the point's list), then multiPoint
    // ones, then the point's other plugins.
    std::vector<PluginEntry> order;
    for (const PluginEntry& e : enabled_specific) {
      if (override_set.contains(e.name)) order.push_back(e);
    }
    order.insert(order.end(), multi.begin(), multi.end());
    for (const PluginEntry& e : enabled_specific) {
      if (!override_set.contains(e.name)) order.push_back(e);
    }
    for (const PluginEntry& e : order) {
      // A score plugin's weight comes from the list that enabled it here;
      // 0 means 1 (runtime.NewFramework).
      fwk->Enable(point, instances[e.name], e.weight == 0 ? 1 : e.weight);
    }
  }
  if (fwk->EnabledAt(ExtensionPoint::kQueueSort).size() != 1) {
    return kubesim::Status::Invalid("profiles[" + profile.scheduler_name +
                                    "].plugins.queueSort: Invalid value: exactly one queue sort "
                                    "plugin must be enabled");
  }
  if (fwk->EnabledAt(ExtensionPoint::kBind).empty()) {
    return kubesim::Status::Invalid("profiles[" + profile.scheduler_name +
                                    "].plugins.bind: Invalid value: at least one bind plugin is "
                                    "needed");
  }
  return fwk;
}

}  // namespace kubesim::scheduler
