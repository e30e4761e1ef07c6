// Shared describer machinery and the small describers. Ported from
// k8s.io/kubectl/pkg/describe/describe.go (release-1.32) unless noted.
#include "kubesim/printers/describe.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "describe_internal.h"
#include "kubesim/printers/duration.h"
#include "kubesim/util/strings.h"

namespace kubesim::printers {
namespace describe_internal {

namespace {

TabWriter::Options DescribeTabOptions() {
  // tabbedString: out.Init(buf, 0, 8, 2, ' ', 0) on the standard
  // text/tabwriter (no RememberWidths).
  TabWriter::Options o;
  o.minwidth = 0;
  o.tabwidth = 8;
  o.padding = 2;
  o.padchar = ' ';
  o.remember_widths = false;
  return o;
}

// cli-runtime printers.WriteEscaped: strings.NewReplacer("\x1b", "^[", "\r", "\\r").
std::string Escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\x1b') {
      out += "^[";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

constexpr int kMaxAnnotationLen = 140;  // maxAnnotationLen

}  // namespace

PrefixWriter::PrefixWriter() : tw_(DescribeTabOptions()) {}

void PrefixWriter::Write(int level, std::string_view text) {
  std::string out = at_line_start_ ? line_prefix_ : std::string();
  out.append(static_cast<size_t>(level) * 2, ' ');
  out += text;
  if (!out.empty()) at_line_start_ = out.back() == '\n';
  tw_.Write(Escape(out));
}

void PrefixWriter::WriteLine(std::string_view text) {
  std::string out = at_line_start_ ? line_prefix_ : std::string();
  out += text;
  out.push_back('\n');
  at_line_start_ = true;
  tw_.Write(Escape(out));
}

void PrefixWriter::Flush() { tw_.Flush(); }

std::string PrefixWriter::Finish() {
  tw_.Flush();
  return tw_.TakeOutput();
}

const Json* Get(const Json& o, std::string_view key) {
  if (!o.is_object()) return nullptr;
  auto it = o.find(key);
  return it == o.end() ? nullptr : &*it;
}

std::string Str(const Json& o, std::string_view key) {
  const Json* v = Get(o, key);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

int64_t Int(const Json& o, std::string_view key) {
  const Json* v = Get(o, key);
  if (!v) return 0;
  if (v->is_number_integer()) return v->get<int64_t>();
  if (v->is_number_float()) return static_cast<int64_t>(v->get<double>());
  return 0;
}

bool Bool(const Json& o, std::string_view key) {
  const Json* v = Get(o, key);
  return v && v->is_boolean() && v->get<bool>();
}

const Json& Arr(const Json& o, std::string_view key) {
  static const Json kEmpty = Json::array();
  const Json* v = Get(o, key);
  return v && v->is_array() ? *v : kEmpty;
}

const Json& Obj(const Json& o, std::string_view key) {
  static const Json kEmpty = Json::object();
  const Json* v = Get(o, key);
  return v && v->is_object() ? *v : kEmpty;
}

std::map<std::string, std::string> StringMap(const Json& o, std::string_view key) {
  std::map<std::string, std::string> m;
  for (const auto& [k, v] : Obj(o, key).items()) {
    if (v.is_string()) m[k] = v.get<std::string>();
  }
  return m;
}

bool TimeAt(const Json& o, std::string_view key, Time* out) {
  const Json* v = Get(o, key);
  return v && v->is_string() && ParseRfc3339(v->get<std::string>(), out);
}

std::string FormatRfc1123z(Time t) {
  using namespace std::chrono;
  static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const weekday wd{day};
  const auto tod = duration_cast<seconds>(t - day).count();
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%s, %02u %s %04d %02lld:%02lld:%02lld +0000",
                kDays[wd.c_encoding()], static_cast<unsigned>(ymd.day()),
                kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                static_cast<long long>(tod / 3600), static_cast<long long>(tod / 60 % 60),
                static_cast<long long>(tod % 60));
  return buf;
}

std::string Rfc1123zAt(const Json& o, std::string_view key) {
  Time t;
  if (!TimeAt(o, key, &t)) return "Mon, 01 Jan 0001 00:00:00 +0000";  // time.Time{}
  return FormatRfc1123z(t);
}

std::string TimestampSinceAt(const Json& o, std::string_view key, Time now) {
  Time t;
  if (!TimeAt(o, key, &t)) return "<unknown>";
  return HumanDuration(now - t);
}

std::string Scalar(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::trunc(d) == d && std::fabs(d) < 9.2e18) {
      return std::to_string(static_cast<int64_t>(d));
    }
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%g", d);
    return buf;
  }
  return "";
}

