// ParseYamlDocuments: kubectl's manifest decoding.
//
// apimachinery/pkg/util/yaml/decoder.go (YAMLOrJSONDecoder, YAMLReader)
// splits the stream; each YAML document goes through sigs.k8s.io/yaml
// (yamlToJSONTarget + convertToJSONableObject) on top of go-yaml v2. The
// YAML syntax itself is parsed with yaml-cpp; typing, merge keys, key
// conversion and error wording follow go-yaml v2.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "kubesim/printers/go_format.h"
#include "kubesim/printers/yaml.h"
#include "kubesim/printers/yaml_resolve.h"

namespace kubesim::printers {

namespace {

constexpr char kYamlToJson[] = "error converting YAML to JSON: ";

// A failure while converting a document; becomes a Status at the boundary.
struct ConvertError {
  std::string message;  // without the "error converting YAML to JSON: " prefix
};

// The JSON round trip kubectl makes (json.Marshal, then unstructured
// decoding with int64-or-float64 numbers): integral floats within int64
// become integers, integers beyond int64 become floats.
nlohmann::json NormalizeNumber(const nlohmann::json& v) {
  if (v.is_number_unsigned()) {
    uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return static_cast<double>(u);
    }
    return static_cast<int64_t>(u);
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    // Go's json.Marshal writes 'f' form (no exponent) below 1e21; that
    // text parses as int64 when it is integral and in range.
    if (std::isfinite(d) && d == std::trunc(d) && d >= -9223372036854775808.0 &&
        d < 9223372036854775808.0) {
      return static_cast<int64_t>(d);
    }
  }
  return v;
}

void NormalizeNumbers(nlohmann::json* v) {
  if (v->is_object() || v->is_array()) {
    for (auto& e : *v) NormalizeNumbers(&e);
  } else if (v->is_number()) {
    *v = NormalizeNumber(*v);
  }
}

// go-yaml's shortTag for the error messages.
std::string ShortTag(const std::string& tag) {
  const std::string kPrefix = "tag:yaml.org,2002:";
  if (tag.rfind(kPrefix, 0) == 0) return "!!" + tag.substr(kPrefix.size());
  return tag;
}

std::string Base64Decode(const std::string& in, bool* ok) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  int buf = 0, bits = 0;
  *ok = true;
  for (char c : in) {
    if (c == '=' || c == '\n' || c == '\r' || c == ' ') continue;
    int v = val(c);
    if (v < 0) {
      *ok = false;
      return "";
    }
    buf = (buf << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buf >> bits) & 0xFF));
    }
  }
  return out;
}

// The value go-yaml v2 decodes a scalar node to (decode.go scalar() into an
// interface{}), as JSON.
nlohmann::json ScalarValue(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  const std::string& text = node.Scalar();
  if (tag == "?") return ResolvePlainScalar(text).value;  // plain: implicit typing
  if (tag == "!" || tag.empty()) return text;             // quoted or block scalar
  const std::string kPrefix = "tag:yaml.org,2002:";
  if (tag.rfind(kPrefix, 0) != 0) return text;  // unknown tags keep the text
  std::string kind = tag.substr(kPrefix.size());
  if (kind == "str" || kind == "timestamp") return text;
  if (kind == "binary") {
    bool ok;
    std::string decoded = Base64Decode(text, &ok);
    if (!ok) throw ConvertError{"yaml: !!binary value contains invalid base64 data"};
    return decoded;
  }
  YamlResolved r = ResolvePlainScalar(text);
  YamlTag want;
  if (kind == "int") {
    want = YamlTag::kInt;
  } else if (kind == "float") {
    want = YamlTag::kFloat;
  } else if (kind == "bool") {
    want = YamlTag::kBool;
  } else if (kind == "null") {
    want = YamlTag::kNull;
  } else {
    return text;
  }
  if (r.tag == want) return r.value;
  if (want == YamlTag::kFloat && r.tag == YamlTag::kInt && r.value.is_number()) {
    return r.value.get<double>();
  }
  static const char* kNames[] = {"!!str", "!!bool", "!!int", "!!float", "!!null", "!!timestamp"};
  throw ConvertError{"yaml: cannot decode " + std::string(kNames[static_cast<int>(r.tag)]) + " `" +
                     text + "` as a " + ShortTag(tag)};
}

