// A small line diff for golden transcripts: LCS by dynamic programming
// (transcripts are a few hundred lines, so O(n*m) is fine and simpler to
// trust than Myers), printed as a unified diff with 3 lines of context.
#include <algorithm>
#include <vector>

#include "kubesim/scenario/scenario.h"

namespace kubesim::scenario {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      lines.push_back(text.substr(start) + "\n\\ No newline at end of file");
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

struct Edit {
  char op;      // ' ', '-', '+'
  size_t a, b;  // line indexes (a in the old text, b in the new)
};

std::string Range(size_t start, size_t count) {
  // diff -u: "start,count", with start 0 for an empty range.
  if (count == 0) return std::to_string(start) + ",0";
  if (count == 1) return std::to_string(start + 1);
  return std::to_string(start + 1) + "," + std::to_string(count);
}

}  // namespace

std::string UnifiedDiff(const std::string& a_text, const std::string& b_text,
                        const std::string& a_name, const std::string& b_name) {
  if (a_text == b_text) return "";
  const std::vector<std::string> a = Lines(a_text), b = Lines(b_text);
  const size_t n = a.size(), m = b.size();
  // lcs[i][j]: LCS length of a[i..] and b[j..].
  std::vector<std::vector<uint32_t>> lcs(n + 1, std::vector<uint32_t>(m + 1, 0));
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::vector<Edit> edits;
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      edits.push_back({' ', i++, j++});
    } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      // Deletions first, as diff -u prints a changed block.
      edits.push_back({'-', i++, j});
    } else {
      edits.push_back({'+', i, j++});
    }
  }
  constexpr size_t kContext = 3;
  std::string out = "--- " + a_name + "\n+++ " + b_name + "\n";
  size_t k = 0;
  while (k < edits.size()) {
    if (edits[k].op == ' ') {
      ++k;
      continue;
    }
    // A hunk: from kContext before this change to kContext after the last
    // change that is at most 2*kContext unchanged lines away.
    size_t begin = k >= kContext ? k - kContext : 0;
    size_t end = k;
    size_t unchanged = 0;
    for (size_t x = k; x < edits.size(); ++x) {
      if (edits[x].op == ' ') {
        if (++unchanged > 2 * kContext) break;
      } else {
        unchanged = 0;
        end = x;
      }
    }
    end = std::min(edits.size(), end + 1 + kContext);
    size_t a_count = 0, b_count = 0;
    for (size_t x = begin; x < end; ++x) {
      if (edits[x].op != '+') ++a_count;
      if (edits[x].op != '-') ++b_count;
    }
    out +=
        "@@ -" + Range(edits[begin].a, a_count) + " +" + Range(edits[begin].b, b_count) + " @@\n";
    for (size_t x = begin; x < end; ++x) {
      const Edit& e = edits[x];
      out += e.op;
      out += (e.op == '+' ? b[e.b] : a[e.a]) + "\n";
    }
    k = end;
  }
  return out;
}

}  // namespace kubesim::scenario
