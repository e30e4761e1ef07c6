// v1 Pod: pkg/registry/core/pod/strategy.go, the v1 defaults
// (pkg/apis/core/v1/defaults.go + zz_generated.defaults.go), the admission
// plugins that mutate every pod (ServiceAccount,
// DefaultTolerationSeconds; Priority is in src/api/admission/), ValidatePodCreate/ValidatePodUpdate
// (pkg/apis/core/validation) and printPod.
//
// Not reproduced: the kube-api-access-<x> projected volume and its
// volumeMounts that ServiceAccount admission adds (kubesim has no
// ServiceAccount tokens) and feature-gated alpha fields. Pod affinity
// matchLabelKeys/mismatchLabelKeys are merged and validated as upstream
// (pod_affinity_label_keys.h).

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "kubesim/api/validation.h"
#include "kubesim/printers/quantity.h"
#include "pod_affinity_label_keys.h"
#include "strategies.h"

namespace kubesim::api::strategies {
namespace {

using Type = FieldError::Type;

constexpr char kTaintNodeNotReady[] = "node.kubernetes.io/not-ready";
constexpr char kTaintNodeUnreachable[] = "node.kubernetes.io/unreachable";
constexpr int64_t kDefaultTolerationSeconds = 300;
constexpr char kMirrorPodAnnotation[] = "kubernetes.io/config.mirror";
constexpr char kNodeUnreachablePodReason[] = "NodeLost";

std::string Idx(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

// One map lookup each: find() looks the C string up as is (the object's
// comparator is std::less<>), where contains() then operator[] looked it up
// twice and built a std::string for the second (validation runs these
// dozens of times per pod create).
bool IsArray(const Object& o, const char* key) {
  if (!o.is_object()) return false;
  auto it = o.find(key);
  return it != o.end() && it->is_array();
}
bool IsObject(const Object& o, const char* key) {
  if (!o.is_object()) return false;
  auto it = o.find(key);
  return it != o.end() && it->is_object();
}
bool Has(const Object& o, const char* key) {
  if (!o.is_object()) return false;
  auto it = o.find(key);
  return it != o.end() && !it->is_null();
}
Object& EnsureObject(Object& o, const char* key) {
  if (!IsObject(o, key)) o[key] = Object::object();
  return o[key];
}

// ---------------------------------------------------------------------------
// Quantities (k8s.io/apimachinery/pkg/api/resource).

using printers::Quantity;

// The quantity of a resource list entry: a JSON string, or a bare number
// (Quantity.UnmarshalJSON accepts both).
StatusOr<Quantity> ParseQuantityValue(const Object& v) {
  if (v.is_string()) return Quantity::Parse(v.get<std::string>());
  if (v.is_number()) return Quantity::Parse(v.dump());
  return Status::BadRequest(
      "quantities must match the regular expression "
      "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
}

// pkg/apis/core/helper/qos ComputePodQOS (pod-level resources are alpha in
// 1.32 and off).
std::string ComputePodQos(const Object& pod) {
  std::map<std::string, Quantity> requests, limits;
  bool guaranteed = true;
  auto visit = [&](const Object& containers) {
    for (const auto& c : containers) {
      const Object* reqs = Find(c, "/resources/requests");
      if (reqs && reqs->is_object()) {
        for (auto it = reqs->begin(); it != reqs->end(); ++it) {
          if (it.key() != "cpu" && it.key() != "memory") continue;
          auto q = ParseQuantityValue(it.value());
          if (q.ok() && q->Sign() > 0) requests[it.key()].Add(*q);
        }
      }
      std::set<std::string> limits_found;
      const Object* lims = Find(c, "/resources/limits");
      if (lims && lims->is_object()) {
        for (auto it = lims->begin(); it != lims->end(); ++it) {
          if (it.key() != "cpu" && it.key() != "memory") continue;
          auto q = ParseQuantityValue(it.value());
          if (q.ok() && q->Sign() > 0) {
            limits_found.insert(it.key());
            limits[it.key()].Add(*q);
          }
        }
      }
      if (!limits_found.count("cpu") || !limits_found.count("memory")) guaranteed = false;
    }
  };
  // Both branches lvalues: with a temporary {} on one side the conditional
  // was a prvalue, a copy of the whole spec on every pod create.
  static const Object* const kNoSpec = new Object(Object::object());
  const Object& spec = pod.contains("spec") ? pod["spec"] : *kNoSpec;
  if (IsArray(spec, "containers")) visit(spec["containers"]);
  if (IsArray(spec, "initContainers")) visit(spec["initContainers"]);
  if (requests.empty() && limits.empty()) return "BestEffort";
  if (guaranteed) {
    for (const auto& [name, req] : requests) {
      auto it = limits.find(name);
      if (it == limits.end() || it->second.Cmp(req) != 0) {
        guaranteed = false;
        break;
      }
    }
  }
  if (guaranteed && requests.size() == limits.size()) return "Guaranteed";
  return "Burstable";
}

// ---------------------------------------------------------------------------
// Defaults.

// SetDefaults_Container's pull policy: Always for ":latest" or no tag (and no
// digest), IfNotPresent otherwise and for references that do not parse.
std::string DefaultPullPolicy(const std::string& image) {
  if (image.empty() || image.find_first_of(" \t\n") != std::string::npos) return "IfNotPresent";
  std::string ref = image;
  bool has_digest = false;
  if (auto at = ref.find('@'); at != std::string::npos) {
    has_digest = true;
    ref = ref.substr(0, at);
  }
  // The repository path (after an optional registry host) must be lower case.
  std::string path = ref;
  if (auto slash = ref.find('/'); slash != std::string::npos) {
    std::string first = ref.substr(0, slash);
    if (first.find_first_of(".:") != std::string::npos || first == "localhost" ||
        first.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos) {
      path = ref.substr(slash + 1);
    }
  }
  std::string tag;
  const auto last_slash = path.rfind('/');
  const auto colon = path.rfind(':');
  std::string name = path;
  if (colon != std::string::npos && (last_slash == std::string::npos || colon > last_slash)) {
    tag = path.substr(colon + 1);
    name = path.substr(0, colon);
  }
  if (name.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos) return "IfNotPresent";
  if (tag.empty() && !has_digest) tag = "latest";
  return tag == "latest" ? "Always" : "IfNotPresent";
}

void DefaultProbe(Object& probe);

void DefaultHandler(Object& handler) {
  if (IsObject(handler, "httpGet")) {
    Object& get = handler["httpGet"];
    if (Str(get, "path").empty()) get["path"] = "/";
    if (Str(get, "scheme").empty()) get["scheme"] = "HTTP";
  }
}

void DefaultProbe(Object& probe) {
  DefaultHandler(probe);
  if (IsObject(probe, "grpc") && !Has(probe["grpc"], "service")) probe["grpc"]["service"] = "";
  auto def = [&](const char* key, int64_t v) {
    if (!probe.contains(key) || !probe[key].is_number() || probe[key].get<int64_t>() == 0) {
      probe[key] = v;
    }
  };
  def("timeoutSeconds", 1);
  def("periodSeconds", 10);
  def("successThreshold", 1);
  def("failureThreshold", 3);
}

void DefaultFieldRef(Object& holder) {
  if (IsObject(holder, "fieldRef") && Str(holder["fieldRef"], "apiVersion").empty()) {
    holder["fieldRef"]["apiVersion"] = "v1";
  }
}

void DefaultContainer(Object& c, bool host_network, bool is_pod) {
  if (!c.is_object()) return;
  // SetDefaults_Container.
  if (Str(c, "imagePullPolicy").empty()) c["imagePullPolicy"] = DefaultPullPolicy(Str(c, "image"));
  if (Str(c, "terminationMessagePath").empty())
    c["terminationMessagePath"] = "/dev/termination-log";
  if (Str(c, "terminationMessagePolicy").empty()) c["terminationMessagePolicy"] = "File";
  // v1.Container.Resources is not a pointer: always served, "{}" when empty.
  Object& resources = EnsureObject(c, "resources");
  // SetDefaults_Pod: requests default to limits.
  if (is_pod && IsObject(resources, "limits")) {
    Object& requests = EnsureObject(resources, "requests");
    for (auto it = resources["limits"].begin(); it != resources["limits"].end(); ++it) {
      if (!requests.contains(it.key())) requests[it.key()] = it.value();
    }
  }
  if (IsArray(c, "ports")) {
    for (auto& p : c["ports"]) {
      if (!p.is_object()) continue;
      if (Str(p, "protocol").empty()) p["protocol"] = "TCP";  // SetDefaults_ContainerPort
      if (host_network && is_pod && (!p.contains("hostPort") || p["hostPort"] == 0) &&
          p.contains("containerPort")) {
        p["hostPort"] = p["containerPort"];  // defaultHostNetworkPorts
      }
    }
  }
  if (IsArray(c, "env")) {
    for (auto& e : c["env"]) {
      if (IsObject(e, "valueFrom")) DefaultFieldRef(e["valueFrom"]);
    }
  }
  for (const char* probe : {"livenessProbe", "readinessProbe", "startupProbe"}) {
    if (IsObject(c, probe)) DefaultProbe(c[probe]);
  }
  if (IsObject(c, "lifecycle")) {
    for (const char* h : {"postStart", "preStop"}) {
      if (IsObject(c["lifecycle"], h)) DefaultHandler(c["lifecycle"][h]);
    }
  }
}

void DefaultVolume(Object& v) {
  if (!v.is_object()) return;
  // SetDefaults_Volume: a volume with no source is an emptyDir.
  bool has_source = false;
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (it.key() != "name" && !it.value().is_null()) has_source = true;
  }
  if (!has_source) v["emptyDir"] = Object::object();
  for (const char* kind : {"secret", "configMap", "downwardAPI", "projected"}) {
    if (IsObject(v, kind) && !Has(v[kind], "defaultMode")) v[kind]["defaultMode"] = 420;
  }
  if (IsObject(v, "hostPath") && !Has(v["hostPath"], "type")) v["hostPath"]["type"] = "";
  if (IsObject(v, "downwardAPI") && IsArray(v["downwardAPI"], "items")) {
    for (auto& item : v["downwardAPI"]["items"]) DefaultFieldRef(item);
  }
  if (IsObject(v, "projected") && IsArray(v["projected"], "sources")) {
    for (auto& source : v["projected"]["sources"]) {
      if (IsObject(source, "serviceAccountToken") &&
          !Has(source["serviceAccountToken"], "expirationSeconds")) {
        source["serviceAccountToken"]["expirationSeconds"] = 3600;
      }
      if (IsObject(source, "downwardAPI") && IsArray(source["downwardAPI"], "items")) {
        for (auto& item : source["downwardAPI"]["items"]) DefaultFieldRef(item);
      }
    }
  }
}

// The v1 defaults of a Pod (SetDefaults_Pod, SetDefaults_PodSpec and the
// generated per-field defaults), applied on every decode.
void ApplyDefaults(Object& pod) {
  Object& spec = EnsureObject(pod, "spec");
  if (Str(spec, "dnsPolicy").empty()) spec["dnsPolicy"] = "ClusterFirst";
  if (Str(spec, "restartPolicy").empty()) spec["restartPolicy"] = "Always";
  if (!IsObject(spec, "securityContext")) spec["securityContext"] = Object::object();
  if (!Has(spec, "terminationGracePeriodSeconds")) spec["terminationGracePeriodSeconds"] = 30;
  if (Str(spec, "schedulerName").empty()) spec["schedulerName"] = "default-scheduler";
  if (!Has(spec, "enableServiceLinks")) spec["enableServiceLinks"] = true;
  const bool host_network =
      spec.contains("hostNetwork") && spec["hostNetwork"].is_boolean() && spec["hostNetwork"];
  for (const char* list : {"containers", "initContainers", "ephemeralContainers"}) {
    if (!IsArray(spec, list)) continue;
    const bool is_pod_container = std::string(list) != "ephemeralContainers";
    for (auto& c : spec[list]) DefaultContainer(c, host_network, is_pod_container);
  }
  if (IsArray(spec, "volumes")) {
    for (auto& v : spec["volumes"]) DefaultVolume(v);
  }
  // v1 conversion: the deprecated serviceAccount mirrors serviceAccountName.
  if (Str(spec, "serviceAccountName").empty() && !Str(spec, "serviceAccount").empty()) {
    spec["serviceAccountName"] = spec["serviceAccount"];
  }
  if (!Str(spec, "serviceAccountName").empty()) spec["serviceAccount"] = spec["serviceAccountName"];
}

// plugin/pkg/admission/defaulttolerationseconds: tolerate not-ready and
// unreachable nodes for 300s unless the pod already tolerates them.
void AddDefaultTolerations(Object& spec) {
  bool not_ready = false, unreachable = false;
  if (IsArray(spec, "tolerations")) {
    for (const auto& t : spec["tolerations"]) {
      const std::string key = Str(t, "key");
      const std::string effect = Str(t, "effect");
      const bool effect_ok = effect == "NoExecute" || effect.empty();
      if ((key == kTaintNodeNotReady || key.empty()) && effect_ok) not_ready = true;
      if ((key == kTaintNodeUnreachable || key.empty()) && effect_ok) unreachable = true;
    }
  }
  auto toleration = [](const char* key) {
    return Object{{"key", key},
                  {"operator", "Exists"},
                  {"effect", "NoExecute"},
                  {"tolerationSeconds", kDefaultTolerationSeconds}};
  };
  // Built once, copied per pod (a copy is a fraction of the initializer
  // lists' cost, on every pod create).
  static const Object* const kNotReady = new Object(toleration(kTaintNodeNotReady));
  static const Object* const kUnreachable = new Object(toleration(kTaintNodeUnreachable));
  if (!not_ready || !unreachable) {
    if (!IsArray(spec, "tolerations")) spec["tolerations"] = Object::array();
  }
  if (!not_ready) spec["tolerations"].push_back(*kNotReady);
  if (!unreachable) spec["tolerations"].push_back(*kUnreachable);
}

// ---------------------------------------------------------------------------
// Validation (pkg/apis/core/validation/validation.go).

void AddInvalidMessages(const std::vector<std::string>& msgs, const std::string& path,
                        const std::string& value, std::vector<FieldError>* errs) {
  for (const auto& m : msgs) errs->push_back({Type::kInvalid, path, value, m});
}

std::string SupportedValues(const std::vector<std::string>& values) {
  std::string s = "supported values: ";
  for (size_t i = 0; i < values.size(); ++i) s += (i ? ", \"" : "\"") + values[i] + "\"";
  return s;
}

void CheckEnum(const Object& holder, const char* key, const std::string& path,
               const std::vector<std::string>& valid, std::vector<FieldError>* errs) {
  const std::string v = Str(holder, key);
  if (v.empty()) {
    errs->push_back({Type::kRequired, path, nullptr, ""});
  } else if (std::find(valid.begin(), valid.end(), v) == valid.end()) {
    errs->push_back({Type::kNotSupported, path, v, SupportedValues(valid)});
  }
}

int64_t IntAt(const Object& o, const char* key) {
  return o.is_object() && o.contains(key) && o[key].is_number() ? o[key].get<int64_t>() : 0;
}

std::vector<std::string> IsValidPortName(const std::string& port) {
  std::vector<std::string> errs;
  if (port.size() > 15) errs.push_back("must be no more than 15 characters");
  bool charset_ok = !port.empty(), has_letter = false;
  for (char c : port) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) charset_ok = false;
    if (c >= 'a' && c <= 'z') has_letter = true;
  }
  if (!charset_ok)
    errs.push_back("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!has_letter) errs.push_back("must contain at least one letter (a-z)");
  if (port.find("--") != std::string::npos) errs.push_back("must not contain consecutive hyphens");
  if (!port.empty() && (port.front() == '-' || port.back() == '-')) {
    errs.push_back("must not begin or end with a hyphen");
  }
  return errs;
}

void ValidatePorts(const Object& c, const std::string& path, std::vector<FieldError>* errs) {
  if (!IsArray(c, "ports")) return;
  std::set<std::string> names;
  const Object& ports = c["ports"];
  for (size_t i = 0; i < ports.size(); ++i) {
    const Object& p = ports[i];
    const std::string idx = Idx(path, i);
    const std::string name = Str(p, "name");
    if (!name.empty()) {
      auto msgs = IsValidPortName(name);
      if (!msgs.empty()) {
        AddInvalidMessages(msgs, idx + ".name", name, errs);
      } else if (!names.insert(name).second) {
        errs->push_back({Type::kDuplicate, idx + ".name", name, ""});
      }
    }
    const int64_t container_port = IntAt(p, "containerPort");
    if (container_port == 0) {
      errs->push_back({Type::kRequired, idx + ".containerPort", nullptr, ""});
    } else if (container_port < 1 || container_port > 65535) {
      errs->push_back({Type::kInvalid, idx + ".containerPort", container_port,
                       "must be between 1 and 65535, inclusive"});
    }
    const int64_t host_port = IntAt(p, "hostPort");
    if (host_port != 0 && (host_port < 1 || host_port > 65535)) {
      errs->push_back(
          {Type::kInvalid, idx + ".hostPort", host_port, "must be between 1 and 65535, inclusive"});
    }
    CheckEnum(p, "protocol", idx + ".protocol", {"SCTP", "TCP", "UDP"}, errs);
  }
}

bool IsStandardResourceName(const std::string& name) {
  static const std::set<std::string> kStandard = {"cpu",
                                                  "memory",
                                                  "ephemeral-storage",
                                                  "requests.cpu",
                                                  "requests.memory",
                                                  "requests.ephemeral-storage",
                                                  "limits.cpu",
                                                  "limits.memory",
                                                  "limits.ephemeral-storage",
                                                  "pods",
                                                  "resourcequotas",
                                                  "services",
                                                  "replicationcontrollers",
                                                  "secrets",
                                                  "persistentvolumeclaims",
                                                  "configmaps",
                                                  "services.nodeports",
                                                  "services.loadbalancers"};
  return kStandard.count(name) || name.rfind("hugepages-", 0) == 0 ||
         name.rfind("requests.hugepages-", 0) == 0;
}

bool IsStandardContainerResourceName(const std::string& name) {
  return name == "cpu" || name == "memory" || name == "ephemeral-storage" ||
         name.rfind("hugepages-", 0) == 0;
}

// validateContainerResourceName + ValidateResourceQuantityValue for one entry
// of limits or requests. Returns false when the quantity does not parse
// (upstream fails to decode such a pod; kubesim reports the field).
bool ValidateResourceEntry(const std::string& name, const Object& value, const std::string& path,
                           Quantity* quantity, std::vector<FieldError>* errs) {
  auto qualified = IsQualifiedName(name);
  if (!qualified.empty()) {
    AddInvalidMessages(qualified, path, name, errs);
  } else if (name.find('/') == std::string::npos) {
    if (!IsStandardResourceName(name)) {
      errs->push_back(
          {Type::kInvalid, path, name, "must be a standard resource type or fully qualified"});
    }
    if (!IsStandardContainerResourceName(name)) {
      errs->push_back({Type::kInvalid, path, name, "must be a standard resource for containers"});
    }
  }
  auto parsed = ParseQuantityValue(value);
  if (!parsed.ok()) {
    errs->push_back({Type::kInvalid, path, value, parsed.status().message()});
    return false;
  }
  *quantity = *parsed;
  if (quantity->Sign() < 0) {
    errs->push_back(
        {Type::kInvalid, path, quantity->String(), "must be greater than or equal to 0"});
  }
  // Extended resources (outside *kubernetes.io/) take whole numbers.
  if (name.find('/') != std::string::npos && name.find("kubernetes.io/") == std::string::npos &&
      quantity->MilliValue() % 1000 != 0) {
    errs->push_back({Type::kInvalid, path, quantity->String(), "must be an integer"});
  }
  return true;
}

// Whether requests may differ from limits (helper.IsOvercommitAllowed):
// native resources except hugepages.
bool IsOvercommitAllowed(const std::string& name) {
  const bool native =
      name.find('/') == std::string::npos || name.find("kubernetes.io/") != std::string::npos;
  return native && name.rfind("hugepages-", 0) != 0;
}

void ValidateResources(const Object& c, const std::string& path, std::vector<FieldError>* errs) {
  const Object* resources = Find(c, "/resources");
  if (!resources || !resources->is_object()) return;
  std::map<std::string, Quantity> limits;
  if (IsObject(*resources, "limits")) {
    for (auto it = (*resources)["limits"].begin(); it != (*resources)["limits"].end(); ++it) {
      Quantity q;
      if (ValidateResourceEntry(it.key(), it.value(), path + ".limits[" + it.key() + "]", &q,
                                errs)) {
        limits[it.key()] = q;
      }
    }
  }
  if (IsObject(*resources, "requests")) {
    for (auto it = (*resources)["requests"].begin(); it != (*resources)["requests"].end(); ++it) {
      Quantity q;
      if (!ValidateResourceEntry(it.key(), it.value(), path + ".requests[" + it.key() + "]", &q,
                                 errs)) {
        continue;
      }
      auto lim = limits.find(it.key());
      if (lim != limits.end()) {
        if (q.Cmp(lim->second) != 0 && !IsOvercommitAllowed(it.key())) {
          errs->push_back({Type::kInvalid, path + ".requests", q.String(),
                           "must be equal to " + it.key() + " limit of " + lim->second.String()});
        } else if (q.Cmp(lim->second) > 0) {
          errs->push_back(
              {Type::kInvalid, path + ".requests", q.String(),
               "must be less than or equal to " + it.key() + " limit of " + lim->second.String()});
        }
      } else if (!IsOvercommitAllowed(it.key())) {
        errs->push_back({Type::kRequired, path + ".limits", nullptr,
                         "Limit must be set for non overcommitable resources"});
      }
    }
  }
}

// validateContainerCommon.
void ValidateContainerCommon(const Object& c, const std::string& path,
                             std::vector<FieldError>* errs) {
  const std::string name = Str(c, "name");
  if (name.empty()) {
    errs->push_back({Type::kRequired, path + ".name", nullptr, ""});
  } else {
    AddInvalidMessages(IsDns1123Label(name), path + ".name", name, errs);
  }
  if (Str(c, "image").empty()) errs->push_back({Type::kRequired, path + ".image", nullptr, ""});
  CheckEnum(c, "terminationMessagePolicy", path + ".terminationMessagePolicy",
            {"File", "FallbackToLogsOnError"}, errs);
  ValidatePorts(c, path + ".ports", errs);
  if (IsArray(c, "env")) {
    for (size_t i = 0; i < c["env"].size(); ++i) {
      if (Str(c["env"][i], "name").empty()) {
        errs->push_back({Type::kRequired, Idx(path + ".env", i) + ".name", nullptr, ""});
      }
    }
  }
  CheckEnum(c, "imagePullPolicy", path + ".imagePullPolicy", {"Always", "IfNotPresent", "Never"},
            errs);
  ValidateResources(c, path + ".resources", errs);
}

void ValidateTolerations(const Object& spec, std::vector<FieldError>* errs) {
  if (!IsArray(spec, "tolerations")) return;
  const Object& tolerations = spec["tolerations"];
  for (size_t i = 0; i < tolerations.size(); ++i) {
    const Object& t = tolerations[i];
    const std::string idx = Idx("spec.tolerations", i);
    const std::string key = Str(t, "key");
    const std::string op = Str(t, "operator");
    const std::string value = Str(t, "value");
    const std::string effect = Str(t, "effect");
    if (!key.empty()) AddInvalidMessages(IsQualifiedName(key), idx + ".key", key, errs);
    if (key.empty() && op != "Exists") {
      errs->push_back({Type::kInvalid, idx + ".operator", op,
                       "operator must be Exists when `key` is empty, which means \"match all "
                       "values and all keys\""});
    }
    if (Has(t, "tolerationSeconds") && effect != "NoExecute") {
      errs->push_back({Type::kInvalid, idx + ".effect", effect,
                       "effect must be 'NoExecute' when `tolerationSeconds` is set"});
    }
    if (op == "Equal" || op.empty()) {
      auto msgs = IsValidLabelValue(value);
      if (!msgs.empty()) {
        std::string joined;
        for (size_t j = 0; j < msgs.size(); ++j) joined += (j ? ";" : "") + msgs[j];
        errs->push_back({Type::kInvalid, idx + ".operator", value, joined});
      }
    } else if (op == "Exists") {
      if (!value.empty()) {
        errs->push_back({Type::kInvalid, idx + ".operator", value,
                         "value must be empty when `operator` is 'Exists'"});
      }
    } else {
      errs->push_back(
          {Type::kNotSupported, idx + ".operator", op, SupportedValues({"Equal", "Exists"})});
    }
    if (!effect.empty() && effect != "NoSchedule" && effect != "PreferNoSchedule" &&
        effect != "NoExecute") {
      errs->push_back({Type::kNotSupported, idx + ".effect", effect,
                       SupportedValues({"NoSchedule", "PreferNoSchedule", "NoExecute"})});
    }
  }
}

// validatePodMetadataAndSpec without the metadata (the server validates it),
// plus ValidatePodCreate's own checks when `create`.
std::vector<FieldError> ValidatePod(const Object& pod, bool create) {
  std::vector<FieldError> errs;
  static const Object kEmpty = Object::object();
  const Object& spec = IsObject(pod, "spec") ? pod["spec"] : kEmpty;
  if (!Has(spec, "terminationGracePeriodSeconds")) {
    errs.push_back({Type::kRequired, "spec.terminationGracePeriodSeconds", nullptr, ""});
  }
  // Containers.
  std::set<std::string> names;
  if (!IsArray(spec, "containers") || spec["containers"].empty()) {
    errs.push_back({Type::kRequired, "spec.containers", nullptr, ""});
  } else {
    const Object& containers = spec["containers"];
    for (size_t i = 0; i < containers.size(); ++i) {
      const std::string path = Idx("spec.containers", i);
      ValidateContainerCommon(containers[i], path, &errs);
      const std::string name = Str(containers[i], "name");
      if (!names.insert(name).second) errs.push_back({Type::kDuplicate, path + ".name", name, ""});
      if (Has(containers[i], "restartPolicy")) {
        errs.push_back({Type::kForbidden, path + ".restartPolicy", nullptr,
                        "may not be set for non-init containers"});
      }
    }
  }
  // Init containers: names unique across both lists.
  if (IsArray(spec, "initContainers")) {
    const Object& inits = spec["initContainers"];
    for (size_t i = 0; i < inits.size(); ++i) {
      const std::string path = Idx("spec.initContainers", i);
      ValidateContainerCommon(inits[i], path, &errs);
      const std::string name = Str(inits[i], "name");
      if (!names.insert(name).second) errs.push_back({Type::kDuplicate, path + ".name", name, ""});
      if (Has(inits[i], "restartPolicy") && Str(inits[i], "restartPolicy") != "Always") {
        errs.push_back({Type::kNotSupported, path + ".restartPolicy", inits[i]["restartPolicy"],
                        SupportedValues({"Always"})});
      }
    }
  }
  CheckEnum(spec, "restartPolicy", "spec.restartPolicy", {"Always", "OnFailure", "Never"}, &errs);
  CheckEnum(spec, "dnsPolicy", "spec.dnsPolicy",
            {"ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"}, &errs);
  // validateAffinity (where ValidatePodSpec runs it: after dnsPolicy, before
  // serviceAccountName): the pod (anti-)affinity terms' matchLabelKeys and
  // mismatchLabelKeys; the rest of the affinity is not validated here.
  ValidatePodAffinityLabelKeys(spec, &errs);
  const std::string sa = Str(spec, "serviceAccountName");
  if (!sa.empty()) AddInvalidMessages(IsDns1123Subdomain(sa), "spec.serviceAccountName", sa, &errs);
  const std::string node = Str(spec, "nodeName");
  if (!node.empty()) AddInvalidMessages(IsDns1123Subdomain(node), "spec.nodeName", node, &errs);
  if (Has(spec, "activeDeadlineSeconds")) {
    const int64_t v = IntAt(spec, "activeDeadlineSeconds");
    if (v < 1 || v > 2147483647) {
      errs.push_back({Type::kInvalid, "spec.activeDeadlineSeconds", v,
                      "must be between 1 and 2147483647, inclusive"});
    }
  }
  for (const char* key : {"hostname", "subdomain"}) {
    const std::string v = Str(spec, key);
    if (!v.empty()) AddInvalidMessages(IsDns1123Label(v), std::string("spec.") + key, v, &errs);
  }
  ValidateTolerations(spec, &errs);
  const std::string pc = Str(spec, "priorityClassName");
  if (!pc.empty()) AddInvalidMessages(IsDns1123Subdomain(pc), "spec.priorityClassName", pc, &errs);
  if (Has(spec, "preemptionPolicy")) {
    CheckEnum(spec, "preemptionPolicy", "spec.preemptionPolicy", {"PreemptLowerPriority", "Never"},
              &errs);
  }
  // validateContainersOnlyForPod.
  for (const char* list : {"containers", "initContainers"}) {
    if (!IsArray(spec, list)) continue;
    for (size_t i = 0; i < spec[list].size(); ++i) {
      const std::string image = Str(spec[list][i], "image");
      const auto first = image.find_first_not_of(" \t\n\r\v\f");
      const auto last = image.find_last_not_of(" \t\n\r\v\f");
      if (!image.empty() && (first != 0 || last != image.size() - 1)) {
        errs.push_back({Type::kInvalid, Idx(std::string("spec.") + list, i) + ".image", image,
                        "must not have leading or trailing whitespace"});
      }
    }
  }
  if (!create) return errs;
  if (IsArray(spec, "ephemeralContainers") && !spec["ephemeralContainers"].empty()) {
    errs.push_back(
        {Type::kForbidden, "spec.ephemeralContainers", nullptr, "cannot be set on create"});
  }
  if (!node.empty() && IsArray(spec, "schedulingGates") && !spec["schedulingGates"].empty()) {
    errs.push_back({Type::kForbidden, "spec.nodeName", nullptr,
                    "cannot be set until all schedulingGates have been cleared"});
  }
  return errs;
}

// Drops what Go's semantic equality ignores: nulls and empty lists/maps
// are the same as absent fields.
Object Normalize(const Object& v) {
  if (v.is_object()) {
    Object out = Object::object();
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (it.value().is_null()) continue;
      if (it.value().is_array() && it.value().empty()) continue;
      out[it.key()] = Normalize(it.value());
    }
    return out;
  }
  if (v.is_array()) {
    Object out = Object::array();
    for (const auto& e : v) out.push_back(Normalize(e));
    return out;
  }
  return v;
}

// A short rendering of what changed, in the spirit of the cmp.Diff upstream
// appends (which kubesim cannot reproduce byte for byte).
std::string SpecDiff(const Object& old_spec, const Object& new_spec) {
  std::set<std::string> keys;
  for (auto it = old_spec.begin(); it != old_spec.end(); ++it) keys.insert(it.key());
  for (auto it = new_spec.begin(); it != new_spec.end(); ++it) keys.insert(it.key());
  std::string out = "  core.PodSpec{\n";
  for (const auto& k : keys) {
    const bool in_old = old_spec.contains(k), in_new = new_spec.contains(k);
    if (in_old && in_new && old_spec[k] == new_spec[k]) continue;
    if (in_old) out += "- \t" + k + ": " + old_spec[k].dump() + ",\n";
    if (in_new) out += "+ \t" + k + ": " + new_spec[k].dump() + ",\n";
  }
  out += "  }\n";
  return out;
}

constexpr char kPodUpdateForbidden[] =
    "pod updates may not change fields other than `spec.containers[*].image`,"
    "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only "
    "additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set "
    "to 1 if it was previously negative)";

// ValidatePodUpdate after validatePodMetadataAndSpec.
void ValidatePodSpecUpdate(const Object& pod, const Object& old_pod,
                           std::vector<FieldError>* errs) {
  static const Object kEmpty = Object::object();
  const Object& spec = IsObject(pod, "spec") ? pod["spec"] : kEmpty;
  const Object& old_spec = IsObject(old_pod, "spec") ? old_pod["spec"] : kEmpty;
  // ValidateContainerUpdates.
  for (const char* list : {"containers", "initContainers"}) {
    const Object empty = Object::array();
    const Object& cs = IsArray(spec, list) ? spec[list] : empty;
    const Object& old_cs = IsArray(old_spec, list) ? old_spec[list] : empty;
    const std::string path = std::string("spec.") + list;
    if (cs.size() != old_cs.size()) {
      errs->push_back(
          {Type::kForbidden, path, nullptr, "pod updates may not add or remove containers"});
      return;
    }
    for (size_t i = 0; i < cs.size(); ++i) {
      if (Str(cs[i], "image").empty()) {
        errs->push_back({Type::kRequired, Idx(path, i) + ".image", nullptr, ""});
      }
    }
  }
  // activeDeadlineSeconds: from nil to positive, or down to a lesser value.
  if (Has(spec, "activeDeadlineSeconds")) {
    const int64_t v = IntAt(spec, "activeDeadlineSeconds");
    if (v < 0 || v > 2147483647) {
      errs->push_back({Type::kInvalid, "spec.activeDeadlineSeconds", v,
                       "must be between 0 and 2147483647, inclusive"});
      return;
    }
    if (Has(old_spec, "activeDeadlineSeconds") && IntAt(old_spec, "activeDeadlineSeconds") < v) {
      errs->push_back({Type::kInvalid, "spec.activeDeadlineSeconds", v,
                       "must be less than or equal to previous value"});
      return;
    }
  } else if (Has(old_spec, "activeDeadlineSeconds")) {
    errs->push_back({Type::kInvalid, "spec.activeDeadlineSeconds", nullptr,
                     "must not update from a positive integer to nil value"});
  }
  // validateOnlyAddedTolerations: every old toleration must still be there
  // (its tolerationSeconds may change).
  if (IsArray(old_spec, "tolerations")) {
    for (const auto& old_t : old_spec["tolerations"]) {
      bool found = false;
      if (IsArray(spec, "tolerations")) {
        for (const auto& t : spec["tolerations"]) {
          Object a = Normalize(old_t), b = Normalize(t);
          a.erase("tolerationSeconds");
          b.erase("tolerationSeconds");
          if (a == b) found = true;
        }
      }
      if (!found) {
        errs->push_back({Type::kForbidden, "spec.tolerations", nullptr,
                         "existing toleration can not be modified except its tolerationSeconds"});
        break;
      }
    }
  }
  // validateOnlyDeletedSchedulingGates.
  if (IsArray(spec, "schedulingGates")) {
    std::set<std::string> old_gates;
    if (IsArray(old_spec, "schedulingGates")) {
      for (const auto& g : old_spec["schedulingGates"]) old_gates.insert(Str(g, "name"));
    }
    const Object& gates = spec["schedulingGates"];
    for (size_t i = 0; i < gates.size(); ++i) {
      const std::string name = Str(gates[i], "name");
      if (!old_gates.count(name)) {
        errs->push_back({Type::kForbidden, Idx("spec.schedulingGates", i) + ".name", nullptr,
                         "only deletion is allowed, but found new scheduling gate '" + name + "'"});
      }
    }
  }
  // Everything else must be unchanged.
  Object munged = Normalize(spec);
  const Object old_norm = Normalize(old_spec);
  for (const char* list : {"containers", "initContainers"}) {
    if (!munged.contains(list)) continue;
    for (size_t i = 0; i < munged[list].size(); ++i) {
      const Object* old_image = old_norm.contains(list) && i < old_norm[list].size() &&
                                        old_norm[list][i].contains("image")
                                    ? &old_norm[list][i]["image"]
                                    : nullptr;
      if (old_image) {
        munged[list][i]["image"] = *old_image;
      } else {
        munged[list][i].erase("image");
      }
    }
  }
  for (const char* key : {"activeDeadlineSeconds", "schedulingGates", "tolerations"}) {
    if (old_norm.contains(key)) {
      munged[key] = old_norm[key];
    } else {
      munged.erase(key);
    }
  }
  if (old_norm.contains("terminationGracePeriodSeconds") &&
      IntAt(old_norm, "terminationGracePeriodSeconds") < 0 &&
      IntAt(munged, "terminationGracePeriodSeconds") == 1) {
    munged["terminationGracePeriodSeconds"] = old_norm["terminationGracePeriodSeconds"];
  }
  if (munged != old_norm) {
    errs->push_back({Type::kForbidden, "spec", nullptr,
                     std::string(kPodUpdateForbidden) + "\n" + SpecDiff(old_norm, munged)});
  }
}

// ValidatePodStatusUpdate's checks that can fire through either endpoint.
void ValidateStatusUpdate(const Object& pod, const Object& old_pod, std::vector<FieldError>* errs) {
  const std::string old_qos = GetString(old_pod, "/status/qosClass");
  const std::string qos = GetString(pod, "/status/qosClass");
  if (qos != old_qos) {
    errs->push_back({Type::kInvalid, "status.qosClass", qos, "field is immutable"});
  }
  // ValidateContainerStateTransition: without restartPolicy Always, a
  // terminated container stays terminated.
  const std::string policy = GetString(old_pod, "/spec/restartPolicy");
  if (policy == "Always") return;
  const Object* old_statuses = Find(old_pod, "/status/containerStatuses");
  const Object* statuses = Find(pod, "/status/containerStatuses");
  if (!old_statuses || !old_statuses->is_array() || !statuses || !statuses->is_array()) return;
  for (size_t i = 0; i < old_statuses->size(); ++i) {
    const Object& old_s = (*old_statuses)[i];
    const Object* term = Find(old_s, "/state/terminated");
    if (!term) continue;
    if (IntAt(*term, "exitCode") != 0 && policy == "OnFailure") continue;
    for (const auto& s : *statuses) {
      if (Str(s, "name") == Str(old_s, "name") && !Find(s, "/state/terminated")) {
        errs->push_back({Type::kForbidden, Idx("status.containerStatuses", i) + ".state", nullptr,
                         "may not be transitioned to non-terminated state"});
      }
    }
  }
}

// ---------------------------------------------------------------------------
// printPod.

bool ConditionTrue(const Object& pod, const char* type) {
  const Object* conditions = Find(pod, "/status/conditions");
  if (!conditions || !conditions->is_array()) return false;
  for (const auto& c : *conditions) {
    if (Str(c, "type") == type) return Str(c, "status") == "True";
  }
  return false;
}

bool HasPodReadyCondition(const Object& pod) {
  const Object* conditions = Find(pod, "/status/conditions");
  if (!conditions || !conditions->is_array()) return false;
  for (const auto& c : *conditions) {
    if (Str(c, "type") == "Ready" && Str(c, "status") == "True") return true;
  }
  return false;
}

bool IsRestartableInit(const Object* c) { return c && Str(*c, "restartPolicy") == "Always"; }

std::string TerminatedReason(const Object& terminated, const std::string& prefix) {
  const std::string reason = Str(terminated, "reason");
  if (!reason.empty()) return prefix + reason;
  const int64_t signal = IntAt(terminated, "signal");
  if (signal != 0) return prefix + "Signal:" + std::to_string(signal);
  return prefix + "ExitCode:" + std::to_string(IntAt(terminated, "exitCode"));
}

// The first pod IP (status.podIPs[0], else the legacy status.podIP).
std::string PodIP(const Object& pod) {
  const Object* ips = Find(pod, "/status/podIPs");
  if (ips && ips->is_array() && !ips->empty()) return Str((*ips)[0], "ip");
  return GetString(pod, "/status/podIP");
}

class PodStrategy final : public ResourceStrategy {
 public:
  PodStrategy() {
    info_.gvr = {"", "v1", "pods"};
    info_.kind = "Pod";
    info_.singular = "pod";
    info_.namespaced = true;
    info_.short_names = {"po"};
    info_.categories = {"all"};
    info_.verbs = AllVerbs();
    // kube-apiserver also serves attach, exec, portforward, proxy and
    // ephemeralcontainers; kubesim serves these (docs/api-semantics.md).
    info_.subresources = {"binding", "eviction", "log", "status"};
    info_.storage_prefix = "/registry/pods";
  }

