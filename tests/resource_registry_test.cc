#include <gtest/gtest.h>

#include "kubesim/api/gvr.h"
#include "kubesim/api/resource.h"

namespace kubesim::api {
namespace {

Time At(const char* rfc3339) {
  Time t;
  EXPECT_TRUE(ParseRfc3339(rfc3339, &t));
  return t;
}

class RegistryTest : public ::testing::Test {
 protected:
  std::unique_ptr<ResourceRegistry> registry_ = NewBuiltinRegistry();

  std::string Resolved(const std::string& text) {
    const ResourceStrategy* s = registry_->Resolve(text);
    return s ? s->info().QualifiedResource() : "<nullptr>";
  }
};

TEST_F(RegistryTest, ResolvesWhatUsersType) {
  EXPECT_EQ(Resolved("po"), "pods");
  EXPECT_EQ(Resolved("pods"), "pods");
  EXPECT_EQ(Resolved("Pod"), "pods");
  EXPECT_EQ(Resolved("pod"), "pods");
  EXPECT_EQ(Resolved("PODS"), "pods");
  EXPECT_EQ(Resolved("no"), "nodes");
  EXPECT_EQ(Resolved("nodes"), "nodes");
  EXPECT_EQ(Resolved("node"), "nodes");
  EXPECT_EQ(Resolved("ns"), "namespaces");
  EXPECT_EQ(Resolved("Namespace"), "namespaces");
  EXPECT_EQ(Resolved("ev"), "events");
  EXPECT_EQ(Resolved("event"), "events");
  EXPECT_EQ(Resolved("leases"), "leases.coordination.k8s.io");
  EXPECT_EQ(Resolved("lease"), "leases.coordination.k8s.io");
  EXPECT_EQ(Resolved("Lease"), "leases.coordination.k8s.io");
}

TEST_F(RegistryTest, ResolvesQualifiedNames) {
  EXPECT_EQ(Resolved("leases.coordination.k8s.io"), "leases.coordination.k8s.io");
  EXPECT_EQ(Resolved("leases.v1.coordination.k8s.io"), "leases.coordination.k8s.io");
  EXPECT_EQ(Resolved("Lease.coordination.k8s.io"), "leases.coordination.k8s.io");
  EXPECT_EQ(Resolved("pods.v1"), "pods");
  EXPECT_EQ(Resolved("pods.v1."), "pods");
}

TEST_F(RegistryTest, UnknownIsNull) {
  // Deployments are served now (workloads); CronJobs are not.
  EXPECT_EQ(registry_->Resolve("cronjobs"), nullptr);
  EXPECT_EQ(registry_->Resolve("cj"), nullptr);
  EXPECT_EQ(registry_->Resolve(""), nullptr);
  EXPECT_EQ(registry_->Resolve("pods.apps"), nullptr);
  EXPECT_EQ(registry_->Resolve("leases.apps"), nullptr);
  EXPECT_EQ(registry_->Resolve("p"), nullptr);
}

TEST_F(RegistryTest, FindAndAll) {
  ASSERT_NE(registry_->Find(kPods), nullptr);
  EXPECT_EQ(registry_->Find(kPods)->info().kind, "Pod");
  EXPECT_EQ(registry_->Find(kLeases)->info().kind, "Lease");
  EXPECT_EQ(registry_->Find({"", "v1", "deployments"}), nullptr);
  EXPECT_EQ(registry_->Find({"", "v2", "pods"}), nullptr);
  // The core kinds come first; the areas' kinds (workloads_register.cc,
  // service_register.cc) follow and are tested with their areas.
  std::vector<std::string> all;
  for (const auto* s : registry_->All()) all.push_back(s->info().QualifiedResource());
  ASSERT_GE(all.size(), 5u);
  all.resize(5);
  EXPECT_EQ(all, (std::vector<std::string>{"events", "namespaces", "nodes", "pods",
                                           "leases.coordination.k8s.io"}));
}

TEST_F(RegistryTest, DuplicateAddIsRefused) {
  // A registry refuses a null strategy and a second one for the same resource.
  ResourceRegistry fresh;
  EXPECT_FALSE(fresh.Add(nullptr));
  class Fake : public ResourceStrategy {
   public:
    Fake() { info_.gvr = {"", "v1", "pods"}; }
    const ResourceInfo& info() const override { return info_; }
    Object TableColumns() const override { return Object::array(); }
    Object TableCells(const Object&, Time) const override { return Object::array(); }
    ResourceInfo info_;
  };
  EXPECT_TRUE(fresh.Add(std::make_unique<Fake>()));
  EXPECT_FALSE(fresh.Add(std::make_unique<Fake>()));
  EXPECT_EQ(fresh.All().size(), 1u);
}

TEST_F(RegistryTest, DiscoveryFacts) {
  const std::vector<std::string> all_verbs = {"create", "delete", "deletecollection", "get",
                                              "list",   "patch",  "update",           "watch"};
  const ResourceInfo& pods = registry_->Find(kPods)->info();
  EXPECT_EQ(pods.kind, "Pod");
  EXPECT_EQ(pods.singular, "pod");
  EXPECT_TRUE(pods.namespaced);
  EXPECT_EQ(pods.short_names, std::vector<std::string>{"po"});
  EXPECT_EQ(pods.categories, std::vector<std::string>{"all"});
  EXPECT_EQ(pods.verbs, all_verbs);
  EXPECT_EQ(pods.subresources, (std::vector<std::string>{"binding", "eviction", "log", "status"}));
  EXPECT_EQ(pods.storage_prefix, "/registry/pods");
  EXPECT_EQ(pods.StorageKey("default", "web"), "/registry/pods/default/web");
  EXPECT_EQ(pods.ApiVersion(), "v1");

  const ResourceInfo& nodes = registry_->Find(kNodes)->info();
  EXPECT_FALSE(nodes.namespaced);
  EXPECT_EQ(nodes.short_names, std::vector<std::string>{"no"});
  EXPECT_TRUE(nodes.categories.empty());
  EXPECT_EQ(nodes.verbs, all_verbs);
  EXPECT_EQ(nodes.subresources, std::vector<std::string>{"status"});
  EXPECT_EQ(nodes.StorageKey("", "worker-1"), "/registry/minions/worker-1");

  const ResourceInfo& ns = registry_->Find(kNamespaces)->info();
  EXPECT_FALSE(ns.namespaced);
  EXPECT_EQ(ns.short_names, std::vector<std::string>{"ns"});
  EXPECT_EQ(ns.verbs, (std::vector<std::string>{"create", "delete", "get", "list", "patch",
                                                "update", "watch"}));
  EXPECT_EQ(ns.subresources, (std::vector<std::string>{"status", "finalize"}));
  EXPECT_EQ(ns.storage_prefix, "/registry/namespaces");
  EXPECT_EQ(registry_->Find(kNamespaces)->name_rule(), NameRule::kDns1123Label);
  EXPECT_EQ(registry_->Find(kPods)->name_rule(), NameRule::kDns1123Subdomain);

  const ResourceInfo& events = registry_->Find(kEvents)->info();
  EXPECT_EQ(events.short_names, std::vector<std::string>{"ev"});
  EXPECT_EQ(events.storage_prefix, "/registry/events");
  EXPECT_TRUE(events.subresources.empty());

  const ResourceInfo& leases = registry_->Find(kLeases)->info();
  EXPECT_EQ(leases.ApiVersion(), "coordination.k8s.io/v1");
  EXPECT_EQ(leases.QualifiedResource(), "leases.coordination.k8s.io");
  EXPECT_TRUE(leases.namespaced);
  EXPECT_TRUE(leases.short_names.empty());
  EXPECT_EQ(leases.StorageKey("kube-node-lease", "worker-1"),
            "/registry/leases/kube-node-lease/worker-1");
}

TEST_F(RegistryTest, MetadataFieldSelectors) {
  Object pod = {{"metadata", {{"name", "web"}, {"namespace", "prod"}}}};
  std::string v;
  const ResourceStrategy* pods = registry_->Find(kPods);
  ASSERT_TRUE(pods->FieldValue(pod, "metadata.name", &v));
  EXPECT_EQ(v, "web");
  ASSERT_TRUE(pods->FieldValue(pod, "metadata.namespace", &v));
  EXPECT_EQ(v, "prod");
  EXPECT_FALSE(pods->FieldValue(pod, "metadata.uid", &v));
  // Cluster-scoped kinds have no metadata.namespace field.
  Object node = {{"metadata", {{"name", "worker-1"}}}};
  EXPECT_FALSE(registry_->Find(kNodes)->FieldValue(node, "metadata.namespace", &v));
  ASSERT_TRUE(registry_->Find(kNodes)->FieldValue(node, "metadata.name", &v));
  EXPECT_EQ(v, "worker-1");
  Object lease = {{"metadata", {{"name", "l"}, {"namespace", "kube-node-lease"}}}};
  ASSERT_TRUE(registry_->Find(kLeases)->FieldValue(lease, "metadata.namespace", &v));
  EXPECT_EQ(v, "kube-node-lease");
  EXPECT_FALSE(registry_->Find(kLeases)->FieldValue(lease, "spec.holderIdentity", &v));
}

// Namespaces: PrepareForCreate, update rules, table and field selectors.
TEST_F(RegistryTest, NamespaceStrategy) {
  const ResourceStrategy* s = registry_->Find(kNamespaces);
  Object ns = Object::parse(R"({"apiVersion":"v1","kind":"Namespace",
    "metadata":{"name":"prod","creationTimestamp":"2025-01-01T00:00:00Z"},
    "status":{"phase":"Terminating"}})");
  s->PrepareForCreate(ns);
  EXPECT_EQ(ns, Object::parse(R"({"apiVersion":"v1","kind":"Namespace",
    "metadata":{"name":"prod","creationTimestamp":"2025-01-01T00:00:00Z",
                "labels":{"kubernetes.io/metadata.name":"prod"}},
    "spec":{"finalizers":["kubernetes"]},
    "status":{"phase":"Active"}})"));
  EXPECT_TRUE(s->Validate(ns).empty());

