// `node stop|start|add|delete NAME`, `stop|start COMPONENT`: the simulator's
// failure controls (SimulatorControl), worded after minikube's
// `minikube node stop|start|add|delete` output (minikube
// pkg/minikube/out/register and cmd/minikube/cmd/node_*.go). Errors are
// kubectl style (`error: ...`, exit 1) and change nothing.
#include <sstream>

#include "commands.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/cluster/sim_control.h"
#include "kubesim/printers/quantity.h"

namespace kubesim::shell {

namespace {

// "primary control-plane" if the node carries kubeadm's control-plane role
// label, else "worker" (as the API shows the node right after it started).
std::string NodeRole(Env& env, const std::string& name) {
  api::Request req;
  req.verb = api::Verb::kGet;
  req.gvr = api::kNodes;
  req.name = name;
  api::Response r = env.client().Do(req);
  if (r.ok() && api::Find(r.body, "/metadata/labels/node-role.kubernetes.io~1control-plane")) {
    return "primary control-plane";
  }
  return "worker";
}

}  // namespace
namespace {

constexpr char kNodeUsage[] =
    "usage: node stop|start|delete NAME | node add NAME [--cpu 2] [--memory 8Gi] [--pods 110] "
    "[--labels k=v,...] [--taints k=v:NoSchedule,...]";

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// kubectl taint syntax: key[=value]:Effect.
StatusOr<kubelet::Taint> ParseTaint(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Status::BadRequest("invalid taint spec: " + text);
  }
  kubelet::Taint t;
  std::string kv = text.substr(0, colon);
  t.effect = text.substr(colon + 1);
  auto eq = kv.find('=');
  t.key = kv.substr(0, eq);
  if (eq != std::string::npos) t.value = kv.substr(eq + 1);
  if (t.key.empty()) return Status::BadRequest("invalid taint spec: " + text);
  if (t.effect != "NoSchedule" && t.effect != "PreferNoSchedule" && t.effect != "NoExecute") {
    return Status::BadRequest("invalid taint effect: " + t.effect + ", unsupported taint effect");
  }
  return t;
}

cluster::SimulatorControl* Control(Env& env) { return env.ctx.control; }

int NodeAdd(Env& env, const std::string& name, const FlagSet& flags) {
  kubelet::NodeConfig node;
  node.name = name;
  if (flags.Changed("cpu")) {
    auto q = printers::Quantity::Parse(flags.Get("cpu"));
    if (!q.ok() || q->MilliValue() <= 0) {
      return PrintError(env, "invalid --cpu \"" + flags.Get("cpu") + "\"");
    }
    node.cpu_millis = q->MilliValue();
  }
  if (flags.Changed("memory")) {
    auto q = printers::Quantity::Parse(flags.Get("memory"));
    if (!q.ok() || q->Value() <= 0) {
      return PrintError(env, "invalid --memory \"" + flags.Get("memory") + "\"");
    }
    node.memory_bytes = q->Value();
  }
  if (flags.Changed("pods")) {
    const std::string p = flags.Get("pods");
    if (p.empty() || p.find_first_not_of("0123456789") != std::string::npos || p.size() > 6 ||
        std::stoll(p) <= 0) {
      return PrintError(env, "invalid --pods \"" + p + "\"");
    }
    node.max_pods = std::stoll(p);
  }
  for (const std::string& kv : SplitComma(flags.Get("labels"))) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return PrintError(env, "invalid label \"" + kv + "\": expected key=value");
    }
    node.labels[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const std::string& text : SplitComma(flags.Get("taints"))) {
    auto t = ParseTaint(text);
    if (!t.ok()) return PrintError(env, t.status().message());
    node.taints.push_back(*t);
  }
  Status st = Control(env)->AddNode(node);
  if (!st.ok()) return PrintError(env, st.message());
  env.out << "😄  Adding node " << name << " to cluster kubesim\n";
  env.out << "🏄  Successfully added " << name << " to kubesim!\n";
  return 0;
}

}  // namespace