  const ResourceInfo& info() const override { return info_; }

  void PrepareForCreate(Object& obj) const override {
    ApplyDefaults(obj);
    Object& spec = obj["spec"];
    // ServiceAccount admission (mirror pods are left alone).
    const Object* annotations = Find(obj, "/metadata/annotations");
    const bool mirror =
        annotations && annotations->is_object() && annotations->contains(kMirrorPodAnnotation);
    if (!mirror && Str(spec, "serviceAccountName").empty()) {
      spec["serviceAccountName"] = "default";
      spec["serviceAccount"] = "default";
    }
    // Priority admission (spec.priority, spec.preemptionPolicy) runs before
    // this, in the API server's admission chain (src/api/admission/).
    AddDefaultTolerations(spec);
    // podStrategy.PrepareForCreate: a fresh status.
    obj["status"] = Object{{"phase", "Pending"}, {"qosClass", ComputePodQos(obj)}};
    // mutatePodAffinity (upstream runs it right after
    // applySchedulingGatedCondition; the two touch different fields).
    MutatePodAffinity(obj);
    // applySchedulingGatedCondition.
    if (IsArray(spec, "schedulingGates") && !spec["schedulingGates"].empty()) {
      obj["status"]["conditions"] = Object::array(
          {Object{{"type", "PodScheduled"},
                  {"status", "False"},
                  {"reason", "SchedulingGated"},
                  {"message", "Scheduling is blocked due to non-empty scheduling gates"},
                  {"lastProbeTime", nullptr},
                  {"lastTransitionTime", nullptr}}});
    }
  }

