// "daemonset-controller": pkg/controller/daemon/daemon_controller.go,
// update.go (rolling update, ControllerRevision history) and
// pkg/controller/daemon/util/daemonset_util.go, Kubernetes 1.32.
//
// One pod per node that should run it (NodeShouldRunDaemonPod: the
// template's nodeName, node affinity / nodeSelector and the node's
// NoSchedule/NoExecute taints against the pod's tolerations plus the ones the
// controller adds). Pods are created from the template with generateName
// "<ds>-", a controller ownerReference, labels controller-revision-hash and
// pod-template-generation, and a required node affinity
// `matchFields metadata.name In [node]`, so the default scheduler binds them
// (ScheduleDaemonSetPods, GA in 1.17). The current template is recorded as a
// ControllerRevision "<ds>-<hash>" whose data is the strategic merge patch
// getPatch builds; RollingUpdate with maxSurge 0 deletes at most
// maxUnavailable old pods at a time and the manage loop recreates them.
// Failed daemon pods are deleted with the controller's per-node backoff
// (1s doubling to 15m, flowcontrol.NewBackOff).
//
// Not reproduced: maxSurge > 0 rolling updates (validated and stored, but
// the controller then behaves as maxSurge 0), minReadySeconds (pods are
// available when ready), adoption/orphaning by selector (pods are matched by
// controllerRef), hash collisions (collisionCount), slow-start batches
// (every create of a sync is issued in node-name order; the first failure
// ends the sync, which is retried), the DaemonSet conditions, and the node
// informer's finer shouldIgnoreNodeUpdate filter (any label, taint or
// condition status change re-syncs every DaemonSet).
#include <algorithm>
#include <map>
#include <set>

#include "../../scheduler/node_selector.h"
#include "../../scheduler/taints.h"
#include "../expectations.h"
#include "base.h"
#include "kubesim/api/gvr.h"

