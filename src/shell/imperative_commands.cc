// `create deployment` and `expose`: k8s.io/kubectl/pkg/cmd/create/
// create_deployment.go and k8s.io/kubectl/pkg/cmd/expose (expose.go with
// the service generator, generate/versioned/service.go), building the same
// objects kubectl sends (checked with `--dry-run=client -o json`).
#include <algorithm>
#include <map>
#include <sstream>

#include "commands.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/util/numbers.h"

namespace kubesim::shell {
namespace {

// create_deployment.go buildPodSpec: the image's last path element without
// tag or digest.
std::string ContainerName(const std::string& image) {
  std::string name = image.substr(image.rfind('/') == std::string::npos ? 0 : image.rfind('/') + 1);
  if (auto colon = name.find(':'); colon != std::string::npos) name = name.substr(0, colon);
  if (auto at = name.find('@'); at != std::string::npos) name = name.substr(0, at);
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

int Created(Env& env, const api::Response& r, const std::string& prefix, const std::string& name,
            const char* verb, bool dry_run) {
  if (!r.ok()) {
    PrintApiError(env, r);
    return 1;
  }
  env.out << prefix << "/" << name << " " << verb << (dry_run ? " (dry run)" : "") << "\n";
  return 0;
}

}  // namespace

int RunCreateDeployment(Env& env, const Args& args) {
  FlagSet flags;
  AddGlobalFlags(flags);
  flags.String("image", 0);
  flags.String("replicas", 'r', "1");
  flags.String("port", 0, "-1");
  flags.Bool("dry-run", 0);
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, "create deployment", st);
  const Args& pos = flags.positional();
  if (pos.size() != 1) {
    return PrintError(env, "exactly one NAME is required, got " + std::to_string(pos.size()));
  }
  std::vector<std::string> images = flags.GetAll("image");
  if (images.empty()) return PrintError(env, "required flag(s) \"image\" not set");
  int64_t replicas = 1, port = -1;
  if (!ParseInt64(flags.Get("replicas"), &replicas)) {
    return PrintError(env, "invalid argument \"" + flags.Get("replicas") +
                               "\" for \"-r, --replicas\" flag: strconv.ParseInt: parsing \"" +
                               flags.Get("replicas") + "\": invalid syntax");
  }
  if (!ParseInt64(flags.Get("port"), &port)) {
    return PrintError(env, "invalid argument \"" + flags.Get("port") +
                               "\" for \"--port\" flag: strconv.ParseInt: parsing \"" +
                               flags.Get("port") + "\": invalid syntax");
  }
  const std::string name = pos[0];
  api::Object containers = api::Object::array();
  for (const auto& image : images) {
    containers.push_back(
        {{"name", ContainerName(image)}, {"image", image}, {"resources", api::Object::object()}});
  }
  if (port >= 0) containers[0]["ports"] = api::Object::array({{{"containerPort", port}}});
  api::Object labels = {{"app", name}};
  api::Object deployment = {
      {"apiVersion", "apps/v1"},
      {"kind", "Deployment"},
      {"metadata", {{"name", name}, {"labels", labels}}},
      {"spec",
       {{"replicas", replicas},
        {"selector", {{"matchLabels", labels}}},
        {"template", {{"metadata", {{"labels", labels}}}, {"spec", {{"containers", containers}}}}},
        {"strategy", api::Object::object()}}},
      {"status", api::Object::object()}};
  api::Request req;
  req.verb = api::Verb::kCreate;
  req.gvr = api::kDeployments;
  req.namespace_ = NamespaceOf(flags);
  req.field_manager = "kubectl-create";
  req.dry_run = flags.GetBool("dry-run");
  req.body = std::move(deployment);
  return Created(env, env.client().Do(req), "deployment.apps", name, "created", req.dry_run);
}

int RunExpose(Env& env, const Args& args) {
  FlagSet flags;
  AddGlobalFlags(flags);
  flags.String("port", 0);
  flags.String("target-port", 0);
  flags.String("type", 0);
  flags.String("name", 0);
  flags.String("protocol", 0);
  flags.String("selector", 0);
  flags.Bool("dry-run", 0);
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, "expose", st);
  const api::ResourceStrategy* s = nullptr;
  std::string name;
  if (!ResolveTarget(env, flags.positional(), &s, &name)) return 1;
  const api::ResourceInfo& info = s->info();
  const std::string ns = NamespaceOf(flags);
  api::Response obj = Get(env, info.gvr, info.namespaced ? ns : "", name);
  if (!obj.ok()) {
    PrintApiError(env, obj);
    return 1;
  }
  // polymorphichelpers.MapBasedSelectorForObject: a Pod's labels, a
  // Service's selector, a workload's matchLabels (no expressions).
  std::map<std::string, std::string> selector;
  const std::string kind = info.kind;
  const api::Object* from = nullptr;
  if (kind == "Pod") {
    from = api::Find(obj.body, "/metadata/labels");
  } else if (kind == "Service") {
    from = api::Find(obj.body, "/spec/selector");
  } else if (kind == "Deployment" || kind == "ReplicaSet" || kind == "DaemonSet" ||
             kind == "StatefulSet") {
    if (api::Find(obj.body, "/spec/selector/matchExpressions")) {
      return PrintError(env,
                        "couldn't retrieve selectors via --selector flag or introspection: "
                        "the " +
                            std::string(kind == "Deployment" ? "deployment" : "object") +
                            " has a selector with match expressions, which expose does not "
                            "support");
    }
    from = api::Find(obj.body, "/spec/selector/matchLabels");
  } else if (kind == "ReplicationController") {
    from = api::Find(obj.body, "/spec/selector");
  } else {
    return PrintError(env, "cannot expose a " + kind);
  }
  if (from && from->is_object()) {
    for (auto it = from->begin(); it != from->end(); ++it) selector[it.key()] = *it;
  }
  if (!flags.Get("selector").empty()) {
    selector.clear();
    std::stringstream ss(flags.Get("selector"));
    for (std::string kv; std::getline(ss, kv, ',');) {
      size_t eq = kv.find('=');
      if (eq == std::string::npos) return PrintError(env, "invalid selector: " + kv);
      selector[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
  }
  if (selector.empty()) {
    return PrintError(env,
                      "couldn't retrieve selectors via --selector flag or introspection: "
                      "the object has no selector");
  }

  // The ports: --port, or every container port of the pod (template),
  // grouped by number with their protocols (polymorphichelpers
  // portsforobject.go / protocolsforobject.go).
  std::vector<std::pair<std::string, std::vector<std::string>>> ports;  // number -> protocols
  if (!flags.Get("port").empty()) {
    std::stringstream ss(flags.Get("port"));
    for (std::string p; std::getline(ss, p, ',');) ports.push_back({p, {}});
  } else {
    const api::Object* containers =
        api::Find(obj.body, kind == "Pod" ? "/spec/containers" : "/spec/template/spec/containers");
    if (containers && containers->is_array()) {
      for (const auto& c : *containers) {
        const api::Object* cports = api::Find(c, "/ports");
        if (!cports || !cports->is_array()) continue;
        for (const auto& p : *cports) {
          std::string number = std::to_string(api::GetInt(p, "/containerPort"));
          std::string proto = api::GetString(p, "/protocol");
          if (proto.empty()) proto = "TCP";
          auto it = std::find_if(ports.begin(), ports.end(),
                                 [&](const auto& e) { return e.first == number; });
          if (it == ports.end()) {
            ports.push_back({number, {proto}});
          } else if (std::find(it->second.begin(), it->second.end(), proto) == it->second.end()) {
            it->second.push_back(proto);
          }
        }
      }
    }
  }
  if (ports.empty()) {
    env.err << "error: couldn't find port via --port flag or introspection\n"
               "See 'kubectl expose -h' for help and examples\n";
    return 1;
  }
  api::Object service_ports = api::Object::array();
  for (size_t i = 0; i < ports.size(); ++i) {
    int64_t number = 0;
    if (!ParseInt64(ports[i].first, &number)) {
      return PrintError(env, "strconv.Atoi: parsing \"" + ports[i].first + "\": invalid syntax");
    }
    std::vector<std::string> protocols = ports[i].second;
    if (!flags.Get("protocol").empty()) protocols = {flags.Get("protocol")};
    if (protocols.empty()) protocols = {"TCP"};
    for (const auto& proto : protocols) {
      api::Object p = {{"port", number}, {"protocol", proto}};
      if (ports.size() > 1 || protocols.size() > 1) {
        std::string pname = "port-" + std::to_string(i + 1);
        if (protocols.size() > 1) {
          std::string lower = proto;
          std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
          pname += "-" + lower;
        }
        p["name"] = pname;
      }
      const std::string target = flags.Get("target-port");
      int64_t target_number = 0;
      if (target.empty()) {
        p["targetPort"] = number;
      } else if (ParseInt64(target, &target_number)) {
        p["targetPort"] = target_number;
      } else {
        p["targetPort"] = target;
      }
      service_ports.push_back(std::move(p));
    }
  }
  const std::string service_name = flags.Get("name").empty() ? name : flags.Get("name");
  api::Object labels = api::Object::object();
  if (const api::Object* l = api::Find(obj.body, "/metadata/labels"); l && l->is_object()) {
    labels = *l;
  }
  api::Object sel = api::Object::object();
  for (const auto& [k, v] : selector) sel[k] = v;
  api::Object meta = {{"name", service_name}};
  if (!labels.empty()) meta["labels"] = labels;
  api::Object service = {{"apiVersion", "v1"},
                         {"kind", "Service"},
                         {"metadata", meta},
                         {"spec", {{"ports", service_ports}, {"selector", sel}}}};
  if (!flags.Get("type").empty()) service["spec"]["type"] = flags.Get("type");
  api::Request req;
  req.verb = api::Verb::kCreate;
  req.gvr = api::kServices;
  req.namespace_ = ns;
  req.field_manager = "kubectl-expose";
  req.dry_run = flags.GetBool("dry-run");
  req.body = std::move(service);
  return Created(env, env.client().Do(req), "service", service_name, "exposed", req.dry_run);
}

}  // namespace kubesim::shell
