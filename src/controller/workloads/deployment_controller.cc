// "deployment-controller": pkg/controller/deployment (deployment_controller.go
// syncDeployment, rolling.go, recreate.go, sync.go getNewReplicaSet /
// scaleReplicaSet / cleanupDeployment / calculateStatus, progress.go
// syncRolloutStatus, util/deployment_util.go).
//
// Not reproduced: adoption of orphan ReplicaSets by selector, proportional
// scaling of several active ReplicaSets during a rollout (a scale-up goes to
// the new ReplicaSet, scale-down happens through the old ones' reconcile),
// pause, minReadySeconds, the ProgressDeadlineExceeded timeout, hash
// collision handling beyond an error.
#include <algorithm>
#include <set>

#include "base.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/selectors.h"

namespace kubesim::controller::workloads {
namespace {

using api::Object;
using api::ObjectPtr;

int64_t Revision(const Object& rs) {
  const Object* a = api::Find(rs, "/metadata/annotations");
  if (!a || !a->is_object() || !a->contains(kRevisionAnnotation)) return 0;
  try {
    return std::stoll((*a)[kRevisionAnnotation].get<std::string>());
  } catch (...) {
    return 0;
  }
}

int64_t Replicas(const Object& o) { return api::GetInt(o, "/spec/replicas"); }

// EqualIgnoreHash: templates equal once pod-template-hash is dropped.
bool EqualIgnoreHash(Object a, Object b) {
  for (Object* t : {&a, &b}) {
    if (t->contains("metadata") && (*t)["metadata"].contains("labels")) {
      (*t)["metadata"]["labels"].erase(kPodTemplateHashLabel);
      if ((*t)["metadata"]["labels"].empty()) (*t)["metadata"].erase("labels");
    }
    if (t->contains("metadata") && (*t)["metadata"].empty()) t->erase("metadata");
  }
  return a == b;
}

// skipCopyAnnotation (deployment_util.go).
bool SkipCopyAnnotation(const std::string& k) {
  return k == "kubectl.kubernetes.io/last-applied-configuration" || k == kRevisionAnnotation ||
         k == "deployment.kubernetes.io/revision-history" || k == kDesiredReplicasAnnotation ||
         k == kMaxReplicasAnnotation || k == "deprecated.deployment.rollback.to";
}

class DeploymentController final : public Reconciler {
 public:
  explicit DeploymentController(const ControllerContext& ctx)
      : Reconciler(ctx, "deployment-controller") {}

 protected:
  void SetUpInformers() override {
    client::EventHandler d_handler;
    d_handler.on_add = [this](const ObjectPtr& o) { Enqueue(api::KeyOf(*o)); };
    d_handler.on_update = [this](const ObjectPtr&, const ObjectPtr& o) { Enqueue(api::KeyOf(*o)); };
    deployments_ = AddInformer(api::kDeployments, d_handler);
    client::EventHandler rs_handler;
    auto owner = [this](const ObjectPtr& o) {
      const Object* ref = ControllerRef(*o);
      if (ref && ref->value("kind", "") == "Deployment") {
        Enqueue(api::Namespace(*o) + "/" + ref->value("name", ""));
      }
    };
    rs_handler.on_add = owner;
    rs_handler.on_update = [owner](const ObjectPtr&, const ObjectPtr& o) { owner(o); };
    rs_handler.on_delete = owner;
    rss_ = AddInformer(api::kReplicaSets, rs_handler);
  }

  struct State {
    Object d;
    std::vector<Object> old_rss;  // oldest first
    std::optional<Object> new_rs;
  };