namespace kubesim::controller::workloads {
namespace {

using api::Object;
using api::ObjectPtr;

constexpr char kRevisionHashLabel[] = "controller-revision-hash";  // DefaultDaemonSetUniqueLabelKey
constexpr char kTemplateGenerationLabel[] = "pod-template-generation";
constexpr char kTemplateGenerationAnnotation[] = "deprecated.daemonset.template.generation";
constexpr Duration kBackoffInitial = std::chrono::seconds(1);
constexpr Duration kBackoffMax = std::chrono::minutes(15);

// flowcontrol.Backoff entry.
struct Backoff {
  Duration delay{};
  Time last_update{};
};

Time ParseTime(const Object& o, const char* ptr) {
  Time t{};
  std::string s = api::GetString(o, ptr);
  if (!s.empty()) ParseRfc3339(s, &t);
  return t;
}

std::map<std::string, std::string> LabelsOf(const Object& node) { return api::Labels(node); }

// util.GetTargetNodeName: spec.nodeName, else the node the required
// affinity's matchFields metadata.name term names.
std::string TargetNode(const Object& pod) {
  std::string node = api::GetString(pod, "/spec/nodeName");
  if (!node.empty()) return node;
  const Object* terms =
      api::Find(pod,
                "/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/"
                "nodeSelectorTerms");
  if (!terms || !terms->is_array()) return "";
  for (const auto& t : *terms) {
    const Object* fields = api::Find(t, "/matchFields");
    if (!fields || !fields->is_array()) continue;
    for (const auto& f : *fields) {
      if (api::GetString(f, "/key") == "metadata.name" && api::GetString(f, "/operator") == "In") {
        const Object* vals = api::Find(f, "/values");
        if (vals && vals->is_array() && vals->size() == 1 && (*vals)[0].is_string())
          return (*vals)[0].get<std::string>();
      }
    }
  }
  return "";
}

// v1helper.AddOrUpdateTolerationInPodSpec: replaces a toleration with the
// same key, operator, value and effect, else appends.
void AddOrUpdateToleration(Object& spec, const Object& tol) {
  if (!spec.contains("tolerations") || !spec["tolerations"].is_array())
    spec["tolerations"] = Object::array();
  for (auto& t : spec["tolerations"]) {
    auto field = [](const Object& o, const char* k) {
      return o.is_object() && o.contains(k) && o[k].is_string() ? o[k].get<std::string>() : "";
    };
    std::string op = field(t, "operator").empty() ? "Equal" : field(t, "operator");
    std::string want_op = field(tol, "operator").empty() ? "Equal" : field(tol, "operator");
    if (field(t, "key") == field(tol, "key") && op == want_op &&
        field(t, "value") == field(tol, "value") && field(t, "effect") == field(tol, "effect")) {
      t = tol;
      return;
    }
  }
  spec["tolerations"].push_back(tol);
}

// util.AddOrUpdateDaemonPodTolerations, in upstream's order.
void AddDaemonPodTolerations(Object& spec) {
  auto exists = [](const char* key, const char* effect) {
    return Object{{"key", key}, {"operator", "Exists"}, {"effect", effect}};
  };
  AddOrUpdateToleration(spec, exists("node.kubernetes.io/not-ready", "NoExecute"));
  AddOrUpdateToleration(spec, exists("node.kubernetes.io/unreachable", "NoExecute"));
  AddOrUpdateToleration(spec, exists("node.kubernetes.io/disk-pressure", "NoSchedule"));
  AddOrUpdateToleration(spec, exists("node.kubernetes.io/memory-pressure", "NoSchedule"));
  AddOrUpdateToleration(spec, exists("node.kubernetes.io/pid-pressure", "NoSchedule"));
  AddOrUpdateToleration(spec, exists("node.kubernetes.io/unschedulable", "NoSchedule"));
  if (spec.value("hostNetwork", false)) {
    AddOrUpdateToleration(spec, exists("node.kubernetes.io/network-unavailable", "NoSchedule"));
  }
}

// util.ReplaceDaemonSetPodNodeNameNodeAffinity: the required node selector
// becomes the single term matchFields metadata.name In [node].
void ReplaceNodeNameAffinity(Object& spec, const std::string& node) {
  Object selector = {
      {"nodeSelectorTerms",
       Object::array({{{"matchFields", Object::array({{{"key", "metadata.name"},
                                                       {"operator", "In"},
                                                       {"values", Object::array({node})}}})}}})}};
  if (!spec.contains("affinity") || !spec["affinity"].is_object())
    spec["affinity"] = Object::object();
  Object& aff = spec["affinity"];
  if (!aff.contains("nodeAffinity") || !aff["nodeAffinity"].is_object())
    aff["nodeAffinity"] = Object::object();
  Object& na = aff["nodeAffinity"];
  if (!na.contains("requiredDuringSchedulingIgnoredDuringExecution") ||
      !na["requiredDuringSchedulingIgnoredDuringExecution"].is_object()) {
    na["requiredDuringSchedulingIgnoredDuringExecution"] = selector;
  } else {
    na["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"] =
        selector["nodeSelectorTerms"];
  }
}

// The DaemonSet's template generation (util.GetTemplateGeneration), 0 when
// absent or malformed.
int64_t TemplateGeneration(const Object& ds) {
  std::string v = Annotation(ds, kTemplateGenerationAnnotation);
  if (v.empty()) return 0;
  try {
    return std::stoll(v);
  } catch (...) {
    return 0;
  }
}

// util.IsPodUpdated: the pod carries the current hash or template generation.
bool IsPodUpdated(const Object& pod, const std::string& hash, int64_t generation) {
  auto labels = api::Labels(pod);
  bool template_matches =
      generation > 0 && labels[kTemplateGenerationLabel] == std::to_string(generation);
  bool hash_matches = !hash.empty() && labels[kRevisionHashLabel] == hash;
  return hash_matches || template_matches;
}

// podByCreationTimestampAndPhase: scheduled pods first, then oldest, then
// by name.
bool OlderFirst(const ObjectPtr& a, const ObjectPtr& b) {
  const bool sa = !api::GetString(*a, "/spec/nodeName").empty();
  const bool sb = !api::GetString(*b, "/spec/nodeName").empty();
  if (sa != sb) return sa;
  Time ta = ParseTime(*a, "/metadata/creationTimestamp");
  Time tb = ParseTime(*b, "/metadata/creationTimestamp");
  if (ta != tb) return ta < tb;
  return api::Name(*a) < api::Name(*b);
}

// getPatch: {"spec":{"template":{...,"$patch":"replace"}}}.
Object RevisionData(const Object& ds) {
  Object tmpl = ds["spec"]["template"];
  tmpl["$patch"] = "replace";
  return Object{{"spec", Object{{"template", tmpl}}}};
}

class DaemonSetController final : public Reconciler {
 public:
  explicit DaemonSetController(const ControllerContext& ctx)
      : Reconciler(ctx, "daemonset-controller") {}

