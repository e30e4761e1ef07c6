// JSON text exactly as kubectl writes it.
//
// Thread-safety: all functions are pure.
#ifndef KUBESIM_PRINTERS_JSON_H_
#define KUBESIM_PRINTERS_JSON_H_

#include <nlohmann/json.hpp>
#include <string>

namespace kubesim::printers {

// `kubectl get -o json`: cli-runtime JSONPrinter, i.e. Go's
// json.MarshalIndent(obj, "", "    ") plus a trailing "\n". Object keys are
// sorted byte-wise (kubectl get decodes into Unstructured maps; only typed
// objects, e.g. `kubectl create --dry-run=client -o json`, keep struct field
// order), empty objects/arrays print as {} and [], strings use
// encoding/json escaping (<, >, & as \u003c \u003e \u0026, U+2028/U+2029
// escaped, \b \f \n \r \t short forms, other control bytes as \u00XX,
// invalid UTF-8 as \ufffd, other non-ASCII kept as UTF-8), floats use Go's
// float64 encoding (2.0 -> 2, 1e21 -> 1e+21, 1e-7 -> 1e-7).
// Non-finite floats, which Go refuses to encode, are written as null.
std::string ToJson(const nlohmann::json& obj);

// Go's json.Marshal(obj): the same encoding on one line with no spaces and
// no trailing newline (used e.g. for the last-applied-configuration
// annotation and `kubectl get -w -o json --output-watch-events`, whose
// metav1.WatchEvent lines JSONPrinter writes with json.Marshal).
std::string ToJsonCompact(const nlohmann::json& obj);

// Appends the encoding/json quoted form of `s` (with the quotes) to `out`.
void AppendJsonString(const std::string& s, std::string* out);

}  // namespace kubesim::printers

#endif  // KUBESIM_PRINTERS_JSON_H_
