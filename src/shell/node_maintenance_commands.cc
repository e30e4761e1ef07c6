// `cordon`, `uncordon`, `taint` and `drain`: k8s.io/kubectl/pkg/cmd/drain
// (drain.go, with k8s.io/kubectl/pkg/drain: cordon.go, drain.go, filters.go)
// and k8s.io/kubectl/pkg/cmd/taint (taint.go, utils.go). Every change is a
// PATCH or an eviction through the user's client; drain waits in simulated
// time, polling each second as kubectl's waitForDelete does.
#include <algorithm>
#include <map>

#include "commands.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/api/validation.h"
#include "kubesim/printers/duration.h"

namespace kubesim::shell {
namespace {

bool Unschedulable(const api::Object& node) {
  const api::Object* u = api::Find(node, "/spec/unschedulable");
  return u && u->is_boolean() && u->get<bool>();
}

// cordon.go CordonHelper: patch spec.unschedulable unless already there.
// Prints "node/NAME cordoned|already cordoned|uncordoned|already
// uncordoned"; false after printing the API's error.
bool Cordon(Env& env, const std::string& name, bool desired) {
  const api::ResourceInfo& info = env.discovery().Find(api::kNodes)->info();
  api::Response node = Get(env, api::kNodes, "", name);
  if (!node.ok()) {
    PrintApiError(env, node);
    return false;
  }
  const std::string verb = desired ? "cordoned" : "uncordoned";
  if (Unschedulable(node.body) == desired) {
    env.out << "node/" << name << " already " << verb << "\n";
    return true;
  }
  api::Object patch = {{"spec", {{"unschedulable", desired ? api::Object(true) : api::Object()}}}};
  api::Response r = Patch(env, info, "", name, api::kStrategicMergePatch, patch);
  if (!r.ok()) {
    PrintApiError(env, r);
    return false;
  }
  env.out << "node/" << name << " " << verb << "\n";
  return true;
}

// The node names a cordon/uncordon/drain command names: NAME... (with an
// optional leading "node"/"nodes"/"no" as kubectl accepts), or -l SELECTOR.
bool NodeNames(Env& env, const std::string& command, const FlagSet& flags,
               std::vector<std::string>* names) {
  Args pos = flags.positional();
  const std::string selector = flags.Get("selector");
  if (pos.empty() && selector.empty()) {
    env.err << "error: USAGE: " << command << " NODE [flags]\nSee 'kubectl " << command
            << " -h' for help and examples\n";
    return false;
  }
  if (!pos.empty() && (pos[0] == "node" || pos[0] == "nodes" || pos[0] == "no")) {
    pos.erase(pos.begin());
  }
  for (auto& p : pos) {
    if (p.rfind("node/", 0) == 0) p = p.substr(5);
    if (p.rfind("nodes/", 0) == 0) p = p.substr(6);
    names->push_back(p);
  }
  if (!selector.empty()) {
    api::Request req;
    req.verb = api::Verb::kList;
    req.gvr = api::kNodes;
    req.label_selector = selector;
    api::Response r = env.client().Do(req);
    if (!r.ok()) {
      PrintApiError(env, r);
      return false;
    }
    for (const auto& n : r.body["items"]) names->push_back(api::Name(n));
  }
  return true;
}

int RunCordonCommand(Env& env, const Args& args, bool desired) {
  FlagSet flags;
  AddGlobalFlags(flags);
  flags.String("selector", 'l');
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, desired ? "cordon" : "uncordon", st);
  std::vector<std::string> names;
  if (!NodeNames(env, desired ? "cordon" : "uncordon", flags, &names)) return 1;
  int exit_code = 0;
  for (const auto& n : names) {
    if (!Cordon(env, n, desired)) exit_code = 1;
  }
  return exit_code;
}

// ---- taint -------------------------------------------------------------------

struct Taint {
  std::string key, value, effect;
  // corev1.Taint.ToString.
  std::string ToString() const {
    if (effect.empty()) return value.empty() ? key : key + "=" + value + ":";
    return value.empty() ? key + ":" + effect : key + "=" + value + ":" + effect;
  }
  api::Object ToObject() const {
    api::Object o = {{"key", key}, {"effect", effect}};
    if (!value.empty()) o["value"] = value;
    return o;
  }
};

std::string JoinErrors(const std::vector<std::string>& errs, const char* sep = "; ") {
  std::string out;
  for (const auto& e : errs) out += (out.empty() ? "" : sep) + e;
  return out;
}

// utils.go parseTaint: '<key>=<value>:<effect>', '<key>:<effect>' or '<key>'.
StatusOr<Taint> ParseTaint(const std::string& st) {
  Taint t;
  std::vector<std::string> parts;
  for (size_t b = 0;;) {
    size_t c = st.find(':', b);
    parts.push_back(st.substr(b, c == std::string::npos ? std::string::npos : c - b));
    if (c == std::string::npos) break;
    b = c + 1;
  }
  if (parts.size() == 1) {
    t.key = parts[0];
  } else if (parts.size() == 2) {
    t.effect = parts[1];
    if (t.effect != "NoSchedule" && t.effect != "PreferNoSchedule" && t.effect != "NoExecute") {
      return Status::BadRequest("invalid taint effect: " + t.effect + ", unsupported taint effect");
    }
    size_t eq = parts[0].find('=');
    if (eq != std::string::npos && parts[0].find('=', eq + 1) != std::string::npos) {
      return Status::BadRequest("invalid taint spec: " + st);
    }
    t.key = parts[0].substr(0, eq);
    if (eq != std::string::npos) {
      t.value = parts[0].substr(eq + 1);
      if (auto errs = api::IsValidLabelValue(t.value); !errs.empty()) {
        return Status::BadRequest("invalid taint spec: " + st + ", " + JoinErrors(errs));
      }
    }
  } else {
    return Status::BadRequest("invalid taint spec: " + st);
  }
  if (auto errs = api::IsQualifiedName(t.key); !errs.empty()) {
    return Status::BadRequest("invalid taint spec: " + st + ", " + JoinErrors(errs));
  }
  return t;
}

std::vector<Taint> NodeTaints(const api::Object& node) {
  std::vector<Taint> out;
  const api::Object* taints = api::Find(node, "/spec/taints");
  if (!taints || !taints->is_array()) return out;
  for (const auto& t : *taints) {
    out.push_back({t.value("key", ""), t.value("value", ""), t.value("effect", "")});
  }
  return out;
}

int RunTaint(Env& env, const Args& args) {
  FlagSet flags;
  AddGlobalFlags(flags);
  flags.Bool("overwrite", 0);
  flags.Bool("all", 0);
  flags.String("selector", 'l');
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, "taint", st);

