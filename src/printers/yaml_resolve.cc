#include "kubesim/printers/yaml_resolve.h"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>

namespace kubesim::printers {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char Lower(char c) { return static_cast<char>(c | ('x' - 'X')); }

enum class NumErr { kOk, kSyntax, kRange };

// strconv.ParseUint(s, 0, 64) on a string without underscores.
NumErr GoParseUint0(std::string_view s, uint64_t* out) {
  if (s.empty()) return NumErr::kSyntax;
  unsigned base = 10;
  if (s[0] == '0') {
    if (s.size() >= 3 && Lower(s[1]) == 'b') {
      base = 2;
      s.remove_prefix(2);
    } else if (s.size() >= 3 && Lower(s[1]) == 'o') {
      base = 8;
      s.remove_prefix(2);
    } else if (s.size() >= 3 && Lower(s[1]) == 'x') {
      base = 16;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
    }
  }
  uint64_t n = 0;
  bool range = false;
  for (char c : s) {
    unsigned d;
    if (IsDigit(c)) {
      d = static_cast<unsigned>(c - '0');
    } else if (Lower(c) >= 'a' && Lower(c) <= 'z') {
      d = static_cast<unsigned>(Lower(c) - 'a' + 10);
    } else {
      return NumErr::kSyntax;
    }
    if (d >= base) return NumErr::kSyntax;
    if (range) continue;
    if (n > (std::numeric_limits<uint64_t>::max() - d) / base) {
      range = true;
      continue;
    }
    n = n * base + d;
  }
  if (range) return NumErr::kRange;
  *out = n;
  return NumErr::kOk;
}

// strconv.ParseInt(s, 0, 64).
NumErr GoParseInt0(std::string_view s, int64_t* out) {
  if (s.empty()) return NumErr::kSyntax;
  bool neg = false;
  if (s[0] == '+') {
    s.remove_prefix(1);
  } else if (s[0] == '-') {
    neg = true;
    s.remove_prefix(1);
  }
  uint64_t un = 0;
  NumErr e = GoParseUint0(s, &un);
  if (e != NumErr::kOk) return e;
  constexpr uint64_t kCutoff = uint64_t{1} << 63;
  if (!neg && un >= kCutoff) return NumErr::kRange;
  if (neg && un > kCutoff) return NumErr::kRange;
  *out = neg ? static_cast<int64_t>(0 - un) : static_cast<int64_t>(un);
  return NumErr::kOk;
}

// ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ (resolve.go yamlStyleFloat)
bool MatchYamlStyleFloat(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t start = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    if (i == start) return false;
  } else {
    size_t start = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    if (i == start) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && IsDigit(s[i])) ++i;
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t start = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    if (i == start) return false;
  }
  return i == s.size();
}

// strconv.ParseFloat(s, 64) for text already known to be a plain decimal
// float: fails (like Go's ErrRange) when the value overflows.
bool GoParseDecimalFloat(std::string_view s, double* out) {
  std::string buf(s);
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(buf.c_str(), &end);
  if (end != buf.c_str() + buf.size()) return false;
  if (std::isinf(v)) return false;
  *out = v;
  return true;
}

// A big.Int literal (base prefix allowed) as a float approximation.
bool ParseBigIntAsFloat(std::string_view s, double* out) {
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return false;
  unsigned base = 10;
  if (s.size() >= 3 && s[0] == '0' && Lower(s[1]) == 'x') {
    base = 16;
    s.remove_prefix(2);
  } else if (s.size() >= 3 && s[0] == '0' && Lower(s[1]) == 'b') {
    base = 2;
    s.remove_prefix(2);
  } else if (s.size() >= 3 && s[0] == '0' && Lower(s[1]) == 'o') {
    base = 8;
    s.remove_prefix(2);
  } else if (s.size() >= 2 && s[0] == '0') {
    base = 8;
    s.remove_prefix(1);
  }
  long double v = 0;
  for (char c : s) {
    unsigned d;
    if (IsDigit(c)) {
      d = static_cast<unsigned>(c - '0');
    } else if (Lower(c) >= 'a' && Lower(c) <= 'f') {
      d = static_cast<unsigned>(Lower(c) - 'a' + 10);
    } else {
      return false;
    }
    if (d >= base) return false;
    v = v * base + d;
  }
  *out = static_cast<double>(neg ? -v : v);
  return true;
}

// getnum from Go's time/format.go.
bool GetNum(std::string_view* s, bool fixed, int* out) {
  if (s->empty() || !IsDigit((*s)[0])) return false;
  if (s->size() < 2 || !IsDigit((*s)[1])) {
    if (fixed) return false;
    *out = (*s)[0] - '0';
    s->remove_prefix(1);
    return true;
  }
  *out = ((*s)[0] - '0') * 10 + ((*s)[1] - '0');
  s->remove_prefix(2);
  return true;
}

