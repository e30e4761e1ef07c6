// How components talk to the API server: every call is a Request object, as a
// real client's would be an HTTP request. Nothing reaches into another
// component's memory.
//
// Thread-safety: implementations are safe for concurrent use.
#ifndef KUBESIM_CLIENT_CLIENT_H_
#define KUBESIM_CLIENT_CLIENT_H_

#include <memory>
#include <string>

#include "kubesim/api/types.h"
#include "kubesim/util/status.h"

namespace kubesim::api {
class ApiServer;
}

namespace kubesim::client {

using api::GroupVersionResource;
using api::Object;
using api::Request;
using api::Response;

class Client {
 public:
  virtual ~Client() = default;
  // Sends one request. A server that is down answers code 0 (no response).
  virtual Response Do(Request request) = 0;
  virtual StatusOr<std::unique_ptr<api::WatchHandle>> Watch(Request request,
                                                            api::WatchSink sink) = 0;

  // Typed conveniences over Do(); failures carry the server's Status message.
  StatusOr<Object> Get(const GroupVersionResource& gvr, const std::string& ns,
                       const std::string& name);
  StatusOr<Object> List(const GroupVersionResource& gvr, const std::string& ns,
                        const std::string& label_selector = "",
                        const std::string& field_selector = "");
  StatusOr<Object> Create(const GroupVersionResource& gvr, const std::string& ns, Object obj);
  // Create for a caller that needs only whether it worked: the server skips
  // the created object's copy for the answer (Request::discard_result).
  // Same failures as Create.
  Status CreateDiscardingResult(const GroupVersionResource& gvr, const std::string& ns, Object obj);
  StatusOr<Object> Update(const GroupVersionResource& gvr, Object obj);
  StatusOr<Object> UpdateStatus(const GroupVersionResource& gvr, Object obj);
  StatusOr<Object> Patch(const GroupVersionResource& gvr, const std::string& ns,
                         const std::string& name, const std::string& content_type, Object patch,
                         const std::string& subresource = "");
  Status Delete(const GroupVersionResource& gvr, const std::string& ns, const std::string& name,
                std::optional<int64_t> grace_period_seconds = std::nullopt);
};

// A client that calls an in-process ApiServer directly, stamping each request
// with `user_agent`. `server` must outlive it.
std::unique_ptr<Client> NewLocalClient(api::ApiServer* server, std::string user_agent);

}  // namespace kubesim::client

#endif  // KUBESIM_CLIENT_CLIENT_H_