  // A user update keeps finalizers and status; the name label is restored.
  Object update = ns;
  update["spec"]["finalizers"] = Object::array();
  update["status"]["phase"] = "Terminating";
  update["metadata"]["labels"] = {{"team", "a"}};
  s->PrepareForUpdate(update, ns, "");
  EXPECT_EQ(update["spec"], ns["spec"]);
  EXPECT_EQ(update["status"], ns["status"]);
  EXPECT_EQ(update["metadata"]["labels"],
            Object::parse(R"({"team":"a","kubernetes.io/metadata.name":"prod"})"));
  // The status subresource changes only the status.
  Object status = ns;
  status["status"]["phase"] = "Terminating";
  status["spec"]["finalizers"] = Object::array();
  s->PrepareForUpdate(status, ns, "status");
  EXPECT_EQ(status["spec"], ns["spec"]);
  EXPECT_EQ(status["status"]["phase"], "Terminating");

  Object bad = ns;
  bad["spec"]["finalizers"] = {"custom"};
  auto errs = s->Validate(bad);
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].ToString(),
            "spec.finalizers: Invalid value: \"custom\": name is neither a standard finalizer "
            "name nor is it fully qualified");

  std::vector<std::string> names;
  for (const auto& c : s->TableColumns()) names.push_back(c["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"Name", "Status", "Age"}));
  EXPECT_EQ(s->TableCells(ns, At("2025-01-03T00:00:00Z")),
            Object::parse(R"(["prod","Active","2d"])"));
  std::string v;
  ASSERT_TRUE(s->FieldValue(ns, "status.phase", &v));
  EXPECT_EQ(v, "Active");
}

TEST_F(RegistryTest, LeaseStrategy) {
  const ResourceStrategy* s = registry_->Find(kLeases);
  Object lease = Object::parse(R"({"apiVersion":"coordination.k8s.io/v1","kind":"Lease",
    "metadata":{"name":"worker-1","namespace":"kube-node-lease",
                "creationTimestamp":"2025-01-01T00:00:00Z"},
    "spec":{"holderIdentity":"worker-1","leaseDurationSeconds":40,"strategy":"OldestEmulationVersion"}})");
  s->PrepareForCreate(lease);
  EXPECT_EQ(lease["spec"],
            Object::parse(R"({"holderIdentity":"worker-1","leaseDurationSeconds":40})"));
  EXPECT_TRUE(s->Validate(lease).empty());
  Object bare = Object::parse(R"({"metadata":{"name":"x","namespace":"d"}})");
  s->PrepareForCreate(bare);
  EXPECT_EQ(bare["spec"], Object::object());

  Object bad = lease;
  bad["spec"]["leaseDurationSeconds"] = 0;
  bad["spec"]["leaseTransitions"] = -1;
  auto errs = s->Validate(bad);
  ASSERT_EQ(errs.size(), 2u);
  EXPECT_EQ(errs[0].ToString(),
            "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0");
  EXPECT_EQ(errs[1].ToString(),
            "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0");

  std::vector<std::string> names;
  for (const auto& c : s->TableColumns()) names.push_back(c["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"Name", "Holder", "Age"}));
  EXPECT_EQ(s->TableCells(lease, At("2025-01-01T00:00:40Z")),
            Object::parse(R"(["worker-1","worker-1","40s"])"));
  EXPECT_EQ(s->TableCells(bare, At("2025-01-01T00:00:40Z")),
            Object::parse(R"(["x","","<unknown>"])"));
}

}  // namespace
}  // namespace kubesim::api
