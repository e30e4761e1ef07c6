// `label` and `annotate`: k8s.io/kubectl/pkg/cmd/label/label.go and
// k8s.io/kubectl/pkg/cmd/annotate/annotate.go. Arguments with "=" or a
// trailing "-" are changes, the others name resources; each object gets one
// JSON merge patch of its metadata, as kubectl sends.
#include <algorithm>
#include <map>
#include <set>

#include "commands.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/api/validation.h"

namespace kubesim::shell {
namespace {

struct Changes {
  std::map<std::string, std::string> set;
  std::vector<std::string> remove;
};

// label.go parseLabels / annotate.go parseAnnotations.
bool ParseChanges(Env& env, const std::vector<std::string>& specs, bool labels, Changes* out) {
  for (const std::string& spec : specs) {
    if (spec.find('=') != std::string::npos) {
      size_t eq = spec.find('=');
      if (labels && spec.find('=', eq + 1) != std::string::npos) {
        PrintError(env, "invalid label spec: " + spec);
        return false;
      }
      std::string key = spec.substr(0, eq), value = spec.substr(eq + 1);
      if (labels) {
        if (auto errs = api::IsValidLabelValue(value); !errs.empty()) {
          std::string joined;
          for (const auto& e : errs) joined += (joined.empty() ? "" : ";") + e;
          PrintError(env, "invalid label value: \"" + spec + "\": " + joined);
          return false;
        }
      } else if (key.empty()) {
        PrintError(env, "invalid annotation format: " + spec);
        return false;
      }
      out->set[key] = value;
    } else if (!spec.empty() && spec.back() == '-') {
      out->remove.push_back(spec.substr(0, spec.size() - 1));
    } else {
      PrintError(env,
                 std::string("unknown ") + (labels ? "label" : "annotation") + " spec: " + spec);
      return false;
    }
  }
  for (const auto& r : out->remove) {
    if (out->set.count(r)) {
      PrintError(env, std::string("can not both modify and remove ") +
                          (labels ? "a label" : "an annotation") + " in the same command");
      return false;
    }
  }
  return true;
}

int RunMetadataCommand(Env& env, const Args& args, bool labels) {
  const std::string command = labels ? "label" : "annotate";
  const std::string field = labels ? "labels" : "annotations";
  FlagSet flags;
  AddGlobalFlags(flags);
  flags.Bool("overwrite", 0);
  flags.Bool("all", 0);
  flags.Bool("all-namespaces", 'A');
  flags.String("selector", 'l');
  flags.Bool("list", 0);
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, command, st);

  // label.go Complete: resources first, then changes.
  std::vector<std::string> resources, specs;
  for (const std::string& a : flags.positional()) {
    const bool change = a.find('=') != std::string::npos || (!a.empty() && a.back() == '-');
    (change ? specs : resources).push_back(a);
  }
  const bool list = labels && flags.GetBool("list");
  if (specs.empty() && !list) {
    return PrintError(env, std::string("at least one ") + (labels ? "label" : "annotation") +
                               " update is required");
  }
  if (resources.empty()) {
    return PrintError(env,
                      "one or more resources must be specified as <resource> <name> or "
                      "<resource>/<name>");
  }
  Changes changes;
  if (!ParseChanges(env, specs, labels, &changes)) return 1;
  std::vector<ResourceArgs> targets;
  if (!ParseResourceArgs(env, resources, &targets)) return 1;
  const bool all = flags.GetBool("all") || flags.GetBool("all-namespaces");
  const std::string selector = flags.Get("selector");
  for (const ResourceArgs& t : targets) {
    if (t.names.empty() && !all && selector.empty()) {
      return PrintError(env, "resource(s) were provided, but no name was specified");
    }
  }

