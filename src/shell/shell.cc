#include "kubesim/shell/shell.h"

#include <map>
#include <ostream>

#include "commands.h"

namespace kubesim::shell {

StatusOr<std::vector<std::string>> SplitCommandLine(const std::string& line) {
  std::vector<std::string> words;
  std::string cur;
  bool in_word = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\'' || c == '"') {
      char quote = c;
      in_word = true;
      size_t j = i + 1;
      for (; j < line.size() && line[j] != quote; ++j) {
        if (quote == '"' && line[j] == '\\' && j + 1 < line.size() &&
            (line[j + 1] == '"' || line[j + 1] == '\\' || line[j + 1] == '$')) {
          ++j;
        }
        cur.push_back(line[j]);
      }
      if (j >= line.size()) return Status::BadRequest("unterminated quote in: " + line);
      i = j;
    } else if (c == '\\' && i + 1 < line.size()) {
      cur.push_back(line[++i]);
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      if (in_word) words.push_back(cur);
      cur.clear();
      in_word = false;
    } else if (c == '#' && !in_word) {
      break;
    } else {
      cur.push_back(c);
      in_word = true;
    }
  }
  if (in_word) words.push_back(cur);
  return words;
}

namespace {

using CommandFn = int (*)(Env&, const Args&);

struct Command {
  CommandFn run;
  const char* summary;
};

const std::map<std::string, Command>& Commands() {
  static const std::map<std::string, Command> commands = {
      {"get", {RunGet, "Display one or many resources (get pods, get nodes -o wide, ...)"}},
      {"describe", {RunDescribe, "Show details of a pod or node, with its events"}},
      {"run", {RunRun, "Run a pod: run NAME --image IMAGE [--restart Never] [--labels k=v]"}},
      {"create",
       {RunCreate,
        "Create resources: create -f FILE|DIR|-, create namespace NAME, create deployment NAME "
        "--image IMAGE"}},
      {"apply", {RunApply, "Apply manifests: apply -f FILE|DIR|-"}},
      {"delete", {RunDelete, "Delete resources: delete KIND NAME | delete -f FILE"}},
      {"wait",
       {RunWait, "Wait (in simulated time) for a condition: wait --for=condition=Ready pod/NAME"}},
      {"sleep", {RunSleep, "Move the simulated clock forward: sleep 30s, sleep 5m"}},
      {"clock", {RunClock, "Show the simulated time; in a terminal: clock pause|resume|speed X"}},
      {"api-resources", {RunApiResources, "List the resource types the server serves"}},
      {"version", {RunVersion, "Show the client and server versions"}},
      {"node", {RunNode, "Simulate node failures: node stop|start|add|delete NAME"}},
      {"stop",
       {RunStopComponent,
        "Stop a control-plane component: stop apiserver|scheduler|controller-manager|etcd"}},
      {"start", {RunStartComponent, "Start a stopped control-plane component"}},
      {"scale", {RunScale, "Set a new size: scale deployment NAME --replicas N"}},
      {"rollout",
       {RunRollout, "Manage a rollout: rollout status|history|undo|restart deployment/NAME"}},
      {"set", {RunSet, "Update a field: set image deployment/NAME CONTAINER=IMAGE"}},
      {"patch",
       {RunPatch, "Patch a resource: patch KIND NAME -p PATCH [--type strategic|merge|json]"}},
      {"curl",
       {RunCurl,
        "HTTP request from a jumpbox on the node network: curl http://SERVICE or NODE-IP:PORT"}},
      {"why",
       {RunWhy, "Explain the scheduler's last attempt at a pod: why pod NAME [-n NS] [-o json]"}},
      {"label", {RunLabel, "Update labels: label TYPE NAME KEY=VAL... KEY- [--overwrite]"}},
      {"annotate",
       {RunAnnotate, "Update annotations: annotate TYPE NAME KEY=VAL... KEY- [--overwrite]"}},
      {"cordon", {RunCordon, "Mark a node unschedulable: cordon NODE"}},
      {"uncordon", {RunUncordon, "Mark a node schedulable again: uncordon NODE"}},
      {"taint", {RunTaintCommand, "Update node taints: taint nodes NODE KEY[=VAL]:EFFECT[-]"}},
      {"cluster-info", {RunClusterInfo, "Show where the control plane and cluster services run"}},
      {"events",
       {RunEvents, "List events, oldest first: events [--for TYPE/NAME] [--types Warning]"}},
      {"logs", {RunLogs, "Print a container's logs: logs POD|TYPE/NAME [-c CONTAINER] [-p]"}},
      {"expose",
       {RunExpose, "Expose a workload as a Service: expose deployment NAME --port P [--type T]"}},
      {"top", {RunTop, "CPU and memory use (metrics-server add-on): top node|pod [NAME] [-A]"}},
      {"drain",
       {RunDrainCommand,
        "Cordon a node and evict its pods: drain NODE [--ignore-daemonsets] [--force]"}},
  };
  return commands;
}

}  // namespace