  void PrepareForUpdate(Object& obj, const Object& old_obj,
                        const std::string& subresource) const override {
    if (subresource == "status") {
      // podStatusStrategy: the spec and metadata stay, except labels and
      // annotations; the QoS class is backfilled.
      const std::string rv = GetString(obj, "/metadata/resourceVersion");
      Object meta = IsObject(old_obj, "metadata") ? old_obj["metadata"] : Object::object();
      for (const char* key : {"labels", "annotations"}) {
        const Object* v = Find(obj, (std::string("/metadata/") + key).c_str());
        if (v) {
          meta[key] = *v;
        } else {
          meta.erase(key);
        }
      }
      if (!rv.empty()) meta["resourceVersion"] = rv;
      obj["metadata"] = meta;
      if (old_obj.contains("spec")) {
        obj["spec"] = old_obj["spec"];
      } else {
        obj.erase("spec");
      }
      if (!IsObject(obj, "status")) obj["status"] = Object::object();
      if (Str(obj["status"], "qosClass").empty()) {
        const std::string old_qos = GetString(old_obj, "/status/qosClass");
        if (!old_qos.empty()) obj["status"]["qosClass"] = old_qos;
      }
      return;
    }
    if (!subresource.empty()) return;  // e.g. binding: the server's own write
    ApplyDefaults(obj);
    Object& spec = obj["spec"];
    // Keep what Priority admission computed at create (the plugin restores
    // priority; preemptionPolicy has no v1 default, so keep it here too).
    for (const char* key : {"priority", "preemptionPolicy"}) {
      const Object* old_v = Find(old_obj, (std::string("/spec/") + key).c_str());
      if (!Has(spec, key) && old_v) spec[key] = *old_v;
    }
    AddDefaultTolerations(spec);  // DefaultTolerationSeconds admits updates too
    // podStrategy.PrepareForUpdate: the status stays.
    if (old_obj.contains("status")) {
      obj["status"] = old_obj["status"];
    } else {
      obj.erase("status");
    }
  }

