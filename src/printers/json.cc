#include "kubesim/printers/json.h"

#include <cmath>
#include <string>

#include "kubesim/printers/go_format.h"

namespace kubesim::printers {

namespace {

// Writes `v`; indent < 0 means compact (json.Marshal), otherwise the
// json.MarshalIndent(v, "", "    ") layout at nesting depth `depth`.
void Write(const nlohmann::json& v, int indent, int depth, std::string* out) {
  auto newline = [&](int d) {
    out->push_back('\n');
    out->append(static_cast<size_t>(indent * d), ' ');
  };
  switch (v.type()) {
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      out->append("null");
      return;
    case nlohmann::json::value_t::boolean:
      out->append(v.get<bool>() ? "true" : "false");
      return;
    case nlohmann::json::value_t::number_integer:
      out->append(std::to_string(v.get<int64_t>()));
      return;
    case nlohmann::json::value_t::number_unsigned:
      out->append(std::to_string(v.get<uint64_t>()));
      return;
    case nlohmann::json::value_t::number_float: {
      double d = v.get<double>();
      out->append(std::isfinite(d) ? GoJsonFloat(d) : "null");
      return;
    }
    case nlohmann::json::value_t::string:
      AppendJsonString(v.get_ref<const std::string&>(), out);
      return;
    case nlohmann::json::value_t::binary:
      out->append("null");
      return;
    case nlohmann::json::value_t::array: {
      // json.Indent keeps empty arrays as "[]".
      if (v.empty()) {
        out->append("[]");
        return;
      }
      out->push_back('[');
      bool first = true;
      for (const auto& e : v) {
        if (!first) out->push_back(',');
        first = false;
        if (indent >= 0) newline(depth + 1);
        Write(e, indent, depth + 1, out);
      }
      if (indent >= 0) newline(depth);
      out->push_back(']');
      return;
    }
    case nlohmann::json::value_t::object: {
      if (v.empty()) {
        out->append("{}");
        return;
      }
      out->push_back('{');
      bool first = true;
      // nlohmann's default object is a std::map: keys already sorted
      // byte-wise, as Go sorts map keys.
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out->push_back(',');
        first = false;
        if (indent >= 0) newline(depth + 1);
        AppendJsonString(it.key(), out);
        out->append(indent >= 0 ? ": " : ":");
        Write(it.value(), indent, depth + 1, out);
      }
      if (indent >= 0) newline(depth);
      out->push_back('}');
      return;
    }
  }
}

}  // namespace

// encoding/json/encode.go appendString with escapeHTML=true (the default
// of json.Marshal/MarshalIndent), Go >= 1.22 (\b and \f short escapes).
void AppendJsonString(const std::string& s, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      bool html = b == '<' || b == '>' || b == '&';
      if (b >= 0x20 && b != '"' && b != '\\' && !html) {
        out->push_back(static_cast<char>(b));
        ++i;
        continue;
      }
      switch (b) {
        case '\\':
        case '"':
          out->push_back('\\');
          out->push_back(static_cast<char>(b));
          break;
        case '\b':
          out->append("\\b");
          break;
        case '\f':
          out->append("\\f");
          break;
        case '\n':
          out->append("\\n");
          break;
        case '\r':
          out->append("\\r");
          break;
        case '\t':
          out->append("\\t");
          break;
        default:
          // This encodes bytes < 0x20 except for \b, \f, \n, \r and \t,
          // and <, >, & (escapeHTML).
          out->append("\\u00");
          out->push_back(kHex[b >> 4]);
          out->push_back(kHex[b & 0xF]);
      }
      ++i;
      continue;
    }
    size_t w;
    char32_t r = DecodeRune(s, i, &w);
    if (r == 0xFFFD && w == 1) {
      out->append("\\ufffd");
      i += w;
      continue;
    }
    // U+2028 is LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR: escaped so the
    // output is valid JavaScript too.
    if (r == 0x2028 || r == 0x2029) {
      out->append("\\u202");
      out->push_back(kHex[r & 0xF]);
      i += w;
      continue;
    }
    out->append(s, i, w);
    i += w;
  }
  out->push_back('"');
}

// cli-runtime/pkg/printers/json.go JSONPrinter.PrintObj:
//   data, err := json.MarshalIndent(obj, "", "    "); data = append(data, '\n')
std::string ToJson(const nlohmann::json& obj) {
  std::string out;
  Write(obj, 4, 0, &out);
  out.push_back('\n');
  return out;
}

std::string ToJsonCompact(const nlohmann::json& obj) {
  std::string out;
  Write(obj, -1, 0, &out);
  return out;
}

}  // namespace kubesim::printers
