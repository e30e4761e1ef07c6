// `describe`: k8s.io/kubectl/pkg/cmd/describe/describe.go (Run,
// DescribeMatchingResources) with the describers' fetching from
// k8s.io/kubectl/pkg/describe/describe.go (PodDescriber, NodeDescriber,
// NamespaceDescriber, searchEvents). Every read is an API request, as
// kubectl's; the text comes from printers/describe.h.
//
// Kinds without a dedicated describer (events, leases) get
// `error: describe is not supported for <Kind> yet` where kubectl would fall
// back to its generic describer.
#include <sstream>

#include "commands.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/api/selectors.h"
#include "kubesim/printers/describe.h"

namespace kubesim::shell {
namespace {

const api::GroupVersionResource kPods{"", "v1", "pods"};
const api::GroupVersionResource kNodes{"", "v1", "nodes"};
const api::GroupVersionResource kNamespaces{"", "v1", "namespaces"};
const api::GroupVersionResource kEvents{"", "v1", "events"};
const api::GroupVersionResource kLeases{"coordination.k8s.io", "v1", "leases"};
const api::GroupVersionResource kDaemonSets{"apps", "v1", "daemonsets"};

// One error of the run, printed at the end as cmdutil.CheckErr does.
struct Failure {
  bool from_server = false;
  api::Response response;  // when from_server
  std::string message;     // err.Error()
};

Failure ServerFailure(const api::Response& r) { return {true, r, r.body.value("message", "")}; }
Failure ClientFailure(std::string message) { return {false, {}, std::move(message)}; }

// cmdutil.CheckErr: one error prints as StandardErrorMessage (or
// "error: <msg>"); several print one per line (MultipleErrors).
void PrintFailures(Env& env, const std::vector<Failure>& failures) {
  for (const Failure& f : failures) {
    if (f.from_server) {
      PrintApiError(env, f.response);
    } else if (failures.size() == 1) {
      env.err << "error: " << f.message << "\n";
    } else {
      env.err << f.message << "\n";
    }
  }
}

// A resource.Info: what the builder found.
struct Info {
  const api::ResourceStrategy* strategy;
  std::string ns;
  std::string name;
};

std::vector<api::Object> Items(const api::Response& r) {
  std::vector<api::Object> items;
  if (r.body.contains("items") && r.body["items"].is_array()) {
    for (const auto& item : r.body["items"]) items.push_back(item);
  }
  return items;
}

api::Response List(Env& env, const api::GroupVersionResource& gvr, const std::string& ns,
                   const std::string& label_selector, const std::string& field_selector) {
  api::Request req;
  req.verb = api::Verb::kList;
  req.gvr = gvr;
  req.namespace_ = ns;
  req.label_selector = label_selector;
  req.field_selector = field_selector;
  return env.client().Do(req);
}

// searchEvents: the events in `ns` (all namespaces for "") about an object.
// Errors are ignored by the describers (`events, _ = searchEvents(...)`).
std::vector<api::Object> SearchEvents(Env& env, const std::string& ns, const std::string& name,
                                      const std::string& kind, const std::string& uid) {
  api::Response r = List(env, kEvents, ns, "", printers::EventFieldSelector(name, ns, kind, uid));
  return r.ok() ? Items(r) : std::vector<api::Object>{};
}

// PodDescriber.Describe.
bool DescribePod(Env& env, const Info& info, bool show_events, std::string* out, Failure* fail) {
  api::Response r = Get(env, kPods, info.ns, info.name);
  Time now = env.ctx.executor->Now();
  if (!r.ok()) {
    if (show_events) {
      // The pod is gone: its events may still tell what happened.
      api::Response ev =
          List(env, kEvents, info.ns, "", printers::EventFieldSelector(info.name, info.ns, "", ""));
      if (ev.ok() && !Items(ev).empty()) {
        *out = printers::DescribePodNotFoundEvents(info.name, r.body.value("message", ""),
                                                   Items(ev), now);
        return true;
      }
    }
    *fail = ServerFailure(r);
    return false;
  }
  const api::Object& pod = r.body;
  std::vector<api::Object> events;
  if (show_events) {
    // reference.GetReference with Kind cleared; a mirror pod's events carry
    // the UID of its source, kept in the kubernetes.io/config.mirror
    // annotation.
    std::string uid = api::Uid(pod);
    if (const api::Object* mirror =
            api::Find(pod, "/metadata/annotations/kubernetes.io~1config.mirror");
        mirror && mirror->is_string()) {
      uid = mirror->get<std::string>();
    }
    events = SearchEvents(env, api::Namespace(pod), api::Name(pod), "", uid);
  }
  *out = printers::DescribePod(pod, events, now, show_events);
  return true;
}

// NodeDescriber.Describe.
bool DescribeNode(Env& env, const Info& info, bool show_events, std::string* out, Failure* fail) {
  api::Response r = Get(env, kNodes, "", info.name);
  if (!r.ok()) {
    *fail = ServerFailure(r);
    return false;
  }
  const api::Object& node = r.body;
  const std::string name = api::Name(node);
  api::Response pods =
      List(env, kPods, "", "",
           "spec.nodeName=" + name + ",status.phase!=Succeeded,status.phase!=Failed");
  if (!pods.ok()) {
    *fail = ServerFailure(pods);
    return false;
  }
  std::vector<api::Object> events;
  if (show_events) {
    // Controllers report node events under the node's UID, the kubelet
    // under its name: both searches, merged.
    events = SearchEvents(env, "", name, "Node", api::Uid(node));
    for (auto& e : SearchEvents(env, "", name, "Node", name)) events.push_back(std::move(e));
  }
  api::Response lease = Get(env, kLeases, "kube-node-lease", name);
  const api::Object* lease_obj = lease.ok() ? &lease.body : nullptr;
  std::string lease_error;
  if (!lease.ok()) {
    lease_error = lease.code == 0 ? "the server is unreachable" : lease.body.value("message", "");
  }
  *out = printers::DescribeNode(node, Items(pods), lease_obj, events, env.ctx.executor->Now(),
                                show_events, lease_error);
  return true;
}

// DaemonSetDescriber.Describe: the pods matching the selector and
// controlled by the DaemonSet (getPodStatusForController), and its events.
bool DescribeDaemonSet(Env& env, const Info& info, bool show_events, std::string* out,
                       Failure* fail) {
  const api::GroupVersionResource gvr = info.strategy->info().gvr;
  api::Response r = Get(env, gvr, info.ns, info.name);
  if (!r.ok()) {
    *fail = ServerFailure(r);
    return false;
  }
  const api::Object& ds = r.body;
  std::string selector;
  if (const api::Object* sel = api::Find(ds, "/spec/selector"); sel && sel->is_object()) {
    auto parsed = api::LabelSelector::FromObject(*sel);
    if (parsed.ok()) selector = parsed->ToString();
  }
  api::Response pods = List(env, kPods, info.ns, selector, "");
  if (!pods.ok()) {
    *fail = ServerFailure(pods);
    return false;
  }
  printers::PodStatusCounts counts;
  for (const auto& pod : Items(pods)) {
    bool owned = false;
    if (const api::Object* refs = api::Find(pod, "/metadata/ownerReferences");
        refs && refs->is_array()) {
      for (const auto& ref : *refs) {
        owned = owned || (ref.value("controller", false) && ref.value("uid", "") == api::Uid(ds));
      }
    }
    if (!owned) continue;
    const std::string phase = api::GetString(pod, "/status/phase");
    if (phase == "Running") ++counts.running;
    if (phase == "Pending") ++counts.waiting;
    if (phase == "Succeeded") ++counts.succeeded;
    if (phase == "Failed") ++counts.failed;
  }
  std::vector<api::Object> events;
  if (show_events)
    events = SearchEvents(env, api::Namespace(ds), api::Name(ds), "DaemonSet", api::Uid(ds));
  *out = printers::DescribeDaemonSet(ds, counts, events, env.ctx.executor->Now(), show_events);
  return true;
}

// NamespaceDescriber.Describe.
bool DescribeNamespace(Env& env, const Info& info, std::string* out, Failure* fail) {
  api::Response r = Get(env, kNamespaces, "", info.name);
  if (!r.ok()) {
    *fail = ServerFailure(r);
    return false;
  }
  *out = printers::DescribeNamespace(r.body);
  return true;
}

bool Describe(Env& env, const Info& info, bool show_events, std::string* out, Failure* fail) {
  const api::GroupVersionResource& gvr = info.strategy->info().gvr;
  if (gvr == kPods) return DescribePod(env, info, show_events, out, fail);
  if (gvr == kNodes) return DescribeNode(env, info, show_events, out, fail);
  if (gvr == kNamespaces) return DescribeNamespace(env, info, out, fail);
  if (gvr == kDaemonSets) return DescribeDaemonSet(env, info, show_events, out, fail);
  *fail = ClientFailure("describe is not supported for " + info.strategy->info().kind + " yet");
  return false;
}

bool HasDescriber(const api::ResourceStrategy* s) {
  const auto& gvr = s->info().gvr;
  return gvr == kPods || gvr == kNodes || gvr == kNamespaces || gvr == kDaemonSets;
}

bool IsNotFound(const api::Response& r) { return r.code == 404; }

}  // namespace

int RunDescribe(Env& env, const Args& args) {
  FlagSet flags;
  AddGlobalFlags(flags);
  flags.Bool("all-namespaces", 'A');
  flags.String("selector", 'l');
  flags.String("filename", 'f');
  flags.Bool("show-events", 0, true);
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, "describe", st);
  const Args& pos = flags.positional();
  const std::vector<std::string> files = flags.GetAll("filename");
  if (pos.empty() && files.empty()) {
    return PrintError(env,
                      "You must specify the type of resource to describe. Use \"kubectl "
                      "api-resources\" for a complete list of supported resources.");
  }
  const bool all_ns = flags.GetBool("all-namespaces");
  const std::string ns = NamespaceOf(flags);
  const std::string selector = flags.Get("selector");
  const bool show_events = flags.GetBool("show-events");

