// The scenario file parser: YAML -> Scenario, strict (unknown keys are
// errors) and positional (every error names file:line:column from
// yaml-cpp's Mark), so a CI log points at the line to fix.
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "kubesim/printers/duration.h"
#include "kubesim/scenario/scenario.h"
#include "kubesim/scheduler/config.h"

namespace kubesim::scenario {
namespace {

namespace fs = std::filesystem;

// Thrown inside the parser only; ParseScenario turns it into a Status.
struct ParseError {
  YAML::Mark mark;
  std::string message;
};

[[noreturn]] void Fail(const YAML::Node& at, const std::string& message) {
  throw ParseError{at.Mark(), message};
}

Mark ToMark(const YAML::Node& n) { return {n.Mark().line + 1, n.Mark().column + 1}; }

std::string Scalar(const YAML::Node& n, const std::string& what) {
  if (!n.IsScalar()) Fail(n, what + ": expected a string");
  return n.Scalar();
}

int64_t Int(const YAML::Node& n, const std::string& what) {
  if (!n.IsScalar()) Fail(n, what + ": expected an integer");
  try {
    size_t used = 0;
    int64_t v = std::stoll(n.Scalar(), &used);
    if (used != n.Scalar().size()) throw std::invalid_argument("trailing");
    return v;
  } catch (const std::exception&) {
    Fail(n, what + ": expected an integer, got \"" + n.Scalar() + "\"");
  }
}

bool Bool(const YAML::Node& n, const std::string& what) {
  bool v = false;
  if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v)) {
    Fail(n, what + ": expected true or false");
  }
  return v;
}

Duration ParseDuration(const YAML::Node& n, const std::string& what) {
  std::string text = Scalar(n, what);
  auto d = printers::ParseGoDuration(text);
  if (!d.ok()) Fail(n, what + ": " + d.status().message() + " (use e.g. 30s, 5m, 1h30m)");
  if (*d < Duration::zero()) Fail(n, what + ": must not be negative");
  return *d;
}

// A map whose keys must all be in `allowed`.
void CheckKeys(const YAML::Node& map, const std::string& what,
               const std::set<std::string>& allowed) {
  if (!map.IsMap()) Fail(map, what + ": expected a map");
  for (const auto& kv : map) {
    std::string key = kv.first.Scalar();
    if (!allowed.count(key)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      Fail(kv.first, what + ": unknown field \"" + key + "\" (expected one of: " + list + ")");
    }
  }
}

const YAML::Node Required(const YAML::Node& map, const std::string& key, const std::string& what) {
  if (!map[key]) Fail(map, what + ": missing field \"" + key + "\"");
  return map[key];
}

class Parser {
 public:
  Parser(std::string path) : path_(std::move(path)) { dir_ = fs::path(path_).parent_path(); }

  Scenario Parse(const std::string& text) {
    YAML::Node root = YAML::Load(text);
    if (!root.IsDefined() || root.IsNull()) {
      throw ParseError{YAML::Mark(), "empty scenario: expected a map with 'cluster' and 'steps'"};
    }
    CheckKeys(root, "scenario", {"name", "description", "cluster", "steps"});
    Scenario s;
    s.path = path_;
    s.name = root["name"] ? Scalar(root["name"], "name") : fs::path(path_).stem().string();
    if (root["description"]) s.description = Scalar(root["description"], "description");
    s.cluster = cluster::ClusterConfig::Default(2);
    s.cluster.system_pods = true;
    if (root["cluster"]) ParseCluster(root["cluster"], &s);
    const YAML::Node steps = Required(root, "steps", "scenario");
    if (!steps.IsSequence()) Fail(steps, "steps: expected a list of steps");
    int i = 0;
    for (const auto& step : steps) s.steps.push_back(ParseStep(step, i++));
    return s;
  }

 private:
  std::string Resolve(const std::string& file) const {
    fs::path p(file);
    if (p.is_absolute() || dir_.empty()) return p.string();
    return (dir_ / p).string();
  }