  // taint.go Complete: resources, then taint changes.
  std::vector<std::string> resources, taint_args;
  for (const std::string& s : flags.positional()) {
    const bool is_taint = s.find('=') != std::string::npos || s.find(':') != std::string::npos ||
                          (!s.empty() && s.back() == '-');
    if (is_taint) {
      taint_args.push_back(s);
    } else if (!taint_args.empty()) {
      return PrintError(env, "all resources must be specified before taint changes: " + s);
    } else {
      resources.push_back(s);
    }
  }
  if (resources.empty()) {
    return PrintError(env, "one or more resources must be specified as <resource> <name>");
  }
  if (taint_args.empty()) return PrintError(env, "at least one taint update is required");

  // utils.go ParseTaints.
  std::vector<Taint> to_add, to_remove;
  for (const auto& spec : taint_args) {
    const bool remove = spec.back() == '-';
    auto t = ParseTaint(remove ? spec.substr(0, spec.size() - 1) : spec);
    if (!t.ok()) {
      env.err << "error: " << t.status().message()
              << "\nSee 'kubectl taint -h' for help and examples\n";
      return 1;
    }
    if (remove) {
      to_remove.push_back({t->key, "", t->effect});
      continue;
    }
    if (t->effect.empty()) {
      env.err << "error: invalid taint spec: " << spec
              << "\nSee 'kubectl taint -h' for help and examples\n";
      return 1;
    }
    for (const auto& a : to_add) {
      if (a.key == t->key && a.effect == t->effect) {
        env.err << "error: duplicated taints with the same key and effect: " << t->ToString()
                << "\nSee 'kubectl taint -h' for help and examples\n";
        return 1;
      }
    }
    to_add.push_back(*t);
  }

