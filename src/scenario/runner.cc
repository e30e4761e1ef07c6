// Runs a parsed scenario: one Cluster, one Shell for the steps (its output
// captured into the transcript), and an API client for the assertions. The
// clock moves only through the Shell's commands (sleep, wait, delete) and
// through `within:` polling, so the run is a pure function of the scenario
// and the seed.
#include <fstream>
#include <regex>
#include <sstream>

#include "assertions.h"
#include "kubesim/printers/duration.h"
#include "kubesim/scenario/scenario.h"
#include "kubesim/shell/shell.h"

namespace kubesim::scenario {
namespace {

// `within:` polls after each step of this much simulated time: small enough
// that "NotReady after ~40 s" is observed to the second, large enough that a
// 10 min wait is 600 checks.
constexpr Duration kPollInterval = std::chrono::seconds(1);

std::string Indent(const std::string& text, const std::string& prefix) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += prefix + text.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

class Runner : public Probe {
 public:
  Runner(const Scenario& scenario, const RunOptions& options)
      : scenario_(scenario), options_(options) {}

  RunResult Run() {
    RunResult result;
    cluster::ClusterConfig config = scenario_.cluster;
    config.seed = options_.seed ? *options_.seed : scenario_.seed.value_or(1);
    out_ << "# scenario " << scenario_.name << " (seed " << config.seed << ", "
         << config.nodes.size() << " nodes)\n";
    if (!scenario_.description.empty()) out_ << Indent(scenario_.description, "# ");
    api::Object report = {{"name", scenario_.name},
                          {"file", scenario_.path},
                          {"seed", config.seed},
                          {"steps", api::Object::array()}};
    auto started = cluster::Cluster::Start(std::move(config));
    if (!started.ok()) {
      out_ << "error: the cluster failed to start: " << started.status().ToString() << "\n";
      report["error"] = started.status().ToString();
      report["passed"] = false;
      return {1, out_.str(), report};
    }
    cluster_ = std::move(*started);
    shell_client_ = cluster_->NewClient("kubectl");
    probe_client_ = cluster_->NewClient("kubesim-scenario");
    shell::ShellContext ctx;
    ctx.client = shell_client_.get();
    ctx.discovery = &cluster_->api_server().registry();
    ctx.executor = &cluster_->executor();
    ctx.control = cluster_.get();
    // Commands' stdout and stderr interleave in one buffer, as `2>&1`.
    ctx.out = &capture_;
    ctx.err = &capture_;
    ctx.read_stdin = [this] { return stdin_text_; };
    shell_ = std::make_unique<shell::Shell>(ctx);
    cluster_->executor().RunUntilIdle();
    start_ = cluster_->executor().Now();
    report["startTime"] = FormatRfc3339(start_);

    int failed_assertions = 0, failed_commands = 0, assertions = 0;
    bool stop = false;
    for (size_t i = 0; i < scenario_.steps.size() && !stop; ++i) {
      const Step& step = scenario_.steps[i];
      cluster_->executor().RunUntilIdle();
      api::Object js = {{"index", i + 1},
                        {"type", step.type},
                        {"line", step.mark.line},
                        {"time", FormatRfc3339(Now())},
                        {"offset", Offset()}};
      if (!step.name.empty()) js["name"] = step.name;
      out_ << "\n--- [" << Offset() << "] step " << (i + 1) << " (" << step.type << ")"
           << (step.name.empty() ? "" : ": " + step.name) << "\n";
      if (step.kind == Step::Kind::kCommand) {
        out_ << "$ " << step.display << "\n";
        stdin_text_ = step.stdin_text;
        CommandOutput r = RunCommand(step.command);
        out_ << r.output;
        js["command"] = step.display;
        js["exitCode"] = r.exit_code;
        js["output"] = r.output;
        js["endOffset"] = Offset();
        bool ok = r.exit_code == 0 || step.may_fail;
        js["passed"] = ok;
        if (!ok) {
          ++failed_commands;
          out_ << "FAIL: step " << (i + 1) << " (line " << step.mark.line
               << "): the command failed (exit code " << r.exit_code << ")\n";
          if (options_.fail_fast) stop = true;
        }
      } else {
        js["assertions"] = api::Object::array();
        for (const Assertion& a : step.assertions) {
          ++assertions;
          api::Object ja = Check(a, i + 1);
          if (!ja["passed"].get<bool>()) {
            ++failed_assertions;
            if (options_.fail_fast) stop = true;
          }
          js["assertions"].push_back(std::move(ja));
          if (stop) break;
        }
      }
      report["steps"].push_back(std::move(js));
    }
    if (stop) out_ << "\n(--fail-fast: stopped after the first failure)\n";
    out_ << "\n# " << (assertions - failed_assertions) << "/" << assertions << " assertions held";
    if (failed_commands > 0) out_ << ", " << failed_commands << " command(s) failed";
    out_ << "; simulated time " << Offset() << "\n";
    const bool passed = failed_assertions == 0 && failed_commands == 0;
    out_ << "# " << (passed ? "PASS" : "FAIL") << "\n";
    report["assertions"] = assertions;
    report["failedAssertions"] = failed_assertions;
    report["failedCommands"] = failed_commands;
    report["endOffset"] = Offset();
    report["passed"] = passed;
    result.exit_code = passed ? 0 : 1;
    result.transcript = out_.str();
    result.report = std::move(report);
    return result;
  }