  void ParseCluster(const YAML::Node& c, Scenario* s) {
    CheckKeys(c, "cluster",
              {"workers", "nodes", "seed", "schedulerConfig", "systemPods", "addons"});
    ParseClusterNodes(c, s);
    if (c["seed"]) s->seed = static_cast<uint64_t>(Int(c["seed"], "cluster.seed"));
    // Like `kubesim` itself, a scenario's cluster boots kubeadm's kube-system
    // pods unless told not to.
    s->cluster.system_pods = c["systemPods"] ? Bool(c["systemPods"], "cluster.systemPods") : true;
    if (c["addons"]) {
      // As `kubesim --addons`: metrics-server (for `top`).
      if (!c["addons"].IsSequence()) Fail(c["addons"], "cluster.addons: expected a list");
      for (const auto& a : c["addons"]) {
        const std::string name = Scalar(a, "cluster.addons");
        if (name != "metrics-server") {
          Fail(a, "cluster.addons: unknown add-on \"" + name + "\" (kubesim has: metrics-server)");
        }
        s->cluster.addons.push_back(name);
      }
    }
    if (c["schedulerConfig"]) {
      // A KubeSchedulerConfiguration file, relative to the scenario.
      std::string file = Resolve(Scalar(c["schedulerConfig"], "cluster.schedulerConfig"));
      std::ifstream in(file);
      if (!in) Fail(c["schedulerConfig"], "cluster.schedulerConfig: no such file \"" + file + "\"");
      std::stringstream text;
      text << in.rdbuf();
      auto parsed = scheduler::ParseSchedulerConfig(text.str());
      if (!parsed.ok()) {
        Fail(c["schedulerConfig"],
             "cluster.schedulerConfig: " + file + ": " + parsed.status().message());
      }
      s->cluster.scheduler_config = std::move(*parsed);
    }
  }

  void ParseClusterNodes(const YAML::Node& c, Scenario* s) {
    if (c["workers"] && c["nodes"]) Fail(c, "cluster: give either workers or nodes, not both");
    if (c["workers"]) {
      int64_t w = Int(c["workers"], "cluster.workers");
      if (w < 0 || w > 5000) Fail(c["workers"], "cluster.workers: must be in 0..5000");
      s->cluster = cluster::ClusterConfig::Default(static_cast<int>(w));
    }
    if (!c["nodes"]) return;
    const YAML::Node nodes = c["nodes"];
    YAML::Node list(YAML::NodeType::Sequence);
    std::vector<YAML::Node> origin;  // list[i] came from origin[i]
    if (nodes.IsSequence()) {
      for (const auto& n : nodes) {
        CheckKeys(n, "cluster.nodes[" + std::to_string(origin.size()) + "]",
                  {"name", "controlPlane", "cpu", "memory", "pods", "labels", "taints", "zone"});
        list.push_back(n);
        origin.push_back(n);
      }
    } else if (nodes.IsMap()) {
      // The count form: a control-plane node plus `count` nodes from a
      // template, named PREFIX-1..N, zones assigned round-robin.
      CheckKeys(nodes, "cluster.nodes",
                {"count", "template", "namePrefix", "zones", "controlPlane"});
      int64_t count = Int(Required(nodes, "count", "cluster.nodes"), "cluster.nodes.count");
      if (count < 0 || count > 5000)
        Fail(nodes["count"], "cluster.nodes.count: must be in 0..5000");
      std::string prefix =
          nodes["namePrefix"] ? Scalar(nodes["namePrefix"], "cluster.nodes.namePrefix") : "worker";
      bool control_plane =
          nodes["controlPlane"] ? Bool(nodes["controlPlane"], "cluster.nodes.controlPlane") : true;
      std::vector<std::string> zones;
      if (nodes["zones"]) {
        if (!nodes["zones"].IsSequence() || nodes["zones"].size() == 0) {
          Fail(nodes["zones"], "cluster.nodes.zones: expected a non-empty list");
        }
        for (const auto& z : nodes["zones"]) zones.push_back(Scalar(z, "cluster.nodes.zones[]"));
      }
      YAML::Node tmpl = nodes["template"] ? nodes["template"] : YAML::Node(YAML::NodeType::Map);
      CheckKeys(tmpl, "cluster.nodes.template",
                {"cpu", "memory", "pods", "labels", "taints", "zone"});
      if (control_plane) {
        YAML::Node cp;
        cp["name"] = "control-plane";
        cp["controlPlane"] = true;
        list.push_back(cp);
        origin.push_back(nodes);
      }
      for (int64_t i = 1; i <= count; ++i) {
        YAML::Node n = YAML::Clone(tmpl);
        n["name"] = prefix + "-" + std::to_string(i);
        if (!zones.empty()) n["zone"] = zones[(i - 1) % zones.size()];
        list.push_back(n);
        origin.push_back(tmpl.IsDefined() && nodes["template"] ? nodes["template"] : nodes);
      }
    } else {
      Fail(nodes, "cluster.nodes: expected a list of nodes or {count, template}");
    }
    // One node format for --config files and scenarios: ParseClusterConfig's.
    YAML::Node doc;
    doc["nodes"] = list;
    YAML::Emitter emitter;
    emitter << doc;
    auto parsed = cluster::ParseClusterConfig(emitter.c_str());
    if (!parsed.ok()) {
      // "cluster config: nodes[3].cpu: ..." -> point at node 3.
      std::smatch m;
      const std::string msg = parsed.status().message();
      static const std::regex kIndex(R"(nodes\[(\d+)\])");
      YAML::Node at = nodes;
      if (std::regex_search(msg, m, kIndex)) {
        size_t idx = std::stoul(m[1]);
        if (idx < origin.size()) at = origin[idx];
      }
      Fail(at, msg);
    }
    std::set<std::string> names;
    for (size_t i = 0; i < parsed->nodes.size(); ++i) {
      if (!names.insert(parsed->nodes[i].name).second) {
        Fail(origin[i], "cluster.nodes: duplicate node name \"" + parsed->nodes[i].name + "\"");
      }
    }
    parsed->start_time = cluster::ClusterConfig::DefaultStartTime();
    s->cluster = std::move(*parsed);
  }

