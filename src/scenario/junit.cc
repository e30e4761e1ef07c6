// JUnit XML from scenario reports, in the shape CI systems (Jenkins, GitLab,
// GitHub test reporters) read: <testsuites><testsuite><testcase>, a
// <failure message=...> per failed assertion. No timestamps or durations:
// wall time would break byte-identical reports, and the simulated time is
// in each testcase's name instead.
#include "kubesim/scenario/scenario.h"

namespace kubesim::scenario {
namespace {

std::string Escape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\n':
      case '\t':
      case '\r':
        out += static_cast<char>(c);
        break;
      default:
        // XML 1.0 forbids most control characters even as references.
        if (c >= 0x20) out += static_cast<char>(c);
    }
  }
  return out;
}

std::string Str(const api::Object& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

}  // namespace

std::string RenderJUnit(const std::vector<api::Object>& reports) {
  int tests = 0, failures = 0;
  std::string suites;
  for (const auto& r : reports) {
    int suite_tests = 0, suite_failures = 0;
    std::string cases;
    const std::string suite = Str(r, "name");
    if (r.contains("error")) {
      ++suite_tests;
      ++suite_failures;
      // An invalid file never ran; otherwise the cluster failed to start.
      const std::string what = r.value("invalid", false) ? "scenario file" : "cluster start";
      cases += "    <testcase classname=\"" + Escape(suite) + "\" name=\"" + what + "\">\n" +
               "      <failure message=\"" + Escape(Str(r, "error")) + "\"/>\n    </testcase>\n";
    }
    for (const auto& step : r.value("steps", api::Object::array())) {
      const std::string step_name = "step " + Str(step, "index") + " [" + Str(step, "offset") +
                                    "]" + (step.contains("name") ? " " + Str(step, "name") : "");
      if (step.contains("exitCode") && !step.value("passed", true)) {
        // A command that failed unexpectedly fails the run: report it too.
        ++suite_tests;
        ++suite_failures;
        cases += "    <testcase classname=\"" + Escape(suite) + "\" name=\"" +
                 Escape(step_name + ": " + Str(step, "command")) + "\">\n" +
                 "      <failure message=\"" +
                 Escape("command failed with exit code " + Str(step, "exitCode")) + "\">" +
                 Escape(Str(step, "output")) + "</failure>\n    </testcase>\n";
      }
      if (!step.contains("assertions")) continue;
      for (const auto& a : step["assertions"]) {
        ++suite_tests;
        std::string name = step_name + ": " + Str(a, "description");
        cases += "    <testcase classname=\"" + Escape(suite) + "\" name=\"" + Escape(name) + "\"";
        if (a.value("passed", false)) {
          cases += "/>\n";
          continue;
        }
        ++suite_failures;
        cases += ">\n      <failure message=\"" + Escape(Str(a, "message")) + "\">" +
                 Escape("line " + Str(a, "line") + "\nexpected: " + Str(a, "expected") +
                        "\nfound: " + Str(a, "found") + "\n" + Str(a, "context")) +
                 "</failure>\n    </testcase>\n";
      }
    }
    tests += suite_tests;
    failures += suite_failures;
    suites += "  <testsuite name=\"" + Escape(suite) + "\" tests=\"" + std::to_string(suite_tests) +
              "\" failures=\"" + std::to_string(suite_failures) +
              "\" errors=\"0\" skipped=\"0\">\n" + cases + "  </testsuite>\n";
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kubesim run\" tests=\"" +
         std::to_string(tests) + "\" failures=\"" + std::to_string(failures) +
         "\" errors=\"0\">\n" + suites + "</testsuites>\n";
}

}  // namespace kubesim::scenario
