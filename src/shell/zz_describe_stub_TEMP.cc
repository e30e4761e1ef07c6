#include "commands.h"
namespace kubesim::shell {
int RunDescribe(Env& env, const Args& args) { return PrintError(env, "describe: not yet"); }
}