  std::string type = resources[0];
  std::vector<std::string> names(resources.begin() + 1, resources.end());
  if (auto slash = type.find('/'); slash != std::string::npos) {
    names.insert(names.begin(), type.substr(slash + 1));
    type = type.substr(0, slash);
  }
  const api::ResourceStrategy* s = ResolveResource(env, type);
  if (!s) return 1;
  if (s->info().gvr != api::kNodes) {
    return PrintError(env, "invalid resource type " + type + ", only node types are supported");
  }
  if (flags.GetBool("all") || !flags.Get("selector").empty()) {
    api::Request req;
    req.verb = api::Verb::kList;
    req.gvr = api::kNodes;
    req.label_selector = flags.Get("selector");
    api::Response r = env.client().Do(req);
    if (!r.ok()) {
      PrintApiError(env, r);
      return 1;
    }
    for (const auto& n : r.body["items"]) names.push_back(api::Name(n));
  }
  int exit_code = 0;
  const bool overwrite = flags.GetBool("overwrite");
  for (const auto& name : names) {
    api::Response node = Get(env, api::kNodes, "", name);
    if (!node.ok()) {
      PrintApiError(env, node);
      exit_code = 1;
      continue;
    }
    const std::vector<Taint> old = NodeTaints(node.body);
    if (!overwrite) {  // checkIfTaintsAlreadyExists
      std::vector<std::string> exists;
      for (const auto& t : to_add) {
        for (const auto& o : old) {
          if (o.key == t.key && o.effect == t.effect) exists.push_back(t.key);
        }
      }
      if (!exists.empty()) {
        return PrintError(env, "node " + name + " already has " + JoinErrors(exists, ",") +
                                   " taint(s) with same effect(s) and --overwrite is false");
      }
    }
    // reorganizeTaints: the added ones first, then the old ones not replaced.
    std::vector<Taint> updated = to_add;
    for (const auto& o : old) {
      bool replaced = std::any_of(updated.begin(), updated.end(), [&](const Taint& t) {
        return t.key == o.key && t.effect == o.effect;
      });
      if (!replaced) updated.push_back(o);
    }
    const bool added = old.size() != updated.size();
    std::vector<std::string> not_found;
    bool deleted = false;
    for (const auto& r : to_remove) {
      auto before = updated.size();
      updated.erase(std::remove_if(updated.begin(), updated.end(),
                                   [&](const Taint& t) {
                                     return t.key == r.key &&
                                            (r.effect.empty() || t.effect == r.effect);
                                   }),
                    updated.end());
      deleted = updated.size() != before;
      if (!deleted) not_found.push_back("taint \"" + r.ToString() + "\" not found");
    }
    if (!not_found.empty()) {
      std::string msg = JoinErrors(not_found, ", ");
      return PrintError(env, not_found.size() > 1 ? "[" + msg + "]" : msg);
    }
    const std::string operation = (added && deleted) || overwrite ? "modified"
                                  : added                         ? "tainted"
                                                                  : "untainted";
    api::Object list = api::Object::array();
    for (const auto& t : updated) list.push_back(t.ToObject());
    api::Object patch = {{"spec", {{"taints", list.empty() ? api::Object() : list}}}};
    api::Response r =
        Patch(env, s->info(), "", name, api::kStrategicMergePatch, patch, "kubectl-taint");
    if (!r.ok()) {
      PrintApiError(env, r);
      return 1;
    }
    env.out << "node/" << name << " " << operation << "\n";
  }
  return exit_code;
}

