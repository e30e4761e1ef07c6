// `why pod NAME [-n NS] [-o json]`: the scheduler's last attempt at a pod,
// from SimulatorControl::SchedulingExplanation: every evaluated node with
// its filter verdict, every score plugin's raw, normalized and weighted
// score per feasible node, the total, the chosen node and how ties were
// broken; for a pod that did not fit, what would have to change. `-o json`
// prints the record itself. (kube-scheduler has no such command; upstream
// one would read its -v=10 logs.)
#include <iomanip>
#include <sstream>

#include "commands.h"
#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/printers/tabwriter.h"

namespace kubesim::shell {
namespace {

std::string Str(const api::Object& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}
int64_t Int(const api::Object& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

void RenderTable(Env& env, const api::Object& r) {
  std::ostream& out = env.out;
  const api::Object& nodes = r["nodes"];
  const std::string result = Str(r, "result");
  out << "Pod:        " << Str(r, "pod") << "\n";
  out << "Profile:    " << Str(r, "profile") << "\n";
  out << "Attempt:    " << Str(r, "time") << "\n";
  out << "Result:     " << result;
  if (result == "Scheduled") out << " on " << Str(r, "node");
  out << "\n";
  if (!Str(r, "message").empty()) out << "Message:    " << Str(r, "message") << "\n";
  out << "Nodes:      " << Int(nodes, "total") << " in the snapshot, " << Int(nodes, "evaluated")
      << " evaluated from index " << Int(nodes, "startIndex")
      << " (enough feasible: " << Int(nodes, "toFind") << "), " << Int(nodes, "feasible")
      << " feasible\n";

  const api::Object& rows = r["rows"];
  if (!rows.empty()) {
    out << "\nFILTERS\n";
    printers::TabWriter tw;
    tw.Write("NODE\tRESULT\tPLUGIN\tREASON\n");
    for (const api::Object& row : rows) {
      const bool feasible = row.value("feasible", false);
      std::string line = Str(row, "node") + "\t";
      if (feasible) {
        line += "passed\n";
      } else {
        const api::Object& f = row["filter"];
        line += "rejected\t" + Str(f, "plugin") + "\t" + Str(f, "reason") + "\n";
      }
      tw.Write(line);
    }
    tw.Flush();
    out << tw.TakeOutput();
  }

  // Scores: one row per plugin, one column per scored node.
  std::vector<const api::Object*> scored;
  for (const api::Object& row : rows) {
    if (row.contains("scores")) scored.push_back(&row);
  }
  const api::Object& plugins = r["scorePlugins"];
  if (!scored.empty() && !plugins.empty()) {
    out << "\nSCORES (raw -> normalized x weight = weighted)\n";
    printers::TabWriter tw;
    std::string header = "PLUGIN\tWEIGHT";
    for (const api::Object* row : scored) header += "\t" + Str(*row, "node");
    tw.Write(header + "\n");
    for (size_t p = 0; p < plugins.size(); ++p) {
      std::string line = Str(plugins[p], "name") + "\t" + std::to_string(Int(plugins[p], "weight"));
      for (const api::Object* row : scored) {
        const api::Object& s = (*row)["scores"][p];
        line += "\t" + std::to_string(Int(s, "raw")) + " -> " +
                std::to_string(Int(s, "normalized")) + " = " + std::to_string(Int(s, "weighted"));
      }
      tw.Write(line + "\n");
    }
    std::string total = "TOTAL\t";
    for (const api::Object* row : scored) total += "\t" + std::to_string(Int(*row, "total"));
    tw.Write(total + "\n");
    tw.Flush();
    out << tw.TakeOutput();
  }

  if (result == "Scheduled") {
    const api::Object& sel = r["selection"];
    const int64_t tied = Int(sel, "tied");
    out << "\nSelected:   " << Str(r, "node") << " (";
    if (Str(sel, "method").rfind("only", 0) == 0) {
      out << "the only feasible node; scoring skipped";
    } else if (tied > 1) {
      out << tied << " nodes tied for the highest total; reservoir sampling with the seeded "
          << "generator picked it";
    } else {
      out << "highest total score";
    }
    out << ")\n";
  }
  if (r.contains("suggestions")) {
    out << "\nTo fit, one of:\n";
    for (const api::Object& s : r["suggestions"]) out << "  - " << s.get<std::string>() << "\n";
  }
}

}  // namespace

int RunWhy(Env& env, const Args& args) {
  FlagSet flags;
  AddGlobalFlags(flags);
  flags.String("output", 'o', "");
  Status st = flags.Parse(args);
  if (!st.ok()) return FlagError(env, "why", st);
  const std::string output = flags.Get("output");
  if (!output.empty() && output != "json") {
    return PrintError(env, "unable to match a printer suitable for the output format \"" + output +
                               "\", allowed formats are: json");
  }
  // "why pod NAME" or "why pod/NAME".
  std::vector<std::string> pos = flags.positional();
  std::string name;
  if (pos.size() == 1 && pos[0].rfind("pod/", 0) == 0) {
    name = pos[0].substr(4);
  } else if (pos.size() == 2 && (pos[0] == "pod" || pos[0] == "pods" || pos[0] == "po")) {
    name = pos[1];
  }
  if (name.empty()) {
    return PrintError(env, "usage: why pod NAME [-n NAMESPACE] [-o json]");
  }
  const std::string ns = NamespaceOf(flags);
  api::Request req;
  req.verb = api::Verb::kGet;
  req.gvr = api::kPods;
  req.namespace_ = ns;
  req.name = name;
  api::Response pod = env.client().Do(req);
  if (!pod.ok()) {
    PrintApiError(env, pod);
    return 1;
  }
  if (env.ctx.control == nullptr) return PrintError(env, "why: no scheduler to ask");
  auto record = env.ctx.control->SchedulingExplanation(ns, name);
  if (!record.ok()) {
    const std::string node = api::GetString(pod.body, "/spec/nodeName");
    const std::string scheduler = api::GetString(pod.body, "/spec/schedulerName");
    std::string why = record.status().message();
    if (!node.empty()) {
      why += " (spec.nodeName is " + node + "; it was not placed by this scheduler run)";
    } else if (const api::Object* gates = api::Find(pod.body, "/spec/schedulingGates");
               gates && gates->is_array() && !gates->empty()) {
      // The SchedulingGates PreEnqueue plugin keeps it out of activeQ.
      std::string names;
      for (const api::Object& g : *gates) {
        names += (names.empty() ? "" : " ") + api::GetString(g, "/name");
      }
      why += " (SchedulingGates: waiting for scheduling gates: [" + names + "])";
    } else if (!scheduler.empty() && scheduler != "default-scheduler") {
      why += " (spec.schedulerName is \"" + scheduler + "\"; no profile has that name?)";
    }
    return PrintError(env, why);
  }
  if (output == "json") {
    env.out << record->dump(4) << "\n";
    return 0;
  }
  RenderTable(env, *record);
  return 0;
}

}  // namespace kubesim::shell
