#include <gtest/gtest.h>

#include "kubesim/api/gvr.h"
#include "kubesim/api/resource.h"

namespace kubesim::api {
namespace {

Time At(const char* rfc3339) {
  Time t;
  EXPECT_TRUE(ParseRfc3339(rfc3339, &t));
  return t;
}

std::vector<std::string> Messages(const std::vector<FieldError>& errs) {
  std::vector<std::string> out;
  for (const auto& e : errs) out.push_back(e.ToString());
  return out;
}

class EventStrategyTest : public ::testing::Test {
 protected:
  std::unique_ptr<ResourceRegistry> registry_ = NewBuiltinRegistry();
  const ResourceStrategy& s_ = *registry_->Find(kEvents);
  const Time now_ = At("2025-01-01T00:05:00Z");

  static Object Pulled() {
    return Object::parse(R"({"apiVersion":"v1","kind":"Event",
      "metadata":{"name":"web.181a2b3c4d5e6f70","namespace":"default",
                  "creationTimestamp":"2025-01-01T00:00:00Z"},
      "involvedObject":{"kind":"Pod","namespace":"default","name":"web","uid":"u-1",
                        "apiVersion":"v1","resourceVersion":"42",
                        "fieldPath":"spec.containers{nginx}"},
      "reason":"Pulled","message":"Successfully pulled image \"nginx\" in 1.2s\n",
      "source":{"component":"kubelet","host":"worker-1"},
      "firstTimestamp":"2025-01-01T00:00:00Z","lastTimestamp":"2025-01-01T00:03:00Z",
      "count":3,"type":"Normal"})");
  }
};

TEST_F(EventStrategyTest, Columns) {
  std::vector<std::string> names;
  std::vector<int> priorities;
  for (const auto& c : s_.TableColumns()) {
    names.push_back(c["name"]);
    priorities.push_back(c["priority"]);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Last Seen", "Type", "Reason", "Object", "Subobject",
                                             "Source", "Message", "First Seen", "Count", "Name"}));
  EXPECT_EQ(priorities, (std::vector<int>{0, 0, 0, 0, 1, 1, 0, 1, 1, 1}));
  EXPECT_EQ(s_.TableColumns()[9]["format"], "name");
}

TEST_F(EventStrategyTest, Row) {
  EXPECT_EQ(s_.TableCells(Pulled(), now_),
            Object::parse(R"(["2m","Normal","Pulled","pod/web","spec.containers{nginx}",
              "kubelet, worker-1","Successfully pulled image \"nginx\" in 1.2s","5m",3,
              "web.181a2b3c4d5e6f70"])"));
}

TEST_F(EventStrategyTest, RowFromNewStyleEvent) {
  // events.k8s.io-style: eventTime, series, reporting controller; no legacy
  // timestamps or count.
  Object ev = Object::parse(R"({"metadata":{"name":"n.1","namespace":"default"},
    "involvedObject":{"kind":"Node","name":"worker-1"},
    "reason":"Scheduled","type":"Normal","message":"assigned",
    "eventTime":"2025-01-01T00:01:00.000000Z",
    "reportingComponent":"default-scheduler","reportingInstance":"default-scheduler-kind"})");
  s_.PrepareForCreate(ev);
  EXPECT_EQ(s_.TableCells(ev, now_), Object::parse(R"(["4m","Normal","Scheduled","node/worker-1","",
              "default-scheduler, default-scheduler-kind","assigned","4m",1,"n.1"])"));
  ev["series"] = {{"count", 7}, {"lastObservedTime", "2025-01-01T00:04:30.000000Z"}};
  Object cells = s_.TableCells(ev, now_);
  EXPECT_EQ(cells[0], "30s");
  EXPECT_EQ(cells[8], 7);
  // No involved name: just the kind; no time at all: <unknown>.
  Object bare = Object::parse(R"({"metadata":{"name":"x","namespace":"default"},
    "involvedObject":{"kind":"ReplicaSet"},"reason":"R","message":" m "})");
  s_.PrepareForCreate(bare);
  EXPECT_EQ(s_.TableCells(bare, now_),
            Object::parse(R"(["<unknown>","","R","replicaset","","","m","<unknown>",1,"x"])"));
}

