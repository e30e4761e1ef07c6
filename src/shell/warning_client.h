// A client decorator for the shell: prints each Response warning as kubectl
// does, "Warning: <text>" on stderr, as soon as the response arrives
// (k8s.io/client-go/rest/warnings.go WarningWriter, which kubectl installs
// with Deduplicate=true for its whole run; here the whole run is one shell
// command).
//
// Thread-safety: as the wrapped client for Do/Watch; `err` must only be used
// from the shell's thread (the shell runs commands one at a time).
#ifndef KUBESIM_SHELL_WARNING_CLIENT_H_
#define KUBESIM_SHELL_WARNING_CLIENT_H_

#include <ostream>
#include <set>
#include <string>

#include "kubesim/client/client.h"

namespace kubesim::shell {

class WarningClient final : public client::Client {
 public:
  // `inner` and `err` must outlive this client.
  WarningClient(client::Client* inner, std::ostream* err) : inner_(inner), err_(err) {}

  api::Response Do(api::Request request) override;
  StatusOr<std::unique_ptr<api::WatchHandle>> Watch(api::Request request,
                                                    api::WatchSink sink) override {
    return inner_->Watch(std::move(request), std::move(sink));
  }

 private:
  client::Client* inner_;
  std::ostream* err_;
  std::set<std::string> printed_;  // kubectl deduplicates warnings per run
};

}  // namespace kubesim::shell

#endif  // KUBESIM_SHELL_WARNING_CLIENT_H_