// ---- drain -------------------------------------------------------------------

constexpr char kDaemonSetFatal[] = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
constexpr char kDaemonSetWarning[] = "ignoring DaemonSet-managed Pods";
constexpr char kLocalStorageFatal[] =
    "Pods with local storage (use --delete-emptydir-data to override)";
constexpr char kLocalStorageWarning[] = "deleting Pods with local storage";
constexpr char kUnmanagedFatal[] =
    "cannot delete Pods that declare no controller (use --force to override)";
constexpr char kUnmanagedWarning[] = "deleting Pods that declare no controller";
// The shell cannot wait forever as kubectl can: without --timeout, a drain
// gives up after this much simulated time.
constexpr Duration kDrainWaitCap = std::chrono::hours(1);

struct DrainOptions {
  bool ignore_daemonsets = false;
  bool force = false;
  bool delete_emptydir_data = false;
  bool disable_eviction = false;
  int64_t grace_period = -1;
  Duration timeout{0};
};

// drain/filters.go: what to do with one pod.
struct PodStatus {
  bool remove = true;
  enum class Reason { kOkay, kSkip, kWarning, kError } reason = Reason::kOkay;
  std::string message;
};

const api::Object* ControllerOf(const api::Object& pod) {
  const api::Object* refs = api::Find(pod, "/metadata/ownerReferences");
  if (!refs || !refs->is_array()) return nullptr;
  for (const auto& r : *refs) {
    if (r.value("controller", false)) return &r;
  }
  return nullptr;
}

bool Finished(const api::Object& pod) {
  std::string phase = api::GetString(pod, "/status/phase");
  return phase == "Succeeded" || phase == "Failed";
}

PodStatus Filter(Env& env, const api::Object& pod, const DrainOptions& o) {
  using R = PodStatus::Reason;
  // daemonSetFilter
  const api::Object* ctrl = ControllerOf(pod);
  if (ctrl && ctrl->value("kind", "") == "DaemonSet" && !Finished(pod)) {
    api::Response ds =
        Get(env, api::kDaemonSets, api::Namespace(pod), ctrl->value("name", std::string()));
    if (!ds.ok()) {
      std::string msg = ds.body.value("message", std::string("not found"));
      if (ds.code == 404 && o.force) return {true, R::kWarning, msg};
      return {false, R::kError, msg};
    }
    if (!o.ignore_daemonsets) return {false, R::kError, kDaemonSetFatal};
    return {false, R::kWarning, kDaemonSetWarning};
  }
  // mirrorPodFilter
  const api::Object* annotations = api::Find(pod, "/metadata/annotations");
  if (annotations && annotations->contains("kubernetes.io/config.mirror")) {
    return {false, R::kSkip, ""};
  }
  // localStorageFilter
  PodStatus status;
  const api::Object* volumes = api::Find(pod, "/spec/volumes");
  bool local = false;
  if (volumes && volumes->is_array()) {
    for (const auto& v : *volumes) local = local || v.contains("emptyDir");
  }
  if (local && !Finished(pod)) {
    if (!o.delete_emptydir_data) return {false, R::kError, kLocalStorageFatal};
    status = {true, R::kWarning, kLocalStorageWarning};
  }
  // unreplicatedFilter (its verdict replaces the local-storage warning, as
  // upstream's TODO notes)
  if (Finished(pod)) return {true, R::kOkay, ""};
  if (ctrl) return {true, R::kOkay, ""};
  if (o.force) return {true, R::kWarning, kUnmanagedWarning};
  return {false, R::kError, kUnmanagedFatal};
}

// Groups "ns/name" by message in first-seen order (upstream uses a map).
std::vector<std::pair<std::string, std::vector<std::string>>> Group(
    const std::vector<std::pair<std::string, std::string>>& msg_and_pod) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const auto& [msg, pod] : msg_and_pod) {
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& g) { return g.first == msg; });
    if (it == out.end()) {
      out.push_back({msg, {pod}});
    } else {
      it->second.push_back(pod);
    }
  }
  return out;
}

