#include "metadata_decode.h"

namespace kubesim::api {
namespace {

// encoding/json's name for a JSON value's type in UnmarshalTypeError
// ("bool", "number", "string", "array", "object").
const char* JsonTypeName(const Object& v) {
  if (v.is_boolean()) return "bool";
  if (v.is_number()) return "number";
  if (v.is_string()) return "string";
  if (v.is_array()) return "array";
  return "object";
}

// UnmarshalTypeError.Error(): "json: cannot unmarshal " + Value + " into Go
// struct field " + Struct + "." + Field + " of type " + Type.
std::string TypeError(const Object& v, const std::string& field, const std::string& go_type) {
  return std::string("json: cannot unmarshal ") + JsonTypeName(v) +
         " into Go struct field ObjectMeta.metadata." + field + " of type " + go_type;
}

}  // namespace

std::string MetadataDecodeError(const Object& obj) {
  if (!obj.is_object()) return "";
  auto it = obj.find("metadata");
  if (it == obj.end() || it->is_null()) return "";
  const Object& meta = *it;
  if (!meta.is_object()) {
    return std::string("json: cannot unmarshal ") + JsonTypeName(meta) +
           " into Go struct field .metadata of type v1.ObjectMeta";
  }
  // null leaves a Go field unchanged, so it decodes.
  for (const char* field : {"name", "generateName", "namespace", "uid", "resourceVersion"}) {
    auto f = meta.find(field);
    if (f != meta.end() && !f->is_null() && !f->is_string()) return TypeError(*f, field, "string");
  }
  for (const char* field : {"labels", "annotations"}) {
    auto f = meta.find(field);
    if (f == meta.end() || f->is_null()) continue;
    if (!f->is_object()) return TypeError(*f, field, "map[string]string");
    for (const auto& [key, value] : f->items()) {
      if (!value.is_null() && !value.is_string()) return TypeError(value, field, "string");
    }
  }
  return "";
}

}  // namespace kubesim::api
