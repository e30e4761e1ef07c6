// `get`: k8s.io/kubectl/pkg/cmd/get/get.go. Tables come from the server
// (Accept: as=Table), exactly as kubectl asks for them, and are rendered by
// printers::table with kubectl's layout.
#include <algorithm>
#include <sstream>
#include <tuple>

#include "commands.h"
#include "kubesim/api/errors.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/printers/json.h"
#include "kubesim/printers/table.h"
#include "kubesim/printers/yaml.h"
#include "output_format.h"

namespace kubesim::shell {

int RunGet(Env& env, const Args& args) {
  FlagSet flags;
  AddGlobalFlags(flags);
  flags.Bool("all-namespaces", 'A');
  flags.String("output", 'o');
  flags.String("selector", 'l');
  flags.String("field-selector", 0);
  flags.Bool("show-labels", 0);
  flags.Bool("no-headers", 0);
  flags.String("label-columns", 'L');
  flags.Bool("watch", 'w');
  // get.go: "If true, keep the managedFields when printing objects in JSON
  // or YAML format." kubectl drops them otherwise (OmitManagedFieldsPrinter).
  flags.Bool("show-managed-fields", 0);
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, "get", st);
  const Args& pos = flags.positional();
  if (pos.empty()) {
    env.err << "You must specify the type of resource to get. Use \"kubectl api-resources\" for "
               "a complete list of supported resources.\n\n"
               "error: Required resource not specified.\n"
               "Use \"kubectl explain <resource>\" for a detailed description of that resource "
               "(e.g. kubectl explain pods).\n"
               "See 'kubectl get -h' for help and examples\n";
    return 1;
  }
  auto format = ParseOutputFormat(flags.Get("output"));
  if (!format.ok()) return PrintError(env, format.status().message());
  if (flags.GetBool("watch")) {
    return PrintError(env, "watch (-w) is not supported in the kubesim shell yet");
  }
  std::vector<ResourceArgs> targets;
  if (!ParseResourceArgs(env, pos, &targets)) return 1;

  const bool all_ns = flags.GetBool("all-namespaces");
  const std::string ns = all_ns ? "" : NamespaceOf(flags);
  const bool structured = format->structured();
  const bool table_output = format->table();
  const bool with_kind = targets.size() > 1 || pos[0].find('/') != std::string::npos ||
                         pos[0].find(',') != std::string::npos;
  int exit_code = 0;

  std::vector<api::Object> structured_items;  // for -o yaml/json
  bool single_object =
      targets.size() == 1 && targets[0].names.size() == 1 && pos[0].find(',') == std::string::npos;
  std::vector<std::string> errors_after;
  bool printed_table = false;
  bool any_found = false;

  for (const ResourceArgs& t : targets) {
    const api::ResourceInfo& info = t.strategy->info();
    std::string req_ns = info.namespaced ? ns : "";
    std::vector<api::Object> tables;   // Table bodies to render
    std::vector<api::Object> objects;  // plain objects
    auto add_response = [&](const api::Response& r) {
      if (table_output) {
        tables.push_back(r.body);
      } else if (r.body.contains("items")) {
        for (const auto& item : r.body["items"]) objects.push_back(item);
      } else {
        objects.push_back(r.body);
      }
    };
    if (t.names.empty()) {
      api::Request req;
      req.verb = api::Verb::kList;
      req.gvr = info.gvr;
      req.namespace_ = req_ns;
      req.label_selector = flags.Get("selector");
      req.field_selector = flags.Get("field-selector");
      if (table_output) req.accept = api::kAcceptTable;
      api::Response r = env.client().Do(req);
      if (!r.ok()) {
        PrintApiError(env, r);
        return 1;
      }
      add_response(r);
    } else {
      for (const auto& name : t.names) {
        api::Request req;
        req.verb = api::Verb::kGet;
        req.gvr = info.gvr;
        req.namespace_ = req_ns.empty() && info.namespaced ? "default" : req_ns;
        req.name = name;
        if (table_output) req.accept = api::kAcceptTable;
        api::Response r = env.client().Do(req);
        if (!r.ok()) {
          std::ostringstream msg;
          Env tmp{env.ctx, env.out, msg};
          PrintApiError(tmp, r);
          errors_after.push_back(msg.str());
          exit_code = 1;
          continue;
        }
        add_response(r);
      }
    }
    if (table_output) {
      // Merge the rows of several GETs into one table.
      if (tables.empty()) continue;
      api::Object table = tables[0];
      for (size_t i = 1; i < tables.size(); ++i) {
        for (const auto& row : tables[i]["rows"]) table["rows"].push_back(row);
      }
      if (table["rows"].empty()) continue;
      any_found = true;
      printers::TableOptions options;
      options.wide = format->kind == OutputFormat::Kind::kWide;
      options.no_headers = flags.GetBool("no-headers");
      options.with_namespace = all_ns && info.namespaced;
      options.show_labels = flags.GetBool("show-labels");
      std::string label_columns = flags.Get("label-columns");
      if (!label_columns.empty()) {
        std::stringstream ss(label_columns);
        std::string key;
        while (std::getline(ss, key, ',')) options.label_columns.push_back(key);
      }
      if (with_kind) options.kind_prefix = KindPrefix(info);
      if (printed_table) env.out << "\n";
      env.out << printers::RenderTable(table, options);
      printed_table = true;
    } else {
      for (auto& o : objects) {
        any_found = true;
        if (format->kind == OutputFormat::Kind::kName) {
          env.out << KindPrefix(info) << "/" << api::Name(o) << "\n";
        } else {
          o["apiVersion"] = info.ApiVersion();
          o["kind"] = info.kind;
          if (!flags.GetBool("show-managed-fields") && o.contains("metadata") &&
              o["metadata"].is_object()) {
            o["metadata"].erase("managedFields");
          }
          structured_items.push_back(std::move(o));
        }
      }
    }
  }
  if (structured) {
    api::Object doc;
    if (single_object && structured_items.size() == 1) {
      doc = structured_items[0];
    } else if (!structured_items.empty() || errors_after.empty()) {
      doc = {{"apiVersion", "v1"},
             {"items", structured_items},
             {"kind", "List"},
             {"metadata", {{"resourceVersion", ""}}}};
    }
    if (!doc.is_null()) {
      std::string text;
      Status rendered = RenderStructured(*format, doc, flags.GetBool("no-headers"), &text);
      env.out << text;
      if (!rendered.ok()) {
        for (const auto& e : errors_after) env.err << e;
        return PrintError(env, rendered.message());
      }
    }
  }
  for (const auto& e : errors_after) env.err << e;
  if (!any_found && errors_after.empty() && !structured) {
    bool cluster_scoped = targets.size() == 1 && !targets[0].strategy->info().namespaced;
    env.err << printers::NoResourcesFoundMessage(all_ns || cluster_scoped ? "" : ns) << "\n";
  }
  return exit_code;
}

}  // namespace kubesim::shell
