// `cluster-info`, `events` and `logs`: k8s.io/kubectl/pkg/cmd/clusterinfo,
// k8s.io/kubectl/pkg/cmd/events (events.go, event_printer.go) and
// k8s.io/kubectl/pkg/cmd/logs with polymorphichelpers/logsforobject.go.
#include <algorithm>
#include <sstream>

#include "commands.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/printers/duration.h"
#include "kubesim/printers/tabwriter.h"
#include "kubesim/util/strings.h"

namespace kubesim::shell {
namespace {

const std::string kServerUrl = std::string("https://") + kApiServerHostPort;

// ---- cluster-info ------------------------------------------------------------

int RunClusterInfoImpl(Env& env, const Args& args) {
  FlagSet flags;
  flags.String("namespace", 'n', "kube-system");
  flags.String("v", 'v', "0");
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, "cluster-info", st);
  if (!flags.positional().empty()) {
    if (flags.positional()[0] == "dump") {
      return PrintError(env, "kubesim does not implement cluster-info dump");
    }
    env.err << "error: unknown command \"" << flags.positional()[0]
            << "\"\nSee 'kubectl cluster-info -h' for help and examples\n";
    return 1;
  }
  // clusterinfo.go: the services labelled kubernetes.io/cluster-service=true.
  api::Request req;
  req.verb = api::Verb::kList;
  req.gvr = api::kServices;
  req.namespace_ = flags.Get("namespace");
  req.label_selector = "kubernetes.io/cluster-service=true";
  api::Response r = env.client().Do(req);
  if (!r.ok()) {
    PrintApiError(env, r);
    return 1;
  }
  env.out << "Kubernetes control plane is running at " << kServerUrl << "\n";
  for (const auto& svc : r.body["items"]) {
    std::string name = api::Name(svc);
    const api::Object* ports = api::Find(svc, "/spec/ports");
    if (ports && ports->is_array() && !ports->empty()) {
      const api::Object& port = (*ports)[0];
      const std::string port_name = port.value("name", "");
      // utilnet.JoinSchemeNamePort: [scheme:]name[:port]
      const bool https = port_name == "https" || port.value("port", 0) == 443;
      name = (https ? "https:" : "") + name + (port_name.empty() ? "" : ":" + port_name);
    }
    std::string shown = api::GetString(svc, "/metadata/labels/kubernetes.io~1name");
    if (shown.empty()) shown = api::Name(svc);
    env.out << shown << " is running at " << kServerUrl << "/api/v1/namespaces/"
            << api::Namespace(svc) << "/services/" << name << "/proxy\n";
  }
  env.out << "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info "
             "dump'.\n";
  return 0;
}

// ---- events ------------------------------------------------------------------

Time EventTime(const api::Object& e, const char* field) {
  Time t{};
  ParseRfc3339(api::GetString(e, field), &t);
  return t;
}

// events.go eventTime: series, else lastTimestamp, else eventTime.
Time SortTime(const api::Object& e) {
  if (api::Find(e, "/series/lastObservedTime")) return EventTime(e, "/series/lastObservedTime");
  if (!api::GetString(e, "/lastTimestamp").empty()) return EventTime(e, "/lastTimestamp");
  return EventTime(e, "/eventTime");
}

// event_printer.go getInterval.
std::string Interval(const api::Object& e, Time now) {
  auto since = [&](const char* field) -> std::string {
    if (api::GetString(e, field).empty()) return "<unknown>";
    return printers::HumanDuration(now - EventTime(e, field));
  };
  std::string first =
      api::GetString(e, "/eventTime").empty() ? since("/firstTimestamp") : since("/eventTime");
  if (api::Find(e, "/series")) {
    return since("/series/lastObservedTime") + " (x" +
           std::to_string(api::GetInt(e, "/series/count")) + " over " + first + ")";
  }
  if (api::GetInt(e, "/count") > 1) {
    return since("/lastTimestamp") + " (x" + std::to_string(api::GetInt(e, "/count")) + " over " +
           first + ")";
  }
  return first;
}

// event_printer.go escapeCell: cut at a line break.
std::string EscapeCell(std::string s) {
  size_t brk = s.find_first_of("\f\n\r");
  if (brk != std::string::npos) s = s.substr(0, brk) + "...";
  return s;
}

int RunEventsImpl(Env& env, const Args& args) {
  FlagSet flags;
  AddGlobalFlags(flags);
  flags.Bool("all-namespaces", 'A');
  flags.String("for", 0);
  flags.String("types", 0);
  flags.Bool("no-headers", 0);
  flags.Bool("watch", 'w');
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, "events", st);
  if (flags.GetBool("watch")) {
    return PrintError(env, "watch (-w) is not supported in the kubesim shell yet");
  }
  // events.go Validate.
  std::vector<std::string> types;
  if (!flags.Get("types").empty()) {
    std::stringstream ss(flags.Get("types"));
    for (std::string t; std::getline(ss, t, ',');) {
      std::string lower = t;
      std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
      if (lower != "normal" && lower != "warning") {
        return PrintError(env, "valid --types are Normal or Warning");
      }
      types.push_back(lower);
    }
  }
  const bool all_ns = flags.GetBool("all-namespaces");
  const std::string ns = NamespaceOf(flags);
  api::Request req;
  req.verb = api::Verb::kList;
  req.gvr = api::kEvents;
  req.namespace_ = all_ns ? "" : ns;
  if (const std::string f = flags.Get("for"); !f.empty()) {
    size_t slash = f.find('/');
    if (slash == std::string::npos) return PrintError(env, "--for must be in resource/name form");
    if (f.find('/', slash + 1) != std::string::npos) {
      return PrintError(env, "arguments in resource/name form may not have more than one slash");
    }
    const api::ResourceStrategy* s = ResolveResource(env, f.substr(0, slash));
    if (!s) return 1;
    req.field_selector =
        "involvedObject.kind=" + s->info().kind + ",involvedObject.name=" + f.substr(slash + 1);
  }
  api::Response r = env.client().Do(req);
  if (!r.ok()) {
    PrintApiError(env, r);
    return 1;
  }
  std::vector<api::Object> events;
  for (const auto& e : r.body["items"]) {
    std::string type = e.value("type", "");
    std::transform(type.begin(), type.end(), type.begin(), ::tolower);
    if (!types.empty() && std::find(types.begin(), types.end(), type) == types.end()) continue;
    events.push_back(e);
  }
  if (events.empty()) {
    if (all_ns) {
      env.err << "No events found.\n";
    } else {
      env.err << "No events found in " << ns << " namespace.\n";
    }
    return 0;
  }
  // Oldest first; upstream's sort is not stable, kubesim keeps list order
  // among equal times.
  std::stable_sort(events.begin(), events.end(), [](const api::Object& a, const api::Object& b) {
    return SortTime(a) < SortTime(b);
  });
  const Time now = env.ctx.executor->Now();
  printers::TabWriter tw;
  std::string text;
  if (!flags.GetBool("no-headers")) {
    text += all_ns ? "NAMESPACE\t" : "";
    text += "LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n";
  }
  for (const auto& e : events) {
    if (all_ns) text += api::Namespace(e) + "\t";
    text += Interval(e, now) + "\t" + EscapeCell(e.value("type", "")) + "\t" +
            EscapeCell(e.value("reason", "")) + "\t" +
            EscapeCell(api::GetString(e, "/involvedObject/kind")) + "/" +
            EscapeCell(api::GetString(e, "/involvedObject/name")) + "\t" +
            EscapeCell(TrimSpace(e.value("message", ""))) + "\n";
  }
  tw.Write(text);
  tw.Flush();
  env.out << tw.TakeOutput();
  return 0;
}