 protected:
  void SetUpInformers() override {
    expectations_.Clear();
    client::EventHandler ds_handler;
    ds_handler.on_add = [this](const ObjectPtr& o) { Enqueue(api::KeyOf(*o)); };
    ds_handler.on_update = [this](const ObjectPtr&, const ObjectPtr& o) {
      Enqueue(api::KeyOf(*o));
    };
    ds_handler.on_delete = [this](const ObjectPtr& o) { expectations_.Delete(api::KeyOf(*o)); };
    dss_ = AddInformer(api::kDaemonSets, ds_handler);

    // On the shared informers' thread: the handlers read only the pod, the
    // caches and the thread-safe expectations; a pod no DaemonSet controls
    // enqueues nothing.
    client::EventHandler pod_handler;
    pod_handler.on_add = [this](const ObjectPtr& o) {
      std::string key = OwnerKey(*o);
      if (key.empty()) return;
      expectations_.CreationObserved(key);
      Enqueue(key);
    };
    pod_handler.on_update = [this](const ObjectPtr&, const ObjectPtr& o) {
      std::string key = OwnerKey(*o);
      if (key.empty()) return;
      if (api::Find(*o, "/metadata/deletionTimestamp")) ObserveDeletion(key, *o);
      Enqueue(key);
    };
    pod_handler.on_delete = [this](const ObjectPtr& o) {
      std::string key = OwnerKey(*o);
      if (key.empty()) return;
      ObserveDeletion(key, *o);
      Enqueue(key);
    };
    pods_ = AddInformer(api::kPods, pod_handler);

    // addNode/updateNode/deleteNode: any node change may change where
    // daemon pods should run; every DaemonSet is re-synced (level-based).
    client::EventHandler node_handler;
    node_handler.on_add = [this](const ObjectPtr&) { EnqueueAll(); };
    node_handler.on_update = [this](const ObjectPtr& old_obj, const ObjectPtr& o) {
      if (NodeSchedulingFieldsChanged(*old_obj, *o)) EnqueueAll();
    };
    node_handler.on_delete = [this](const ObjectPtr&) { EnqueueAll(); };
    nodes_ = AddInformer(api::kNodes, node_handler);

    client::EventHandler cr_handler;
    revisions_ = AddInformer(api::kControllerRevisions, cr_handler);
  }

  // shouldIgnoreNodeUpdate's complement: labels, taints or conditions.
  static bool NodeSchedulingFieldsChanged(const Object& a, const Object& b) {
    auto part = [](const Object& o, const char* ptr) {
      const Object* v = api::Find(o, ptr);
      return v ? *v : Object();
    };
    if (part(a, "/metadata/labels") != part(b, "/metadata/labels")) return true;
    if (part(a, "/spec/taints") != part(b, "/spec/taints")) return true;
    if (part(a, "/spec/unschedulable") != part(b, "/spec/unschedulable")) return true;
    auto statuses = [&](const Object& o) {
      std::map<std::string, std::string> m;
      const Object* c = api::Find(o, "/status/conditions");
      if (c && c->is_array()) {
        for (const auto& x : *c) m[api::GetString(x, "/type")] = api::GetString(x, "/status");
      }
      return m;
    };
    return statuses(a) != statuses(b);
  }

  void EnqueueAll() {
    for (const ObjectPtr& ds : dss_->List()) Enqueue(api::KeyOf(*ds));
  }

  void ObserveDeletion(const std::string& key, const Object& pod) {
    expectations_.DeletionObserved(key, api::KeyOf(pod));
  }

