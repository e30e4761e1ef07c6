#include "kubesim/scenario/run_main.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "kubesim/scenario/scenario.h"

namespace kubesim::scenario {
namespace {

namespace fs = std::filesystem;

struct FileResult {
  int exit_code = 0;
  std::string out;  // transcript (stdout)
  std::string err;  // errors (stderr)
  api::Object report;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// foo/bar.yaml -> foo/bar.golden
std::string GoldenPath(const std::string& scenario) {
  return fs::path(scenario).replace_extension(".golden").string();
}

FileResult RunFile(const std::string& path, const RunCommandOptions& options) {
  FileResult r;
  auto scenario = ParseScenarioFile(path);
  if (!scenario.ok()) {
    r.exit_code = 2;
    r.err = "error: " + scenario.status().message() + "\n";
    r.report = {{"name", fs::path(path).stem().string()},
                {"file", path},
                {"error", scenario.status().message()},
                {"invalid", true},
                {"passed", false},
                {"steps", api::Object::array()}};
    return r;
  }
  RunOptions run;
  run.seed = options.seed;
  run.fail_fast = options.fail_fast;
  run.update_golden = options.update_golden;
  RunResult result = RunScenario(*scenario, run);
  r.exit_code = result.exit_code;
  r.out = result.transcript;
  r.report = std::move(result.report);
  const std::string golden = GoldenPath(path);
  if (options.update_golden) {
    std::ofstream(golden, std::ios::binary) << result.transcript;
    r.err += "wrote " + golden + "\n";
    r.report["golden"] = "updated";
  } else if (fs::exists(golden)) {
    std::string want = ReadAll(golden);
    if (want == result.transcript) {
      r.report["golden"] = "matched";
    } else {
      r.out += "\nFAIL: the transcript differs from " + golden +
               " (run with --update-golden to accept it):\n" +
               UnifiedDiff(want, result.transcript, golden, "transcript");
      r.report["golden"] = "mismatch";
      r.report["passed"] = false;
      r.exit_code = std::max(r.exit_code, 1);
    }
  }
  return r;
}

// Runs one scenario in a child process (the same binary, `run FILE`),
// its stdout, stderr and JSON report going to temporary files.
struct Child {
  pid_t pid = -1;
  std::string out_file, err_file, report_file;
};

std::string TempFile(const std::string& tag) {
  std::string tmpl = (fs::temp_directory_path() / ("kubesim-run-" + tag + "-XXXXXX")).string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  int fd = mkstemp(buf.data());
  if (fd >= 0) close(fd);
  return buf.data();
}

Child StartChild(const std::string& path, const RunCommandOptions& options) {
  Child c;
  c.out_file = TempFile("out");
  c.err_file = TempFile("err");
  c.report_file = TempFile("report");
  std::vector<std::string> args = {"kubesim", "run", path, "--report", "json", c.report_file};
  if (options.seed) {
    args.push_back("--seed");
    args.push_back(std::to_string(*options.seed));
  }
  if (options.update_golden) args.push_back("--update-golden");
  if (options.fail_fast) args.push_back("--fail-fast");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::cout.flush();
  std::cerr.flush();
  c.pid = fork();
  if (c.pid == 0) {
    int out = open(c.out_file.c_str(), O_WRONLY | O_TRUNC);
    int err = open(c.err_file.c_str(), O_WRONLY | O_TRUNC);
    if (out < 0 || err < 0) _exit(2);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    execv("/proc/self/exe", argv.data());
    _exit(127);
  }
  return c;
}

FileResult FinishChild(const Child& c, int status) {
  FileResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
  r.out = ReadAll(c.out_file);
  r.err = ReadAll(c.err_file);
  std::string report = ReadAll(c.report_file);
  api::Object parsed = api::Object::parse(report, nullptr, false);
  if (parsed.is_object() && parsed.contains("scenarios") && !parsed["scenarios"].empty()) {
    r.report = parsed["scenarios"][0];
  } else {
    r.report = {{"error", "the child process wrote no report (exit status " +
                              std::to_string(r.exit_code) + ")"},
                {"passed", false},
                {"steps", api::Object::array()}};
    if (r.exit_code == 0) r.exit_code = 1;
  }
  for (const auto& f : {c.out_file, c.err_file, c.report_file}) std::remove(f.c_str());
  return r;
}

void Print(const FileResult& r) {
  std::cout << r.out;
  std::cout.flush();
  std::cerr << r.err;
  std::cerr.flush();
}

}  // namespace

int RunMain(const RunCommandOptions& options) {
  if (!options.report_format.empty() && options.report_format != "json" &&
      options.report_format != "junit") {
    std::cerr << "error: --report must be json or junit, not \"" << options.report_format << "\"\n";
    return 2;
  }
  if (options.report_format.empty() != options.report_file.empty()) {
    std::cerr << "error: --report takes a format and a file: --report json|junit FILE\n";
    return 2;
  }
  if (options.jobs < 1) {
    std::cerr << "error: --jobs must be at least 1\n";
    return 2;
  }
  std::error_code ec;
  std::vector<std::string> files;
  if (fs::is_directory(options.path, ec)) {
    for (const auto& e : fs::directory_iterator(options.path, ec)) {
      if (e.is_regular_file() && e.path().extension() == ".yaml")
        files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
      std::cerr << "error: no *.yaml scenarios in " << options.path << "\n";
      return 2;
    }
  } else if (fs::exists(options.path, ec)) {
    files.push_back(options.path);
  } else {
    std::cerr << "error: " << options.path << ": no such file or directory\n";
    return 2;
  }

  std::vector<FileResult> results(files.size());
  if (options.jobs == 1 || files.size() == 1) {
    for (size_t i = 0; i < files.size(); ++i) {
      results[i] = RunFile(files[i], options);
      Print(results[i]);
    }
  } else {
    // Up to `jobs` children at a time; output printed in file order as soon
    // as every earlier file is done.
    std::vector<Child> children(files.size());
    std::vector<bool> done(files.size(), false);
    size_t next = 0, printed = 0, running = 0;
    while (printed < files.size()) {
      while (running < static_cast<size_t>(options.jobs) && next < files.size()) {
        children[next] = StartChild(files[next], options);
        if (children[next].pid < 0) {
          std::cerr << "error: fork failed\n";
          return 2;
        }
        ++next;
        ++running;
      }
      int status = 0;
      pid_t pid = waitpid(-1, &status, 0);
      if (pid < 0) break;
      for (size_t i = 0; i < next; ++i) {
        if (children[i].pid == pid && !done[i]) {
          results[i] = FinishChild(children[i], status);
          done[i] = true;
          --running;
        }
      }
      while (printed < files.size() && done[printed]) Print(results[printed++]);
    }
  }

  int exit_code = 0;
  std::vector<api::Object> reports;
  for (auto& r : results) {
    exit_code = std::max(exit_code, r.exit_code);
    reports.push_back(r.report);
  }
  if (files.size() > 1) {
    int passed = 0;
    for (const auto& r : results) passed += r.exit_code == 0;
    std::cout << "\n# " << passed << "/" << files.size() << " scenarios passed\n";
  }
  if (!options.report_file.empty()) {
    std::string text;
    if (options.report_format == "junit") {
      text = RenderJUnit(reports);
    } else {
      api::Object doc = {{"kind", "ScenarioReport"},
                         {"passed", exit_code == 0},
                         {"exitCode", exit_code},
                         {"scenarios", reports}};
      text = doc.dump(2) + "\n";
    }
    std::ofstream out(options.report_file, std::ios::binary);
    out << text;
    if (!out) {
      std::cerr << "error: cannot write the report to " << options.report_file << "\n";
      return std::max(exit_code, 2);
    }
  }
  return exit_code;
}

}  // namespace kubesim::scenario
