// `kubesim serve` and `kubesim --serve PORT`: the cluster behind the HTTP
// API (http_server.h), with the simulated clock following wall time.
#ifndef KUBESIM_HTTP_SERVE_H_
#define KUBESIM_HTTP_SERVE_H_

#include <string>

#include "kubesim/cluster/cluster.h"

namespace kubesim::http {

struct ServeOptions {
  std::string address = "127.0.0.1";
  int port = 6443;       // 0 = any free port (printed, and written to the kubeconfig)
  int control_port = 0;  // /kubesim/v1 only; 0 = any free port (printed)
  // Where to write the kubeconfig; "" = ./kubesim.kubeconfig.
  std::string kubeconfig;
  double speed = 1.0;  // simulated seconds per wall second
};

// Headless: serves until SIGINT or SIGTERM, then returns 0 (2 when the
// address cannot be bound or the kubeconfig cannot be written). Prints the
// URL and how to use the kubeconfig on stdout.
int RunServe(cluster::Cluster& cluster, const ServeOptions& options);

// `kubesim --serve PORT`: the interactive shell, with the HTTP API served
// alongside. The shell drives the clock; the /kubesim/v1 controls that
// would drive it answer 409 (use the shell's commands). Returns the shell's
// exit code, or 2 when the address cannot be bound.
int RunInteractiveWithServer(cluster::Cluster& cluster, const ServeOptions& options);

}  // namespace kubesim::http

#endif  // KUBESIM_HTTP_SERVE_H_