int DaysIn(int month, int year) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) return 29;
  return kDays[month - 1];
}

// time.Parse with layout "2006-1-2" followed (when sep != 0) by
// sep + "15:4:5.999999999" and, when zone, "Z07:00".
bool ParseTimestampLayout(std::string_view s, char sep, bool zone) {
  // stdLongYear
  if (s.size() < 4) return false;
  for (int i = 0; i < 4; ++i) {
    if (!IsDigit(s[i])) return false;
  }
  int year = std::atoi(std::string(s.substr(0, 4)).c_str());
  s.remove_prefix(4);
  int month, day;
  if (s.empty() || s[0] != '-') return false;
  s.remove_prefix(1);
  if (!GetNum(&s, false, &month) || month < 1 || month > 12) return false;
  if (s.empty() || s[0] != '-') return false;
  s.remove_prefix(1);
  if (!GetNum(&s, false, &day) || day < 0 || day > 31) return false;
  if (sep != 0) {
    if (s.empty() || s[0] != sep) return false;
    s.remove_prefix(1);
    int hour, minute, second;
    if (!GetNum(&s, false, &hour) || hour < 0 || hour >= 24) return false;
    if (s.empty() || s[0] != ':') return false;
    s.remove_prefix(1);
    if (!GetNum(&s, false, &minute) || minute < 0 || minute >= 60) return false;
    if (s.empty() || s[0] != ':') return false;
    s.remove_prefix(1);
    if (!GetNum(&s, false, &second) || second < 0 || second >= 60) return false;
    // stdFracSecond9: optional; a period or comma then digits.
    if (s.size() >= 2 && (s[0] == '.' || s[0] == ',') && IsDigit(s[1])) {
      size_t i = 1;
      while (i < s.size() && IsDigit(s[i])) ++i;
      s.remove_prefix(i);
    }
    if (zone) {
      // stdISO8601ColonTZ
      if (!s.empty() && s[0] == 'Z') {
        s.remove_prefix(1);
      } else {
        if (s.size() < 6 || s[3] != ':') return false;
        if (s[0] != '+' && s[0] != '-') return false;
        std::string_view hh = s.substr(1, 2), mm = s.substr(4, 2);
        int zh, zm;
        if (!GetNum(&hh, true, &zh) || !GetNum(&mm, true, &zm)) return false;
        if (zh > 24 || zm > 60) return false;
        s.remove_prefix(6);
      }
    }
  }
  if (!s.empty()) return false;  // extra text
  return day >= 1 && day <= DaysIn(month, year);
}

}  // namespace

// resolve.go parseTimestamp.
bool IsYamlTimestamp(std::string_view s) {
  // Quick check: all date formats start with YYYY-.
  size_t i = 0;
  for (; i < s.size(); ++i) {
    if (!IsDigit(s[i])) break;
  }
  if (i != 4 || i == s.size() || s[i] != '-') return false;
  return ParseTimestampLayout(s, 'T', true) || ParseTimestampLayout(s, 't', true) ||
         ParseTimestampLayout(s, ' ', false) || ParseTimestampLayout(s, 0, false);
}

// encode.go isBase60Float and its regexp
// ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
bool IsYamlBase60Float(std::string_view s) {
  if (s.empty()) return false;
  char c = s[0];
  if (!(c == '+' || c == '-' || IsDigit(c)) || s.find(':') == std::string_view::npos) return false;
  size_t i = 0;
  if (s[i] == '+' || s[i] == '-') ++i;
  if (i >= s.size() || !IsDigit(s[i])) return false;
  ++i;
  while (i < s.size() && (IsDigit(s[i]) || s[i] == '_')) ++i;
  int groups = 0;
  while (i < s.size() && s[i] == ':') {
    ++i;
    size_t start = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    size_t run = i - start;
    if (run == 1 || (run == 2 && s[start] <= '5')) {
      ++groups;
    } else {
      return false;
    }
  }
  if (groups == 0) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && (IsDigit(s[i]) || s[i] == '_')) ++i;
  }
  return i == s.size();
}

