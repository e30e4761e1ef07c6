// Label and field selectors, with the grammar and error messages of
// k8s.io/apimachinery/pkg/labels/selector.go and pkg/fields/selector.go.
//
// Thread-safety: parsed selectors are immutable values.
#ifndef KUBESIM_API_SELECTORS_H_
#define KUBESIM_API_SELECTORS_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "kubesim/api/types.h"
#include "kubesim/util/status.h"

namespace kubesim::api {

class LabelSelector {
 public:
  // kDoubleEquals ("=="), kGreaterThan ("gt", written ">") and kLessThan
  // ("lt", written "<") as in k8s.io/apimachinery/pkg/selection.
  enum class Op {
    kEquals,
    kNotEquals,
    kIn,
    kNotIn,
    kExists,
    kDoesNotExist,
    kDoubleEquals,
    kGreaterThan,
    kLessThan,
  };
  struct Requirement {
    std::string key;
    Op op;
    std::vector<std::string> values;  // sorted
  };

  // Parses "app=web,tier!=db,env in (a,b),!legacy,gpu". Empty = everything.
  // Errors (kBadRequest) carry upstream's message, e.g.
  // "unable to parse requirement: ..." / "found '...', expected: ...".
  static StatusOr<LabelSelector> Parse(const std::string& text);
  // From a metav1.LabelSelector object ({matchLabels, matchExpressions}), as
  // metav1.LabelSelectorAsSelector: {} selects everything, null selects
  // nothing (Nothing()).
  static StatusOr<LabelSelector> FromObject(const Object& selector);
  // labels.Nothing(): matches no labels; Empty() is false, ToString() "".
  static LabelSelector Nothing();
  // From a plain map (a Service's or ReplicationController's selector):
  // every key must equal its value.
  static LabelSelector FromMap(const std::map<std::string, std::string>& labels);

  bool Matches(const std::map<std::string, std::string>& labels) const;
  bool Empty() const { return !nothing_ && requirements_.empty(); }
  const std::vector<Requirement>& requirements() const { return requirements_; }
  // Canonical string form (requirements sorted by key), as labels.Selector.String().
  std::string ToString() const;

 private:
  std::vector<Requirement> requirements_;
  bool nothing_ = false;
};

class FieldSelector {
 public:
  struct Requirement {
    std::string field;   // "spec.nodeName"
    bool equals = true;  // "=" / "==" vs "!="
    std::string value;
  };
  // Parses "spec.nodeName=worker-1,status.phase!=Failed". Empty = everything.
  static StatusOr<FieldSelector> Parse(const std::string& text);

  // `lookup(field, &value)` returns false when the field is not supported
  // for this kind. Matches() then returns false and the API server answers
  // 400: `field label not supported: <field>`.
  using FieldLookup = std::function<bool(const std::string&, std::string*)>;
  bool Matches(const FieldLookup& lookup) const;
  // The first field `lookup` does not support, or "" if all are supported.
  std::string FirstUnsupported(const FieldLookup& lookup) const;
  bool Empty() const { return requirements_.empty(); }
  const std::vector<Requirement>& requirements() const { return requirements_; }
  // "spec.nodeName=worker-1,status.phase!=Failed" (terms sorted, values
  // escaped), as fields.Selector.String().
  std::string ToString() const;

 private:
  std::vector<Requirement> requirements_;
};

}  // namespace kubesim::api

#endif  // KUBESIM_API_SELECTORS_H_
