// Mirrors nlohmann/detail/output/serializer.hpp (3.11) dump() with
// pretty_print=false, ensure_ascii=false, error_handler_t::strict.
#include "compact_json.h"

#include <array>
#include <charconv>
#include <cstdint>

namespace kubesim::api {
namespace {

// What a byte of a string needs: copied as is, escaped, or (a byte of a
// multi-byte UTF-8 sequence, or invalid) the whole string left to nlohmann,
// whose UTF-8 validation and error message are then exactly upstream's.
enum ByteClass : uint8_t { kPlain = 0, kEscape = 1, kNonAscii = 2 };

constexpr std::array<uint8_t, 256> MakeByteClasses() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = kEscape;
  t['"'] = kEscape;
  t['\\'] = kEscape;
  for (int c = 0x80; c < 0x100; ++c) t[c] = kNonAscii;
  return t;
}
constexpr std::array<uint8_t, 256> kByteClasses = MakeByteClasses();

// serializer::dump_escaped's escapes for the ASCII bytes that have one.
void AppendEscape(unsigned char c, std::string* out) {
  switch (c) {
    case '\b':
      out->append("\\b", 2);
      return;
    case '\t':
      out->append("\\t", 2);
      return;
    case '\n':
      out->append("\\n", 2);
      return;
    case '\f':
      out->append("\\f", 2);
      return;
    case '\r':
      out->append("\\r", 2);
      return;
    case '"':
      out->append("\\\"", 2);
      return;
    case '\\':
      out->append("\\\\", 2);
      return;
    default: {
      // snprintf("\\u%04x"): lower-case hex.
      static constexpr char kHex[] = "0123456789abcdef";
      const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
      out->append(esc, 6);
      return;
    }
  }
}

// Appends the quoted, escaped string; false (nothing appended) when it has a
// non-ASCII byte.
bool AppendAsciiString(const std::string& s, std::string* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  // Check first, so a fallback leaves nothing half-written.
  uint8_t any = 0;
  for (size_t i = 0; i < n; ++i) any |= kByteClasses[p[i]];
  if (any & kNonAscii) return false;
  out->push_back('"');
  if (any == kPlain) {
    out->append(s);
  } else {
    size_t run = 0;  // start of the bytes not yet appended
    for (size_t i = 0; i < n; ++i) {
      if (kByteClasses[p[i]] == kPlain) continue;
      out->append(s, run, i - run);
      AppendEscape(p[i], out);
      run = i + 1;
    }
    out->append(s, run, n - run);
  }
  out->push_back('"');
  return true;
}

void AppendString(const std::string& s, std::string* out) {
  if (!AppendAsciiString(s, out)) out->append(Object(s).dump());
}

template <typename Int>
void AppendInteger(Int v, std::string* out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, end - buf);
}

void Append(const Object& v, std::string* out) {
  switch (v.type()) {
    case Object::value_t::object: {
      const auto& map = v.get_ref<const Object::object_t&>();
      if (map.empty()) {
        out->append("{}", 2);
        return;
      }
      out->push_back('{');
      bool first = true;
      for (const auto& [key, child] : map) {
        if (!first) out->push_back(',');
        first = false;
        AppendString(key, out);
        out->push_back(':');
        Append(child, out);
      }
      out->push_back('}');
      return;
    }
    case Object::value_t::array: {
      const auto& items = v.get_ref<const Object::array_t&>();
      if (items.empty()) {
        out->append("[]", 2);
        return;
      }
      out->push_back('[');
      bool first = true;
      for (const auto& child : items) {
        if (!first) out->push_back(',');
        first = false;
        Append(child, out);
      }
      out->push_back(']');
      return;
    }
    case Object::value_t::string:
      if (!AppendAsciiString(v.get_ref<const std::string&>(), out)) out->append(v.dump());
      return;
    case Object::value_t::boolean:
      if (v.get<bool>()) {
        out->append("true", 4);
      } else {
        out->append("false", 5);
      }
      return;
    case Object::value_t::number_integer:
      AppendInteger(v.get<Object::number_integer_t>(), out);
      return;
    case Object::value_t::number_unsigned:
      AppendInteger(v.get<Object::number_unsigned_t>(), out);
      return;
    case Object::value_t::null:
      out->append("null", 4);
      return;
    default:
      // Floats (grisu2 and its special cases), binary, discarded.
      out->append(v.dump());
      return;
  }
}

}  // namespace

void AppendCompactJson(const Object& value, std::string* out) { Append(value, out); }

std::string CompactJson(const Object& value) {
  std::string out;
  Append(value, &out);
  return out;
}

}  // namespace kubesim::api
