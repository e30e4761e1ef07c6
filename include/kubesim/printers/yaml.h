// YAML exactly as kubectl writes and reads it.
//
// Output: `kubectl get -o yaml` prints sigs.k8s.io/yaml.Marshal(obj), which
// is json.Marshal followed by JSONToYAML: the JSON is decoded by go-yaml v2
// and re-encoded by its emitter (a port of libyaml). ToYaml reproduces that
// pipeline: the emitter here is a port of goyaml.v2 encode.go, emitterc.go,
// sorter.go and resolve.go.
//
// Input: kubectl reads manifests with apimachinery's YAMLOrJSONDecoder:
// input starting with '{' is a JSON stream, anything else is split into
// documents at lines starting with "---" and each document is converted
// with sigs.k8s.io/yaml (go-yaml v2, YAML 1.1 typing).
//
// Thread-safety: all functions are pure.
#ifndef KUBESIM_PRINTERS_YAML_H_
#define KUBESIM_PRINTERS_YAML_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kubesim/util/status.h"

namespace kubesim::printers {

// The text `kubectl get -o yaml` prints for `obj` (ends with "\n"):
//  - map keys in go-yaml's natural order (sorter.go: runs of digits compare
//    numerically, "a2" < "a10"; non-letters sort before letters);
//  - 2-space indentation, sequences inside a mapping not indented
//    ("containers:\n- image: nginx\n  name: nginx");
//  - empty map {}, empty list [], null as null;
//  - strings plain when go-yaml would read them back as the same string,
//    otherwise quoted: "" for the empty string, "true"/"yes"/"123"/"1.5"/
//    "2025-01-01T00:00:00Z"/"1:30" in double quotes, strings with leading
//    indicators, ": ", " #", leading/trailing spaces in single quotes,
//    strings with control characters, tabs or non-BMP characters in double
//    quotes with escapes;
//  - strings containing "\n" as literal blocks (|, |-, |+, with an
//    indentation indicator when they start with a space or newline) unless
//    they have trailing spaces on a line, which forces double quotes;
//  - long plain and quoted strings folded at column 80 (go-yaml's default
//    best_width), continuation lines indented like a nested value;
//  - numbers as Go prints them after the JSON round trip: integers as
//    integers, integral floats below 1e21 as integers, other floats with
//    Go's %g (0.5, 1.5e+06, 1e-07).
std::string ToYaml(const nlohmann::json& obj);

// Parses a manifest the way kubectl's decoder does and returns one JSON
// value per non-empty document, in order. Documents that are empty or only
// comments (null) are skipped. A `kind: List` is returned as one value,
// not expanded. Values need not be objects; callers check.
//
// YAML documents use go-yaml v2 typing: unquoted true/false/yes/no/on/off/
// y/n (any of their case forms go-yaml knows) are booleans, null/~/empty
// are null, 0x1F/0o17/017/0b101/1_000 are integers, 1.5/1e3/.5 are floats,
// timestamps and everything quoted or in block scalars are strings; merge
// keys (<<) and anchors/aliases work; non-string keys become strings
// ("1", "true"). After the JSON round trip kubectl makes, integral floats
// within int64 become integers (replicas: 2.0 -> 2) and integers beyond
// int64 become floats.
//
// Input whose first non-space character is '{' is read as a stream of JSON
// values instead.
//
// Errors (Status BadRequest), which callers prefix with "error parsing
// FILE: " as kubectl does:
//  - "error converting YAML to JSON: yaml: line N: <problem>" for malformed
//    YAML, with libyaml's wording for the common problems ("mapping values
//    are not allowed in this context", "did not find expected key", ...);
//    N is relative to the document (kubectl splits at "---" first);
//  - "invalid Yaml document separator: <rest>" for a line such as "---x";
//  - "json: offset N: ..." / "unexpected EOF" for malformed JSON input.
StatusOr<std::vector<nlohmann::json>> ParseYamlDocuments(const std::string& text);

}  // namespace kubesim::printers

#endif  // KUBESIM_PRINTERS_YAML_H_
