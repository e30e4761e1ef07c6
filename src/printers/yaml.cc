// ToYaml: a port of the parts of go-yaml v2 that `kubectl get -o yaml`
// exercises (sigs.k8s.io/yaml/goyaml.v2: encode.go, emitterc.go,
// sorter.go, resolve.go), driven by the value types JSONToYAML produces.
#include "kubesim/printers/yaml.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "kubesim/printers/go_format.h"
#include "kubesim/printers/yaml_resolve.h"

namespace kubesim::printers {

namespace {

enum class ScalarStyle { kPlain, kSingleQuoted, kDoubleQuoted, kLiteral };

struct Scalar {
  std::string text;
  ScalarStyle style = ScalarStyle::kPlain;  // the style encode.go asks for
};

// --- Scalars as encode.go produces them ------------------------------------

// encode.go stringv: plain when resolve() would give the string back (and
// it is not a YAML 1.1 base-60 float), literal when it has a newline,
// double-quoted otherwise. The emitter may still override the style.
Scalar StringScalar(const std::string& raw) {
  Scalar s;
  // json.Marshal runs first and turns invalid UTF-8 into U+FFFD.
  s.text = GoSanitizeUtf8(raw);
  bool can_use_plain =
      ResolvePlainScalar(s.text).tag == YamlTag::kStr && !IsYamlBase60Float(s.text);
  if (s.text.find('\n') != std::string::npos) {
    s.style = ScalarStyle::kLiteral;
  } else if (can_use_plain) {
    s.style = ScalarStyle::kPlain;
  } else {
    s.style = ScalarStyle::kDoubleQuoted;
  }
  return s;
}

// encode.go floatv: strconv.FormatFloat(f, 'g', -1, 64) with YAML names
// for the non-finite values.
std::string YamlFloat(double f) {
  if (std::isnan(f)) return ".nan";
  if (std::isinf(f)) return f > 0 ? ".inf" : "-.inf";
  return GoFormatFloat(f, 'g', 64);
}

// A JSON number goes through json.Marshal and is then re-typed by go-yaml's
// resolve(): integral floats below 1e21 come back as ints.
std::string NumberText(const nlohmann::json& v) {
  if (v.is_number_integer()) return v.dump();  // int64 or uint64
  double d = v.get<double>();
  if (!std::isfinite(d)) return YamlFloat(d);  // json.Marshal would refuse
  YamlResolved r = ResolvePlainScalar(GoJsonFloat(d));
  if (r.tag == YamlTag::kInt && r.value.is_number_integer()) return r.value.dump();
  if (r.value.is_number()) return YamlFloat(r.value.get<double>());
  return YamlFloat(d);
}

Scalar ScalarFor(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::string:
      return StringScalar(v.get_ref<const std::string&>());
    case nlohmann::json::value_t::boolean:
      return {v.get<bool>() ? "true" : "false", ScalarStyle::kPlain};
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return {NumberText(v), ScalarStyle::kPlain};
    default:
      return {"null", ScalarStyle::kPlain};  // encode.go nilv
  }
}

// --- Key order (sorter.go keyList.Less for string keys) --------------------

// unicode.IsLetter. Exact for ASCII; non-ASCII code points are taken as
// letters except the Latin-1 symbols and the common punctuation blocks.
bool IsLetter(char32_t r) {
  if (r < 0x80) return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
  if (r < 0xC0) return r == 0xAA || r == 0xB5 || r == 0xBA;
  if (r == 0xD7 || r == 0xF7) return false;
  if (r >= 0x2000 && r <= 0x2BFF) return false;  // punctuation, symbols, arrows
  if (r >= 0x3000 && r <= 0x303F) return false;  // CJK punctuation
  if (r >= 0xFF00 && r <= 0xFF20) return false;  // fullwidth punctuation
  return true;
}

bool IsDigitRune(char32_t r) { return r >= '0' && r <= '9'; }

std::u32string Runes(const std::string& s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    size_t w;
    out.push_back(DecodeRune(s, i, &w));
    i += w;
  }
  return out;
}

