// Private to src/api: a set of field paths, as
// sigs.k8s.io/structured-merge-diff/v4/fieldpath.Set, and its FieldsV1
// encoding (fieldpath/serialize.go, the `fieldsV1` of a managedFields entry).
//
// A path is a sequence of path elements, each held in its FieldsV1 text:
//   "f:<name>"            a field of a struct or map      (PathElement.FieldName)
//   "k:{\"name\":\"x\"}"  an associative-list item by key (PathElement.Key)
//   "v:<json>"            a set-list item by value        (PathElement.Value)
// (kubesim has no lists addressed by index: lists without keys are atomic.)
//
// The set is a tree: a node is a member when the path that leads to it is in
// the set (FieldsV1's "." entry, or an empty object for a leaf). Not
// thread-safe; a value type.
#ifndef KUBESIM_SRC_API_FIELD_SET_H_
#define KUBESIM_SRC_API_FIELD_SET_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "kubesim/api/types.h"
#include "kubesim/util/status.h"

namespace kubesim::api {

using FieldPath = std::vector<std::string>;  // encoded path elements

class FieldSet {
 public:
  // True when no path is a member (the tree holds only empty nodes).
  bool Empty() const;
  void Insert(const FieldPath& path);
  bool Has(const FieldPath& path) const;
  // True when `path` or a path below it is a member.
  bool HasPrefix(const FieldPath& path) const;
  void Union(const FieldSet& other);
  // Removes the paths of `other` (exact paths, not the paths below them), as
  // fieldpath.Set.Difference.
  void Difference(const FieldSet& other);
  FieldSet Intersection(const FieldSet& other) const;
  // Keeps only the paths under the first element `element` (or drops them
  // when `keep` is false): the reset-fields filters.
  void FilterTop(const std::string& element, bool keep);

  // Every member path, in fieldpath.Set.Iterate's order: the members of a
  // level first, then the children's members, each sorted.
  void Iterate(const std::function<void(const FieldPath&)>& fn) const;

  // FieldsV1 (fieldpath.Set.ToJSON): {"f:spec":{"f:replicas":{}}, ...}.
  Object ToFieldsV1() const;
  // The inverse; 400-worthy errors for malformed input.
  static StatusOr<FieldSet> FromFieldsV1(const Object& fields);

  bool operator==(const FieldSet&) const = default;

 private:
  void IterateFrom(FieldPath& prefix, const std::function<void(const FieldPath&)>& fn) const;
  void Prune();

  bool member_ = false;
  std::map<std::string, FieldSet> children_;
};

// The path as structured-merge-diff prints it in conflict messages
// (fieldpath.Path.String): ".spec.template.spec.containers[name=\"web\"].image",
// "[containerPort=80,protocol=\"TCP\"]", "[=\"value\"]".
std::string FieldPathString(const FieldPath& path);

// Path elements from values.
std::string FieldElement(const std::string& name);  // "f:name"
std::string KeyElement(const Object& key_fields);   // "k:{...}" (fields sorted)
std::string ValueElement(const Object& value);      // "v:<json>"

}  // namespace kubesim::api

#endif  // KUBESIM_SRC_API_FIELD_SET_H_