  std::vector<FieldError> Validate(const Object& obj) const override {
    return ValidatePod(obj, /*create=*/true);
  }

  std::vector<FieldError> ValidateUpdate(const Object& obj, const Object& old_obj) const override {
    std::vector<FieldError> errs = ValidatePod(obj, /*create=*/false);
    ValidatePodSpecUpdate(obj, old_obj, &errs);
    ValidateStatusUpdate(obj, old_obj, &errs);
    return errs;
  }

  Object TableColumns() const override {
    return Object::array({
        Column("Name", "string", "name", kNameDescription),
        Column("Ready", "string", "",
               "The aggregate readiness state of this pod for accepting traffic."),
        Column("Status", "string", "", "The aggregate status of the containers in this pod."),
        Column("Restarts", "string", "",
               "The number of times the containers in this pod have been restarted and when the "
               "last container in this pod has restarted."),
        Column("Age", "string", "", kCreationTimestampDescription),
        Column("IP", "string", "",
               "podIP address allocated to the pod. Routable at least within the cluster. Empty "
               "if not yet allocated.",
               1),
        Column("Node", "string", "",
               "NodeName indicates in which node this pod is scheduled. If empty, this pod is a "
               "candidate for scheduling by the scheduler defined in schedulerName. Once this "
               "field is set, the kubelet for this node becomes responsible for the lifecycle of "
               "this pod. This field should not be used to express a desire for the pod to be "
               "scheduled on a specific node. "
               "https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename",
               1),
        Column("Nominated Node", "string", "",
               "nominatedNodeName is set only when this pod preempts other pods on the node, but "
               "it cannot be scheduled right away as preemption victims receive their graceful "
               "termination periods. This field does not guarantee that the pod will be "
               "scheduled on this node. Scheduler may decide to place the pod elsewhere if other "
               "nodes become available sooner. Scheduler may also decide to give the resources "
               "on this node to a higher priority pod that is created after preemption. As a "
               "result, this field may be different than PodSpec.nodeName when the pod is "
               "scheduled.",
               1),
        Column("Readiness Gates", "string", "",
               "If specified, all readiness gates will be evaluated for pod readiness. A pod is "
               "ready when all its containers are ready AND all conditions specified in the "
               "readiness gates have status equal to \"True\" More info: "
               "https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates",
               1),
    });
  }