bool KeyLess(const std::string& as, const std::string& bs) {
  std::u32string ar = Runes(as), br = Runes(bs);
  for (size_t i = 0; i < ar.size() && i < br.size(); ++i) {
    if (ar[i] == br[i]) continue;
    bool al = IsLetter(ar[i]);
    bool bl = IsLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    uint64_t an = 0, bn = 0;  // int64 in Go; unsigned here to wrap the same way
    if (ar[i] == '0' || br[i] == '0') {
      for (size_t j = i; j-- > 0 && IsDigitRune(ar[j]);) {
        if (ar[j] != '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    size_t ai = i, bi = i;
    for (; ai < ar.size() && IsDigitRune(ar[ai]); ++ai) an = an * 10 + (ar[ai] - '0');
    for (; bi < br.size() && IsDigitRune(br[bi]); ++bi) bn = bn * 10 + (br[bi] - '0');
    if (an != bn) return static_cast<int64_t>(an) < static_cast<int64_t>(bn);
    if (ai != bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.size() < br.size();
}

// --- Byte classes (yamlprivateh.go) ----------------------------------------

class Bytes {
 public:
  explicit Bytes(const std::string& s) : s_(s) {}
  size_t size() const { return s_.size(); }
  unsigned char at(size_t i) const { return i < s_.size() ? static_cast<unsigned char>(s_[i]) : 0; }
  // The byte length of the UTF-8 sequence starting at i.
  size_t width(size_t i) const {
    unsigned char b = at(i);
    if ((b & 0x80) == 0x00) return 1;
    if ((b & 0xE0) == 0xC0) return 2;
    if ((b & 0xF0) == 0xE0) return 3;
    if ((b & 0xF8) == 0xF0) return 4;
    return 1;
  }
  bool is_space(size_t i) const { return at(i) == ' '; }
  bool is_tab(size_t i) const { return at(i) == '\t'; }
  bool is_blank(size_t i) const { return is_space(i) || is_tab(i); }
  bool is_ascii(size_t i) const { return at(i) <= 0x7F; }
  bool is_break(size_t i) const {
    return at(i) == '\r' || at(i) == '\n' || (at(i) == 0xC2 && at(i + 1) == 0x85) ||
           (at(i) == 0xE2 && at(i + 1) == 0x80 && (at(i + 2) == 0xA8 || at(i + 2) == 0xA9));
  }
  bool is_z(size_t i) const { return at(i) == 0; }
  bool is_blankz(size_t i) const { return is_blank(i) || is_break(i) || is_z(i); }
  bool is_bom(size_t i) const { return at(i) == 0xEF && at(i + 1) == 0xBB && at(i + 2) == 0xBF; }
  bool is_printable(size_t i) const {
    unsigned char b = at(i);
    return b == 0x0A || (b >= 0x20 && b <= 0x7E) || (b == 0xC2 && at(i + 1) >= 0xA0) ||
           (b > 0xC2 && b < 0xED) || (b == 0xED && at(i + 1) < 0xA0) || b == 0xEE ||
           (b == 0xEF && !(at(i + 1) == 0xBB && at(i + 2) == 0xBF) &&
            !(at(i + 1) == 0xBF && (at(i + 2) == 0xBE || at(i + 2) == 0xBF)));
  }

 private:
  const std::string& s_;
};

// --- The emitter (emitterc.go) ----------------------------------------------

struct ScalarAnalysis {
  bool multiline = false;
  bool flow_plain_allowed = false;
  bool block_plain_allowed = false;
  bool single_quoted_allowed = false;
  bool block_allowed = false;
};

// yaml_emitter_analyze_scalar.
ScalarAnalysis AnalyzeScalar(const std::string& text) {
  ScalarAnalysis a;
  Bytes value(text);
  if (value.size() == 0) {
    a.multiline = false;
    a.flow_plain_allowed = false;
    a.block_plain_allowed = true;
    a.single_quoted_allowed = true;
    a.block_allowed = false;
    return a;
  }
  bool block_indicators = false, flow_indicators = false, line_breaks = false,
       special_characters = false;
  bool leading_space = false, leading_break = false, trailing_space = false, trailing_break = false,
       break_space = false, space_break = false;
  bool preceded_by_whitespace = true, followed_by_whitespace = false, previous_space = false,
       previous_break = false;

  if (value.size() >= 3 && ((value.at(0) == '-' && value.at(1) == '-' && value.at(2) == '-') ||
                            (value.at(0) == '.' && value.at(1) == '.' && value.at(2) == '.'))) {
    block_indicators = true;
    flow_indicators = true;
  }
  for (size_t i = 0, w = 0; i < value.size(); i += w) {
    w = value.width(i);
    followed_by_whitespace = i + w >= value.size() || value.is_blank(i + w);
    unsigned char c = value.at(i);
    if (i == 0) {
      switch (c) {
        case '#':
        case ',':
        case '[':
        case ']':
        case '{':
        case '}':
        case '&':
        case '*':
        case '!':
        case '|':
        case '>':
        case '\'':
        case '"':
        case '%':
        case '@':
        case '`':
          flow_indicators = true;
          block_indicators = true;
          break;
        case '?':
        case ':':
          flow_indicators = true;
          if (followed_by_whitespace) block_indicators = true;
          break;
        case '-':
          if (followed_by_whitespace) {
            flow_indicators = true;
            block_indicators = true;
          }
          break;
        default:
          break;
      }
    } else {
      switch (c) {
        case ',':
        case '?':
        case '[':
        case ']':
        case '{':
        case '}':
          flow_indicators = true;
          break;
        case ':':
          flow_indicators = true;
          if (followed_by_whitespace) block_indicators = true;
          break;
        case '#':
          if (preceded_by_whitespace) {
            flow_indicators = true;
            block_indicators = true;
          }
          break;
        default:
          break;
      }
    }
    // emitter.unicode is true (newEncoder sets it), so only unprintable
    // characters are special.
    if (!value.is_printable(i)) special_characters = true;
    if (value.is_space(i)) {
      if (i == 0) leading_space = true;
      if (i + value.width(i) == value.size()) trailing_space = true;
      if (previous_break) break_space = true;
      previous_space = true;
      previous_break = false;
    } else if (value.is_break(i)) {
      line_breaks = true;
      if (i == 0) leading_break = true;
      if (i + value.width(i) == value.size()) trailing_break = true;
      if (previous_space) space_break = true;
      previous_space = false;
      previous_break = true;
    } else {
      previous_space = false;
      previous_break = false;
    }
    preceded_by_whitespace = value.is_blankz(i);
  }

  a.multiline = line_breaks;
  a.flow_plain_allowed = true;
  a.block_plain_allowed = true;
  a.single_quoted_allowed = true;
  a.block_allowed = true;
  if (leading_space || leading_break || trailing_space || trailing_break) {
    a.flow_plain_allowed = false;
    a.block_plain_allowed = false;
  }
  if (trailing_space) a.block_allowed = false;
  if (break_space) {
    a.flow_plain_allowed = false;
    a.block_plain_allowed = false;
    a.single_quoted_allowed = false;
  }
  if (space_break || special_characters) {
    a.flow_plain_allowed = false;
    a.block_plain_allowed = false;
    a.single_quoted_allowed = false;
    a.block_allowed = false;
  }
  if (line_breaks) {
    a.flow_plain_allowed = false;
    a.block_plain_allowed = false;
  }
  if (flow_indicators) a.flow_plain_allowed = false;
  if (block_indicators) a.block_plain_allowed = false;
  return a;
}

class Emitter {
 public:
  std::string Emit(const nlohmann::json& root) {
    // yaml_emitter_emit_stream_start / document start (implicit: no "---").
    EmitNode(root, /*root=*/true, /*sequence=*/false, /*mapping=*/false, /*simple_key=*/false);
    // yaml_emitter_emit_document_end (implicit: no "...").
    WriteIndent();
    return std::move(out_);
  }

 private:
  static constexpr int kBestIndent = 2;
  static constexpr int kBestWidth = 80;

  // yaml_emitter_emit_node.
  void EmitNode(const nlohmann::json& v, bool root, bool sequence, bool mapping, bool simple_key) {
    // (root_context and sequence_context only matter for open-ended
    // document markers and flow output, which kubectl's output never has.)
    mapping_context_ = mapping;
    simple_key_context_ = simple_key;
    if (v.is_array()) {
      EmitSequence(v);
    } else if (v.is_object()) {
      EmitMapping(v);
    } else {
      EmitScalar(ScalarFor(v));
    }
  }

  // yaml_emitter_emit_sequence_start and the block/flow item states.
  void EmitSequence(const nlohmann::json& v) {
    if (flow_level_ > 0 || v.empty()) {
      WriteIndicator("[", true, true, false);
      IncreaseIndent(true, false);
      ++flow_level_;
      bool first = true;
      for (const auto& item : v) {
        if (!first) WriteIndicator(",", false, false, false);
        first = false;
        if (column_ > kBestWidth) WriteIndent();
        EmitNode(item, false, true, false, false);
      }
      --flow_level_;
      PopIndent();
      WriteIndicator("]", false, false, false);
      return;
    }
    IncreaseIndent(false, mapping_context_ && !indention_);
    for (const auto& item : v) {
      WriteIndent();
      WriteIndicator("-", true, false, true);
      EmitNode(item, false, true, false, false);
    }
    PopIndent();
  }

  // yaml_emitter_emit_mapping_start and the block key/value states.
  void EmitMapping(const nlohmann::json& v) {
    std::vector<std::string> keys;
    keys.reserve(v.size());
    for (auto it = v.begin(); it != v.end(); ++it) keys.push_back(it.key());
    std::stable_sort(keys.begin(), keys.end(), KeyLess);

    if (flow_level_ > 0 || v.empty()) {
      WriteIndicator("{", true, true, false);
      IncreaseIndent(true, false);
      ++flow_level_;
      bool first = true;
      for (const auto& k : keys) {
        if (!first) WriteIndicator(",", false, false, false);
        first = false;
        if (column_ > kBestWidth) WriteIndent();
        EmitNode(nlohmann::json(k), false, false, true, true);
        WriteIndicator(":", false, false, false);
        EmitNode(v.at(k), false, false, true, false);
      }
      --flow_level_;
      PopIndent();
      WriteIndicator("}", false, false, false);
      return;
    }
    IncreaseIndent(false, false);
    for (const auto& k : keys) {
      WriteIndent();
      // yaml_emitter_check_simple_key: single-line and at most 128 bytes.
      Scalar ks = StringScalar(k);
      if (!AnalyzeScalar(ks.text).multiline && ks.text.size() <= 128) {
        EmitNode(nlohmann::json(k), false, false, true, true);
        WriteIndicator(":", false, false, false);
      } else {
        WriteIndicator("?", true, false, true);
        EmitNode(nlohmann::json(k), false, false, true, false);
        WriteIndent();
        WriteIndicator(":", true, false, true);
      }
      EmitNode(v.at(k), false, false, true, false);
    }
    PopIndent();
  }

  // yaml_emitter_emit_scalar with yaml_emitter_select_scalar_style.
  void EmitScalar(const Scalar& s) {
    ScalarAnalysis a = AnalyzeScalar(s.text);
    ScalarStyle style = s.style;
    if (simple_key_context_ && a.multiline) style = ScalarStyle::kDoubleQuoted;
    if (style == ScalarStyle::kPlain) {
      if ((flow_level_ > 0 && !a.flow_plain_allowed) ||
          (flow_level_ == 0 && !a.block_plain_allowed)) {
        style = ScalarStyle::kSingleQuoted;
      }
      if (s.text.empty() && (flow_level_ > 0 || simple_key_context_)) {
        style = ScalarStyle::kSingleQuoted;
      }
    }
    if (style == ScalarStyle::kSingleQuoted && !a.single_quoted_allowed) {
      style = ScalarStyle::kDoubleQuoted;
    }
    if (style == ScalarStyle::kLiteral &&
        (!a.block_allowed || flow_level_ > 0 || simple_key_context_)) {
      style = ScalarStyle::kDoubleQuoted;
    }
    IncreaseIndent(true, false);
    switch (style) {
      case ScalarStyle::kPlain:
        WritePlain(s.text, !simple_key_context_);
        break;
      case ScalarStyle::kSingleQuoted:
        WriteSingleQuoted(s.text, !simple_key_context_);
        break;
      case ScalarStyle::kDoubleQuoted:
        WriteDoubleQuoted(s.text, !simple_key_context_);
        break;
      case ScalarStyle::kLiteral:
        WriteLiteral(s.text);
        break;
    }
    PopIndent();
  }

  // yaml_emitter_increase_indent.
  void IncreaseIndent(bool flow, bool indentless) {
    indents_.push_back(indent_);
    if (indent_ < 0) {
      indent_ = flow ? kBestIndent : 0;
    } else if (!indentless) {
      indent_ += kBestIndent;
    }
  }

  void PopIndent() {
    indent_ = indents_.back();
    indents_.pop_back();
  }

  void Put(char c) {
    out_.push_back(c);
    ++column_;
  }

  void PutBreak() {
    out_.push_back('\n');
    column_ = 0;
  }

  // write: copies one UTF-8 character.
  void WriteChar(const Bytes& b, const std::string& s, size_t* i) {
    size_t w = b.width(*i);
    out_.append(s, *i, w);
    ++column_;
    *i += w;
  }

  // write_break.
  void WriteBreak(const Bytes& b, const std::string& s, size_t* i) {
    if (s[*i] == '\n') {
      PutBreak();
      ++*i;
    } else {
      WriteChar(b, s, i);
      column_ = 0;
    }
  }

  // yaml_emitter_write_indent.
  void WriteIndent() {
    int indent = indent_ < 0 ? 0 : indent_;
    if (!indention_ || column_ > indent || (column_ == indent && !whitespace_)) PutBreak();
    while (column_ < indent) Put(' ');
    whitespace_ = true;
    indention_ = true;
  }

  // yaml_emitter_write_indicator.
  void WriteIndicator(const char* indicator, bool need_whitespace, bool is_whitespace,
                      bool is_indention) {
    if (need_whitespace && !whitespace_) Put(' ');
    for (const char* p = indicator; *p; ++p) Put(*p);
    whitespace_ = is_whitespace;
    indention_ = indention_ && is_indention;
  }

  // yaml_emitter_write_plain_scalar.
  void WritePlain(const std::string& s, bool allow_breaks) {
    Bytes value(s);
    if (!whitespace_) Put(' ');
    bool spaces = false, breaks = false;
    for (size_t i = 0; i < value.size();) {
      if (value.is_space(i)) {
        if (allow_breaks && !spaces && column_ > kBestWidth && !value.is_space(i + 1)) {
          WriteIndent();
          i += value.width(i);
        } else {
          WriteChar(value, s, &i);
        }
        spaces = true;
      } else if (value.is_break(i)) {
        if (!breaks && s[i] == '\n') PutBreak();
        WriteBreak(value, s, &i);
        indention_ = true;
        breaks = true;
      } else {
        if (breaks) WriteIndent();
        WriteChar(value, s, &i);
        indention_ = false;
        spaces = false;
        breaks = false;
      }
    }
    whitespace_ = false;
    indention_ = false;
  }

  // yaml_emitter_write_single_quoted_scalar.
  void WriteSingleQuoted(const std::string& s, bool allow_breaks) {
    Bytes value(s);
    WriteIndicator("'", true, false, false);
    bool spaces = false, breaks = false;
    for (size_t i = 0; i < value.size();) {
      if (value.is_space(i)) {
        if (allow_breaks && !spaces && column_ > kBestWidth && i > 0 && i < value.size() - 1 &&
            !value.is_space(i + 1)) {
          WriteIndent();
          i += value.width(i);
        } else {
          WriteChar(value, s, &i);
        }
        spaces = true;
      } else if (value.is_break(i)) {
        if (!breaks && s[i] == '\n') PutBreak();
        WriteBreak(value, s, &i);
        indention_ = true;
        breaks = true;
      } else {
        if (breaks) WriteIndent();
        if (s[i] == '\'') Put('\'');
        WriteChar(value, s, &i);
        indention_ = false;
        spaces = false;
        breaks = false;
      }
    }
    WriteIndicator("'", false, false, false);
    whitespace_ = false;
    indention_ = false;
  }

  // yaml_emitter_write_double_quoted_scalar.
  void WriteDoubleQuoted(const std::string& s, bool allow_breaks) {
    Bytes value(s);
    bool spaces = false;
    WriteIndicator("\"", true, false, false);
    for (size_t i = 0; i < value.size();) {
      unsigned char octet = value.at(i);
      if (!value.is_printable(i) || value.is_bom(i) || value.is_break(i) || octet == '"' ||
          octet == '\\') {
        size_t w = 1;
        char32_t v = 0;
        if ((octet & 0x80) == 0x00) {
          w = 1;
          v = octet & 0x7F;
        } else if ((octet & 0xE0) == 0xC0) {
          w = 2;
          v = octet & 0x1F;
        } else if ((octet & 0xF0) == 0xE0) {
          w = 3;
          v = octet & 0x0F;
        } else if ((octet & 0xF8) == 0xF0) {
          w = 4;
          v = octet & 0x07;
        }
        for (size_t k = 1; k < w; ++k) v = (v << 6) + (value.at(i + k) & 0x3F);
        i += w;
        Put('\\');
        switch (v) {
          case 0x00:
            Put('0');
            break;
          case 0x07:
            Put('a');
            break;
          case 0x08:
            Put('b');
            break;
          case 0x09:
            Put('t');
            break;
          case 0x0A:
            Put('n');
            break;
          case 0x0b:
            Put('v');
            break;
          case 0x0c:
            Put('f');
            break;
          case 0x0d:
            Put('r');
            break;
          case 0x1b:
            Put('e');
            break;
          case 0x22:
            Put('"');
            break;
          case 0x5c:
            Put('\\');
            break;
          case 0x85:
            Put('N');
            break;
          case 0xA0:
            Put('_');
            break;
          case 0x2028:
            Put('L');
            break;
          case 0x2029:
            Put('P');
            break;
          default: {
            int digits;
            if (v <= 0xFF) {
              Put('x');
              digits = 2;
            } else if (v <= 0xFFFF) {
              Put('u');
              digits = 4;
            } else {
              Put('U');
              digits = 8;
            }
            for (int k = (digits - 1) * 4; k >= 0; k -= 4) {
              int digit = static_cast<int>((v >> k) & 0x0F);
              Put(static_cast<char>(digit < 10 ? '0' + digit : 'A' + digit - 10));
            }
          }
        }
        spaces = false;
      } else if (value.is_space(i)) {
        if (allow_breaks && !spaces && column_ > kBestWidth && i > 0 && i < value.size() - 1) {
          WriteIndent();
          if (value.is_space(i + 1)) Put('\\');
          i += value.width(i);
        } else {
          WriteChar(value, s, &i);
        }
        spaces = true;
      } else {
        WriteChar(value, s, &i);
        spaces = false;
      }
    }
    WriteIndicator("\"", false, false, false);
    whitespace_ = false;
    indention_ = false;
  }

  // yaml_emitter_write_block_scalar_hints.
  void WriteBlockScalarHints(const std::string& s) {
    Bytes value(s);
    if (value.is_space(0) || value.is_break(0)) {
      char hint[2] = {static_cast<char>('0' + kBestIndent), 0};
      WriteIndicator(hint, false, false, false);
    }
    const char* chomp = nullptr;
    if (value.size() == 0) {
      chomp = "-";
    } else {
      size_t i = value.size() - 1;
      while ((value.at(i) & 0xC0) == 0x80) --i;
      if (!value.is_break(i)) {
        chomp = "-";
      } else if (i == 0) {
        chomp = "+";
      } else {
        --i;
        while ((value.at(i) & 0xC0) == 0x80) --i;
        if (value.is_break(i)) chomp = "+";
      }
    }
    if (chomp != nullptr) WriteIndicator(chomp, false, false, false);
  }

  // yaml_emitter_write_literal_scalar.
  void WriteLiteral(const std::string& s) {
    Bytes value(s);
    WriteIndicator("|", true, false, false);
    WriteBlockScalarHints(s);
    PutBreak();
    indention_ = true;
    whitespace_ = true;
    bool breaks = true;
    for (size_t i = 0; i < value.size();) {
      if (value.is_break(i)) {
        WriteBreak(value, s, &i);
        indention_ = true;
        breaks = true;
      } else {
        if (breaks) WriteIndent();
        WriteChar(value, s, &i);
        indention_ = false;
        breaks = false;
      }
    }
  }

  std::string out_;
  int indent_ = -1;
  std::vector<int> indents_;
  int flow_level_ = 0;
  int column_ = 0;
  bool whitespace_ = true;
  bool indention_ = true;
  bool mapping_context_ = false;
  bool simple_key_context_ = false;
};

}  // namespace

std::string ToYaml(const nlohmann::json& obj) { return Emitter().Emit(obj); }

}  // namespace kubesim::printers
