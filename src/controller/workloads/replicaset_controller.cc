// "replicaset-controller": pkg/controller/replicaset/replica_set.go.
// Keeps spec.replicas active pods (controller.FilterActivePods: terminating
// and finished pods do not count, so they are replaced), created from the
// template with generateName "<rs>-" and a controller ownerReference;
// expectations (pkg/controller/controller_utils.go ControllerExpectations)
// hold syncs until the informer has seen the controller's own writes; excess
// pods are chosen by ActivePodsWithRanks (getPodsToDelete); status is
// calculateStatus in replica_set_utils.go.
//
// Not reproduced: adoption/orphaning of pods by selector (pods are matched
// by controllerRef only), slow-start batches, minReadySeconds, the
// ReplicaFailure condition.
#include <algorithm>
#include <cmath>
#include <set>

#include "../expectations.h"
#include "base.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/selectors.h"

namespace kubesim::controller::workloads {
namespace {

using api::Object;
using api::ObjectPtr;

Time ParseTime(const Object& o, const char* ptr) {
  Time t{};
  std::string s = api::GetString(o, ptr);
  if (!s.empty()) ParseRfc3339(s, &t);
  return t;
}

Time ReadyTime(const Object& pod) {
  const Object* conds = api::Find(pod, "/status/conditions");
  if (conds && conds->is_array()) {
    for (const auto& c : *conds) {
      if (api::GetString(c, "/type") == "Ready" && api::GetString(c, "/status") == "True") {
        return ParseTime(c, "/lastTransitionTime");
      }
    }
  }
  return Time{};
}

int64_t MaxRestarts(const Object& pod) {
  int64_t m = 0;
  const Object* st = api::Find(pod, "/status/containerStatuses");
  if (st && st->is_array()) {
    for (const auto& c : *st) m = std::max(m, api::GetInt(c, "/restartCount"));
  }
  return m;
}

int64_t DeletionCost(const Object& pod) {
  const Object* a = api::Find(pod, "/metadata/annotations");
  if (!a || !a->is_object()) return 0;
  auto it = a->find("controller.kubernetes.io/pod-deletion-cost");
  if (it == a->end() || !it->is_string()) return 0;
  try {
    return std::stoll(it->get<std::string>());
  } catch (...) {
    return 0;
  }
}

int PhaseRank(const Object& pod) {
  const std::string p = api::GetString(pod, "/status/phase");
  if (p == "Pending") return 0;
  if (p == "Unknown") return 1;
  if (p == "Running") return 2;
  return 3;
}

// The log2 bucket of the time elapsed since `t` (LogarithmicScaleDown).
int64_t LogBucket(Time now, Time t) {
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(now - t).count();
  if (secs <= 0) return -1;
  return static_cast<int64_t>(std::floor(std::log2(static_cast<double>(secs))));
}

class ReplicaSetController final : public Reconciler {
 public:
  explicit ReplicaSetController(const ControllerContext& ctx)
      : Reconciler(ctx, "replicaset-controller") {}

 protected:
  void SetUpInformers() override {
    expectations_.Clear();
    client::EventHandler rs_handler;
    rs_handler.on_add = [this](const ObjectPtr& o) { Enqueue(api::KeyOf(*o)); };
    rs_handler.on_update = [this](const ObjectPtr&, const ObjectPtr& o) {
      Enqueue(api::KeyOf(*o));
    };
    rs_handler.on_delete = [this](const ObjectPtr& o) { expectations_.Delete(api::KeyOf(*o)); };
    rss_ = AddInformer(api::kReplicaSets, rs_handler);

    // On the shared informers' thread: the handlers read only the pod and
    // the thread-safe expectations, and a pod no ReplicaSet controls
    // enqueues nothing.
    client::EventHandler pod_handler;
    pod_handler.on_add = [this](const ObjectPtr& o) {
      std::string key = OwnerKey(*o);
      if (key.empty()) return;
      expectations_.CreationObserved(key);
      if (api::Find(*o, "/metadata/deletionTimestamp")) {
        expectations_.DeletionObserved(key, api::KeyOf(*o));
      }
      Enqueue(key);
    };
    pod_handler.on_update = [this](const ObjectPtr& old_obj, const ObjectPtr& o) {
      std::string key = OwnerKey(*o);
      if (key.empty()) return;
      if (api::Find(*o, "/metadata/deletionTimestamp")) {
        expectations_.DeletionObserved(key, api::KeyOf(*o));
      }
      Enqueue(key);
    };
    pod_handler.on_delete = [this](const ObjectPtr& o) {
      std::string key = OwnerKey(*o);
      if (key.empty()) return;
      expectations_.DeletionObserved(key, api::KeyOf(*o));
      Enqueue(key);
    };
    pods_ = AddInformer(api::kPods, pod_handler);
  }

