// `curl [-s] [-S] URL...`: an HTTP request from a jumpbox on the node network
// (SimulatorControl::Curl; routing in src/network/). Prints the body, or
// curl 7.88's error line on stderr and returns 1.
#include "commands.h"

namespace kubesim::shell {

int RunCurl(Env& env, const Args& args) {
  std::vector<std::string> urls;
  for (const std::string& a : args) {
    if (a == "-s" || a == "-S" || a == "-sS" || a == "-Ss" || a == "--silent" ||
        a == "--show-error") {
      continue;  // the progress meter is never shown here
    }
    if (!a.empty() && a[0] == '-') {
      env.err << "curl: option " << a << ": is unknown\n"
              << "curl: try 'curl --help' or 'curl --manual' for more information\n";
      return 1;
    }
    urls.push_back(a);
  }
  if (urls.empty()) {
    env.err << "curl: try 'curl --help' or 'curl --manual' for more information\n";
    return 1;
  }
  if (env.ctx.control == nullptr) return PrintError(env, "curl: no cluster to send requests to");
  int code = 0;
  for (const std::string& url : urls) {
    auto body = env.ctx.control->Curl(url);
    if (!body.ok()) {
      env.err << body.status().message() << "\n";
      code = 1;
      continue;
    }
    env.out << *body;
  }
  return code;
}

}  // namespace kubesim::shell
