// PodDisruptionBudget validation and the disruption controller
// (pkg/controller/disruption/disruption.go) in a whole cluster: status from
// the owner's scale for Deployment pods, from the pod count for an integer
// minAvailable, the DisruptionAllowed condition, and the UnmanagedPods event.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "shell_test_util.h"

namespace kubesim {
namespace {

using nlohmann::json;
using testing::ShellHarness;

std::string Pdb(const std::string& name, const std::string& budget) {
  return "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: " + name +
         "\nspec:\n" + budget + "  selector:\n    matchLabels:\n      app: web\n";
}

json GetJson(ShellHarness& h, const std::string& what) {
  auto r = h.Run("get " + what + " -o json");
  EXPECT_EQ(r.code, 0) << r.err;
  return json::parse(r.out);
}

TEST(DisruptionControllerTest, DeploymentScaleDrivesTheBudget) {
  ShellHarness h;
  h.SetStdin(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n"
      "  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n"
      "        app: web\n    spec:\n      containers:\n      - name: c\n        image: "
      "nginx\n---\n" +
      Pdb("max-one", "  maxUnavailable: 1\n") + "---\n" + Pdb("half", "  minAvailable: 50%\n"));
  ASSERT_EQ(h.Run("create -f -").code, 0);
  h.Run("sleep 30s");
  EXPECT_EQ(h.Run("get pdb").out,
            "NAME      MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\n"
            "half      50%             N/A               1                     30s\n"
            "max-one   N/A             1                 1                     30s\n");
  json pdb = GetJson(h, "pdb max-one");
  EXPECT_EQ(pdb["status"]["expectedPods"], 3);
  EXPECT_EQ(pdb["status"]["desiredHealthy"], 2);
  EXPECT_EQ(pdb["status"]["currentHealthy"], 3);
  EXPECT_EQ(pdb["status"]["disruptionsAllowed"], 1);
  ASSERT_EQ(pdb["status"]["conditions"].size(), 1u);
  const json& c = pdb["status"]["conditions"][0];
  EXPECT_EQ(c["type"], "DisruptionAllowed");
  EXPECT_EQ(c["status"], "True");
  EXPECT_EQ(c["reason"], "SufficientPods");
  EXPECT_EQ(c["observedGeneration"], 1);
  // 50% of 3, rounded up: 2 must stay.
  EXPECT_EQ(GetJson(h, "pdb half")["status"]["desiredHealthy"], 2);

  // Scaling the Deployment changes the expected count.
  ASSERT_EQ(h.Run("scale deployment web --replicas 1").code, 0);
  h.Run("sleep 30s");
  pdb = GetJson(h, "pdb max-one");
  EXPECT_EQ(pdb["status"]["expectedPods"], 1);
  EXPECT_EQ(pdb["status"]["desiredHealthy"], 0);
  EXPECT_EQ(pdb["status"]["currentHealthy"], 1);
  EXPECT_EQ(pdb["status"]["disruptionsAllowed"], 1);
}

TEST(DisruptionControllerTest, UnmanagedPodsAndNoPods) {
  ShellHarness h;
  h.SetStdin(Pdb("pct", "  minAvailable: 50%\n"));
  ASSERT_EQ(h.Run("create -f -").code, 0);
  h.Run("sleep 1s");
  auto events = GetJson(h, "events --field-selector reason=NoPods");
  ASSERT_EQ(events["items"].size(), 1u);
  EXPECT_EQ(events["items"][0]["message"], "No matching pods found");
  json pdb = GetJson(h, "pdb pct");
  EXPECT_EQ(pdb["status"]["disruptionsAllowed"], 0);
  EXPECT_EQ(pdb["status"]["conditions"][0]["reason"], "InsufficientPods");

  ASSERT_EQ(h.Run("run lone --image nginx --labels app=web").code, 0);
  h.Run("sleep 30s");
  events = GetJson(h, "events --field-selector reason=UnmanagedPods");
  ASSERT_GE(events["items"].size(), 1u);
  EXPECT_EQ(events["items"][0]["message"],
            "Pods selected by this PodDisruptionBudget (selector: "
            "&LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]"
            "LabelSelectorRequirement{},}) were "
            "found to be unmanaged. As a result, the status of the PDB cannot be calculated "
            "correctly, which may result in undefined behavior. To account for these pods please "
            "set \".spec.minAvailable\" field of the PDB to an integer value.");
}

TEST(PodDisruptionBudgetTest, ValidationAsUpstream) {
  ShellHarness h;
  h.SetStdin(Pdb("bad", "  minAvailable: 150%\n"));
  auto r = h.Run("create -f -");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "The PodDisruptionBudget \"bad\" is invalid: spec.minAvailable: Invalid value: "
            "\"150%\": must not be greater than 100%\n");
  h.SetStdin(Pdb("neg", "  maxUnavailable: -1\n"));
  r = h.Run("create -f -");
  EXPECT_EQ(r.err,
            "The PodDisruptionBudget \"neg\" is invalid: spec.maxUnavailable: Invalid value: -1: "
            "must be greater than or equal to 0\n");
  EXPECT_EQ(h.Run("get pdb").err, "No resources found in default namespace.\n");
}

}  // namespace
}  // namespace kubesim
