#include "kubesim/printers/go_format.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace kubesim::printers {

namespace {

// Shortest decimal digits of a float: value = 0.d1d2d3... * 10^dp, the
// same decomposition as Go's strconv decimalSlice (digs.d, digs.nd, digs.dp).
struct Digits {
  bool neg = false;
  std::string d;  // significant digits, no leading/trailing zeros ("" for 0)
  int dp = 0;     // decimal point position
};

Digits ShortestDigits(double v, int bit_size) {
  Digits out;
  char buf[64];
  std::to_chars_result r;
  if (bit_size == 32) {
    r = std::to_chars(buf, buf + sizeof(buf), static_cast<float>(v), std::chars_format::scientific);
  } else {
    r = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  }
  std::string s(buf, r.ptr);  // "-1.2345e+06"
  size_t i = 0;
  if (s[i] == '-') {
    out.neg = true;
    ++i;
  }
  size_t e = s.find('e');
  std::string mant = s.substr(i, e - i);
  int exp = std::atoi(s.c_str() + e + 1);
  for (char c : mant) {
    if (c != '.') out.d.push_back(c);
  }
  // Trim trailing zeros (to_chars' shortest output has none except "0").
  while (!out.d.empty() && out.d.back() == '0') out.d.pop_back();
  if (out.d.empty()) {
    out.dp = 0;  // zero: Go has nd == 0, dp == 0
  } else {
    out.dp = exp + 1;
  }
  return out;
}

// strconv/ftoa.go fmtE with prec digits after the point.
std::string FmtE(const Digits& digs, int prec, char fmt) {
  std::string out;
  if (digs.neg) out.push_back('-');
  int nd = static_cast<int>(digs.d.size());
  out.push_back(nd == 0 ? '0' : digs.d[0]);
  if (prec > 0) {
    out.push_back('.');
    int i = 1;
    int m = std::min(nd, prec + 1);
    if (i < m) {
      out.append(digs.d, i, m - i);
      i = m;
    }
    for (; i <= prec; ++i) out.push_back('0');
  }
  out.push_back(fmt);
  int exp = digs.dp - 1;
  if (nd == 0) exp = 0;  // zero
  if (exp < 0) {
    out.push_back('-');
    exp = -exp;
  } else {
    out.push_back('+');
  }
  if (exp < 10) {
    out.push_back('0');
    out.push_back(static_cast<char>('0' + exp));
  } else {
    out.append(std::to_string(exp));
  }
  return out;
}

// strconv/ftoa.go fmtF with prec digits after the point.
std::string FmtF(const Digits& digs, int prec) {
  std::string out;
  if (digs.neg) out.push_back('-');
  int nd = static_cast<int>(digs.d.size());
  if (digs.dp > 0) {
    int m = std::min(nd, digs.dp);
    out.append(digs.d, 0, m);
    for (; m < digs.dp; ++m) out.push_back('0');
  } else {
    out.push_back('0');
  }
  if (prec > 0) {
    out.push_back('.');
    for (int i = 1; i <= prec; ++i) {
      int j = digs.dp + i - 1;
      out.push_back(j >= 0 && j < nd ? digs.d[j] : '0');
    }
  }
  return out;
}

}  // namespace

// strconv.FormatFloat with precision -1 (ftoa.go formatDigits, shortest).
std::string GoFormatFloat(double v, char fmt, int bit_size) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  Digits digs = ShortestDigits(v, bit_size);
  int nd = static_cast<int>(digs.d.size());
  switch (fmt) {
    case 'e':
    case 'E':
      return FmtE(digs, nd - 1, fmt);
    case 'f':
      return FmtF(digs, std::max(nd - digs.dp, 0));
    default: {
      // 'g': "if precision was the shortest possible, use precision 6 for
      // this decision" (ftoa.go).
      int eprec = 6;
      int exp = digs.dp - 1;
      if (nd == 0) exp = 0;
      if (exp < -4 || exp >= eprec) {
        return FmtE(digs, nd - 1, fmt == 'G' ? 'E' : 'e');
      }
      return FmtF(digs, std::max(nd - digs.dp, 0));
    }
  }
}