  static std::string OwnerKey(const Object& pod) {
    const Object* ref = ControllerRef(pod);
    if (!ref || ref->value("kind", "") != "DaemonSet") return "";
    return api::Namespace(pod) + "/" + ref->value("name", "");
  }

  bool Satisfied(const std::string& key) { return expectations_.Satisfied(key, Now()); }

  // NewPod's view of a DaemonSet, parsed once per DaemonSet version (every
  // sync asks it for every node, several times).
  struct DaemonPodFit {
    std::string node_name;  // the template's spec.nodeName
    scheduler::RequiredNodeAffinity affinity;
    std::vector<scheduler::Toleration> tolerations;  // with the controller's
  };

  const DaemonPodFit& FitOf(const Object& ds) {
    const std::string key = api::Uid(ds) + "/" + api::GetString(ds, "/metadata/resourceVersion");
    if (!fit_ || fit_key_ != key) {
      // NewPod: the template's spec with the controller's tolerations.
      Object spec = ds["spec"]["template"].value("spec", Object::object());
      AddDaemonPodTolerations(spec);
      Object pod = {{"spec", spec}};
      fit_ = std::make_unique<DaemonPodFit>(
          DaemonPodFit{api::GetString(spec, "/nodeName"), scheduler::RequiredNodeAffinity(pod),
                       scheduler::ParseTolerations(api::Find(spec, "/tolerations"))});
      fit_key_ = key;
    }
    return *fit_;
  }

  // NodeShouldRunDaemonPod: {shouldRun, shouldContinueRunning}.
  std::pair<bool, bool> ShouldRun(const Object& ds, const Object& node) {
    const DaemonPodFit& fit = FitOf(ds);
    const std::string name = api::Name(node);
    if (!fit.node_name.empty() && fit.node_name != name) return {false, false};
    if (!fit.affinity.Matches(LabelsOf(node), name)) return {false, false};
    auto taints = scheduler::ParseTaints(api::Find(node, "/spec/taints"));
    const bool fits_taints =
        scheduler::FindMatchingUntoleratedTaint(taints, fit.tolerations, [](const auto& t) {
          return t.effect == "NoExecute" || t.effect == "NoSchedule";
        }) == nullptr;
    if (!fits_taints) {
      // Scheduled daemon pods keep running if they tolerate NoExecute taints.
      bool untolerated_no_execute =
          scheduler::FindMatchingUntoleratedTaint(taints, fit.tolerations, [](const auto& t) {
            return t.effect == "NoExecute";
          }) != nullptr;
      return {false, !untolerated_no_execute};
    }
    return {true, true};
  }

  std::vector<ObjectPtr> SortedNodes() {
    std::vector<ObjectPtr> nodes = nodes_->List();
    std::sort(nodes.begin(), nodes.end(),
              [](const ObjectPtr& a, const ObjectPtr& b) { return api::Name(*a) < api::Name(*b); });
    return nodes;
  }

  // getNodesToDaemonPods: the DaemonSet's pods by target node (terminal pods
  // being deleted excluded).
  std::map<std::string, std::vector<ObjectPtr>> NodesToDaemonPods(const Object& ds) {
    std::map<std::string, std::vector<ObjectPtr>> out;
    const std::string ns = api::Namespace(ds);
    const std::string uid = api::Uid(ds);
    for (const ObjectPtr& pod : pods_->List()) {
      if (api::Namespace(*pod) != ns) continue;
      const Object* ref = ControllerRef(*pod);
      if (!ref || ref->value("uid", "") != uid) continue;
      const std::string phase = api::GetString(*pod, "/status/phase");
      if ((phase == "Succeeded" || phase == "Failed") &&
          api::Find(*pod, "/metadata/deletionTimestamp")) {
        continue;
      }
      out[TargetNode(*pod)].push_back(pod);
    }
    for (auto& [n, pods] : out) std::sort(pods.begin(), pods.end(), OlderFirst);
    return out;
  }