  // `apply:`/`delete:` manifests: a YAML string (multi-document), one
  // manifest map, a list of manifest maps, or {file: path}.
  void Manifests(const YAML::Node& v, const std::string& verb, const std::string& w, Step* step) {
    if (v.IsMap() && v["file"]) {
      CheckKeys(v, w, {"file"});
      std::string file = Scalar(v["file"], w + ".file");
      std::string resolved = Resolve(file);
      if (!fs::exists(resolved)) Fail(v["file"], w + ".file: no such file \"" + resolved + "\"");
      step->display = verb + " -f " + file;
      step->command = verb + " -f '" + resolved + "'";
      return;
    }
    std::string text;
    if (v.IsScalar()) {
      text = v.Scalar();
      if (verb == "delete" && text.find('\n') == std::string::npos &&
          text.find(':') == std::string::npos) {
        // `delete: deployment/web` or `delete: pod a b`: kubectl's arguments.
        step->display = step->command = "delete " + text;
        return;
      }
      if (text.find('\n') == std::string::npos && text.find(':') == std::string::npos) {
        Fail(v, w + ": \"" + text + "\" is not a manifest; for a file write {file: " + text + "}");
      }
    } else if (v.IsMap() || v.IsSequence()) {
      std::vector<YAML::Node> docs;
      if (v.IsMap()) {
        docs.push_back(v);
      } else {
        for (const auto& d : v) docs.push_back(d);
      }
      for (const auto& d : docs) {
        if (!d.IsMap() || !d["kind"]) Fail(d, w + ": expected a Kubernetes manifest (with kind)");
        YAML::Emitter e;
        e << d;
        text += std::string(text.empty() ? "" : "---\n") + e.c_str() + "\n";
      }
    } else {
      Fail(v, w + ": expected manifests (a YAML string or list) or {file: path}");
    }
    step->display = verb + " -f - <<EOF (inline manifest)";
    step->command = verb + " -f -";
    step->stdin_text = text;
  }

