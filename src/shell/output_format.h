// kubectl's `-o` printers beyond tables: parsing the flag value once
// (k8s.io/cli-runtime/pkg/genericclioptions: JSONPathPrintFlags,
// CustomColumnsPrintFlags, JSONYamlPrintFlags) and rendering the jsonpath and
// custom-columns forms (cli-runtime printers/jsonpath.go,
// kubectl/pkg/cmd/get/customcolumn.go).
#ifndef KUBESIM_SRC_SHELL_OUTPUT_FORMAT_H_
#define KUBESIM_SRC_SHELL_OUTPUT_FORMAT_H_

#include <optional>
#include <string>
#include <vector>

#include "kubesim/api/types.h"
#include "kubesim/printers/jsonpath.h"
#include "kubesim/util/status.h"

namespace kubesim::shell {

struct OutputFormat {
  enum class Kind {
    kTable,  // "" (the server's table)
    kWide,
    kName,
    kJson,
    kYaml,
    kJsonPath,
    kJsonPathAsJson,
    kCustomColumns,
  };
  Kind kind = Kind::kTable;
  std::string template_text;                   // jsonpath forms
  std::optional<printers::JsonPath> jsonpath;  // jsonpath forms, parsed
  struct Column {
    std::string header;
    printers::JsonPath path;
  };
  std::vector<Column> columns;  // custom-columns

  bool table() const { return kind == Kind::kTable || kind == Kind::kWide; }
  // Forms that print whole objects (collected into a List when several).
  bool structured() const { return !table() && kind != Kind::kName; }
};

// Parses `-o VALUE`. Files (`jsonpath-file=`, `custom-columns-file=`) are
// read from the local file system. On failure, kubectl's message without
// the "error: " prefix (e.g. "template format specified but no template
// given", "error parsing jsonpath {.a, unclosed action", the list of
// allowed formats for an unknown one).
StatusOr<OutputFormat> ParseOutputFormat(const std::string& value);

// Renders `doc` (one object, or a List whose items are printed one per row
// for custom-columns) in a structured form (json, yaml, jsonpath,
// jsonpath-as-json, custom-columns). On an evaluation error, `*out` holds
// what kubectl writes before failing (custom-columns' header) and the
// returned status carries kubectl's message without "error: ".
Status RenderStructured(const OutputFormat& format, const api::Object& doc, bool no_headers,
                        std::string* out);

}  // namespace kubesim::shell

#endif  // KUBESIM_SRC_SHELL_OUTPUT_FORMAT_H_