nlohmann::json Convert(const YAML::Node& node);

// sigs.k8s.io/yaml convertToJSONableObject: keys become strings.
std::string KeyString(const YAML::Node& key) {
  if (!key.IsScalar()) {
    if (key.IsNull()) {
      throw ConvertError{"unsupported map key of type: <nil>, key: <nil>"};
    }
    throw ConvertError{"yaml: invalid map key"};
  }
  nlohmann::json k = ScalarValue(key);
  switch (k.type()) {
    case nlohmann::json::value_t::string:
      return k.get<std::string>();
    case nlohmann::json::value_t::number_integer:
      return std::to_string(k.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned:
      throw ConvertError{"unsupported map key of type: uint64, key: " + key.Scalar()};
    case nlohmann::json::value_t::number_float: {
      // strconv.FormatFloat(typedKey, 'g', -1, 32) with YAML names.
      double d = k.get<double>();
      std::string s = GoFormatFloat(d, 'g', 32);
      if (s == "+Inf") s = ".inf";
      if (s == "-Inf") s = "-.inf";
      if (s == "NaN") s = ".nan";
      return s;
    }
    case nlohmann::json::value_t::boolean:
      return k.get<bool>() ? "true" : "false";
    default:
      throw ConvertError{"unsupported map key of type: <nil>, key: <nil>"};
  }
}

bool IsMergeKey(const YAML::Node& key) {
  return key.IsScalar() && key.Scalar() == "<<" &&
         (key.Tag() == "?" || key.Tag() == "tag:yaml.org,2002:merge");
}

void MergeInto(const YAML::Node& value, nlohmann::json* out);

void MapInto(const YAML::Node& node, nlohmann::json* out) {
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (IsMergeKey(it->first)) {
      MergeInto(it->second, out);
      continue;
    }
    (*out)[KeyString(it->first)] = Convert(it->second);
  }
}

// decode.go merge: a mapping, or a sequence of mappings where earlier
// ones take precedence.
void MergeInto(const YAML::Node& value, nlohmann::json* out) {
  const char* kWantMap = "yaml: map merge requires map or sequence of maps as the value";
  if (value.IsMap()) {
    MapInto(value, out);
  } else if (value.IsSequence()) {
    for (size_t i = value.size(); i-- > 0;) {
      if (!value[i].IsMap()) throw ConvertError{kWantMap};
      MapInto(value[i], out);
    }
  } else {
    throw ConvertError{kWantMap};
  }
}

nlohmann::json Convert(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar:
      return ScalarValue(node);
    case YAML::NodeType::Sequence: {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& item : node) arr.push_back(Convert(item));
      return arr;
    }
    case YAML::NodeType::Map: {
      nlohmann::json obj = nlohmann::json::object();
      MapInto(node, &obj);
      return obj;
    }
  }
  return nullptr;
}

// libyaml's wording for yaml-cpp's messages, and whether libyaml reports
// the problem from its scanner (go-yaml then prints the 1-based line) or
// its parser (go-yaml prints problem_mark.line unchanged, i.e. 0-based:
// decode.go parser.fail "Scanner errors don't iterate line").
struct MappedError {
  std::string message;
  bool scanner;
};

MappedError MapYamlCppError(const std::string& msg) {
  struct Entry {
    const char* yaml_cpp;
    const char* libyaml;
    bool scanner;
  };
  static const Entry kEntries[] = {
      {"illegal map value", "mapping values are not allowed in this context", true},
      {"illegal block entry", "block sequence entries are not allowed in this context", true},
      {"illegal map key", "mapping keys are not allowed in this context", true},
      {"unknown token", "found character that cannot start any token", true},
      {"illegal tab when looking for indentation", "found character that cannot start any token",
       true},
      {"illegal EOF in scalar", "found unexpected end of stream", true},
      {"unknown escape character", "found unknown escape character", true},
      {"end of map not found", "did not find expected key", false},
      {"end of sequence not found", "did not find expected '-' indicator", false},
      {"end of sequence flow not found", "did not find expected ',' or ']'", false},
      {"end of map flow not found", "did not find expected ',' or '}'", false},
      {"illegal flow end", "did not find expected key", false},
  };
  for (const auto& e : kEntries) {
    if (msg.rfind(e.yaml_cpp, 0) == 0) return {e.libyaml, e.scanner};
  }
  return {msg, true};
}

