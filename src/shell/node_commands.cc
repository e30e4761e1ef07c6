// `node stop|start|add|delete`, `stop|start COMPONENT`: the simulator's
// failure controls (issue 3). Placeholder until they land.
#include "commands.h"

namespace kubesim::shell {

int RunNode(Env& env, const Args& args) { return PrintError(env, "`node` is not available yet"); }
int RunStopComponent(Env& env, const Args& args) {
  return PrintError(env, "`stop` is not available yet");
}
int RunStartComponent(Env& env, const Args& args) {
  return PrintError(env, "`start` is not available yet");
}

}  // namespace kubesim::shell
