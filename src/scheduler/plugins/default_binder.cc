// pkg/scheduler/framework/plugins/defaultbinder/default_binder.go
// (Kubernetes 1.32): binds through the pods/binding subresource.
#include "in_tree.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"

namespace kubesim::scheduler::plugins {

Status DefaultBinder::Bind(CycleState&, const PodInfo& pod, const std::string& node) {
  api::Request req;
  req.verb = api::Verb::kCreate;
  req.gvr = api::kPods;
  req.namespace_ = pod.ns;
  req.name = pod.name;
  req.subresource = "binding";
  req.body = {
      {"apiVersion", "v1"},
      {"kind", "Binding"},
      {"metadata", {{"name", pod.name}, {"namespace", pod.ns}, {"uid", api::Uid(*pod.pod)}}},
      {"target", {{"apiVersion", "v1"}, {"kind", "Node"}, {"name", node}}}};
  api::Response r = handle_->ClientSet()->Do(std::move(req));
  if (r.ok()) return Status();
  // The message the client's error would print.
  if (r.code == 0) return Status::Error("the server is currently unable to handle the request");
  std::string msg = api::GetString(r.body, "/message");
  return Status::Error(msg.empty() ? "unexpected response code " + std::to_string(r.code) : msg);
}

}  // namespace kubesim::scheduler::plugins