Quantity ParseQuantityOrZero(const Json& v) {
  if (v.is_string()) {
    auto q = Quantity::Parse(v.get<std::string>());
    if (q.ok()) return *q;
  } else if (v.is_number_integer()) {
    return Quantity::FromValue(v.get<int64_t>(), QuantityFormat::kDecimalSI);
  }
  return Quantity();
}

std::string QuantityString(const Json& v) {
  if (v.is_string()) {
    auto q = Quantity::Parse(v.get<std::string>());
    return q.ok() ? q->String() : v.get<std::string>();
  }
  return ParseQuantityOrZero(v).String();
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

void PrintLabelsMultiline(PrefixWriter& w, const std::string& title,
                          const std::map<std::string, std::string>& labels,
                          const std::string& initial_indent, const std::string& inner_indent) {
  // printLabelsMultilineWithIndent; std::map iterates in sort.Strings order.
  w.Write(kLevel0, initial_indent + title + ":" + inner_indent);
  if (labels.empty()) {
    w.WriteLine("<none>");
    return;
  }
  bool first = true;
  for (const auto& [key, value] : labels) {
    if (!first) {
      w.Write(kLevel0, initial_indent);
      w.Write(kLevel0, inner_indent);
    }
    first = false;
    w.Write(kLevel0, key + "=" + value + "\n");
  }
}

void PrintAnnotationsMultiline(PrefixWriter& w, const std::string& title,
                               const std::map<std::string, std::string>& annotations) {
  w.Write(kLevel0, title + ":\t");
  std::vector<std::string> keys;
  for (const auto& [key, value] : annotations) {
    if (key == "kubectl.kubernetes.io/last-applied-configuration") continue;  // skipAnnotations
    keys.push_back(key);
  }
  if (keys.empty()) {
    w.WriteLine("<none>");
    return;
  }
  const std::string indent = "\t";
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::string& key = keys[i];
    if (i != 0) w.Write(kLevel0, indent);
    std::string value = annotations.at(key);
    if (!value.empty() && value.back() == '\n') value.pop_back();  // strings.TrimSuffix
    if (value.size() + key.size() + 2 > static_cast<size_t>(kMaxAnnotationLen) ||
        value.find('\n') != std::string::npos) {
      w.Write(kLevel0, key + ":\n");
      size_t start = 0;
      for (;;) {
        size_t nl = value.find('\n', start);
        std::string line = value.substr(start, nl == std::string::npos ? nl : nl - start);
        // shorten(s, maxAnnotationLen-2): byte length, as Go's len().
        if (line.size() > static_cast<size_t>(kMaxAnnotationLen - 2)) {
          line.resize(kMaxAnnotationLen - 2);
          line += "...";
        }
        std::string text = indent;  // indent + "  " + line + "\n"
        text.append("  ").append(line).push_back('\n');
        w.Write(kLevel0, text);
        if (nl == std::string::npos) break;
        start = nl + 1;
      }
    } else {
      w.Write(kLevel0, key + ": " + value + "\n");
    }
  }
}

namespace {

// kubectl/pkg/util/event SortableEvents (release-1.32): ordered by
// lastTimestamp alone (a missing one is Go's zero time, which sorts first).
Time EventSortTime(const Json& e) {
  Time t;
  if (TimeAt(e, "lastTimestamp", &t)) return t;
  return Time(std::chrono::seconds(-62135596800));  // 0001-01-01T00:00:00Z
}

}  // namespace

