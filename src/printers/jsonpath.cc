// JsonPath (jsonpath.h): a port of k8s.io/client-go/util/jsonpath's parser.go
// and jsonpath.go. Function names follow upstream's so the two can be read
// side by side; the parser's tail recursion is a loop here, so a long
// template cannot exhaust the stack.
#include "kubesim/printers/jsonpath.h"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <regex>
#include <utility>

#include "kubesim/printers/go_format.h"
#include "kubesim/printers/json.h"

namespace kubesim::printers {

using Json = nlohmann::json;

struct JsonPath::Node {
  enum class Type {
    kList,
    kText,
    kField,
    kArray,
    kFilter,
    kInt,
    kFloat,
    kBool,
    kWildcard,
    kRecursive,
    kUnion,
    kIdentifier
  };
  struct Param {
    bool known = false;
    int64_t value = 0;
    bool derived = false;  // [i]: the end is i+1
  };
  Type type = Type::kList;
  std::vector<std::unique_ptr<Node>> nodes;  // kList
  std::string text;                          // kText, kField, kIdentifier; kFilter: operator
  Param params[3];                           // kArray
  int64_t int_value = 0;                     // kInt
  double float_value = 0;                    // kFloat
  bool bool_value = false;                   // kBool
  std::unique_ptr<Node> left, right;         // kFilter (lists)
  std::vector<std::unique_ptr<Node>> lists;  // kUnion

  explicit Node(Type t) : type(t) {}
};

namespace {

using Node = JsonPath::Node;
using NodeType = Node::Type;

constexpr int kEof = -1;

Status SyntaxError(const std::string& msg) { return Status::BadRequest(msg); }

std::unique_ptr<Node> NewNode(NodeType t) { return std::make_unique<Node>(t); }
std::unique_ptr<Node> NewText(std::string text) {
  auto n = NewNode(NodeType::kText);
  n->text = std::move(text);
  return n;
}

bool IsSpace(int r) { return r == ' ' || r == '\t'; }
bool IsEndOfLine(int r) { return r == '\r' || r == '\n'; }
bool IsTerminator(int r) {
  if (IsSpace(r) || IsEndOfLine(r)) return true;
  switch (r) {
    case kEof:
    case '.':
    case ',':
    case '[':
    case ']':
    case '$':
    case '@':
    case '{':
    case '}':
      return true;
  }
  return false;
}
// unicode.IsLetter/IsDigit: every non-ASCII rune counts as a letter here.
bool IsAlphaNumeric(int r) { return r == '_' || r >= 0x80 || (r >= 0 && std::isalnum(r)); }
bool IsDigit(int r) { return r >= '0' && r <= '9'; }

std::string Trim(const std::string& s, char c) {
  size_t b = s.find_first_not_of(c);
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(c);
  return s.substr(b, e - b + 1);
}

// strconv.Atoi: optional sign, decimal digits, no spaces.
bool Atoi(const std::string& s, int64_t* out) {
  size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  if (i == s.size()) return false;
  int64_t v = 0;
  for (; i < s.size(); ++i) {
    if (!IsDigit(s[i])) return false;
    if (v > (INT64_MAX - (s[i] - '0')) / 10) return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = neg ? -v : v;
  return true;
}

// strconv.ParseFloat for the digits-and-dots text parseNumber collects.
bool ParseFloat(const std::string& s, double* out) {
  static const std::regex kFloat(R"(^[+-]?(\d+\.?\d*|\.\d+)$)");
  if (!std::regex_match(s, kFloat)) return false;
  *out = std::stod(s);
  return true;
}

// UnquoteExtend (parser.go): strconv.Unquote that also accepts single quotes.
bool UnquoteExtend(const std::string& s, std::string* out) {
  size_t n = s.size();
  if (n < 2) return false;
  char quote = s[0];
  if (quote != s[n - 1] || (quote != '"' && quote != '\'')) return false;
  std::string body = s.substr(1, n - 2);
  out->clear();
  for (size_t i = 0; i < body.size();) {
    char c = body[i];
    if (c == quote) return false;
    if (c != '\\') {
      out->push_back(c);
      ++i;
      continue;
    }
    if (i + 1 >= body.size()) return false;
    char e = body[i + 1];
    i += 2;
    switch (e) {
      case 'a':
        out->push_back('\a');
        break;
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'v':
        out->push_back('\v');
        break;
      case '\\':
        out->push_back('\\');
        break;
      case '\'':
      case '"':
        if (e != quote) return false;
        out->push_back(e);
        break;
      case 'x':
      case 'u':
      case 'U': {
        size_t len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        if (i + len > body.size()) return false;
        uint32_t v = 0;
        for (size_t k = 0; k < len; ++k) {
          char h = body[i + k];
          if (!std::isxdigit(static_cast<unsigned char>(h))) return false;
          v = v * 16 + (IsDigit(h) ? h - '0' : (std::tolower(h) - 'a' + 10));
        }
        i += len;
        if (e == 'x') {
          out->push_back(static_cast<char>(v));
        } else {
          if (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000)) return false;
          AppendRune(static_cast<char32_t>(v), out);
        }
        break;
      }
      default:
        if (e >= '0' && e <= '7') {  // \ooo
          if (i + 2 > body.size()) return false;
          uint32_t v = e - '0';
          for (size_t k = 0; k < 2; ++k) {
            char o = body[i + k];
            if (o < '0' || o > '7') return false;
            v = v * 8 + (o - '0');
          }
          if (v > 255) return false;
          i += 2;
          out->push_back(static_cast<char>(v));
          break;
        }
        return false;
    }
  }
  return true;
}

// Go's %#U of a rune: "U+0021 '!'".
std::string GoRuneU(int r) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(r));
  std::string out = buf;
  if (r >= 0x20 && r != 0x7f) {
    out += " '";
    AppendRune(static_cast<char32_t>(r), &out);
    out += "'";
  }
  return out;
}

