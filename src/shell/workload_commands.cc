// `scale`, `rollout status|history|undo|restart`, `set image`, `patch`:
// k8s.io/kubectl/pkg/cmd/{scale,rollout,set,patch} and
// k8s.io/kubectl/pkg/polymorphichelpers/{rollout_status,history,rollback}.go.
// Every change is a PATCH through the user's client.
#include <algorithm>
#include <sstream>

#include "commands.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/printers/duration.h"

namespace kubesim::shell {
namespace {

constexpr char kRevision[] = "deployment.kubernetes.io/revision";

std::string AnnotationOf(const api::Object& obj, const std::string& key) {
  const api::Object* a = api::Find(obj, "/metadata/annotations");
  if (!a || !a->is_object()) return "";
  auto it = a->find(key);
  return it != a->end() && it->is_string() ? it->get<std::string>() : "";
}

// The ReplicaSets a Deployment controls, by revision; for a DaemonSet its
// ControllerRevisions (DaemonSetHistoryViewer), each shaped as
// {metadata, spec: {template}} from the revision's data patch.
std::map<int64_t, api::Object> History(Env& env, const api::Object& d) {
  std::map<int64_t, api::Object> out;
  const bool daemonset = d.value("kind", "") == "DaemonSet";
  api::Request list;
  list.verb = api::Verb::kList;
  list.gvr = daemonset ? api::kControllerRevisions : api::kReplicaSets;
  list.namespace_ = api::Namespace(d);
  api::Response r = env.client().Do(list);
  if (!r.ok()) return out;
  for (const auto& rs : r.body["items"]) {
    const api::Object* refs = api::Find(rs, "/metadata/ownerReferences");
    bool owned = false;
    if (refs && refs->is_array()) {
      for (const auto& ref : *refs) {
        owned = owned || (ref.value("uid", "") == api::Uid(d) && ref.value("controller", false));
      }
    }
    if (!owned) continue;
    if (daemonset) {
      api::Object tmpl = api::Object::object();
      if (const api::Object* t = api::Find(rs, "/data/spec/template"); t && t->is_object()) {
        tmpl = *t;
        tmpl.erase("$patch");
      }
      out[api::GetInt(rs, "/revision")] = {{"metadata", rs["metadata"]},
                                           {"spec", {{"template", tmpl}}}};
      continue;
    }
    std::string rev = AnnotationOf(rs, kRevision);
    try {
      out[std::stoll(rev)] = rs;
    } catch (...) {
    }
  }
  return out;
}

// DeploymentStatusViewer.Status.
std::string DeploymentStatus(const api::Object& d, bool* done, std::string* error) {
  *done = false;
  const std::string name = api::Name(d);
  if (api::GetInt(d, "/metadata/generation") <= api::GetInt(d, "/status/observedGeneration")) {
    const api::Object* conds = api::Find(d, "/status/conditions");
    if (conds && conds->is_array()) {
      for (const auto& c : *conds) {
        if (c.value("type", "") == "Progressing" &&
            c.value("reason", "") == "ProgressDeadlineExceeded") {
          *error = "deployment \"" + name + "\" exceeded its progress deadline";
          return "";
        }
      }
    }
    const int64_t want = api::GetInt(d, "/spec/replicas");
    const int64_t updated = api::GetInt(d, "/status/updatedReplicas");
    const int64_t replicas = api::GetInt(d, "/status/replicas");
    const int64_t available = api::GetInt(d, "/status/availableReplicas");
    const std::string prefix = "Waiting for deployment \"" + name + "\" rollout to finish: ";
    if (updated < want) {
      return prefix + std::to_string(updated) + " out of " + std::to_string(want) +
             " new replicas have been updated...\n";
    }
    if (replicas > updated) {
      return prefix + std::to_string(replicas - updated) +
             " old replicas are pending termination...\n";
    }
    if (available < updated) {
      return prefix + std::to_string(available) + " of " + std::to_string(updated) +
             " updated replicas are available...\n";
    }
    *done = true;
    return "deployment \"" + name + "\" successfully rolled out\n";
  }
  return "Waiting for deployment spec update to be observed...\n";
}

// DaemonSetStatusViewer.Status.
std::string DaemonSetStatus(const api::Object& ds, bool* done, std::string* error) {
  *done = false;
  const std::string name = api::Name(ds);
  if (api::GetString(ds, "/spec/updateStrategy/type") != "RollingUpdate") {
    *done = true;
    *error = "rollout status is only available for RollingUpdate strategy type";
    return "";
  }
  if (api::GetInt(ds, "/metadata/generation") <= api::GetInt(ds, "/status/observedGeneration")) {
    const int64_t desired = api::GetInt(ds, "/status/desiredNumberScheduled");
    const int64_t updated = api::GetInt(ds, "/status/updatedNumberScheduled");
    const int64_t available = api::GetInt(ds, "/status/numberAvailable");
    const std::string prefix = "Waiting for daemon set \"" + name + "\" rollout to finish: ";
    if (updated < desired) {
      return prefix + std::to_string(updated) + " out of " + std::to_string(desired) +
             " new pods have been updated...\n";
    }
    if (available < desired) {
      return prefix + std::to_string(available) + " of " + std::to_string(desired) +
             " updated pods are available...\n";
    }
    *done = true;
    return "daemon set \"" + name + "\" successfully rolled out\n";
  }
  return "Waiting for daemon set spec update to be observed...\n";
}

int RolloutStatus(Env& env, const api::ResourceStrategy& s, const std::string& ns,
                  const std::string& name, const FlagSet& flags) {
  const bool daemonset = s.info().gvr == api::kDaemonSets;
  if (!(s.info().gvr == api::kDeployments) && !daemonset) {
    return PrintError(env, "no status viewer has been implemented for " + s.info().kind);
  }
  api::Response first = Get(env, s.info().gvr, ns, name);
  if (!first.ok()) {
    PrintApiError(env, first);
    return 1;
  }
  auto timeout = printers::ParseGoDuration(flags.Get("timeout"));
  if (!timeout.ok()) return PrintError(env, timeout.status().message());
  Duration limit = timeout->count() > 0 ? *timeout : std::chrono::hours(24);
  // kubectl prints the viewer's message on every watch event; kubesim
  // prints it each time it changes.
  std::string last, error;
  bool done = false;
  auto check = [&] {
    api::Response r = Get(env, s.info().gvr, ns, name);
    if (!r.ok()) {
      error = r.body.value("message", "");
      return true;
    }
    std::string msg = daemonset ? DaemonSetStatus(r.body, &done, &error)
                                : DeploymentStatus(r.body, &done, &error);
    if (!error.empty()) return true;
    if (msg != last) env.out << msg;
    last = msg;
    return done;
  };
  bool finished = AdvanceUntil(env, check, limit);
  if (!error.empty()) return PrintError(env, error);
  if (!finished) return PrintError(env, "timed out waiting for the condition");
  return 0;
}

}  // namespace

int RunScale(Env& env, const Args& args) {
  FlagSet flags;
  AddGlobalFlags(flags);
  flags.String("replicas", 0, "-1");
  flags.String("current-replicas", 0, "-1");
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, "scale", st);
  int64_t replicas = -1;
  try {
    replicas = std::stoll(flags.Get("replicas"));
  } catch (...) {
    return PrintError(env, "invalid argument \"" + flags.Get("replicas") +
                               "\" for \"--replicas\" flag: strconv.ParseInt: parsing \"" +
                               flags.Get("replicas") + "\": invalid syntax");
  }
  if (replicas < 0) {
    return PrintError(
        env, "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
  }
  const api::ResourceStrategy* s = nullptr;
  std::string name;
  if (!ResolveTarget(env, flags.positional(), &s, &name)) return 1;
  const api::ResourceInfo& info = s->info();
  if (!(info.gvr == api::kDeployments) && !(info.gvr == api::kReplicaSets)) {
    return PrintError(env, "cannot scale " + info.kind);
  }
  const std::string ns = NamespaceOf(flags);
  const std::string cur = flags.Get("current-replicas");
  if (cur != "-1") {
    api::Response g = Get(env, info.gvr, ns, name);
    if (!g.ok()) {
      PrintApiError(env, g);
      return 1;
    }
    if (std::to_string(api::GetInt(g.body, "/spec/replicas")) != cur) {
      return PrintError(env, "Expected replicas to be " + cur + ", was " +
                                 std::to_string(api::GetInt(g.body, "/spec/replicas")));
    }
  }
  // kubectl scale patches the scale subresource (scale.go ScaleWithConditions:
  // merge patch {"spec":{"replicas":N}} on .../scale).
  api::Request req;
  req.verb = api::Verb::kPatch;
  req.gvr = info.gvr;
  req.namespace_ = info.namespaced ? ns : "";
  req.name = name;
  req.content_type = api::kMergePatch;
  req.body = {{"spec", {{"replicas", replicas}}}};
  bool has_scale = false;
  for (const auto& sub : info.subresources) has_scale = has_scale || sub == "scale";
  if (has_scale) req.subresource = "scale";
  api::Response r = env.client().Do(req);
  if (!r.ok()) {
    PrintApiError(env, r);
    return 1;
  }
  env.out << KindPrefix(info) << "/" << name << " scaled\n";
  return 0;
}

int RunRollout(Env& env, const Args& args) {
  FlagSet flags;
  AddGlobalFlags(flags);
  flags.String("timeout", 0, "0s");
  flags.String("revision", 0, "0");
  flags.String("to-revision", 0, "0");
  flags.Bool("watch", 'w', true);
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, "rollout", st);
  const Args& pos = flags.positional();
  if (pos.empty()) {
    return PrintError(env, "rollout requires a subcommand: history, restart, status, undo");
  }
  const std::string sub = pos[0];
  const api::ResourceStrategy* s = nullptr;
  std::string name;
  if (!ResolveTarget(env, Args(pos.begin() + 1, pos.end()), &s, &name)) return 1;
  const std::string ns = NamespaceOf(flags);
  const api::ResourceInfo& info = s->info();
  if (sub == "status") return RolloutStatus(env, *s, ns, name, flags);
  if (!(info.gvr == api::kDeployments) && !(info.gvr == api::kDaemonSets)) {
    return PrintError(env, "no " + sub + " has been implemented for " + info.kind);
  }
  api::Response d = Get(env, info.gvr, ns, name);
  if (!d.ok()) {
    PrintApiError(env, d);
    return 1;
  }
  if (sub == "history") {
    auto history = History(env, d.body);
    int64_t want = 0;
    try {
      want = std::stoll(flags.Get("revision"));
    } catch (...) {
    }
    if (want > 0) {
      if (!history.count(want)) {
        return PrintError(env, "unable to find the specified revision");
      }
      env.out << KindPrefix(info) << "/" << name << " with revision #" << want << "\n";
      env.out << "Pod Template:\n  Labels:\t";
      const api::Object* labels = api::Find(history[want], "/spec/template/metadata/labels");
      bool first = true;
      if (labels && labels->is_object()) {
        for (auto it = labels->begin(); it != labels->end(); ++it) {
          env.out << (first ? "" : "\n\t") << it.key() << "=" << it.value().get<std::string>();
          first = false;
        }
      }
      env.out << "\n  Containers:\n";
      for (const auto& c : history[want]["spec"]["template"]["spec"]["containers"]) {
        env.out << "   " << c.value("name", "") << ":\n    Image:\t" << c.value("image", "")
                << "\n";
      }
      env.out << "\n";
      return 0;
    }
    env.out << KindPrefix(info) << "/" << name << " \n";
    std::vector<std::pair<std::string, std::string>> rows = {{"REVISION", "CHANGE-CAUSE"}};
    for (auto& [rev, rs] : history) {
      std::string cause = AnnotationOf(rs, "kubernetes.io/change-cause");
      rows.push_back({std::to_string(rev), cause.empty() ? "<none>" : cause});
    }
    size_t w = 0;
    for (auto& r : rows) w = std::max(w, r.first.size());
    for (auto& r : rows)
      env.out << r.first << std::string(w - r.first.size() + 2, ' ') << r.second << "\n";
    env.out << "\n";
    return 0;
  }
  if (sub == "undo") {
    // polymorphichelpers/rollback.go DeploymentRollbacker.Rollback.
    int64_t to = 0;
    try {
      to = std::stoll(flags.Get("to-revision"));
    } catch (...) {
    }
    auto history = History(env, d.body);
    const api::Object* target = nullptr;
    if (to == 0) {
      if (history.size() <= 1) {
        return PrintError(
            env, "no rollout history found for " +
                     std::string(info.gvr == api::kDaemonSets ? "daemonset" : "deployment") +
                     " \"" + name + "\"");
      }
      auto it = history.rbegin();
      ++it;  // the previous revision
      target = &it->second;
      to = it->first;
    } else {
      if (!history.count(to)) {
        return PrintError(
            env, "unable to find specified revision " + std::to_string(to) + " in history");
      }
      target = &history[to];
    }
    api::Object tmpl = (*target)["spec"]["template"];
    tmpl["metadata"]["labels"].erase("pod-template-hash");
    api::Object current = d.body["spec"]["template"];
    if (tmpl == current) {
      env.out << KindPrefix(info) << "/" << name
              << " skipped rollback (current template already matches revision " << to << ")\n";
      return 0;
    }
    api::Object patch = {{"op", "replace"}, {"path", "/spec/template"}, {"value", tmpl}};
    // rollout undo has no --field-manager: the server names the User-Agent.
    api::Response r = Patch(env, info, ns, name, api::kJsonPatch, api::Object::array({patch}), "");
    if (!r.ok()) {
      PrintApiError(env, r);
      return 1;
    }
    env.out << KindPrefix(info) << "/" << name << " rolled back\n";
    return 0;
  }
  if (sub == "restart") {
    api::Object patch = {{"spec",
                          {{"template",
                            {{"metadata",
                              {{"annotations",
                                {{"kubectl.kubernetes.io/restartedAt",
                                  FormatRfc3339(env.ctx.executor->Now())}}}}}}}}}};
    api::Response r =
        Patch(env, info, ns, name, api::kStrategicMergePatch, patch, "kubectl-rollout");
    if (!r.ok()) {
      PrintApiError(env, r);
      return 1;
    }
    env.out << KindPrefix(info) << "/" << name << " restarted\n";
    return 0;
  }
  return PrintError(env, "unknown command \"" + sub + "\" for \"kubectl rollout\"");
}