  int exit_code = 0;
  const std::string ns = flags.GetBool("all-namespaces") ? "" : NamespaceOf(flags);
  for (const ResourceArgs& t : targets) {
    const api::ResourceInfo& info = t.strategy->info();
    std::vector<api::Object> objects;
    if (t.names.empty()) {
      api::Request req;
      req.verb = api::Verb::kList;
      req.gvr = info.gvr;
      req.namespace_ = info.namespaced ? ns : "";
      req.label_selector = selector;
      api::Response r = env.client().Do(req);
      if (!r.ok()) {
        PrintApiError(env, r);
        return 1;
      }
      for (const auto& item : r.body["items"]) objects.push_back(item);
    } else {
      for (const std::string& name : t.names) {
        api::Response r = Get(env, info.gvr, info.namespaced ? ns : "", name);
        if (!r.ok()) {
          PrintApiError(env, r);
          exit_code = 1;
          continue;
        }
        objects.push_back(r.body);
      }
    }
    for (const api::Object& obj : objects) {
      const std::string name = api::Name(obj);
      const api::Object* current_ptr = api::Find(obj, ("/metadata/" + field).c_str());
      std::map<std::string, std::string> current;
      if (current_ptr && current_ptr->is_object()) {
        for (auto it = current_ptr->begin(); it != current_ptr->end(); ++it) {
          if (it->is_string()) current[it.key()] = it->get<std::string>();
        }
      }
      if (list) {  // label.go: every label as key=value (sorted here)
        for (const auto& [k, v] : current) env.out << k << "=" << v << "\n";
        continue;
      }
      if (!flags.GetBool("overwrite")) {
        // label.go validateNoOverwrites / annotate.go
        // validateNoAnnotationOverwrites: a different value already there.
        std::vector<std::string> clashes;
        for (const auto& [k, v] : changes.set) {
          auto it = current.find(k);
          if (it == current.end() || it->second == v) continue;
          if (!labels && k == "kubernetes.io/change-cause") continue;
          clashes.push_back(labels ? "'" + k + "' already has a value (" + it->second +
                                         "), and --overwrite is false"
                                   : "'" + k + "' already has a value (" + it->second + ")");
        }
        if (!clashes.empty()) {
          std::string msg;
          if (labels) {
            for (const auto& c : clashes) msg += (msg.empty() ? "" : ", ") + c;
            if (clashes.size() > 1) msg = "[" + msg + "]";
          } else {
            for (const auto& c : clashes) msg += (msg.empty() ? "" : "; ") + c;
            msg = "--overwrite is false but found the following declared annotation(s): " + msg;
          }
          return PrintError(env, msg);
        }
      }
      std::map<std::string, std::string> updated = current;
      api::Object patch_values = api::Object::object();
      for (const auto& r : changes.remove) {
        if (!updated.count(r)) {
          if (labels) env.out << "label \"" << r << "\" not found.\n";
          continue;
        }
        updated.erase(r);
        patch_values[r] = nullptr;
      }
      for (const auto& [k, v] : changes.set) {
        auto it = current.find(k);
        if (it == current.end() || it->second != v) patch_values[k] = v;
        updated[k] = v;
      }
      if (!patch_values.empty()) {
        api::Object patch = {{"metadata", {{field, patch_values}}}};
        api::Response r = Patch(env, info, api::Namespace(obj), name, api::kMergePatch, patch,
                                labels ? "kubectl-label" : "kubectl-annotate");
        if (!r.ok()) {
          PrintApiError(env, r);
          return 1;
        }
      }
      std::string verb = labels ? "labeled" : "annotated";
      if (labels) {
        // label.go updateDataChangeMsg: "not labeled" when nothing changed,
        // "unlabeled" when only removals shrank it without --overwrite.
        if (patch_values.empty()) {
          verb = "not labeled";
        } else if (!flags.GetBool("overwrite") &&
                   api::Object(updated).dump().size() < api::Object(current).dump().size()) {
          verb = "unlabeled";
        }
      }
      env.out << KindPrefix(info) << "/" << name << " " << verb << "\n";
    }
  }
  return exit_code;
}

}  // namespace

int RunLabel(Env& env, const Args& args) { return RunMetadataCommand(env, args, true); }
int RunAnnotate(Env& env, const Args& args) { return RunMetadataCommand(env, args, false); }

}  // namespace kubesim::shell