class Parser {
 public:
  explicit Parser(std::string input) : input_(std::move(input)) {}

  // Parser.Parse: the whole template into `root`.
  Status Parse(Node* root) {
    while (true) {
      // parseText
      while (input_.compare(pos_, 1, "{") != 0) {
        if (Next() == kEof) {
          if (pos_ > start_) root->nodes.push_back(NewText(ConsumeText()));
          return Status::Ok();
        }
      }
      if (pos_ > start_) root->nodes.push_back(NewText(ConsumeText()));
      // parseLeftDelim
      pos_ += 1;
      ConsumeText();
      root->nodes.push_back(NewNode(NodeType::kList));
      Status st = ParseInsideAction(root->nodes.back().get());
      if (!st.ok()) return st;
    }
  }

 private:
  // parseAction: "{text}" parsed on its own; its first action's list.
  static StatusOr<std::unique_ptr<Node>> ParseAction(const std::string& text) {
    Parser p("{" + text + "}");
    Node root(NodeType::kList);
    Status st = p.Parse(&root);
    if (!st.ok()) return st;
    if (root.nodes.empty() || root.nodes[0]->type != NodeType::kList) {
      return SyntaxError("invalid syntax");
    }
    return std::move(root.nodes[0]);
  }

  std::string ConsumeText() {
    std::string v = input_.substr(start_, pos_ - start_);
    start_ = pos_;
    return v;
  }
  int Next() {
    if (pos_ >= input_.size()) {
      width_ = 0;
      return kEof;
    }
    size_t w = 1;
    int r = static_cast<unsigned char>(input_[pos_]);
    if (r >= 0x80) r = static_cast<int>(DecodeRune(input_, pos_, &w));
    width_ = w;
    pos_ += w;
    return r;
  }
  int Peek() {
    int r = Next();
    Backup();
    return r;
  }
  void Backup() { pos_ -= width_; }
  bool HasPrefix(const char* p) const { return input_.compare(pos_, std::strlen(p), p) == 0; }

