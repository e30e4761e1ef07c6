// YAML 1.1 implicit typing of plain scalars, as go-yaml v2 does it.
//
// kubectl reads and writes YAML through sigs.k8s.io/yaml, which uses its
// fork of go-yaml v2 (sigs.k8s.io/yaml/goyaml.v2, resolve.go). The same
// rules decide what an unquoted scalar means when parsing ("yes" is true,
// "0x1F" is 31, "1e3" is a float) and whether a string must be quoted when
// printing ("true", "123", "2025-01-01" and "" are quoted).
//
// Thread-safety: all functions are pure.
#ifndef KUBESIM_PRINTERS_YAML_RESOLVE_H_
#define KUBESIM_PRINTERS_YAML_RESOLVE_H_

#include <nlohmann/json.hpp>
#include <string_view>

namespace kubesim::printers {

enum class YamlTag { kStr, kBool, kInt, kFloat, kNull, kTimestamp };

struct YamlResolved {
  YamlTag tag = YamlTag::kStr;
  // The value as go-yaml decodes it into interface{}: a string for kStr
  // and kTimestamp (go-yaml v2 keeps timestamps as strings there);
  // a bool, an int64/uint64 integer, a float or null otherwise.
  // Integers beyond uint64 (go-yaml's big.Int) come back as floats.
  nlohmann::json value;
};

// resolve("", s) of go-yaml v2 for a plain (unquoted, untagged) scalar.
YamlResolved ResolvePlainScalar(std::string_view s);

// go-yaml v2's parseTimestamp: true when `s` parses with one of the layouts
// "2006-1-2T15:4:5.999999999Z07:00", "2006-1-2t15:4:5.999999999Z07:00",
// "2006-1-2 15:4:5.999999999" or "2006-1-2" under Go's time.Parse rules.
bool IsYamlTimestamp(std::string_view s);

// go-yaml v2 encode.go isBase60Float: YAML 1.1 sexagesimal numbers such as
// "1:30" or "-12:30:45.5", which are quoted on output for compatibility.
bool IsYamlBase60Float(std::string_view s);

}  // namespace kubesim::printers

#endif  // KUBESIM_PRINTERS_YAML_RESOLVE_H_
