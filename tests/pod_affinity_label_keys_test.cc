// matchLabelKeys / mismatchLabelKeys of pod (anti-)affinity (KEP-3633,
// MatchLabelKeysInPodAffinity, beta and on in 1.32): merged into the
// labelSelector by the pod strategy on create
// (pkg/registry/core/pod/strategy.go mutatePodAffinity) and validated
// after that (pkg/apis/core/validation validateMatchLabelKeysAndMismatchLabelKeys).
// Validation cases are those of upstream's
// pkg/apis/core/validation/validation_test.go (TestValidatePod... "invalid
// hard pod anti-affinity, key in MatchLabelKeys isn't correctly defined",
// ...), with paths and wording compared word for word; they go through
// PrepareForCreate here, so the "exists in both matchLabelKeys and
// labelSelector" cases get their In requirement from the merge, as on a
// real API server.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kubesim/api/gvr.h"
#include "kubesim/api/resource.h"

namespace kubesim::api {
namespace {

std::vector<std::string> Messages(const std::vector<FieldError>& errs) {
  std::vector<std::string> out;
  for (const auto& e : errs) out.push_back(e.ToString());
  return out;
}

class PodAffinityLabelKeysTest : public ::testing::Test {
 protected:
  std::unique_ptr<ResourceRegistry> registry_ = NewBuiltinRegistry();
  const ResourceStrategy& s_ = *registry_->Find(kPods);

  // A pod "123" in "ns" with `labels` and `affinity` (JSON).
  Object Created(const std::string& labels, const std::string& affinity) const {
    Object pod = Object::parse(R"({"apiVersion":"v1","kind":"Pod",
      "metadata":{"name":"123","namespace":"ns"},
      "spec":{"containers":[{"name":"c","image":"nginx"}]}})");
    pod["metadata"]["labels"] = Object::parse(labels);
    pod["spec"]["affinity"] = Object::parse(affinity);
    s_.PrepareForCreate(pod);
    return pod;
  }
  std::vector<std::string> Errors(const std::string& labels, const std::string& affinity) const {
    return Messages(s_.Validate(Created(labels, affinity)));
  }
};

// A Deployment's pod: the ReplicaSet controller gives it pod-template-hash,
// the API server merges that key's value into the anti-affinity selector
// (In) and the mismatch key's into the affinity selector (NotIn).
TEST_F(PodAffinityLabelKeysTest, CreateMergesKeysIntoTheSelector) {
  Object pod = Created(R"({"app":"web","pod-template-hash":"5d4f8c9b7"})", R"({
    "podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[
      {"labelSelector":{"matchLabels":{"app":"web"}},
       "matchLabelKeys":["pod-template-hash","absent-key"],
       "topologyKey":"kubernetes.io/hostname"}]},
    "podAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[
      {"weight":10,"podAffinityTerm":{
        "labelSelector":{"matchExpressions":[{"key":"app","operator":"Exists"}]},
        "mismatchLabelKeys":["pod-template-hash"],
        "topologyKey":"topology.kubernetes.io/zone"}}]}})");
  EXPECT_EQ(pod["spec"]["affinity"], Object::parse(R"({
    "podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[
      {"labelSelector":{"matchLabels":{"app":"web"},
         "matchExpressions":[{"key":"pod-template-hash","operator":"In","values":["5d4f8c9b7"]}]},
       "matchLabelKeys":["pod-template-hash","absent-key"],
       "topologyKey":"kubernetes.io/hostname"}]},
    "podAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[
      {"weight":10,"podAffinityTerm":{
        "labelSelector":{"matchExpressions":[{"key":"app","operator":"Exists"},
          {"key":"pod-template-hash","operator":"NotIn","values":["5d4f8c9b7"]}]},
        "mismatchLabelKeys":["pod-template-hash"],
        "topologyKey":"topology.kubernetes.io/zone"}}]}})"));
  EXPECT_TRUE(s_.Validate(pod).empty()) << Messages(s_.Validate(pod))[0];
}

// A term without labelSelector matches nothing: nothing is merged (and
// validation then forbids the keys).
TEST_F(PodAffinityLabelKeysTest, NoSelectorNoMerge) {
  const std::string affinity = R"({"podAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[
      {"matchLabelKeys":["app"],"topologyKey":"kubernetes.io/hostname"}]}})";
  Object pod = Created(R"({"app":"web"})", affinity);
  EXPECT_EQ(pod["spec"]["affinity"], Object::parse(affinity));
  EXPECT_EQ(Messages(s_.Validate(pod)),
            std::vector<std::string>{
                "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]."
                "matchLabelKeys: Forbidden: must not be specified when labelSelector is not set"});
}

// Updates do not merge again (PrepareForUpdate has no mutatePodAffinity).
TEST_F(PodAffinityLabelKeysTest, UpdateDoesNotMergeAgain) {
  Object pod = Created(R"({"app":"web","v":"1"})", R"({"podAntiAffinity":{
    "requiredDuringSchedulingIgnoredDuringExecution":[{"labelSelector":{"matchLabels":{"app":"web"}},
      "matchLabelKeys":["v"],"topologyKey":"kubernetes.io/hostname"}]}})");
  Object updated = pod;
  updated["metadata"]["labels"]["extra"] = "x";
  s_.PrepareForUpdate(updated, pod, "");
  EXPECT_EQ(updated["spec"]["affinity"], pod["spec"]["affinity"]);
  EXPECT_TRUE(s_.ValidateUpdate(updated, pod).empty());
}