// The text of line `line` (0-based) of `doc`.
std::string_view LineOf(const std::string& doc, int line) {
  size_t start = 0;
  for (int i = 0; i < line; ++i) {
    size_t nl = doc.find('\n', start);
    if (nl == std::string::npos) return {};
    start = nl + 1;
  }
  size_t end = doc.find('\n', start);
  if (end == std::string::npos) end = doc.size();
  return std::string_view(doc).substr(start, end - start);
}

// True when the nearest line above `line` indented at most `column` is a
// block sequence entry ("- ...") starting exactly at `column`: libyaml is
// then inside that sequence and wants another '-' where yaml-cpp reports
// an unterminated map.
bool InsideBlockSequence(const std::string& doc, int line, int column) {
  for (int l = line - 1; l >= 0; --l) {
    std::string_view text = LineOf(doc, l);
    size_t indent = text.find_first_not_of(' ');
    if (indent == std::string_view::npos || text[indent] == '#') continue;  // blank or comment
    if (static_cast<int>(indent) > column) continue;
    return static_cast<int>(indent) == column && text[indent] == '-' &&
           (indent + 1 == text.size() || text[indent + 1] == ' ');
  }
  return false;
}

// go-yaml's message for a yaml-cpp parse failure of `doc`.
std::string YamlErrorMessage(const YAML::ParserException& e, const std::string& doc) {
  if (e.msg == "the referenced anchor is not defined") {
    // parser.go alias(): failf("unknown anchor '%s' referenced", n.value)
    std::string name;
    size_t pos = static_cast<size_t>(e.mark.pos);
    if (pos < doc.size() && doc[pos] == '*') ++pos;
    while (pos < doc.size() &&
           std::string_view(" \t\r\n,[]{}").find(doc[pos]) == std::string::npos) {
      name.push_back(doc[pos++]);
    }
    return "yaml: unknown anchor '" + name + "' referenced";
  }
  int line = e.mark.line < 0 ? 0 : e.mark.line;
  MappedError m = MapYamlCppError(e.msg);
  std::string_view text = LineOf(doc, line);
  size_t indent_end = text.find_first_not_of(" \t");
  if (text.substr(0, indent_end).find('\t') != std::string_view::npos) {
    // libyaml's scanner rejects the tab itself.
    m = {"found character that cannot start any token", true};
  } else if (e.msg == "end of map not found" && InsideBlockSequence(doc, line, e.mark.column)) {
    m = {"did not find expected '-' indicator", false};
  }
  if (m.scanner) ++line;
  if (line == 0) return "yaml: " + m.message;
  return "yaml: line " + std::to_string(line) + ": " + m.message;
}

// yaml-cpp accepts a quoted scalar left open at the end of the input when a
// newline follows it; libyaml reports "found unexpected end of stream" at
// the end of the document. Reparsing without the final newline makes
// yaml-cpp notice ("illegal EOF in scalar").
bool HasUnterminatedQuote(const std::string& doc) {
  if (doc.find_first_of("\"'") == std::string::npos) return false;
  std::string trimmed = doc;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
  try {
    YAML::Load(trimmed);
  } catch (const YAML::ParserException& e) {
    return e.msg == "illegal EOF in scalar";
  } catch (const std::exception&) {
  }
  return false;
}

