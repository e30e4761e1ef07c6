// The stored encoding (src/api/compact_json.h) against nlohmann's dump(),
// the reference it must equal byte for byte: tricky strings (every escape,
// every control character, DEL, valid and invalid UTF-8 in values and keys),
// numbers of every type and edge, nesting, and seeded random documents.
#include "../src/api/compact_json.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <iterator>
#include <limits>
#include <string>

#include "kubesim/sim/random.h"

namespace kubesim::api {
namespace {

// Both encoders agree: same bytes, or the same exception message.
void ExpectSame(const Object& v) {
  std::string want, want_error, got, got_error;
  try {
    want = v.dump();
  } catch (const Object::exception& e) {
    want_error = e.what();
  }
  try {
    got = CompactJson(v);
  } catch (const Object::exception& e) {
    got_error = e.what();
  }
  EXPECT_EQ(got_error, want_error);
  if (want_error.empty()) {
    EXPECT_EQ(got, want);
  }
}

std::string AllBytes(int from, int to) {
  std::string s;
  for (int c = from; c < to; ++c) s.push_back(static_cast<char>(c));
  return s;
}

TEST(CompactJsonTest, Scalars) {
  for (const Object& v : {Object(nullptr),
                          Object(true),
                          Object(false),
                          Object(0),
                          Object(-1),
                          Object(42u),
                          Object(std::numeric_limits<int64_t>::min()),
                          Object(std::numeric_limits<int64_t>::max()),
                          Object(std::numeric_limits<uint64_t>::max()),
                          Object(0.0),
                          Object(-0.0),
                          Object(1.5),
                          Object(0.1),
                          Object(1e300),
                          Object(-2.5e-310),
                          Object(3.0),
                          Object(123456789012345678.0),
                          Object(std::numeric_limits<double>::quiet_NaN()),
                          Object(std::numeric_limits<double>::infinity()),
                          Object(""),
                          Object("plain"),
                          Object::object(),
                          Object::array(),
                          Object::binary({1, 2, 3}),
                          Object::binary({4, 5}, 7),
                          Object(Object::value_t::discarded)}) {
    SCOPED_TRACE(v.type_name());
    ExpectSame(v);
  }
}

TEST(CompactJsonTest, EscapesEveryAsciiByte) {
  for (int c = 0; c < 0x80; ++c) {
    SCOPED_TRACE(c);
    std::string s = "a" + std::string(1, static_cast<char>(c)) + "b";
    ExpectSame(Object(s));
    ExpectSame(Object{{s, s}});
  }
  ExpectSame(Object(AllBytes(0, 0x80)));
  ExpectSame(Object(std::string("\0\0", 2)));
  ExpectSame(Object("\"\\\"\\"));
  ExpectSame(Object("ends with a backslash\\"));
}

// Long strings are checked eight bytes at a time: a byte that needs care at
// every offset of a word, and in the tail after the last whole word.
TEST(CompactJsonTest, SpecialBytesAtEveryOffsetOfLongStrings) {
  const std::string specials[] = {
      "\"", "\\", "\n", std::string(1, '\0'), "\x1f", "\x7f", "\xc3\xa9", "\xff", " ", "~"};
  for (size_t length : {8u, 9u, 15u, 16u, 17u, 23u, 40u}) {
    for (size_t at = 0; at < length; ++at) {
      for (const std::string& special : specials) {
        std::string s(length, 'x');
        s.replace(at, 1, special);
        SCOPED_TRACE(std::to_string(length) + "/" + std::to_string(at));
        ExpectSame(Object(s));
        ExpectSame(Object{{s, 0}});
      }
    }
  }
}

TEST(CompactJsonTest, Utf8ValidAndInvalid) {
  const std::string cases[] = {
      "caf\xc3\xa9",                    // 2-byte
      "\xe2\x82\xac euro",              // 3-byte
      "\xf0\x9f\x98\x80 emoji",         // 4-byte
      "\xef\xbb\xbf bom",               // U+FEFF
      "\xc3\xa9\n\xc3\xa9\"",           // escapes next to non-ASCII
      "bad \xff byte",                  // invalid start byte
      "lone \x80 continuation",         // continuation without a lead
      "truncated \xe2\x82",             // incomplete at the end
      "\xc0\xaf overlong",              // overlong '/'
      "\xed\xa0\x80 surrogate",         // UTF-16 surrogate
      "\xf4\x90\x80\x80 above 10FFFF",  // out of range
      "ok \xc3\xa9 then bad \xc3",      // valid then incomplete
      AllBytes(0x80, 0x100),            //
  };
  for (const std::string& s : cases) {
    SCOPED_TRACE(Object(s).dump(-1, ' ', true, Object::error_handler_t::replace));
    ExpectSame(Object(s));
    ExpectSame(Object{{"k", s}});
    ExpectSame(Object{{s, 1}});
    ExpectSame(Object::array({1, s, 2}));
  }
}

TEST(CompactJsonTest, StructuresAndKeyOrder) {
  ExpectSame(Object::parse(R"({"b":1,"a":[],"c":{},"d":[{}],"e":[[],[[]]],"f":{"z":null,"":""}})"));
  ExpectSame(Object::parse(
      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default",
          "labels":{"app":"x"},"annotations":{"a/b":"{\"json\": [1, 2.5]}"}},
          "spec":{"containers":[{"name":"c","image":"nginx","resources":{"requests":
          {"cpu":"100m"}},"ports":[{"containerPort":80}]}],"priority":0,
          "terminationGracePeriodSeconds":30},"status":{"phase":"Pending","ratio":0.25}})"));
}

// A random document: nesting, every type, strings drawn from tokens
// weighted towards the bytes that need care (invalid UTF-8 now and then).
Object RandomValue(Random& rng, int depth) {
  static const std::string kTokens[] = {"a",
                                        "b",
                                        "\"",
                                        "\\",
                                        "/",
                                        "\b",
                                        "\f",
                                        "\n",
                                        "\r",
                                        "\t",
                                        "\x01",
                                        "\x1f",
                                        "\x7f",
                                        " ",
                                        std::string(1, '\0'),
                                        "\xc3\xa9",
                                        "\xe2\x82\xac",
                                        "\xf0\x9f\x98\x80"};
  auto random_string = [&] {
    std::string s;
    const size_t n = rng.Uniform(12);
    for (size_t i = 0; i < n; ++i) s += kTokens[rng.Uniform(std::size(kTokens))];
    if (rng.Uniform(100) == 0) s += "\xff";
    return s;
  };
  const uint64_t kind = rng.Uniform(depth > 0 ? 10 : 7);
  switch (kind) {
    case 0:
      return nullptr;
    case 1:
      return rng.Uniform(2) == 1;
    case 2:
      return static_cast<int64_t>(rng.Next());
    case 3:
      return rng.Next();
    case 4:
      return static_cast<double>(static_cast<int64_t>(rng.Next())) / 1e6;
    case 5:
    case 6:
      return random_string();
    case 7:
    case 8: {
      Object o = Object::object();
      const size_t n = rng.Uniform(6);
      for (size_t i = 0; i < n; ++i) o[random_string()] = RandomValue(rng, depth - 1);
      return o;
    }
    default: {
      Object a = Object::array();
      const size_t n = rng.Uniform(6);
      for (size_t i = 0; i < n; ++i) a.push_back(RandomValue(rng, depth - 1));
      return a;
    }
  }
}

TEST(CompactJsonTest, RandomDocumentsMatchDump) {
  Random rng(7, "compact_json_test");
  for (int i = 0; i < 3000 && !HasFailure(); ++i) {
    SCOPED_TRACE("document " + std::to_string(i));
    ExpectSame(RandomValue(rng, 4));
  }
}

TEST(CompactJsonTest, AppendsAfterExistingBytes) {
  std::string out = "prefix:";
  AppendCompactJson(Object{{"a", 1}}, &out);
  EXPECT_EQ(out, R"(prefix:{"a":1})");
}

}  // namespace
}  // namespace kubesim::api
