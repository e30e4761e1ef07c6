// kubectl's JSONPath templates (`get -o jsonpath=...`, `-o
// jsonpath-as-json=...`, and the expressions of `-o custom-columns=...`).
//
// A port of k8s.io/client-go/util/jsonpath (parser.go, jsonpath.go) as
// kubectl 1.32 runs it: text outside `{}` is copied; inside, `.field`,
// `['key']`, `[i]`, `[start:end]`, `[*]`, `..` (recursive descent), `*`,
// unions `[a,b]`, filters `[?(@.x == "y")]` (==, !=, <, >, <=, >=, and a bare
// path for "exists"), `"quoted text"`, `@`/`$`, and `range ... end` blocks.
// Missing keys give no result (kubectl's --allow-missing-template-keys=true
// default). Where Go iterates a map in random order (`*`, `..`), kubesim
// takes the keys in sorted order, so output is deterministic.
//
// How results print (observed with kubectl v1.32): strings as they are,
// numbers and booleans as Go prints them, null as "null", objects and arrays
// as compact encoding/json text; several results of one `{}` are joined by
// one space.
//
// Thread-safety: a parsed JsonPath is immutable; Execute may be called from
// several threads at once.
#ifndef KUBESIM_PRINTERS_JSONPATH_H_
#define KUBESIM_PRINTERS_JSONPATH_H_

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kubesim/util/status.h"

namespace kubesim::printers {

class JsonPath {
 public:
  // Parses `text`. On a syntax error, kBadRequest with the parser's message
  // as upstream words it ("unclosed action", "invalid array index x", ...).
  static StatusOr<JsonPath> Parse(const std::string& text);

  JsonPath(JsonPath&&) noexcept;
  JsonPath& operator=(JsonPath&&) noexcept;
  ~JsonPath();

  // The results of each top-level part of the template, in order (text
  // parts give their text). On an evaluation error (index out of bounds,
  // incompatible comparison, ...), kBadRequest with upstream's message.
  StatusOr<std::vector<std::vector<nlohmann::json>>> FindResults(const nlohmann::json& data) const;

  // `-o jsonpath`: the text kubectl writes (no trailing newline added).
  StatusOr<std::string> Execute(const nlohmann::json& data) const;
  // `-o jsonpath-as-json`: each part's results as an indented JSON array.
  StatusOr<std::string> ExecuteAsJson(const nlohmann::json& data) const;

  struct Node;  // parse tree (jsonpath.cc)

 private:
  explicit JsonPath(std::unique_ptr<Node> root);
  std::unique_ptr<Node> root_;
};

// kubectl's error text for a failed Execute of `template` on `data`
// (cli-runtime printers/jsonpath.go): "error executing jsonpath ...: Error
// executing template: MSG. Printing more information for debugging the
// template:\n\ttemplate was:\n\t\t...\n\tobject given to jsonpath engine
// was:\n\t\t<Go %#v of data>\n\n" (without the leading "error: ").
std::string JsonPathExecutionError(const std::string& template_text, const std::string& message,
                                   const nlohmann::json& data);

// Go's fmt %v of a decoded JSON value: strings bare, nil as "<nil>", maps
// as "map[k:v k2:v2]" (sorted keys), slices as "[a b]".
std::string GoValueString(const nlohmann::json& v);
// Go's fmt %#v of a decoded JSON value (map[string]interface {}{"k":v},
// []interface {}{...}, interface {}(nil), quoted strings).
std::string GoSyntaxString(const nlohmann::json& v);

// cli-runtime's RelaxedJSONPathExpression: "a.b", ".a.b", "{a.b}" and
// "{.a.b}" all become "{.a.b}"; anything else is an error with upstream's
// message.
StatusOr<std::string> RelaxedJsonPathExpression(const std::string& expr);

}  // namespace kubesim::printers

#endif  // KUBESIM_PRINTERS_JSONPATH_H_