void DescribeEvents(const std::vector<Json>& input, PrefixWriter& w, Time now) {
  if (input.empty()) {
    w.Write(kLevel0, "Events:\t<none>\n");
    return;
  }
  w.Flush();
  std::vector<std::pair<Time, const Json*>> events;
  events.reserve(input.size());
  for (const Json& e : input) events.emplace_back(EventSortTime(e), &e);
  GoSort(events, [](const auto& a, const auto& b) { return a.first < b.first; });
  w.Write(kLevel0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
  w.Write(kLevel1, "----\t------\t----\t----\t-------\n");
  for (const auto& [unused, ep] : events) {
    const Json& e = *ep;
    Time event_time;
    std::string first_since = TimestampSinceAt(e, "eventTime", now);
    if (!TimeAt(e, "eventTime", &event_time)) {
      first_since = TimestampSinceAt(e, "firstTimestamp", now);
    }
    std::string interval;
    const Json* series = Get(e, "series");
    if (series && series->is_object()) {
      interval = TimestampSinceAt(*series, "lastObservedTime", now) + " (x" +
                 std::to_string(Int(*series, "count")) + " over " + first_since + ")";
    } else if (Int(e, "count") > 1) {
      interval = TimestampSinceAt(e, "lastTimestamp", now) + " (x" +
                 std::to_string(Int(e, "count")) + " over " + first_since + ")";
    } else {
      interval = first_since;
    }
    std::string source = Str(Obj(e, "source"), "component");
    if (source.empty()) source = Str(e, "reportingComponent");  // ReportingController
    w.Write(kLevel1, Str(e, "type") + "\t" + Str(e, "reason") + "\t" + interval + "\t" + source +
                         "\t" + TrimSpace(Str(e, "message")) + "\n");
  }
}

std::vector<std::string> SortedResourceNames(const Json& list) {
  std::vector<std::string> names;
  if (list.is_object()) {
    for (const auto& [k, v] : list.items()) names.push_back(k);
  }
  std::sort(names.begin(), names.end());
  return names;
}

void DescribeResources(const Json& resources, PrefixWriter& w, int level) {
  const Json& limits = Obj(resources, "limits");
  const Json& requests = Obj(resources, "requests");
  if (!limits.empty()) w.Write(level, "Limits:\n");
  for (const auto& name : SortedResourceNames(limits)) {
    w.Write(level + 1, name + ":\t" + QuantityString(limits[name]) + "\n");
  }
  if (!requests.empty()) w.Write(level, "Requests:\n");
  for (const auto& name : SortedResourceNames(requests)) {
    w.Write(level + 1, name + ":\t" + QuantityString(requests[name]) + "\n");
  }
}

}  // namespace describe_internal

using namespace describe_internal;

std::string DescribeNamespace(const nlohmann::json& ns) {
  // describeNamespace with resourceQuotaList == nil and limitRangeList ==
  // nil (the server answers NotFound for both lists).
  PrefixWriter w;
  const Json& meta = Obj(ns, "metadata");
  w.Write(kLevel0, "Name:\t" + Str(meta, "name") + "\n");
  PrintLabelsMultiline(w, "Labels", StringMap(meta, "labels"));
  PrintAnnotationsMultiline(w, "Annotations", StringMap(meta, "annotations"));
  const Json& status = Obj(ns, "status");
  w.Write(kLevel0, "Status:\t" + Str(status, "phase") + "\n");
  const Json& conditions = Arr(status, "conditions");
  if (!conditions.empty()) {
    w.Write(kLevel0, "Conditions:\n");
    w.Write(kLevel1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n");
    w.Write(kLevel1, "----\t------\t------------------\t------\t-------\n");
    for (const Json& c : conditions) {
      w.Write(kLevel1, Str(c, "type") + "\t" + Str(c, "status") + "\t" +
                           Rfc1123zAt(c, "lastTransitionTime") + "\t" + Str(c, "reason") + "\t" +
                           Str(c, "message") + "\n");
    }
  }
  return w.Finish();
}

std::string DescribePodNotFoundEvents(const std::string& name, const std::string& error,
                                      const std::vector<nlohmann::json>& events, Time now) {
  PrefixWriter w;
  w.Write(kLevel0, "Pod '" + name + "': error '" + error + "', but found events.\n");
  DescribeEvents(events, w, now);
  return w.Finish();
}

std::string EventFieldSelector(const std::string& name, const std::string& ns,
                               const std::string& kind, const std::string& uid) {
  // fields.EscapeValue: \ -> \\, , -> \,, = -> \=.
  auto escape = [](const std::string& v) {
    std::string out;
    for (char c : v) {
      if (c == '\\' || c == ',' || c == '=') out.push_back('\\');
      out.push_back(c);
    }
    return out;
  };
  std::string s = "involvedObject.name=" + escape(name) + ",involvedObject.namespace=" + escape(ns);
  if (!kind.empty()) s += ",involvedObject.kind=" + escape(kind);
  if (!uid.empty()) s += ",involvedObject.uid=" + escape(uid);
  return s;
}

}  // namespace kubesim::printers
