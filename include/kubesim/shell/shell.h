// The kubectl-like shell: parses one command line with kubectl's grammar,
// turns it into API Requests sent through a client::Client (exactly like a
// real client), and prints what kubectl would print.
//
// Simulator-only commands (`sleep`, `wait`'s clock movement, `clock`, `help`)
// drive the Executor's clock; nothing else reaches past the API.
//
// Thread-safety: a Shell is used by one thread. Execute() must not run while
// another thread drives the same Executor (callers hold the driver mutex).
#ifndef KUBESIM_SHELL_SHELL_H_
#define KUBESIM_SHELL_SHELL_H_

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "kubesim/api/resource.h"
#include "kubesim/client/client.h"
#include "kubesim/cluster/sim_control.h"
#include "kubesim/sim/executor.h"
#include "kubesim/sim/wall_clock_pacer.h"

namespace kubesim::shell {

struct ShellContext {
  client::Client* client = nullptr;                  // the user's API client
  const api::ResourceRegistry* discovery = nullptr;  // what the server serves
  Executor* executor = nullptr;                      // the simulated clock's driver
  std::ostream* out = nullptr;                       // command output (stdout)
  std::ostream* err = nullptr;                       // errors (stderr)
  // Reads the manifest text for `create/apply/delete -f -`.
  std::function<std::string()> read_stdin;
  // The simulator's failure controls (`node stop`, `stop apiserver`,
  // `curl`); null where there is no cluster to control.
  cluster::SimulatorControl* control = nullptr;
  // Lets the clock follow wall time (`clock pause|resume|speed X`); null in
  // scripts, where only `sleep`/`wait` move the clock.
  WallClockPacer* pacer = nullptr;
};

class Shell {
 public:
  explicit Shell(ShellContext context);
  ~Shell();

  // Runs one command line. Returns its exit code (0 success, 1 failure), as
  // kubectl's. Blank lines and `#` comments return 0 and print nothing.
  // Before the command runs, all work already due is finished.
  int Execute(const std::string& line);

  // Names for tab completion: commands and resource kinds.
  std::vector<std::string> CompletionWords() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Splits a command line as a POSIX shell would for simple commands: blanks
// separate words, '...' and "..." quote, backslash escapes. A '#' at the
// start of a word begins a comment. Fails on an unterminated quote.
StatusOr<std::vector<std::string>> SplitCommandLine(const std::string& line);

}  // namespace kubesim::shell

#endif  // KUBESIM_SHELL_SHELL_H_