// resolve.go resolve("", in).
YamlResolved ResolvePlainScalar(std::string_view in) {
  YamlResolved r;
  auto str = [&]() {
    r.tag = YamlTag::kStr;
    r.value = std::string(in);
    return r;
  };
  // resolveTable hints: 'S' sign, 'D' digit, 'M' in map, '.' float.
  char hint = 'N';  // "" is looked up in the map (null)
  if (!in.empty()) {
    char c = in[0];
    if (c == '+' || c == '-') {
      hint = 'S';
    } else if (IsDigit(c)) {
      hint = 'D';
    } else if (std::string_view("yYnNtTfFoO~").find(c) != std::string_view::npos) {
      hint = 'M';
    } else if (c == '.') {
      hint = '.';
    } else {
      hint = 0;
    }
  }
  if (hint == 0) return str();

  // Handle things we can lookup in a map (resolveMapList).
  static const struct {
    const char* s;
    YamlTag tag;
    int v;  // 1 true, 0 false, 2 NaN, 3 +Inf, 4 -Inf, -1 null
  } kMap[] = {
      {"y", YamlTag::kBool, 1},      {"Y", YamlTag::kBool, 1},      {"yes", YamlTag::kBool, 1},
      {"Yes", YamlTag::kBool, 1},    {"YES", YamlTag::kBool, 1},    {"true", YamlTag::kBool, 1},
      {"True", YamlTag::kBool, 1},   {"TRUE", YamlTag::kBool, 1},   {"on", YamlTag::kBool, 1},
      {"On", YamlTag::kBool, 1},     {"ON", YamlTag::kBool, 1},     {"n", YamlTag::kBool, 0},
      {"N", YamlTag::kBool, 0},      {"no", YamlTag::kBool, 0},     {"No", YamlTag::kBool, 0},
      {"NO", YamlTag::kBool, 0},     {"false", YamlTag::kBool, 0},  {"False", YamlTag::kBool, 0},
      {"FALSE", YamlTag::kBool, 0},  {"off", YamlTag::kBool, 0},    {"Off", YamlTag::kBool, 0},
      {"OFF", YamlTag::kBool, 0},    {"", YamlTag::kNull, -1},      {"~", YamlTag::kNull, -1},
      {"null", YamlTag::kNull, -1},  {"Null", YamlTag::kNull, -1},  {"NULL", YamlTag::kNull, -1},
      {".nan", YamlTag::kFloat, 2},  {".NaN", YamlTag::kFloat, 2},  {".NAN", YamlTag::kFloat, 2},
      {".inf", YamlTag::kFloat, 3},  {".Inf", YamlTag::kFloat, 3},  {".INF", YamlTag::kFloat, 3},
      {"+.inf", YamlTag::kFloat, 3}, {"+.Inf", YamlTag::kFloat, 3}, {"+.INF", YamlTag::kFloat, 3},
      {"-.inf", YamlTag::kFloat, 4}, {"-.Inf", YamlTag::kFloat, 4}, {"-.INF", YamlTag::kFloat, 4},
      // resolve.go also maps "<<" to the merge tag, but '<' has no hint in
      // resolveTable, so resolve() never reaches the map for it: "<<" is a
      // plain string (the decoder recognizes merge keys by their text).
  };
  for (const auto& e : kMap) {
    if (in == e.s) {
      r.tag = e.tag;
      switch (e.v) {
        case 1:
          r.value = true;
          break;
        case 0:
          r.value = false;
          break;
        case 2:
          r.value = std::numeric_limits<double>::quiet_NaN();
          break;
        case 3:
          r.value = std::numeric_limits<double>::infinity();
          break;
        case 4:
          r.value = -std::numeric_limits<double>::infinity();
          break;
        default:
          r.value = nullptr;
      }
      return r;
    }
  }

  switch (hint) {
    case 'M':
      // We've already checked the map above.
      break;
    case '.': {
      // Not in the map, so maybe a normal float.
      double f;
      if (MatchYamlStyleFloat(in) && GoParseDecimalFloat(in, &f)) {
        r.tag = YamlTag::kFloat;
        r.value = f;
        return r;
      }
      break;
    }
    case 'D':
    case 'S': {
      // Int, float, or timestamp.
      if (IsYamlTimestamp(in)) {
        // go-yaml v2 decodes timestamps into interface{} as strings.
        r.tag = YamlTag::kTimestamp;
        r.value = std::string(in);
        return r;
      }
      std::string plain;
      for (char c : in) {
        if (c != '_') plain.push_back(c);
      }
      int64_t iv;
      NumErr ie = GoParseInt0(plain, &iv);
      if (ie == NumErr::kOk) {
        r.tag = YamlTag::kInt;
        r.value = iv;
        return r;
      }
      uint64_t uv;
      NumErr ue = GoParseUint0(plain, &uv);
      if (ue == NumErr::kOk) {
        r.tag = YamlTag::kInt;
        r.value = uv;
        return r;
      }
      double f;
      if (MatchYamlStyleFloat(plain) && GoParseDecimalFloat(plain, &f)) {
        r.tag = YamlTag::kFloat;
        r.value = f;
        return r;
      }
      // (The 0b/-0b branches of resolve.go are covered by ParseInt base 0.)
      // If number out of range and doesn't fit any of the other cases,
      // check if it's valid for bigger than 64 bits.
      if (ue == NumErr::kRange && ParseBigIntAsFloat(plain, &f)) {
        r.tag = YamlTag::kInt;
        r.value = f;
        return r;
      }
      break;
    }
    default:
      break;
  }
  return str();
}

}  // namespace kubesim::printers
