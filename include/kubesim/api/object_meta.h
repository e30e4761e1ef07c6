// Small accessors over JSON objects, so callers don't spell paths by hand.
// All are total: a missing field reads as empty/zero, never throws.
#ifndef KUBESIM_API_OBJECT_META_H_
#define KUBESIM_API_OBJECT_META_H_

#include <map>
#include <string>

#include "kubesim/api/types.h"

namespace kubesim::api {

std::string GetString(const Object& o, const char* json_pointer);  // "" if absent/not a string
int64_t GetInt(const Object& o, const char* json_pointer);         // 0 if absent/not a number
const Object* Find(const Object& o, const char* json_pointer);     // nullptr if absent

inline std::string Name(const Object& o) { return GetString(o, "/metadata/name"); }
inline std::string Namespace(const Object& o) { return GetString(o, "/metadata/namespace"); }
inline std::string Uid(const Object& o) { return GetString(o, "/metadata/uid"); }
inline std::string Kind(const Object& o) { return GetString(o, "/kind"); }
inline std::string ResourceVersion(const Object& o) {
  return GetString(o, "/metadata/resourceVersion");
}
std::map<std::string, std::string> Labels(const Object& o);
// "ns/name" for namespaced objects, "name" otherwise (client-go's
// MetaNamespaceKeyFunc).
std::string KeyOf(const Object& o);

}  // namespace kubesim::api

#endif  // KUBESIM_API_OBJECT_META_H_
