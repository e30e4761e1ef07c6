// pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go
// (Kubernetes 1.32).
#include "kubesim/api/object_meta.h"
#include "plugins.h"

namespace kubesim::scheduler::plugins {
namespace {

constexpr char kPreFilterStateKey[] = "PreFilterNodeAffinity";
constexpr char kPreScoreStateKey[] = "PreScoreNodeAffinity";
// errReasonConflict.
constexpr char kErrReasonConflict[] = "pod affinity terms conflict";

struct PreFilterState final : framework::StateData {
  explicit PreFilterState(const api::Object& pod) : required(pod) {}
  RequiredNodeAffinity required;
  std::shared_ptr<StateData> Clone() const override {
    return std::make_shared<PreFilterState>(*this);
  }
};

struct PreScoreState final : framework::StateData {
  explicit PreScoreState(const api::Object* terms) : preferred(terms) {}
  PreferredSchedulingTerms preferred;
  std::shared_ptr<StateData> Clone() const override {
    return std::make_shared<PreScoreState>(*this);
  }
};

const api::Object* RequiredTerms(const api::Object& pod) {
  return api::Find(pod,
                   "/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution");
}

}  // namespace

Status NodeAffinity::PreFilter(CycleState& state, const PodInfo& pod, PreFilterResult* result) {
  const api::Object& p = *pod.pod;
  const api::Object* required = RequiredTerms(p);
  const api::Object* node_selector = api::Find(p, "/spec/nodeSelector");
  const bool no_node_affinity = !required || required->is_null();
  if (no_node_affinity && (!node_selector || node_selector->is_null())) {
    // NodeAffinity's Filter has nothing to do with this pod.
    return Status(framework::Code::kSkip);
  }
  state.Write(kPreFilterStateKey, std::make_shared<PreFilterState>(p));
  const api::Object* terms =
      no_node_affinity ? nullptr : api::Find(*required, "/nodeSelectorTerms");
  if (!terms || !terms->is_array() || terms->empty()) return Status();

  // Affinity to specific nodes by metadata.name narrows the node set.
  std::optional<std::set<std::string>> node_names;
  for (const api::Object& t : *terms) {
    std::optional<std::set<std::string>> term_names;
    if (const api::Object* fields = api::Find(t, "/matchFields"); fields && fields->is_array()) {
      for (const api::Object& r : *fields) {
        if (api::GetString(r, "/key") != "metadata.name" ||
            api::GetString(r, "/operator") != "In") {
          continue;
        }
        std::set<std::string> s;
        if (const api::Object* vals = api::Find(r, "/values"); vals && vals->is_array()) {
          for (const api::Object& v : *vals) {
            if (v.is_string()) s.insert(v.get<std::string>());
          }
        }
        if (!term_names) {
          term_names = std::move(s);
        } else {
          std::set<std::string> both;
          for (const std::string& n : *term_names) {
            if (s.contains(n)) both.insert(n);
          }
          term_names = std::move(both);
        }
      }
    }
    // A term without a metadata.name requirement allows every node (terms
    // are ORed).
    if (!term_names) return Status();
    if (!node_names) node_names.emplace();
    node_names->insert(term_names->begin(), term_names->end());
  }
  if (node_names && node_names->empty()) {
    return Status(framework::Code::kUnschedulableAndUnresolvable, {kErrReasonConflict});
  }
  if (node_names) result->node_names = std::move(node_names);
  return Status();
}

Status NodeAffinity::Filter(CycleState& state, const PodInfo& pod, const NodeInfo& node) {
  const PreFilterState* s = state.Read<PreFilterState>(kPreFilterStateKey);
  const bool matches = s ? s->required.Matches(node.labels(), node.name())
                         : RequiredNodeAffinity(*pod.pod).Matches(node.labels(), node.name());
  if (matches) return Status();
  return Status(framework::Code::kUnschedulableAndUnresolvable, {kErrReasonNodeAffinity});
}

Status NodeAffinity::PreScore(CycleState& state, const PodInfo& pod,
                              const std::vector<NodeInfo*>& nodes) {
  if (nodes.empty()) return Status();
  const api::Object* preferred = api::Find(
      *pod.pod, "/spec/affinity/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution");
  if (!preferred || preferred->is_null()) return Status(framework::Code::kSkip);
  state.Write(kPreScoreStateKey, std::make_shared<PreScoreState>(preferred));
  return Status();
}

int64_t NodeAffinity::Score(CycleState& state, const PodInfo& pod, const NodeInfo& node,
                            Status* status) {
  const PreScoreState* s = state.Read<PreScoreState>(kPreScoreStateKey);
  if (!s) {
    PreScoreState fresh(api::Find(
        *pod.pod, "/spec/affinity/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution"));
    return fresh.preferred.Score(node.labels(), node.name());
  }
  return s->preferred.Score(node.labels(), node.name());
}

Status NodeAffinity::NormalizeScore(CycleState&, const PodInfo&, std::vector<NodeScore>& scores) {
  framework::DefaultNormalizeScore(framework::kMaxNodeScore, /*reverse=*/false, scores);
  return Status();
}

std::vector<ClusterEventWithHint> NodeAffinity::EventsToRegister() const {
  using namespace framework;
  // isSchedulableAfterNodeChange: the node matches now and did not before.
  auto hint = [](const PodInfo& pod, const api::ObjectPtr& old_obj, const api::ObjectPtr& new_obj) {
    if (!new_obj) return QueueingHint::kQueueSkip;
    RequiredNodeAffinity required(*pod.pod);
    if (!required.Matches(api::Labels(*new_obj), api::Name(*new_obj))) {
      return QueueingHint::kQueueSkip;
    }
    if (!old_obj) return QueueingHint::kQueue;
    return required.Matches(api::Labels(*old_obj), api::Name(*old_obj)) ? QueueingHint::kQueueSkip
                                                                        : QueueingHint::kQueue;
  };
  return {
      {ClusterEvent{EventResource::kNode, action::kAdd | action::kUpdateNodeLabel, "Node"}, hint}};
}

}  // namespace kubesim::scheduler::plugins
