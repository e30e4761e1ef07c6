#include "assertions.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"

namespace kubesim::scenario {
namespace {

using api::Object;

std::string ApiError(const api::Response& r) {
  if (r.code == 0) return "the API server is unreachable";
  std::string msg = r.body.is_object() ? r.body.value("message", "") : "";
  return "HTTP " + std::to_string(r.code) + (msg.empty() ? "" : ": " + msg);
}

// A server-side Table, as `kubectl get` asks for it.
StatusOr<Object> GetTable(Probe& p, const api::GroupVersionResource& gvr, const std::string& ns,
                          const std::string& name, const std::string& selector) {
  api::Request req;
  req.verb = name.empty() ? api::Verb::kList : api::Verb::kGet;
  req.gvr = gvr;
  req.namespace_ = ns;
  req.name = name;
  req.label_selector = selector;
  req.accept = api::kAcceptTable;
  api::Response r = p.client().Do(std::move(req));
  if (!r.ok()) return Status::Unavailable(ApiError(r));
  return r.body;
}

int Column(const Object& table, const std::string& name) {
  const Object& cols = table["columnDefinitions"];
  for (size_t i = 0; i < cols.size(); ++i) {
    if (cols[i].value("name", "") == name) return static_cast<int>(i);
  }
  return -1;
}

std::string Cell(const Object& row, int col) {
  if (col < 0 || !row.contains("cells") || col >= static_cast<int>(row["cells"].size())) {
    return "";
  }
  const Object& c = row["cells"][col];
  return c.is_string() ? c.get<std::string>() : c.dump();
}

bool Deleting(const Object& row) {
  const Object* d = api::Find(row, "/object/metadata/deletionTimestamp");
  return d && !d->is_null();
}

std::string JoinMap(const std::map<std::string, int64_t>& m) {
  std::string s = "{";
  for (const auto& [k, v] : m) {
    if (v == 0) continue;
    s += (s.size() > 1 ? ", " : "") + k + ": " + std::to_string(v);
  }
  return s + "}";
}

std::string Join(const std::vector<std::string>& v) {
  std::string s = "[";
  for (const auto& x : v) s += (s.size() > 1 ? ", " : "") + x;
  return s + "]";
}

// kubectl's resource words for the workloads placement understands.
bool WorkloadGvr(const std::string& kind, api::GroupVersionResource* gvr) {
  if (kind == "deployment" || kind == "deployments" || kind == "deploy") {
    *gvr = api::kDeployments;
  } else if (kind == "replicaset" || kind == "replicasets" || kind == "rs") {
    *gvr = api::kReplicaSets;
  } else if (kind == "statefulset" || kind == "statefulsets" || kind == "sts") {
    *gvr = {"apps", "v1", "statefulsets"};
  } else if (kind == "daemonset" || kind == "daemonsets" || kind == "ds") {
    *gvr = {"apps", "v1", "daemonsets"};
  } else if (kind == "job" || kind == "jobs") {
    *gvr = {"batch", "v1", "jobs"};
  } else {
    return false;
  }
  return true;
}

// metav1.LabelSelector -> the string form (labels.Selector.String()).
std::string SelectorString(const Object& sel) {
  std::vector<std::string> parts;
  if (sel.contains("matchLabels") && sel["matchLabels"].is_object()) {
    for (const auto& [k, v] : sel["matchLabels"].items()) {
      parts.push_back(k + "=" + v.get<std::string>());
    }
  }
  if (sel.contains("matchExpressions") && sel["matchExpressions"].is_array()) {
    for (const auto& e : sel["matchExpressions"]) {
      std::string key = e.value("key", ""), op = e.value("operator", "");
      std::string values;
      if (e.contains("values")) {
        for (const auto& v : e["values"]) {
          values += (values.empty() ? "" : ",") + v.get<std::string>();
        }
      }
      if (op == "In") parts.push_back(key + " in (" + values + ")");
      if (op == "NotIn") parts.push_back(key + " notin (" + values + ")");
      if (op == "Exists") parts.push_back(key);
      if (op == "DoesNotExist") parts.push_back("!" + key);
    }
  }
  std::sort(parts.begin(), parts.end());
  std::string s;
  for (const auto& p : parts) s += (s.empty() ? "" : ",") + p;
  return s;
}

Verdict Placement(Probe& p, const Assertion& a) {
  Verdict v;
  v.description = "placement of " + a.target;
  v.expected = JoinMap(a.placement);
  const std::string kind = a.target.substr(0, a.target.find('/'));
  const std::string name = a.target.substr(a.target.find('/') + 1);
  const std::string ns_flag = " -n " + a.namespace_;
  std::string selector;
  std::string pod_name;
  if (kind == "pod" || kind == "pods" || kind == "po") {
    pod_name = name;
    v.context_command = "get pod " + name + " -o wide" + ns_flag;
  } else {
    api::GroupVersionResource gvr;
    if (!WorkloadGvr(kind, &gvr)) {
      v.found =
          "error: placement understands pod, deployment, replicaset, statefulset, "
          "daemonset and job targets, not \"" +
          kind + "\"";
      return v;
    }
    auto obj = p.client().Get(gvr, a.namespace_, name);
    if (!obj.ok()) {
      v.found = "error: " + obj.status().message();
      v.context_command = "get " + kind + " " + name + ns_flag;
      return v;
    }
    const Object* sel = api::Find(*obj, "/spec/selector");
    selector = sel ? SelectorString(*sel) : "";
    if (selector.empty()) {
      v.found = "error: " + a.target + " has no selector";
      return v;
    }
    v.context_command = "get pods -o wide -l '" + selector + "'" + ns_flag;
  }
  auto table = GetTable(p, api::kPods, a.namespace_, pod_name, selector);
  if (!table.ok()) {
    v.found = "error: " + table.status().message();
    return v;
  }
  // A pod being deleted (Terminating) is no longer one of the workload's
  // replicas; it counts only for a single pod target.
  // With `by`, a node counts as the value of its label (its zone, ...).
  std::map<std::string, std::string> group;
  if (!a.by.empty()) {
    auto nodes = p.client().List(api::kNodes, "");
    if (!nodes.ok()) {
      v.found = "error: " + nodes.status().message();
      return v;
    }
    for (const auto& n : (*nodes)["items"]) {
      auto labels = api::Labels(n);
      auto it = labels.find(a.by);
      group[api::Name(n)] = it == labels.end() ? "<none>" : it->second;
    }
    v.description += " by " + a.by;
  }
  const int node_col = Column(*table, "Node");
  std::map<std::string, int64_t> found;
  for (const auto& row : (*table)["rows"]) {
    if (pod_name.empty() && Deleting(row)) continue;
    std::string node = Cell(row, node_col);
    if (!a.by.empty() && node != "<none>") {
      auto it = group.find(node);
      node = it == group.end() ? "<none>" : it->second;
    }
    found[node]++;
  }
  v.found = JoinMap(found);
  v.placement = Object::object();
  for (const auto& [k, c] : found) v.placement[k] = c;
  std::set<std::string> nodes;
  for (const auto& [k, c] : found) nodes.insert(k);
  for (const auto& [k, c] : a.placement) nodes.insert(k);
  v.passed = true;
  for (const auto& n : nodes) {
    auto e = a.placement.find(n);
    auto f = found.find(n);
    if ((e == a.placement.end() ? 0 : e->second) != (f == found.end() ? 0 : f->second)) {
      v.passed = false;
    }
  }
  return v;
}

Verdict Pods(Probe& p, const Assertion& a) {
  Verdict v;
  v.description = "pods" + (a.status.empty() ? "" : " with STATUS " + a.status) +
                  (a.selector.empty() ? "" : " matching " + a.selector) + " in " + a.namespace_;
  v.expected = std::to_string(a.count);
  v.context_command = "get pods -o wide -n " + a.namespace_ +
                      (a.selector.empty() ? "" : " -l '" + a.selector + "'");
  auto table = GetTable(p, api::kPods, a.namespace_, "", a.selector);
  if (!table.ok()) {
    v.found = "error: " + table.status().message();
    return v;
  }
  const int status_col = Column(*table, "Status");
  int64_t n = 0;
  std::map<std::string, int64_t> by_status;
  for (const auto& row : (*table)["rows"]) {
    std::string s = Cell(row, status_col);
    by_status[s]++;
    if (a.status.empty() || s == a.status) ++n;
  }
  v.found = std::to_string(n) + " (by status: " + JoinMap(by_status) + ")";
  v.passed = n == a.count;
  return v;
}

std::string TaintString(const Object& t) {
  std::string s = t.value("key", "");
  std::string value = t.value("value", "");
  if (!value.empty()) s += "=" + value;
  return s + ":" + t.value("effect", "");
}

Verdict Node(Probe& p, const Assertion& a) {
  Verdict v;
  v.description = "node " + a.target;
  v.context_command = "get node " + a.target + " -o wide";
  std::vector<std::string> want, got;
  if (!a.node_status.empty()) want.push_back("status " + a.node_status);
  for (const auto& [type, st] : a.conditions) want.push_back(type + "=" + st);
  if (a.taints) {
    std::vector<std::string> t = *a.taints;
    std::sort(t.begin(), t.end());
    want.push_back("taints " + Join(t));
  }
  v.expected = Join(want);
  auto table = GetTable(p, api::kNodes, "", a.target, "");
  auto obj = p.client().Get(api::kNodes, "", a.target);
  if (!table.ok() || !obj.ok()) {
    v.found = "error: " + (table.ok() ? obj.status() : table.status()).message();
    return v;
  }
  v.passed = true;
  if (!a.node_status.empty()) {
    std::string s =
        (*table)["rows"].empty() ? "" : Cell((*table)["rows"][0], Column(*table, "Status"));
    got.push_back("status " + s);
    if (s != a.node_status) v.passed = false;
  }
  for (const auto& [type, st] : a.conditions) {
    std::string s = "<absent>";
    if (const Object* conds = api::Find(*obj, "/status/conditions"); conds && conds->is_array()) {
      for (const auto& c : *conds) {
        if (c.value("type", "") == type) s = c.value("status", "");
      }
    }
    got.push_back(type + "=" + s);
    if (s != st) v.passed = false;
  }
  if (a.taints) {
    std::vector<std::string> t;
    if (const Object* taints = api::Find(*obj, "/spec/taints"); taints && taints->is_array()) {
      for (const auto& x : *taints) t.push_back(TaintString(x));
    }
    std::sort(t.begin(), t.end());
    std::vector<std::string> w = *a.taints;
    std::sort(w.begin(), w.end());
    got.push_back("taints " + Join(t));
    if (t != w) v.passed = false;
  }
  v.found = Join(got);
  return v;
}

bool Search(const std::string& text, const std::string& re) {
  return std::regex_search(text, std::regex(re, std::regex::ECMAScript | std::regex::multiline));
}

Verdict Event(Probe& p, const Assertion& a) {
  Verdict v;
  v.description = "an event with reason " + a.reason +
                  (a.object.empty() ? "" : " for " + a.object) +
                  (a.regex.empty() ? "" : " and a message matching /" + a.regex + "/");
  v.expected = "at least 1";
  v.context_command = "get events -A";
  auto list = p.client().List(api::kEvents, "");
  if (!list.ok()) {
    v.found = "error: " + list.status().message();
    return v;
  }
  std::string obj_kind, obj_name;
  if (!a.object.empty()) {
    auto slash = a.object.find('/');
    obj_kind = slash == std::string::npos ? "" : a.object.substr(0, slash);
    obj_name = slash == std::string::npos ? a.object : a.object.substr(slash + 1);
    std::transform(obj_kind.begin(), obj_kind.end(), obj_kind.begin(), ::tolower);
  }
  int n = 0, same_reason = 0;
  for (const auto& e : (*list)["items"]) {
    if (e.value("reason", "") != a.reason) continue;
    if (!a.object.empty()) {
      std::string kind = api::GetString(e, "/involvedObject/kind");
      std::transform(kind.begin(), kind.end(), kind.begin(), ::tolower);
      if (api::GetString(e, "/involvedObject/name") != obj_name) continue;
      if (!obj_kind.empty() && kind != obj_kind) continue;
    }
    ++same_reason;
    if (!a.regex.empty() && !Search(e.value("message", ""), a.regex)) continue;
    ++n;
  }
  v.found = std::to_string(n);
  if (n == 0 && same_reason > 0) {
    v.found += " (" + std::to_string(same_reason) + " with that reason, none with that message)";
  }
  v.passed = n > 0;
  return v;
}

std::string ReadFile(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  *ok = static_cast<bool>(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Verdict Output(Probe& p, const Assertion& a) {
  Verdict v;
  CommandOutput r = p.RunCommand(a.command);
  v.context = "$ " + a.command + "\n" + r.output;
  if (!a.golden.empty()) {
    v.description = "output of `" + a.command + "` equals " + a.golden;
    if (p.options().update_golden) {
      std::ofstream(a.golden_path, std::ios::binary) << r.output;
      v.expected = "(golden file rewritten)";
      v.found = "(golden file rewritten)";
      v.passed = true;
      return v;
    }
    bool ok = false;
    std::string golden = ReadFile(a.golden_path, &ok);
    if (!ok) {
      v.expected = "the contents of " + a.golden;
      v.found = "error: cannot read " + a.golden + " (write it with --update-golden)";
      return v;
    }
    v.expected = "the contents of " + a.golden;
    v.passed = golden == r.output;
    v.found = v.passed
                  ? "the same output"
                  : "a different output:\n" + UnifiedDiff(golden, r.output, a.golden, "output");
    if (!v.passed) v.context = "";
    return v;
  }
  if (!a.regex.empty()) {
    v.description = "output of `" + a.command + "` matches /" + a.regex + "/";
    v.expected = "a match";
    v.passed = Search(r.output, a.regex);
  } else {
    v.description = "output of `" + a.command + "` contains \"" + a.contains + "\"";
    v.expected = "the text";
    v.passed = r.output.find(a.contains) != std::string::npos;
  }
  v.found = v.passed ? "it does" : "no match";
  return v;
}

Verdict Fails(Probe& p, const Assertion& a) {
  Verdict v;
  CommandOutput r = p.RunCommand(a.command);
  v.context = "$ " + a.command + "\n" + r.output;
  v.description = "`" + a.command + "` fails";
  std::string want = "a non-zero exit code";
  if (!a.contains.empty()) {
    v.description += " with \"" + a.contains + "\"";
    want += " and \"" + a.contains + "\" in the output";
  }
  if (!a.regex.empty()) {
    v.description += " matching /" + a.regex + "/";
    want += " and output matching /" + a.regex + "/";
  }
  v.expected = want;
  bool text_ok = (a.contains.empty() || r.output.find(a.contains) != std::string::npos) &&
                 (a.regex.empty() || Search(r.output, a.regex));
  v.passed = r.exit_code != 0 && text_ok;
  v.found = "exit code " + std::to_string(r.exit_code) +
            (text_ok ? "" : ", output without the expected text");
  return v;
}

}  // namespace

const char* AssertionTypeName(Assertion::Type type) {
  switch (type) {
    case Assertion::Type::kPlacement:
      return "placement";
    case Assertion::Type::kPods:
      return "pods";
    case Assertion::Type::kNode:
      return "node";
    case Assertion::Type::kEvent:
      return "event";
    case Assertion::Type::kOutput:
      return "output";
    case Assertion::Type::kFails:
      return "fails";
  }
  return "?";
}

Verdict Evaluate(Probe& p, const Assertion& a) {
  switch (a.type) {
    case Assertion::Type::kPlacement:
      return Placement(p, a);
    case Assertion::Type::kPods:
      return Pods(p, a);
    case Assertion::Type::kNode:
      return Node(p, a);
    case Assertion::Type::kEvent:
      return Event(p, a);
    case Assertion::Type::kOutput:
      return Output(p, a);
    case Assertion::Type::kFails:
      return Fails(p, a);
  }
  return {};
}

}  // namespace kubesim::scenario