  Status Sync(const std::string& key) override {
    if (!AllSynced()) {
      queue_->AddAfter(key, std::chrono::seconds(1));
      return Status::Ok();
    }
    ObjectPtr ds_ptr = dss_->Get(key);
    if (!ds_ptr) {
      expectations_.Delete(key);
      return Status::Ok();
    }
    const Object& ds = *ds_ptr;
    if (api::Find(ds, "/metadata/deletionTimestamp")) return Status::Ok();
    std::vector<ObjectPtr> nodes = SortedNodes();
    std::vector<ObjectPtr> old;
    std::string hash;
    Status st = ConstructHistory(ds, &hash, &old);
    if (!st.ok()) return st;
    if (!Satisfied(key)) return UpdateStatus(ds, nodes, hash);
    st = Manage(ds, key, nodes, hash);
    if (!st.ok()) return st;
    if (Satisfied(key) && api::GetString(ds, "/spec/updateStrategy/type") == "RollingUpdate") {
      st = RollingUpdate(ds, key, nodes, hash);
      if (!st.ok()) return st;
    }
    CleanupHistory(ds, old);
    return UpdateStatus(ds, nodes, hash);
  }

  // constructHistory + snapshot + dedupCurHistories (reduced).
  Status ConstructHistory(const Object& ds, std::string* hash, std::vector<ObjectPtr>* old) {
    const std::string ns = api::Namespace(ds);
    const std::string uid = api::Uid(ds);
    const Object data = RevisionData(ds);
    std::vector<ObjectPtr> current;
    int64_t max_old = 0;
    for (const ObjectPtr& cr : revisions_->List()) {
      if (api::Namespace(*cr) != ns) continue;
      const Object* ref = ControllerRef(*cr);
      if (!ref || ref->value("uid", "") != uid) continue;
      const Object* d = api::Find(*cr, "/data");
      if (d && *d == data) {
        current.push_back(cr);
      } else {
        old->push_back(cr);
        max_old = std::max(max_old, api::GetInt(*cr, "/revision"));
      }
    }
    const int64_t want_revision = max_old + 1;
    if (!current.empty()) {
      std::sort(current.begin(), current.end(), [](const ObjectPtr& a, const ObjectPtr& b) {
        return api::GetInt(*a, "/revision") > api::GetInt(*b, "/revision");
      });
      const Object& cur = *current.front();
      *hash = api::Labels(cur)[kRevisionHashLabel];
      if (hash->empty()) *hash = api::Name(cur);
      if (api::GetInt(cur, "/revision") < want_revision) {
        // A rollback to an older template: it becomes the newest revision.
        Object updated = cur;
        updated["revision"] = want_revision;
        auto r = ctx_.client->Update(api::kControllerRevisions, updated);
        if (!r.ok()) return r.status();
      }
      return Status::Ok();
    }
    *hash = ComputeHash(ds["spec"]["template"], 0);
    Object labels = Object::object();
    if (const Object* tl = api::Find(ds, "/spec/template/metadata/labels"); tl && tl->is_object())
      labels = *tl;
    labels[kRevisionHashLabel] = *hash;
    Object meta = {{"name", api::Name(ds) + "-" + *hash},
                   {"namespace", ns},
                   {"labels", labels},
                   {"ownerReferences", Object::array({NewControllerRef(ds)})}};
    if (const Object* a = api::Find(ds, "/metadata/annotations");
        a && a->is_object() && !a->empty())
      meta["annotations"] = *a;
    Object cr = {{"apiVersion", "apps/v1"},
                 {"kind", "ControllerRevision"},
                 {"metadata", meta},
                 {"data", data},
                 {"revision", want_revision}};
    auto created = ctx_.client->Create(api::kControllerRevisions, ns, cr);
    if (created.ok() || created.status().code() == StatusCode::kAlreadyExists) {
      // AlreadyExists: our own earlier write the informer has not shown yet
      // (a genuine hash collision is not modelled).
      return Status::Ok();
    }
    return created.status();
  }

