// The disruption controller ("disruption-controller"), as
// pkg/controller/disruption/disruption.go (Kubernetes 1.32): for each
// PodDisruptionBudget, the pods its selector covers, their expected count
// (from the scale of the Deployments/ReplicaSets owning them, or the number
// of pods for an integer minAvailable), how many are healthy (Ready, not
// being deleted, not recently disrupted) and so how many disruptions are
// allowed, written to status with the DisruptionAllowed condition.
//
// Not modelled: ReplicationControllers, StatefulSets and the scale
// subresource of custom resources as finders; the stale-DisruptedPods
// recheck only drops entries (upstream also re-queues at expiry, which
// kubesim does with AddAfter); the failSafe SyncFailed condition.
#include <algorithm>
#include <cmath>
#include <optional>

#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/api/policy.h"
#include "kubesim/api/selectors.h"
#include "reconciler.h"

namespace kubesim::controller {
namespace {

using api::Object;
using api::ObjectPtr;

// DeletionTimeout: how long a pod in status.disruptedPods counts as about
// to be deleted.
constexpr Duration kDeletionTimeout = std::chrono::minutes(2);

const Object* ControllerOf(const Object& obj) {
  const Object* refs = api::Find(obj, "/metadata/ownerReferences");
  if (!refs || !refs->is_array()) return nullptr;
  for (const auto& r : *refs) {
    if (r.is_object() && r.value("controller", false)) return &r;
  }
  return nullptr;
}

bool IsPodReady(const Object& pod) {
  const Object* conds = api::Find(pod, "/status/conditions");
  if (!conds || !conds->is_array()) return false;
  for (const auto& c : *conds) {
    if (api::GetString(c, "/type") == "Ready") return api::GetString(c, "/status") == "True";
  }
  return false;
}

bool Deleting(const Object& obj) {
  const Object* ts = api::Find(obj, "/metadata/deletionTimestamp");
  return ts && !ts->is_null();
}

// intstr.GetScaledValueFromIntOrPercent (round up); false on a bad value.
bool ScaledValue(const Object& v, int64_t total, int64_t* out) {
  if (v.is_number_integer()) {
    *out = v.get<int64_t>();
    return true;
  }
  if (!v.is_string()) return false;
  std::string s = v.get<std::string>();
  if (s.size() < 2 || s.back() != '%') return false;
  try {
    const int64_t pct = std::stoll(s.substr(0, s.size() - 1));
    *out = static_cast<int64_t>(
        std::ceil(static_cast<double>(pct) * static_cast<double>(total) / 100.0));
    return true;
  } catch (...) {
    return false;
  }
}

// %v of a *metav1.LabelSelector: its generated String() method
// (k8s.io/apimachinery/pkg/apis/meta/v1/generated.pb.go).
std::string GoLabelSelectorString(const Object* sel) {
  if (!sel || !sel->is_object()) return "nil";
  std::string labels = "map[string]string{";
  if (const Object* ml = api::Find(*sel, "/matchLabels"); ml && ml->is_object()) {
    for (auto it = ml->begin(); it != ml->end(); ++it) {  // keys sorted
      labels += it.key() + ": " + (it->is_string() ? it->get<std::string>() : it->dump()) + ",";
    }
  }
  labels += "}";
  std::string exprs = "[]LabelSelectorRequirement{";
  if (const Object* me = api::Find(*sel, "/matchExpressions"); me && me->is_array()) {
    for (const Object& r : *me) {
      std::string values = "[";
      if (const Object* vs = api::Find(r, "/values"); vs && vs->is_array()) {
        for (size_t i = 0; i < vs->size(); ++i) {
          values += (i ? " " : "") + ((*vs)[i].is_string() ? (*vs)[i].get<std::string>() : "");
        }
      }
      values += "]";
      exprs += "LabelSelectorRequirement{Key:" + api::GetString(r, "/key") +
               ",Operator:" + api::GetString(r, "/operator") + ",Values:" + values + ",},";
    }
  }
  exprs += "}";
  return "&LabelSelector{MatchLabels:" + labels + ",MatchExpressions:" + exprs + ",}";
}

class DisruptionController final : public Reconciler {
 public:
  explicit DisruptionController(const ControllerContext& ctx)
      : Reconciler(ctx, "disruption-controller") {}

