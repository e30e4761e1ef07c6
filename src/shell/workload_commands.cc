// `scale`, `rollout`, `set image`, `patch` (issue 3). Placeholder until they land.
#include "commands.h"

namespace kubesim::shell {

int RunScale(Env& env, const Args& args) { return PrintError(env, "`scale` is not available yet"); }
int RunRollout(Env& env, const Args& args) {
  return PrintError(env, "`rollout` is not available yet");
}
int RunSet(Env& env, const Args& args) { return PrintError(env, "`set` is not available yet"); }
int RunPatch(Env& env, const Args& args) { return PrintError(env, "`patch` is not available yet"); }

}  // namespace kubesim::shell