  Step ParseStep(const YAML::Node& n, int index) {
    const std::string where = "steps[" + std::to_string(index) + "]";
    static const std::set<std::string> kTypes = {"apply",   "delete",  "scale",    "run",
                                                 "sleep",   "waitFor", "nodeStop", "nodeStart",
                                                 "nodeAdd", "stop",    "start",    "expect"};
    if (!n.IsMap()) Fail(n, where + ": expected a map with one step type");
    Step step;
    step.mark = ToMark(n);
    YAML::Node action;
    for (const auto& kv : n) {
      std::string key = kv.first.Scalar();
      if (key == "name") {
        step.name = Scalar(kv.second, where + ".name");
      } else if (key == "mayFail") {
        step.may_fail = Bool(kv.second, where + ".mayFail");
      } else if (kTypes.count(key)) {
        if (!step.type.empty()) {
          Fail(kv.first, where + ": more than one step type (\"" + step.type + "\" and \"" + key +
                             "\"); put each in its own step");
        }
        step.type = key;
        action = kv.second;
      } else {
        Fail(kv.first, where + ": unknown step type \"" + key +
                           "\" (expected one of: apply, delete, scale, run, sleep, waitFor, "
                           "nodeStop, nodeStart, nodeAdd, stop, start, expect)");
      }
    }
    if (step.type.empty()) Fail(n, where + ": missing step type (apply, run, expect, ...)");
    if (step.type == "expect" && step.may_fail) {
      Fail(n["mayFail"], where + ": mayFail applies to command steps, not expect");
    }
    const std::string w = where + "." + step.type;
    const std::string& t = step.type;
    if (t == "apply" || t == "delete") {
      Manifests(action, t, w, &step);
    } else if (t == "scale") {
      CheckKeys(action, w, {"target", "replicas", "namespace"});
      std::string target = Scalar(Required(action, "target", w), w + ".target");
      int64_t replicas = Int(Required(action, "replicas", w), w + ".replicas");
      if (replicas < 0) Fail(action["replicas"], w + ".replicas: must not be negative");
      step.command = "scale " + target + " --replicas=" + std::to_string(replicas);
      if (action["namespace"]) step.command += " -n " + Scalar(action["namespace"], w);
      step.display = step.command;
    } else if (t == "run") {
      step.command = step.display = Scalar(action, w);
      if (step.command.find_first_not_of(" \t") == std::string::npos)
        Fail(action, w + ": empty command");
    } else if (t == "sleep") {
      Duration d = ParseDuration(action, w);
      step.command = step.display = "sleep " + printers::GoDurationString(d);
    } else if (t == "waitFor") {
      CheckKeys(action, w, {"condition", "target", "timeout", "namespace"});
      std::string cond = Scalar(Required(action, "condition", w), w + ".condition");
      std::string target = Scalar(Required(action, "target", w), w + ".target");
      if (target.find('/') == std::string::npos) {
        Fail(action["target"], w + ".target: expected TYPE/NAME, e.g. pod/web");
      }
      step.command = "wait " + target;
      step.command += cond == "delete" ? " --for=delete" : " --for=condition=" + cond;
      if (action["timeout"]) {
        step.command += " --timeout=" + printers::GoDurationString(
                                            ParseDuration(action["timeout"], w + ".timeout"));
      }
      if (action["namespace"]) step.command += " -n " + Scalar(action["namespace"], w);
      step.display = step.command;
    } else if (t == "nodeStop" || t == "nodeStart") {
      step.command = step.display =
          std::string("node ") + (t == "nodeStop" ? "stop " : "start ") + Scalar(action, w);
    } else if (t == "nodeAdd") {
      CheckKeys(action, w, {"name", "cpu", "memory", "pods", "labels", "taints", "zone"});
      std::string cmd = "node add " + Scalar(Required(action, "name", w), w + ".name");
      if (action["cpu"]) cmd += " --cpu " + Scalar(action["cpu"], w + ".cpu");
      if (action["memory"]) cmd += " --memory " + Scalar(action["memory"], w + ".memory");
      if (action["pods"]) cmd += " --pods " + std::to_string(Int(action["pods"], w + ".pods"));
      std::string labels;
      if (action["labels"]) {
        if (!action["labels"].IsMap()) Fail(action["labels"], w + ".labels: expected a map");
        for (const auto& kv : action["labels"]) {
          labels += (labels.empty() ? "" : ",") + kv.first.Scalar() + "=" +
                    Scalar(kv.second, w + ".labels");
        }
      }
      if (action["zone"]) {
        labels += std::string(labels.empty() ? "" : ",") +
                  "topology.kubernetes.io/zone=" + Scalar(action["zone"], w + ".zone");
      }
      if (!labels.empty()) cmd += " --labels " + labels;
      if (action["taints"]) {
        if (!action["taints"].IsSequence()) Fail(action["taints"], w + ".taints: expected a list");
        std::string taints;
        for (const auto& tn : action["taints"]) {
          taints += (taints.empty() ? "" : ",") + Scalar(tn, w + ".taints[]");
        }
        cmd += " --taints " + taints;
      }
      step.command = step.display = cmd;
    } else if (t == "stop" || t == "start") {
      std::string comp = Scalar(action, w);
      static const std::set<std::string> kComponents = {"apiserver", "scheduler",
                                                        "controller-manager", "etcd"};
      if (!kComponents.count(comp)) {
        Fail(action, w + ": unknown component \"" + comp +
                         "\" (expected apiserver, scheduler, controller-manager or etcd)");
      }
      step.command = step.display = t + " " + comp;
    } else if (t == "expect") {
      step.kind = Step::Kind::kExpect;
      if (action.IsSequence()) {
        for (const auto& a : action) step.assertions.push_back(ParseAssertion(a, w));
      } else {
        step.assertions.push_back(ParseAssertion(action, w));
      }
      if (step.assertions.empty()) Fail(action, w + ": no assertions");
    }
    return step;
  }