int RunSet(Env& env, const Args& args) {
  FlagSet flags;
  AddGlobalFlags(flags);
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, "set", st);
  const Args& pos = flags.positional();
  if (pos.empty() || pos[0] != "image") {
    return PrintError(env, "set supports the subcommand: image");
  }
  // set image TYPE/NAME CONTAINER=IMAGE ... | TYPE NAME CONTAINER=IMAGE ...
  Args rest(pos.begin() + 1, pos.end());
  Args targets;
  std::vector<std::pair<std::string, std::string>> images;
  for (const auto& a : rest) {
    auto eq = a.find('=');
    if (eq != std::string::npos) {
      images.push_back({a.substr(0, eq), a.substr(eq + 1)});
    } else {
      targets.push_back(a);
    }
  }
  if (images.empty()) return PrintError(env, "at least one image update is required");
  const api::ResourceStrategy* s = nullptr;
  std::string name;
  if (!ResolveTarget(env, targets, &s, &name)) return 1;
  const api::ResourceInfo& info = s->info();
  const std::string ns = NamespaceOf(flags);
  api::Response d = Get(env, info.gvr, ns, name);
  if (!d.ok()) {
    PrintApiError(env, d);
    return 1;
  }
  const bool is_pod = info.gvr == api::kPods;
  const api::Object* containers =
      api::Find(d.body, is_pod ? "/spec/containers" : "/spec/template/spec/containers");
  if (!containers || !containers->is_array()) {
    return PrintError(env, "unable to find container named in " + name);
  }
  api::Object patch_containers = api::Object::array();
  for (const auto& [cname, image] : images) {
    bool found = false;
    for (const auto& c : *containers) {
      if (cname == "*" || c.value("name", "") == cname) {
        found = true;
        patch_containers.push_back({{"name", c.value("name", "")}, {"image", image}});
      }
    }
    if (!found) {
      return PrintError(env, "unable to find container named \"" + cname + "\"");
    }
  }
  // kubectl's two-way strategic patch (set_image.go, CreateTwoWayMergePatch):
  // the changed containers by name, and the list's order.
  api::Object order = api::Object::array();
  for (const auto& c : *containers) order.push_back({{"name", c.value("name", "")}});
  api::Object pod_spec = {{"$setElementOrder/containers", order}, {"containers", patch_containers}};
  api::Object patch = is_pod ? api::Object{{"spec", pod_spec}}
                             : api::Object{{"spec", {{"template", {{"spec", pod_spec}}}}}};
  api::Response r = Patch(env, info, ns, name, api::kStrategicMergePatch, patch, "kubectl-set");
  if (!r.ok()) {
    PrintApiError(env, r);
    return 1;
  }
  env.out << KindPrefix(info) << "/" << name << " image updated\n";
  return 0;
}

