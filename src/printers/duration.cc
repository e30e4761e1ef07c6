#include "kubesim/printers/duration.h"

#include <cstdint>
#include <string>

#include "kubesim/printers/go_format.h"

namespace kubesim::printers {

namespace {

constexpr int64_t kNanosecond = 1;
constexpr int64_t kMicrosecond = 1000 * kNanosecond;
constexpr int64_t kMillisecond = 1000 * kMicrosecond;
constexpr int64_t kSecond = 1000 * kMillisecond;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;

std::string Itoa(int64_t v) { return std::to_string(v); }

}  // namespace

// Copied from k8s.io/apimachinery/pkg/util/duration/duration.go
// ShortHumanDuration. int(d.Seconds()) truncates toward zero, which integer
// division of the nanosecond count also does.
std::string ShortHumanDuration(Duration d) {
  int64_t ns = d.count();
  int64_t seconds = ns / kSecond;
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60) return Itoa(seconds) + "s";
  int64_t minutes = ns / kMinute;
  if (minutes < 60) return Itoa(minutes) + "m";
  int64_t hours = ns / kHour;
  if (hours < 24) return Itoa(hours) + "h";
  if (hours < 24 * 365) return Itoa(hours / 24) + "d";
  return Itoa(hours / 24 / 365) + "y";
}

// Copied from k8s.io/apimachinery/pkg/util/duration/duration.go
// HumanDuration.
std::string HumanDuration(Duration d) {
  int64_t ns = d.count();
  int64_t seconds = ns / kSecond;
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return Itoa(seconds) + "s";
  int64_t minutes = ns / kMinute;
  if (minutes < 10) {
    int64_t s = (ns / kSecond) % 60;
    if (s == 0) return Itoa(minutes) + "m";
    return Itoa(minutes) + "m" + Itoa(s) + "s";
  } else if (minutes < 60 * 3) {
    return Itoa(minutes) + "m";
  }
  int64_t hours = ns / kHour;
  if (hours < 8) {
    int64_t m = (ns / kMinute) % 60;
    if (m == 0) return Itoa(hours) + "h";
    return Itoa(hours) + "h" + Itoa(m) + "m";
  } else if (hours < 48) {
    return Itoa(hours) + "h";
  } else if (hours < 24 * 8) {
    int64_t h = hours % 24;
    if (h == 0) return Itoa(hours / 24) + "d";
    return Itoa(hours / 24) + "d" + Itoa(h) + "h";
  } else if (hours < 24 * 365 * 2) {
    return Itoa(hours / 24) + "d";
  } else if (hours < 24 * 365 * 8) {
    int64_t dy = (hours / 24) % 365;
    if (dy == 0) return Itoa(hours / 24 / 365) + "y";
    return Itoa(hours / 24 / 365) + "y" + Itoa(dy) + "d";
  }
  return Itoa(hours / 24 / 365) + "y";
}

