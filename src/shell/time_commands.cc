// Commands that move or show the simulated clock: `sleep`, `wait`, `clock`.
#include <cstdlib>
#include <sstream>

#include "commands.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/printers/duration.h"
#include "kubesim/printers/go_format.h"

namespace kubesim::shell {

int RunSleep(Env& env, const Args& args) {
  FlagSet flags;
  AddGlobalFlags(flags);
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, "sleep", st);
  if (flags.positional().size() != 1) {
    return PrintError(env, "sleep takes one duration, e.g. `sleep 30s` or `sleep 5m`");
  }
  std::string text = flags.positional()[0];
  // A bare number means seconds, as sleep(1) does.
  if (!text.empty() && text.find_first_not_of("0123456789.") == std::string::npos) text += "s";
  auto d = printers::ParseGoDuration(text);
  if (!d.ok()) return PrintError(env, d.status().message());
  if (d->count() < 0) return PrintError(env, "sleep: negative duration " + flags.positional()[0]);
  env.ctx.executor->AdvanceBy(*d);
  return 0;
}

int RunClock(Env& env, const Args& args) {
  FlagSet flags;
  AddGlobalFlags(flags);
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, "clock", st);
  const auto& words = flags.positional();
  if (words.empty()) {
    env.out << FormatRfc3339(env.ctx.executor->Now()) << "\n";
    return 0;
  }
  const std::string& verb = words[0];
  if (verb != "pause" && verb != "resume" && verb != "speed") {
    return PrintError(env, "unknown clock command \"" + verb +
                               "\": use `clock`, `clock pause`, `clock resume` or `clock speed X`");
  }
  if (words.size() != (verb == "speed" ? 2u : 1u)) {
    return PrintError(env, verb == "speed" ? "clock speed takes one number, e.g. `clock speed 10`"
                                           : "clock " + verb + " takes no arguments");
  }
  // Scripts and scenarios move the clock only with sleep/wait, so that runs
  // repeat byte for byte; the clock runs by itself only in a terminal.
  WallClockPacer* pacer = env.ctx.pacer;
  if (!pacer) {
    return PrintError(env, "clock " + verb +
                               ": the clock follows wall time only in an interactive terminal; "
                               "scripts move it with `sleep` and `wait`");
  }
  if (verb == "pause") {
    pacer->Pause();
    env.out << "Clock paused at " << FormatRfc3339(env.ctx.executor->Now())
            << " (`sleep` still moves it; `clock resume` lets it run)\n";
  } else if (verb == "resume") {
    pacer->Resume();
    env.out << "Clock running at " << printers::GoFormatFloat(pacer->speed()) << "x wall time from "
            << FormatRfc3339(env.ctx.executor->Now()) << "\n";
  } else {
    char* end = nullptr;
    const std::string& text = words[1];
    double speed = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size()) {
      return PrintError(env, "clock speed: invalid number \"" + text + "\"");
    }
    Status set = pacer->SetSpeed(speed);
    if (!set.ok()) return PrintError(env, "clock speed: " + set.message());
    env.out << "Clock speed " << printers::GoFormatFloat(speed) << "x: one wall second is "
            << printers::GoFormatFloat(speed) << " simulated second" << (speed == 1 ? "" : "s")
            << (pacer->paused() ? " (paused)" : "") << "\n";
  }
  return 0;
}

namespace {

// Whether `obj` has condition `type` with `status` (case-insensitive type,
// as kubectl wait's ConditionFuncFor).
bool HasCondition(const api::Object& obj, const std::string& type, const std::string& status) {
  const api::Object* conds = api::Find(obj, "/status/conditions");
  if (!conds || !conds->is_array()) return false;
  for (const auto& c : *conds) {
    std::string t = c.value("type", "");
    if (t.size() != type.size()) continue;
    bool same = true;
    for (size_t i = 0; i < t.size(); ++i) same = same && tolower(t[i]) == tolower(type[i]);
    if (same && c.value("status", "") == status) return true;
  }
  return false;
}

}  // namespace

