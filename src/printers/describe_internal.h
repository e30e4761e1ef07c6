// Shared pieces of the describers (describe.cc, describe_pod.cc,
// describe_node.cc): kubectl's PrefixWriter over a Go tabwriter, Go time and
// value formatting, Go's sort.Sort, and the multi-line label/annotation
// printers of k8s.io/kubectl/pkg/describe/describe.go.
#ifndef KUBESIM_SRC_PRINTERS_DESCRIBE_INTERNAL_H_
#define KUBESIM_SRC_PRINTERS_DESCRIBE_INTERNAL_H_

#include <bit>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "kubesim/printers/quantity.h"
#include "kubesim/printers/tabwriter.h"
#include "kubesim/sim/clock.h"
#include "kubesim/util/strings.h"  // TrimSpace

namespace kubesim::printers::describe_internal {

using Json = nlohmann::json;

// describe.go's LEVEL_0..LEVEL_4.
inline constexpr int kLevel0 = 0;
inline constexpr int kLevel1 = 1;
inline constexpr int kLevel2 = 2;
inline constexpr int kLevel3 = 3;
inline constexpr int kLevel4 = 4;

// describe.go's prefixWriter writing into tabbedString's tabwriter
// (tabwriter.Writer.Init(buf, 0, 8, 2, ' ', 0)).
class PrefixWriter {
 public:
  PrefixWriter();
  // Write(level, format, ...): two spaces per level, then `text`, with
  // terminal escapes replaced (printers.WriteEscaped).
  void Write(int level, std::string_view text);
  // WriteLine(a...): fmt.Sprintln of one string, no indentation.
  void WriteLine(std::string_view text);
  // Flush(): flushes the tabwriter.
  void Flush();
  // Flushes and returns everything written (tabbedString's result).
  std::string Finish();
  // A prefix written before the level's indentation at the start of every
  // line: the `space` argument ("  ") upstream's describeContainers and
  // describeVolumes take when DescribePodTemplate nests them.
  void set_line_prefix(std::string prefix) { line_prefix_ = std::move(prefix); }