  // printPod with Wide (kube-apiserver always generates the wide cells).
  Object TableCells(const Object& pod, Time now) const override {
    static const Object kEmptyArray = Object::array();
    static const Object kEmpty = Object::object();
    const Object& spec = IsObject(pod, "spec") ? pod["spec"] : kEmpty;
    const Object& status = IsObject(pod, "status") ? pod["status"] : kEmpty;
    const Object& containers = IsArray(spec, "containers") ? spec["containers"] : kEmptyArray;
    const Object& init_containers =
        IsArray(spec, "initContainers") ? spec["initContainers"] : kEmptyArray;
    const Object& init_statuses =
        IsArray(status, "initContainerStatuses") ? status["initContainerStatuses"] : kEmptyArray;
    const Object& statuses =
        IsArray(status, "containerStatuses") ? status["containerStatuses"] : kEmptyArray;

    int64_t restarts = 0, restartable_init_restarts = 0;
    size_t total = containers.size();
    int ready = 0;
    Time last_restart{}, last_restartable_init_restart{};
    bool has_last_restart = false, has_last_restartable = false;

    const std::string phase = Str(status, "phase");
    std::string reason = phase;
    if (!Str(status, "reason").empty()) reason = Str(status, "reason");
    if (IsArray(status, "conditions")) {
      for (const auto& c : status["conditions"]) {
        if (Str(c, "type") == "PodScheduled" && Str(c, "reason") == "SchedulingGated") {
          reason = "SchedulingGated";
        }
      }
    }

    std::map<std::string, const Object*> inits;
    for (const auto& c : init_containers) {
      inits[Str(c, "name")] = &c;
      if (IsRestartableInit(&c)) ++total;
    }

    auto note_restart = [](const Object& cs, Time* date, bool* has) {
      Time t;
      if (Find(cs, "/lastState/terminated") &&
          ParseTimeAt(cs, "/lastState/terminated/finishedAt", &t) && (!*has || *date < t)) {
        *date = t;
        *has = true;
      }
    };

    bool initializing = false;
    for (size_t i = 0; i < init_statuses.size(); ++i) {
      const Object& cs = init_statuses[i];
      restarts += IntAt(cs, "restartCount");
      note_restart(cs, &last_restart, &has_last_restart);
      auto it = inits.find(Str(cs, "name"));
      const Object* container = it == inits.end() ? nullptr : it->second;
      if (IsRestartableInit(container)) {
        restartable_init_restarts += IntAt(cs, "restartCount");
        note_restart(cs, &last_restartable_init_restart, &has_last_restartable);
      }
      const Object* terminated = Find(cs, "/state/terminated");
      const Object* waiting = Find(cs, "/state/waiting");
      const Object* started = Find(cs, "/started");
      if (terminated && IntAt(*terminated, "exitCode") == 0) continue;
      if (IsRestartableInit(container) && started && started->is_boolean() &&
          started->get<bool>()) {
        const Object* r = Find(cs, "/ready");
        if (r && r->is_boolean() && r->get<bool>()) ++ready;
        continue;
      }
      if (terminated) {
        reason = TerminatedReason(*terminated, "Init:");
      } else if (waiting && !Str(*waiting, "reason").empty() &&
                 Str(*waiting, "reason") != "PodInitializing") {
        reason = "Init:" + Str(*waiting, "reason");
      } else {
        reason = "Init:" + std::to_string(i) + "/" + std::to_string(init_containers.size());
      }
      initializing = true;
      break;
    }

    if (!initializing || ConditionTrue(pod, "Initialized")) {
      restarts = restartable_init_restarts;
      last_restart = last_restartable_init_restart;
      has_last_restart = has_last_restartable;
      bool has_running = false;
      for (size_t k = statuses.size(); k-- > 0;) {
        const Object& cs = statuses[k];
        restarts += IntAt(cs, "restartCount");
        note_restart(cs, &last_restart, &has_last_restart);
        const Object* terminated = Find(cs, "/state/terminated");
        const Object* waiting = Find(cs, "/state/waiting");
        const Object* running = Find(cs, "/state/running");
        const Object* r = Find(cs, "/ready");
        const bool is_ready = r && r->is_boolean() && r->get<bool>();
        if (waiting && !Str(*waiting, "reason").empty()) {
          reason = Str(*waiting, "reason");
        } else if (terminated) {
          reason = TerminatedReason(*terminated, "");
        } else if (is_ready && running) {
          has_running = true;
          ++ready;
        }
      }
      if (reason == "Completed" && has_running) {
        reason = HasPodReadyCondition(pod) ? "Running" : "NotReady";
      }
    }

    const Object* deletion = Find(pod, "/metadata/deletionTimestamp");
    const bool deleting = deletion && !deletion->is_null();
    if (deleting && Str(status, "reason") == kNodeUnreachablePodReason) {
      reason = "Unknown";
    } else if (deleting && phase != "Failed" && phase != "Succeeded") {
      reason = "Terminating";
    }

    std::string restarts_str = std::to_string(restarts);
    if (restarts != 0 && has_last_restart) {
      restarts_str += " (" + TranslateTimeSince(last_restart, now) + " ago)";
    }

    std::string ip = PodIP(pod);
    if (ip.empty()) ip = "<none>";
    std::string node = Str(spec, "nodeName");
    if (node.empty()) node = "<none>";
    std::string nominated = Str(status, "nominatedNodeName");
    if (nominated.empty()) nominated = "<none>";
    std::string gates = "<none>";
    if (IsArray(spec, "readinessGates") && !spec["readinessGates"].empty()) {
      int true_conditions = 0;
      for (const auto& g : spec["readinessGates"]) {
        const std::string type = Str(g, "conditionType");
        if (!IsArray(status, "conditions")) continue;
        for (const auto& c : status["conditions"]) {
          if (Str(c, "type") == type) {
            if (Str(c, "status") == "True") ++true_conditions;
            break;
          }
        }
      }
      gates = std::to_string(true_conditions) + "/" + std::to_string(spec["readinessGates"].size());
    }
    return Object::array({Name(pod), std::to_string(ready) + "/" + std::to_string(total), reason,
                          restarts_str,
                          TranslateTimestampSince(pod, "/metadata/creationTimestamp", now), ip,
                          node, nominated, gates});
  }

