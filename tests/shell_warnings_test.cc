// The shell prints the API server's warnings as kubectl prints the HTTP
// Warning headers ("Warning: ..." on stderr), and takes kubectl's --validate
// flag (strict by default, warn, ignore; true/false as aliases).
#include <gtest/gtest.h>

#include "shell_test_util.h"

namespace kubesim {
namespace {

const char kTypo[] = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  replica: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx
        imagePolicy: x
)";

TEST(ShellWarningsTest, ValidateWarnPrintsEachUnknownFieldOnStderr) {
  testing::ShellHarness h;
  h.SetStdin(kTypo);
  auto r = h.Run("create --validate=warn -f -");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err,
            "Warning: unknown field \"spec.replica\"\n"
            "Warning: unknown field \"spec.template.spec.containers[0].imagePolicy\"\n");
  EXPECT_EQ(r.out, "deployment.apps/web created\n");
  // The unknown fields were dropped; the rest was stored.
  auto get = h.Run("get deploy web -o json");
  EXPECT_NE(get.out.find("\"replicas\": 1,"), std::string::npos) << get.out;
  EXPECT_EQ(get.out.find("replica\":"), std::string::npos) << get.out;
  EXPECT_EQ(get.out.find("imagePolicy"), std::string::npos) << get.out;
}

TEST(ShellWarningsTest, StrictByDefaultIgnoreIsSilent) {
  testing::ShellHarness h;
  h.SetStdin(kTypo);
  auto strict = h.Run("apply -f -");
  EXPECT_EQ(strict.code, 1);
  EXPECT_EQ(strict.out, "");
  EXPECT_EQ(strict.err,
            "Error from server (BadRequest): error when creating \"STDIN\": Deployment in "
            "version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown "
            "field \"spec.replica\", unknown field "
            "\"spec.template.spec.containers[0].imagePolicy\"\n");
  auto ignore = h.Run("apply --validate=false -f -");
  EXPECT_EQ(ignore.code, 0) << ignore.err;
  EXPECT_EQ(ignore.err, "");
  EXPECT_EQ(ignore.out, "deployment.apps/web created\n");
  // Re-applying with --validate=warn: the patch's unknown fields warn.
  auto warn = h.Run("apply --validate=warn -f -");
  EXPECT_EQ(warn.code, 0) << warn.err;
  EXPECT_EQ(warn.out, "deployment.apps/web unchanged\n");
}

TEST(ShellWarningsTest, BadValidateValueIsKubectlsError) {
  testing::ShellHarness h;
  h.SetStdin(kTypo);
  auto r = h.Run("create --validate=loose -f -");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "error: invalid - validate option \"loose\"; must be one of: strict (or true), warn, "
            "ignore (or false)\n");
  EXPECT_EQ(h.Run("get deploy -o name").out, "");
}

}  // namespace
}  // namespace kubesim
