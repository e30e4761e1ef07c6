// KubeSchedulerConfiguration parsing and validation
// (pkg/scheduler/apis/config/v1 types and defaults, validation/validation.go
// of Kubernetes 1.32, reduced to what kubesim honours; see config.h).
#include "kubesim/scheduler/config.h"

#include <cstdlib>
#include <set>

#include "kubesim/printers/yaml.h"
#include "registry.h"

namespace kubesim::scheduler {
namespace {

using kubesim::Status;

constexpr char kApiVersion[] = "kubescheduler.config.k8s.io/v1";

// Process-level fields upstream has and kubesim accepts without effect.
const std::set<std::string>& IgnoredTopLevel() {
  static const std::set<std::string> kFields = {"apiVersion",
                                                "kind",
                                                "parallelism",
                                                "leaderElection",
                                                "clientConnection",
                                                "healthzBindAddress",
                                                "metricsBindAddress",
                                                "enableProfiling",
                                                "enableContentionProfiling",
                                                "podInitialBackoffSeconds",
                                                "podMaxBackoffSeconds",
                                                "extenders",
                                                "delayCacheUntilActive"};
  return kFields;
}

const std::map<std::string, PluginsField>& FieldNames() {
  static const std::map<std::string, PluginsField> kNames = {
      {"multiPoint", PluginsField::kMultiPoint}, {"preEnqueue", PluginsField::kPreEnqueue},
      {"queueSort", PluginsField::kQueueSort},   {"preFilter", PluginsField::kPreFilter},
      {"filter", PluginsField::kFilter},         {"postFilter", PluginsField::kPostFilter},
      {"preScore", PluginsField::kPreScore},     {"score", PluginsField::kScore},
      {"reserve", PluginsField::kReserve},       {"permit", PluginsField::kPermit},
      {"preBind", PluginsField::kPreBind},       {"bind", PluginsField::kBind},
      {"postBind", PluginsField::kPostBind}};
  return kNames;
}

Status Unknown(const std::string& field) {
  return Status::Invalid("strict decoding error: unknown field \"" + field + "\"");
}

StatusOr<std::optional<int32_t>> Percentage(const api::Object& obj, const std::string& path) {
  auto it = obj.find("percentageOfNodesToScore");
  if (it == obj.end() || it->is_null()) return std::optional<int32_t>();
  if (!it->is_number_integer()) {
    return Status::Invalid(path + "percentageOfNodesToScore: Invalid value: " + it->dump() +
                           ": must be an integer");
  }
  const int64_t v = it->get<int64_t>();
  if (v < 0 || v > 100) {
    return Status::Invalid(path + "percentageOfNodesToScore: Invalid value: " + std::to_string(v) +
                           ": not in valid range [0-100]");
  }
  return std::optional<int32_t>(static_cast<int32_t>(v));
}

StatusOr<PluginSet> ParsePluginSet(const api::Object& obj, const std::string& path, bool is_score) {
  PluginSet set;
  if (!obj.is_object()) return Status::Invalid(path + ": Invalid value: must be an object");
  for (const auto& [key, value] : obj.items()) {
    if (key != "enabled" && key != "disabled") return Unknown(path + "." + key);
    if (value.is_null()) continue;
    if (!value.is_array()) {
      return Status::Invalid(path + "." + key + ": Invalid value: must be a list");
    }
    for (size_t i = 0; i < value.size(); ++i) {
      const api::Object& p = value[i];
      const std::string where = path + "." + key + "[" + std::to_string(i) + "]";
      if (!p.is_object() || !p.contains("name") || !p["name"].is_string() ||
          p["name"].get<std::string>().empty()) {
        return Status::Invalid(where + ".name: Required value");
      }
      for (const auto& [k, v] : p.items()) {
        if (k != "name" && k != "weight") return Unknown(where + "." + k);
      }
      const std::string name = p["name"].get<std::string>();
      if (key == "disabled") {
        set.disabled.push_back(name);
        continue;
      }
      PluginEntry e{name, 0};
      if (auto w = p.find("weight"); w != p.end() && !w->is_null()) {
        if (!w->is_number_integer() || w->get<int64_t>() < 0 || w->get<int64_t>() > 100) {
          return Status::Invalid(where + ".weight: Invalid value: " + w->dump() +
                                 ": must be in the range [0, 100]");
        }
        if (!is_score && w->get<int64_t>() != 0 && path.find("multiPoint") == std::string::npos) {
          return Status::Invalid(where + ".weight: Invalid value: " + w->dump() +
                                 ": only score plugins take a weight");
        }
        e.weight = static_cast<int32_t>(w->get<int64_t>());
      }
      set.enabled.push_back(std::move(e));
    }
  }
  return set;
}

StatusOr<ProfileConfig> ParseProfile(const api::Object& obj, const std::string& path) {
  ProfileConfig p;
  if (!obj.is_object()) return Status::Invalid(path + ": Invalid value: must be an object");
  for (const auto& [key, value] : obj.items()) {
    if (key != "schedulerName" && key != "percentageOfNodesToScore" && key != "plugins" &&
        key != "pluginConfig") {
      return Unknown(path + "." + key);
    }
  }
  // SetDefaults_KubeSchedulerProfile: an empty name is "default-scheduler".
  if (auto it = obj.find("schedulerName"); it != obj.end() && !it->is_null()) {
    if (!it->is_string()) return Status::Invalid(path + ".schedulerName: Invalid value");
    p.scheduler_name = it->get<std::string>();
    if (p.scheduler_name.empty()) return Status::Invalid(path + ".schedulerName: Required value");
  }
  auto pct = Percentage(obj, path + ".");
  if (!pct.ok()) return pct.status();
  p.percentage_of_nodes_to_score = *pct;
  if (auto it = obj.find("plugins"); it != obj.end() && !it->is_null()) {
    if (!it->is_object()) return Status::Invalid(path + ".plugins: Invalid value");
    for (const auto& [key, value] : it->items()) {
      auto f = FieldNames().find(key);
      if (f == FieldNames().end()) return Unknown(path + ".plugins." + key);
      if (value.is_null()) continue;
      auto set = ParsePluginSet(value, path + ".plugins." + key, f->second == PluginsField::kScore);
      if (!set.ok()) return set.status();
      p.plugins[f->second] = std::move(*set);
    }
  }
  if (auto it = obj.find("pluginConfig"); it != obj.end() && !it->is_null()) {
    if (!it->is_array()) return Status::Invalid(path + ".pluginConfig: Invalid value");
    for (size_t i = 0; i < it->size(); ++i) {
      const api::Object& pc = (*it)[i];
      const std::string where = path + ".pluginConfig[" + std::to_string(i) + "]";
      if (!pc.is_object() || !pc.contains("name") || !pc["name"].is_string()) {
        return Status::Invalid(where + ".name: Required value");
      }
      for (const auto& [k, v] : pc.items()) {
        if (k != "name" && k != "args") return Unknown(where + "." + k);
      }
      const std::string name = pc["name"].get<std::string>();
      if (p.plugin_args.contains(name)) {
        return Status::Invalid(where + ": Duplicate value: \"" + name + "\"");
      }
      p.plugin_args[name] = pc.value("args", api::Object());
    }
  }
  return p;
}

// A Handle for validation only: building plugins must not touch it.
class NullHandle final : public framework::Handle {
 public:
  const std::vector<NodeInfo*>& Nodes() override { return nodes_; }
  NodeInfo* GetNode(const std::string&) override { return nullptr; }
  api::ObjectPtr GetPod(const std::string&) override { return nullptr; }
  framework::Framework& framework() override { std::abort(); }
  client::Client* ClientSet() override { return nullptr; }
  std::vector<api::ObjectPtr> ListServices(const std::string&) override { return {}; }
  api::ObjectPtr GetReplicaSet(const std::string&, const std::string&) override { return nullptr; }
  int ImageNumNodes(const std::string&) override { return 0; }
  client::EventRecorder* EventRecorder() override { return nullptr; }
  const preemption::Nominator* PodNominator() override { return nullptr; }
  std::vector<api::ObjectPtr> PodDisruptionBudgets() override { return {}; }
  uint64_t RandomUniform(uint64_t) override { return 0; }
  Time Now() override { return Time(); }