  // manage + podsShouldBeOnNode + syncNodes.
  Status Manage(const Object& ds, const std::string& key, const std::vector<ObjectPtr>& nodes,
                const std::string& hash) {
    auto by_node = NodesToDaemonPods(ds);
    std::vector<std::string> need;
    std::vector<ObjectPtr> to_delete;
    std::set<std::string> node_names;
    for (const ObjectPtr& node : nodes) {
      const std::string name = api::Name(*node);
      node_names.insert(name);
      auto [should_run, should_continue] = ShouldRun(ds, *node);
      auto it = by_node.find(name);
      const bool exists = it != by_node.end() && !it->second.empty();
      if (should_run && !exists) {
        need.push_back(name);
      } else if (should_continue && exists) {
        std::vector<ObjectPtr> running;
        for (const ObjectPtr& pod : it->second) {
          if (api::Find(*pod, "/metadata/deletionTimestamp")) continue;
          const std::string phase = api::GetString(*pod, "/status/phase");
          if (phase == "Failed") {
            // "a critical place where DS is often fighting with kubelet
            // that rejects pods": delete with backoff.
            const std::string bkey = api::Uid(ds) + "/" + name;
            if (InBackoff(bkey)) {
              queue_->AddAfter(key, backoff_[bkey].delay);
              continue;
            }
            NextBackoff(bkey);
            recorder_->Event(ds, "Warning", "FailedDaemonPod",
                             "Found failed daemon pod " + api::Namespace(*pod) + "/" +
                                 api::Name(*pod) + " on node " + name + ", will try to kill it");
            to_delete.push_back(pod);
          } else if (phase == "Succeeded") {
            to_delete.push_back(pod);
          } else {
            running.push_back(pod);
          }
        }
        // Without surge: more than one running pod on a node keeps the
        // oldest.
        for (size_t i = 1; i < running.size(); ++i) to_delete.push_back(running[i]);
      } else if (!should_continue && exists) {
        for (const ObjectPtr& pod : it->second) {
          if (!api::Find(*pod, "/metadata/deletionTimestamp")) to_delete.push_back(pod);
        }
      }
    }
    // getUnscheduledPodsWithoutNode: unbound pods aimed at a node that is
    // gone. Bound ones are left to the pod GC controller.
    for (const auto& [node, pods] : by_node) {
      if (node_names.count(node)) continue;
      for (const ObjectPtr& pod : pods) {
        if (api::GetString(*pod, "/spec/nodeName").empty() &&
            !api::Find(*pod, "/metadata/deletionTimestamp")) {
          to_delete.push_back(pod);
        }
      }
    }
    return SyncNodes(ds, key, to_delete, need, hash);
  }

  bool InBackoff(const std::string& bkey) {
    auto it = backoff_.find(bkey);
    return it != backoff_.end() && Now() - it->second.last_update < it->second.delay;
  }
  void NextBackoff(const std::string& bkey) {
    auto it = backoff_.find(bkey);
    const Time now = Now();
    if (it == backoff_.end() || now - it->second.last_update > 2 * kBackoffMax) {
      backoff_[bkey] = {kBackoffInitial, now};
      return;
    }
    it->second.delay = std::min<Duration>(it->second.delay * 2, kBackoffMax);
    it->second.last_update = now;
  }