int RunNode(Env& env, const Args& args) {
  FlagSet flags;
  AddGlobalFlags(flags);
  flags.String("cpu", 0, "2");
  flags.String("memory", 0, "8Gi");
  flags.String("pods", 0, "110");
  flags.String("labels", 0);
  flags.String("taints", 0);
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, "node", st);
  const Args& pos = flags.positional();
  if (pos.size() != 2) return PrintError(env, kNodeUsage);
  if (!Control(env)) return PrintError(env, "node controls are not available in this shell");
  const std::string& verb = pos[0];
  const std::string& name = pos[1];
  const bool add_flags = flags.Changed("cpu") || flags.Changed("memory") || flags.Changed("pods") ||
                         flags.Changed("labels") || flags.Changed("taints");
  if (verb != "add" && add_flags) {
    return PrintError(env,
                      "--cpu, --memory, --pods, --labels and --taints apply to `node add` only");
  }
  if (verb == "add") return NodeAdd(env, name, flags);
  Status result;
  if (verb == "stop") {
    // Validate first, so a bad name prints nothing but the error.
    result = Control(env)->StopNode(name);
    if (!result.ok()) return PrintError(env, result.message());
    env.out << "✋  Stopping node \"" << name << "\"  ...\n";
    env.out << "🛑  Successfully stopped node " << name << "\n";
    return 0;
  }
  if (verb == "start") {
    result = Control(env)->StartNode(name);
    if (!result.ok()) return PrintError(env, result.message());
    // minikube's node start (pkg/minikube/node/start.go): `Starting "NAME"
    // ROLE node in "CLUSTER" cluster`, ROLE "primary control-plane" for the
    // control plane (kubesim has one), else "worker".
    env.out << "👍  Starting \"" << name << "\" " << NodeRole(env, name)
            << " node in \"kubesim\" cluster\n";
    env.out << "😄  Successfully started node " << name << "!\n";
    return 0;
  }
  if (verb == "delete") {
    result = Control(env)->DeleteNode(name);
    if (!result.ok()) return PrintError(env, result.message());
    env.out << "🔥  Deleting node " << name << " from cluster kubesim\n";
    env.out << "💀  Node " << name << " was successfully deleted.\n";
    return 0;
  }
  return PrintError(env, "unknown node command \"" + verb + "\"; " + kNodeUsage);
}

namespace {

int RunComponent(Env& env, const Args& args, bool start) {
  FlagSet flags;
  AddGlobalFlags(flags);
  Status st = flags.Parse(args);
  const char* cmd = start ? "start" : "stop";
  if (!st.ok()) return FlagError(env, cmd, st);
  if (flags.positional().size() != 1) {
    return PrintError(env, std::string(cmd) + " takes one component: apiserver, scheduler, " +
                               "controller-manager or etcd");
  }
  if (!Control(env)) return PrintError(env, "component controls are not available in this shell");
  const std::string& component = flags.positional()[0];
  Status result =
      start ? Control(env)->StartComponent(component) : Control(env)->StopComponent(component);
  if (!result.ok()) return PrintError(env, result.message());
  std::string full = component;
  if (full == "apiserver" || full == "scheduler" || full == "controller-manager") {
    full = "kube-" + full;
  }
  if (start) {
    env.out << "👍  Starting " << full << " ...\n";
    env.out << "😄  Successfully started " << full << "\n";
  } else {
    env.out << "✋  Stopping " << full << " ...\n";
    env.out << "🛑  Successfully stopped " << full << "\n";
  }
  return 0;
}

}  // namespace

int RunStopComponent(Env& env, const Args& args) { return RunComponent(env, args, false); }
int RunStartComponent(Env& env, const Args& args) { return RunComponent(env, args, true); }

}  // namespace kubesim::shell
