// WarningClient (warning_client.h).
#include "warning_client.h"

namespace kubesim::shell {

api::Response WarningClient::Do(api::Request request) {
  api::Response response = inner_->Do(std::move(request));
  for (const std::string& w : response.warnings) {
    if (printed_.insert(w).second) *err_ << "Warning: " << w << "\n";
  }
  return response;
}

}  // namespace kubesim::shell
