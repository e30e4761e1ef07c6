#include <gtest/gtest.h>

#include <string>

#include "kubesim/printers/table.h"
#include "kubesim/printers/tabwriter.h"

namespace kubesim::printers {
namespace {

// The column definitions kube-apiserver sends for pods
// (pkg/printers/internalversion/printers.go podColumnDefinitions).
nlohmann::json PodColumns() {
  return nlohmann::json::parse(R"([
    {"name": "Name", "type": "string", "format": "name", "description": "", "priority": 0},
    {"name": "Ready", "type": "string", "format": "", "description": "", "priority": 0},
    {"name": "Status", "type": "string", "format": "", "description": "", "priority": 0},
    {"name": "Restarts", "type": "string", "format": "", "description": "", "priority": 0},
    {"name": "Age", "type": "string", "format": "", "description": "", "priority": 0},
    {"name": "IP", "type": "string", "format": "", "description": "", "priority": 1},
    {"name": "Node", "type": "string", "format": "", "description": "", "priority": 1},
    {"name": "Nominated Node", "type": "string", "format": "", "description": "", "priority": 1},
    {"name": "Readiness Gates", "type": "string", "format": "", "description": "", "priority": 1}
  ])");
}

nlohmann::json PodRow(const std::string& ns, const std::string& name, const std::string& ready,
                      const std::string& status, nlohmann::json restarts, const std::string& age,
                      const std::string& ip, const std::string& node,
                      nlohmann::json labels = nlohmann::json::object()) {
  nlohmann::json metadata = {{"name", name}, {"namespace", ns}};
  if (!labels.empty()) metadata["labels"] = labels;
  return {{"cells", {name, ready, status, restarts, age, ip, node, "<none>", "<none>"}},
          {"object",
           {{"kind", "PartialObjectMetadata"},
            {"apiVersion", "meta.k8s.io/v1"},
            {"metadata", metadata}}}};
}

nlohmann::json PodTable(std::vector<nlohmann::json> rows) {
  return {{"kind", "Table"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", {{"resourceVersion", "1"}}},
          {"columnDefinitions", PodColumns()},
          {"rows", rows}};
}

TEST(TablePrinterTest, Pods) {
  auto table =
      PodTable({PodRow("default", "nginx", "1/1", "Running", 0, "5s", "10.244.1.5", "worker-1")});
  EXPECT_EQ(RenderTable(table, {}),
            "NAME    READY   STATUS    RESTARTS   AGE\n"
            "nginx   1/1     Running   0          5s\n");
}

TEST(TablePrinterTest, PodsSeveralRows) {
  auto table = PodTable({
      PodRow("default", "nginx", "1/1", "Running", 0, "5s", "10.244.1.5", "worker-1"),
      PodRow("default", "web-7d4b9c8f5-x2x9q", "0/1", "ContainerCreating", 0, "2m10s", "<none>",
             "worker-2"),
      PodRow("default", "crashy", "0/1", "CrashLoopBackOff", "4 (20s ago)", "3m", "10.244.2.9",
             "worker-2"),
  });
  EXPECT_EQ(RenderTable(table, {}),
            "NAME                  READY   STATUS              RESTARTS      AGE\n"
            "nginx                 1/1     Running             0             5s\n"
            "web-7d4b9c8f5-x2x9q   0/1     ContainerCreating   0             2m10s\n"
            "crashy                0/1     CrashLoopBackOff    4 (20s ago)   3m\n");
}

TEST(TablePrinterTest, Wide) {
  auto table =
      PodTable({PodRow("default", "nginx", "1/1", "Running", 0, "5s", "10.244.1.5", "worker-1")});
  TableOptions options;
  options.wide = true;
  EXPECT_EQ(RenderTable(table, options),
            "NAME    READY   STATUS    RESTARTS   AGE   IP           NODE       NOMINATED NODE   "
            "READINESS GATES\n"
            "nginx   1/1     Running   0          5s    10.244.1.5   worker-1   <none>           "
            "<none>\n");
}

TEST(TablePrinterTest, AllNamespacesNoHeaders) {
  auto table = PodTable({
      PodRow("default", "nginx", "1/1", "Running", 0, "5s", "", ""),
      PodRow("kube-system", "coredns-abc", "1/1", "Running", 2, "10d", "", ""),
  });
  TableOptions options;
  options.with_namespace = true;
  EXPECT_EQ(RenderTable(table, options),
            "NAMESPACE     NAME          READY   STATUS    RESTARTS   AGE\n"
            "default       nginx         1/1     Running   0          5s\n"
            "kube-system   coredns-abc   1/1     Running   2          10d\n");
  options.no_headers = true;
  EXPECT_EQ(RenderTable(table, options),
            "default       nginx         1/1   Running   0     5s\n"
            "kube-system   coredns-abc   1/1   Running   2     10d\n");
}

TEST(TablePrinterTest, Labels) {
  auto table = PodTable({
      PodRow("default", "web", "1/1", "Running", 0, "5s", "", "", {{"tier", "fe"}, {"app", "web"}}),
      PodRow("default", "db", "1/1", "Running", 0, "6s", "", ""),
  });
  TableOptions options;
  options.show_labels = true;
  EXPECT_EQ(RenderTable(table, options),
            "NAME   READY   STATUS    RESTARTS   AGE   LABELS\n"
            "web    1/1     Running   0          5s    app=web,tier=fe\n"
            "db     1/1     Running   0          6s    <none>\n");
  TableOptions columns;
  columns.label_columns = {"app", "example.com/tier"};
  EXPECT_EQ(RenderTable(table, columns),
            "NAME   READY   STATUS    RESTARTS   AGE   APP   TIER\n"
            "web    1/1     Running   0          5s    web   \n"
            "db     1/1     Running   0          6s          \n");
}

TEST(TablePrinterTest, CellsAsGoPrintsThem) {
  nlohmann::json table = {
      {"columnDefinitions",
       {{{"name", "Name"}, {"type", "string"}, {"format", "name"}, {"priority", 0}},
        {{"name", "Count"}, {"type", "integer"}, {"format", ""}, {"priority", 0}},
        {{"name", "Ratio"}, {"type", "number"}, {"format", ""}, {"priority", 0}},
        {{"name", "Ok"}, {"type", "boolean"}, {"format", ""}, {"priority", 0}},
        {{"name", "Missing"}, {"type", "string"}, {"format", ""}, {"priority", 0}},
        {{"name", "Note"}, {"type", "string"}, {"format", ""}, {"priority", 0}}}},
      {"rows",
       {{{"cells", {"a", 3, 0.5, true, nullptr, "line1\nline2"}}},
        {{"cells", {"b", 12, 1e6, false, nullptr, "esc\x1b[0m"}}}}}};
  EXPECT_EQ(RenderTable(table, {}),
            "NAME   COUNT   RATIO   OK      MISSING   NOTE\n"
            "a      3       0.5     true              line1...\n"
            "b      12      1e+06   false             esc^[[0m\n");
}

TEST(TablePrinterTest, EmptyTable) {
  auto table = PodTable({});
  EXPECT_EQ(RenderTable(table, {}), "");
  EXPECT_EQ(NoResourcesFoundMessage("default"), "No resources found in default namespace.");
  EXPECT_EQ(NoResourcesFoundMessage(""), "No resources found");
}

TEST(TablePrinterTest, SeveralKindsWithKindPrefix) {
  nlohmann::json nodes = {
      {"columnDefinitions",
       {{{"name", "Name"}, {"type", "string"}, {"format", "name"}, {"priority", 0}},
        {{"name", "Status"}, {"type", "string"}, {"format", ""}, {"priority", 0}},
        {{"name", "Roles"}, {"type", "string"}, {"format", ""}, {"priority", 0}},
        {{"name", "Age"}, {"type", "string"}, {"format", ""}, {"priority", 0}},
        {{"name", "Version"}, {"type", "string"}, {"format", ""}, {"priority", 0}}}},
      {"rows",
       {{{"cells", {"control-plane", "Ready", "control-plane", "10d", "v1.32.0"}},
         {"object", {{"metadata", {{"name", "control-plane"}}}}}}}}};
  auto pods = PodTable({PodRow("default", "nginx", "1/1", "Running", 0, "5s", "", "")});
  auto empty = PodTable({});
  TableOptions node_options, pod_options;
  node_options.kind_prefix = KindPrefix("Node", "");
  pod_options.kind_prefix = KindPrefix("Pod", "");
  EXPECT_EQ(RenderTables({{nodes, node_options}, {empty, pod_options}, {pods, pod_options}}),
            "NAME                 STATUS   ROLES           AGE   VERSION\n"
            "node/control-plane   Ready    control-plane   10d   v1.32.0\n"
            "\n"
            "NAME        READY   STATUS    RESTARTS   AGE\n"
            "pod/nginx   1/1     Running   0          5s\n");
  node_options.no_headers = pod_options.no_headers = true;
  EXPECT_EQ(RenderTables({{nodes, node_options}, {pods, pod_options}}),
            "node/control-plane   Ready   control-plane   10d   v1.32.0\n"
            "pod/nginx   1/1   Running   0     5s\n");
  EXPECT_EQ(KindPrefix("Deployment", "apps"), "deployment.apps");
}

TEST(TablePrinterTest, ResourceName) {
  nlohmann::json pod = {{"apiVersion", "v1"},
                        {"kind", "Pod"},
                        {"metadata", {{"name", "nginx"}, {"namespace", "default"}}}};
  nlohmann::json deploy = {
      {"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"metadata", {{"name", "web"}}}};
  nlohmann::json node = {
      {"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", {{"name", "worker-1"}}}};
  EXPECT_EQ(ResourceName(pod), "pod/nginx");
  EXPECT_EQ(ResourceName(node), "node/worker-1");
  EXPECT_EQ(ResourceName(deploy), "deployment.apps/web");
  EXPECT_EQ(ResourceName(deploy, "created"), "deployment.apps/web created");
  EXPECT_EQ(ResourceName(pod, "", true), "default/pod/nginx");
  EXPECT_EQ(ResourceName(nlohmann::json::object()), "<unknown>/<unknown>");
}

TEST(TablePrinterTest, TabWriter) {
  // Columns narrower than minwidth 6 are widened; the last cell is never
  // padded.
  EXPECT_EQ(FormatTable({{"A", "B", "C"}, {"x", "y", "z"}}), "A     B     C\nx     y     z\n");
  // Widths count runes.
  EXPECT_EQ(FormatTable({{"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", "1"}, {"abcdefgh", "2"}}),
            "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9       1\nabcdefgh   2\n");
  // Describe-style output: a line with a single cell ends the column block.
  TabWriter w;
  w.Write("Name:\tnginx\nNamespace:\tdefault\nContainers:\n  nginx:\n    Image:\tnginx\n");
  w.Flush();
  EXPECT_EQ(w.output(),
            "Name:        nginx\n"
            "Namespace:   default\n"
            "Containers:\n"
            "  nginx:\n"
            "    Image:   nginx\n");
  // Remembered widths carry over flushes until reset.
  TabWriter r;
  r.Write("a\tb\n");
  r.Flush();
  r.Write("abcdefgh\tb\n");
  r.Flush();
  r.Write("a\tb\n");
  r.Flush();
  EXPECT_EQ(r.TakeOutput(), "a     b\nabcdefgh   b\na          b\n");
}

}  // namespace
}  // namespace kubesim::printers
