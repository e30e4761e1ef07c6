// docs/scenario.schema.json is a valid draft 2020-12 schema that accepts
// every example scenario and rejects an invalid one. Uses python3's
// jsonschema module when the machine has it (not a build dependency).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;

int Sh(const std::string& cmd) {
  int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(ScenarioSchemaTest, ExamplesValidateAgainstTheSchema) {
  // `scripts/dev.sh test` installs Debian's python3-jsonschema and
  // python3-yaml for /usr/bin/python3; a python3 earlier on PATH may have
  // them too.
  std::string python;
  for (const char* candidate : {"python3", "/usr/bin/python3"}) {
    if (Sh(std::string(candidate) + " -c 'import jsonschema, yaml' >/dev/null 2>&1") == 0) {
      python = candidate;
      break;
    }
  }
  if (python.empty()) {
    GTEST_SKIP() << "python3 with jsonschema and yaml is not installed";
  }
  fs::path root = KUBESIM_SOURCE_DIR;
  std::string files;
  int n = 0;
  for (const auto& dir : fs::directory_iterator(root / "examples")) {
    for (const auto& f : fs::directory_iterator(dir.path())) {
      // Scenario files: scenario.yaml, and every .yaml of examples/scheduling.
      if (f.path().extension() != ".yaml") continue;
      if (f.path().filename() != "scenario.yaml" && dir.path().filename() != "scheduling") continue;
      files += " '" + f.path().string() + "'";
      ++n;
    }
  }
  EXPECT_GE(n, 6);
  const std::string validate = python + " '" + (root / "scripts/validate_scenarios.py").string() +
                               "' '" + (root / "docs/scenario.schema.json").string() + "'";
  EXPECT_EQ(Sh(validate + files), 0);

  fs::path bad =
      fs::temp_directory_path() / ("kubesim-schema-" + std::to_string(getpid()) + ".yaml");
  std::ofstream(bad) << "steps:\n- sleep: 5m\n  run: x\n- expect: {pods: {status: Running}}\n";
  EXPECT_EQ(Sh(validate + " '" + bad.string() + "' >/dev/null"), 1);
  fs::remove(bad);
}

}  // namespace