// One document: sigs.k8s.io/yaml.Unmarshal of the chunk.
Status ParseYamlDocument(const std::string& doc, std::vector<nlohmann::json>* out) {
  try {
    YAML::Node node = YAML::Load(doc);
    if (HasUnterminatedQuote(doc)) {
      // The end of the stream is on the line after the last newline.
      size_t lines = static_cast<size_t>(std::count(doc.begin(), doc.end(), '\n'));
      return Status::BadRequest(std::string(kYamlToJson) + "yaml: line " +
                                std::to_string(lines + 1) + ": found unexpected end of stream");
    }
    nlohmann::json v = Convert(node);
    if (v.is_null()) return Status::Ok();  // empty or comment-only document
    NormalizeNumbers(&v);
    out->push_back(std::move(v));
    return Status::Ok();
  } catch (const YAML::ParserException& e) {
    return Status::BadRequest(kYamlToJson + YamlErrorMessage(e, doc));
  } catch (const ConvertError& e) {
    return Status::BadRequest(kYamlToJson + e.message);
  } catch (const std::exception& e) {
    return Status::BadRequest(kYamlToJson + std::string("yaml: ") + e.what());
  }
}

// Go's json.SyntaxError text approximated from nlohmann's failure.
std::string JsonSyntaxMessage(const std::string& text, size_t byte) {
  if (byte == 0 || byte > text.size()) return "unexpected EOF";
  char c = text[byte - 1];
  std::string quoted = c == '\'' ? "'\\''" : std::string("'") + c + "'";
  return "json: offset " + std::to_string(byte) + ": invalid character " + quoted +
         " looking for beginning of value";
}

StatusOr<std::vector<nlohmann::json>> ParseJsonStream(const std::string& text) {
  std::vector<nlohmann::json> docs;
  size_t pos = 0;
  auto skip_space = [&]() {
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
  };
  skip_space();
  while (pos < text.size()) {
    // Parse one value: find its end with a SAX pass that stops after it.
    nlohmann::json value;
    try {
      std::istringstream in(text.substr(pos));
      in >> value;
      std::streampos consumed = in.tellg();
      if (consumed < 0) {
        pos = text.size();
      } else {
        pos += static_cast<size_t>(consumed);
      }
    } catch (const nlohmann::json::parse_error& e) {
      return Status::BadRequest(JsonSyntaxMessage(text, pos + e.byte));
    } catch (const std::exception& e) {
      return Status::BadRequest(std::string("json: ") + e.what());
    }
    if (!value.is_null()) {
      NormalizeNumbers(&value);
      docs.push_back(std::move(value));
    }
    skip_space();
  }
  return docs;
}

}  // namespace

StatusOr<std::vector<nlohmann::json>> ParseYamlDocuments(const std::string& text) {
  try {
    // GuessJSONStream: JSON when the first non-space byte is '{'.
    size_t first = text.find_first_not_of(" \t\r\n\v\f");
    if (first != std::string::npos && text[first] == '{') return ParseJsonStream(text);

    // YAMLReader.Read: documents end at lines starting with "---"; only
    // spaces and comments may follow the separator. Lines are re-joined
    // with "\n" (bufio ReadLine drops "\r\n" and "\n").
    std::vector<nlohmann::json> docs;
    std::string buffer;
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      size_t end = nl == std::string::npos ? text.size() : nl;
      std::string line = text.substr(pos, end - pos);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      pos = nl == std::string::npos ? text.size() : nl + 1;
      if (line.rfind("---", 0) == 0) {
        std::string rest = line.substr(3);
        size_t a = rest.find_first_not_of(" \t\r\n\v\f");
        if (a != std::string::npos && rest[a] != '#') {
          size_t b = rest.find_last_not_of(" \t\r\n\v\f");
          return Status::BadRequest("invalid Yaml document separator: " +
                                    rest.substr(a, b - a + 1));
        }
        if (!buffer.empty()) {
          KUBESIM_RETURN_IF_ERROR(ParseYamlDocument(buffer, &docs));
          buffer.clear();
        }
        continue;
      }
      buffer += line;
      buffer.push_back('\n');
    }
    if (!buffer.empty()) KUBESIM_RETURN_IF_ERROR(ParseYamlDocument(buffer, &docs));
    return docs;
  } catch (const std::exception& e) {
    return Status::Internal(std::string("parsing YAML: ") + e.what());
  }
}

}  // namespace kubesim::printers