std::string JoinPods(const std::vector<std::string>& pods) { return JoinErrors(pods, ", "); }

// drain.go deleteOrEvictPodsSimple for one node. Returns no errors when
// drained, otherwise the errors of the node's aggregate.
std::vector<std::string> DrainNode(Env& env, const std::string& node, const DrainOptions& o) {
  api::Request list;
  list.verb = api::Verb::kList;
  list.gvr = api::kPods;
  list.field_selector = "spec.nodeName=" + node;
  api::Response pods = env.client().Do(list);
  if (!pods.ok()) return {pods.body.value("message", std::string("listing pods failed"))};

  std::vector<api::Object> to_delete;
  std::vector<std::pair<std::string, std::string>> errors, warnings;
  for (const auto& pod : pods.body["items"]) {
    PodStatus s = Filter(env, pod, o);
    const std::string id = api::Namespace(pod) + "/" + api::Name(pod);
    if (s.reason == PodStatus::Reason::kError) errors.push_back({s.message, id});
    if (s.reason == PodStatus::Reason::kWarning) warnings.push_back({s.message, id});
    if (s.remove) to_delete.push_back(pod);
  }
  if (!errors.empty()) {
    std::vector<std::string> errs;
    for (const auto& [msg, ids] : Group(errors)) {
      errs.push_back("cannot delete " + msg + ": " + JoinPods(ids));
    }
    return errs;
  }
  if (!warnings.empty()) {
    std::vector<std::string> parts;
    for (const auto& [msg, ids] : Group(warnings)) parts.push_back(msg + ": " + JoinPods(ids));
    env.err << "Warning: " << JoinErrors(parts, "; ") << "\n";
  }
  if (to_delete.empty()) return {};

  // evictPods / deletePods: every pod at once, then wait for each to go.
  struct Pending {
    api::Object pod;
    bool requested = false;
    Time retry_at{};
    bool done = false;
  };
  std::vector<Pending> pending;
  for (auto& p : to_delete) pending.push_back({std::move(p)});
  const Time start = env.ctx.executor->Now();
  const Duration limit = o.timeout > Duration(0) ? o.timeout : kDrainWaitCap;
  const char* verb = o.disable_eviction ? "deleted" : "evicted";
  auto request = [&](Pending& p) -> std::string {
    const std::string ns = api::Namespace(p.pod), name = api::Name(p.pod);
    api::Request req;
    req.namespace_ = ns;
    req.name = name;
    req.gvr = api::kPods;
    if (o.grace_period >= 0) req.grace_period_seconds = o.grace_period;
    if (o.disable_eviction) {
      env.out << "deleting pod " << ns << "/" << name << "\n";
      req.verb = api::Verb::kDelete;
    } else {
      env.out << "evicting pod " << ns << "/" << name << "\n";
      req.verb = api::Verb::kCreate;
      req.subresource = "eviction";
      req.body = {{"apiVersion", "policy/v1"},
                  {"kind", "Eviction"},
                  {"metadata", {{"name", name}, {"namespace", ns}}}};
      if (o.grace_period >= 0) req.body["deleteOptions"] = {{"gracePeriodSeconds", o.grace_period}};
    }
    api::Response r = env.client().Do(req);
    if (r.ok()) {
      p.requested = true;
      return "";
    }
    if (r.code == 404) {  // already gone
      p.done = true;
      return "";
    }
    const std::string message = r.body.value("message", std::string());
    if (r.code == 429 && !o.disable_eviction) {
      env.err << "error when evicting pods/\"" << name << "\" -n \"" << ns
              << "\" (will retry after 5s): " << message << "\n";
      p.retry_at = env.ctx.executor->Now() + std::chrono::seconds(5);
      return "";
    }
    return std::string("error when ") + (o.disable_eviction ? "deleting" : "evicting") +
           " pods/\"" + name + "\" -n \"" + ns + "\": " + message;
  };
  auto gone = [&](const Pending& p) {
    api::Response r = Get(env, api::kPods, api::Namespace(p.pod), api::Name(p.pod));
    return r.code == 404 || (r.ok() && api::Uid(r.body) != api::Uid(p.pod));
  };
  for (auto& p : pending) {
    std::string err = request(p);
    if (!err.empty()) return {err};
  }
  while (true) {
    for (auto& p : pending) {
      if (p.done || !p.requested) continue;
      if (gone(p)) {
        p.done = true;
        env.out << "pod/" << api::Name(p.pod) << " " << verb << "\n";
      }
    }
    if (std::all_of(pending.begin(), pending.end(), [](const Pending& p) { return p.done; })) {
      return {};
    }
    if (env.ctx.executor->Now() - start >= limit) {
      return {"drain did not complete within " + printers::GoDurationString(limit)};
    }
    env.ctx.executor->AdvanceBy(std::chrono::seconds(1));
    for (auto& p : pending) {
      if (!p.done && !p.requested && env.ctx.executor->Now() >= p.retry_at) {
        std::string err = request(p);
        if (!err.empty()) return {err};
      }
    }
  }
}