TEST_F(PodAffinityLabelKeysTest, ValidationMessagesAsUpstream) {
  const char* kNotIn =
      R"({"matchExpressions":[{"key":"key","operator":"NotIn","values":["value1","value2"]}]})";
  auto term = [&](const std::string& keys) {
    return std::string(R"({"labelSelector":)") + kNotIn + R"(,"topologyKey":"k8s.io/zone",)" +
           keys + "}";
  };
  auto required = [](const char* kind, const std::string& t) {
    return std::string(R"({")") + kind +
           R"(":{"requiredDuringSchedulingIgnoredDuringExecution":[)" + t + "]}}";
  };
  auto preferred = [](const char* kind, const std::string& t) {
    return std::string(R"({")") + kind +
           R"(":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":10,"podAffinityTerm":)" +
           t + "}]}}";
  };
  const std::string kPrefix = "prefix part must be non-empty";
  struct Case {
    std::string name, labels, affinity;
    std::vector<std::string> want;
  };
  const std::string kMatchBad = term(R"("matchLabelKeys":["/simple"])");
  const std::string kMismatchBad = term(R"("mismatchLabelKeys":["/simple"])");
  // The user's selector has key NotIn [value2]; the merge adds key In [value1].
  const std::string kDup =
      R"({"labelSelector":{"matchExpressions":[{"key":"key","operator":"NotIn","values":["value2"]}]},
          "topologyKey":"k8s.io/zone","matchLabelKeys":["key"]})";
  const std::string kBoth = term(R"("matchLabelKeys":["samekey"],"mismatchLabelKeys":["samekey"])");
  const std::string kReq = ".requiredDuringSchedulingIgnoredDuringExecution[0]";
  const std::string kPref = ".preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm";
  const std::vector<Case> cases = {
      {"invalid soft pod affinity, key in MatchLabelKeys isn't correctly defined",
       "{}",
       preferred("podAffinity", kMatchBad),
       {"spec.affinity.podAffinity" + kPref +
        ".matchLabelKeys[0]: Invalid value: \"/simple\": " + kPrefix}},
      {"invalid hard pod anti-affinity, key in MatchLabelKeys isn't correctly defined",
       "{}",
       required("podAntiAffinity", kMatchBad),
       {"spec.affinity.podAntiAffinity" + kReq +
        ".matchLabelKeys[0]: Invalid value: \"/simple\": " + kPrefix}},
      {"invalid soft pod affinity, key in MismatchLabelKeys isn't correctly defined",
       "{}",
       preferred("podAffinity", kMismatchBad),
       {"spec.affinity.podAffinity" + kPref +
        ".mismatchLabelKeys[0]: Invalid value: \"/simple\": " + kPrefix}},
      {"invalid hard pod affinity, key in MismatchLabelKeys isn't correctly defined",
       "{}",
       required("podAffinity", kMismatchBad),
       {"spec.affinity.podAffinity" + kReq +
        ".mismatchLabelKeys[0]: Invalid value: \"/simple\": " + kPrefix}},
      {"invalid hard pod anti-affinity, key in MismatchLabelKeys isn't correctly defined",
       "{}",
       required("podAntiAffinity", kMismatchBad),
       {"spec.affinity.podAntiAffinity" + kReq +
        ".mismatchLabelKeys[0]: Invalid value: \"/simple\": " + kPrefix}},
      // Upstream's path for this one has no ".matchLabelKeys" (fldPath.Index(i)).
      {"invalid soft pod affinity, key exists in both matchLabelKeys and labelSelector",
       R"({"key":"value1"})",
       preferred("podAffinity", kDup),
       {"spec.affinity.podAffinity" + kPref +
        "[0]: Invalid value: \"key\": exists in both matchLabelKeys and labelSelector"}},
      {"invalid hard pod affinity, key exists in both matchLabelKeys and labelSelector",
       R"({"key":"value1"})",
       required("podAffinity", kDup),
       {"spec.affinity.podAffinity" + kReq +
        "[0]: Invalid value: \"key\": exists in both matchLabelKeys and labelSelector"}},
      {"invalid hard pod anti-affinity, key exists in both matchLabelKeys and labelSelector",
       R"({"key":"value1"})",
       required("podAntiAffinity", kDup),
       {"spec.affinity.podAntiAffinity" + kReq +
        "[0]: Invalid value: \"key\": exists in both matchLabelKeys and labelSelector"}},
      // Without the label on the pod nothing is merged: the key is in the
      // selector once, which is allowed.
      {"key in the labelSelector and matchLabelKeys, pod without the label",
       "{}",
       required("podAntiAffinity", kDup),
       {}},
      {"invalid soft pod affinity, key exists in both MatchLabelKeys and MismatchLabelKeys",
       "{}",
       preferred("podAffinity", kBoth),
       {"spec.affinity.podAffinity" + kPref +
        ".matchLabelKeys[0]: Invalid value: \"samekey\": exists in both matchLabelKeys and "
        "mismatchLabelKeys"}},
      {"invalid hard pod affinity, key exists in both MatchLabelKeys and MismatchLabelKeys",
       "{}",
       required("podAffinity", kBoth),
       {"spec.affinity.podAffinity" + kReq +
        ".matchLabelKeys[0]: Invalid value: \"samekey\": exists in both matchLabelKeys and "
        "mismatchLabelKeys"}},
      {"valid: keys the pod carries, merged",
       R"({"samekey":"a","other":"b"})",
       required("podAffinity",
                term(R"("matchLabelKeys":["samekey"],"mismatchLabelKeys":["other"])")),
       {}},
  };
  for (const Case& c : cases) EXPECT_EQ(Errors(c.labels, c.affinity), c.want) << c.name;
}

}  // namespace
}  // namespace kubesim::api