int RunWait(Env& env, const Args& args) {
  // k8s.io/kubectl/pkg/cmd/wait/wait.go: --for=delete | condition=X[=value].
  FlagSet flags;
  AddGlobalFlags(flags);
  flags.String("for", 0);
  flags.String("timeout", 0, "30s");
  flags.Bool("all", 0);
  flags.String("selector", 'l');
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, "wait", st);
  std::string cond = flags.Get("for");
  if (cond.empty()) return PrintError(env, "--for must be set");
  auto timeout = printers::ParseGoDuration(flags.Get("timeout"));
  if (!timeout.ok()) return PrintError(env, timeout.status().message());
  bool for_delete = cond == "delete";
  std::string cond_type, cond_status = "True";
  if (!for_delete) {
    if (cond.rfind("condition=", 0) != 0) {
      return PrintError(env, "unrecognized condition: \"" + cond + "\"");
    }
    cond_type = cond.substr(10);
    auto eq = cond_type.find('=');
    if (eq != std::string::npos) {
      cond_status = cond_type.substr(eq + 1);
      cond_type = cond_type.substr(0, eq);
    }
  }
  // Targets: TYPE/NAME ..., or TYPE NAME ..., or TYPE with -l/--all.
  struct Target {
    const api::ResourceStrategy* s;
    std::string name;
  };
  std::vector<Target> targets;
  const Args& pos = flags.positional();
  if (pos.empty()) {
    return PrintError(env, "resource(s) were provided, but no name was specified");
  }
  std::string ns = NamespaceOf(flags);
  if (pos[0].find('/') != std::string::npos) {
    for (const auto& a : pos) {
      auto slash = a.find('/');
      const api::ResourceStrategy* s = ResolveResource(env, a.substr(0, slash));
      if (!s) return 1;
      targets.push_back({s, slash == std::string::npos ? "" : a.substr(slash + 1)});
    }
  } else {
    const api::ResourceStrategy* s = ResolveResource(env, pos[0]);
    if (!s) return 1;
    for (size_t i = 1; i < pos.size(); ++i) targets.push_back({s, pos[i]});
    if (pos.size() == 1) {
      api::Request list;
      list.verb = api::Verb::kList;
      list.gvr = s->info().gvr;
      list.namespace_ = s->info().namespaced ? ns : "";
      list.label_selector = flags.Get("selector");
      api::Response r = env.client().Do(list);
      if (!r.ok()) {
        PrintApiError(env, r);
        return 1;
      }
      for (const auto& item : r.body["items"]) targets.push_back({s, api::Name(item)});
      if (targets.empty()) return PrintError(env, "no matching resources found");
    }
  }
  int exit_code = 0;
  for (const auto& t : targets) {
    const api::ResourceInfo& info = t.s->info();
    api::Request get;
    get.verb = api::Verb::kGet;
    get.gvr = info.gvr;
    get.namespace_ = info.namespaced ? ns : "";
    get.name = t.name;
    bool missing_at_start = false;
    api::Response first = env.client().Do(get);
    if (first.code == 404 && !for_delete) missing_at_start = true;
    if (missing_at_start) {
      PrintApiError(env, first);
      exit_code = 1;
      continue;
    }
    auto done = [&] {
      api::Response r = env.client().Do(get);
      if (for_delete) return r.code == 404;
      return r.ok() && HasCondition(r.body, cond_type, cond_status);
    };
    if (AdvanceUntil(env, done, *timeout)) {
      env.out << KindPrefix(info) << "/" << t.name << " condition met\n";
    } else {
      env.err << "error: timed out waiting for the condition on " << info.QualifiedResource() << "/"
              << t.name << "\n";
      exit_code = 1;
    }
  }
  return exit_code;
}

int RunApiResources(Env& env, const Args& args) {
  FlagSet flags;
  AddGlobalFlags(flags);
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, "api-resources", st);
  std::vector<std::vector<std::string>> rows = {
      {"NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"}};
  for (const api::ResourceStrategy* s : env.discovery().All()) {
    const api::ResourceInfo& i = s->info();
    std::string shorts;
    for (const auto& sn : i.short_names) shorts += (shorts.empty() ? "" : ",") + sn;
    rows.push_back(
        {i.gvr.resource, shorts, i.ApiVersion(), i.namespaced ? "true" : "false", i.kind});
  }
  std::vector<size_t> width(5, 0);
  for (const auto& r : rows)
    for (size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
  for (const auto& r : rows) {
    std::string line;
    for (size_t c = 0; c < r.size(); ++c) {
      line += r[c];
      if (c + 1 < r.size()) line += std::string(width[c] - r[c].size() + 3, ' ');
    }
    env.out << line << "\n";
  }
  return 0;
}

int RunVersion(Env& env, const Args& args) {
  env.out << "Client Version: v1.32.0\nKustomize Version: v5.5.0\nServer Version: v1.32.0\n";
  return 0;
}

}  // namespace kubesim::shell
