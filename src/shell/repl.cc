#include "kubesim/shell/repl.h"

#include <editline/readline.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <iostream>
#include <mutex>
#include <thread>

#include "kubesim/shell/shell.h"
#include "kubesim/sim/wall_clock_pacer.h"

namespace kubesim::shell {
namespace {

bool IsExit(const std::string& line) {
  auto words = SplitCommandLine(line);
  return words.ok() && words->size() == 1 && ((*words)[0] == "exit" || (*words)[0] == "quit");
}

// Lines after `... -f -` up to a line "EOF": the manifest text.
std::string ReadHeredoc(const std::function<bool(std::string*)>& next_line) {
  std::string text, line;
  while (next_line(&line)) {
    if (line == "EOF") break;
    text += line + "\n";
  }
  return text;
}

}  // namespace

int RunScript(cluster::Cluster& cluster, std::istream& in, std::ostream& out, std::ostream& err) {
  auto client = cluster.NewClient("kubectl");
  auto next_line = [&](std::string* line) { return static_cast<bool>(std::getline(in, *line)); };
  ShellContext ctx;
  ctx.client = client.get();
  ctx.discovery = &cluster.api_server().registry();
  ctx.executor = &cluster.executor();
  ctx.control = &cluster;
  ctx.out = &out;
  ctx.err = &err;
  ctx.read_stdin = [&] { return ReadHeredoc(next_line); };
  Shell shell(ctx);
  int result = 0;
  std::string line;
  while (next_line(&line)) {
    if (IsExit(line)) break;
    if (shell.Execute(line) != 0) result = 1;
    out.flush();
    err.flush();
  }
  return result;
}

namespace {

// Tab completion through libedit's readline compatibility layer.
std::vector<std::string>* g_completion_words = nullptr;

char* CompletionGenerator(const char* text, int state) {
  static size_t index;
  if (state == 0) index = 0;
  size_t len = strlen(text);
  while (g_completion_words && index < g_completion_words->size()) {
    const std::string& w = (*g_completion_words)[index++];
    if (w.compare(0, len, text) == 0) return strdup(w.c_str());
  }
  return nullptr;
}

char** Complete(const char* text, int start, int end) {
  rl_attempted_completion_over = 1;
  return rl_completion_matches(text, CompletionGenerator);
}

}  // namespace

int RunInteractive(cluster::Cluster& cluster, double speed) {
  auto client = cluster.NewClient("kubectl");
  Executor& executor = cluster.executor();

  // The pacer: the only place wall time enters. Its pump moves the
  // simulated clock to match elapsed wall time; commands rebase it (a
  // `sleep 5m` jumps) and `clock pause|resume|speed` steer it.
  WallClockPacer pacer(&executor, speed);
  pacer.StartPump(std::chrono::milliseconds(50));

  ShellContext ctx;
  ctx.client = client.get();
  ctx.discovery = &cluster.api_server().registry();
  ctx.executor = &executor;
  ctx.control = &cluster;
  ctx.pacer = &pacer;
  ctx.out = &std::cout;
  ctx.err = &std::cerr;
  ctx.read_stdin = [] {
    std::cerr << "(enter the manifest; end with a line EOF)\n";
    return ReadHeredoc([](std::string* line) {
      char* l = readline("");
      if (!l) return false;
      *line = l;
      free(l);
      return true;
    });
  };
  Shell shell(ctx);
  std::vector<std::string> words = shell.CompletionWords();
  g_completion_words = &words;
  rl_attempted_completion_function = Complete;

  int nodes = static_cast<int>(cluster.config().nodes.size());
  std::cout << "kubesim: Kubernetes v1.32 cluster with " << nodes << " node"
            << (nodes == 1 ? "" : "s")
            << " is ready. Type `help` for commands, `exit` or Ctrl-D to leave.\n";
  int last = 0;
  while (true) {
    char* raw = readline("kubesim> ");
    if (!raw) {
      std::cout << "\n";
      break;
    }
    std::string line = raw;
    free(raw);
    if (line.find_first_not_of(" \t") != std::string::npos) add_history(line.c_str());
    if (IsExit(line)) break;
    // Catch up with wall time first, then run the command at that instant.
    pacer.RunExclusive([&] {
      last = shell.Execute(line);
      std::cout.flush();
    });
  }
  pacer.StopPump();
  g_completion_words = nullptr;
  return last;
}

}  // namespace kubesim::shell
