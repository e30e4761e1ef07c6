#include <gtest/gtest.h>

#include <string>

#include "kubesim/printers/go_format.h"
#include "kubesim/printers/json.h"

namespace kubesim::printers {
namespace {

TEST(JsonPrinterTest, IndentedLikeMarshalIndent) {
  nlohmann::json obj = {
      {"b", 1},
      {"a", {{"c", {1, 2}}, {"d", nlohmann::json::object()}, {"e", nlohmann::json::array()}}},
      {"s", "<a&b>"},
      {"u", "\xC3\xA9\xE2\x80\xA8"},  // é U+2028
      {"f", 1.5},
      {"g", 2.0},
      {"n", nullptr},
      {"t", true},
  };
  const std::string want =
      "{\n"
      "    \"a\": {\n"
      "        \"c\": [\n"
      "            1,\n"
      "            2\n"
      "        ],\n"
      "        \"d\": {},\n"
      "        \"e\": []\n"
      "    },\n"
      "    \"b\": 1,\n"
      "    \"f\": 1.5,\n"
      "    \"g\": 2,\n"
      "    \"n\": null,\n"
      "    \"s\": \"\\u003ca\\u0026b\\u003e\",\n"
      "    \"t\": true,\n"
      "    \"u\": \"\xC3\xA9\\u2028\"\n"
      "}\n";
  EXPECT_EQ(ToJson(obj), want);
}

TEST(JsonPrinterTest, Pod) {
  nlohmann::json pod = nlohmann::json::parse(R"({
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "nginx", "namespace": "default",
                 "creationTimestamp": "2025-01-01T00:00:00Z", "labels": {"run": "nginx"}},
    "spec": {"containers": [{"image": "nginx", "name": "nginx", "resources": {}}]},
    "status": {"phase": "Pending"}})");
  const std::string want = R"({
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
        "creationTimestamp": "2025-01-01T00:00:00Z",
        "labels": {
            "run": "nginx"
        },
        "name": "nginx",
        "namespace": "default"
    },
    "spec": {
        "containers": [
            {
                "image": "nginx",
                "name": "nginx",
                "resources": {}
            }
        ]
    },
    "status": {
        "phase": "Pending"
    }
}
)";
  EXPECT_EQ(ToJson(pod), want);
}

TEST(JsonPrinterTest, StringEscapes) {
  EXPECT_EQ(ToJsonCompact(std::string("\x01\b\f\n\r\t\"\\/\x7f")),
            "\"\\u0001\\b\\f\\n\\r\\t\\\"\\\\/\x7f\"");
  EXPECT_EQ(ToJsonCompact(std::string("bad\xff")), "\"bad\\ufffd\"");
  EXPECT_EQ(ToJsonCompact(std::string("\xF0\x9F\x98\x80")), "\"\xF0\x9F\x98\x80\"");
  EXPECT_EQ(ToJsonCompact(std::string("\xE2\x80\xA9")), "\"\\u2029\"");
}

TEST(JsonPrinterTest, Floats) {
  EXPECT_EQ(ToJsonCompact(1e21), "1e+21");
  EXPECT_EQ(ToJsonCompact(1e20), "100000000000000000000");
  EXPECT_EQ(ToJsonCompact(1e-7), "1e-7");
  EXPECT_EQ(ToJsonCompact(0.000001), "0.000001");
  EXPECT_EQ(ToJsonCompact(123456789.0), "123456789");
  EXPECT_EQ(ToJsonCompact(-0.5), "-0.5");
  EXPECT_EQ(ToJsonCompact(0.1), "0.1");
  EXPECT_EQ(ToJsonCompact(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(ToJsonCompact(nlohmann::json(18446744073709551615ULL)), "18446744073709551615");
  EXPECT_EQ(ToJsonCompact(nlohmann::json(-9223372036854775807LL - 1)), "-9223372036854775808");
}

TEST(JsonPrinterTest, Compact) {
  nlohmann::json obj = {
      {"b", {1, "x", nullptr}}, {"a", {{"k", "<v>"}}}, {"e", nlohmann::json::object()}};
  EXPECT_EQ(ToJsonCompact(obj),
            "{\"a\":{\"k\":\"\\u003cv\\u003e\"},\"b\":[1,\"x\",null],\"e\":{}}");
  EXPECT_EQ(ToJson(nlohmann::json::object()), "{}\n");
  EXPECT_EQ(ToJson(nlohmann::json::array()), "[]\n");
}

TEST(JsonPrinterTest, GoFormatFloat) {
  EXPECT_EQ(GoFormatFloat(1e6), "1e+06");
  EXPECT_EQ(GoFormatFloat(123456), "123456");
  EXPECT_EQ(GoFormatFloat(1234567.5), "1.2345675e+06");
  EXPECT_EQ(GoFormatFloat(0.0001), "0.0001");
  EXPECT_EQ(GoFormatFloat(0.00001), "1e-05");
  EXPECT_EQ(GoFormatFloat(0), "0");
  EXPECT_EQ(GoFormatFloat(-2.5), "-2.5");
  EXPECT_EQ(GoFormatFloat(1e100), "1e+100");
  EXPECT_EQ(GoFormatFloat(0.1, 'g', 32), "0.1");
  EXPECT_EQ(GoFormatFloat(1.5, 'e'), "1.5e+00");
  EXPECT_EQ(GoFormatFloat(1e21, 'f'), "1000000000000000000000");
  EXPECT_EQ(GoQuote("a\"b\\c\n\t\x01"), "\"a\\\"b\\\\c\\n\\t\\x01\"");
  EXPECT_EQ(GoQuote("\xC2\xB5s"), "\"\xC2\xB5s\"");
}

}  // namespace
}  // namespace kubesim::printers
