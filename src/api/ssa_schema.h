// Private to src/api: the structural schema server-side apply walks, i.e.
// what kube-apiserver's structured-merge-diff schema (generated from the
// OpenAPI of k8s.io/api 1.32 by kube-openapi's schemaconv) says about the
// built-in kinds: which lists are associative (`x-kubernetes-list-type: map`
// with their `x-kubernetes-list-map-keys`, or `patchMergeKey` when no list
// type is given), which are sets, which maps/structs/lists are atomic, and
// which fields the Go zero value of a type already carries (non-pointer
// structs, lists without omitempty), which decides whether an added struct
// shows up as "." in FieldsV1.
//
// Only the fields that differ from the defaults are written down: a struct is
// granular, a list without a listed type is atomic (schemaconv's default), a
// scalar is a leaf.
#ifndef KUBESIM_SRC_API_SSA_SCHEMA_H_
#define KUBESIM_SRC_API_SSA_SCHEMA_H_

#include <map>
#include <string>
#include <vector>

#include "kubesim/api/types.h"

namespace kubesim::api {

struct SsaType;

struct SsaField {
  const SsaType* type{};  // nullptr: deduced from the value
  // The Go zero value of the parent carries this field (a non-pointer struct
  // as {}, a list without omitempty as null).
  bool zero_present{};
};

struct SsaType {
  enum class Shape { kStruct, kAtomic, kMapList, kSetList };
  Shape shape = Shape::kStruct;
  std::map<std::string, SsaField> fields{};  // kStruct
  const SsaType* elem{};                     // kMapList: the items' type
  std::vector<std::string> keys{};           // kMapList: list-map-keys
  // kMapList: a key's OpenAPI default, used when an item omits it (ports'
  // protocol "TCP"), as structured-merge-diff fills keys from the schema.
  std::map<std::string, Object> key_defaults{};
};

// The schema of `kind`; a struct with only ObjectMeta for a kind without
// entries. Never nullptr; lives for the process.
const SsaType* SsaSchemaForKind(const std::string& kind);

// Fields of `kind` that kubesim sets in admission (serviceAccountName,
// priority, default tolerations, ...) and which upstream therefore never
// attributes to the creating manager (the field manager runs before
// admission, handlers/create.go). JSON pointers into the object.
const std::vector<std::string>& AdmissionSetFields(const std::string& kind);

}  // namespace kubesim::api

#endif  // KUBESIM_SRC_API_SSA_SCHEMA_H_
