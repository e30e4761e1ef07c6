// The two ways commands reach the Shell: an interactive terminal (line
// editing and history through libedit, the simulated clock following wall
// time) or a script on stdin (one command per line, no prompt, the clock
// moving only by `sleep`/`wait`).
#ifndef KUBESIM_SHELL_REPL_H_
#define KUBESIM_SHELL_REPL_H_

#include <iosfwd>

#include "kubesim/cluster/cluster.h"

namespace kubesim::shell {

// Reads commands from `in` until EOF or `exit`. Returns 0 if every command
// succeeded, 1 if any failed (the run carries on after a failure).
// `create/apply/delete -f -` read the following lines up to a line `EOF`.
int RunScript(cluster::Cluster& cluster, std::istream& in, std::ostream& out, std::ostream& err);

// An interactive session on the terminal. While the user types, a pump
// advances the simulated clock with wall time (times `speed`), so pods come
// up as you watch. Returns the exit code of the last command.
int RunInteractive(cluster::Cluster& cluster, double speed);

}  // namespace kubesim::shell

#endif  // KUBESIM_SHELL_REPL_H_
