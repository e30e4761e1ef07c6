#include "kubesim/printers/table.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "kubesim/printers/go_format.h"
#include "kubesim/printers/tabwriter.h"

namespace kubesim::printers {

namespace {

std::string ToLower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string ToUpper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

std::string StringField(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return "";
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

// fmt.Sprint of a value decoded from JSON into interface{} (int64 or
// float64 numbers, []interface{}, map[string]interface{}).
std::string GoSprint(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::null:
      return "<nil>";
    case nlohmann::json::value_t::string:
      return v.get<std::string>();
    case nlohmann::json::value_t::boolean:
      return v.get<bool>() ? "true" : "false";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return v.dump();
    case nlohmann::json::value_t::number_float:
      return GoFormatFloat(v.get<double>(), 'g', 64);
    case nlohmann::json::value_t::array: {
      std::string out = "[";
      bool first = true;
      for (const auto& e : v) {
        if (!first) out.push_back(' ');
        first = false;
        out += GoSprint(e);
      }
      return out + "]";
    }
    case nlohmann::json::value_t::object: {
      // fmt prints maps with sorted keys: map[a:1 b:2]
      std::string out = "map[";
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out.push_back(' ');
        first = false;
        out += it.key() + ":" + GoSprint(it.value());
      }
      return out + "]";
    }
    default:
      return "";
  }
}

// terminal.go terminalEscaper: strings.NewReplacer("\x1b", "^[", "\r", "\\r").
std::string EscapeTerminal(const std::string& in) {
  std::string out;
  out.reserve(in.size());
  for (char c : in) {
    if (c == '\x1b') {
      out += "^[";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// printTable's cell output: strings cut at the first newline, carriage
// return or formfeed (treated as a newline by tabwriter) with "...".
std::string CellText(const nlohmann::json& cell) {
  if (cell.is_string()) {
    const std::string& val = cell.get_ref<const std::string&>();
    size_t breakchar = val.find_first_of("\f\n\r");
    if (breakchar != std::string::npos) return EscapeTerminal(val.substr(0, breakchar)) + "...";
    return EscapeTerminal(val);
  }
  return EscapeTerminal(GoSprint(cell));
}

// labels.FormatLabels: sorted "k=v" pairs joined by ",", "<none>" if empty.
std::string FormatLabels(const nlohmann::json& labels) {
  std::string out;
  if (labels.is_object()) {
    for (auto it = labels.begin(); it != labels.end(); ++it) {
      if (!out.empty()) out.push_back(',');
      out += it.key() + "=" + (it.value().is_string() ? it.value().get<std::string>() : "");
    }
  }
  return out.empty() ? "<none>" : out;
}

struct Column {
  std::string name;
  std::string type;
  std::string format;
  int64_t priority = 0;
};

}  // namespace

std::string KindPrefix(const std::string& kind, const std::string& group) {
  // schema.GroupKind.String(), lower-cased.
  if (group.empty()) return ToLower(kind);
  return ToLower(kind + "." + group);
}

std::string RenderTable(const nlohmann::json& table, const TableOptions& options) {
  std::vector<Column> columns;
  if (table.is_object() && table.contains("columnDefinitions") &&
      table["columnDefinitions"].is_array()) {
    for (const auto& def : table["columnDefinitions"]) {
      Column c;
      c.name = StringField(def, "name");
      c.type = StringField(def, "type");
      c.format = StringField(def, "format");
      if (def.is_object() && def.contains("priority") && def["priority"].is_number()) {
        c.priority = def["priority"].get<int64_t>();
      }
      columns.push_back(c);
    }
  }
  std::vector<std::vector<std::optional<nlohmann::json>>> rows;
  std::vector<const nlohmann::json*> objects;
  if (table.is_object() && table.contains("rows") && table["rows"].is_array()) {
    for (const auto& row : table["rows"]) {
      std::vector<std::optional<nlohmann::json>> cells;
      if (row.is_object() && row.contains("cells") && row["cells"].is_array()) {
        for (const auto& cell : row["cells"]) {
          cells.push_back(cell.is_null() ? std::nullopt : std::optional<nlohmann::json>(cell));
        }
      }
      rows.push_back(std::move(cells));
      const nlohmann::json* object = nullptr;
      if (row.is_object() && row.contains("object") && row["object"].is_object()) {
        object = &row["object"];
      }
      objects.push_back(object);
    }
  }

  // decorateTable: namespace, label and kind decorations.
  size_t width = columns.size() + options.label_columns.size();
  if (options.with_namespace) ++width;
  if (options.show_labels) ++width;

  int name_column = -1;
  if (!options.kind_prefix.empty()) {
    for (size_t i = 0; i < columns.size(); ++i) {
      if (columns[i].format == "name" && columns[i].type == "string") {
        name_column = static_cast<int>(i);
        break;
      }
    }
  }
  if (width != columns.size()) {
    std::vector<Column> decorated;
    if (options.with_namespace) decorated.push_back({"Namespace", "string", "", 0});
    decorated.insert(decorated.end(), columns.begin(), columns.end());
    for (const auto& label : options.label_columns) {
      // formatLabelHeaders: the last "/"-separated part, upper-cased.
      size_t slash = label.rfind('/');
      std::string head = slash == std::string::npos ? label : label.substr(slash + 1);
      decorated.push_back({ToUpper(head), "string", "", 0});
    }
    if (options.show_labels) decorated.push_back({"Labels", "string", "", 0});
    columns = std::move(decorated);
  }
  bool include_labels = !options.label_columns.empty() || options.show_labels;
  if (include_labels || options.with_namespace || name_column != -1) {
    for (size_t r = 0; r < rows.size(); ++r) {
      auto& cells = rows[r];
      if (name_column != -1 && static_cast<size_t>(name_column) < cells.size()) {
        std::string name = cells[name_column] ? GoSprint(*cells[name_column]) : "%!s(<nil>)";
        cells[name_column] = nlohmann::json(options.kind_prefix + "/" + name);
      }
      const nlohmann::json* m = objects[r];
      // if we can't get an accessor, fill out the appropriate columns with
      // empty spaces
      if (m == nullptr) {
        if (options.with_namespace) cells.insert(cells.begin(), std::nullopt);
        // Upstream re-evaluates width-len(row.Cells) as it appends, so it
        // adds only about half the missing cells; reproduced as is.
        for (size_t j = 0; width > cells.size() && j < width - cells.size(); ++j) {
          cells.push_back(std::nullopt);
        }
        continue;
      }
      nlohmann::json metadata = m->contains("metadata") && (*m)["metadata"].is_object()
                                    ? (*m)["metadata"]
                                    : nlohmann::json::object();
      if (options.with_namespace) {
        cells.insert(cells.begin(), nlohmann::json(StringField(metadata, "namespace")));
      }
      if (include_labels) {
        nlohmann::json labels = metadata.contains("labels") ? metadata["labels"] : nlohmann::json();
        for (const auto& key : options.label_columns) {
          std::string value;
          if (labels.is_object() && labels.contains(key) && labels[key].is_string()) {
            value = labels[key].get<std::string>();
          }
          cells.push_back(nlohmann::json(value));
        }
        if (options.show_labels) cells.push_back(nlohmann::json(FormatLabels(labels)));
      }
    }
  }

  // printTable.
  auto hidden = [&](const Column& c) { return !options.wide && c.priority != 0; };
  std::string text;
  if (!options.no_headers) {
    // avoid printing headers if we have no rows to display
    if (rows.empty()) return "";
    bool first = true;
    for (const auto& column : columns) {
      if (hidden(column)) continue;
      if (!first) text.push_back('\t');
      first = false;
      text += ToUpper(column.name);
    }
    text.push_back('\n');
  }
  for (const auto& cells : rows) {
    bool first = true;
    for (size_t i = 0; i < cells.size(); ++i) {
      // don't panic in case of bad output from the server, with more cells
      // than column definitions (https://issue.k8s.io/66379)
      if (i >= columns.size()) break;
      if (hidden(columns[i])) continue;
      if (!first) text.push_back('\t');
      first = false;
      if (cells[i]) text += CellText(*cells[i]);
    }
    text.push_back('\n');
  }
  TabWriter w;
  w.Write(text);
  w.Flush();
  return w.TakeOutput();
}

// kubectl/pkg/cmd/get/get.go: one tabwriter per kind (widths reset), and a
// blank line before a group when output was already written and headers
// are on.
std::string RenderTables(const std::vector<TableGroup>& groups) {
  std::string out;
  for (const auto& g : groups) {
    std::string s = RenderTable(g.table, g.options);
    if (s.empty()) continue;
    if (!out.empty() && !g.options.no_headers) out.push_back('\n');
    out += s;
  }
  return out;
}

// kubectl/pkg/cmd/get/get.go Run: "No resources found in %s namespace.\n"
// when allResourcesNamespaced, else "No resources found\n".
std::string NoResourcesFoundMessage(const std::string& ns) {
  if (!ns.empty()) return "No resources found in " + ns + " namespace.";
  return "No resources found";
}

// cli-runtime/pkg/printers/name.go NamePrinter.PrintObj / printObj.
std::string ResourceName(const nlohmann::json& obj, const std::string& operation,
                         bool with_namespace) {
  std::string name = "<unknown>";
  std::string ns;
  std::string kind = StringField(obj, "kind");
  std::string api_version = StringField(obj, "apiVersion");
  nlohmann::json metadata =
      obj.is_object() && obj.contains("metadata") ? obj["metadata"] : nlohmann::json::object();
  std::string n = StringField(metadata, "name");
  if (!n.empty()) name = n;
  if (with_namespace) {
    ns = StringField(metadata, "namespace");
    if (ns.empty()) ns = "<unknown>";
  }
  std::string group;
  size_t slash = api_version.find('/');
  if (slash != std::string::npos) group = api_version.substr(0, slash);
  if (kind.empty()) {
    kind = "<unknown>";
    group.clear();
  }
  std::string message = name;
  if (!operation.empty()) message += " " + operation;
  if (group.empty()) {
    message = ToLower(kind) + "/" + message;
  } else {
    message = ToLower(kind) + "." + group + "/" + message;
  }
  if (!ns.empty()) message = ns + "/" + message;
  return message;
}

}  // namespace kubesim::printers
