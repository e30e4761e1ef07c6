// DecodeBody (body_decode.h).
#include "body_decode.h"

#include "go_json_syntax.h"
#include "kubesim/api/errors.h"
#include "kubesim/printers/yaml.h"

namespace kubesim::http {
namespace {

using api::Object;

constexpr char kYaml[] = "application/yaml";

// The kind a create or update of this (sub)resource decodes into.
std::string KindOf(const api::ResourceRegistry& registry, const api::Request& req) {
  const api::ResourceStrategy* s = registry.Find(req.gvr);
  if (s == nullptr) return "";
  if (req.subresource == "binding") return "Binding";
  if (req.subresource == "eviction") return "Eviction";
  if (req.subresource == "scale") return "Scale";
  return s->info().kind;
}

// Go's name for a JSON value's type in an UnmarshalTypeError.
const char* GoJsonType(const Object& v) {
  if (v.is_array()) return "array";
  if (v.is_string()) return "string";
  if (v.is_boolean()) return "bool";
  return "number";
}

// runtime/serializer/json/meta.go SimpleMetaFactory.Interpret: the error
// for a value that is valid JSON but not an object.
std::string InterpretTypeError(const Object& v) {
  return std::string("couldn't get version/kind; json parse error: json: cannot unmarshal ") +
         GoJsonType(v) +
         " into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; "
         "Kind string \"json:\\\"kind,omitempty\\\"\" }";
}

// handlers/rest.go transformDecodeError without a decoded kind.
api::Response Unrecognized(const std::string& kind, const std::string& error,
                           const std::string& body) {
  return api::BadRequest("the object provided is unrecognized (must be of type " + kind +
                         "): " + error + " (" + SummarizeData(body, 30) + ")");
}

// A plain (non-Status) error through responsewriters: 500, reason unknown.
api::Response PlainError(const std::string& message) {
  return api::Response{500, Object{{"kind", "Status"},
                                   {"apiVersion", "v1"},
                                   {"metadata", Object::object()},
                                   {"status", "Failure"},
                                   {"message", message},
                                   {"code", 500}}};
}

// JSON or YAML as the object serializers read it; an error message (the
// serializer's) or the value.
struct Parsed {
  Object value;
  std::string error;
};
Parsed ParseObjectBody(const std::string& media, const std::string& body) {
  Parsed p;
  if (media == kYaml) {
    auto docs = printers::ParseYamlDocuments(body);
    if (!docs.ok()) {
      p.error = docs.status().message();
      return p;
    }
    p.value = docs->empty() ? Object() : (*docs)[0];
  } else {
    if (auto err = GoJsonSyntaxError(body)) {
      p.error = "couldn't get version/kind; json parse error: " + *err;
      return p;
    }
    p.value = Object::parse(body, nullptr, /*allow_exceptions=*/false);
    if (p.value.is_discarded()) {
      // Go accepts what nlohmann::json refuses (invalid UTF-8 in strings).
      p.error = "couldn't get version/kind; json parse error: invalid UTF-8 in string";
      return p;
    }
  }
  if (!p.value.is_object() && !p.value.is_null()) p.error = InterpretTypeError(p.value);
  return p;
}

bool ObjectMedia(const std::string& media) {
  return media.empty() || media == "application/json" || media == kYaml;
}

api::Response UnsupportedObjectMedia(const std::string& content_type) {
  return api::UnsupportedMediaType(
      content_type, {"application/json", kYaml, "application/vnd.kubernetes.protobuf"});
}

}  // namespace

DecodedBody DecodeBody(const api::ResourceRegistry& registry, const api::Request& req,
                       const std::string& media, const std::string& body) {
  DecodedBody out;
  switch (req.verb) {
    case api::Verb::kCreate:
    case api::Verb::kUpdate: {
      const std::string kind = KindOf(registry, req);
      if (kind.empty()) return out;  // no such resource: the API server's 404
      if (!ObjectMedia(media)) {
        out.error = UnsupportedObjectMedia(media);
        return out;
      }
      Parsed p = ParseObjectBody(media, body);
      if (!p.error.empty()) {
        out.error = Unrecognized(kind, p.error, body);
        return out;
      }
      out.object = std::move(p.value);
      return out;
    }
    case api::Verb::kDelete:
    case api::Verb::kDeleteCollection: {
      if (!ObjectMedia(media)) {
        out.error = UnsupportedObjectMedia(media);
        return out;
      }
      Parsed p = ParseObjectBody(media, body);
      if (!p.error.empty()) {
        out.error = PlainError(p.error);
        return out;
      }
      out.object = std::move(p.value);
      return out;
    }
    case api::Verb::kPatch: {
      if (media == api::kApplyPatch) {
        auto docs = printers::ParseYamlDocuments(body);
        if (!docs.ok()) {
          out.error = api::BadRequest("error decoding YAML: " + docs.status().message());
          return out;
        }
        out.object = docs->empty() ? Object() : (*docs)[0];
        return out;
      }
      if (auto err = GoJsonSyntaxError(body)) {
        // evanphx/json-patch MergePatch: any syntax error is ErrBadJSONPatch.
        out.error = api::BadRequest(media == api::kMergePatch ? "Invalid JSON Patch" : *err);
        return out;
      }
      out.object = Object::parse(body, nullptr, /*allow_exceptions=*/false);
      if (out.object.is_discarded()) {
        out.error = api::BadRequest("invalid UTF-8 in string");
      }
      return out;
    }
    default:
      // GET and watch bodies are never read.
      return out;
  }
}

}  // namespace kubesim::http