  Assertion ParseAssertion(const YAML::Node& a, const std::string& where) {
    static const std::set<std::string> kTypes = {"placement", "pods",   "node",
                                                 "event",     "output", "fails"};
    if (!a.IsMap()) Fail(a, where + ": expected an assertion map (placement, pods, node, ...)");
    Assertion as;
    as.mark = ToMark(a);
    std::string type;
    YAML::Node v;
    for (const auto& kv : a) {
      std::string key = kv.first.Scalar();
      if (key == "within") {
        as.within = ParseDuration(kv.second, where + ".within");
      } else if (key == "namespace") {
        as.namespace_ = Scalar(kv.second, where + ".namespace");
      } else if (key == "by") {
        as.by = Scalar(kv.second, where + ".by");
      } else if (kTypes.count(key)) {
        if (!type.empty()) {
          Fail(kv.first, where + ": more than one assertion in one map (\"" + type + "\" and \"" +
                             key + "\"); use a list");
        }
        type = key;
        v = kv.second;
      } else {
        Fail(kv.first, where + ": unknown assertion \"" + key +
                           "\" (expected one of: placement, pods, node, event, output, fails; "
                           "modifiers: within, namespace, by)");
      }
    }
    if (type.empty()) Fail(a, where + ": missing assertion type (placement, pods, node, ...)");
    if (!as.by.empty() && type != "placement") Fail(a, where + ": `by` applies to placement only");
    const std::string w = where + "." + type;
    if (type == "placement") {
      as.type = Assertion::Type::kPlacement;
      if (!v.IsMap() || v.size() != 1) {
        Fail(v, w + ": expected one target, e.g. {deployment/web: {worker-1: 2}} or "
                    "{pod/x: worker-1}");
      }
      auto kv = *v.begin();
      as.target = kv.first.Scalar();
      auto slash = as.target.find('/');
      if (slash == std::string::npos || slash == 0 || slash + 1 == as.target.size()) {
        Fail(kv.first, w + ": target \"" + as.target + "\" must be TYPE/NAME");
      }
      std::string kind = as.target.substr(0, slash);
      if (kind == "pod" || kind == "pods" || kind == "po") {
        as.placement[Scalar(kv.second, w + "." + as.target)] = 1;
      } else {
        if (!kv.second.IsMap()) {
          Fail(kv.second, w + "." + as.target + ": expected a map node -> pod count");
        }
        for (const auto& nc : kv.second) {
          int64_t c = Int(nc.second, w + "." + as.target + "." + nc.first.Scalar());
          if (c < 0) Fail(nc.second, w + ": counts must not be negative");
          as.placement[nc.first.Scalar()] = c;
        }
      }
    } else if (type == "pods") {
      as.type = Assertion::Type::kPods;
      CheckKeys(v, w, {"status", "count", "selector"});
      if (v["status"]) as.status = Scalar(v["status"], w + ".status");
      if (v["selector"]) as.selector = Scalar(v["selector"], w + ".selector");
      as.count = Int(Required(v, "count", w), w + ".count");
      if (as.count < 0) Fail(v["count"], w + ".count: must not be negative");
    } else if (type == "node") {
      as.type = Assertion::Type::kNode;
      CheckKeys(v, w, {"name", "status", "conditions", "taints"});
      as.target = Scalar(Required(v, "name", w), w + ".name");
      if (v["status"]) as.node_status = Scalar(v["status"], w + ".status");
      if (v["conditions"]) {
        if (!v["conditions"].IsMap()) Fail(v["conditions"], w + ".conditions: expected a map");
        for (const auto& kv : v["conditions"]) {
          std::string st = Scalar(kv.second, w + ".conditions." + kv.first.Scalar());
          if (st != "True" && st != "False" && st != "Unknown") {
            Fail(kv.second, w + ".conditions." + kv.first.Scalar() +
                                ": expected True, False or Unknown (quote it: \"True\")");
          }
          as.conditions[kv.first.Scalar()] = st;
        }
      }
      if (v["taints"]) {
        if (!v["taints"].IsSequence()) Fail(v["taints"], w + ".taints: expected a list");
        std::vector<std::string> taints;
        static const std::regex kTaint(
            R"(^[^=:]+(=[^:]*)?:(NoSchedule|PreferNoSchedule|NoExecute)$)");
        for (const auto& t : v["taints"]) {
          std::string s = Scalar(t, w + ".taints[]");
          if (!std::regex_match(s, kTaint)) {
            Fail(t, w + ".taints: \"" + s +
                        "\" is not KEY[=VALUE]:EFFECT (NoSchedule, PreferNoSchedule, NoExecute)");
          }
          taints.push_back(s);
        }
        as.taints = taints;
      }
      if (as.node_status.empty() && as.conditions.empty() && !as.taints) {
        Fail(v, w + ": give at least one of status, conditions, taints");
      }
    } else if (type == "event") {
      as.type = Assertion::Type::kEvent;
      CheckKeys(v, w, {"reason", "message", "object"});
      as.reason = Scalar(Required(v, "reason", w), w + ".reason");
      if (v["message"]) as.regex = CheckRegex(v["message"], w + ".message");
      if (v["object"]) as.object = Scalar(v["object"], w + ".object");
    } else if (type == "output") {
      as.type = Assertion::Type::kOutput;
      CheckKeys(v, w, {"command", "golden", "matches", "contains"});
      as.command = Scalar(Required(v, "command", w), w + ".command");
      int n = 0;
      if (v["golden"]) {
        ++n;
        as.golden = Scalar(v["golden"], w + ".golden");
        as.golden_path = Resolve(as.golden);
      }
      if (v["matches"]) {
        ++n;
        as.regex = CheckRegex(v["matches"], w + ".matches");
      }
      if (v["contains"]) {
        ++n;
        as.contains = Scalar(v["contains"], w + ".contains");
      }
      if (n != 1) Fail(v, w + ": give exactly one of golden, matches, contains");
    } else if (type == "fails") {
      as.type = Assertion::Type::kFails;
      CheckKeys(v, w, {"command", "message", "matches"});
      as.command = Scalar(Required(v, "command", w), w + ".command");
      if (v["message"]) as.contains = Scalar(v["message"], w + ".message");
      if (v["matches"]) as.regex = CheckRegex(v["matches"], w + ".matches");
    }
    return as;
  }