// encoding/json/encode.go floatEncoder.encode.
std::string GoJsonFloat(double v) {
  double abs = std::fabs(v);
  char fmt = 'f';
  if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) fmt = 'e';
  std::string b = GoFormatFloat(v, fmt, 64);
  if (fmt == 'e') {
    // clean up e-09 to e-9
    size_t n = b.size();
    if (n >= 4 && b[n - 4] == 'e' && b[n - 3] == '-' && b[n - 2] == '0') {
      b.erase(n - 2, 1);
    }
  }
  return b;
}

char32_t DecodeRune(std::string_view s, size_t i, size_t* width) {
  auto c0 = static_cast<unsigned char>(s[i]);
  auto cont = [&](size_t k) -> int {
    if (i + k >= s.size()) return -1;
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return -1;
    return c & 0x3F;
  };
  *width = 1;
  if (c0 < 0x80) return c0;
  if (c0 >= 0xC2 && c0 <= 0xDF) {
    int c1 = cont(1);
    if (c1 < 0) return 0xFFFD;
    *width = 2;
    return (static_cast<char32_t>(c0 & 0x1F) << 6) | c1;
  }
  if (c0 >= 0xE0 && c0 <= 0xEF) {
    int c1 = cont(1), c2 = cont(2);
    if (c1 < 0 || c2 < 0) return 0xFFFD;
    char32_t r = (static_cast<char32_t>(c0 & 0x0F) << 12) | (c1 << 6) | c2;
    if (r < 0x800 || (r >= 0xD800 && r <= 0xDFFF)) return 0xFFFD;
    *width = 3;
    return r;
  }
  if (c0 >= 0xF0 && c0 <= 0xF4) {
    int c1 = cont(1), c2 = cont(2), c3 = cont(3);
    if (c1 < 0 || c2 < 0 || c3 < 0) return 0xFFFD;
    char32_t r = (static_cast<char32_t>(c0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
    if (r < 0x10000 || r > 0x10FFFF) return 0xFFFD;
    *width = 4;
    return r;
  }
  return 0xFFFD;
}

void AppendRune(char32_t r, std::string* out) {
  if (r < 0x80) {
    out->push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (r >> 6)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (r >> 12)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (r >> 18)));
    out->push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

std::string GoSanitizeUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t w;
    char32_t r = DecodeRune(s, i, &w);
    if (r == 0xFFFD && w == 1) {
      AppendRune(0xFFFD, &out);
    } else {
      out.append(s.substr(i, w));
    }
    i += w;
  }
  return out;
}

// strconv/quote.go appendQuotedWith(quote='"', ASCIIonly=false,
// graphicOnly=false). Non-ASCII runes are treated as printable, which
// holds for letters and most symbols.
std::string GoQuote(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    size_t w;
    char32_t r = DecodeRune(s, i, &w);
    if (r == 0xFFFD && w == 1) {
      auto b = static_cast<unsigned char>(s[i]);
      out += "\\x";
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0xF]);
      i += 1;
      continue;
    }
    i += w;
    if (r == '"' || r == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(r));
      continue;
    }
    if (r >= 0x20 && r < 0x7F) {
      out.push_back(static_cast<char>(r));
      continue;
    }
    if (r >= 0xA0 && r != 0xAD && !(r >= 0x2028 && r <= 0x2029) && r != 0xFEFF) {
      AppendRune(r, &out);
      continue;
    }
    switch (r) {
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\v':
        out += "\\v";
        break;
      default:
        if (r < 0x20 || r == 0x7F) {
          out += "\\x";
          out.push_back(kHex[(r >> 4) & 0xF]);
          out.push_back(kHex[r & 0xF]);
        } else if (r < 0x10000) {
          out += "\\u";
          for (int k = 12; k >= 0; k -= 4) out.push_back(kHex[(r >> k) & 0xF]);
        } else {
          out += "\\U";
          for (int k = 28; k >= 0; k -= 4) out.push_back(kHex[(r >> k) & 0xF]);
        }
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace kubesim::printers