  // parseInsideAction, up to and including the closing "}".
  Status ParseInsideAction(Node* cur) {
    while (true) {
      Status st = Status::Ok();
      if (HasPrefix("}")) {  // parseRightDelim
        pos_ += 1;
        ConsumeText();
        return Status::Ok();
      }
      if (HasPrefix("[?(")) {
        st = ParseFilter(cur);
      } else if (HasPrefix("..")) {
        st = ParseRecursive(cur);
      } else {
        int r = Next();
        if (r == kEof || IsEndOfLine(r)) return SyntaxError("unclosed action");
        if (r == ' ' || r == '@' || r == '$') {
          ConsumeText();
        } else if (r == '[') {
          st = ParseArray(cur);
        } else if (r == '"' || r == '\'') {
          st = ParseQuote(cur, r);
        } else if (r == '.') {
          st = ParseField(cur);
        } else if (r == '+' || r == '-' || IsDigit(r)) {
          Backup();
          st = ParseNumber(cur);
        } else if (IsAlphaNumeric(r)) {
          Backup();
          st = ParseIdentifier(cur);
        } else {
          return SyntaxError("unrecognized character in action: " + GoRuneU(r));
        }
      }
      if (!st.ok()) return st;
    }
  }

  Status ParseIdentifier(Node* cur) {
    while (true) {
      int r = Next();
      if (IsTerminator(r)) {
        Backup();
        break;
      }
    }
    std::string value = ConsumeText();
    if (value == "true" || value == "false") {
      auto n = NewNode(NodeType::kBool);
      n->bool_value = value == "true";
      cur->nodes.push_back(std::move(n));
    } else {
      auto n = NewNode(NodeType::kIdentifier);
      n->text = value;
      cur->nodes.push_back(std::move(n));
    }
    return Status::Ok();
  }

  Status ParseRecursive(Node* cur) {
    if (!cur->nodes.empty() && cur->nodes.back()->type == NodeType::kRecursive) {
      return SyntaxError("invalid multiple recursive descent");
    }
    pos_ += 2;
    ConsumeText();
    cur->nodes.push_back(NewNode(NodeType::kRecursive));
    if (IsAlphaNumeric(Peek())) return ParseField(cur);
    return Status::Ok();
  }

  Status ParseNumber(Node* cur) {
    int r = Peek();
    if (r == '+' || r == '-') Next();
    while (true) {
      r = Next();
      if (r != '.' && !IsDigit(r)) {
        Backup();
        break;
      }
    }
    std::string value = ConsumeText();
    int64_t i;
    if (Atoi(value, &i)) {
      auto n = NewNode(NodeType::kInt);
      n->int_value = i;
      cur->nodes.push_back(std::move(n));
      return Status::Ok();
    }
    double d;
    if (ParseFloat(value, &d)) {
      auto n = NewNode(NodeType::kFloat);
      n->float_value = d;
      cur->nodes.push_back(std::move(n));
      return Status::Ok();
    }
    return SyntaxError("cannot parse number " + value);
  }