struct Shell::Impl {
  ShellContext ctx;
};

Shell::Shell(ShellContext context) : impl_(std::make_unique<Impl>()) {
  impl_->ctx = std::move(context);
}

Shell::~Shell() = default;

int Shell::Execute(const std::string& line) {
  Env env{impl_->ctx, *impl_->ctx.out, *impl_->ctx.err};
  auto words = SplitCommandLine(line);
  if (!words.ok()) return PrintError(env, words.status().message());
  Args args = std::move(*words);
  if (!args.empty() && args[0] == "kubectl") args.erase(args.begin());
  if (args.empty()) return 0;
  // Everything already due at this simulated instant happens first, so a
  // script sees the same state on every run.
  impl_->ctx.executor->RunUntilIdle();
  std::string name = args[0];
  args.erase(args.begin());
  if (name == "help" || name == "--help" || name == "-h") {
    env.out << "kubesim: a whole Kubernetes cluster in one process. Commands (kubectl grammar; a "
               "leading `kubectl` is accepted):\n\n";
    for (const auto& [cmd, c] : Commands()) {
      env.out << "  " << cmd << std::string(cmd.size() < 15 ? 15 - cmd.size() : 1, ' ') << c.summary
              << "\n";
    }
    env.out << "  help           Show this help\n  exit           Leave the shell (also Ctrl-D)\n";
    return 0;
  }
  auto it = Commands().find(name);
  if (it == Commands().end()) {
    env.err << "error: unknown command \"" << name << "\" for \"kubectl\"\n";
    // cobra suggests close matches; keep the same "Did you mean" shape.
    for (const auto& [cmd, c] : Commands()) {
      size_t common = 0;
      while (common < cmd.size() && common < name.size() && cmd[common] == name[common]) ++common;
      if (common >= 3 && common + 2 >= name.size()) {
        env.err << "\nDid you mean this?\n\t" << cmd << "\n";
        break;
      }
    }
    env.err << "Run 'kubectl --help' for usage.\n";
    return 1;
  }
  try {
    return it->second.run(env, args);
  } catch (const std::exception& e) {
    // A bug, not bad input: say so without killing the session.
    env.err << "error: internal error in `" << name << "`: " << e.what() << "\n";
    return 1;
  }
}

std::vector<std::string> Shell::CompletionWords() const {
  std::vector<std::string> words = {"help", "exit", "kubectl"};
  for (const auto& [cmd, c] : Commands()) words.push_back(cmd);
  for (const api::ResourceStrategy* s : impl_->ctx.discovery->All()) {
    words.push_back(s->info().gvr.resource);
    words.push_back(s->info().singular);
    for (const auto& sn : s->info().short_names) words.push_back(sn);
  }
  return words;
}

}  // namespace kubesim::shell
