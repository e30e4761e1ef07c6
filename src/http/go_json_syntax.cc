// GoJsonSyntaxError and SummarizeData (go_json_syntax.h): a port of Go's
// encoding/json/scanner.go states and their error contexts.
#include "go_json_syntax.h"

#include <cstdio>
#include <vector>

namespace kubesim::http {
namespace {

enum class State {
  kBeginValueOrEmpty,
  kBeginValue,
  kBeginStringOrEmpty,
  kBeginString,
  kEndValue,
  kEndTop,
  kInString,
  kInStringEsc,
  kInStringEscU,
  kInStringEscU1,
  kInStringEscU12,
  kInStringEscU123,
  kNeg,
  k1,
  k0,
  kDot,
  kDot0,
  kE,
  kESign,
  kE0,
  kT,
  kTr,
  kTru,
  kF,
  kFa,
  kFal,
  kFals,
  kN,
  kNu,
  kNul,
};

enum class Parse { kObjectKey, kObjectValue, kArrayValue };

// scanner.go maxNestingDepth.
constexpr size_t kMaxNestingDepth = 10000;

bool IsSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool IsHex(unsigned char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// scanner.go quoteChar: strconv.Quote(string(c)) between single quotes.
// string(c) of a byte is the rune U+00XX.
std::string QuoteChar(unsigned char c) {
  if (c == '\'') return "'\\''";
  if (c == '"') return "'\"'";
  char buf[16];
  switch (c) {
    case '\a':
      return "'\\a'";
    case '\b':
      return "'\\b'";
    case '\f':
      return "'\\f'";
    case '\n':
      return "'\\n'";
    case '\r':
      return "'\\r'";
    case '\t':
      return "'\\t'";
    case '\v':
      return "'\\v'";
    case '\\':
      return "'\\\\'";
    default:
      break;
  }
  if (c < 0x20 || c == 0x7f) {
    std::snprintf(buf, sizeof(buf), "'\\x%02x'", c);
    return buf;
  }
  if (c < 0x80) return std::string("'") + static_cast<char>(c) + "'";
  // U+0080..U+00A0 and U+00AD (soft hyphen) are not printable for Go.
  if (c <= 0xa0 || c == 0xad) {
    std::snprintf(buf, sizeof(buf), "'\\u%04x'", c);
    return buf;
  }
  // Printable Latin-1: the rune in UTF-8.
  std::string out = "'";
  out += static_cast<char>(0xc0 | (c >> 6));
  out += static_cast<char>(0x80 | (c & 0x3f));
  return out + "'";
}

class Scanner {
 public:
  // Feeds one byte; false once an error is set.
  bool Step(unsigned char c) {
    switch (state_) {
      case State::kBeginValueOrEmpty:
        if (IsSpace(c)) return true;
        if (c == ']') return EndValue(c);
        return BeginValue(c);
      case State::kBeginValue:
        return BeginValue(c);
      case State::kBeginStringOrEmpty:
        if (IsSpace(c)) return true;
        if (c == '}') {
          stack_.back() = Parse::kObjectValue;
          return EndValue(c);
        }
        return BeginString(c);
      case State::kBeginString:
        return BeginString(c);
      case State::kEndValue:
        return EndValue(c);
      case State::kEndTop:
        if (!IsSpace(c)) return Error(c, "after top-level value");
        return true;
      case State::kInString:
        if (c == '"') {
          state_ = State::kEndValue;
          return true;
        }
        if (c == '\\') {
          state_ = State::kInStringEsc;
          return true;
        }
        if (c < 0x20) return Error(c, "in string literal");
        return true;
      case State::kInStringEsc:
        switch (c) {
          case 'b':
          case 'f':
          case 'n':
          case 'r':
          case 't':
          case '\\':
          case '/':
          case '"':
            state_ = State::kInString;
            return true;
          case 'u':
            state_ = State::kInStringEscU;
            return true;
          default:
            return Error(c, "in string escape code");
        }
      case State::kInStringEscU:
        return Hex(c, State::kInStringEscU1);
      case State::kInStringEscU1:
        return Hex(c, State::kInStringEscU12);
      case State::kInStringEscU12:
        return Hex(c, State::kInStringEscU123);
      case State::kInStringEscU123:
        return Hex(c, State::kInString);
      case State::kNeg:
        if (c == '0') {
          state_ = State::k0;
          return true;
        }
        if (c >= '1' && c <= '9') {
          state_ = State::k1;
          return true;
        }
        return Error(c, "in numeric literal");
      case State::k1:
        if (IsDigit(c)) return true;
        return State0(c);
      case State::k0:
        return State0(c);
      case State::kDot:
        if (IsDigit(c)) {
          state_ = State::kDot0;
          return true;
        }
        return Error(c, "after decimal point in numeric literal");
      case State::kDot0:
        if (IsDigit(c)) return true;
        if (c == 'e' || c == 'E') {
          state_ = State::kE;
          return true;
        }
        return EndValue(c);
      case State::kE:
        if (c == '+' || c == '-') {
          state_ = State::kESign;
          return true;
        }
        return ESign(c);
      case State::kESign:
        return ESign(c);
      case State::kE0:
        if (IsDigit(c)) return true;
        return EndValue(c);
      case State::kT:
        return Literal(c, 'r', State::kTr, "in literal true (expecting 'r')");
      case State::kTr:
        return Literal(c, 'u', State::kTru, "in literal true (expecting 'u')");
      case State::kTru:
        return Literal(c, 'e', State::kEndValue, "in literal true (expecting 'e')");
      case State::kF:
        return Literal(c, 'a', State::kFa, "in literal false (expecting 'a')");
      case State::kFa:
        return Literal(c, 'l', State::kFal, "in literal false (expecting 'l')");
      case State::kFal:
        return Literal(c, 's', State::kFals, "in literal false (expecting 's')");
      case State::kFals:
        return Literal(c, 'e', State::kEndValue, "in literal false (expecting 'e')");
      case State::kN:
        return Literal(c, 'u', State::kNu, "in literal null (expecting 'u')");
      case State::kNu:
        return Literal(c, 'l', State::kNul, "in literal null (expecting 'l')");
      case State::kNul:
        return Literal(c, 'l', State::kEndValue, "in literal null (expecting 'l')");
    }
    return true;
  }

  // scanner.go eof(): a value that ends at the end of input is complete.
  void Eof() {
    if (!error_.empty() || state_ == State::kEndTop) return;
    Step(' ');
    if (state_ == State::kEndTop) return;
    if (error_.empty()) error_ = "unexpected end of JSON input";
  }

  const std::string& error() const { return error_; }

 private:
  bool Error(unsigned char c, const std::string& context) {
    error_ = "invalid character " + QuoteChar(c) + " " + context;
    return false;
  }
  bool Push(Parse p) {
    stack_.push_back(p);
    if (stack_.size() > kMaxNestingDepth) {
      error_ = "exceeded max depth";
      return false;
    }
    return true;
  }
  bool BeginValue(unsigned char c) {
    if (IsSpace(c)) {
      state_ = State::kBeginValue;
      return true;
    }
    switch (c) {
      case '{':
        state_ = State::kBeginStringOrEmpty;
        return Push(Parse::kObjectKey);
      case '[':
        state_ = State::kBeginValueOrEmpty;
        return Push(Parse::kArrayValue);
      case '"':
        state_ = State::kInString;
        return true;
      case '-':
        state_ = State::kNeg;
        return true;
      case '0':
        state_ = State::k0;
        return true;
      case 't':
        state_ = State::kT;
        return true;
      case 'f':
        state_ = State::kF;
        return true;
      case 'n':
        state_ = State::kN;
        return true;
      default:
        break;
    }
    if (c >= '1' && c <= '9') {
      state_ = State::k1;
      return true;
    }
    return Error(c, "looking for beginning of value");
  }
  bool BeginString(unsigned char c) {
    if (IsSpace(c)) {
      state_ = State::kBeginString;
      return true;
    }
    if (c == '"') {
      state_ = State::kInString;
      return true;
    }
    return Error(c, "looking for beginning of object key string");
  }
  bool EndValue(unsigned char c) {
    if (stack_.empty()) {
      state_ = State::kEndTop;
      return Step(c);
    }
    if (IsSpace(c)) {
      state_ = State::kEndValue;
      return true;
    }
    switch (stack_.back()) {
      case Parse::kObjectKey:
        if (c == ':') {
          stack_.back() = Parse::kObjectValue;
          state_ = State::kBeginValue;
          return true;
        }
        return Error(c, "after object key");
      case Parse::kObjectValue:
        if (c == ',') {
          stack_.back() = Parse::kObjectKey;
          state_ = State::kBeginString;
          return true;
        }
        if (c == '}') {
          stack_.pop_back();
          state_ = State::kEndValue;
          if (stack_.empty()) state_ = State::kEndTop;
          return true;
        }
        return Error(c, "after object key:value pair");
      case Parse::kArrayValue:
        if (c == ',') {
          state_ = State::kBeginValue;
          return true;
        }
        if (c == ']') {
          stack_.pop_back();
          state_ = State::kEndValue;
          if (stack_.empty()) state_ = State::kEndTop;
          return true;
        }
        return Error(c, "after array element");
    }
    return true;
  }
  bool State0(unsigned char c) {
    if (c == '.') {
      state_ = State::kDot;
      return true;
    }
    if (c == 'e' || c == 'E') {
      state_ = State::kE;
      return true;
    }
    return EndValue(c);
  }
  bool ESign(unsigned char c) {
    if (IsDigit(c)) {
      state_ = State::kE0;
      return true;
    }
    return Error(c, "in exponent of numeric literal");
  }
  bool Hex(unsigned char c, State next) {
    if (IsHex(c)) {
      state_ = next;
      return true;
    }
    return Error(c, "in \\u hexadecimal character escape");
  }
  bool Literal(unsigned char c, char want, State next, const char* context) {
    if (c == want) {
      state_ = next;
      return true;
    }
    return Error(c, context);
  }

  State state_ = State::kBeginValue;
  std::vector<Parse> stack_;
  std::string error_;
};

}  // namespace

std::optional<std::string> GoJsonSyntaxError(std::string_view data) {
  Scanner s;
  for (unsigned char c : data) {
    if (!s.Step(c)) return s.error();
  }
  s.Eof();
  if (s.error().empty()) return std::nullopt;
  return s.error();
}

std::string SummarizeData(std::string_view data, size_t max_length) {
  if (data.empty()) return "<empty>";
  std::string_view head = data.substr(0, max_length);
  std::string out;
  if (data[0] == '{') {
    out = std::string(head);
  } else {
    static const char kHex[] = "0123456789abcdef";
    for (unsigned char c : head) {
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  if (data.size() > max_length) out += " ...";
  return out;
}

}  // namespace kubesim::http
