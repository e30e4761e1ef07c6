// Mirrors nlohmann/detail/output/serializer.hpp (3.11) dump() with
// pretty_print=false, ensure_ascii=false, error_handler_t::strict.
#include "compact_json.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>

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

// The output: bytes written straight into the string's buffer, grown by
// doubling and cut to size at the end. std::string::push_back per byte is an
// out-of-line call; this spares that on every bracket, comma and colon.
class Writer {
 public:
  explicit Writer(std::string* out)
      : out_(out), data_(out->data()), size_(out->size()), used_(out->size()) {}
  ~Writer() { out_->resize(used_); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Inlined: the common case is a store into room already there.
  [[gnu::always_inline]] void Put(char c) {
    if (used_ == size_) Grow(1);
    data_[used_++] = c;
  }
  [[gnu::always_inline]] void Put(const char* p, size_t n) {
    if (size_ - used_ < n) Grow(n);
    std::memcpy(data_ + used_, p, n);
    used_ += n;
  }

 private:
  [[gnu::noinline]] void Grow(size_t n) {
    out_->resize(std::max(size_ * 2, used_ + n + 256));
    data_ = out_->data();
    size_ = out_->size();
  }

  std::string* const out_;
  char* data_;   // out_->data()
  size_t size_;  // out_->size(): bytes of room
  size_t used_;  // bytes written; the rest is scratch
};

// True when some byte of `word` is not kPlain: < 0x20, '"', '\\' or >= 0x80
// (the bit tricks of "Bit Twiddling Hacks", exact for "some byte"; which
// byte does not matter, the caller then checks byte by byte).
constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighs = 0x8080808080808080ULL;
constexpr bool HasZeroByte(uint64_t v) { return ((v - kOnes) & ~v & kHighs) != 0; }
constexpr bool HasSpecialByte(uint64_t w) {
  return (w & kHighs) != 0 ||                        // >= 0x80
         ((w - kOnes * 0x20) & ~w & kHighs) != 0 ||  // < 0x20 (given no byte >= 0x80)
         HasZeroByte(w ^ (kOnes * '"')) || HasZeroByte(w ^ (kOnes * '\\'));
}
static_assert(!HasSpecialByte(0x6162636465666768ULL));  // "abcdefgh"
static_assert(HasSpecialByte(0x616263646566671fULL));
static_assert(HasSpecialByte(0x2261626364656667ULL));
static_assert(HasSpecialByte(0x616263645c656667ULL));
static_assert(HasSpecialByte(0x6162638064656667ULL));
static_assert(HasSpecialByte(0x6162636465666700ULL));
static_assert(!HasSpecialByte(0x2021237e7f5b5d20ULL));  // " !#~\x7f[] "

// serializer::dump_escaped's escapes for the ASCII bytes that have one.
void PutEscape(unsigned char c, Writer& w) {
  switch (c) {
    case '\b':
      return w.Put("\\b", 2);
    case '\t':
      return w.Put("\\t", 2);
    case '\n':
      return w.Put("\\n", 2);
    case '\f':
      return w.Put("\\f", 2);
    case '\r':
      return w.Put("\\r", 2);
    case '"':
      return w.Put("\\\"", 2);
    case '\\':
      return w.Put("\\\\", 2);
    default: {
      // snprintf("\\u%04x"): lower-case hex.
      static constexpr char kHex[] = "0123456789abcdef";
      const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
      return w.Put(esc, 6);
    }
  }
}

// Writes the quoted, escaped string; false (nothing written) when it has a
// non-ASCII byte.
bool PutAsciiString(const std::string& s, Writer& w) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  // Check first, so a fallback leaves nothing half-written.
  uint8_t any = 0;
  size_t i = 0;
  // Eight bytes at a time while they are all plain (most strings are).
  for (; i + 8 <= n; i += 8) {
    uint64_t word;
    std::memcpy(&word, p + i, 8);
    if (HasSpecialByte(word)) break;
  }
  for (; i < n; ++i) any |= kByteClasses[p[i]];
  if (any & kNonAscii) return false;
  w.Put('"');
  if (any == kPlain) {
    w.Put(s.data(), n);
  } else {
    size_t run = 0;  // start of the bytes not yet written
    for (size_t i = 0; i < n; ++i) {
      if (kByteClasses[p[i]] == kPlain) continue;
      w.Put(s.data() + run, i - run);
      PutEscape(p[i], w);
      run = i + 1;
    }
    w.Put(s.data() + run, n - run);
  }
  w.Put('"');
  return true;
}

void PutDump(const Object& v, Writer& w) {
  const std::string text = v.dump();
  w.Put(text.data(), text.size());
}

void PutString(const std::string& s, Writer& w) {
  if (!PutAsciiString(s, w)) PutDump(Object(s), w);
}

template <typename Int>
void PutInteger(Int v, Writer& w) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  w.Put(buf, end - buf);
}

void Put(const Object& v, Writer& w) {
  switch (v.type()) {
    case Object::value_t::object: {
      const auto& map = v.get_ref<const Object::object_t&>();
      if (map.empty()) return w.Put("{}", 2);
      w.Put('{');
      bool first = true;
      for (const auto& [key, child] : map) {
        if (!first) w.Put(',');
        first = false;
        PutString(key, w);
        w.Put(':');
        Put(child, w);
      }
      return w.Put('}');
    }
    case Object::value_t::array: {
      const auto& items = v.get_ref<const Object::array_t&>();
      if (items.empty()) return w.Put("[]", 2);
      w.Put('[');
      bool first = true;
      for (const auto& child : items) {
        if (!first) w.Put(',');
        first = false;
        Put(child, w);
      }
      return w.Put(']');
    }
    case Object::value_t::string:
      if (!PutAsciiString(v.get_ref<const std::string&>(), w)) PutDump(v, w);
      return;
    case Object::value_t::boolean:
      return v.get<bool>() ? w.Put("true", 4) : w.Put("false", 5);
    case Object::value_t::number_integer:
      return PutInteger(v.get<Object::number_integer_t>(), w);
    case Object::value_t::number_unsigned:
      return PutInteger(v.get<Object::number_unsigned_t>(), w);
    case Object::value_t::null:
      return w.Put("null", 4);
    default:
      // Floats (grisu2 and its special cases), binary, discarded.
      return PutDump(v, w);
  }
}

}  // namespace

void AppendCompactJson(const Object& value, std::string* out) {
  Writer w(out);
  Put(value, w);
}

std::string CompactJson(const Object& value) {
  std::string out;
  AppendCompactJson(value, &out);
  return out;
}

}  // namespace kubesim::api
