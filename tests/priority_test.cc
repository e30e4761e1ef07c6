// PriorityClass (scheduling.k8s.io/v1) and the Priority admission plugin,
// through the shell against a whole cluster: upstream's messages from
// plugin/pkg/admission/priority/admission.go and
// pkg/apis/scheduling/validation/validation.go.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "shell_test_util.h"

namespace kubesim {
namespace {

using testing::ShellHarness;

std::string PriorityClass(const std::string& name, int64_t value, const std::string& extra = "") {
  return "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: " + name +
         "\nvalue: " + std::to_string(value) + "\n" + extra;
}

std::string Pod(const std::string& name, const std::string& spec_extra) {
  return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\nspec:\n" + spec_extra +
         "  containers:\n  - name: c\n    image: nginx\n";
}

TEST(PriorityClassTest, SystemClassesAreServedFromStart) {
  ShellHarness h;
  auto r = h.Run("get priorityclasses");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "NAME                      VALUE        GLOBAL-DEFAULT   AGE   PREEMPTIONPOLICY\n"
            "system-cluster-critical   2000000000   false            0s    PreemptLowerPriority\n"
            "system-node-critical      2000001000   false            0s    PreemptLowerPriority\n");
  auto y = h.Run("get pc system-node-critical -o json");
  auto obj = nlohmann::json::parse(y.out);
  EXPECT_EQ(obj["description"],
            "Used for system critical pods that must not be moved from their current node.");
  EXPECT_EQ(obj["preemptionPolicy"], "PreemptLowerPriority");
}

TEST(PriorityClassTest, ValidationAsUpstream) {
  ShellHarness h;
  h.SetStdin(PriorityClass("system-mine", 5));
  auto r = h.Run("create -f -");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(
      r.err,
      "The PriorityClass \"system-mine\" is invalid: metadata.name: Forbidden: priority class "
      "names with 'system-' prefix are reserved for system use only. error: system-mine is "
      "not a known system priority class\n");
  h.SetStdin(PriorityClass("huge", 1000000001));
  r = h.Run("create -f -");
  EXPECT_EQ(r.err,
            "The PriorityClass \"huge\" is invalid: value: Forbidden: maximum allowed value of a "
            "user defined priority is 1000000000\n");
  h.SetStdin(PriorityClass("high", 1000));
  ASSERT_EQ(h.Run("create -f -").code, 0);
  // value is immutable.
  auto p = h.Run("patch priorityclass high --type merge -p '{\"value\":2000}'");
  EXPECT_EQ(p.code, 1);
  EXPECT_EQ(p.err,
            "The PriorityClass \"high\" is invalid: value: Forbidden: may not be changed in an "
            "update.\n");
}

TEST(PriorityClassTest, OnlyOneGlobalDefault) {
  ShellHarness h;
  h.SetStdin(PriorityClass("a", 10, "globalDefault: true\n"));
  ASSERT_EQ(h.Run("create -f -").code, 0);
  h.SetStdin(PriorityClass("b", 20, "globalDefault: true\n"));
  auto r = h.Run("create -f -");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "Error from server (Forbidden): error when creating \"STDIN\": "
            "priorityclasses.scheduling.k8s.io \"b\" is forbidden: PriorityClass a is already "
            "marked as default. Only one default can exist\n");
}

TEST(PriorityAdmissionTest, ResolvesClassAndGlobalDefault) {
  ShellHarness h;
  h.SetStdin(PriorityClass("high", 1000, "preemptionPolicy: Never\n"));
  ASSERT_EQ(h.Run("create -f -").code, 0);
  h.SetStdin(Pod("p1", "  priorityClassName: high\n"));
  ASSERT_EQ(h.Run("create -f -").code, 0);
  auto p1 = nlohmann::json::parse(h.Run("get pod p1 -o json").out);
  EXPECT_EQ(p1["spec"]["priority"], 1000);
  EXPECT_EQ(p1["spec"]["preemptionPolicy"], "Never");

  // No class and no global default: 0 and PreemptLowerPriority.
  h.SetStdin(Pod("p2", ""));
  ASSERT_EQ(h.Run("create -f -").code, 0);
  auto p2 = nlohmann::json::parse(h.Run("get pod p2 -o json").out);
  EXPECT_EQ(p2["spec"]["priority"], 0);
  EXPECT_EQ(p2["spec"]["preemptionPolicy"], "PreemptLowerPriority");
  EXPECT_FALSE(p2["spec"].contains("priorityClassName"));

  // With a global default, its name, value and policy are filled in.
  h.SetStdin(PriorityClass("default-tier", 7, "globalDefault: true\n"));
  ASSERT_EQ(h.Run("create -f -").code, 0);
  h.SetStdin(Pod("p3", ""));
  ASSERT_EQ(h.Run("create -f -").code, 0);
  auto p3 = nlohmann::json::parse(h.Run("get pod p3 -o json").out);
  EXPECT_EQ(p3["spec"]["priority"], 7);
  EXPECT_EQ(p3["spec"]["priorityClassName"], "default-tier");

  // System classes resolve from the served objects.
  h.SetStdin(Pod("p4", "  priorityClassName: system-node-critical\n"));
  ASSERT_EQ(h.Run("create -f -").code, 0);
  auto p4 = nlohmann::json::parse(h.Run("get pod p4 -o json").out);
  EXPECT_EQ(p4["spec"]["priority"], 2000001000);
}

TEST(PriorityAdmissionTest, ErrorsAsUpstream) {
  ShellHarness h;
  h.SetStdin(Pod("x", "  priorityClassName: foo\n"));
  auto r = h.Run("create -f -");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "Error from server (Forbidden): error when creating \"STDIN\": pods \"x\" is "
            "forbidden: no PriorityClass with name foo was found\n");
  h.SetStdin(Pod("pinned", "  priority: 5\n"));
  r = h.Run("create -f -");
  EXPECT_EQ(r.err,
            "Error from server (Forbidden): error when creating \"STDIN\": pods \"pinned\" is "
            "forbidden: the integer value of priority (5) must not be provided in pod spec; "
            "priority admission controller computed 0 from the given PriorityClass name\n");
  h.SetStdin(Pod("polite", "  preemptionPolicy: Never\n"));
  r = h.Run("create -f -");
  EXPECT_EQ(r.err,
            "Error from server (Forbidden): error when creating \"STDIN\": pods \"polite\" is "
            "forbidden: the string value of PreemptionPolicy (Never) must not be provided in pod "
            "spec; priority admission controller computed PreemptLowerPriority from the given "
            "PriorityClass name\n");
  // Nothing was created.
  EXPECT_EQ(h.Run("get pods").err, "No resources found in default namespace.\n");
  // A priority equal to the computed one is accepted.
  h.SetStdin(Pod("ok", "  priority: 0\n"));
  EXPECT_EQ(h.Run("create -f -").code, 0);
}

}  // namespace
}  // namespace kubesim