  Status ParseArray(Node* cur) {
    while (true) {
      int r = Next();
      if (r == kEof || r == '\n') return SyntaxError("unterminated array");
      if (r == ']') break;
    }
    std::string text = ConsumeText();
    text = text.substr(1, text.size() - 2);
    if (text == "*") text = ":";

    // union operator
    std::vector<std::string> strs;
    for (size_t b = 0;;) {
      size_t c = text.find(',', b);
      strs.push_back(text.substr(b, c == std::string::npos ? std::string::npos : c - b));
      if (c == std::string::npos) break;
      b = c + 1;
    }
    if (strs.size() > 1) {
      auto u = NewNode(NodeType::kUnion);
      for (const auto& s : strs) {
        auto list = ParseAction("[" + Trim(s, ' ') + "]");
        if (!list.ok()) return list.status();
        u->lists.push_back(std::move(*list));
      }
      cur->nodes.push_back(std::move(u));
      return Status::Ok();
    }

    // dict key
    static const std::regex kDictKey(R"(^'([^']*)'$)");
    std::smatch m;
    if (std::regex_match(text, m, kDictKey)) {
      auto list = ParseAction("." + m[1].str());
      if (!list.ok()) return list.status();
      for (auto& n : (*list)->nodes) cur->nodes.push_back(std::move(n));
      return Status::Ok();
    }

    // slice operator
    static const std::regex kSlice(R"(^(-?\d*)(:-?\d*)?(:-?\d*)?$)");
    if (!std::regex_match(text, m, kSlice)) return SyntaxError("invalid array index " + text);
    auto n = NewNode(NodeType::kArray);
    for (int i = 0; i < 3; ++i) {
      std::string v = m[i + 1].str();
      if (!v.empty()) {
        if (i > 0) v = v.substr(1);
        if (i > 0 && v.empty()) {
          n->params[i].known = false;
        } else {
          n->params[i].known = true;
          if (!Atoi(v, &n->params[i].value)) {
            return SyntaxError("array index " + v + " is not a number");
          }
        }
      } else if (i == 1) {
        n->params[i].known = true;
        n->params[i].value = n->params[0].value + 1;
        n->params[i].derived = true;
      } else {
        n->params[i].known = false;
        n->params[i].value = 0;
      }
    }
    cur->nodes.push_back(std::move(n));
    return Status::Ok();
  }

  Status ParseFilter(Node* cur) {
    pos_ += 3;
    ConsumeText();
    bool begin = false, end = false;
    int pair = 0;
    while (true) {
      int r = Next();
      if (r == kEof || r == '\n') return SyntaxError("unterminated filter");
      if (r == '"' || r == '\'') {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (input_[pos_ - 2] != '\\' && r == pair) end = true;
      } else if (r == ')') {
        if (begin == end) break;
      }
    }
    if (Next() != ']') return SyntaxError("unclosed array expect ]");
    std::string text = ConsumeText();
    text = text.substr(0, text.size() - 2);
    static const std::regex kComparison(R"(^([^!<>=]+)([!<>=]+)(.+?)$)");
    std::smatch m;
    auto f = NewNode(NodeType::kFilter);
    if (!std::regex_match(text, m, kComparison)) {
      auto left = ParseAction(text);
      if (!left.ok()) return left.status();
      f->left = std::move(*left);
      f->right = NewNode(NodeType::kList);
      f->text = "exists";
    } else {
      auto left = ParseAction(m[1].str());
      if (!left.ok()) return left.status();
      auto right = ParseAction(m[3].str());
      if (!right.ok()) return right.status();
      f->left = std::move(*left);
      f->right = std::move(*right);
      f->text = m[2].str();
    }
    cur->nodes.push_back(std::move(f));
    return Status::Ok();
  }

  Status ParseQuote(Node* cur, int end) {
    while (true) {
      int r = Next();
      if (r == kEof || r == '\n') return SyntaxError("unterminated quoted string");
      if (r == end && input_[pos_ - 2] != '\\') break;
    }
    std::string value = ConsumeText();
    std::string s;
    if (!UnquoteExtend(value, &s)) {
      return SyntaxError("unquote string " + value + " error invalid syntax");
    }
    cur->nodes.push_back(NewText(std::move(s)));
    return Status::Ok();
  }

  Status ParseField(Node* cur) {
    ConsumeText();
    while (Advance()) {
    }
    std::string value = ConsumeText();
    if (value == "*") {
      cur->nodes.push_back(NewNode(NodeType::kWildcard));
    } else {
      auto n = NewNode(NodeType::kField);
      for (char c : value) {
        if (c != '\\') n->text.push_back(c);
      }
      cur->nodes.push_back(std::move(n));
    }
    return Status::Ok();
  }

  bool Advance() {
    int r = Next();
    if (r == '\\') {
      Next();
    } else if (IsTerminator(r)) {
      Backup();
      return false;
    }
    return true;
  }

  std::string input_;
  size_t pos_ = 0;
  size_t start_ = 0;
  size_t width_ = 0;
};

// ---- evaluation -------------------------------------------------------------