  // Probe: what assertions may use.
  client::Client& client() override { return *probe_client_; }
  Time Now() override { return cluster_->executor().Now(); }
  CommandOutput RunCommand(const std::string& command) override {
    capture_.str("");
    capture_.clear();
    int code = shell_->Execute(command);
    return {code, capture_.str()};
  }
  const RunOptions& options() override { return options_; }

 private:
  std::string Offset() { return printers::GoDurationString(Now() - start_); }

  // Evaluates `a`, polling up to a.within; prints the verdict.
  api::Object Check(const Assertion& a, size_t step_index) {
    Executor& ex = cluster_->executor();
    ex.RunUntilIdle();
    const Time begin = Now();
    const Time deadline = begin + a.within;
    Verdict v = Evaluate(*this, a);
    while (!v.passed && Now() < deadline) {
      ex.AdvanceTo(std::min(deadline, Now() + kPollInterval));
      ex.RunUntilIdle();
      v = Evaluate(*this, a);
    }
    const std::string waited = printers::GoDurationString(Now() - begin);
    api::Object ja = {{"type", AssertionTypeName(a.type)},
                      {"line", a.mark.line},
                      {"column", a.mark.column},
                      {"description", v.description},
                      {"expected", v.expected},
                      {"found", v.found},
                      {"passed", v.passed},
                      {"time", FormatRfc3339(Now())},
                      {"offset", Offset()}};
    if (a.within > Duration::zero()) {
      ja["within"] = printers::GoDurationString(a.within);
      ja["waited"] = waited;
    }
    if (!v.placement.is_null()) ja["placement"] = v.placement;
    if (v.passed) {
      out_ << "ok: " << v.description;
      if (a.type != Assertion::Type::kOutput && a.type != Assertion::Type::kFails) {
        out_ << ": " << v.found;
      }
      if (a.within > Duration::zero()) out_ << " (held after " << waited << ")";
      out_ << "\n";
    } else {
      out_ << "FAIL: step " << step_index << " (line " << a.mark.line << "): " << v.description
           << "\n";
      if (a.within > Duration::zero()) out_ << "  waited: " << waited << "\n";
      out_ << "  expected: " << v.expected << "\n";
      out_ << "  found:    " << v.found << "\n";
      std::string context = v.context;
      if (!v.context_command.empty()) {
        CommandOutput r = RunCommand(v.context_command);
        context = "$ " + v.context_command + "\n" + r.output;
      }
      if (!context.empty()) out_ << Indent(context, "  | ");
      ja["context"] = context;
      ja["message"] = v.description + ": expected " + v.expected + ", found " + v.found;
    }
    return ja;
  }

  const Scenario& scenario_;
  const RunOptions& options_;
  std::unique_ptr<cluster::Cluster> cluster_;
  std::unique_ptr<client::Client> shell_client_;
  std::unique_ptr<client::Client> probe_client_;
  std::unique_ptr<shell::Shell> shell_;
  std::ostringstream capture_;  // the shell's stdout+stderr for one command
  std::ostringstream out_;      // the transcript
  std::string stdin_text_;      // `-f -` text of the running step
  Time start_;
};

}  // namespace

RunResult RunScenario(const Scenario& scenario, const RunOptions& options) {
  return Runner(scenario, options).Run();
}

}  // namespace kubesim::scenario