  // The resource builder: find the objects, continuing on errors.
  std::vector<Info> infos;
  std::vector<Failure> failures;
  std::vector<std::string> seen_errors;  // errs: each message reported once
  auto add_failure = [&](Failure f) {
    for (const auto& m : seen_errors) {
      if (m == f.message) return;
    }
    seen_errors.push_back(f.message);
    failures.push_back(std::move(f));
  };

  if (!files.empty()) {
    if (!pos.empty()) {
      return PrintError(
          env, "Unexpected args: [" + [&] {
            std::string s;
            for (size_t i = 0; i < pos.size(); ++i) s += (i ? " " : "") + pos[i];
            return s;
          }() + "]");
    }
    std::vector<Manifest> manifests;
    if (!ReadManifests(env, files, &manifests)) return 1;
    for (const Manifest& m : manifests) {
      const std::string api_version = m.object.value("apiVersion", "");
      const std::string kind = m.object.value("kind", "");
      const api::ResourceStrategy* s = FindByKind(env, api_version, kind);
      const std::string name = api::Name(m.object);
      std::string obj_ns = api::Namespace(m.object);
      if (!s) {
        add_failure(ClientFailure("resource mapping not found for name: \"" + name +
                                  "\" namespace: \"" + obj_ns + "\" from \"" + m.source +
                                  "\": no matches for kind \"" + kind + "\" in version \"" +
                                  api_version + "\"\nensure CRDs are installed first"));
        continue;
      }
      if (!s->info().namespaced) {
        obj_ns = "";
      } else if (obj_ns.empty()) {
        obj_ns = ns;
      } else if (flags.Changed("namespace") && obj_ns != ns) {
        return PrintError(env, "the namespace from the provided object \"" + obj_ns +
                                   "\" does not match the namespace \"" + ns +
                                   "\". You must pass '--namespace=" + obj_ns +
                                   "' to perform this operation.");
      }
      api::Response r = Get(env, s->info().gvr, obj_ns, name);
      if (!r.ok()) {
        add_failure(ServerFailure(r));
        continue;
      }
      infos.push_back({s, obj_ns, name});
    }
  } else {
    std::vector<ResourceArgs> targets;
    if (!ParseResourceArgs(env, pos, &targets)) return 1;
    bool any_names = false;
    for (const ResourceArgs& t : targets) any_names = any_names || !t.names.empty();
    if (all_ns && any_names) {
      return PrintError(env, "a resource cannot be retrieved by name across all namespaces");
    }
    const api::Response* only_error = nullptr;
    api::Response last_error;
    int builder_errors = 0;
    for (const ResourceArgs& t : targets) {
      const api::ResourceInfo& ri = t.strategy->info();
      const std::string req_ns = !ri.namespaced ? "" : (all_ns ? "" : ns);
      if (t.names.empty()) {
        api::Response r = List(env, ri.gvr, req_ns, selector, "");
        if (!r.ok()) {
          ++builder_errors;
          last_error = r;
          add_failure(ServerFailure(r));
          continue;
        }
        for (const auto& item : Items(r)) {
          infos.push_back({t.strategy, ri.namespaced ? api::Namespace(item) : "", api::Name(item)});
        }
      } else {
        for (const auto& name : t.names) {
          api::Response r = Get(env, ri.gvr, req_ns, name);
          if (!r.ok()) {
            ++builder_errors;
            last_error = r;
            add_failure(ServerFailure(r));
            continue;
          }
          infos.push_back({t.strategy, req_ns, name});
        }
      }
    }
    if (builder_errors == 1) only_error = &last_error;

    // `describe TYPE NAME_PREFIX`: when the name is not found, describe
    // every object whose name starts with it (DescribeMatchingResources).
    if (only_error && IsNotFound(*only_error) && pos.size() == 2) {
      const api::ResourceStrategy* s = targets[0].strategy;
      if (!HasDescriber(s)) {
        PrintFailures(env,
                      {ClientFailure("describe is not supported for " + s->info().kind + " yet")});
        return 1;
      }
      const std::string req_ns = s->info().namespaced ? ns : "";
      api::Response list = List(env, s->info().gvr, req_ns, "", "");
      if (!list.ok()) {
        PrintApiError(env, list);
        return 1;
      }
      bool found = false;
      for (const auto& item : Items(list)) {
        const std::string name = api::Name(item);
        if (name.rfind(pos[1], 0) != 0) continue;
        found = true;
        std::string text;
        Failure fail;
        if (!Describe(env, {s, s->info().namespaced ? api::Namespace(item) : "", name}, show_events,
                      &text, &fail)) {
          PrintFailures(env, {fail});
          return 1;
        }
        env.out << text << "\n";
      }
      if (!found) {
        PrintApiError(env, *only_error);
        return 1;
      }
      return 0;
    }
  }

  bool first = true;
  for (const Info& info : infos) {
    std::string text;
    Failure fail;
    if (!Describe(env, info, show_events, &text, &fail)) {
      add_failure(std::move(fail));
      continue;
    }
    if (first) {
      first = false;
      env.out << text;
    } else {
      env.out << "\n\n" << text;
    }
  }
  if (infos.empty() && failures.empty()) {
    if (all_ns) {
      env.err << "No resources found\n";
    } else {
      env.err << "No resources found in " << ns << " namespace.\n";
    }
  }
  PrintFailures(env, failures);
  return failures.empty() ? 0 : 1;
}

}  // namespace kubesim::shell
