// Name and metadata validation, with the messages of
// k8s.io/apimachinery/pkg/util/validation/validation.go and
// k8s.io/apimachinery/pkg/api/validation/objectmeta.go.
#ifndef KUBESIM_API_VALIDATION_H_
#define KUBESIM_API_VALIDATION_H_

#include <string>
#include <vector>

#include "kubesim/api/errors.h"
#include "kubesim/api/types.h"

namespace kubesim::api {

// Each returns the list of problems (empty = valid), worded as upstream:
// "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric
// characters, '-' or '.', and must start and end with an alphanumeric
// character (e.g. 'example.com', regex used for validation is '...')".
std::vector<std::string> IsDns1123Subdomain(const std::string& value);
std::vector<std::string> IsDns1123Label(const std::string& value);
std::vector<std::string> IsQualifiedName(const std::string& value);  // label keys
std::vector<std::string> IsValidLabelValue(const std::string& value);

enum class NameRule { kDns1123Subdomain, kDns1123Label };

// Validates metadata of an object about to be created or updated:
// name (or generateName) required and valid per `rule`, namespace required
// iff `namespaced`, labels/annotations keys and values valid.
std::vector<FieldError> ValidateObjectMeta(const Object& obj, bool namespaced, NameRule rule);

// The 5-character suffix alphabet of generateName
// (k8s.io/apiserver/pkg/storage/names/generate.go, utilrand.String).
inline constexpr char kNameSuffixAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";

}  // namespace kubesim::api

#endif  // KUBESIM_API_VALIDATION_H_
