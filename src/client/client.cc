// Client's typed helpers over Do(), and the in-process client that calls an
// ApiServer directly.
#include "kubesim/client/client.h"

#include <utility>

#include "kubesim/api/api_server.h"
#include "kubesim/api/errors.h"
#include "kubesim/api/object_meta.h"

namespace kubesim::client {
namespace {

// The Status of a failed response (code 0, nobody answered: kUnavailable).
Status FailureStatus(const Response& response) {
  Status status = api::ToStatus(response);
  if (status.ok()) {
    // A non-2xx response whose body did not say what went wrong.
    return Status::Internal("unexpected response code " + std::to_string(response.code));
  }
  return status;
}

StatusOr<Object> ObjectOrStatus(Response response) {
  if (response.ok()) return std::move(response.body);
  return FailureStatus(response);
}

Request MakeRequest(api::Verb verb, const GroupVersionResource& gvr, const std::string& ns,
                    const std::string& name) {
  Request request;
  request.verb = verb;
  request.gvr = gvr;
  request.namespace_ = ns;
  request.name = name;
  return request;
}

class LocalClient final : public Client {
 public:
  LocalClient(api::ApiServer* server, std::string user_agent)
      : server_(server), user_agent_(std::move(user_agent)) {}

  Response Do(Request request) override {
    if (request.user_agent.empty()) request.user_agent = user_agent_;
    // Ours to give: the server may take the body instead of copying it.
    return server_->Handle(std::move(request));
  }

  StatusOr<std::unique_ptr<api::WatchHandle>> Watch(Request request, api::WatchSink sink) override {
    request.verb = api::Verb::kWatch;
    if (request.user_agent.empty()) request.user_agent = user_agent_;
    return server_->Watch(request, std::move(sink));
  }

 private:
  api::ApiServer* const server_;
  const std::string user_agent_;
};

}  // namespace

StatusOr<Object> Client::Get(const GroupVersionResource& gvr, const std::string& ns,
                             const std::string& name) {
  return ObjectOrStatus(Do(MakeRequest(api::Verb::kGet, gvr, ns, name)));
}

StatusOr<Object> Client::List(const GroupVersionResource& gvr, const std::string& ns,
                              const std::string& label_selector,
                              const std::string& field_selector) {
  Request request = MakeRequest(api::Verb::kList, gvr, ns, "");
  request.label_selector = label_selector;
  request.field_selector = field_selector;
  return ObjectOrStatus(Do(std::move(request)));
}

StatusOr<Object> Client::Create(const GroupVersionResource& gvr, const std::string& ns,
                                Object obj) {
  Request request = MakeRequest(api::Verb::kCreate, gvr, ns, "");
  request.body = std::move(obj);
  return ObjectOrStatus(Do(std::move(request)));
}

Status Client::CreateDiscardingResult(const GroupVersionResource& gvr, const std::string& ns,
                                      Object obj) {
  Request request = MakeRequest(api::Verb::kCreate, gvr, ns, "");
  request.body = std::move(obj);
  request.discard_result = true;
  Response response = Do(std::move(request));
  if (response.ok()) return Status::Ok();
  return FailureStatus(response);
}

StatusOr<Object> Client::Update(const GroupVersionResource& gvr, Object obj) {
  Request request = MakeRequest(api::Verb::kUpdate, gvr, api::Namespace(obj), api::Name(obj));
  request.body = std::move(obj);
  return ObjectOrStatus(Do(std::move(request)));
}

StatusOr<Object> Client::UpdateStatus(const GroupVersionResource& gvr, Object obj) {
  Request request = MakeRequest(api::Verb::kUpdate, gvr, api::Namespace(obj), api::Name(obj));
  request.subresource = "status";
  request.body = std::move(obj);
  return ObjectOrStatus(Do(std::move(request)));
}

StatusOr<Object> Client::Patch(const GroupVersionResource& gvr, const std::string& ns,
                               const std::string& name, const std::string& content_type,
                               Object patch, const std::string& subresource) {
  Request request = MakeRequest(api::Verb::kPatch, gvr, ns, name);
  request.content_type = content_type;
  request.subresource = subresource;
  request.body = std::move(patch);
  return ObjectOrStatus(Do(std::move(request)));
}

Status Client::Delete(const GroupVersionResource& gvr, const std::string& ns,
                      const std::string& name, std::optional<int64_t> grace_period_seconds) {
  Request request = MakeRequest(api::Verb::kDelete, gvr, ns, name);
  request.grace_period_seconds = grace_period_seconds;
  Response response = Do(std::move(request));
  if (response.ok()) return Status::Ok();
  return FailureStatus(response);
}

std::unique_ptr<Client> NewLocalClient(api::ApiServer* server, std::string user_agent) {
  return std::make_unique<LocalClient>(server, std::move(user_agent));
}

}  // namespace kubesim::client