  // syncNodes: creates on `need`, deletes `to_delete`, with events.
  Status SyncNodes(const Object& ds, const std::string& key,
                   const std::vector<ObjectPtr>& to_delete, const std::vector<std::string>& need,
                   const std::string& hash) {
    if (to_delete.empty() && need.empty()) return Status::Ok();
    const std::string ns = api::Namespace(ds);
    std::vector<std::string> delete_keys;
    for (const auto& p : to_delete) delete_keys.push_back(api::KeyOf(*p));
    expectations_.Set(key, static_cast<int64_t>(need.size()), delete_keys, Now());
    // util.CreatePodTemplate: the template with the controller's
    // tolerations and labels.
    Object tmpl = ds["spec"]["template"];
    if (!tmpl.contains("spec") || !tmpl["spec"].is_object()) tmpl["spec"] = Object::object();
    AddDaemonPodTolerations(tmpl["spec"]);
    if (!tmpl.contains("metadata") || !tmpl["metadata"].is_object())
      tmpl["metadata"] = Object::object();
    if (!tmpl["metadata"].contains("labels") || !tmpl["metadata"]["labels"].is_object())
      tmpl["metadata"]["labels"] = Object::object();
    const int64_t generation = TemplateGeneration(ds);
    if (generation > 0) {
      tmpl["metadata"]["labels"][kTemplateGenerationLabel] = std::to_string(generation);
    }
    tmpl["metadata"]["labels"][kRevisionHashLabel] = hash;
    for (const std::string& node : need) {
      Object spec = tmpl["spec"];
      ReplaceNodeNameAffinity(spec, node);
      Object meta = Object::object();
      for (const char* k : {"labels", "annotations", "finalizers"}) {
        if (tmpl["metadata"].contains(k) && !tmpl["metadata"][k].empty())
          meta[k] = tmpl["metadata"][k];
      }
      meta["generateName"] = api::Name(ds) + "-";
      meta["namespace"] = ns;
      meta["ownerReferences"] = Object::array({NewControllerRef(ds)});
      Object pod = {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", meta}, {"spec", spec}};
      auto created = ctx_.client->Create(api::kPods, ns, pod);
      if (!created.ok()) {
        expectations_.CreationObserved(key);
        recorder_->Event(ds, "Warning", "FailedCreate",
                         "Error creating: " + created.status().message());
        return created.status();
      }
      recorder_->Event(ds, "Normal", "SuccessfulCreate", "Created pod: " + api::Name(*created));
    }
    for (const auto& p : to_delete) {
      Status st = ctx_.client->Delete(api::kPods, ns, api::Name(*p));
      if (!st.ok()) {
        expectations_.DeletionObserved(key, api::KeyOf(*p));
        if (st.code() == StatusCode::kNotFound) continue;
        recorder_->Event(ds, "Warning", "FailedDelete", "Error deleting: " + st.message());
        return st;
      }
      recorder_->Event(ds, "Normal", "SuccessfulDelete", "Deleted pod: " + api::Name(*p));
    }
    return Status::Ok();
  }

  // rollingUpdate, maxSurge == 0 branch: old pods are deleted while the
  // number of unavailable nodes stays within maxUnavailable.
  Status RollingUpdate(const Object& ds, const std::string& key,
                       const std::vector<ObjectPtr>& nodes, const std::string& hash) {
    auto by_node = NodesToDaemonPods(ds);
    int64_t desired = 0;
    for (const ObjectPtr& node : nodes) {
      if (ShouldRun(ds, *node).first) ++desired;
    }
    int64_t max_unavailable = ScaledValue(ds, "/spec/updateStrategy/rollingUpdate/maxUnavailable",
                                          desired, /*round_up=*/true);
    if (max_unavailable == 0) max_unavailable = 1;  // the impossible 0/0 obeys the default
    const int64_t generation = TemplateGeneration(ds);
    int64_t unavailable = 0;
    std::vector<ObjectPtr> allowed, candidates;
    for (const auto& [node, pods] : by_node) {
      // findUpdatedPodsOnNode.
      ObjectPtr new_pod, old_pod;
      bool ok = true;
      for (const ObjectPtr& pod : pods) {
        if (api::Find(*pod, "/metadata/deletionTimestamp")) continue;
        ObjectPtr& slot = IsPodUpdated(*pod, hash, generation) ? new_pod : old_pod;
        if (slot) ok = false;
        slot = pod;
      }
      if (!ok || (!new_pod && !old_pod) || (new_pod && old_pod)) {
        ++unavailable;
        continue;
      }
      if (new_pod) {
        if (!IsPodReady(*new_pod)) ++unavailable;
        continue;
      }
      if (!IsPodReady(*old_pod)) {
        allowed.push_back(old_pod);
      } else if (unavailable < max_unavailable) {
        candidates.push_back(old_pod);
      }
    }
    int64_t remaining = std::max<int64_t>(0, max_unavailable - unavailable);
    remaining = std::min<int64_t>(remaining, static_cast<int64_t>(candidates.size()));
    for (int64_t i = 0; i < remaining; ++i) allowed.push_back(candidates[static_cast<size_t>(i)]);
    return SyncNodes(ds, key, allowed, {}, hash);
  }

  // cleanupHistory: old revisions beyond revisionHistoryLimit, oldest
  // first, unless a live pod still carries their hash.
  void CleanupHistory(const Object& ds, std::vector<ObjectPtr> old) {
    const int64_t keep = api::GetInt(ds, "/spec/revisionHistoryLimit");
    int64_t to_kill = static_cast<int64_t>(old.size()) - keep;
    if (to_kill <= 0) return;
    std::set<std::string> live;
    for (const auto& [node, pods] : NodesToDaemonPods(ds)) {
      for (const ObjectPtr& p : pods) {
        std::string h = api::Labels(*p)[kRevisionHashLabel];
        if (!h.empty()) live.insert(h);
      }
    }
    std::sort(old.begin(), old.end(), [](const ObjectPtr& a, const ObjectPtr& b) {
      return api::GetInt(*a, "/revision") < api::GetInt(*b, "/revision");
    });
    for (const ObjectPtr& cr : old) {
      if (to_kill <= 0) break;
      if (live.count(api::Labels(*cr)[kRevisionHashLabel])) continue;
      Status st =
          ctx_.client->Delete(api::kControllerRevisions, api::Namespace(*cr), api::Name(*cr));
      if (!st.ok() && st.code() != StatusCode::kNotFound) return;  // retried on the next sync
      --to_kill;
    }
  }

  // updateDaemonSetStatus + storeDaemonSetStatus.
  Status UpdateStatus(const Object& ds, const std::vector<ObjectPtr>& nodes,
                      const std::string& hash) {
    auto by_node = NodesToDaemonPods(ds);
    const int64_t generation = TemplateGeneration(ds);
    int64_t desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0;
    for (const ObjectPtr& node : nodes) {
      const std::string name = api::Name(*node);
      const bool should_run = ShouldRun(ds, *node).first;
      auto it = by_node.find(name);
      const bool scheduled = it != by_node.end() && !it->second.empty();
      if (!should_run) {
        if (scheduled) ++misscheduled;
        continue;
      }
      ++desired;
      if (!scheduled) continue;
      ++current;
      const Object& pod = *it->second.front();  // the oldest
      if (IsPodReady(pod)) {
        ++ready;
        ++available;  // minReadySeconds not modelled
      }
      if (IsPodUpdated(pod, hash, generation)) ++updated;
    }
    Object status = ds.contains("status") ? ds["status"] : Object::object();
    Object want = status;
    want["desiredNumberScheduled"] = desired;
    want["currentNumberScheduled"] = current;
    want["numberMisscheduled"] = misscheduled;
    want["numberReady"] = ready;
    auto set_or_erase = [&](const char* k, int64_t v) {
      if (v == 0) {
        want.erase(k);
      } else {
        want[k] = v;
      }
    };
    set_or_erase("observedGeneration", api::GetInt(ds, "/metadata/generation"));
    set_or_erase("updatedNumberScheduled", updated);
    set_or_erase("numberAvailable", available);
    set_or_erase("numberUnavailable", desired - available);
    if (want == status) return Status::Ok();
    Object next = ds;
    next["status"] = want;
    auto r = ctx_.client->UpdateStatus(api::kDaemonSets, next);
    if (!r.ok()) queue_->AddAfter(api::KeyOf(ds), std::chrono::seconds(1));
    return Status::Ok();
  }

  client::Informer* dss_ = nullptr;
  client::Informer* pods_ = nullptr;
  client::Informer* nodes_ = nullptr;
  client::Informer* revisions_ = nullptr;
  // Set by syncs on the loop, lowered by handlers on the informers' thread.
  Expectations expectations_;
  std::map<std::string, Backoff> backoff_;  // loop-owned; "<ds uid>/<node>"
  std::unique_ptr<DaemonPodFit> fit_;       // loop-owned cache of FitOf
  std::string fit_key_;                     // "<uid>/<resourceVersion>" of fit_
};

}  // namespace

std::unique_ptr<Controller> NewDaemonSetController(const ControllerContext& ctx) {
  return std::make_unique<DaemonSetController>(ctx);
}

}  // namespace kubesim::controller::workloads