// Go's reflect type name of a decoded JSON value, for error messages.
std::string GoTypeName(const Json& v) {
  switch (v.type()) {
    case Json::value_t::object:
      return "map[string]interface {}";
    case Json::value_t::array:
      return "[]interface {}";
    case Json::value_t::string:
      return "string";
    case Json::value_t::boolean:
      return "bool";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "int64";
    case Json::value_t::number_float:
      return "float64";
    default:
      return "<nil>";
  }
}

// text/template's basicKind classes (forked golang/template funcs.go).
enum class Kind { kInvalid, kBool, kInt, kFloat, kString };
Kind BasicKind(const Json& v) {
  if (v.is_boolean()) return Kind::kBool;
  if (v.is_number_integer() || v.is_number_unsigned()) return Kind::kInt;
  if (v.is_number_float()) return Kind::kFloat;
  if (v.is_string()) return Kind::kString;
  return Kind::kInvalid;
}

constexpr char kBadComparison[] = "incompatible types for comparison";
constexpr char kBadComparisonType[] = "invalid type for comparison";

// eq / lt from the forked text/template.
Status Equal(const Json& a, const Json& b, bool* out) {
  Kind k1 = BasicKind(a), k2 = BasicKind(b);
  if (k1 == Kind::kInvalid || k2 == Kind::kInvalid) return Status::BadRequest(kBadComparisonType);
  if (k1 != k2) return Status::BadRequest(kBadComparison);
  switch (k1) {
    case Kind::kBool:
      *out = a.get<bool>() == b.get<bool>();
      break;
    case Kind::kInt:
      *out = a.get<int64_t>() == b.get<int64_t>();
      break;
    case Kind::kFloat:
      *out = a.get<double>() == b.get<double>();
      break;
    default:
      *out = a.get_ref<const std::string&>() == b.get_ref<const std::string&>();
  }
  return Status::Ok();
}
Status Less(const Json& a, const Json& b, bool* out) {
  Kind k1 = BasicKind(a), k2 = BasicKind(b);
  if (k1 == Kind::kInvalid || k2 == Kind::kInvalid) return Status::BadRequest(kBadComparisonType);
  if (k1 != k2) return Status::BadRequest(kBadComparison);
  switch (k1) {
    case Kind::kBool:
      return Status::BadRequest(kBadComparisonType);
    case Kind::kInt:
      *out = a.get<int64_t>() < b.get<int64_t>();
      break;
    case Kind::kFloat:
      *out = a.get<double>() < b.get<double>();
      break;
    default:
      *out = a.get_ref<const std::string&>() < b.get_ref<const std::string&>();
  }
  return Status::Ok();
}

using Values = std::vector<const Json*>;

// One execution: JSONPath's mutable state (cur, stack, range counters).
class Evaluator {
 public:
  explicit Evaluator(const Node* root) : root_nodes_(&root->nodes), start_(0) {}

  // JSONPath.FindResults (kubectl 1.32: a range resumes after its end).
  Status FindResults(const Json* data, std::vector<Values>* full) {
    Values cur = {data};
    const auto& nodes = *root_nodes_;
    for (size_t i = start_; i < nodes.size(); ++i) {
      Values results;
      Status st = Walk(cur, nodes[i].get(), &results);
      if (!st.ok()) return st;
      // an end node: break the current block
      if (end_range_ > 0 && end_range_ <= in_range_) {
        end_range_ -= 1;
        last_end_ = nodes[i].get();
        break;
      }
      // a range node: run the block once per result
      if (begin_range_ > 0) {
        begin_range_ -= 1;
        in_range_ += 1;
        if (!results.empty()) {
          for (const Json* value : results) {
            start_ = i + 1;
            st = FindResults(value, full);
            if (!st.ok()) return st;
          }
        } else {
          // No results: walk the block anyway so the position reaches its end.
          start_ = i + 1;
          std::vector<Values> discarded;
          st = FindResults(&null_, &discarded);
          if (!st.ok()) return st;
        }
        in_range_ -= 1;
        // Resume after the most recent end node.
        for (size_t k = i + 1; k < nodes.size(); ++k) {
          if (nodes[k].get() == last_end_) {
            i = k;
            break;
          }
        }
        continue;
      }
      full->push_back(std::move(results));
    }
    return Status::Ok();
  }

