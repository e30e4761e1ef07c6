// ParseOutputFormat and RenderStructured (output_format.h).
#include "output_format.h"

#include <fstream>
#include <sstream>

#include "kubesim/printers/json.h"
#include "kubesim/printers/tabwriter.h"
#include "kubesim/printers/yaml.h"

namespace kubesim::shell {
namespace {

using Kind = OutputFormat::Kind;

constexpr char kAllowedFormats[] =
    "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,"
    "jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml";

bool ReadFile(const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *text = ss.str();
  return true;
}

// customcolumn_flags.go NewCustomColumnsPrinterFromSpec.
Status ParseColumnsSpec(const std::string& spec, OutputFormat* f) {
  if (spec.empty()) {
    return Status::BadRequest("custom-columns format specified but no custom columns given");
  }
  std::vector<std::string> parts;
  std::stringstream ss(spec);
  for (std::string part; std::getline(ss, part, ',');) parts.push_back(part);
  if (!spec.empty() && spec.back() == ',') parts.push_back("");
  for (size_t ix = 0; ix < parts.size(); ++ix) {
    size_t colon = parts[ix].find(':');
    if (colon == std::string::npos) {
      return Status::BadRequest("unexpected custom-columns spec: " + parts[ix] +
                                ", expected <header>:<json-path-expr>");
    }
    auto expr = printers::RelaxedJsonPathExpression(parts[ix].substr(colon + 1));
    if (!expr.ok()) return expr.status();
    auto path = printers::JsonPath::Parse(*expr);
    if (!path.ok()) return path.status();
    f->columns.push_back({parts[ix].substr(0, colon), std::move(*path)});
  }
  return Status::Ok();
}

// customcolumn.go NewCustomColumnsPrinterFromTemplate: a header line and a
// line of JSONPath expressions, separated by whitespace.
Status ParseColumnsFile(const std::string& text, OutputFormat* f) {
  std::istringstream in(text);
  std::string header_line, spec_line;
  if (!std::getline(in, header_line) || !std::getline(in, spec_line)) {
    return Status::BadRequest("invalid template, expected two lines, found: " + text);
  }
  std::istringstream hs(header_line), ss(spec_line);
  std::vector<std::string> headers, specs;
  for (std::string w; hs >> w;) headers.push_back(w);
  for (std::string w; ss >> w;) specs.push_back(w);
  if (headers.size() != specs.size()) {
    return Status::BadRequest("number of headers (" + std::to_string(headers.size()) +
                              ") and field specifications (" + std::to_string(specs.size()) +
                              ") don't match");
  }
  for (size_t ix = 0; ix < headers.size(); ++ix) {
    auto expr = printers::RelaxedJsonPathExpression(specs[ix]);
    if (!expr.ok()) return expr.status();
    auto path = printers::JsonPath::Parse(*expr);
    if (!path.ok()) return path.status();
    f->columns.push_back({headers[ix], std::move(*path)});
  }
  return Status::Ok();
}

}  // namespace

StatusOr<OutputFormat> ParseOutputFormat(const std::string& value) {
  OutputFormat f;
  if (value.empty()) return f;
  if (value == "wide") f.kind = Kind::kWide;
  if (value == "name") f.kind = Kind::kName;
  if (value == "json") f.kind = Kind::kJson;
  if (value == "yaml") f.kind = Kind::kYaml;
  if (f.kind != Kind::kTable) return f;

  size_t eq = value.find('=');
  const std::string name = value.substr(0, eq);
  const std::string arg = eq == std::string::npos ? "" : value.substr(eq + 1);
  if (name == "jsonpath" || name == "jsonpath-as-json" || name == "jsonpath-file") {
    // jsonpath_flags.go ToPrinter.
    std::string text = arg;
    if (text.empty()) {
      return Status::BadRequest("template format specified but no template given");
    }
    if (name == "jsonpath-file" && !ReadFile(arg, &text)) {
      return Status::BadRequest("error reading --template " + arg + ", open " + arg +
                                ": no such file or directory");
    }
    auto path = printers::JsonPath::Parse(text);
    if (!path.ok()) {
      return Status::BadRequest("error parsing jsonpath " + text + ", " + path.status().message());
    }
    f.kind = name == "jsonpath-as-json" ? Kind::kJsonPathAsJson : Kind::kJsonPath;
    f.template_text = text;
    f.jsonpath = std::move(*path);
    return f;
  }
  if (name == "custom-columns" || name == "custom-columns-file") {
    f.kind = Kind::kCustomColumns;
    if (name == "custom-columns") {
      Status st = ParseColumnsSpec(arg, &f);
      if (!st.ok()) return st;
      return f;
    }
    std::string text;
    if (!ReadFile(arg, &text)) {
      return Status::BadRequest("error reading template " + arg + ", open " + arg +
                                ": no such file or directory");
    }
    Status st = ParseColumnsFile(text, &f);
    if (!st.ok()) return st;
    return f;
  }
  if (name == "go-template" || name == "go-template-file" || name == "template" ||
      name == "templatefile") {
    return Status::BadRequest("kubesim does not implement Go templates (-o " + name +
                              "); use -o jsonpath=... or -o custom-columns=...");
  }
  return Status::BadRequest("unable to match a printer suitable for the output format \"" + value +
                            "\", allowed formats are: " + kAllowedFormats);
}

Status RenderStructured(const OutputFormat& format, const api::Object& doc, bool no_headers,
                        std::string* out) {
  switch (format.kind) {
    case Kind::kJson:
      *out = printers::ToJson(doc);
      return Status::Ok();
    case Kind::kYaml:
      *out = printers::ToYaml(doc);
      return Status::Ok();
    case Kind::kJsonPath:
    case Kind::kJsonPathAsJson: {
      auto text = format.kind == Kind::kJsonPath ? format.jsonpath->Execute(doc)
                                                 : format.jsonpath->ExecuteAsJson(doc);
      if (!text.ok()) {
        return Status::BadRequest(
            printers::JsonPathExecutionError(format.template_text, text.status().message(), doc));
      }
      *out = *text;
      return Status::Ok();
    }
    case Kind::kCustomColumns: {
      // customcolumn.go PrintObj: the header, then one row per item.
      printers::TabWriter tw;
      if (!no_headers) {
        std::string line;
        for (size_t i = 0; i < format.columns.size(); ++i) {
          line += (i ? "\t" : "") + format.columns[i].header;
        }
        tw.Write(line + "\n");
      }
      std::vector<const api::Object*> items;
      if (doc.value("kind", "") == "List" && doc.contains("items") && doc["items"].is_array()) {
        for (const auto& item : doc["items"]) items.push_back(&item);
      } else {
        items.push_back(&doc);
      }
      for (const api::Object* item : items) {
        std::string line;
        for (size_t i = 0; i < format.columns.size(); ++i) {
          auto values = format.columns[i].path.FindResults(*item);
          if (!values.ok()) {
            tw.Flush();
            *out = tw.TakeOutput();
            return values.status();
          }
          std::string cell;
          if (values->empty() || (*values)[0].empty()) cell = "<none>";
          for (const auto& row : *values) {
            for (const auto& v : row) {
              if (!cell.empty()) cell += ",";
              cell += printers::GoValueString(v);
            }
          }
          line += (i ? "\t" : "") + cell;
        }
        tw.Write(line + "\n");
      }
      tw.Flush();
      *out = tw.TakeOutput();
      return Status::Ok();
    }
    default:
      return Status::Ok();
  }
}

}  // namespace kubesim::shell