  Status Sync(const std::string& key) override {
    if (!AllSynced()) {
      queue_->AddAfter(key, std::chrono::seconds(1));
      return Status::Ok();
    }
    ObjectPtr dp = deployments_->Get(key);
    if (!dp || api::Find(*dp, "/metadata/deletionTimestamp")) return Status::Ok();
    State s;
    s.d = *dp;
    const std::string uid = api::Uid(s.d);
    std::vector<Object> owned;
    for (const ObjectPtr& rs : rss_->List()) {
      if (api::Namespace(*rs) != api::Namespace(s.d)) continue;
      const Object* ref = ControllerRef(*rs);
      if (ref && ref->value("uid", "") == uid) owned.push_back(*rs);
    }
    std::stable_sort(owned.begin(), owned.end(), [](const Object& a, const Object& b) {
      return api::GetString(a, "/metadata/creationTimestamp") <
             api::GetString(b, "/metadata/creationTimestamp");
    });
    const Object& tmpl = s.d["spec"]["template"];
    for (auto& rs : owned) {
      if (!s.new_rs && EqualIgnoreHash(rs["spec"]["template"], tmpl)) {
        s.new_rs = rs;
      } else {
        s.old_rss.push_back(rs);
      }
    }
    Status st = EnsureNewReplicaSet(s);
    if (!st.ok()) return st;
    if (api::GetString(s.d, "/spec/strategy/type") == "Recreate") {
      st = RolloutRecreate(s);
    } else {
      st = RolloutRolling(s);
    }
    if (!st.ok()) return st;
    if (Complete(s)) Cleanup(s);
    return SyncStatus(s);
  }

  int64_t MaxSurge(const Object& d) {
    if (api::GetString(d, "/spec/strategy/type") != "RollingUpdate") return 0;
    int64_t surge = ScaledValue(d, "/spec/strategy/rollingUpdate/maxSurge", Replicas(d), true);
    int64_t unavail =
        ScaledValue(d, "/spec/strategy/rollingUpdate/maxUnavailable", Replicas(d), false);
    (void)unavail;
    return surge;
  }
  // MaxUnavailable (ResolveFenceposts: both 0 means unavailable 1).
  int64_t MaxUnavailable(const Object& d) {
    if (api::GetString(d, "/spec/strategy/type") != "RollingUpdate" || Replicas(d) == 0) return 0;
    int64_t surge = ScaledValue(d, "/spec/strategy/rollingUpdate/maxSurge", Replicas(d), true);
    int64_t unavail =
        ScaledValue(d, "/spec/strategy/rollingUpdate/maxUnavailable", Replicas(d), false);
    if (surge == 0 && unavail == 0) unavail = 1;
    return std::min(unavail, Replicas(d));
  }

  std::vector<Object*> All(State& s) {
    std::vector<Object*> all;
    for (auto& rs : s.old_rss) all.push_back(&rs);
    if (s.new_rs) all.push_back(&*s.new_rs);
    return all;
  }
  int64_t SumSpec(State& s) {
    int64_t n = 0;
    for (Object* rs : All(s)) n += Replicas(*rs);
    return n;
  }
  int64_t SumStatus(State& s, const char* ptr) {
    int64_t n = 0;
    for (Object* rs : All(s)) n += api::GetInt(*rs, ptr);
    return n;
  }

  // NewRSNewReplicas.
  int64_t NewReplicas(State& s) {
    const int64_t want = Replicas(s.d);
    if (api::GetString(s.d, "/spec/strategy/type") != "RollingUpdate") return want;
    const int64_t current_new = s.new_rs ? Replicas(*s.new_rs) : 0;
    const int64_t max_total = want + MaxSurge(s.d);
    const int64_t current = SumSpec(s);
    if (current >= max_total) return current_new;
    int64_t up = std::min(max_total - current, want - current_new);
    return current_new + std::max<int64_t>(up, 0);
  }

  void SetCondition(Object& status, const std::string& type, const std::string& cstatus,
                    const std::string& reason, const std::string& message) {
    Object& conds = status["conditions"];
    if (!conds.is_array()) conds = Object::array();
    std::string now = FormatRfc3339(Now());
    std::string transition = now;
    Object kept = Object::array();
    for (const auto& c : conds) {
      if (c.value("type", "") == type) {
        if (c.value("status", "") == cstatus && c.value("reason", "") == reason) return;
        if (c.value("status", "") == cstatus) transition = c.value("lastTransitionTime", now);
        continue;
      }
      kept.push_back(c);
    }
    kept.push_back({{"type", type},
                    {"status", cstatus},
                    {"lastUpdateTime", now},
                    {"lastTransitionTime", transition},
                    {"reason", reason},
                    {"message", message}});
    conds = std::move(kept);
  }