 private:
  const Json* Own(Json v) {
    arena_.push_back(std::move(v));
    return &arena_.back();
  }

  Status Walk(const Values& in, const Node* node, Values* out) {
    switch (node->type) {
      case NodeType::kList:
        return EvalList(in, node, out);
      case NodeType::kText:
        *out = {Own(node->text)};
        return Status::Ok();
      case NodeType::kField:
        return EvalField(in, node, out);
      case NodeType::kArray:
        return EvalArray(in, node, out);
      case NodeType::kFilter:
        return EvalFilter(in, node, out);
      case NodeType::kInt:
        out->assign(in.size(), Own(node->int_value));
        return Status::Ok();
      case NodeType::kFloat:
        out->assign(in.size(), Own(node->float_value));
        return Status::Ok();
      case NodeType::kBool:
        out->assign(in.size(), Own(node->bool_value));
        return Status::Ok();
      case NodeType::kWildcard:
        return EvalWildcard(in, out);
      case NodeType::kRecursive:
        return EvalRecursive(in, out);
      case NodeType::kUnion:
        for (const auto& list : node->lists) {
          Values temp;
          Status st = EvalList(in, list.get(), &temp);
          if (!st.ok()) return st;
          out->insert(out->end(), temp.begin(), temp.end());
        }
        return Status::Ok();
      case NodeType::kIdentifier:
        return EvalIdentifier(in, node, out);
    }
    return Status::BadRequest("unexpected Node");
  }

  Status EvalList(const Values& in, const Node* node, Values* out) {
    Values cur = in;
    for (const auto& n : node->nodes) {
      Values next;
      Status st = Walk(cur, n.get(), &next);
      if (!st.ok()) return st;
      cur = std::move(next);
    }
    *out = std::move(cur);
    return Status::Ok();
  }

  Status EvalIdentifier(const Values& in, const Node* node, Values* out) {
    if (node->text == "range") {
      begin_range_ += 1;
      *out = in;
      return Status::Ok();
    }
    if (node->text == "end") {
      if (in_range_ == 0) return Status::BadRequest("not in range, nothing to end");
      end_range_ += 1;
      return Status::Ok();
    }
    return Status::BadRequest("unrecognized identifier " + node->text);
  }

  Status EvalArray(const Values& in, const Node* node, Values* out) {
    for (const Json* v : in) {
      if (v->is_null()) continue;
      if (!v->is_array()) return Status::BadRequest(GoTypeName(*v) + " is not array or slice");
      const int64_t len = static_cast<int64_t>(v->size());
      Node::Param p[3] = {node->params[0], node->params[1], node->params[2]};
      if (!p[0].known) p[0].value = 0;
      if (p[0].value < 0) p[0].value += len;
      if (!p[1].known) p[1].value = len;
      if (p[1].value < 0 || (p[1].value == 0 && p[1].derived)) p[1].value += len;
      if (p[1].value == p[0].value) return Status::Ok();  // zero elements asked for
      if (p[0].value >= len || p[0].value < 0) {
        return Status::BadRequest("array index out of bounds: index " + std::to_string(p[0].value) +
                                  ", length " + std::to_string(len));
      }
      if (p[1].value > len || p[1].value < 0) {
        return Status::BadRequest("array index out of bounds: index " +
                                  std::to_string(p[1].value - 1) + ", length " +
                                  std::to_string(len));
      }
      if (p[0].value > p[1].value) {
        return Status::BadRequest("starting index " + std::to_string(p[0].value) +
                                  " is greater than ending index " + std::to_string(p[1].value));
      }
      int64_t step = 1;
      if (p[2].known) {
        if (p[2].value <= 0) return Status::BadRequest("step must be > 0");
        step = p[2].value;
      }
      for (int64_t i = p[0].value; i < p[1].value; i += step) {
        out->push_back(&(*v)[i]);
        if (p[1].value - i <= step) break;  // no overflow on a huge step
      }
    }
    return Status::Ok();
  }