 protected:
  void SetUpInformers() override {
    pdbs_ =
        AddInformer(api::kPodDisruptionBudgets,
                    client::EventHandler{
                        [this](const ObjectPtr& o) { Enqueue(api::KeyOf(*o)); },
                        [this](const ObjectPtr&, const ObjectPtr& n) { Enqueue(api::KeyOf(*n)); },
                        [this](const ObjectPtr& o) { Enqueue(api::KeyOf(*o)); }});
    auto pod_changed = [this](const ObjectPtr& pod) { EnqueuePdbsFor(*pod); };
    pods_ = AddInformer(api::kPods,
                        client::EventHandler{pod_changed,
                                             [this](const ObjectPtr& o, const ObjectPtr& n) {
                                               EnqueuePdbsFor(*n);
                                               if (api::Labels(*o) != api::Labels(*n))
                                                 EnqueuePdbsFor(*o);
                                             },
                                             pod_changed});
    // Scale changes of owners reach the PDB through the pods they create
    // or delete; upstream also watches the owners (updateDb/updateRs...).
    auto owner_changed = [this](const ObjectPtr&) {
      for (const auto& pdb : pdbs_->List()) Enqueue(api::KeyOf(*pdb));
    };
    client::EventHandler owners{
        owner_changed, [owner_changed](const ObjectPtr&, const ObjectPtr& n) { owner_changed(n); },
        owner_changed};
    rss_ = AddInformer(api::kReplicaSets, owners);
    deployments_ = AddInformer(api::kDeployments, owners);
  }

  Status Sync(const std::string& key) override {
    if (!AllSynced()) {
      queue_->AddAfter(key, std::chrono::milliseconds(100));
      return Status::Ok();
    }
    ObjectPtr pdb = pdbs_->Get(key);
    if (!pdb) return Status::Ok();
    return TrySync(*pdb, key);
  }

 private:
  void EnqueuePdbsFor(const Object& pod) {
    // getPdbForPod: upstream picks one PDB (warning when several); kubesim
    // syncs every PDB that covers the pod.
    for (const auto& pdb : pdbs_->List()) {
      if (api::PodDisruptionBudgetCoversPod(*pdb, pod)) Enqueue(api::KeyOf(*pdb));
    }
  }

  std::vector<ObjectPtr> PodsFor(const Object& pdb) const {
    std::vector<ObjectPtr> out;
    for (const auto& pod : pods_->List()) {
      if (api::PodDisruptionBudgetCoversPod(pdb, *pod)) out.push_back(pod);
    }
    return out;
  }

  // The finders (getPodDeployment, getPodReplicaSet): the (uid, scale) of
  // the pod's controller, false when none is found.
  bool FindScale(const Object& ref, const std::string& ns, std::string* uid, int64_t* scale) const {
    if (api::GetString(ref, "/kind") != "ReplicaSet") return false;
    ObjectPtr rs = rss_->Get(ns + "/" + api::GetString(ref, "/name"));
    if (!rs || api::Uid(*rs) != api::GetString(ref, "/uid")) return false;
    const Object* rs_ref = ControllerOf(*rs);
    if (rs_ref && api::GetString(*rs_ref, "/kind") == "Deployment") {
      ObjectPtr d = deployments_->Get(ns + "/" + api::GetString(*rs_ref, "/name"));
      if (!d || api::Uid(*d) != api::GetString(*rs_ref, "/uid")) return false;
      *uid = api::Uid(*d);
      *scale = api::GetInt(*d, "/spec/replicas");
      return true;
    }
    *uid = api::Uid(*rs);
    *scale = api::GetInt(*rs, "/spec/replicas");
    return true;
  }

  // getExpectedScale: the sum of the scales of the pods' controllers.
  Status ExpectedScale(const std::vector<ObjectPtr>& pods, int64_t* expected,
                       std::vector<std::string>* unmanaged) const {
    std::map<std::string, int64_t> scales;
    for (const auto& pod : pods) {
      const Object* ref = ControllerOf(*pod);
      if (!ref) {
        unmanaged->push_back(api::Name(*pod));
        continue;
      }
      std::string uid;
      int64_t scale = 0;
      if (!FindScale(*ref, api::Namespace(*pod), &uid, &scale)) {
        return Status::NotFound("found no controllers for pod \"" + api::Name(*pod) + "\"");
      }
      scales[uid] = scale;
    }
    *expected = 0;
    for (const auto& [uid, n] : scales) *expected += n;
    return Status::Ok();
  }