  // getNewReplicaSet(createIfNotExisted = true) + the revision bookkeeping.
  Status EnsureNewReplicaSet(State& s) {
    int64_t max_old = 0;
    for (auto& rs : s.old_rss) max_old = std::max(max_old, Revision(rs));
    const std::string new_revision = std::to_string(max_old + 1);
    const std::string ns = api::Namespace(s.d);
    if (s.new_rs) {
      // An old template brought back (rollout undo) becomes the newest revision.
      if (Revision(*s.new_rs) < max_old + 1 ||
          Annotation(*s.new_rs, "deployment.kubernetes.io/revision").empty()) {
        Object updated = *s.new_rs;
        updated["metadata"]["annotations"][kRevisionAnnotation] = new_revision;
        auto r = ctx_.client->Update(api::kReplicaSets, updated);
        if (!r.ok()) return r.status();
        s.new_rs = *r;
      }
      return SyncDeploymentRevision(s, std::to_string(Revision(*s.new_rs)), "");
    }
    Object tmpl = s.d["spec"]["template"];
    const int64_t collision = api::GetInt(s.d, "/status/collisionCount");
    const std::string hash = ComputeHash(tmpl, collision);
    tmpl["metadata"]["labels"][kPodTemplateHashLabel] = hash;
    Object selector = s.d["spec"]["selector"];
    selector["matchLabels"][kPodTemplateHashLabel] = hash;
    Object annotations = Object::object();
    const Object* da = api::Find(s.d, "/metadata/annotations");
    if (da && da->is_object()) {
      for (auto it = da->begin(); it != da->end(); ++it) {
        if (!SkipCopyAnnotation(it.key())) annotations[it.key()] = it.value();
      }
    }
    const int64_t replicas = NewReplicas(s);
    annotations[kDesiredReplicasAnnotation] = std::to_string(Replicas(s.d));
    annotations[kMaxReplicasAnnotation] = std::to_string(Replicas(s.d) + MaxSurge(s.d));
    annotations[kRevisionAnnotation] = new_revision;
    Object labels = tmpl["metadata"]["labels"];
    Object rs = {{"apiVersion", "apps/v1"},
                 {"kind", "ReplicaSet"},
                 {"metadata",
                  {{"name", api::Name(s.d) + "-" + hash},
                   {"namespace", ns},
                   {"labels", labels},
                   {"annotations", annotations},
                   {"ownerReferences", Object::array({NewControllerRef(s.d)})}}},
                 {"spec",
                  {{"replicas", replicas},
                   {"minReadySeconds", api::GetInt(s.d, "/spec/minReadySeconds")},
                   {"selector", selector},
                   {"template", tmpl}}}};
    auto created = ctx_.client->Create(api::kReplicaSets, ns, rs);
    if (!created.ok()) return created.status();
    s.new_rs = *created;
    if (replicas > 0) {
      recorder_->Event(s.d, "Normal", "ScalingReplicaSet",
                       "Scaled up replica set " + api::Name(*created) + " from 0 to " +
                           std::to_string(replicas));
    }
    return SyncDeploymentRevision(s, new_revision, api::Name(*created));
  }

  // The deployment's revision annotation follows its new ReplicaSet's
  // (written with the status, as upstream's UpdateStatus call does).
  Status SyncDeploymentRevision(State& s, const std::string& revision,
                                const std::string& created_rs) {
    const std::string current = Annotation(s.d, "deployment.kubernetes.io/revision");
    if (current == revision && created_rs.empty()) return Status::Ok();
    Object updated = s.d;
    updated["metadata"]["annotations"][kRevisionAnnotation] = revision;
    if (!updated.contains("status") || !updated["status"].is_object())
      updated["status"] = Object::object();
    if (!created_rs.empty()) {
      SetCondition(updated["status"], "Progressing", "True", "NewReplicaSetCreated",
                   "Created new replica set \"" + created_rs + "\"");
    }
    auto r = ctx_.client->UpdateStatus(api::kDeployments, updated);
    if (!r.ok()) return r.status();
    s.d = *r;
    return Status::Ok();
  }