TEST_F(EventStrategyTest, CreateFillsServedFields) {
  Object ev = Object::parse(R"({"metadata":{"name":"x","namespace":"default"},
    "involvedObject":{"kind":"Pod","name":"web","namespace":"default"},"reason":"R"})");
  s_.PrepareForCreate(ev);
  EXPECT_EQ(ev, Object::parse(R"({"metadata":{"name":"x","namespace":"default"},
    "involvedObject":{"kind":"Pod","name":"web","namespace":"default"},"reason":"R",
    "source":{},"firstTimestamp":null,"lastTimestamp":null,"eventTime":null,
    "reportingComponent":"","reportingInstance":""})"));
  EXPECT_TRUE(s_.Validate(ev).empty());
}

TEST_F(EventStrategyTest, Validation) {
  Object ev = Pulled();
  ev["involvedObject"]["namespace"] = "other";
  EXPECT_EQ(
      Messages(s_.Validate(ev)),
      std::vector<std::string>{"involvedObject.namespace: Invalid value: \"other\": does not match "
                               "event.namespace"});
  // Events about cluster-scoped objects live in "default".
  Object node_event = Pulled();
  node_event["involvedObject"] = {{"kind", "Node"}, {"name", "worker-1"}};
  EXPECT_TRUE(s_.Validate(node_event).empty());
  node_event["metadata"]["namespace"] = "prod";
  EXPECT_EQ(Messages(s_.Validate(node_event)).size(), 1u);

  // New-style events need the reporting fields.
  Object fresh = Object::parse(R"({"metadata":{"name":"x","namespace":"default"},
    "involvedObject":{"kind":"Pod","name":"web","namespace":"default"},
    "eventTime":"2025-01-01T00:00:00.000000Z"})");
  s_.PrepareForCreate(fresh);
  auto msgs = Messages(s_.Validate(fresh));
  ASSERT_GE(msgs.size(), 4u);
  EXPECT_EQ(msgs[0], "reportingComponent: Required value");
  EXPECT_EQ(msgs[msgs.size() - 3], "reportingInstance: Required value");
  EXPECT_EQ(msgs[msgs.size() - 2], "action: Required value");
  EXPECT_EQ(msgs[msgs.size() - 1], "reason: Required value");
}

TEST_F(EventStrategyTest, FieldSelectors) {
  Object ev = Pulled();
  auto value = [&](const std::string& field) {
    std::string v;
    return s_.FieldValue(ev, field, &v) ? v : std::string("<unsupported>");
  };
  EXPECT_EQ(value("involvedObject.kind"), "Pod");
  EXPECT_EQ(value("involvedObject.name"), "web");
  EXPECT_EQ(value("involvedObject.namespace"), "default");
  EXPECT_EQ(value("involvedObject.uid"), "u-1");
  EXPECT_EQ(value("involvedObject.apiVersion"), "v1");
  EXPECT_EQ(value("involvedObject.resourceVersion"), "42");
  EXPECT_EQ(value("involvedObject.fieldPath"), "spec.containers{nginx}");
  EXPECT_EQ(value("reason"), "Pulled");
  EXPECT_EQ(value("type"), "Normal");
  EXPECT_EQ(value("source"), "kubelet");
  EXPECT_EQ(value("reportingComponent"), "");
  EXPECT_EQ(value("metadata.name"), "web.181a2b3c4d5e6f70");
  EXPECT_EQ(value("metadata.namespace"), "default");
  EXPECT_EQ(value("message"), "<unsupported>");
  ev["source"] = Object::object();
  ev["reportingComponent"] = "kubelet-x";
  EXPECT_EQ(value("source"), "kubelet-x");
}

}  // namespace
}  // namespace kubesim::api