  Status TrySync(const Object& pdb, const std::string& key) {
    std::vector<ObjectPtr> pods = PodsFor(pdb);
    if (pods.empty()) recorder_->Event(pdb, "Normal", "NoPods", "No matching pods found");

    // getExpectedPodCount.
    int64_t expected = 0, desired = 0;
    std::vector<std::string> unmanaged;
    const Object* max_unavailable = api::Find(pdb, "/spec/maxUnavailable");
    const Object* min_available = api::Find(pdb, "/spec/minAvailable");
    Status st = Status::Ok();
    if (max_unavailable && !max_unavailable->is_null()) {
      st = ExpectedScale(pods, &expected, &unmanaged);
      int64_t max = 0;
      if (st.ok() && !ScaledValue(*max_unavailable, expected, &max)) {
        st = Status::Invalid("invalid maxUnavailable");
      }
      desired = std::max<int64_t>(0, expected - max);
    } else if (min_available && !min_available->is_null()) {
      if (min_available->is_number_integer()) {
        desired = min_available->get<int64_t>();
        expected = static_cast<int64_t>(pods.size());
      } else {
        st = ExpectedScale(pods, &expected, &unmanaged);
        if (st.ok() && !ScaledValue(*min_available, expected, &desired)) {
          st = Status::Invalid("invalid minAvailable");
        }
      }
    }
    if (!st.ok()) {
      recorder_->Event(pdb, "Warning", "CalculateExpectedPodCountFailed",
                       "Failed to calculate the number of expected pods: " + st.message());
      return st;
    }
    if (!unmanaged.empty()) {
      const std::string sel_text = GoLabelSelectorString(api::Find(pdb, "/spec/selector"));
      recorder_->Event(
          pdb, "Warning", "UnmanagedPods",
          "Pods selected by this PodDisruptionBudget (selector: " + sel_text +
              ") were found to be unmanaged. As a result, the status of the PDB cannot be "
              "calculated correctly, which may result in undefined behavior. To account for "
              "these pods please set \".spec.minAvailable\" field of the PDB to an integer "
              "value.");
    }

    // buildDisruptedPodMap: entries for pods still there, not yet deleted and
    // recorded less than DeletionTimeout ago.
    const Time now = Now();
    Object disrupted = Object::object();
    std::optional<Time> recheck;
    const Object* old_disrupted = api::Find(pdb, "/status/disruptedPods");
    if (old_disrupted && old_disrupted->is_object()) {
      for (const auto& pod : pods) {
        if (Deleting(*pod)) continue;
        auto it = old_disrupted->find(api::Name(*pod));
        if (it == old_disrupted->end() || !it->is_string()) continue;
        Time t;
        if (!ParseRfc3339(it->get<std::string>(), &t)) continue;
        const Time expires = t + kDeletionTimeout;
        if (expires < now) continue;  // the pod was not deleted in time
        disrupted[api::Name(*pod)] = *it;
        if (!recheck || expires < *recheck) recheck = expires;
      }
    }
    // countHealthyPods.
    int64_t healthy = 0;
    for (const auto& pod : pods) {
      if (Deleting(*pod)) continue;
      if (disrupted.contains(api::Name(*pod))) continue;
      if (IsPodReady(*pod)) ++healthy;
    }
    if (recheck) queue_->AddAfter(key, *recheck - now);
    return UpdateStatus(pdb, healthy, desired, expected, disrupted);
  }

  Status UpdateStatus(const Object& pdb, int64_t healthy, int64_t desired, int64_t expected,
                      const Object& disrupted) {
    int64_t allowed = healthy - desired;
    if (expected <= 0 || allowed <= 0) allowed = 0;
    const int64_t generation = api::GetInt(pdb, "/metadata/generation");
    Object status =
        pdb.contains("status") && pdb["status"].is_object() ? pdb["status"] : Object::object();
    Object conditions = status.contains("conditions") && status["conditions"].is_array()
                            ? status["conditions"]
                            : Object::array();
    // pdbhelper.UpdateDisruptionAllowedCondition (apimeta.SetStatusCondition).
    const bool ok = allowed > 0;
    Object cond = {{"type", "DisruptionAllowed"},
                   {"status", ok ? "True" : "False"},
                   {"observedGeneration", generation},
                   {"lastTransitionTime", FormatRfc3339(Now())},
                   {"reason", ok ? "SufficientPods" : "InsufficientPods"},
                   {"message", ""}};
    bool found = false;
    for (Object& c : conditions) {
      if (api::GetString(c, "/type") != "DisruptionAllowed") continue;
      found = true;
      if (api::GetString(c, "/status") == cond["status"].get<std::string>()) {
        cond["lastTransitionTime"] = c.value("lastTransitionTime", Object());
      }
      c = cond;
    }
    if (!found) conditions.push_back(cond);

    Object next = {{"currentHealthy", healthy},        {"desiredHealthy", desired},
                   {"disruptionsAllowed", allowed},    {"expectedPods", expected},
                   {"observedGeneration", generation}, {"conditions", conditions}};
    if (!disrupted.empty()) next["disruptedPods"] = disrupted;
    if (next == status) return Status::Ok();
    Object updated = pdb;
    updated["status"] = std::move(next);
    auto r = ctx_.client->UpdateStatus(api::kPodDisruptionBudgets, updated);
    if (!r.ok()) return r.status();  // retried with backoff
    return Status::Ok();
  }

  client::Informer* pdbs_ = nullptr;
  client::Informer* pods_ = nullptr;
  client::Informer* rss_ = nullptr;
  client::Informer* deployments_ = nullptr;
};

}  // namespace

std::unique_ptr<Controller> NewDisruptionController(const ControllerContext& ctx) {
  return std::make_unique<DisruptionController>(ctx);
}

}  // namespace kubesim::controller