// ---- logs --------------------------------------------------------------------

bool IsReady(const api::Object& pod) {
  const api::Object* conds = api::Find(pod, "/status/conditions");
  if (!conds || !conds->is_array()) return false;
  for (const auto& c : *conds) {
    if (c.value("type", "") == "Ready") return c.value("status", "") == "True";
  }
  return false;
}

int64_t MaxRestarts(const api::Object& pod) {
  int64_t max = 0;
  const api::Object* st = api::Find(pod, "/status/containerStatuses");
  if (st && st->is_array()) {
    for (const auto& c : *st) max = std::max<int64_t>(max, c.value("restartCount", 0));
  }
  return max;
}

// podutils.ByLogging (without the ready-time rule): the pod kubectl picks
// for `logs deployment/NAME`.
bool ByLogging(const api::Object& a, const api::Object& b) {
  const std::string na = api::GetString(a, "/spec/nodeName"),
                    nb = api::GetString(b, "/spec/nodeName");
  if (na != nb && (na.empty() || nb.empty())) return !na.empty();
  auto rank = [](const api::Object& p) {
    std::string phase = api::GetString(p, "/status/phase");
    return phase == "Running" ? 0 : phase == "Unknown" ? 1 : phase == "Pending" ? 2 : 3;
  };
  if (rank(a) != rank(b)) return rank(a) < rank(b);
  if (IsReady(a) != IsReady(b)) return IsReady(a);
  if (MaxRestarts(a) != MaxRestarts(b)) return MaxRestarts(a) > MaxRestarts(b);
  return api::GetString(a, "/metadata/creationTimestamp") <
         api::GetString(b, "/metadata/creationTimestamp");
}

