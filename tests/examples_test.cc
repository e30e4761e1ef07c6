// Every examples/<name>/session.txt runs (with its cluster.yaml, if any) and
// must print exactly examples/<name>/expected.txt. Regenerate a golden file
// after an intended change with:
//   build/kubesim [--config examples/X/cluster.yaml] < examples/X/session.txt >
//   examples/X/expected.txt 2>&1
// (for node-failure, then copy the changed outputs into
// docs/tutorials/node-failure.md, which is checked against it below).
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ExamplesTest, EverySessionMatchesItsGoldenTranscript) {
  fs::path root = KUBESIM_SOURCE_DIR;
  int checked = 0;
  for (const auto& dir : fs::directory_iterator(root / "examples")) {
    fs::path session = dir.path() / "session.txt";
    fs::path expected = dir.path() / "expected.txt";
    if (!fs::exists(session) || !fs::exists(expected)) continue;
    std::string cmd = "cd '" + root.string() + "' && '" + KUBESIM_BINARY + "'";
    if (fs::exists(dir.path() / "cluster.yaml")) {
      cmd += " --config '" + (dir.path() / "cluster.yaml").string() + "'";
    }
    cmd += " < '" + session.string() + "' 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    std::string out;
    std::array<char, 4096> buf;
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    pclose(p);
    EXPECT_EQ(out, ReadFile(expected)) << "example " << dir.path().filename();
    ++checked;
  }
  EXPECT_GE(checked, 1);
}

// docs/tutorials/node-failure.md says every output it shows is the real
// output of examples/node-failure/session.txt: each plain ``` block's
// output lines (those not starting with "$ ") must appear, in one piece,
// in that example's golden transcript.
TEST(ExamplesTest, NodeFailureTutorialShowsTheGoldenOutput) {
  fs::path root = KUBESIM_SOURCE_DIR;
  const std::string golden = ReadFile(root / "examples/node-failure/expected.txt");
  std::istringstream doc(ReadFile(root / "docs/tutorials/node-failure.md"));
  std::string line, block;
  bool in_block = false, plain = false;
  int checked = 0;
  while (std::getline(doc, line)) {
    if (line.rfind("```", 0) == 0) {
      if (!in_block) {
        in_block = true;
        plain = line == "```";
        block.clear();
      } else {
        in_block = false;
        if (plain && !block.empty()) {
          EXPECT_NE(golden.find(block), std::string::npos) << "not in expected.txt:\n" << block;
          ++checked;
        }
      }
      continue;
    }
    if (in_block && line.rfind("$ ", 0) != 0) block += line + "\n";
  }
  EXPECT_GE(checked, 7);
}

}  // namespace