  std::string CheckRegex(const YAML::Node& n, const std::string& what) {
    std::string re = Scalar(n, what);
    try {
      std::regex compiled(re, std::regex::ECMAScript | std::regex::multiline);
    } catch (const std::regex_error& e) {
      Fail(n, what + ": invalid regular expression: " + e.what());
    }
    return re;
  }

  std::string path_;
  fs::path dir_;
};

}  // namespace

StatusOr<Scenario> ParseScenario(const std::string& yaml_text, const std::string& path) {
  try {
    return Parser(path).Parse(yaml_text);
  } catch (const ParseError& e) {
    return Status::BadRequest(path + ":" + std::to_string(e.mark.line + 1) + ":" +
                              std::to_string(e.mark.column + 1) + ": " + e.message);
  } catch (const YAML::Exception& e) {
    // Syntax errors: yaml-cpp's msg without its own "yaml-cpp: error at ..." prefix.
    return Status::BadRequest(path + ":" + std::to_string(e.mark.line + 1) + ":" +
                              std::to_string(e.mark.column + 1) + ": invalid YAML: " + e.msg);
  }
}

StatusOr<Scenario> ParseScenarioFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound(path + ": cannot read the scenario file");
  std::stringstream text;
  text << in.rdbuf();
  return ParseScenario(text.str(), path);
}

}  // namespace kubesim::scenario
