#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "commands.h"
#include "kubesim/api/errors.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/printers/yaml.h"

namespace kubesim::shell {

int FlagError(Env& env, const std::string& command, const Status& status) {
  env.err << "error: " << status.message() << "\nSee 'kubectl " << command
          << " --help' for usage.\n";
  return 1;
}

int PrintError(Env& env, const std::string& message) {
  env.err << "error: " << message << "\n";
  return 1;
}

void PrintApiError(Env& env, const api::Response& response) {
  // k8s.io/kubectl/pkg/cmd/util/helpers.go: checkErr / StandardErrorMessage.
  if (response.code == 0) {
    env.err << "The connection to the server " << kApiServerHostPort
            << " was refused - did you specify the "
               "right host or port?\n";
    return;
  }
  const api::Object& body = response.body;
  std::string reason = body.value("reason", "");
  std::string message = body.value("message", "");
  if (reason == "Invalid") {
    const api::Object* details = api::Find(body, "/details");
    std::string s = "The request is invalid";
    if (details && (details->contains("kind") || details->contains("name"))) {
      s = "The " + details->value("kind", "") + " \"" + details->value("name", "") +
          "\" is invalid";
    }
    std::vector<std::string> causes;
    if (details && details->contains("causes")) {
      for (const auto& c : (*details)["causes"]) {
        std::string field = c.value("field", "");
        std::string msg = c.value("message", "");
        causes.push_back(field.empty() ? msg : field + ": " + msg);
      }
    }
    if (causes.empty()) {
      env.err << "Error from server (Invalid): " << message << "\n";
    } else if (causes.size() == 1) {
      env.err << s << ": " << causes[0] << "\n";
    } else {
      // MultilineError: "The Pod \"x\" is invalid: \n* a\n* b\n".
      env.err << s << ": \n";
      for (const auto& c : causes) env.err << "* " << c << "\n";
    }
    return;
  }
  if (!reason.empty()) {
    env.err << "Error from server (" << reason << "): " << message << "\n";
  } else {
    env.err << "Error from server: " << message << "\n";
  }
}

const api::ResourceStrategy* ResolveResource(Env& env, const std::string& text) {
  const api::ResourceStrategy* s = env.discovery().Resolve(text);
  if (!s) {
    env.err << "error: the server doesn't have a resource type \"" << text << "\"\n";
  }
  return s;
}

const api::ResourceStrategy* FindByKind(Env& env, const std::string& api_version,
                                        const std::string& kind) {
  for (const api::ResourceStrategy* s : env.discovery().All()) {
    if (s->info().kind == kind && s->info().ApiVersion() == api_version) return s;
  }
  return nullptr;
}

std::string KindPrefix(const api::ResourceInfo& info) {
  std::string kind = info.kind;
  std::transform(kind.begin(), kind.end(), kind.begin(), ::tolower);
  return info.gvr.group.empty() ? kind : kind + "." + info.gvr.group;
}

std::string NamespaceOf(const FlagSet& flags) {
  std::string ns = flags.Get("namespace");
  return ns.empty() ? "default" : ns;
}

void AddGlobalFlags(FlagSet& flags) {
  flags.String("namespace", 'n');
  flags.String("v", 'v', "0");
}

namespace {

bool ReadText(Env& env, const std::string& path, std::string* text) {
  if (path == "-") {
    *text = env.ctx.read_stdin ? env.ctx.read_stdin() : "";
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    env.err << "error: the path \"" << path << "\" does not exist\n";
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  *text = ss.str();
  return true;
}

bool IsManifestFile(const std::filesystem::path& p) {
  auto ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

}  // namespace

bool ReadManifests(Env& env, const std::vector<std::string>& paths, std::vector<Manifest>* out) {
  std::vector<std::string> files;
  for (const auto& path : paths) {
    std::error_code ec;
    if (path != "-" && std::filesystem::is_directory(path, ec)) {
      std::vector<std::string> in_dir;
      for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
        if (entry.is_regular_file() && IsManifestFile(entry.path())) {
          in_dir.push_back(entry.path().string());
        }
      }
      std::sort(in_dir.begin(), in_dir.end());
      files.insert(files.end(), in_dir.begin(), in_dir.end());
    } else {
      files.push_back(path);
    }
  }
  if (files.empty()) {
    env.err << "error: must specify one of -f and -k\n";
    return false;
  }
  for (const auto& file : files) {
    std::string text;
    if (!ReadText(env, file, &text)) return false;
    auto docs = printers::ParseYamlDocuments(text);
    std::string source = file == "-" ? "STDIN" : file;
    if (!docs.ok()) {
      env.err << "error: error parsing " << source << ": " << docs.status().message() << "\n";
      return false;
    }
    for (auto& doc : *docs) {
      if (doc.is_null()) continue;
      // A kind: List expands to its items, as kubectl's resource builder does.
      if (doc.is_object() && doc.value("kind", "") == "List" && doc.contains("items")) {
        for (auto& item : doc["items"]) out->push_back({source, item});
        continue;
      }
      if (!doc.is_object()) {
        env.err << "error: error validating \"" << source
                << "\": error validating data: invalid object to validate; if you choose to "
                   "ignore these errors, turn validation off with --validate=false\n";
        return false;
      }
      if (!doc.contains("kind") || !doc["kind"].is_string() || doc["kind"] == "") {
        env.err << "error: error validating \"" << source
                << "\": error validating data: kind not set; if you choose to ignore these "
                   "errors, turn validation off with --validate=false\n";
        return false;
      }
      if (!doc.contains("apiVersion") || !doc["apiVersion"].is_string()) {
        env.err << "error: error validating \"" << source
                << "\": error validating data: apiVersion not set; if you choose to ignore "
                   "these errors, turn validation off with --validate=false\n";
        return false;
      }
      out->push_back({source, std::move(doc)});
    }
  }
  return true;
}

bool AdvanceUntil(Env& env, const std::function<bool()>& done, Duration timeout) {
  Executor& ex = *env.ctx.executor;
  Time deadline = ex.Now() + timeout;
  ex.RunUntilIdle();
  while (!done()) {
    if (ex.Now() >= deadline) return false;
    Time next;
    if (!ex.NextDeadline(&next) || next > deadline) next = deadline;
    // Step at most a second at a time so conditions set by tasks at the
    // same instant are seen as soon as they hold.
    ex.AdvanceTo(std::min(next, ex.Now() + std::chrono::seconds(1)));
  }
  return true;
}

// Splits "pods,nodes" / "pod/a pod/b" / "pods a b" into targets, as
// kubectl's resource builder does. Returns false after printing an error.
bool ParseResourceArgs(Env& env, const Args& pos, std::vector<ResourceArgs>* out) {
  bool slash_form = pos[0].find('/') != std::string::npos;
  if (slash_form) {
    for (const auto& a : pos) {
      auto slash = a.find('/');
      if (slash == std::string::npos) {
        env.err << "error: there is no need to specify a resource type as a separate argument "
                   "when passing arguments in resource/name form (e.g. 'kubectl get "
                   "resource/<resource_name>' instead of 'kubectl get resource "
                   "resource/<resource_name>'\n";
        return false;
      }
      const api::ResourceStrategy* s = ResolveResource(env, a.substr(0, slash));
      if (!s) return false;
      std::string name = a.substr(slash + 1);
      if (!out->empty() && out->back().strategy == s) {
        out->back().names.push_back(name);
      } else {
        out->push_back({s, {name}});
      }
    }
    return true;
  }
  std::stringstream types(pos[0]);
  std::string type;
  while (std::getline(types, type, ',')) {
    if (type.empty()) continue;
    if (!env.discovery().Resolve(type)) {
      // A category ("all"): every kind that lists it, core group first, then
      // by group and resource name, the order of kubectl's discovery-based
      // category expansion (restmapper/category_expansion.go).
      std::vector<const api::ResourceStrategy*> members;
      for (const api::ResourceStrategy* s : env.discovery().All()) {
        for (const auto& c : s->info().categories) {
          if (c == type) members.push_back(s);
        }
      }
      std::sort(members.begin(), members.end(), [](const auto* a, const auto* b) {
        const auto& x = a->info().gvr;
        const auto& y = b->info().gvr;
        return std::make_tuple(!x.group.empty(), x.group, x.resource) <
               std::make_tuple(!y.group.empty(), y.group, y.resource);
      });
      if (!members.empty()) {
        for (const auto* m : members) out->push_back({m, {}});
        continue;
      }
    }
    const api::ResourceStrategy* s = ResolveResource(env, type);
    if (!s) return false;
    out->push_back({s, {}});
  }
  std::vector<std::string> names(pos.begin() + 1, pos.end());
  if (!names.empty()) {
    if (out->size() > 1) {
      env.err << "error: you may only specify a single resource type\n";
      return false;
    }
    out->back().names = names;
  }
  return true;
}

// TYPE/NAME or TYPE NAME from the positional arguments.
bool ResolveTarget(Env& env, const Args& pos, const api::ResourceStrategy** s, std::string* name) {
  if (pos.empty()) {
    env.err << "error: required resource not specified\n";
    return false;
  }
  std::string type = pos[0];
  if (auto slash = type.find('/'); slash != std::string::npos) {
    *name = type.substr(slash + 1);
    type = type.substr(0, slash);
  } else if (pos.size() > 1) {
    *name = pos[1];
  } else {
    env.err << "error: resource(s) were provided, but no name was specified\n";
    return false;
  }
  *s = ResolveResource(env, type);
  return *s != nullptr;
}

api::Response Patch(Env& env, const api::ResourceInfo& info, const std::string& ns,
                    const std::string& name, const std::string& type, const api::Object& body,
                    const std::string& field_manager) {
  api::Request req;
  req.verb = api::Verb::kPatch;
  req.field_manager = field_manager;
  req.gvr = info.gvr;
  req.namespace_ = info.namespaced ? ns : "";
  req.name = name;
  req.content_type = type;
  req.body = body;
  return env.client().Do(req);
}

api::Response Get(Env& env, const api::GroupVersionResource& gvr, const std::string& ns,
                  const std::string& name) {
  api::Request req;
  req.verb = api::Verb::kGet;
  req.gvr = gvr;
  req.namespace_ = ns;
  req.name = name;
  return env.client().Do(req);
}

}  // namespace kubesim::shell
