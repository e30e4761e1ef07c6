// EventRecorder: client-go's record.recorderImpl.makeEvent plus the
// EventCorrelator's eventLogger (identical events bump count and
// lastTimestamp of the existing Event instead of creating a new one).
//
// Events are best effort: every write error is swallowed.
#include "kubesim/client/event_recorder.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "kubesim/api/object_meta.h"
#include "kubesim/util/logging.h"

namespace kubesim::client {
namespace {

const api::GroupVersionResource kEvents{"", "v1", "events"};

// How long an identical event keeps aggregating into the existing one
// (client-go's defaultAggregateIntervalInSeconds).
constexpr Duration kAggregateInterval = std::chrono::minutes(10);
// Past this many remembered events, expired entries are dropped
// (client-go's maxLruCacheEntries).
constexpr size_t kMaxSeen = 4096;
// Attempts for an update that races with other writers (409 Conflict).
constexpr int kMaxUpdateAttempts = 3;
// Attempts at a free name when other recorders took this instant's names.
constexpr int kMaxNameAttempts = 32;

std::string Hex(int64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%llx", static_cast<unsigned long long>(v));
  return buf;
}

// The ObjectReference for `object` (v1.ObjectReference, empty fields omitted).
api::Object ReferenceTo(const api::Object& object, const std::string& field_path) {
  api::Object ref = api::Object::object();
  auto put = [&ref](const char* field, const std::string& value) {
    if (!value.empty()) ref[field] = value;
  };
  put("kind", api::Kind(object));
  put("namespace", api::Namespace(object));
  put("name", api::Name(object));
  put("uid", api::Uid(object));
  put("apiVersion", api::GetString(object, "/apiVersion"));
  put("resourceVersion", api::ResourceVersion(object));
  put("fieldPath", field_path);
  return ref;
}

}  // namespace

EventRecorder::EventRecorder(Client* client, const Clock& clock, std::string component,
                             std::string host)
    : client_(client), clock_(clock), component_(std::move(component)), host_(std::move(host)) {}

void EventRecorder::Event(const api::Object& object, const std::string& type,
                          const std::string& reason, const std::string& message,
                          const std::string& field_path) {
  const Time now = clock_.Now();
  const std::string now_text = FormatRfc3339(now);
  api::Object ref = ReferenceTo(object, field_path);
  if (LogEnabled(LogLevel::kInfo)) {
    // client-go's broadcaster logs every event (record/event.go StartLogging).
    std::string key = api::Namespace(object).empty()
                          ? api::Name(object)
                          : api::Namespace(object) + "/" + api::Name(object);
    Log(LogLevel::kInfo, now, host_.empty() ? component_ : component_ + "/" + host_,
        "\"Event occurred\" object=\"" + key + "\" fieldPath=\"" + field_path + "\" kind=\"" +
            api::Kind(object) + "\" type=\"" + type + "\" reason=\"" + reason + "\" message=\"" +
            message + "\"");
  }
  std::string ns = api::Namespace(object);
  if (ns.empty()) ns = "default";

  // client-go's getEventKey: source, involved object, type, reason, message.
  std::string key;
  for (const std::string& part :
       {component_, host_, api::Kind(object), api::Namespace(object), api::Name(object), field_path,
        api::Uid(object), api::GetString(object, "/apiVersion"), type, reason, message}) {
    key += part;
    key += '\x1f';
  }

  api::Object source = {{"component", component_}};
  if (!host_.empty()) source["host"] = host_;
  // Built member by member: nlohmann's initializer lists build every
  // key/value pair as a two-element array first, and this runs for every
  // Scheduled event.
  auto make_event = [&](const std::string& name, int64_t count, Time first) {
    api::Object event = api::Object::object();
    api::Object::object_t& e = event.get_ref<api::Object::object_t&>();
    e.emplace("kind", "Event");
    e.emplace("apiVersion", "v1");
    api::Object meta = api::Object::object();
    api::Object::object_t& m = meta.get_ref<api::Object::object_t&>();
    m.emplace("name", name);
    m.emplace("namespace", ns);
    e.emplace("metadata", std::move(meta));
    e.emplace("involvedObject", ref);
    e.emplace("reason", reason);
    e.emplace("message", message);
    e.emplace("source", source);
    e.emplace("firstTimestamp", first == now ? now_text : FormatRfc3339(first));
    e.emplace("lastTimestamp", now_text);
    e.emplace("count", count);
    e.emplace("type", type);
    e.emplace("eventTime", nullptr);
    e.emplace("reportingComponent", component_);
    e.emplace("reportingInstance", host_);
    return event;
  };

  std::lock_guard<std::mutex> lock(mu_);
  if (seen_.size() > std::max(kMaxSeen, prune_at_)) {
    std::erase_if(
        seen_, [now](const auto& entry) { return now - entry.second.last > kAggregateInterval; });
    // Amortized: the next scan waits until the map has doubled.
    prune_at_ = 2 * seen_.size();
  }

  auto it = seen_.find(key);
  if (it != seen_.end() && now - it->second.last <= kAggregateInterval) {
    // An identical event: count it on the existing Event.
    Seen& seen = it->second;
    ++seen.count;
    seen.last = now;
    for (int attempt = 0; attempt < kMaxUpdateAttempts; ++attempt) {
      StatusOr<api::Object> existing = client_->Get(kEvents, seen.ns, seen.name);
      if (!existing.ok()) {
        if (existing.status().code() == StatusCode::kNotFound) {
          // Removed meanwhile: create it again under the same name, as
          // client-go's recordToSink does when the patch finds nothing.
          (void)client_->CreateDiscardingResult(kEvents, seen.ns,
                                                make_event(seen.name, seen.count, seen.first));
        }
        return;
      }
      api::Object updated = std::move(existing).value();
      updated["count"] = seen.count;
      updated["lastTimestamp"] = now_text;
      updated["message"] = message;
      StatusOr<api::Object> result = client_->Update(kEvents, std::move(updated));
      if (result.ok() || result.status().code() != StatusCode::kConflict) return;
    }
    return;
  }

  // A new event. Names carry the unix nanos of now; several events at one
  // simulated instant get successive nanos so their names differ.
  int64_t nanos = now.time_since_epoch().count();
  if (nanos <= last_name_nanos_) nanos = last_name_nanos_ + 1;
  for (int attempt = 0; attempt < kMaxNameAttempts; ++attempt, ++nanos) {
    last_name_nanos_ = nanos;
    const std::string name = api::Name(object) + "." + Hex(nanos);
    seen_[key] = Seen{ns, name, 1, now, now};
    // Only the outcome matters here, not the Event written: spares the API
    // server a copy of it per event.
    Status result = client_->CreateDiscardingResult(kEvents, ns, make_event(name, 1, now));
    // Another recorder took the name at this instant: try the next one.
    if (result.ok() || result.code() != StatusCode::kAlreadyExists) return;
  }
}

}  // namespace kubesim::client