 private:
  std::vector<NodeInfo*> nodes_;
};

}  // namespace

StatusOr<SchedulerConfig> ParseSchedulerConfig(const std::string& text) {
  auto docs = printers::ParseYamlDocuments(text);
  if (!docs.ok()) return Status::Invalid("scheduler config: " + docs.status().message());
  if (docs->size() != 1 || !(*docs)[0].is_object()) {
    return Status::Invalid("scheduler config: expected one KubeSchedulerConfiguration object");
  }
  const api::Object& root = (*docs)[0];
  const std::string api_version = root.value("apiVersion", "");
  const std::string kind = root.value("kind", "");
  if (kind != "KubeSchedulerConfiguration") {
    return Status::Invalid("scheduler config: kind: Invalid value: \"" + kind +
                           "\": expected \"KubeSchedulerConfiguration\"");
  }
  if (api_version != kApiVersion) {
    return Status::Invalid("scheduler config: apiVersion: Unsupported value: \"" + api_version +
                           "\": supported values: \"" + kApiVersion + "\"");
  }
  SchedulerConfig config;
  for (const auto& [key, value] : root.items()) {
    if (key != "profiles" && key != "percentageOfNodesToScore" &&
        !IgnoredTopLevel().contains(key)) {
      return Unknown(key);
    }
  }
  auto pct = Percentage(root, "");
  if (!pct.ok()) return pct.status();
  config.percentage_of_nodes_to_score = *pct;
  if (auto it = root.find("profiles"); it != root.end() && !it->is_null()) {
    if (!it->is_array()) return Status::Invalid("profiles: Invalid value: must be a list");
    config.profiles.clear();
    std::set<std::string> names;
    for (size_t i = 0; i < it->size(); ++i) {
      const std::string path = "profiles[" + std::to_string(i) + "]";
      auto p = ParseProfile((*it)[i], path);
      if (!p.ok()) return p.status();
      if (!names.insert(p->scheduler_name).second) {
        return Status::Invalid(path + ".schedulerName: Duplicate value: \"" + p->scheduler_name +
                               "\"");
      }
      config.profiles.push_back(std::move(*p));
    }
    if (config.profiles.empty()) return Status::Invalid("profiles: Required value");
  }
  // Build every profile once: unknown plugins, bad args and wrong extension
  // points surface now, before anything starts.
  NullHandle handle;
  std::vector<std::string> queue_sorts;
  for (size_t i = 0; i < config.profiles.size(); ++i) {
    auto fwk = NewFramework(config.profiles[i], &handle);
    if (!fwk.ok()) return Status::Invalid(fwk.status().message());
    auto qs = (*fwk)->EnabledAt(framework::ExtensionPoint::kQueueSort);
    const std::string name = qs.empty() ? "" : qs[0];
    queue_sorts.push_back(name);
    if (i > 0 && name != queue_sorts[0]) {
      return Status::Invalid("profiles[" + std::to_string(i) +
                             "].plugins.queueSort: Invalid value: \"" + name +
                             "\": queueSort must be the same for all profiles");
    }
  }
  return config;
}

}  // namespace kubesim::scheduler
