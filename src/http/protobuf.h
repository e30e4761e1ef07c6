// Decoding the few protobuf request bodies kubectl sends.
//
// kubectl's typed clientset (client-go kubernetes.NewForConfig) sends
// `Content-Type: application/vnd.kubernetes.protobuf` for built-in kinds:
// `kubectl create namespace`, and the evictions `kubectl drain` posts. A
// protobuf body is the 4 bytes "k8s\0" and a runtime.Unknown message
// (k8s.io/apimachinery/pkg/runtime/generated.proto) wrapping the typed
// message. kubesim has no generated protobuf types; it decodes by hand the
// kinds listed below (field numbers from k8s.io/api/*/generated.proto) into
// the JSON object kube-apiserver would have decoded, and rejects the rest
// with 415 so the message names what is missing.
#ifndef KUBESIM_HTTP_PROTOBUF_H_
#define KUBESIM_HTTP_PROTOBUF_H_

#include <string>

#include "kubesim/api/types.h"
#include "kubesim/util/status.h"

namespace kubesim::http {

inline constexpr char kProtobuf[] = "application/vnd.kubernetes.protobuf";

// Namespace (v1), Eviction (policy/v1) and DeleteOptions (meta/v1), with
// ObjectMeta's name, generateName, namespace, uid, resourceVersion, labels,
// annotations and finalizers. kUnsupportedMediaType for any other kind;
// kBadRequest for a malformed body.
StatusOr<api::Object> DecodeProtobufBody(const std::string& body);

}  // namespace kubesim::http

#endif  // KUBESIM_HTTP_PROTOBUF_H_