// Port of Go's time.ParseDuration (src/time/format.go).
StatusOr<Duration> ParseGoDuration(const std::string& orig) {
  auto invalid = [&]() { return Status::BadRequest("time: invalid duration " + GoQuote(orig)); };
  std::string_view s = orig;
  uint64_t d = 0;
  bool neg = false;
  constexpr uint64_t kMax = uint64_t{1} << 63;

  // Consume [-+]?
  if (!s.empty()) {
    char c = s[0];
    if (c == '-' || c == '+') {
      neg = c == '-';
      s.remove_prefix(1);
    }
  }
  // Special case: if all that is left is "0", this is zero.
  if (s == "0") return Duration(0);
  if (s.empty()) return invalid();
  while (!s.empty()) {
    uint64_t v = 0, f = 0;  // integers before, after decimal point
    double scale = 1;       // value = v + f/scale

    // The next character must be [0-9.]
    if (!(s[0] == '.' || ('0' <= s[0] && s[0] <= '9'))) return invalid();
    // Consume [0-9]* (leadingInt).
    size_t pl = s.size();
    {
      size_t i = 0;
      for (; i < s.size(); ++i) {
        char c = s[i];
        if (c < '0' || c > '9') break;
        if (v > kMax / 10) return invalid();  // overflow
        v = v * 10 + static_cast<uint64_t>(c - '0');
        if (v > kMax) return invalid();
      }
      s.remove_prefix(i);
    }
    bool pre = pl != s.size();  // whether we consumed anything before a period

    // Consume (\.[0-9]*)?
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      size_t pl2 = s.size();
      // leadingFraction
      size_t i = 0;
      bool overflow = false;
      for (; i < s.size(); ++i) {
        char c = s[i];
        if (c < '0' || c > '9') break;
        if (overflow) continue;
        if (f > (kMax - 1) / 10) {
          overflow = true;
          continue;
        }
        uint64_t y = f * 10 + static_cast<uint64_t>(c - '0');
        if (y > kMax) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      s.remove_prefix(i);
      post = pl2 != s.size();
    }
    if (!pre && !post) return invalid();  // no digits (e.g. ".s" or "-.s")

    // Consume unit.
    size_t i = 0;
    for (; i < s.size(); ++i) {
      char c = s[i];
      if (c == '.' || ('0' <= c && c <= '9')) break;
    }
    if (i == 0) return Status::BadRequest("time: missing unit in duration " + GoQuote(orig));
    std::string u(s.substr(0, i));
    s.remove_prefix(i);
    uint64_t unit;
    if (u == "ns") {
      unit = kNanosecond;
    } else if (u == "us" || u == "\xC2\xB5s" || u == "\xCE\xBCs") {  // µs (U+00B5), μs (U+03BC)
      unit = kMicrosecond;
    } else if (u == "ms") {
      unit = kMillisecond;
    } else if (u == "s") {
      unit = kSecond;
    } else if (u == "m") {
      unit = kMinute;
    } else if (u == "h") {
      unit = kHour;
    } else {
      return Status::BadRequest("time: unknown unit " + GoQuote(u) + " in duration " +
                                GoQuote(orig));
    }
    if (v > kMax / unit) return invalid();  // overflow
    v *= unit;
    if (f > 0) {
      // float64 is needed to be nanosecond accurate for fractions of hours.
      v += static_cast<uint64_t>(static_cast<double>(f) * (static_cast<double>(unit) / scale));
      if (v > kMax) return invalid();
    }
    d += v;
    if (d > kMax) return invalid();
  }
  if (neg) return Duration(static_cast<int64_t>(0 - d));
  if (d > kMax - 1) return invalid();
  return Duration(static_cast<int64_t>(d));
}

// Port of Go's time.Duration.String (src/time/time.go).
std::string GoDurationString(Duration dur) {
  int64_t d = dur.count();
  uint64_t u = static_cast<uint64_t>(d);
  bool neg = d < 0;
  if (neg) u = 0 - u;
  // fmtFrac formats the fraction of v/10**prec omitting trailing zeros and
  // the point itself when the fraction is 0; returns v/10**prec.
  auto frac = [](uint64_t v, int prec, std::string* tail) {
    std::string digits;
    bool print = false;
    for (int i = 0; i < prec; ++i) {
      int digit = static_cast<int>(v % 10);
      print = print || digit != 0;
      if (print) digits.insert(digits.begin(), static_cast<char>('0' + digit));
      v /= 10;
    }
    if (print) *tail = "." + digits + *tail;
    return v;
  };
  std::string out;
  if (u < static_cast<uint64_t>(kSecond)) {
    std::string unit;
    int prec;
    if (u == 0) return "0s";
    if (u < static_cast<uint64_t>(kMicrosecond)) {
      prec = 0;
      unit = "ns";
    } else if (u < static_cast<uint64_t>(kMillisecond)) {
      prec = 3;
      unit = "\xC2\xB5s";  // U+00B5 'µ'
    } else {
      prec = 6;
      unit = "ms";
    }
    std::string tail = unit;
    u = frac(u, prec, &tail);
    out = std::to_string(u) + tail;
  } else {
    std::string tail = "s";
    u = frac(u, 9, &tail);
    // u is now integer seconds
    out = std::to_string(u % 60) + tail;
    u /= 60;
    // u is now integer minutes
    if (u > 0) {
      out = std::to_string(u % 60) + "m" + out;
      u /= 60;
      // u is now integer hours; stop at hours because days can be different lengths.
      if (u > 0) out = std::to_string(u) + "h" + out;
    }
  }
  if (neg) out = "-" + out;
  return out;
}

}  // namespace kubesim::printers
