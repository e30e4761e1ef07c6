// The part of decoding a request body into its Go type that kubesim's JSON
// objects otherwise skip: ObjectMeta's fields must have their Go types. A
// manifest with `name: y` (YAML 1.1 reads it as a boolean, as kubectl's
// sigs.k8s.io/yaml does) reaches kube-apiserver as `"name": true`, and its
// decoder refuses it; kubesim answers the same instead of failing inside.
#ifndef KUBESIM_SRC_API_METADATA_DECODE_H_
#define KUBESIM_SRC_API_METADATA_DECODE_H_

#include <string>

#include "kubesim/api/types.h"

namespace kubesim::api {

// "" when obj.metadata decodes into ObjectMeta; otherwise encoding/json's
// UnmarshalTypeError text, e.g. `json: cannot unmarshal bool into Go struct
// field ObjectMeta.metadata.name of type string`.
std::string MetadataDecodeError(const Object& obj);

}  // namespace kubesim::api

#endif  // KUBESIM_SRC_API_METADATA_DECODE_H_