int RunDrain(Env& env, const Args& args) {
  FlagSet flags;
  AddGlobalFlags(flags);
  flags.String("selector", 'l');
  flags.Bool("ignore-daemonsets", 0);
  flags.Bool("force", 0);
  flags.Bool("delete-emptydir-data", 0);
  flags.Bool("disable-eviction", 0);
  flags.String("grace-period", 0, "-1");
  flags.String("timeout", 0, "0s");
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, "drain", st);
  DrainOptions o;
  o.ignore_daemonsets = flags.GetBool("ignore-daemonsets");
  o.force = flags.GetBool("force");
  o.delete_emptydir_data = flags.GetBool("delete-emptydir-data");
  o.disable_eviction = flags.GetBool("disable-eviction");
  try {
    o.grace_period = std::stoll(flags.Get("grace-period"));
  } catch (...) {
    return PrintError(env, "invalid argument \"" + flags.Get("grace-period") +
                               "\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"" +
                               flags.Get("grace-period") + "\": invalid syntax");
  }
  auto timeout = printers::ParseGoDuration(flags.Get("timeout"));
  if (!timeout.ok()) return PrintError(env, timeout.status().message());
  o.timeout = *timeout;
  std::vector<std::string> names;
  if (!NodeNames(env, "drain", flags, &names)) return 1;

  // drain.go RunDrain: cordon each node, then drain it; report the rest.
  std::vector<std::string> remaining, fatal;
  for (const auto& name : names) {
    if (!Cordon(env, name, true)) return 1;
    std::vector<std::string> errs = DrainNode(env, name, o);
    if (errs.empty()) {
      env.out << "node/" << name << " drained\n";
      continue;
    }
    // utilerrors.NewAggregate(errs).Error(): one error bare, several in [].
    std::string joined = JoinErrors(errs, ", ");
    env.err << "error: unable to drain node \"" << name
            << "\" due to error: " << (errs.size() > 1 ? "[" + joined + "]" : joined)
            << ", continuing command...\n";
    remaining.push_back(name);
    fatal.insert(fatal.end(), errs.begin(), errs.end());
  }
  if (remaining.empty()) return 0;
  env.err << "There are pending nodes to be drained:\n";
  for (const auto& n : remaining) env.err << " " << n << "\n";
  // cmdutil.CheckErr of the (flattened) aggregate: one line per error.
  for (const auto& e : fatal) env.err << e << "\n";
  return 1;
}

}  // namespace

int RunCordon(Env& env, const Args& args) { return RunCordonCommand(env, args, true); }
int RunUncordon(Env& env, const Args& args) { return RunCordonCommand(env, args, false); }
int RunTaintCommand(Env& env, const Args& args) { return RunTaint(env, args); }
int RunDrainCommand(Env& env, const Args& args) { return RunDrain(env, args); }

}  // namespace kubesim::shell