  Status EvalField(const Values& in, const Node* node, Values* out) {
    for (const Json* v : in) {
      if (!v->is_object()) continue;
      auto it = v->find(node->text);
      if (it != v->end()) out->push_back(&*it);
    }
    // allowMissingKeys: kubectl's default.
    return Status::Ok();
  }

  Status EvalWildcard(const Values& in, Values* out) {
    for (const Json* v : in) {
      if (v->is_object() || v->is_array()) {
        for (const Json& e : *v) out->push_back(&e);
      } else if (v->is_string()) {
        for (unsigned char c : v->get_ref<const std::string&>()) out->push_back(Own(c));
      }
    }
    return Status::Ok();
  }

  Status EvalRecursive(const Values& in, Values* out) {
    for (const Json* v : in) {
      Values children;
      if (v->is_object() || v->is_array()) {
        for (const Json& e : *v) children.push_back(&e);
      } else if (v->is_string()) {
        for (unsigned char c : v->get_ref<const std::string&>()) children.push_back(Own(c));
      }
      if (!children.empty()) {
        out->push_back(v);
        Status st = EvalRecursive(children, out);
        if (!st.ok()) return st;
      }
    }
    return Status::Ok();
  }

  Status EvalFilter(const Values& in, const Node* node, Values* out) {
    for (const Json* v : in) {
      if (!v->is_array()) {
        return Status::BadRequest(GoValueString(*v) +
                                  " is not array or slice and cannot be filtered");
      }
      for (const Json& e : *v) {
        Values temp = {&e};
        Values lefts;
        Status st = EvalList(temp, node->left.get(), &lefts);
        if (node->text == "exists") {
          if (!lefts.empty()) out->push_back(&e);
          continue;
        }
        if (!st.ok()) return st;
        if (lefts.empty()) continue;
        if (lefts.size() > 1) return Status::BadRequest("can only compare one element at a time");
        Values rights;
        st = EvalList(temp, node->right.get(), &rights);
        if (!st.ok()) return st;
        if (rights.empty()) continue;
        if (rights.size() > 1) return Status::BadRequest("can only compare one element at a time");
        const Json& l = *lefts[0];
        const Json& r = *rights[0];
        bool pass = false, eq = false, lt = false;
        const std::string& op = node->text;
        if (op == "==" || op == "!=") {
          st = Equal(l, r, &eq);
          pass = op == "==" ? eq : !eq;
        } else if (op == "<") {
          st = Less(l, r, &pass);
        } else if (op == ">") {
          st = Less(r, l, &pass);
        } else if (op == "<=" || op == ">=") {
          st = op == "<=" ? Less(l, r, &lt) : Less(r, l, &lt);
          if (st.ok()) st = Equal(l, r, &eq);
          pass = lt || eq;
        } else {
          return Status::BadRequest("unrecognized filter operator " + op);
        }
        if (!st.ok()) return st;
        if (pass) out->push_back(&e);
      }
    }
    return Status::Ok();
  }

  const std::vector<std::unique_ptr<Node>>* root_nodes_;
  size_t start_;  // the parser's Root.Nodes = nodes[start_:] of a range body
  const Node* last_end_ = nullptr;
  const Json null_;
  int begin_range_ = 0;
  int in_range_ = 0;
  int end_range_ = 0;
  std::deque<Json> arena_;  // literals and text; stable addresses
};

// evalToText as kubectl v1.32 prints (see the header).
std::string ToText(const Json& v) {
  switch (v.type()) {
    case Json::value_t::string:
      return v.get<std::string>();
    case Json::value_t::boolean:
      return v.get<bool>() ? "true" : "false";
    case Json::value_t::number_integer:
      return std::to_string(v.get<int64_t>());
    case Json::value_t::number_unsigned:
      return std::to_string(v.get<uint64_t>());
    case Json::value_t::number_float:
      return GoFormatFloat(v.get<double>());
    case Json::value_t::null:
      return "null";
    default:
      return ToJsonCompact(v);
  }
}

}  // namespace