  // scaleReplicaSetAndRecordEvent.
  Status Scale(State& s, Object& rs, int64_t to) {
    const int64_t from = Replicas(rs);
    const std::string desired = std::to_string(Replicas(s.d));
    const std::string max = std::to_string(Replicas(s.d) + MaxSurge(s.d));
    const bool annotations_ok =
        Annotation(rs, "deployment.kubernetes.io/desired-replicas") == desired &&
        Annotation(rs, "deployment.kubernetes.io/max-replicas") == max;
    if (from == to && annotations_ok) return Status::Ok();
    Object updated = rs;
    updated["spec"]["replicas"] = to;
    updated["metadata"]["annotations"][kDesiredReplicasAnnotation] = desired;
    updated["metadata"]["annotations"][kMaxReplicasAnnotation] = max;
    auto r = ctx_.client->Update(api::kReplicaSets, updated);
    if (!r.ok()) return r.status();
    rs = *r;
    if (from != to) {
      recorder_->Event(s.d, "Normal", "ScalingReplicaSet",
                       std::string("Scaled ") + (to > from ? "up" : "down") + " replica set " +
                           api::Name(rs) + " from " + std::to_string(from) + " to " +
                           std::to_string(to));
    }
    return Status::Ok();
  }

  // rolling.go rolloutRolling: reconcileNewReplicaSet, reconcileOldReplicaSets.
  Status RolloutRolling(State& s) {
    Object& nrs = *s.new_rs;
    const int64_t want = Replicas(s.d);
    if (Replicas(nrs) > want) {
      Status st = Scale(s, nrs, want);
      if (!st.ok()) return st;
    } else if (Replicas(nrs) < want) {
      Status st = Scale(s, nrs, NewReplicas(s));
      if (!st.ok()) return st;
    } else {
      Status st = Scale(s, nrs, want);  // annotations only
      if (!st.ok()) return st;
    }
    int64_t old_count = 0;
    for (auto& rs : s.old_rss) old_count += Replicas(rs);
    if (old_count == 0) return Status::Ok();
    const int64_t all = SumSpec(s);
    const int64_t min_available = want - MaxUnavailable(s.d);
    const int64_t new_unavailable = Replicas(nrs) - api::GetInt(nrs, "/status/availableReplicas");
    const int64_t max_scaled_down = all - min_available - new_unavailable;
    if (max_scaled_down <= 0) return Status::Ok();
    // cleanupUnhealthyReplicas.
    int64_t cleaned = 0;
    for (auto& rs : s.old_rss) {
      if (cleaned >= max_scaled_down) break;
      const int64_t avail = api::GetInt(rs, "/status/availableReplicas");
      if (Replicas(rs) == 0 || Replicas(rs) == avail) continue;
      int64_t down = std::min(max_scaled_down - cleaned, Replicas(rs) - avail);
      Status st = Scale(s, rs, Replicas(rs) - down);
      if (!st.ok()) return st;
      cleaned += down;
    }
    // scaleDownOldReplicaSetsForRollingUpdate.
    const int64_t available = SumStatus(s, "/status/availableReplicas");
    if (available <= min_available) return Status::Ok();
    int64_t total = available - min_available, scaled = 0;
    for (auto& rs : s.old_rss) {
      if (scaled >= total) break;
      if (Replicas(rs) == 0) continue;
      int64_t down = std::min(Replicas(rs), total - scaled);
      Status st = Scale(s, rs, Replicas(rs) - down);
      if (!st.ok()) return st;
      scaled += down;
    }
    return Status::Ok();
  }

  // recreate.go rolloutRecreate: old ReplicaSets to 0, wait for their pods
  // to be gone, then the new one to spec.replicas.
  Status RolloutRecreate(State& s) {
    bool old_running = false;
    for (auto& rs : s.old_rss) {
      if (Replicas(rs) != 0) {
        Status st = Scale(s, rs, 0);
        if (!st.ok()) return st;
      }
      if (api::GetInt(rs, "/status/replicas") > 0) old_running = true;
    }
    if (old_running) return Status::Ok();
    return Scale(s, *s.new_rs, Replicas(s.d));
  }

  bool Complete(State& s) {
    const int64_t want = Replicas(s.d);
    return api::GetInt(*s.new_rs, "/status/replicas") == want &&
           api::GetInt(*s.new_rs, "/status/availableReplicas") == want &&
           SumStatus(s, "/status/replicas") == want;
  }

