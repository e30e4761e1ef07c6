// kubectl's human-readable output: metav1.Table rendering (`kubectl get`,
// `-o wide`, `--show-labels`, `-L`, `-A`, several kinds at once), the
// "No resources found" message and `-o name`.
//
// Port of cli-runtime/pkg/printers/tableprinter.go (printTable,
// decorateTable), terminal.go, name.go and the multi-kind loop of
// kubectl/pkg/cmd/get/get.go.
//
// Thread-safety: all functions are pure.
#ifndef KUBESIM_PRINTERS_TABLE_H_
#define KUBESIM_PRINTERS_TABLE_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace kubesim::printers {

// printers.PrintOptions, the parts a Table printer uses.
struct TableOptions {
  bool wide = false;        // -o wide: also columns with priority > 0
  bool no_headers = false;  // --no-headers
  // -A: a leading NAMESPACE column from each row's object.metadata.namespace.
  bool with_namespace = false;
  // --show-labels: a trailing LABELS column, "k=v,k2=v2" sorted by key,
  // "<none>" when the object has no labels.
  bool show_labels = false;
  // -L key,...: one column per key, headed by the upper-cased last
  // "/"-separated segment of the key, holding the label's value ("" when
  // absent).
  std::vector<std::string> label_columns;
  // When not empty, the name column (format "name", type "string") is
  // prefixed with kind_prefix + "/", as kubectl does when several kinds are
  // printed: "pod/nginx", "deployment.apps/web". See KindPrefix().
  std::string kind_prefix;
};

// Renders one metav1.Table (apiVersion meta.k8s.io/v1, kind Table:
// columnDefinitions [{name, type, format, description, priority}], rows
// [{cells: [...], object: {metadata: {...}}}]) as kubectl prints it:
// upper-cased headers, columns aligned by a tabwriter with minwidth 6 and
// padding 3, the last column unpadded, one "\n" per line. Cells: strings as
// is (cut at the first \n, \r or \f with "..." appended; ESC shown as
// "^["), numbers and booleans as Go's fmt.Sprint prints them, null as an
// empty cell. Columns with priority > 0 only with `wide`. A table without
// rows renders as "" (no headers either).
std::string RenderTable(const nlohmann::json& table, const TableOptions& options);

struct TableGroup {
  nlohmann::json table;
  TableOptions options;
};

// Several tables, one per kind, as `kubectl get pods,svc` prints them: each
// laid out on its own, groups that render something separated by one blank
// line (no blank lines with no_headers).
std::string RenderTables(const std::vector<TableGroup>& groups);

// kubectl get's message (printed to stderr, followed by "\n") when nothing
// was printed: "No resources found in <ns> namespace." when every resource
// asked for is namespaced and -A was not given; pass an empty `ns`
// otherwise (-A, cluster-scoped kinds) for "No resources found".
std::string NoResourcesFoundMessage(const std::string& ns);

// The lower-cased kind with its group as kubectl prefixes names:
// ("Pod", "") -> "pod", ("Deployment", "apps") -> "deployment.apps".
std::string KindPrefix(const std::string& kind, const std::string& group);

// One line of `-o name` (without "\n"), from an object's kind, apiVersion
// and metadata: "pod/nginx", "node/worker-1", "deployment.apps/web". With
// an operation: "deployment.apps/web created". With with_namespace the
// namespace leads: "default/pod/nginx". A missing name prints "<unknown>",
// a missing kind "<unknown>".
std::string ResourceName(const nlohmann::json& obj, const std::string& operation = "",
                         bool with_namespace = false);

}  // namespace kubesim::printers

#endif  // KUBESIM_PRINTERS_TABLE_H_