int RunLogsImpl(Env& env, const Args& args) {
  FlagSet flags;
  AddGlobalFlags(flags);
  flags.String("container", 'c');
  flags.Bool("previous", 'p');
  flags.Bool("follow", 'f');
  flags.Bool("timestamps", 0);
  flags.String("tail", 0, "-1");
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, "logs", st);
  const Args& pos = flags.positional();
  if (pos.empty() || pos.size() > 2) {
    env.err << "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
               "POD or TYPE/NAME is a required argument for the logs command\n"
               "See 'kubectl logs -h' for help and examples\n";
    return 1;
  }
  const std::string ns = NamespaceOf(flags);
  std::string container = flags.Get("container");
  if (pos.size() == 2) {
    if (!container.empty()) {
      env.err << "error: only one of -c or an inline [CONTAINER] arg is allowed\n"
                 "See 'kubectl logs -h' for help and examples\n";
      return 1;
    }
    container = pos[1];
  }
  std::string pod_name = pos[0];
  if (size_t slash = pod_name.find('/'); slash != std::string::npos) {
    const api::ResourceStrategy* s = ResolveResource(env, pod_name.substr(0, slash));
    if (!s) return 1;
    const std::string name = pod_name.substr(slash + 1);
    if (s->info().gvr == api::kPods) {
      pod_name = name;
    } else {
      // logsforobject.go: the workload's selector, then the best pod.
      api::Response owner = Get(env, s->info().gvr, s->info().namespaced ? ns : "", name);
      if (!owner.ok()) {
        PrintApiError(env, owner);
        return 1;
      }
      const api::Object* labels = api::Find(owner.body, "/spec/selector/matchLabels");
      if (!labels || !labels->is_object()) {
        return PrintError(env, "cannot get the logs from " + s->info().QualifiedResource() +
                                   ": selector for " + name + " not implemented");
      }
      std::string selector;
      for (auto it = labels->begin(); it != labels->end(); ++it) {
        selector += (selector.empty() ? "" : ",") + it.key() + "=" + it->get<std::string>();
      }
      api::Request list;
      list.verb = api::Verb::kList;
      list.gvr = api::kPods;
      list.namespace_ = ns;
      list.label_selector = selector;
      api::Response pods = env.client().Do(list);
      if (!pods.ok() || pods.body["items"].empty()) {
        return PrintError(env, "timed out waiting for the condition");
      }
      std::vector<api::Object> items(pods.body["items"].begin(), pods.body["items"].end());
      std::stable_sort(items.begin(), items.end(), ByLogging);
      if (items.size() > 1) {
        env.err << "Found " << items.size() << " pods, using pod/" << api::Name(items[0]) << "\n";
      }
      pod_name = api::Name(items[0]);
    }
  }
  api::Response pod = Get(env, api::kPods, ns, pod_name);
  if (!pod.ok()) {
    // logs.go wraps the lookup error: "error from server (NotFound): ...
    // in namespace".
    if (pod.code == 404) {
      return PrintError(env, "error from server (NotFound): pods \"" + pod_name +
                                 "\" not found in namespace \"" + ns + "\"");
    }
    PrintApiError(env, pod);
    return 1;
  }
  if (container.empty()) {
    // The default-container annotation, else the first container; kubectl
    // says so when there was a choice.
    const api::Object* containers = api::Find(pod.body, "/spec/containers");
    std::vector<std::string> names;
    if (containers && containers->is_array()) {
      for (const auto& c : *containers) names.push_back(c.value("name", ""));
    }
    std::string annotated =
        api::GetString(pod.body, "/metadata/annotations/kubectl.kubernetes.io~1default-container");
    if (!annotated.empty()) {
      container = annotated;
    } else if (!names.empty()) {
      container = names[0];
      if (names.size() > 1) {
        std::string all;
        for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
        env.err << "Defaulted container \"" << container << "\" out of: " << all << "\n";
      }
    }
  }
  // logsforobject.go: a container the pod does not have is refused before
  // asking the server.
  bool valid = false;
  for (const char* field :
       {"/spec/containers", "/spec/initContainers", "/spec/ephemeralContainers"}) {
    const api::Object* list = api::Find(pod.body, field);
    if (!list || !list->is_array()) continue;
    for (const auto& c : *list) valid = valid || c.value("name", "") == container;
  }
  if (!valid)
    return PrintError(env, "container " + container + " is not valid for pod " + pod_name);
  api::Request req;
  req.verb = api::Verb::kGet;
  req.gvr = api::kPods;
  req.namespace_ = ns;
  req.name = pod_name;
  req.subresource = "log";
  req.log_options.container = container;
  req.log_options.previous = flags.GetBool("previous");
  api::Response r = env.client().Do(req);
  if (!r.ok()) {
    PrintApiError(env, r);
    return 1;
  }
  if (r.body.is_string()) env.out << r.body.get<std::string>();
  return 0;
}

}  // namespace

int RunClusterInfo(Env& env, const Args& args) { return RunClusterInfoImpl(env, args); }
int RunEvents(Env& env, const Args& args) { return RunEventsImpl(env, args); }
int RunLogs(Env& env, const Args& args) { return RunLogsImpl(env, args); }

}  // namespace kubesim::shell
