// The shell's commands, one file each, sharing this environment.
#ifndef KUBESIM_SHELL_COMMANDS_H_
#define KUBESIM_SHELL_COMMANDS_H_

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "flags.h"
#include "kubesim/api/resource.h"
#include "kubesim/shell/shell.h"
#include "warning_client.h"

namespace kubesim::shell {

// The API server the shell's kubectl talks to (its kubeconfig's server):
// kubeadm's --secure-port on the loopback, as `cluster-info` and the
// connection-refused message name it.
inline constexpr char kApiServerHostPort[] = "127.0.0.1:6443";

struct Env {
  ShellContext& ctx;
  std::ostream& out;
  std::ostream& err;
  // The user's client; the API's warnings are printed on `err` as kubectl
  // prints them (warning_client.h).
  client::Client& client() {
    if (!warning_client) warning_client = std::make_unique<WarningClient>(ctx.client, &err);
    return *warning_client;
  }
  const api::ResourceRegistry& discovery() { return *ctx.discovery; }
  std::unique_ptr<WarningClient> warning_client{};  // made on first use
};

using Args = std::vector<std::string>;

int RunGet(Env& env, const Args& args);
int RunDescribe(Env& env, const Args& args);
int RunRun(Env& env, const Args& args);
int RunCreate(Env& env, const Args& args);
int RunApply(Env& env, const Args& args);
int RunDelete(Env& env, const Args& args);
int RunSleep(Env& env, const Args& args);
int RunWait(Env& env, const Args& args);
int RunClock(Env& env, const Args& args);
int RunApiResources(Env& env, const Args& args);
int RunVersion(Env& env, const Args& args);
// node_commands.cc
int RunNode(Env& env, const Args& args);
int RunStopComponent(Env& env, const Args& args);
int RunStartComponent(Env& env, const Args& args);
// workload_commands.cc
int RunScale(Env& env, const Args& args);
int RunRollout(Env& env, const Args& args);
int RunSet(Env& env, const Args& args);
int RunPatch(Env& env, const Args& args);
// service_commands.cc
int RunCurl(Env& env, const Args& args);
// why_command.cc
int RunWhy(Env& env, const Args& args);
// label_commands.cc
int RunLabel(Env& env, const Args& args);
int RunAnnotate(Env& env, const Args& args);
// inspect_commands.cc
int RunClusterInfo(Env& env, const Args& args);
int RunEvents(Env& env, const Args& args);
int RunLogs(Env& env, const Args& args);
// imperative_commands.cc
int RunCreateDeployment(Env& env, const Args& args);
int RunExpose(Env& env, const Args& args);
// top_command.cc
int RunTop(Env& env, const Args& args);
// node_maintenance_commands.cc
int RunCordon(Env& env, const Args& args);
int RunUncordon(Env& env, const Args& args);
int RunTaintCommand(Env& env, const Args& args);
int RunDrainCommand(Env& env, const Args& args);

// --- shared helpers (helpers.cc) ---

// Prints a pflag error the way kubectl does, with the usage hint.
int FlagError(Env& env, const std::string& command, const Status& status);
// Prints a failed API response the way kubectl's cmdutil.CheckErr does:
// "Error from server (NotFound): pods \"x\" not found", "The Pod \"x\" is
// invalid: ...", or the connection-refused line for an unreachable server.
void PrintApiError(Env& env, const api::Response& response);
// kubectl's `error: ...` line.
int PrintError(Env& env, const std::string& message);

// Resolves a user-typed resource ("po", "pods", "deployment.apps") or prints
// `error: the server doesn't have a resource type "x"` and returns nullptr.
const api::ResourceStrategy* ResolveResource(Env& env, const std::string& text);
// What the user named: "pods", "pods a b", "pod/a pod/b", "pods,nodes", or a
// category such as "all" (kubectl's ResourceTypeOrNameArgs). Returns false
// after printing kubectl's error.
struct ResourceArgs {
  const api::ResourceStrategy* strategy;
  std::vector<std::string> names;  // empty = list
};
bool ParseResourceArgs(Env& env, const Args& pos, std::vector<ResourceArgs>* out);
// Finds the resource serving apiVersion/kind of a manifest; nullptr if none.
const api::ResourceStrategy* FindByKind(Env& env, const std::string& api_version,
                                        const std::string& kind);
// "pod", "deployment.apps": the prefix kubectl prints ("pod/nginx created").
std::string KindPrefix(const api::ResourceInfo& info);
// The namespace flag's value or "default".
std::string NamespaceOf(const FlagSet& flags);
// Adds the flags every command accepts (-n/--namespace, --v).
void AddGlobalFlags(FlagSet& flags);

// Manifests read from -f FILE|DIR|-, each with the file it came from.
struct Manifest {
  std::string source;  // file name as given, or "STDIN"
  api::Object object;
};
// Reads every manifest in `paths`; on error prints kubectl's message and
// returns false (nothing has been sent to the server).
bool ReadManifests(Env& env, const std::vector<std::string>& paths, std::vector<Manifest>* out);

// TYPE/NAME or TYPE NAME from the positional arguments; prints kubectl's
// error and returns false when either is missing or the type is unknown.
bool ResolveTarget(Env& env, const Args& pos, const api::ResourceStrategy** s, std::string* name);
// One GET / PATCH through the user's client (`ns` ignored for cluster-scoped
// kinds in Patch; pass "" for them in Get). `field_manager`: the command's
// kubectl --field-manager default ("kubectl-rollout", "kubectl-label", ...);
// "" lets the server take the User-Agent's ("kubectl").
api::Response Get(Env& env, const api::GroupVersionResource& gvr, const std::string& ns,
                  const std::string& name);
api::Response Patch(Env& env, const api::ResourceInfo& info, const std::string& ns,
                    const std::string& name, const std::string& type, const api::Object& body,
                    const std::string& field_manager = "");

// Moves the simulated clock until `done()` or `timeout` passes. Returns
// whether `done()` became true.
bool AdvanceUntil(Env& env, const std::function<bool()>& done, Duration timeout);

}  // namespace kubesim::shell

#endif  // KUBESIM_SHELL_COMMANDS_H_
