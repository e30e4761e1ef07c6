// api::Find (src/api/object_meta.cc), the JSON-pointer lookup every
// component uses: objects only (arrays are not indexed), RFC 6901 escapes,
// empty keys, and a missing or non-object step.
#include <gtest/gtest.h>

#include "kubesim/api/object_meta.h"

namespace kubesim::api {
namespace {

TEST(ObjectMetaFindTest, PathsEscapesAndMisses) {
  const Object o = Object::parse(R"({
    "metadata": {"name": "p", "annotations": {"kubernetes.io/config.mirror": "m",
                                              "a~b": "tilde", "a~2": "literal", "": "empty"}},
    "spec": {"containers": [{"name": "c"}], "nodeName": "n1", "x": null},
    "": {"": "deep-empty"}, "top": 1})");
  EXPECT_EQ(GetString(o, "/metadata/name"), "p");
  EXPECT_EQ(GetString(o, "metadata/name"), "p");  // the leading '/' is optional
  EXPECT_EQ(GetString(o, "/spec/nodeName"), "n1");
  EXPECT_EQ(GetString(o, "/metadata/annotations/kubernetes.io~1config.mirror"), "m");
  EXPECT_EQ(GetString(o, "/metadata/annotations/a~0b"), "tilde");
  EXPECT_EQ(GetString(o, "/metadata/annotations/a~2"), "literal");  // not an escape
  EXPECT_EQ(GetString(o, "/metadata/annotations/"), "empty");       // an empty last token
  EXPECT_EQ(GetString(o, "//"), "deep-empty");
  EXPECT_EQ(GetInt(o, "/top"), 1);
  ASSERT_NE(Find(o, "/spec/x"), nullptr);
  EXPECT_TRUE(Find(o, "/spec/x")->is_null());
  EXPECT_EQ(Find(o, "/spec/containers/0"), nullptr);   // arrays are not indexed
  EXPECT_EQ(Find(o, "/spec/nodeName/more"), nullptr);  // a string is not an object
  EXPECT_EQ(Find(o, "/spec/missing"), nullptr);
  EXPECT_EQ(Find(o, "/metadata/annotations/kubernetes.io/config.mirror"), nullptr);
  EXPECT_EQ(GetString(o, "/metadata/annotations/a~b"), "tilde");  // "~b" is kept as is
  EXPECT_EQ(Find(Object(nullptr), "/a"), nullptr);
  EXPECT_EQ(Find(o, "/top"), &o["top"]);
}

}  // namespace
}  // namespace kubesim::api
