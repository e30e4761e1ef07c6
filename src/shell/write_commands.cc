// `run`, `create -f`, `apply -f`, `delete`: k8s.io/kubectl/pkg/cmd/{run,create,
// apply,delete}. Every write is a Request through the user's client.
#include <sstream>

#include "commands.h"
#include "kubesim/api/errors.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/printers/duration.h"

namespace kubesim::shell {
namespace {

constexpr char kLastApplied[] = "kubectl.kubernetes.io/last-applied-configuration";

// Namespace a manifest goes to: its own, else -n, else "default"; a
// mismatch with an explicit -n is kubectl's error.
bool ManifestNamespace(Env& env, const FlagSet& flags, const Manifest& m,
                       const api::ResourceInfo& info, std::string* ns) {
  if (!info.namespaced) {
    ns->clear();
    return true;
  }
  std::string own = api::Namespace(m.object);
  std::string flag = flags.Get("namespace");
  if (!own.empty() && !flag.empty() && own != flag) {
    env.err << "error: the namespace from the provided object \"" << own
            << "\" does not match the namespace \"" << flag
            << "\". You must pass '--namespace=" << own << "' to perform this operation.\n";
    return false;
  }
  *ns = !own.empty() ? own : (flag.empty() ? "default" : flag);
  return true;
}

const api::ResourceStrategy* ManifestResource(Env& env, const Manifest& m, const std::string& ns) {
  std::string api_version = m.object.value("apiVersion", "");
  std::string kind = m.object.value("kind", "");
  const api::ResourceStrategy* s = FindByKind(env, api_version, kind);
  if (!s) {
    env.err << "error: resource mapping not found for name: \"" << api::Name(m.object)
            << "\" namespace: \"" << ns << "\" from \"" << m.source << "\": no matches for kind \""
            << kind << "\" in version \"" << api_version << "\"\nensure CRDs are installed first\n";
  }
  return s;
}

// Prefixes a server error with where it came from (cmdutil.AddSourceToErr).
api::Response WithSource(api::Response r, const std::string& verb, const std::string& source) {
  if (r.body.contains("message") && r.body.value("reason", "") != "Invalid") {
    r.body["message"] =
        "error when " + verb + " \"" + source + "\": " + r.body["message"].get<std::string>();
  }
  return r;
}

// A JSON merge patch turning `from` into `to` (RFC 7386), null for deletions.
api::Object MergeDiff(const api::Object& from, const api::Object& to) {
  if (!from.is_object() || !to.is_object()) return to;
  api::Object patch = api::Object::object();
  for (auto it = from.begin(); it != from.end(); ++it) {
    if (!to.contains(it.key())) patch[it.key()] = nullptr;
  }
  for (auto it = to.begin(); it != to.end(); ++it) {
    auto old_it = from.find(it.key());
    if (old_it == from.end()) {
      patch[it.key()] = it.value();
    } else if (*old_it != it.value()) {
      patch[it.key()] = old_it->is_object() && it.value().is_object()
                            ? MergeDiff(*old_it, it.value())
                            : it.value();
    }
  }
  return patch;
}

// kubectl's --validate flag as the server's fieldValidation parameter
// (k8s.io/kubectl/pkg/cmd/util/helpers.go GetValidationDirective). Returns
// false, after printing kubectl's error, for an unknown value.
bool ValidationDirective(Env& env, const FlagSet& flags, std::string* out) {
  const std::string v = flags.Get("validate");
  if (v == "true" || v == "strict") {
    *out = "Strict";
  } else if (v == "warn") {
    *out = "Warn";
  } else if (v == "false" || v == "ignore") {
    *out = "Ignore";
  } else {
    env.err << "error: invalid - validate option \"" << v
            << "\"; must be one of: strict (or true), warn, ignore (or false)\n";
    return false;
  }
  return true;
}

}  // namespace

int RunRun(Env& env, const Args& args) {
  FlagSet flags;
  AddGlobalFlags(flags);
  flags.String("image", 0);
  flags.String("restart", 0, "Always");
  flags.String("labels", 'l');
  flags.String("port", 0);
  flags.String("env", 0);
  flags.String("requests", 0);
  flags.String("limits", 0);
  flags.Bool("dry-run", 0);
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, "run", st);
  if (flags.positional().empty()) {
    env.err << "error: NAME is required for run\nSee 'kubectl run -h' for help and examples\n";
    return 1;
  }
  std::string image = flags.Get("image");
  if (image.empty()) return PrintError(env, "required flag(s) \"image\" not set");
  std::string name = flags.positional()[0];
  std::string restart = flags.Get("restart");
  if (restart != "Always" && restart != "OnFailure" && restart != "Never") {
    return PrintError(env, "invalid restart policy: " + restart);
  }
  // kubectl run's generator (pkg/generate/versioned/run.go): label run=NAME
  // unless --labels is given.
  api::Object labels = api::Object::object();
  std::string label_text = flags.Get("labels");
  if (label_text.empty()) {
    labels["run"] = name;
  } else {
    std::stringstream ss(label_text);
    std::string kv;
    while (std::getline(ss, kv, ',')) {
      auto eq = kv.find('=');
      if (eq == std::string::npos) {
        return PrintError(env, "invalid label spec: " + kv);
      }
      labels[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
  }
  api::Object container = {{"name", name}, {"image", image}, {"resources", api::Object::object()}};
  if (!flags.Get("port").empty()) {
    try {
      container["ports"] = {{{"containerPort", std::stoi(flags.Get("port"))}}};
    } catch (...) {
      return PrintError(env, "invalid argument \"" + flags.Get("port") + "\" for \"--port\"");
    }
  }
  auto parse_resources = [&](const std::string& text, const char* field) {
    std::stringstream ss(text);
    std::string kv;
    while (std::getline(ss, kv, ',')) {
      auto eq = kv.find('=');
      if (eq != std::string::npos)
        container["resources"][field][kv.substr(0, eq)] = kv.substr(eq + 1);
    }
  };
  if (!flags.Get("requests").empty()) parse_resources(flags.Get("requests"), "requests");
  if (!flags.Get("limits").empty()) parse_resources(flags.Get("limits"), "limits");
  api::Object pod = {
      {"apiVersion", "v1"},
      {"kind", "Pod"},
      {"metadata", {{"name", name}, {"labels", labels}}},
      {"spec",
       {{"containers", {container}}, {"dnsPolicy", "ClusterFirst"}, {"restartPolicy", restart}}},
      {"status", api::Object::object()}};
  api::Request req;
  req.verb = api::Verb::kCreate;
  req.field_manager = "kubectl-run";  // run.go's --field-manager default
  req.gvr = api::kPods;
  req.namespace_ = NamespaceOf(flags);
  req.body = pod;
  req.dry_run = flags.GetBool("dry-run");
  api::Response r = env.client().Do(req);
  if (!r.ok()) {
    PrintApiError(env, r);
    return 1;
  }
  env.out << "pod/" << name << " created" << (req.dry_run ? " (dry run)" : "") << "\n";
  return 0;
}

int RunCreate(Env& env, const Args& args) {
  if (!args.empty() && (args[0] == "deployment" || args[0] == "deploy")) {
    return RunCreateDeployment(env, Args(args.begin() + 1, args.end()));
  }
  FlagSet flags;
  AddGlobalFlags(flags);
  flags.String("filename", 'f');
  flags.Bool("dry-run", 0);
  flags.String("validate", 0, "strict");
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, "create", st);
  std::string validation;
  if (!ValidationDirective(env, flags, &validation)) return 1;
  const Args& pos = flags.positional();
  if (flags.GetAll("filename").empty() && !pos.empty() &&
      (pos[0] == "namespace" || pos[0] == "ns")) {
    // kubectl create namespace NAME (k8s.io/kubectl/pkg/cmd/create/create_namespace.go).
    if (pos.size() != 2)
      return PrintError(env, "exactly one NAME is required, got " + std::to_string(pos.size() - 1));
    api::Request req;
    req.verb = api::Verb::kCreate;
    req.field_manager = "kubectl-create";  // create's --field-manager default
    req.gvr = {"", "v1", "namespaces"};
    req.body = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", pos[1]}}}};
    req.dry_run = flags.GetBool("dry-run");
    api::Response r = env.client().Do(req);
    if (!r.ok()) {
      PrintApiError(env, r);
      return 1;
    }
    env.out << "namespace/" << pos[1] << " created" << (req.dry_run ? " (dry run)" : "") << "\n";
    return 0;
  }
  if (flags.GetAll("filename").empty()) {
    env.err << "error: must specify one of -f and -k\n\n";
    return 1;
  }
  std::vector<Manifest> manifests;
  if (!ReadManifests(env, flags.GetAll("filename"), &manifests)) return 1;
  int exit_code = 0;
  for (const auto& m : manifests) {
    std::string ns = flags.Get("namespace");
    const api::ResourceStrategy* s = ManifestResource(env, m, ns);
    if (!s) {
      exit_code = 1;
      continue;
    }
    if (!ManifestNamespace(env, flags, m, s->info(), &ns)) {
      exit_code = 1;
      continue;
    }
    api::Request req;
    req.verb = api::Verb::kCreate;
    req.field_manager = "kubectl-create";
    req.gvr = s->info().gvr;
    req.namespace_ = ns;
    req.body = m.object;
    req.dry_run = flags.GetBool("dry-run");
    // kubectl's --validate=strict default asks the server for
    // fieldValidation=Strict: unknown fields are an error.
    req.field_validation = validation;
    api::Response r = env.client().Do(req);
    if (!r.ok()) {
      PrintApiError(env, WithSource(r, "creating", m.source));
      exit_code = 1;
      continue;
    }
    env.out << KindPrefix(s->info()) << "/" << api::Name(r.body) << " created"
            << (req.dry_run ? " (dry run)" : "") << "\n";
  }
  return exit_code;
}

int RunApply(Env& env, const Args& args) {
  // Client-side apply (kubectl apply without --server-side): the
  // last-applied-configuration annotation holds what was applied before; the
  // patch is the three-way difference. TODO(issue 6): strategic merge
  // semantics for lists with merge keys.
  FlagSet flags;
  AddGlobalFlags(flags);
  flags.String("filename", 'f');
  flags.Bool("dry-run", 0);
  flags.Bool("server-side", 0);
  flags.String("validate", 0, "strict");
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, "apply", st);
  std::string validation;
  if (!ValidationDirective(env, flags, &validation)) return 1;
  if (flags.GetAll("filename").empty()) {
    return PrintError(env, "must specify one of -f and -k");
  }
  std::vector<Manifest> manifests;
  if (!ReadManifests(env, flags.GetAll("filename"), &manifests)) return 1;
  int exit_code = 0;
  for (const auto& m : manifests) {
    std::string ns = flags.Get("namespace");
    const api::ResourceStrategy* s = ManifestResource(env, m, ns);
    if (!s) {
      exit_code = 1;
      continue;
    }
    const api::ResourceInfo& info = s->info();
    if (!ManifestNamespace(env, flags, m, info, &ns)) {
      exit_code = 1;
      continue;
    }
    std::string name = api::Name(m.object);
    if (name.empty()) {
      env.err << "error: error when retrieving current configuration of:\nResource: \""
              << info.QualifiedResource() << "\", GroupVersionKind: \"" << info.ApiVersion()
              << ", Kind=" << info.kind << "\"\nName: \"\", Namespace: \"" << ns
              << "\"\nfrom server for: \"" << m.source << "\": resource name may not be empty\n";
      exit_code = 1;
      continue;
    }
    api::Object applied = m.object;
    if (info.namespaced && !applied["metadata"].contains("namespace")) {
      // kubectl records the object as given, without the defaulted namespace.
    }
    std::string annotation = applied.dump();
    api::Request get;
    get.verb = api::Verb::kGet;
    get.gvr = info.gvr;
    get.namespace_ = ns;
    get.name = name;
    api::Response current = env.client().Do(get);
    if (current.code == 404) {
      api::Object body = m.object;
      body["metadata"]["annotations"][kLastApplied] = annotation + "\n";
      api::Request req;
      req.verb = api::Verb::kCreate;
      req.field_manager = "kubectl-client-side-apply";  // apply's --field-manager default
      req.gvr = info.gvr;
      req.namespace_ = ns;
      req.body = body;
      req.dry_run = flags.GetBool("dry-run");
      req.field_validation = validation;  // kubectl --validate (default strict)
      api::Response r = env.client().Do(req);
      if (!r.ok()) {
        PrintApiError(env, WithSource(r, "creating", m.source));
        exit_code = 1;
        continue;
      }
      env.out << KindPrefix(info) << "/" << name << " created" << (req.dry_run ? " (dry run)" : "")
              << "\n";
      continue;
    }
    if (!current.ok()) {
      PrintApiError(env, WithSource(current, "retrieving current configuration of", m.source));
      exit_code = 1;
      continue;
    }
    api::Object last = api::Object::object();
    const api::Object* ann = api::Find(current.body, "/metadata/annotations");
    if (ann && ann->contains(kLastApplied) && (*ann)[kLastApplied].is_string()) {
      last = api::Object::parse((*ann)[kLastApplied].get<std::string>(), nullptr, false);
      if (last.is_discarded()) last = api::Object::object();
    }
    api::Object patch = MergeDiff(last, applied);
    // Keep fields the live object has that the user never applied: a merge
    // patch from last-applied only touches what the user manages.
    if (patch.is_object() && patch.empty()) {
      env.out << KindPrefix(info) << "/" << name << " unchanged\n";
      continue;
    }
    patch["metadata"]["annotations"][kLastApplied] = annotation + "\n";
    api::Request req;
    req.verb = api::Verb::kPatch;
    req.field_manager = "kubectl-client-side-apply";
    req.gvr = info.gvr;
    req.namespace_ = ns;
    req.name = name;
    req.content_type = api::kMergePatch;
    req.body = patch;
    req.dry_run = flags.GetBool("dry-run");
    req.field_validation = validation;
    api::Response r = env.client().Do(req);
    if (!r.ok()) {
      PrintApiError(env, WithSource(r, "applying patch", m.source));
      exit_code = 1;
      continue;
    }
    env.out << KindPrefix(info) << "/" << name << " configured" << (req.dry_run ? " (dry run)" : "")
            << "\n";
  }
  return exit_code;
}

