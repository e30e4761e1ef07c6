// `kubectl describe` for pods, nodes and namespaces, in kubectl v1.32's exact
// layout.
//
// Port of k8s.io/kubectl/pkg/describe/describe.go (release-1.32): describePod,
// describeNode, describeNamespace, DescribeEvents, describeContainers,
// describeVolumes, printLabelsMultiline, printAnnotationsMultiline,
// printPodTolerationsMultiline, printNodeTaintsMultiline,
// describeNodeResource, ... The text goes through a PrefixWriter (two spaces
// per level, terminal escapes replaced as printers.WriteEscaped does) into a
// Go text/tabwriter configured as tabbedString does (minwidth 0, tabwidth 8,
// padding 2, padchar ' ', no flags). Times print as Go's time.RFC1123Z in UTC
// ("Mon, 02 Jan 2006 15:04:05 +0000"); ages as duration.HumanDuration of
// `now` minus the time. Sorting follows Go's sort.Sort/sort.Slice (pdqsort,
// so ties come out exactly as kubectl orders them).
//
// The functions are pure: the caller fetches what kubectl's describers fetch
// (the object, its events, for nodes the non-terminated pods and the Lease)
// and passes `now`.
//
// Approximations (documented deviations):
//   - Projected volume sources print kubectl 1.32's `SecretOptionalName:` /
//     `ConfigMapOptional:` with "<nil>" when unset, but a set *bool prints a
//     fixed pointer-looking text instead of a real Go pointer address.
//   - Volume types beyond HostPath, EmptyDir, Secret, ConfigMap, NFS,
//     PersistentVolumeClaim, Ephemeral (type line only), DownwardAPI,
//     Projected, CSI, Image and GitRepo print "<unknown>".
//   - HTTP probe URLs are not percent-escaped.
//
// Thread-safety: all functions are pure.
#ifndef KUBESIM_PRINTERS_DESCRIBE_H_
#define KUBESIM_PRINTERS_DESCRIBE_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kubesim/sim/clock.h"

namespace kubesim::printers {

// describePod. `events` are the core/v1 Events about the pod, in any order
// (they are sorted as event.SortableEvents). With show_events false the
// Events section is left out (kubectl describe --show-events=false).
std::string DescribePod(const nlohmann::json& pod, const std::vector<nlohmann::json>& events,
                        Time now, bool show_events = true);

// What PodDescriber prints when the pod is gone but events about it remain:
// "Pod '<name>': error '<error>', but found events." and the events.
std::string DescribePodNotFoundEvents(const std::string& name, const std::string& error,
                                      const std::vector<nlohmann::json>& events, Time now);

// describeNode. `pods_on_node` are the node's non-terminated pods (phase not
// Succeeded/Failed), in list order. `lease` is the node's Lease in
// kube-node-lease, or null when it could not be fetched: the Lease line then
// reads "Failed to get lease: <lease_error>" (default: the NotFound message,
// `leases.coordination.k8s.io "<name>" not found`).
std::string DescribeNode(const nlohmann::json& node,
                         const std::vector<nlohmann::json>& pods_on_node,
                         const nlohmann::json* lease, const std::vector<nlohmann::json>& events,
                         Time now, bool show_events = true, const std::string& lease_error = "");

// getPodStatusForController's counts: the controller's pods by phase
// (Pending counts as waiting).
struct PodStatusCounts {
  int running = 0, waiting = 0, succeeded = 0, failed = 0;
};

// describeDaemonSet. `pods` counts the pods the DaemonSet controls;
// `events` are the Events about it, in any order.
std::string DescribeDaemonSet(const nlohmann::json& ds, const PodStatusCounts& pods,
                              const std::vector<nlohmann::json>& events, Time now,
                              bool show_events = true);

// describeNamespace, for a server that serves neither ResourceQuotas nor
// LimitRanges (so neither section is printed).
std::string DescribeNamespace(const nlohmann::json& ns);

// The field selector kubectl's searchEvents sends for an involved object
// (client-go EventInterface.GetFieldSelector): involvedObject.name,
// .namespace, .kind (when non-empty) and .uid (when non-empty), values
// escaped as fields.EscapeValue does.
std::string EventFieldSelector(const std::string& name, const std::string& ns,
                               const std::string& kind, const std::string& uid);

}  // namespace kubesim::printers

#endif  // KUBESIM_PRINTERS_DESCRIBE_H_