JsonPath::JsonPath(std::unique_ptr<Node> root) : root_(std::move(root)) {}
JsonPath::JsonPath(JsonPath&&) noexcept = default;
JsonPath& JsonPath::operator=(JsonPath&&) noexcept = default;
JsonPath::~JsonPath() = default;

StatusOr<JsonPath> JsonPath::Parse(const std::string& text) {
  auto root = NewNode(NodeType::kList);
  Parser p(text);
  Status st = p.Parse(root.get());
  if (!st.ok()) return st;
  return JsonPath(std::move(root));
}

StatusOr<std::vector<std::vector<Json>>> JsonPath::FindResults(const Json& data) const {
  Evaluator ev(root_.get());
  std::vector<Values> full;
  Status st = ev.FindResults(&data, &full);
  if (!st.ok()) return st;
  std::vector<std::vector<Json>> out;
  for (const auto& values : full) {
    std::vector<Json> row;
    for (const Json* v : values) row.push_back(*v);
    out.push_back(std::move(row));
  }
  return out;
}

StatusOr<std::string> JsonPath::Execute(const Json& data) const {
  auto results = FindResults(data);
  if (!results.ok()) return results.status();
  std::string out;
  for (const auto& r : *results) {
    for (size_t i = 0; i < r.size(); ++i) {
      out += ToText(r[i]);
      if (i + 1 != r.size()) out += ' ';
    }
  }
  return out;
}

StatusOr<std::string> JsonPath::ExecuteAsJson(const Json& data) const {
  auto results = FindResults(data);
  if (!results.ok()) return results.status();
  std::string out;
  for (const auto& r : *results) out += ToJson(Json(r));
  return out;
}

namespace {

// fmt's %v (`syntax` false) or %#v (true) of a decoded JSON value: the two
// differ only in their spellings.
std::string GoFormat(const Json& v, bool syntax) {
  const char* sep = syntax ? ", " : " ";
  switch (v.type()) {
    case Json::value_t::null:
      return syntax ? "interface {}(nil)" : "<nil>";
    case Json::value_t::string:
      return syntax ? GoQuote(v.get_ref<const std::string&>()) : v.get<std::string>();
    case Json::value_t::object: {
      std::string s = syntax ? "map[string]interface {}{" : "map[";
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (it != v.begin()) s += sep;
        s += (syntax ? GoQuote(it.key()) : it.key()) + ":" + GoFormat(it.value(), syntax);
      }
      return s + (syntax ? "}" : "]");
    }
    case Json::value_t::array: {
      std::string s = syntax ? "[]interface {}{" : "[";
      for (size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + GoFormat(v[i], syntax);
      return s + (syntax ? "}" : "]");
    }
    default:
      return ToText(v);
  }
}

}  // namespace

std::string GoValueString(const Json& v) { return GoFormat(v, false); }
std::string GoSyntaxString(const Json& v) { return GoFormat(v, true); }

std::string JsonPathExecutionError(const std::string& template_text, const std::string& message,
                                   const Json& data) {
  return "error executing jsonpath " + GoQuote(template_text) +
         ": Error executing template: " + message +
         ". Printing more information for debugging the template:\n"
         "\ttemplate was:\n\t\t" +
         template_text + "\n\tobject given to jsonpath engine was:\n\t\t" + GoSyntaxString(data) +
         "\n\n";
}

StatusOr<std::string> RelaxedJsonPathExpression(const std::string& expr) {
  if (expr.empty()) return expr;
  static const std::regex kRelaxed(R"(^\{\.?([^{}]+)\}$|^\.?([^{}]+)$)");
  std::smatch m;
  if (!std::regex_match(expr, m, kRelaxed)) {
    return Status::BadRequest(
        "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' "
        "or '{.name1.name2}'");
  }
  return "{." + (m[1].matched && m[1].length() > 0 ? m[1].str() : m[2].str()) + "}";
}

}  // namespace kubesim::printers
