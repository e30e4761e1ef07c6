// Go's encoding/json syntax errors (src/http/go_json_syntax.h): the
// messages json.Unmarshal gives, per scanner state.
#include "../src/http/go_json_syntax.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace kubesim::http {
namespace {

TEST(GoJsonSyntaxTest, ValidValuesHaveNoError) {
  for (const char* ok : {"{}", " {\"a\":[1,-2.5e+3,true,false,null,\"x\\u00e9\\n\"]} ", "0",
                         "\"s\"", "[]", "[[{}]]", "-0.0E1"}) {
    EXPECT_EQ(GoJsonSyntaxError(ok), std::nullopt) << ok;
  }
}

TEST(GoJsonSyntaxTest, MessagesPerScannerState) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "unexpected end of JSON input"},
      {"{", "unexpected end of JSON input"},
      {"\"abc", "unexpected end of JSON input"},
      {"{bad", "invalid character 'b' looking for beginning of object key string"},
      {"{\"a\" 1}", "invalid character '1' after object key"},
      {"{\"a\":1 \"b\":2}", "invalid character '\"' after object key:value pair"},
      {"[1 2]", "invalid character '2' after array element"},
      {"[1,]", "invalid character ']' looking for beginning of value"},
      {"{} x", "invalid character 'x' after top-level value"},
      {"01", "invalid character '1' after top-level value"},
      {"not json", "invalid character 'o' in literal null (expecting 'u')"},
      {"tru", "invalid character ' ' in literal true (expecting 'e')"},
      {"fals", "invalid character ' ' in literal false (expecting 'e')"},
      {"-", "invalid character ' ' in numeric literal"},
      {"1.", "invalid character ' ' after decimal point in numeric literal"},
      {"1e+", "invalid character ' ' in exponent of numeric literal"},
      {"\"\\x\"", "invalid character 'x' in string escape code"},
      {"\"\\u12g4\"", "invalid character 'g' in \\u hexadecimal character escape"},
      {"\"a\tb\"", "invalid character '\\t' in string literal"},
      {"\x01", "invalid character '\\x01' looking for beginning of value"},
      {"'a'", "invalid character '\\'' looking for beginning of value"},
      {"\xc3\xa9", "invalid character '\xc3\x83' looking for beginning of value"},
  };
  for (const auto& [input, want] : cases) {
    EXPECT_EQ(GoJsonSyntaxError(input).value_or("(valid)"), want) << input;
  }
}

TEST(GoJsonSyntaxTest, SummarizeDataAsCreateGoes) {
  EXPECT_EQ(SummarizeData("", 30), "<empty>");
  EXPECT_EQ(SummarizeData("{bad", 30), "{bad");
  EXPECT_EQ(SummarizeData(std::string("{") + std::string(40, 'a'), 30),
            "{" + std::string(29, 'a') + " ...");
  EXPECT_EQ(SummarizeData("not json", 30), "6e6f74206a736f6e");
  std::string hex;
  for (int i = 0; i < 30; ++i) hex += "61";
  EXPECT_EQ(SummarizeData(std::string(31, 'a'), 30), hex + " ...");
}

}  // namespace
}  // namespace kubesim::http