  // cleanupDeployment: old ReplicaSets with no pods beyond revisionHistoryLimit.
  void Cleanup(State& s) {
    const int64_t limit = api::GetInt(s.d, "/spec/revisionHistoryLimit");
    std::vector<Object*> cleanable;
    for (auto& rs : s.old_rss) {
      if (Replicas(rs) == 0 && api::GetInt(rs, "/status/replicas") == 0 &&
          api::GetInt(rs, "/metadata/generation") <=
              api::GetInt(rs, "/status/observedGeneration")) {
        cleanable.push_back(&rs);
      }
    }
    if (static_cast<int64_t>(cleanable.size()) <= limit) return;
    std::stable_sort(cleanable.begin(), cleanable.end(),
                     [](Object* a, Object* b) { return Revision(*a) < Revision(*b); });
    const size_t n = cleanable.size() - static_cast<size_t>(limit);
    for (size_t i = 0; i < n; ++i) {
      (void)ctx_.client->Delete(api::kReplicaSets, api::Namespace(*cleanable[i]),
                                api::Name(*cleanable[i]));
    }
  }

  // calculateStatus + syncRolloutStatus.
  Status SyncStatus(State& s) {
    Object status =
        s.d.contains("status") && s.d["status"].is_object() ? s.d["status"] : Object::object();
    const Object old_status = status;
    const int64_t want = Replicas(s.d);
    const int64_t available = SumStatus(s, "/status/availableReplicas");
    auto set = [&](const char* k, int64_t v) {
      if (v == 0) {
        status.erase(k);
      } else {
        status[k] = v;
      }
    };
    set("observedGeneration", api::GetInt(s.d, "/metadata/generation"));
    set("replicas", SumStatus(s, "/status/replicas"));
    set("updatedReplicas", api::GetInt(*s.new_rs, "/status/replicas"));
    set("readyReplicas", SumStatus(s, "/status/readyReplicas"));
    set("availableReplicas", available);
    set("unavailableReplicas", std::max<int64_t>(0, want - available));
    if (available >= want - MaxUnavailable(s.d)) {
      SetCondition(status, "Available", "True", "MinimumReplicasAvailable",
                   "Deployment has minimum availability.");
    } else {
      SetCondition(status, "Available", "False", "MinimumReplicasUnavailable",
                   "Deployment does not have minimum availability.");
    }
    const std::string rs_name = api::Name(*s.new_rs);
    const bool complete = status.value("updatedReplicas", int64_t{0}) == want &&
                          status.value("replicas", int64_t{0}) == want &&
                          status.value("availableReplicas", int64_t{0}) == want;
    if (complete) {
      SetCondition(status, "Progressing", "True", "NewReplicaSetAvailable",
                   "ReplicaSet \"" + rs_name + "\" has successfully progressed.");
    } else {
      // DeploymentProgressing: any count moved towards the goal.
      auto moved = [&](const char* k) {
        return status.value(k, int64_t{0}) > old_status.value(k, int64_t{0});
      };
      const int64_t old_old = old_status.value("replicas", int64_t{0}) -
                              old_status.value("updatedReplicas", int64_t{0});
      const int64_t new_old =
          status.value("replicas", int64_t{0}) - status.value("updatedReplicas", int64_t{0});
      if (moved("updatedReplicas") || moved("readyReplicas") || moved("availableReplicas") ||
          new_old < old_old || !api::Find(status, "/conditions/1")) {
        SetCondition(status, "Progressing", "True", "ReplicaSetUpdated",
                     "ReplicaSet \"" + rs_name + "\" is progressing.");
      }
    }
    if (status == old_status) return Status::Ok();
    Object updated = s.d;
    updated["status"] = status;
    auto r = ctx_.client->UpdateStatus(api::kDeployments, updated);
    return r.ok() ? Status::Ok() : r.status();
  }

  client::Informer* deployments_ = nullptr;
  client::Informer* rss_ = nullptr;
};

}  // namespace

std::unique_ptr<Controller> NewDeploymentController(const ControllerContext& ctx) {
  return std::make_unique<DeploymentController>(ctx);
}

}  // namespace kubesim::controller::workloads
