// `curl URL` from a jumpbox on the node network (issue 3). Placeholder.
#include "commands.h"

namespace kubesim::shell {

int RunCurl(Env& env, const Args& args) { return PrintError(env, "`curl` is not available yet"); }

}  // namespace kubesim::shell
