// core/v1 Event: pkg/registry/core/event/strategy.go, legacyValidateEvent
// (pkg/apis/core/validation/events.go) as served to v1 clients, and
// printEvent.

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "kubesim/api/validation.h"
#include "kubesim/util/strings.h"
#include "strategies.h"

namespace kubesim::api::strategies {
namespace {

using Type = FieldError::Type;

constexpr size_t kReportingInstanceLengthLimit = 128;
constexpr size_t kActionLengthLimit = 128;
constexpr size_t kReasonLengthLimit = 128;
constexpr size_t kNoteLengthLimit = 1024;

// The non-omitempty fields of a v1 Event, as kube-apiserver serves them.
void ApplyServedFields(Object& ev) {
  if (!ev.contains("involvedObject") || !ev["involvedObject"].is_object()) {
    ev["involvedObject"] = Object::object();
  }
  if (!ev.contains("source") || !ev["source"].is_object()) ev["source"] = Object::object();
  for (const char* key : {"firstTimestamp", "lastTimestamp", "eventTime"}) {
    if (!ev.contains(key)) ev[key] = nullptr;
  }
  for (const char* key : {"reportingComponent", "reportingInstance"}) {
    if (!ev.contains(key) || !ev[key].is_string()) ev[key] = "";
  }
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

class EventStrategy final : public ResourceStrategy {
 public:
  EventStrategy() {
    info_.gvr = {"", "v1", "events"};
    info_.kind = "Event";
    info_.singular = "event";
    info_.namespaced = true;
    info_.short_names = {"ev"};
    info_.verbs = AllVerbs();
    info_.storage_prefix = "/registry/events";
  }

  const ResourceInfo& info() const override { return info_; }

  void PrepareForCreate(Object& obj) const override { ApplyServedFields(obj); }
  void PrepareForUpdate(Object& obj, const Object& old_obj,
                        const std::string& subresource) const override {
    ApplyServedFields(obj);
  }

  // legacyValidateEvent for requests in core/v1.
  std::vector<FieldError> Validate(const Object& ev) const override {
    std::vector<FieldError> errs;
    const std::string ns = Namespace(ev);
    const std::string involved_ns = GetString(ev, "/involvedObject/namespace");
    Time event_time;
    if (!ParseTimeAt(ev, "/eventTime", &event_time)) {
      // An "old" event: its namespace must agree with the involved object's.
      if (involved_ns.empty()) {
        if (!ns.empty() && ns != "default") {
          errs.push_back({Type::kInvalid, "involvedObject.namespace", involved_ns,
                          "does not match event.namespace"});
        }
      } else if (ns != involved_ns) {
        errs.push_back({Type::kInvalid, "involvedObject.namespace", involved_ns,
                        "does not match event.namespace"});
      }
    } else {
      if (involved_ns.empty() && ns != "default" && ns != "kube-system") {
        errs.push_back({Type::kInvalid, "involvedObject.namespace", involved_ns,
                        "does not match event.namespace"});
      }
      const std::string controller = GetString(ev, "/reportingComponent");
      if (controller.empty()) {
        errs.push_back({Type::kRequired, "reportingComponent", nullptr, ""});
      }
      for (const auto& msg : IsQualifiedName(controller)) {
        errs.push_back({Type::kInvalid, "reportingComponent", controller, msg});
      }
      const std::string instance = GetString(ev, "/reportingInstance");
      if (instance.empty()) errs.push_back({Type::kRequired, "reportingInstance", nullptr, ""});
      if (instance.size() > kReportingInstanceLengthLimit) {
        errs.push_back(
            {Type::kInvalid, "reportingInstance", "",
             "can have at most " + std::to_string(kReportingInstanceLengthLimit) + " characters"});
      }
      const std::string action = GetString(ev, "/action");
      if (action.empty()) errs.push_back({Type::kRequired, "action", nullptr, ""});
      if (action.size() > kActionLengthLimit) {
        errs.push_back({Type::kInvalid, "action", "",
                        "can have at most " + std::to_string(kActionLengthLimit) + " characters"});
      }
      const std::string reason = GetString(ev, "/reason");
      if (reason.empty()) errs.push_back({Type::kRequired, "reason", nullptr, ""});
      if (reason.size() > kReasonLengthLimit) {
        errs.push_back({Type::kInvalid, "reason", "",
                        "can have at most " + std::to_string(kReasonLengthLimit) + " characters"});
      }
      if (GetString(ev, "/message").size() > kNoteLengthLimit) {
        errs.push_back({Type::kInvalid, "message", "",
                        "can have at most " + std::to_string(kNoteLengthLimit) + " characters"});
      }
    }
    for (const auto& msg : IsDns1123Subdomain(ns)) {
      errs.push_back({Type::kInvalid, "namespace", ns, msg});
    }
    return errs;
  }

  Object TableColumns() const override {
    return Object::array({
        Column("Last Seen", "string", "",
               "The time at which the most recent occurrence of this event was recorded."),
        Column("Type", "string", "",
               "Type of this event (Normal, Warning), new types could be added in the future"),
        Column("Reason", "string", "",
               "This should be a short, machine understandable string that gives the reason for "
               "the transition into the object's current status."),
        Column("Object", "string", "", "The object that this event is about."),
        Column("Subobject", "string", "",
               "If referring to a piece of an object instead of an entire object, this string "
               "should contain a valid JSON/Go field access statement, such as "
               "desiredState.manifest.containers[2]. For example, if the object reference is to "
               "a container within a pod, this would take on a value like: "
               "\"spec.containers{name}\" (where \"name\" refers to the name of the container "
               "that triggered the event) or if no container name is specified "
               "\"spec.containers[2]\" (container with index 2 in this pod). This syntax is "
               "chosen only to have some well-defined way of referencing a part of an object.",
               1),
        Column("Source", "string", "",
               "The component reporting this event. Should be a short machine understandable "
               "string.",
               1),
        Column("Message", "string", "",
               "A human-readable description of the status of this operation."),
        Column("First Seen", "string", "",
               "The time at which the event was first recorded. (Time of server receipt is in "
               "TypeMeta.)",
               1),
        Column("Count", "string", "", "The number of times this event has occurred.", 1),
        Column("Name", "string", "name", kNameDescription, 1),
    });
  }

  // printEvent with Wide (kube-apiserver always generates the wide cells).
  Object TableCells(const Object& ev, Time now) const override {
    Time t;
    std::string first = TranslateTimestampSince(ev, "/firstTimestamp", now);
    if (!ParseTimeAt(ev, "/firstTimestamp", &t)) {
      first = TranslateTimestampSince(ev, "/eventTime", now);
    }
    std::string last = TranslateTimestampSince(ev, "/lastTimestamp", now);
    if (!ParseTimeAt(ev, "/lastTimestamp", &t)) last = first;
    int64_t count = GetInt(ev, "/count");
    const Object* series = Find(ev, "/series");
    if (series && series->is_object()) {
      last = TranslateTimestampSince(ev, "/series/lastObservedTime", now);
      count = GetInt(ev, "/series/count");
    } else if (count == 0) {
      count = 1;  // singleton events have no count in the new API
    }
    const std::string kind = Lower(GetString(ev, "/involvedObject/kind"));
    const std::string involved_name = GetString(ev, "/involvedObject/name");
    const std::string target = involved_name.empty() ? kind : kind + "/" + involved_name;
    return Object::array({last, GetString(ev, "/type"), GetString(ev, "/reason"), target,
                          GetString(ev, "/involvedObject/fieldPath"), FormatSource(ev),
                          TrimSpace(GetString(ev, "/message")), first, count, Name(ev)});
  }

  // ToSelectableFields for events.
  bool FieldValue(const Object& ev, const std::string& field, std::string* out) const override {
    static const char* const kInvolved[] = {"kind",       "namespace",       "name",     "uid",
                                            "apiVersion", "resourceVersion", "fieldPath"};
    for (const char* f : kInvolved) {
      if (field == std::string("involvedObject.") + f) {
        *out = GetString(ev, ("/involvedObject/" + std::string(f)).c_str());
        return true;
      }
    }
    if (field == "reason" || field == "type") {
      *out = GetString(ev, ("/" + field).c_str());
      return true;
    }
    if (field == "reportingComponent") {
      *out = GetString(ev, "/reportingComponent");
      return true;
    }
    if (field == "source") {
      *out = GetString(ev, "/source/component");
      if (out->empty()) *out = GetString(ev, "/reportingComponent");
      return true;
    }
    return ResourceStrategy::FieldValue(ev, field, out);
  }

 private:
  // formatEventSource: "component, host", falling back to the reporting
  // controller and instance.
  static std::string FormatSource(const Object& ev) {
    std::string component = GetString(ev, "/source/component");
    if (component.empty()) component = GetString(ev, "/reportingComponent");
    std::string instance = GetString(ev, "/source/host");
    if (instance.empty()) instance = GetString(ev, "/reportingInstance");
    return instance.empty() ? component : component + ", " + instance;
  }

  ResourceInfo info_;
};

}  // namespace

std::unique_ptr<ResourceStrategy> NewEventStrategy() { return std::make_unique<EventStrategy>(); }

}  // namespace kubesim::api::strategies