int RunPatch(Env& env, const Args& args) {
  FlagSet flags;
  AddGlobalFlags(flags);
  flags.String("patch", 'p');
  flags.String("type", 0, "strategic");
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, "patch", st);
  const api::ResourceStrategy* s = nullptr;
  std::string name;
  if (!ResolveTarget(env, flags.positional(), &s, &name)) return 1;
  const std::string text = flags.Get("patch");
  if (text.empty()) return PrintError(env, "must specify -p to patch");
  const std::string type = flags.Get("type");
  std::string content_type;
  if (type == "strategic") {
    content_type = api::kStrategicMergePatch;
  } else if (type == "merge") {
    content_type = api::kMergePatch;
  } else if (type == "json") {
    content_type = api::kJsonPatch;
  } else {
    return PrintError(env, "--type must be one of [json merge strategic], not \"" + type + "\"");
  }
  api::Object body = api::Object::parse(text, nullptr, false);
  if (body.is_discarded()) {
    return PrintError(env,
                      "unable to parse \"" + text + "\": yaml: did not find expected node content");
  }
  const api::ResourceInfo& info = s->info();
  const std::string ns = NamespaceOf(flags);
  api::Response before = Get(env, info.gvr, info.namespaced ? ns : "", name);
  api::Response r = Patch(env, info, ns, name, content_type, body, "kubectl-patch");
  if (!r.ok()) {
    PrintApiError(env, r);
    return 1;
  }
  const bool unchanged =
      before.ok() && api::ResourceVersion(before.body) == api::ResourceVersion(r.body);
  env.out << KindPrefix(info) << "/" << name << " patched" << (unchanged ? " (no change)" : "")
          << "\n";
  return 0;
}

}  // namespace kubesim::shell