  static std::string OwnerKey(const Object& pod) {
    const Object* ref = ControllerRef(pod);
    if (!ref || ref->value("kind", "") != "ReplicaSet") return "";
    return api::Namespace(pod) + "/" + ref->value("name", "");
  }

  Status Sync(const std::string& key) override {
    if (!AllSynced()) {
      queue_->AddAfter(key, std::chrono::seconds(1));
      return Status::Ok();
    }
    ObjectPtr rs = rss_->Get(key);
    if (!rs) {
      expectations_.Delete(key);
      return Status::Ok();
    }
    const std::string ns = api::Namespace(*rs);
    const std::string uid = api::Uid(*rs);
    std::vector<ObjectPtr> all, active;
    for (const ObjectPtr& pod : pods_->List()) {
      if (api::Namespace(*pod) != ns) continue;
      const Object* ref = ControllerRef(*pod);
      if (!ref || ref->value("uid", "") != uid) continue;
      all.push_back(pod);
      if (IsPodActive(*pod)) active.push_back(pod);
    }
    Status result = Status::Ok();
    if (expectations_.Satisfied(key, Now()) && !api::Find(*rs, "/metadata/deletionTimestamp")) {
      result = ManageReplicas(*rs, key, active);
    }
    UpdateStatus(*rs, active);
    return result;
  }

  Status ManageReplicas(const Object& rs, const std::string& key,
                        const std::vector<ObjectPtr>& active) {
    const int64_t want = api::GetInt(rs, "/spec/replicas");
    const int64_t diff = static_cast<int64_t>(active.size()) - want;
    const std::string ns = api::Namespace(rs);
    if (diff < 0) {
      expectations_.Set(key, -diff, {}, Now());
      for (int64_t i = 0; i < -diff; ++i) {
        Object pod = PodFromTemplate(rs);
        auto created = ctx_.client->Create(api::kPods, ns, pod);
        if (!created.ok()) {
          expectations_.CreationObserved(key);
          recorder_->Event(rs, "Warning", "FailedCreate",
                           "Error creating: " + created.status().message());
          return created.status();
        }
        recorder_->Event(rs, "Normal", "SuccessfulCreate", "Created pod: " + api::Name(*created));
      }
    } else if (diff > 0) {
      std::vector<ObjectPtr> victims = PodsToDelete(rs, active, diff);
      std::vector<std::string> victim_keys;
      for (const auto& p : victims) victim_keys.push_back(api::KeyOf(*p));
      expectations_.Set(key, 0, victim_keys, Now());
      for (const auto& p : victims) {
        Status st = ctx_.client->Delete(api::kPods, ns, api::Name(*p));
        if (!st.ok()) {
          expectations_.DeletionObserved(key, api::KeyOf(*p));
          if (st.code() == StatusCode::kNotFound) continue;
          recorder_->Event(rs, "Warning", "FailedDelete", "Error deleting: " + st.message());
          return st;
        }
        recorder_->Event(rs, "Normal", "SuccessfulDelete", "Deleted pod: " + api::Name(*p));
      }
    }
    return Status::Ok();
  }

