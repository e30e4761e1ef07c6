// Label and field selectors.
//
// Upstream references (kubernetes/kubernetes, staging/src/k8s.io/apimachinery/pkg/...):
//  - labels/selector.go      (Lexer, Parser, NewRequirement, Requirement.Matches/String)
//  - selection/operator.go   (operator spellings used in error messages)
//  - apis/meta/v1/helpers.go (LabelSelectorAsSelector)
//  - fields/selector.go      (ParseSelector, splitTerms, splitTerm, UnescapeValue)
#include "kubesim/api/selectors.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kubesim/api/errors.h"
#include "kubesim/api/validation.h"

namespace kubesim::api {

namespace {

using Op = LabelSelector::Op;
using Requirement = LabelSelector::Requirement;

// strings.Join(errs, "; ") as validateLabelKey / validateLabelValue do.
std::string JoinSemicolon(const std::vector<std::string>& errs) {
  std::string out;
  for (size_t i = 0; i < errs.size(); ++i) {
    if (i > 0) out += "; ";
    out += errs[i];
  }
  return out;
}

// strconv.ParseInt(s, 10, 64) succeeds.
bool ParseInt64(const std::string& s, int64_t* out) {
  size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    neg = s[i] == '-';
    ++i;
  }
  if (i == s.size()) return false;
  uint64_t limit = neg ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (v > (limit - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = neg ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
  return true;
}

// util/errors aggregate.Error(): one message bare, several de-duplicated and
// wrapped as "[a, b]".
std::string Aggregate(const std::vector<std::string>& msgs) {
  std::vector<std::string> uniq;
  std::set<std::string> seen;
  for (const auto& m : msgs) {
    if (seen.insert(m).second) uniq.push_back(m);
  }
  if (uniq.size() == 1) return uniq[0];
  std::string out = "[";
  for (size_t i = 0; i < uniq.size(); ++i) {
    if (i > 0) out += ", ";
    out += uniq[i];
  }
  return out + "]";
}

// labels.NewRequirement with a nil field path: returns the aggregated
// field.ErrorList message, or "" when valid. Field paths below a nil root
// read "key", "values", "values[0]", "values[0][<key>]" and "operator".
std::string NewRequirement(const std::string& key, Op op, const std::vector<std::string>& vals,
                           const Object& bad_vals) {
  std::vector<std::string> errs;
  // validateLabelKey(key, path.Child("key"))
  if (auto msgs = IsQualifiedName(key); !msgs.empty()) {
    errs.push_back(FieldError::Invalid("key", key, JoinSemicolon(msgs)).ToString());
  }
  switch (op) {
    case Op::kIn:
    case Op::kNotIn:
      if (vals.empty()) {
        errs.push_back(FieldError::Invalid("values", bad_vals,
                                           "for 'in', 'notin' operators, values set can't be empty")
                           .ToString());
      }
      break;
    case Op::kEquals:
    case Op::kDoubleEquals:
    case Op::kNotEquals:
      if (vals.size() != 1) {
        errs.push_back(FieldError::Invalid("values", bad_vals,
                                           "exact-match compatibility requires one single value")
                           .ToString());
      }
      break;
    case Op::kExists:
    case Op::kDoesNotExist:
      if (!vals.empty()) {
        errs.push_back(FieldError::Invalid("values", bad_vals,
                                           "values set must be empty for exists and does not exist")
                           .ToString());
      }
      break;
    case Op::kGreaterThan:
    case Op::kLessThan:
      if (vals.size() != 1) {
        errs.push_back(
            FieldError::Invalid("values", bad_vals,
                                "for 'Gt', 'Lt' operators, exactly one value is required")
                .ToString());
      }
      for (size_t i = 0; i < vals.size(); ++i) {
        int64_t unused;
        if (!ParseInt64(vals[i], &unused)) {
          errs.push_back(
              FieldError::Invalid("values[" + std::to_string(i) + "]", vals[i],
                                  "for 'Gt', 'Lt' operators, the value must be an integer")
                  .ToString());
        }
      }
      break;
  }
  // validateLabelValue(key, vals[i], valuePath.Index(i)) -> path.Key(k)
  for (size_t i = 0; i < vals.size(); ++i) {
    if (auto msgs = IsValidLabelValue(vals[i]); !msgs.empty()) {
      errs.push_back(FieldError::Invalid("values[" + std::to_string(i) + "][" + key + "]", vals[i],
                                         JoinSemicolon(msgs))
                         .ToString());
    }
  }
  return errs.empty() ? std::string() : Aggregate(errs);
}

// ---- Lexer (labels/selector.go) ----

enum class Token {
  kError,
  kEndOfString,
  kClosedPar,
  kComma,
  kDoesNotExist,
  kDoubleEquals,
  kEquals,
  kGreaterThan,
  kIdentifier,
  kIn,
  kLessThan,
  kNotEquals,
  kNotIn,
  kOpenPar,
};

// string2token.
bool LookupToken(const std::string& s, Token* tok) {
  static const std::pair<const char*, Token> kTable[] = {
      {")", Token::kClosedPar},     {",", Token::kComma},    {"!", Token::kDoesNotExist},
      {"==", Token::kDoubleEquals}, {"=", Token::kEquals},   {">", Token::kGreaterThan},
      {"in", Token::kIn},           {"<", Token::kLessThan}, {"!=", Token::kNotEquals},
      {"notin", Token::kNotIn},     {"(", Token::kOpenPar},
  };
  for (const auto& [lit, t] : kTable) {
    if (s == lit) {
      *tok = t;
      return true;
    }
  }
  return false;
}

bool IsWhitespace(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }

bool IsSpecialSymbol(char ch) {
  switch (ch) {
    case '=':
    case '!':
    case '(':
    case ')':
    case ',':
    case '>':
    case '<':
      return true;
  }
  return false;
}

struct ScannedItem {
  Token tok;
  std::string literal;
};

class Lexer {
 public:
  explicit Lexer(const std::string& s) : s_(s) {}

  // Lex returns the next token; the literal matters for identifiers.
  ScannedItem Lex() {
    char ch = SkipWhiteSpaces(Read());
    if (ch == 0) return {Token::kEndOfString, ""};
    Unread();
    if (IsSpecialSymbol(ch)) return ScanSpecialSymbol();
    return ScanIdOrKeyword();
  }

 private:
  char Read() {
    char b = 0;
    if (pos_ < s_.size()) {
      b = s_[pos_];
      ++pos_;
    }
    return b;
  }
  void Unread() { --pos_; }

  ScannedItem ScanIdOrKeyword() {
    std::string buffer;
    while (true) {
      char ch = Read();
      if (ch == 0) break;
      if (IsSpecialSymbol(ch) || IsWhitespace(ch)) {
        Unread();
        break;
      }
      buffer.push_back(ch);
    }
    Token tok;
    if (LookupToken(buffer, &tok)) return {tok, buffer};
    return {Token::kIdentifier, buffer};
  }

  // The longest operator made of special symbols: "!=", "==", "=", ...
  ScannedItem ScanSpecialSymbol() {
    ScannedItem last{Token::kError, ""};
    std::string buffer;
    while (true) {
      char ch = Read();
      if (ch == 0) break;
      if (IsSpecialSymbol(ch)) {
        buffer.push_back(ch);
        Token tok;
        if (LookupToken(buffer, &tok)) {
          last = {tok, buffer};
        } else if (last.tok != Token::kError) {
          Unread();
          break;
        }
      } else {
        Unread();
        break;
      }
    }
    if (last.tok == Token::kError) {
      return {Token::kError, "error expected: keyword found '" + buffer + "'"};
    }
    return last;
  }

  char SkipWhiteSpaces(char ch) {
    while (IsWhitespace(ch)) ch = Read();
    return ch;
  }

  const std::string& s_;
  size_t pos_ = 0;
};

// ---- Parser (labels/selector.go) ----

class Parser {
 public:
  explicit Parser(const std::string& s) {
    Lexer l(s);
    while (true) {
      ScannedItem item = l.Lex();
      items_.push_back(item);
      if (item.tok == Token::kEndOfString) break;
    }
  }

  // Returns "" on success and fills *out.
  std::string Parse(std::vector<Requirement>* out) {
    while (true) {
      ScannedItem la = Lookahead(kValues);
      switch (la.tok) {
        case Token::kIdentifier:
        case Token::kDoesNotExist: {
          Requirement r;
          std::string err = ParseRequirement(&r);
          if (!err.empty()) return "unable to parse requirement: " + err;
          out->push_back(std::move(r));
          ScannedItem t = Consume(kValues);
          switch (t.tok) {
            case Token::kEndOfString:
              return "";
            case Token::kComma: {
              ScannedItem t2 = Lookahead(kValues);
              if (t2.tok != Token::kIdentifier && t2.tok != Token::kDoesNotExist) {
                return "found '" + t2.literal + "', expected: identifier after ','";
              }
              break;
            }
            default:
              return "found '" + t.literal + "', expected: ',' or 'end of string'";
          }
          break;
        }
        case Token::kEndOfString:
          return "";
        default:
          return "found '" + la.literal + "', expected: !, identifier, or 'end of string'";
      }
    }
  }

 private:
  // ParserContext: in Values context "in" and "notin" are identifiers.
  enum Context { kKeyAndOperator, kValues };

  ScannedItem Adjust(ScannedItem item, Context ctx) const {
    if (ctx == kValues && (item.tok == Token::kIn || item.tok == Token::kNotIn)) {
      item.tok = Token::kIdentifier;
    }
    return item;
  }
  ScannedItem Lookahead(Context ctx) const {
    return Adjust(items_[std::min(position_, items_.size() - 1)], ctx);
  }
  ScannedItem Consume(Context ctx) {
    ScannedItem item = items_[std::min(position_, items_.size() - 1)];
    ++position_;
    return Adjust(item, ctx);
  }

  std::string ParseRequirement(Requirement* r) {
    std::string key;
    std::optional<Op> op;
    if (std::string err = ParseKeyAndInferOperator(&key, &op); !err.empty()) return err;
    std::vector<std::string> values;
    if (op == Op::kExists || op == Op::kDoesNotExist) {
      if (std::string err = NewRequirement(key, *op, {}, Object::array()); !err.empty()) {
        return err;
      }
      *r = Requirement{key, *op, {}};
      return "";
    }
    Op parsed = Op::kEquals;
    if (std::string err = ParseOperator(&parsed); !err.empty()) return err;
    std::set<std::string> set;
    std::string err;
    switch (parsed) {
      case Op::kIn:
      case Op::kNotIn:
        err = ParseValues(&set);
        break;
      default:
        err = ParseExactValue(&set);
    }
    if (!err.empty()) return err;
    values.assign(set.begin(), set.end());  // sets.String.List(): sorted
    if (std::string e = NewRequirement(key, parsed, values, Object(values)); !e.empty()) return e;
    *r = Requirement{key, parsed, values};
    return "";
  }

  // parseKeyAndInferOperator: "!key" is DoesNotExist; a key followed by ','
  // or the end is Exists.
  std::string ParseKeyAndInferOperator(std::string* key, std::optional<Op>* op) {
    ScannedItem t = Consume(kValues);
    if (t.tok == Token::kDoesNotExist) {
      *op = Op::kDoesNotExist;
      t = Consume(kValues);
    }
    if (t.tok != Token::kIdentifier) return "found '" + t.literal + "', expected: identifier";
    // validateLabelKey(literal, p.path) with a nil path: field "<nil>".
    if (auto msgs = IsQualifiedName(t.literal); !msgs.empty()) {
      return FieldError::Invalid("<nil>", t.literal, JoinSemicolon(msgs)).ToString();
    }
    ScannedItem la = Lookahead(kValues);
    if (la.tok == Token::kEndOfString || la.tok == Token::kComma) {
      if (*op != Op::kDoesNotExist) *op = Op::kExists;
    }
    *key = t.literal;
    return "";
  }

  std::string ParseOperator(Op* op) {
    ScannedItem t = Consume(kKeyAndOperator);
    switch (t.tok) {
      case Token::kIn:
        *op = Op::kIn;
        break;
      case Token::kEquals:
        *op = Op::kEquals;
        break;
      case Token::kDoubleEquals:
        *op = Op::kDoubleEquals;
        break;
      case Token::kGreaterThan:
        *op = Op::kGreaterThan;
        break;
      case Token::kLessThan:
        *op = Op::kLessThan;
        break;
      case Token::kNotIn:
        *op = Op::kNotIn;
        break;
      case Token::kNotEquals:
        *op = Op::kNotEquals;
        break;
      default:
        // strings.Join(binaryOperators, ", ")
        return "found '" + t.literal + "', expected: in, notin, =, ==, !=, gt, lt";
    }
    return "";
  }

  // parseValues: "(a,b)"; "()" is the single empty value.
  std::string ParseValues(std::set<std::string>* s) {
    ScannedItem t = Consume(kValues);
    if (t.tok != Token::kOpenPar) return "found '" + t.literal + "' expected: '('";
    ScannedItem la = Lookahead(kValues);
    switch (la.tok) {
      case Token::kIdentifier:
      case Token::kComma: {
        if (std::string err = ParseIdentifiersList(s); !err.empty()) return err;
        if (Consume(kValues).tok != Token::kClosedPar) {
          return "found '" + la.literal + "', expected: ')'";  // upstream reports `lit`
        }
        return "";
      }
      case Token::kClosedPar:
        Consume(kValues);
        s->insert("");
        return "";
      default:
        return "found '" + la.literal + "', expected: ',', ')' or identifier";
    }
  }

  // parseIdentifiersList: a possibly empty list of possibly empty values.
  std::string ParseIdentifiersList(std::set<std::string>* s) {
    while (true) {
      ScannedItem t = Consume(kValues);
      switch (t.tok) {
        case Token::kIdentifier: {
          s->insert(t.literal);
          ScannedItem t2 = Lookahead(kValues);
          switch (t2.tok) {
            case Token::kComma:
              continue;
            case Token::kClosedPar:
              return "";
            default:
              return "found '" + t2.literal + "', expected: ',' or ')'";
          }
        }
        case Token::kComma: {
          if (s->empty()) s->insert("");  // "(,"
          ScannedItem t2 = Lookahead(kValues);
          if (t2.tok == Token::kClosedPar) {
            s->insert("");  // ",)"
            return "";
          }
          if (t2.tok == Token::kComma) {
            Consume(kValues);
            s->insert("");  // ",,"
          }
          break;
        }
        default:
          return "found '" + t.literal + "', expected: ',', or identifier";
      }
    }
  }

  std::string ParseExactValue(std::set<std::string>* s) {
    ScannedItem la = Lookahead(kValues);
    if (la.tok == Token::kEndOfString || la.tok == Token::kComma) {
      s->insert("");
      return "";
    }
    ScannedItem t = Consume(kValues);
    if (t.tok == Token::kIdentifier) {
      s->insert(t.literal);
      return "";
    }
    return "found '" + t.literal + "', expected: identifier";
  }

  std::vector<ScannedItem> items_;
  size_t position_ = 0;
};

void SortByKey(std::vector<Requirement>* reqs) {
  // sort.Sort(ByKey(...)); Go's sort is an insertion sort (stable) for the
  // short slices selectors have, so keep equal keys in order.
  std::stable_sort(reqs->begin(), reqs->end(),
                   [](const Requirement& a, const Requirement& b) { return a.key < b.key; });
}

// Requirement.Matches.
bool RequirementMatches(const Requirement& r, const std::map<std::string, std::string>& labels) {
  auto it = labels.find(r.key);
  bool has = it != labels.end();
  auto has_value = [&](const std::string& v) {
    return std::find(r.values.begin(), r.values.end(), v) != r.values.end();
  };
  switch (r.op) {
    case Op::kIn:
    case Op::kEquals:
    case Op::kDoubleEquals:
      return has && has_value(it->second);
    case Op::kNotIn:
    case Op::kNotEquals:
      return !has || !has_value(it->second);
    case Op::kExists:
      return has;
    case Op::kDoesNotExist:
      return !has;
    case Op::kGreaterThan:
    case Op::kLessThan: {
      if (!has || r.values.size() != 1) return false;
      int64_t ls, rv;
      if (!ParseInt64(it->second, &ls) || !ParseInt64(r.values[0], &rv)) return false;
      return r.op == Op::kGreaterThan ? ls > rv : ls < rv;
    }
  }
  return false;
}

// Requirement.String.
std::string RequirementString(const Requirement& r) {
  std::string s;
  if (r.op == Op::kDoesNotExist) s += "!";
  s += r.key;
  switch (r.op) {
    case Op::kEquals:
      s += "=";
      break;
    case Op::kDoubleEquals:
      s += "==";
      break;
    case Op::kNotEquals:
      s += "!=";
      break;
    case Op::kIn:
      s += " in ";
      break;
    case Op::kNotIn:
      s += " notin ";
      break;
    case Op::kGreaterThan:
      s += ">";
      break;
    case Op::kLessThan:
      s += "<";
      break;
    case Op::kExists:
    case Op::kDoesNotExist:
      return s;
  }
  bool set_op = r.op == Op::kIn || r.op == Op::kNotIn;
  if (set_op) s += "(";
  if (r.values.size() == 1) {
    s += r.values[0];
  } else {
    std::vector<std::string> sorted = r.values;  // safeSort
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < sorted.size(); ++i) {
      if (i > 0) s += ",";
      s += sorted[i];
    }
  }
  if (set_op) s += ")";
  return s;
}

}  // namespace

StatusOr<LabelSelector> LabelSelector::Parse(const std::string& text) {
  std::vector<Requirement> reqs;
  Parser p(text);
  if (std::string err = p.Parse(&reqs); !err.empty()) return Status::BadRequest(err);
  SortByKey(&reqs);
  LabelSelector sel;
  sel.requirements_ = std::move(reqs);
  return sel;
}

// metav1.LabelSelectorAsSelector (apis/meta/v1/helpers.go).
StatusOr<LabelSelector> LabelSelector::FromObject(const Object& selector) {
  if (selector.is_null()) return Nothing();
  if (!selector.is_object()) {
    return Status::BadRequest("a label selector must be an object, got " + GoJson(selector));
  }
  std::vector<Requirement> reqs;
  auto ml = selector.find("matchLabels");
  if (ml != selector.end() && !ml->is_null()) {
    if (!ml->is_object()) return Status::BadRequest("matchLabels must be an object");
    for (auto it = ml->begin(); it != ml->end(); ++it) {
      if (!it.value().is_string()) {
        return Status::BadRequest("matchLabels[" + it.key() + "] must be a string");
      }
      std::vector<std::string> vals{it.value().get<std::string>()};
      if (std::string err = NewRequirement(it.key(), Op::kEquals, vals, Object(vals));
          !err.empty()) {
        return Status::BadRequest(err);
      }
      reqs.push_back(Requirement{it.key(), Op::kEquals, vals});
    }
  }
  auto me = selector.find("matchExpressions");
  if (me != selector.end() && !me->is_null()) {
    if (!me->is_array()) return Status::BadRequest("matchExpressions must be an array");
    for (const Object& expr : *me) {
      if (!expr.is_object()) return Status::BadRequest("matchExpressions items must be objects");
      std::string key = expr.value("key", "");
      std::string op_name = expr.value("operator", "");
      Op op = Op::kIn;
      if (op_name == "In") {
        op = Op::kIn;
      } else if (op_name == "NotIn") {
        op = Op::kNotIn;
      } else if (op_name == "Exists") {
        op = Op::kExists;
      } else if (op_name == "DoesNotExist") {
        op = Op::kDoesNotExist;
      } else {
        return Status::BadRequest(GoQuote(op_name) + " is not a valid label selector operator");
      }
      std::vector<std::string> vals;
      auto v = expr.find("values");
      if (v != expr.end() && v->is_array()) {
        for (const Object& e : *v) {
          if (!e.is_string()) return Status::BadRequest("matchExpressions values must be strings");
          vals.push_back(e.get<std::string>());
        }
      }
      // append([]string(nil), expr.Values...) is nil when empty: prints null.
      Object bad = vals.empty() ? Object() : Object(vals);
      if (std::string err = NewRequirement(key, op, vals, bad); !err.empty()) {
        return Status::BadRequest(err);
      }
      std::sort(vals.begin(), vals.end());
      reqs.push_back(Requirement{key, op, std::move(vals)});
    }
  }
  SortByKey(&reqs);
  LabelSelector sel;
  sel.requirements_ = std::move(reqs);
  return sel;
}

LabelSelector LabelSelector::Nothing() {
  LabelSelector sel;
  sel.nothing_ = true;
  return sel;
}

// labels.SelectorFromValidatedSet: one Equals requirement per key, sorted.
LabelSelector LabelSelector::FromMap(const std::map<std::string, std::string>& labels) {
  LabelSelector sel;
  for (const auto& [k, v] : labels) sel.requirements_.push_back(Requirement{k, Op::kEquals, {v}});
  return sel;
}

bool LabelSelector::Matches(const std::map<std::string, std::string>& labels) const {
  if (nothing_) return false;
  for (const Requirement& r : requirements_) {
    if (!RequirementMatches(r, labels)) return false;
  }
  return true;
}

std::string LabelSelector::ToString() const {
  std::string out;
  for (size_t i = 0; i < requirements_.size(); ++i) {
    if (i > 0) out += ",";
    out += RequirementString(requirements_[i]);
  }
  return out;
}

// ---- Field selectors (fields/selector.go) ----

namespace {

// UnescapeValue: "\\", "\," and "\=" are escapes; bare ',' or '=' and other
// escapes are errors.
bool UnescapeValue(const std::string& s, std::string* out, std::string* err) {
  if (s.find_first_of("\\,=") == std::string::npos) {
    *out = s;
    return true;
  }
  out->clear();
  bool in_slash = false;
  for (size_t i = 0; i < s.size();) {
    // Iterate by rune as Go's `for _, c := range s` does.
    size_t w = 1;
    unsigned char c0 = static_cast<unsigned char>(s[i]);
    if (c0 >= 0xC0) w = c0 >= 0xF0 ? 4 : c0 >= 0xE0 ? 3 : 2;
    if (i + w > s.size()) w = s.size() - i;
    std::string rune = s.substr(i, w);
    char c = s[i];
    i += w;
    if (in_slash) {
      if (w == 1 && (c == '\\' || c == ',' || c == '=')) {
        out->push_back(c);
      } else {
        *err = "invalid field selector: invalid escape sequence: \\" + rune;
        return false;
      }
      in_slash = false;
      continue;
    }
    if (w == 1 && c == '\\') {
      in_slash = true;
    } else if (w == 1 && (c == ',' || c == '=')) {
      // UnescapedRune.Error formats the rune with %v: its code point.
      *err = "invalid field selector: unescaped character in value: " + std::to_string(int(c));
      return false;
    } else {
      *out += rune;
    }
  }
  if (in_slash) {
    *err = "invalid field selector: invalid escape sequence: \\";
    return false;
  }
  return true;
}

// splitTerms: commas split terms unless backslash-escaped.
std::vector<std::string> SplitTerms(const std::string& sel) {
  std::vector<std::string> terms;
  if (sel.empty()) return terms;
  size_t start = 0;
  bool in_slash = false;
  for (size_t i = 0; i < sel.size(); ++i) {
    char c = sel[i];
    if (in_slash) {
      in_slash = false;
    } else if (c == '\\') {
      in_slash = true;
    } else if (c == ',') {
      terms.push_back(sel.substr(start, i - start));
      start = i + 1;
    }
  }
  terms.push_back(sel.substr(start));
  return terms;
}

// EscapeValue: "\" -> "\\", "," -> "\,", "=" -> "\=".
std::string EscapeValue(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == ',' || c == '=') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

}  // namespace

StatusOr<FieldSelector> FieldSelector::Parse(const std::string& text) {
  std::vector<std::string> parts = SplitTerms(text);
  std::sort(parts.begin(), parts.end());  // sort.StringSlice(parts).Sort()
  FieldSelector sel;
  for (const std::string& part : parts) {
    if (part.empty()) continue;
    // splitTerm: the first occurrence of "!=", "==" or "=" (in that order of
    // preference at each position) splits lhs from rhs.
    bool ok = false;
    std::string lhs, op, rhs;
    for (size_t i = 0; i < part.size() && !ok; ++i) {
      for (const char* candidate : {"!=", "==", "="}) {
        if (part.compare(i, std::char_traits<char>::length(candidate), candidate) == 0) {
          lhs = part.substr(0, i);
          op = candidate;
          rhs = part.substr(i + op.size());
          ok = true;
          break;
        }
      }
    }
    if (!ok) {
      return Status::BadRequest("invalid selector: '" + text + "'; can't understand '" + part +
                                "'");
    }
    std::string value, err;
    if (!UnescapeValue(rhs, &value, &err)) return Status::BadRequest(err);
    sel.requirements_.push_back(Requirement{lhs, op != "!=", value});
  }
  return sel;
}

bool FieldSelector::Matches(const FieldLookup& lookup) const {
  for (const Requirement& r : requirements_) {
    std::string value;
    if (!lookup(r.field, &value)) return false;
    // hasTerm: ls.Get(field) == value; notHasTerm: !=.
    if ((value == r.value) != r.equals) return false;
  }
  return true;
}

std::string FieldSelector::FirstUnsupported(const FieldLookup& lookup) const {
  for (const Requirement& r : requirements_) {
    std::string value;
    if (!lookup(r.field, &value)) return r.field;
  }
  return "";
}

// hasTerm.String "%v=%v" / notHasTerm.String "%v!=%v" with EscapeValue,
// joined by "," (andTerm.String).
std::string FieldSelector::ToString() const {
  std::string out;
  for (size_t i = 0; i < requirements_.size(); ++i) {
    if (i > 0) out += ",";
    const Requirement& r = requirements_[i];
    out += r.field + (r.equals ? "=" : "!=") + EscapeValue(r.value);
  }
  return out;
}

}  // namespace kubesim::api
