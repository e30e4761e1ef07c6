// describeDaemonSet (k8s.io/kubectl/pkg/describe/describe.go,
// DaemonSetDescriber), Kubernetes 1.32.
#include "describe_internal.h"
#include "kubesim/printers/describe.h"

namespace kubesim::printers {

using namespace describe_internal;

namespace {

// labels.FormatLabels: "k=v,..." sorted by key, "<none>" when empty.
std::string FormatLabels(const std::map<std::string, std::string>& labels) {
  std::string out;
  for (const auto& [k, v] : labels) out += (out.empty() ? "" : ",") + k + "=" + v;
  return out.empty() ? "<none>" : out;
}

}  // namespace

std::string DescribeDaemonSet(const nlohmann::json& ds, const PodStatusCounts& pods,
                              const std::vector<nlohmann::json>& events, Time now,
                              bool show_events) {
  PrefixWriter w;
  const Json& meta = Obj(ds, "metadata");
  const Json& spec = Obj(ds, "spec");
  const Json& status = Obj(ds, "status");
  w.Write(kLevel0, "Name:\t" + Str(meta, "name") + "\n");
  w.Write(kLevel0, "Namespace:\t" + Str(meta, "namespace") + "\n");
  w.Write(kLevel0, "Selector:\t" + LabelSelectorString(Obj(spec, "selector")) + "\n");
  w.Write(kLevel0, "Node-Selector:\t" +
                       FormatLabels(StringMap(Obj(Obj(spec, "template"), "spec"), "nodeSelector")) +
                       "\n");
  PrintLabelsMultiline(w, "Labels", StringMap(meta, "labels"));
  PrintAnnotationsMultiline(w, "Annotations", StringMap(meta, "annotations"));
  w.Write(kLevel0, "Desired Number of Nodes Scheduled: " +
                       std::to_string(Int(status, "desiredNumberScheduled")) + "\n");
  w.Write(kLevel0, "Current Number of Nodes Scheduled: " +
                       std::to_string(Int(status, "currentNumberScheduled")) + "\n");
  w.Write(kLevel0, "Number of Nodes Scheduled with Up-to-date Pods: " +
                       std::to_string(Int(status, "updatedNumberScheduled")) + "\n");
  w.Write(kLevel0, "Number of Nodes Scheduled with Available Pods: " +
                       std::to_string(Int(status, "numberAvailable")) + "\n");
  w.Write(kLevel0, "Number of Nodes Misscheduled: " +
                       std::to_string(Int(status, "numberMisscheduled")) + "\n");
  w.Write(kLevel0, "Pods Status:\t" + std::to_string(pods.running) + " Running / " +
                       std::to_string(pods.waiting) + " Waiting / " +
                       std::to_string(pods.succeeded) + " Succeeded / " +
                       std::to_string(pods.failed) + " Failed\n");
  DescribePodTemplate(Obj(spec, "template"), w);
  if (show_events) DescribeEvents(events, w, now);
  return w.Finish();
}

}  // namespace kubesim::printers