int RunDelete(Env& env, const Args& args) {
  FlagSet flags;
  AddGlobalFlags(flags);
  flags.String("filename", 'f');
  flags.String("grace-period", 0, "-1");
  flags.Bool("force", 0);
  flags.Bool("now", 0);
  flags.Bool("wait", 0, true);
  flags.Bool("all", 0);
  flags.Bool("all-namespaces", 'A');
  flags.String("selector", 'l');
  flags.Bool("ignore-not-found", 0);
  flags.String("timeout", 0, "0s");
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, "delete", st);

  struct Victim {
    const api::ResourceStrategy* s;
    std::string ns, name, source;
  };
  std::vector<Victim> victims;
  const Args& pos = flags.positional();
  if (!flags.GetAll("filename").empty()) {
    std::vector<Manifest> manifests;
    if (!ReadManifests(env, flags.GetAll("filename"), &manifests)) return 1;
    for (const auto& m : manifests) {
      std::string ns = flags.Get("namespace");
      const api::ResourceStrategy* s = ManifestResource(env, m, ns);
      if (!s) return 1;
      if (!ManifestNamespace(env, flags, m, s->info(), &ns)) return 1;
      victims.push_back({s, ns, api::Name(m.object), m.source});
    }
  } else {
    if (pos.empty()) {
      env.err << "error: You must provide one or more resources by argument or filename.\n"
                 "Example resource specifications include:\n"
                 "   '-f rsrc.yaml'\n"
                 "   '--filename=rsrc.json'\n"
                 "   '<resource> <name>'\n"
                 "   '<resource>'\n";
      return 1;
    }
    std::vector<std::pair<const api::ResourceStrategy*, std::string>> named;
    if (pos[0].find('/') != std::string::npos) {
      for (const auto& a : pos) {
        auto slash = a.find('/');
        if (slash == std::string::npos) {
          return PrintError(env,
                            "there is no need to specify a resource type as a separate argument "
                            "when passing arguments in resource/name form");
        }
        const api::ResourceStrategy* s = ResolveResource(env, a.substr(0, slash));
        if (!s) return 1;
        named.push_back({s, a.substr(slash + 1)});
      }
    } else {
      const api::ResourceStrategy* s = ResolveResource(env, pos[0]);
      if (!s) return 1;
      if (pos.size() == 1) {
        if (!flags.GetBool("all") && flags.Get("selector").empty()) {
          return PrintError(env, "resource(s) were provided, but no name was specified");
        }
        api::Request list;
        list.verb = api::Verb::kList;
        list.gvr = s->info().gvr;
        list.namespace_ =
            s->info().namespaced && !flags.GetBool("all-namespaces") ? NamespaceOf(flags) : "";
        list.label_selector = flags.Get("selector");
        api::Response r = env.client().Do(list);
        if (!r.ok()) {
          PrintApiError(env, r);
          return 1;
        }
        for (const auto& item : r.body["items"]) {
          victims.push_back({s, api::Namespace(item), api::Name(item), ""});
        }
        if (victims.empty()) {
          env.err << "No resources found\n";
          return 0;
        }
      }
      for (size_t i = 1; i < pos.size(); ++i) named.push_back({s, pos[i]});
    }
    for (auto& [s, name] : named) {
      victims.push_back({s, s->info().namespaced ? NamespaceOf(flags) : "", name, ""});
    }
  }

  int64_t grace = -1;
  try {
    grace = std::stoll(flags.Get("grace-period"));
  } catch (...) {
    return PrintError(
        env, "invalid argument \"" + flags.Get("grace-period") + "\" for \"--grace-period\" flag");
  }
  const bool force = flags.GetBool("force");
  if (flags.GetBool("now")) grace = 1;
  if (force && grace < 0) grace = 0;  // --force alone means immediate (kubectl 1.32)
  if (force && grace == 0) {
    env.err << "Warning: Immediate deletion does not wait for confirmation that the running "
               "resource has been terminated. The resource may continue to run on the cluster "
               "indefinitely.\n";
  }
  int exit_code = 0;
  for (const auto& v : victims) {
    api::Request req;
    req.verb = api::Verb::kDelete;
    req.gvr = v.s->info().gvr;
    req.namespace_ = v.ns;
    req.name = v.name;
    req.propagation_policy = "Background";
    if (grace >= 0) req.grace_period_seconds = grace;
    api::Response r = env.client().Do(req);
    if (!r.ok()) {
      if (r.code == 404 && flags.GetBool("ignore-not-found")) continue;
      PrintApiError(env, v.source.empty() ? r : WithSource(r, "deleting", v.source));
      exit_code = 1;
      continue;
    }
    std::string uid = api::Uid(r.body);
    env.out << KindPrefix(v.s->info()) << " \"" << v.name << "\" "
            << (force && grace == 0 ? "force deleted" : "deleted") << "\n";
    if (flags.GetBool("wait")) {
      // kubectl delete waits until the object is gone (--wait=true default):
      // time passes in the simulation while the kubelet terminates the pod.
      auto gone = [&] {
        api::Request get;
        get.verb = api::Verb::kGet;
        get.gvr = v.s->info().gvr;
        get.namespace_ = v.ns;
        get.name = v.name;
        api::Response g = env.client().Do(get);
        return g.code == 404 || (g.ok() && api::Uid(g.body) != uid);
      };
      auto timeout = printers::ParseGoDuration(flags.Get("timeout"));
      Duration limit = timeout.ok() && timeout->count() > 0 ? *timeout : std::chrono::hours(24 * 7);
      if (!AdvanceUntil(env, gone, limit)) {
        env.err << "error: timed out waiting for the condition on "
                << v.s->info().QualifiedResource() << "/" << v.name << "\n";
        exit_code = 1;
      }
    }
  }
  return exit_code;
}

}  // namespace kubesim::shell
