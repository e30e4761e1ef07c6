// Name and metadata validation.
//
// Upstream references (kubernetes/kubernetes, staging/src/k8s.io/apimachinery/pkg/...):
//  - util/validation/validation.go   (IsDNS1123Label, IsDNS1123Subdomain,
//    IsQualifiedName, IsValidLabelValue, MaxLenError, RegexError, EmptyError),
//    as of the releases that word DNS errors "a lowercase RFC 1123 ..." and
//    length errors "must be no more than N characters" (v1.22 - v1.33)
//  - api/validation/generic.go       (NameIsDNSSubdomain, NameIsDNSLabel, maskTrailingDash)
//  - api/validation/objectmeta.go    (ValidateObjectMetaAccessor, ValidateAnnotations,
//    ValidateFinalizers, validateOwnerReference)
//  - apis/meta/v1/validation/validation.go (ValidateLabels)
#include "kubesim/api/validation.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace kubesim::api {

namespace {

// Regex texts exactly as upstream prints them.
constexpr char kDns1123LabelFmt[] = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
constexpr char kDns1123LabelErrMsg[] =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character";
constexpr int kDns1123LabelMaxLength = 63;

constexpr char kDns1123SubdomainFmt[] =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
constexpr char kDns1123SubdomainErrorMsg[] =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character";
constexpr int kDns1123SubdomainMaxLength = 253;

constexpr char kQualifiedNameFmt[] = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
constexpr char kQualifiedNameErrMsg[] =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character";
constexpr int kQualifiedNameMaxLength = 63;

constexpr char kLabelValueFmt[] = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
constexpr char kLabelValueErrMsg[] =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character";
constexpr int kLabelValueMaxLength = 63;

// objectmeta.go TotalAnnotationSizeLimitB.
constexpr int kTotalAnnotationSizeLimitB = 256 * (1 << 10);

// MaxLenError.
std::string MaxLenError(int length) {
  return "must be no more than " + std::to_string(length) + " characters";
}

// RegexError: msg + " (e.g. 'a',  or 'b', regex used for validation is '...')".
// (Each example is followed by "', " and joined with " or ", hence the double
// space upstream prints.)
std::string RegexError(const std::string& msg, const std::string& fmt,
                       const std::vector<std::string>& examples) {
  if (examples.empty()) return msg + " (regex used for validation is '" + fmt + "')";
  std::string out = msg + " (e.g. ";
  for (size_t i = 0; i < examples.size(); ++i) {
    if (i > 0) out += " or ";
    out += "'" + examples[i] + "', ";
  }
  out += "regex used for validation is '" + fmt + "')";
  return out;
}

// EmptyError.
std::string EmptyError() { return "must be non-empty"; }

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsAlnum(char c) { return IsLowerAlnum(c) || (c >= 'A' && c <= 'Z'); }

// ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
bool MatchesDns1123Label(const std::string& v) {
  if (v.empty() || !IsLowerAlnum(v.front()) || !IsLowerAlnum(v.back())) return false;
  return std::all_of(v.begin(), v.end(), [](char c) { return IsLowerAlnum(c) || c == '-'; });
}

// ^label(\.label)*$
bool MatchesDns1123Subdomain(const std::string& v) {
  size_t start = 0;
  while (true) {
    size_t dot = v.find('.', start);
    if (!MatchesDns1123Label(v.substr(start, dot - start))) return false;
    if (dot == std::string::npos) return true;
    start = dot + 1;
  }
}

// ^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$
bool MatchesQualifiedName(const std::string& v) {
  if (v.empty() || !IsAlnum(v.front()) || !IsAlnum(v.back())) return false;
  return std::all_of(v.begin(), v.end(),
                     [](char c) { return IsAlnum(c) || c == '-' || c == '_' || c == '.'; });
}

// generic.go maskTrailingDash: a trailing '-' of a generateName prefix is
// masked so the prefix can be validated as a name. Upstream replaces the
// last *two* characters with "a" (name[:len(name)-2] + "a"); kept as is, but
// guarded for the one-character "-" that would make Go panic.
std::string MaskTrailingDash(const std::string& name) {
  if (name.size() > 1 && name.back() == '-') return name.substr(0, name.size() - 2) + "a";
  return name;
}

// NameIsDNSSubdomain / NameIsDNSLabel.
std::vector<std::string> ValidateName(NameRule rule, std::string name, bool prefix) {
  if (prefix) name = MaskTrailingDash(name);
  return rule == NameRule::kDns1123Label ? IsDns1123Label(name) : IsDns1123Subdomain(name);
}

std::string ToLower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string StringField(const Object& o, const char* key) {
  if (!o.is_object()) return "";
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// schema.ParseGroupVersion's version part ("" when unparseable).
std::string VersionOf(const std::string& api_version) {
  if (api_version.empty() || api_version == "/") return "";
  size_t slashes = std::count(api_version.begin(), api_version.end(), '/');
  if (slashes == 0) return api_version;
  if (slashes == 1) return api_version.substr(api_version.find('/') + 1);
  return "";
}

}  // namespace

// IsDNS1123Subdomain.
std::vector<std::string> IsDns1123Subdomain(const std::string& value) {
  std::vector<std::string> errs;
  if (value.size() > kDns1123SubdomainMaxLength) {
    errs.push_back(MaxLenError(kDns1123SubdomainMaxLength));
  }
  if (!MatchesDns1123Subdomain(value)) {
    errs.push_back(RegexError(kDns1123SubdomainErrorMsg, kDns1123SubdomainFmt, {"example.com"}));
  }
  return errs;
}

// IsDNS1123Label.
std::vector<std::string> IsDns1123Label(const std::string& value) {
  std::vector<std::string> errs;
  if (value.size() > kDns1123LabelMaxLength) errs.push_back(MaxLenError(kDns1123LabelMaxLength));
  if (!MatchesDns1123Label(value)) {
    errs.push_back(RegexError(kDns1123LabelErrMsg, kDns1123LabelFmt, {"my-name", "123-abc"}));
  }
  return errs;
}

// IsQualifiedName: an optional DNS-subdomain prefix and '/', then a name of at
// most 63 characters.
std::vector<std::string> IsQualifiedName(const std::string& value) {
  std::vector<std::string> errs;
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {  // strings.Split(value, "/")
    size_t slash = value.find('/', start);
    parts.push_back(value.substr(start, slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  std::string name;
  switch (parts.size()) {
    case 1:
      name = parts[0];
      break;
    case 2: {
      const std::string& prefix = parts[0];
      name = parts[1];
      if (prefix.empty()) {
        errs.push_back("prefix part " + EmptyError());
      } else {
        for (const std::string& msg : IsDns1123Subdomain(prefix)) {
          errs.push_back("prefix part " + msg);
        }
      }
      break;
    }
    default:
      errs.push_back(
          "a qualified name " +
          RegexError(kQualifiedNameErrMsg, kQualifiedNameFmt, {"MyName", "my.name", "123-abc"}) +
          " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return errs;
  }
  if (name.empty()) {
    errs.push_back("name part " + EmptyError());
  } else if (name.size() > kQualifiedNameMaxLength) {
    errs.push_back("name part " + MaxLenError(kQualifiedNameMaxLength));
  }
  if (!MatchesQualifiedName(name)) {
    errs.push_back("name part " + RegexError(kQualifiedNameErrMsg, kQualifiedNameFmt,
                                             {"MyName", "my.name", "123-abc"}));
  }
  return errs;
}

// IsValidLabelValue.
std::vector<std::string> IsValidLabelValue(const std::string& value) {
  std::vector<std::string> errs;
  if (value.size() > kLabelValueMaxLength) errs.push_back(MaxLenError(kLabelValueMaxLength));
  if (!value.empty() && !MatchesQualifiedName(value)) {
    errs.push_back(RegexError(kLabelValueErrMsg, kLabelValueFmt, {"MyValue", "my_value", "12345"}));
  }
  return errs;
}

// ValidateObjectMetaAccessor with fldPath "metadata". kubesim validates
// before generating a name, so a missing name with a generateName is not an
// error (upstream runs after names.SimpleNameGenerator filled the name in).
// Map-valued fields are walked in key order (Go walks maps randomly).
std::vector<FieldError> ValidateObjectMeta(const Object& obj, bool namespaced, NameRule rule) {
  std::vector<FieldError> errs;
  static const Object kEmpty = Object::object();
  const Object* meta = &kEmpty;
  if (obj.is_object()) {
    auto it = obj.find("metadata");
    if (it != obj.end() && it->is_object()) meta = &*it;
  }
  const std::string name = StringField(*meta, "name");
  const std::string generate_name = StringField(*meta, "generateName");
  const std::string ns = StringField(*meta, "namespace");

  if (!generate_name.empty()) {
    for (const std::string& msg : ValidateName(rule, generate_name, /*prefix=*/true)) {
      errs.push_back(FieldError::Invalid("metadata.generateName", generate_name, msg));
    }
  }
  if (name.empty()) {
    if (generate_name.empty()) {
      errs.push_back(FieldError::Required("metadata.name", "name or generateName is required"));
    }
  } else {
    for (const std::string& msg : ValidateName(rule, name, /*prefix=*/false)) {
      errs.push_back(FieldError::Invalid("metadata.name", name, msg));
    }
  }

  // validateObjectMetaAccessorWithOptsCommon.
  if (namespaced) {
    if (ns.empty()) {
      errs.push_back(FieldError::Required("metadata.namespace", ""));
    } else {
      // ValidateNamespaceName = NameIsDNSLabel
      for (const std::string& msg : IsDns1123Label(ns)) {
        errs.push_back(FieldError::Invalid("metadata.namespace", ns, msg));
      }
    }
  } else if (!ns.empty()) {
    errs.push_back(FieldError::Forbidden("metadata.namespace", "not allowed on this type"));
  }

  // ValidateNonnegativeField(meta.GetGeneration(), fldPath.Child("generation"))
  if (auto g = meta->find("generation"); g != meta->end() && g->is_number_integer()) {
    int64_t gen = g->get<int64_t>();
    if (gen < 0) {
      errs.push_back(
          FieldError::Invalid("metadata.generation", gen, "must be greater than or equal to 0"));
    }
  }

  // v1validation.ValidateLabels: key errors, then value errors, per label.
  if (auto l = meta->find("labels"); l != meta->end() && l->is_object()) {
    for (auto it = l->begin(); it != l->end(); ++it) {
      for (const std::string& msg : IsQualifiedName(it.key())) {
        errs.push_back(FieldError::Invalid("metadata.labels", it.key(), msg));
      }
      if (!it.value().is_string()) continue;
      const std::string& v = it.value().get_ref<const std::string&>();
      for (const std::string& msg : IsValidLabelValue(v)) {
        errs.push_back(FieldError::Invalid("metadata.labels", v, msg));
      }
    }
  }

  // ValidateAnnotations: keys are qualified names ignoring case; keys plus
  // values may total at most 256 KiB.
  if (auto a = meta->find("annotations"); a != meta->end() && a->is_object()) {
    int64_t total = 0;
    for (auto it = a->begin(); it != a->end(); ++it) {
      for (const std::string& msg : IsQualifiedName(ToLower(it.key()))) {
        errs.push_back(FieldError::Invalid("metadata.annotations", it.key(), msg));
      }
      total += static_cast<int64_t>(it.key().size());
      if (it.value().is_string())
        total += static_cast<int64_t>(it.value().get_ref<const std::string&>().size());
    }
    if (total > kTotalAnnotationSizeLimitB) {
      errs.push_back(FieldError::TooLong("metadata.annotations", kTotalAnnotationSizeLimitB));
    }
  }

  // ValidateOwnerReferences / validateOwnerReference: the per-field checks.
  // (The banned-owner and single-controller checks print Go structs and are
  // not reproduced.)
  if (auto o = meta->find("ownerReferences"); o != meta->end() && o->is_array()) {
    for (const Object& ref : *o) {
      std::string api_version = StringField(ref, "apiVersion");
      std::string kind = StringField(ref, "kind");
      std::string ref_name = StringField(ref, "name");
      std::string uid = StringField(ref, "uid");
      if (VersionOf(api_version).empty()) {
        errs.push_back(FieldError::Invalid("metadata.ownerReferences.apiVersion", api_version,
                                           "version must not be empty"));
      }
      if (kind.empty()) {
        errs.push_back(
            FieldError::Invalid("metadata.ownerReferences.kind", kind, "must not be empty"));
      }
      if (ref_name.empty()) {
        errs.push_back(
            FieldError::Invalid("metadata.ownerReferences.name", ref_name, "must not be empty"));
      }
      if (uid.empty()) {
        errs.push_back(
            FieldError::Invalid("metadata.ownerReferences.uid", uid, "must not be empty"));
      }
    }
  }

  // ValidateFinalizers.
  if (auto f = meta->find("finalizers"); f != meta->end() && f->is_array()) {
    bool orphan = false, foreground = false;
    for (const Object& fin : *f) {
      if (!fin.is_string()) continue;
      const std::string& s = fin.get_ref<const std::string&>();
      for (const std::string& msg : IsQualifiedName(s)) {
        errs.push_back(FieldError::Invalid("metadata.finalizers", s, msg));
      }
      if (s == "orphan") orphan = true;
      if (s == "foregroundDeletion") foreground = true;
    }
    if (orphan && foreground) {
      errs.push_back(FieldError::Invalid(
          "metadata.finalizers", *f, "finalizer orphan and foregroundDeletion cannot be both set"));
    }
  }
  return errs;
}

}  // namespace kubesim::api
