// Private to src/api: the strategic-merge-patch metadata of the built-in
// kinds, i.e. the `patchStrategy` / `patchMergeKey` struct tags of the
// upstream Go types (k8s.io/api/core/v1/types.go, apps/v1/types.go,
// apimachinery/pkg/apis/meta/v1/types.go). strategicpatch reads them by
// reflection; kubesim serves JSON objects, so the tags are written down here.
//
// Only fields that carry a tag, or lead to a type with tagged fields, are
// listed: every other field has no strategy (maps merge key by key, lists are
// replaced), which is also what strategicpatch does for an untagged field.
#ifndef KUBESIM_SRC_API_PATCH_SCHEMA_H_
#define KUBESIM_SRC_API_PATCH_SCHEMA_H_

#include <map>
#include <string>

namespace kubesim::api {

struct PatchType;

// One field's tags. `strategy` is the tag as written upstream: "",
// "merge", "replace", "retainKeys" or "merge,retainKeys".
struct PatchField {
  std::string strategy;
  std::string merge_key;
  const PatchType* type = nullptr;  // the struct (or list element) type; nullptr = untagged
};

// A Go struct type: its tagged fields by JSON name.
struct PatchType {
  std::map<std::string, PatchField> fields;
};

// The top-level type of `kind` ("Pod", "Deployment", ...); for a kind without
// tagged fields, a type with only metadata (ObjectMeta's finalizers and
// ownerReferences). Never nullptr. The result lives for the process.
const PatchType* PatchSchemaForKind(const std::string& kind);

}  // namespace kubesim::api

#endif  // KUBESIM_SRC_API_PATCH_SCHEMA_H_