  // controller.GetPodFromTemplate.
  static Object PodFromTemplate(const Object& rs) {
    const Object* tmpl = api::Find(rs, "/spec/template");
    Object meta = Object::object();
    if (tmpl) {
      for (const char* k : {"labels", "annotations", "finalizers"}) {
        const Object* v = api::Find(*tmpl, (std::string("/metadata/") + k).c_str());
        if (v && !v->empty()) meta[k] = *v;
      }
    }
    meta["generateName"] = api::Name(rs) + "-";
    meta["namespace"] = api::Namespace(rs);
    meta["ownerReferences"] = Object::array({NewControllerRef(rs)});
    Object spec = tmpl && tmpl->contains("spec") ? (*tmpl)["spec"] : Object::object();
    return {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", meta}, {"spec", spec}};
  }

  // getPodsToDelete with getPodsRankedByRelatedPodsOnSameNode: related pods
  // are the active pods of every ReplicaSet with the same controller owner
  // (getIndirectlyRelatedPods).
  std::vector<ObjectPtr> PodsToDelete(const Object& rs, std::vector<ObjectPtr> active, int64_t n) {
    std::set<std::string> related_owners = {api::Uid(rs)};
    const Object* owner = ControllerRef(rs);
    if (owner) {
      for (const ObjectPtr& other : rss_->List()) {
        const Object* r = ControllerRef(*other);
        if (r && r->value("uid", "") == owner->value("uid", "")) {
          related_owners.insert(api::Uid(*other));
        }
      }
    }
    std::map<std::string, int64_t> per_node;
    for (const ObjectPtr& pod : pods_->List()) {
      const Object* r = ControllerRef(*pod);
      if (!r || !related_owners.count(r->value("uid", "")) || !IsPodActive(*pod)) continue;
      std::string node = api::GetString(*pod, "/spec/nodeName");
      if (!node.empty()) ++per_node[node];
    }
    const Time now = Now();
    auto rank = [&](const ObjectPtr& p) {
      std::string node = api::GetString(*p, "/spec/nodeName");
      return node.empty() ? int64_t{0} : per_node[node];
    };
    // ActivePodsWithRanks.Less: true when a should be deleted before b.
    auto less = [&](const ObjectPtr& a, const ObjectPtr& b) {
      const bool a_assigned = !api::GetString(*a, "/spec/nodeName").empty();
      const bool b_assigned = !api::GetString(*b, "/spec/nodeName").empty();
      if (a_assigned != b_assigned) return !a_assigned;  // 1. unassigned first
      if (PhaseRank(*a) != PhaseRank(*b)) return PhaseRank(*a) < PhaseRank(*b);  // 2.
      if (IsPodReady(*a) != IsPodReady(*b)) return !IsPodReady(*a);  // 3. not ready first
      if (DeletionCost(*a) != DeletionCost(*b)) return DeletionCost(*a) < DeletionCost(*b);  // 4.
      if (rank(a) != rank(b)) return rank(a) > rank(b);  // 5. doubled-up first
      if (IsPodReady(*a) && IsPodReady(*b)) {            // 6. ready more recently first
        Time ra = ReadyTime(*a), rb = ReadyTime(*b);
        if (ra != rb) {
          int64_t ba = LogBucket(now, ra), bb = LogBucket(now, rb);
          if (ba != bb) return ba < bb;
        }
      }
      if (MaxRestarts(*a) != MaxRestarts(*b)) return MaxRestarts(*a) > MaxRestarts(*b);  // 7.
      Time ca = ParseTime(*a, "/metadata/creationTimestamp");  // 8. newer first
      Time cb = ParseTime(*b, "/metadata/creationTimestamp");
      if (ca != cb) {
        int64_t ba = LogBucket(now, ca), bb = LogBucket(now, cb);
        if (ba != bb) return ba < bb;
      }
      return api::Uid(*a) < api::Uid(*b);  // UID tie-break
    };
    std::stable_sort(active.begin(), active.end(), less);
    active.resize(static_cast<size_t>(std::min<int64_t>(n, active.size())));
    return active;
  }

  // calculateStatus + updateReplicaSetStatus.
  void UpdateStatus(const Object& rs, const std::vector<ObjectPtr>& active) {
    int64_t ready = 0, available = 0, labeled = 0;
    const Object* tl = api::Find(rs, "/spec/template/metadata/labels");
    std::map<std::string, std::string> tmpl_labels;
    if (tl && tl->is_object()) {
      for (auto it = tl->begin(); it != tl->end(); ++it) {
        if (it.value().is_string()) tmpl_labels[it.key()] = it.value().get<std::string>();
      }
    }
    auto tmpl_selector = api::LabelSelector::FromMap(tmpl_labels);
    for (const ObjectPtr& p : active) {
      if (tmpl_selector.Matches(api::Labels(*p))) ++labeled;
      if (IsPodReady(*p)) {
        ++ready;
        ++available;  // minReadySeconds 0
      }
    }
    Object status = rs.contains("status") ? rs["status"] : Object::object();
    Object want = status;
    want["replicas"] = static_cast<int64_t>(active.size());
    auto set_or_erase = [&](const char* k, int64_t v) {
      if (v == 0) {
        want.erase(k);
      } else {
        want[k] = v;
      }
    };
    set_or_erase("fullyLabeledReplicas", labeled);
    set_or_erase("readyReplicas", ready);
    set_or_erase("availableReplicas", available);
    set_or_erase("observedGeneration", api::GetInt(rs, "/metadata/generation"));
    if (want == status) return;
    Object updated = rs;
    updated["status"] = want;
    auto r = ctx_.client->UpdateStatus(api::kReplicaSets, updated);
    if (!r.ok()) queue_->AddAfter(api::KeyOf(rs), std::chrono::seconds(1));
  }

  client::Informer* rss_ = nullptr;
  client::Informer* pods_ = nullptr;
  // Set by syncs on the loop, lowered by handlers on the informers' thread.
  Expectations expectations_;
};

}  // namespace

std::unique_ptr<Controller> NewReplicaSetController(const ControllerContext& ctx) {
  return std::make_unique<ReplicaSetController>(ctx);
}

}  // namespace kubesim::controller::workloads
