// The record of each pod's last scheduling attempt, for the shell's `why`
// (no upstream counterpart: kube-scheduler only logs this at -v=10). Kept
// per pod under records_mu_, dropped when the pod is deleted, and bounded
// by kMaxRecordRows rows in total (oldest records go first).
//
// For a pod that did not fit, each rejected node gets what would have to
// change for it to fit there, derived from the rejecting filter: free
// resources ("free 500m cpu on worker-1"), tolerate a taint, uncordon, free
// a host port, relax a node/pod affinity term or spread constraint.
#include <algorithm>

#include "kubesim/api/object_meta.h"
#include "kubesim/printers/quantity.h"
#include "plugins/in_tree.h"
#include "plugins/plugins.h"
#include "scheduler_impl.h"

namespace kubesim::scheduler {
namespace {

std::string MilliCpu(int64_t milli) {
  return printers::Quantity::FromMilliValue(milli, printers::QuantityFormat::kDecimalSI).String();
}
std::string Bytes(int64_t bytes) {
  return printers::Quantity::FromValue(bytes, printers::QuantityFormat::kBinarySI).String();
}

bool DoNotSchedule(const Taint& t) { return t.effect == "NoSchedule" || t.effect == "NoExecute"; }

// What would make `pod` pass the filter that rejected it on `node`.
std::vector<std::string> Suggest(const std::string& n, const AttemptRecord::Rejection& row,
                                 const PodInfo& pod, const NodeInfo* node) {
  std::vector<std::string> out;
  if (row.plugin == plugins::kNodeResourcesFit && node) {
    const Resource& alloc = node->allocatable();
    const Resource& used = node->requested();
    if (static_cast<int64_t>(node->pods().size()) + 1 > alloc.allowed_pod_number) {
      out.push_back("free 1 pod slot on " + n + " (" + std::to_string(node->pods().size()) + "/" +
                    std::to_string(alloc.allowed_pod_number) + " pods)");
    }
    if (pod.requests.milli_cpu > alloc.milli_cpu - used.milli_cpu) {
      out.push_back("free " +
                    MilliCpu(pod.requests.milli_cpu - (alloc.milli_cpu - used.milli_cpu)) +
                    " cpu on " + n);
    }
    if (pod.requests.memory > alloc.memory - used.memory) {
      out.push_back("free " + Bytes(pod.requests.memory - (alloc.memory - used.memory)) +
                    " memory on " + n);
    }
    if (pod.requests.ephemeral_storage > 0 &&
        pod.requests.ephemeral_storage > alloc.ephemeral_storage - used.ephemeral_storage) {
      out.push_back("free " +
                    Bytes(pod.requests.ephemeral_storage -
                          (alloc.ephemeral_storage - used.ephemeral_storage)) +
                    " ephemeral-storage on " + n);
    }
    for (const auto& [name, q] : pod.requests.scalar) {
      auto a = alloc.scalar.find(name);
      auto u = used.scalar.find(name);
      const int64_t free =
          (a == alloc.scalar.end() ? 0 : a->second) - (u == used.scalar.end() ? 0 : u->second);
      if (q > free) out.push_back("free " + std::to_string(q - free) + " " + name + " on " + n);
    }
    if (out.empty()) out.push_back("lower the pod's resource requests");
  } else if (row.plugin == plugins::kTaintToleration && node) {
    if (const Taint* t =
            FindMatchingUntoleratedTaint(node->taints(), pod.tolerations, DoNotSchedule)) {
      std::string taint = t->key + (t->value.empty() ? "" : "=" + t->value) + ":" + t->effect;
      out.push_back("tolerate taint " + taint + " (or remove it from " + n + ")");
    }
  } else if (row.plugin == plugins::kNodeUnschedulable) {
    out.push_back("uncordon " + n + " (kubectl uncordon " + n + ")");
  } else if (row.plugin == plugins::kNodeAffinity) {
    out.push_back("remove node affinity term / nodeSelector, or label " + n + " to match it");
  } else if (row.plugin == plugins::kNodeName) {
    out.push_back("spec.nodeName names another node");
  } else if (row.plugin == plugins::kNodePorts && node) {
    for (const HostPort& want : pod.host_ports) {
      if (plugins::HostPortConflicts(node->used_ports(), want)) {
        out.push_back("free host port " + std::to_string(want.port) + "/" + want.protocol + " on " +
                      n);
      }
    }
  } else if (row.plugin == plugins::kPodTopologySpread) {
    if (row.reason.find("missing required label") != std::string::npos) {
      out.push_back("add the constraint's topologyKey label to " + n);
    } else {
      out.push_back(
          "raise maxSkew or use whenUnsatisfiable: ScheduleAnyway (placing here would "
          "exceed the skew)");
    }
  } else if (row.plugin == plugins::kInterPodAffinity) {
    if (row.reason.find("existing pods") != std::string::npos) {
      out.push_back("move away the pod on " + n +
                    "'s topology domain whose anti-affinity "
                    "rejects this pod");
    } else if (row.reason.find("anti-affinity") != std::string::npos) {
      out.push_back("remove the pod anti-affinity term, or move the matching pods off " + n +
                    "'s topology domain");
    } else {
      out.push_back("remove the pod affinity term, or run a matching pod in " + n +
                    "'s topology domain");
    }
  } else if (row.plugin == plugins::kSchedulingGates) {
    out.push_back("remove the pod's schedulingGates");
  }
  return out;
}

api::Object ToJson(const AttemptRecord& r) {
  api::Object rows = api::Object::array();
  for (const AttemptRecord::NodeRow& row : r.rows) {
    api::Object j = {{"node", r.NodeName(row)}, {"feasible", row.feasible}};
    const AttemptRecord::Rejection* rej =
        row.rejection >= 0 ? &r.rejections[static_cast<size_t>(row.rejection)] : nullptr;
    if (!row.feasible) {
      static const AttemptRecord::Rejection kNone;
      const AttemptRecord::Rejection& f = rej ? *rej : kNone;
      j["filter"] = {{"plugin", f.plugin}, {"code", f.code}, {"reason", f.reason}};
    }
    if (row.score_index >= 0) {
      const size_t i = static_cast<size_t>(row.score_index);
      api::Object scores = api::Object::array();
      for (size_t p = 0; p < r.scores.plugins.size(); ++p) {
        scores.push_back({{"plugin", r.scores.plugins[p]},
                          {"raw", r.scores.Raw(p, i)},
                          {"normalized", r.scores.Normalized(p, i)},
                          {"weight", r.scores.weights[p]},
                          {"weighted", r.scores.Normalized(p, i) * r.scores.weights[p]}});
      }
      j["scores"] = std::move(scores);
      j["total"] = row.total;
    }
    if (rej && !rej->suggestions.empty()) j["suggestions"] = rej->suggestions;
    rows.push_back(std::move(j));
  }
  api::Object plugins = api::Object::array();
  for (size_t p = 0; p < r.scores.plugins.size(); ++p) {
    plugins.push_back({{"name", r.scores.plugins[p]}, {"weight", r.scores.weights[p]}});
  }
  api::Object out = {
      {"pod", r.ns + "/" + r.name},
      {"uid", r.uid},
      {"profile", r.profile},
      {"time", r.time},
      {"result", r.result},
      {"message", r.message},
      {"nodes",
       {{"total", r.num_all_nodes},
        {"toFind", r.num_to_find},
        {"evaluated", r.evaluated},
        {"feasible", r.feasible},
        {"startIndex", r.start_index}}},
      {"scorePlugins", std::move(plugins)},
      {"rows", std::move(rows)},
  };
  if (!r.node.empty()) out["node"] = r.node;
  if (!r.pre_filter_msg.empty()) out["preFilterMessage"] = r.pre_filter_msg;
  if (!r.post_filter_msg.empty()) out["postFilterMessage"] = r.post_filter_msg;
  if (r.result == "Scheduled") {
    if (r.scoring_skipped) {
      out["selection"] = {{"method", "only feasible node (scoring skipped)"}, {"tied", 1}};
    } else if (r.tied > 1) {
      out["selection"] = {{"method", "reservoir sampling among tied nodes (seeded generator)"},
                          {"tied", r.tied}};
    } else {
      out["selection"] = {{"method", "highest total score"}, {"tied", 1}};
    }
  }
  if (!r.suggestions.empty()) out["suggestions"] = r.suggestions;
  return out;
}

}  // namespace

void SchedulerImpl::RecordAttempt(AttemptRecord record, const PodInfo& pod) {
  if (record.result != "Scheduled") {
    // What would have to change, node by node, and a short cluster-wide
    // list (first suggestion per rejected node, deduplicated).
    std::set<std::string> seen;
    for (const AttemptRecord::NodeRow& row : record.rows) {
      if (row.feasible || row.rejection < 0) continue;
      AttemptRecord::Rejection& rej = record.rejections[static_cast<size_t>(row.rejection)];
      const std::string& n = record.NodeName(row);
      rej.suggestions = Suggest(n, rej, pod, cache_->GetNode(n));
      for (const std::string& s : rej.suggestions) {
        if (seen.insert(s).second) record.suggestions.push_back(s);
      }
    }
    if (record.num_all_nodes == 0) record.suggestions.push_back("add a node");
  }
  const std::string key = record.ns + "/" + record.name;
  std::lock_guard<std::mutex> lock(records_mu_);
  if (auto it = records_.find(key); it != records_.end()) {
    record_rows_ -= it->second.rows.size() + 1;
  }
  record_rows_ += record.rows.size() + 1;
  const uint64_t seq = next_record_seq_++;
  record_seq_[key] = seq;
  record_order_.emplace_back(key, seq);
  records_[key] = std::move(record);
  // Evict the oldest records (skipping superseded order entries).
  while (record_rows_ > kMaxRecordRows && !record_order_.empty()) {
    auto [old_key, old_seq] = record_order_.front();
    record_order_.pop_front();
    auto s = record_seq_.find(old_key);
    if (s == record_seq_.end() || s->second != old_seq) continue;
    record_seq_.erase(s);
    auto it = records_.find(old_key);
    record_rows_ -= it->second.rows.size() + 1;
    records_.erase(it);
  }
  // Keep the order queue from growing with superseded entries.
  if (record_order_.size() > 2 * records_.size() + 64) {
    std::deque<std::pair<std::string, uint64_t>> kept;
    for (auto& e : record_order_) {
      auto s = record_seq_.find(e.first);
      if (s != record_seq_.end() && s->second == e.second) kept.push_back(std::move(e));
    }
    record_order_ = std::move(kept);
  }
}

void SchedulerImpl::DropRecord(const std::string& ns, const std::string& name) {
  const std::string key = ns + "/" + name;
  std::lock_guard<std::mutex> lock(records_mu_);
  auto it = records_.find(key);
  if (it == records_.end()) return;
  record_rows_ -= it->second.rows.size() + 1;
  records_.erase(it);
  record_seq_.erase(key);
}

StatusOr<api::Object> SchedulerImpl::Explain(const std::string& ns, const std::string& name) const {
  std::lock_guard<std::mutex> lock(records_mu_);
  auto it = records_.find(ns + "/" + name);
  if (it == records_.end()) {
    return kubesim::Status::NotFound("no scheduling attempt recorded for pod \"" + name +
                                     "\" in namespace \"" + ns + "\"");
  }
  return ToJson(it->second);
}

}  // namespace kubesim::scheduler