  // ToSelectableFields + the v1 field label conversions.
  bool FieldValue(const Object& obj, const std::string& field, std::string* out) const override {
    if (field == "spec.nodeName" || field == "spec.host") {
      *out = GetString(obj, "/spec/nodeName");
    } else if (field == "spec.restartPolicy") {
      *out = GetString(obj, "/spec/restartPolicy");
    } else if (field == "spec.schedulerName") {
      *out = GetString(obj, "/spec/schedulerName");
    } else if (field == "spec.serviceAccountName") {
      *out = GetString(obj, "/spec/serviceAccountName");
    } else if (field == "spec.hostNetwork") {
      const Object* v = Find(obj, "/spec/hostNetwork");
      *out = v && v->is_boolean() && v->get<bool>() ? "true" : "false";
    } else if (field == "status.phase") {
      *out = GetString(obj, "/status/phase");
    } else if (field == "status.podIP") {
      *out = PodIP(obj);
    } else if (field == "status.podIPs") {
      *out = "";  // accepted by the conversion, absent from the field set
    } else if (field == "status.nominatedNodeName") {
      *out = GetString(obj, "/status/nominatedNodeName");
    } else {
      return ResourceStrategy::FieldValue(obj, field, out);
    }
    return true;
  }

 private:
  ResourceInfo info_;
};

}  // namespace

void DefaultTemplateContainer(Object& container) {
  DefaultContainer(container, /*host_network=*/false, /*is_pod=*/false);
}

std::unique_ptr<ResourceStrategy> NewPodStrategy() { return std::make_unique<PodStrategy>(); }

}  // namespace kubesim::api::strategies