 private:
  TabWriter tw_;
  std::string line_prefix_;
  bool at_line_start_ = true;
};

// --- JSON access (total: missing or mistyped reads as empty/zero) ---

const Json* Get(const Json& o, std::string_view key);
std::string Str(const Json& o, std::string_view key);
int64_t Int(const Json& o, std::string_view key);
bool Bool(const Json& o, std::string_view key);
// The array/object at `key`, or an empty one.
const Json& Arr(const Json& o, std::string_view key);
const Json& Obj(const Json& o, std::string_view key);
// A map[string]string at `key` (non-string values are skipped).
std::map<std::string, std::string> StringMap(const Json& o, std::string_view key);

// --- Go formatting ---

// The time at `key`, if present and parseable (a non-zero metav1.Time).
bool TimeAt(const Json& o, std::string_view key, Time* out);
// t.Format(time.RFC1123Z) in UTC: "Mon, 02 Jan 2006 15:04:05 +0000".
std::string FormatRfc1123z(Time t);
// The same for the time at `key`; a missing time formats as Go's zero time,
// "Mon, 01 Jan 0001 00:00:00 +0000".
std::string Rfc1123zAt(const Json& o, std::string_view key);
// translateTimestampSince / translateMicroTimestampSince: "<unknown>" for a
// zero time, else duration.HumanDuration(now - t).
std::string TimestampSinceAt(const Json& o, std::string_view key, Time now);
// %v of a JSON scalar as the Go field would print it (strings verbatim,
// numbers as integers when integral, bools as true/false, null as "").
std::string Scalar(const Json& v);
// A resource.Quantity's String() for the text at `v` (verbatim when it does
// not parse).
std::string QuantityString(const Json& v);
// Parses a quantity; zero when absent or malformed.
Quantity ParseQuantityOrZero(const Json& v);
// strings.Join.
std::string Join(const std::vector<std::string>& parts, std::string_view sep);

// --- Go's sort package ---

// pdqsort as in Go 1.23's sort package (zsortinterface.go, sort.go), over
// index-based less(i, j) / swap(i, j).
namespace gosort {

enum class Hint { kUnknown, kIncreasing, kDecreasing };

template <typename L, typename S>
void InsertionSort(L& less, S& swap, int a, int b) {
  for (int i = a + 1; i < b; ++i) {
    for (int j = i; j > a && less(j, j - 1); --j) swap(j, j - 1);
  }
}

template <typename L, typename S>
void SiftDown(L& less, S& swap, int lo, int hi, int first) {
  int root = lo;
  for (;;) {
    int child = 2 * root + 1;
    if (child >= hi) break;
    if (child + 1 < hi && less(first + child, first + child + 1)) ++child;
    if (!less(first + root, first + child)) return;
    swap(first + root, first + child);
    root = child;
  }
}

template <typename L, typename S>
void HeapSort(L& less, S& swap, int a, int b) {
  int first = a, lo = 0, hi = b - a;
  for (int i = (hi - 1) / 2; i >= 0; --i) SiftDown(less, swap, i, hi, first);
  for (int i = hi - 1; i >= 0; --i) {
    swap(first, first + i);
    SiftDown(less, swap, lo, i, first);
  }
}

template <typename L, typename S>
std::pair<int, bool> Partition(L& less, S& swap, int a, int b, int pivot) {
  swap(a, pivot);
  int i = a + 1, j = b - 1;
  while (i <= j && less(i, a)) ++i;
  while (i <= j && !less(j, a)) --j;
  if (i > j) {
    swap(j, a);
    return {j, true};
  }
  swap(i, j);
  ++i;
  --j;
  for (;;) {
    while (i <= j && less(i, a)) ++i;
    while (i <= j && !less(j, a)) --j;
    if (i > j) break;
    swap(i, j);
    ++i;
    --j;
  }
  swap(j, a);
  return {j, false};
}

template <typename L, typename S>
int PartitionEqual(L& less, S& swap, int a, int b, int pivot) {
  swap(a, pivot);
  int i = a + 1, j = b - 1;
  for (;;) {
    while (i <= j && !less(a, i)) ++i;
    while (i <= j && less(a, j)) --j;
    if (i > j) break;
    swap(i, j);
    ++i;
    --j;
  }
  return i;
}

template <typename L, typename S>
bool PartialInsertionSort(L& less, S& swap, int a, int b) {
  constexpr int kMaxSteps = 5, kShortestShifting = 50;
  int i = a + 1;
  for (int step = 0; step < kMaxSteps; ++step) {
    while (i < b && !less(i, i - 1)) ++i;
    if (i == b) return true;
    if (b - a < kShortestShifting) return false;
    swap(i, i - 1);
    if (i - a >= 2) {
      for (int j = i - 1; j >= 1; --j) {
        if (!less(j, j - 1)) break;
        swap(j, j - 1);
      }
    }
    if (b - i >= 2) {
      for (int j = i + 1; j < b; ++j) {
        if (!less(j, j - 1)) break;
        swap(j, j - 1);
      }
    }
  }
  return false;
}

template <typename S>
void BreakPatterns(S& swap, int a, int b) {
  int length = b - a;
  if (length >= 8) {
    // Go 1.23's xorshift (shifts 13, 17, 5), seeded with the length.
    uint64_t random = static_cast<uint64_t>(length);
    uint64_t modulus = uint64_t{1} << std::bit_width(static_cast<uint64_t>(length));
    for (int idx = a + (length / 4) * 2 - 1; idx <= a + (length / 4) * 2 + 1; ++idx) {
      random ^= random << 13;
      random ^= random >> 17;
      random ^= random << 5;
      int other = static_cast<int>(random & (modulus - 1));
      if (other >= length) other -= length;
      swap(idx, a + other);
    }
  }
}

template <typename L>
std::pair<int, int> Order2(L& less, int a, int b, int* swaps) {
  if (less(b, a)) {
    ++*swaps;
    return {b, a};
  }
  return {a, b};
}

template <typename L>
int Median(L& less, int a, int b, int c, int* swaps) {
  std::tie(a, b) = Order2(less, a, b, swaps);
  std::tie(b, c) = Order2(less, b, c, swaps);
  std::tie(a, b) = Order2(less, a, b, swaps);
  return b;
}

template <typename L>
std::pair<int, Hint> ChoosePivot(L& less, int a, int b) {
  constexpr int kShortestNinther = 50, kMaxSwaps = 4 * 3;
  int l = b - a;
  int swaps = 0;
  int i = a + l / 4 * 1, j = a + l / 4 * 2, k = a + l / 4 * 3;
  if (l >= 8) {
    if (l >= kShortestNinther) {
      i = Median(less, i - 1, i, i + 1, &swaps);
      j = Median(less, j - 1, j, j + 1, &swaps);
      k = Median(less, k - 1, k, k + 1, &swaps);
    }
    j = Median(less, i, j, k, &swaps);
  }
  if (swaps == 0) return {j, Hint::kIncreasing};
  if (swaps == kMaxSwaps) return {j, Hint::kDecreasing};
  return {j, Hint::kUnknown};
}

template <typename S>
void ReverseRange(S& swap, int a, int b) {
  for (int i = a, j = b - 1; i < j; ++i, --j) swap(i, j);
}

template <typename L, typename S>
void Pdqsort(L& less, S& swap, int a, int b, int limit) {
  constexpr int kMaxInsertion = 12;
  bool was_balanced = true, was_partitioned = true;
  for (;;) {
    int length = b - a;
    if (length <= kMaxInsertion) {
      InsertionSort(less, swap, a, b);
      return;
    }
    if (limit == 0) {
      HeapSort(less, swap, a, b);
      return;
    }
    if (!was_balanced) {
      BreakPatterns(swap, a, b);
      --limit;
    }
    auto [pivot, hint] = ChoosePivot(less, a, b);
    if (hint == Hint::kDecreasing) {
      ReverseRange(swap, a, b);
      pivot = (b - 1) - (pivot - a);
      hint = Hint::kIncreasing;
    }
    if (was_balanced && was_partitioned && hint == Hint::kIncreasing) {
      if (PartialInsertionSort(less, swap, a, b)) return;
    }
    if (a > 0 && !less(a - 1, pivot)) {
      a = PartitionEqual(less, swap, a, b, pivot);
      continue;
    }
    auto [mid, already_partitioned] = Partition(less, swap, a, b, pivot);
    was_partitioned = already_partitioned;
    int left_len = mid - a, right_len = b - mid;
    int balance_threshold = length / 8;
    if (left_len < right_len) {
      was_balanced = left_len >= balance_threshold;
      Pdqsort(less, swap, a, mid, limit);
      a = mid + 1;
    } else {
      was_balanced = right_len >= balance_threshold;
      Pdqsort(less, swap, mid + 1, b, limit);
      b = mid;
    }
  }
}

}  // namespace gosort

// sort.Sort / sort.Slice on a vector with a strict-weak-order `less` on
// elements: the exact permutation Go produces (pdqsort, unstable).
template <typename T, typename Less>
void GoSort(std::vector<T>& v, Less elem_less) {
  const int n = static_cast<int>(v.size());
  if (n <= 1) return;
  const int limit = std::bit_width(static_cast<unsigned>(n));
  auto less = [&](int i, int j) { return elem_less(v[i], v[j]); };
  auto swap = [&](int i, int j) { std::swap(v[i], v[j]); };
  gosort::Pdqsort(less, swap, 0, n, limit);
}

// --- describe.go helpers ---

// printLabelsMultilineWithIndent(w, initialIndent, title, innerIndent, labels, {}).
void PrintLabelsMultiline(PrefixWriter& w, const std::string& title,
                          const std::map<std::string, std::string>& labels,
                          const std::string& initial_indent = "",
                          const std::string& inner_indent = "\t");
// printAnnotationsMultiline (skips kubectl.kubernetes.io/last-applied-configuration).
void PrintAnnotationsMultiline(PrefixWriter& w, const std::string& title,
                               const std::map<std::string, std::string>& annotations);
// DescribePodTemplate (describe_pod.cc): "Pod Template:" and the nested
// labels, containers, volumes, node selectors and tolerations.
void DescribePodTemplate(const Json& pod_template, PrefixWriter& w);
// metav1.FormatLabelSelector ("<none>" when empty; describe_pod.cc).
std::string LabelSelectorString(const Json& selector);
// DescribeEvents.
void DescribeEvents(const std::vector<Json>& events, PrefixWriter& w, Time now);
// describeResources(&resources, w, level).
void DescribeResources(const Json& resources, PrefixWriter& w, int level);
// printBool: "True" / "False".
inline const char* PrintBool(bool b) { return b ? "True" : "False"; }
// Sorted keys of a ResourceList object.
std::vector<std::string> SortedResourceNames(const Json& list);

}  // namespace kubesim::printers::describe_internal

#endif  // KUBESIM_SRC_PRINTERS_DESCRIBE_INTERNAL_H_
