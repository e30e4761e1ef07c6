#include "kubesim/api/object_meta.h"

#include <string>
#include <string_view>

namespace kubesim::api {

const Object* Find(const Object& o, const char* json_pointer) {
  const Object* cur = &o;
  const char* p = json_pointer;
  if (*p == '/') ++p;
  // Tokens are looked up as views (object_t's std::less<> is transparent):
  // no string per token; only an escaped token is copied, unescaped. The
  // scheduler calls this ~100 times per pod.
  std::string unescaped;
  while (true) {
    const char* slash = p;
    while (*slash && *slash != '/') ++slash;
    std::string_view token(p, slash - p);
    // RFC 6901 escapes: "~1" is '/', "~0" is '~' (annotation keys such as
    // kubernetes.io/config.mirror).
    if (token.find('~') != std::string_view::npos) {
      unescaped.clear();
      for (size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '~' && i + 1 < token.size() &&
            (token[i + 1] == '0' || token[i + 1] == '1')) {
          unescaped.push_back(token[i + 1] == '1' ? '/' : '~');
          ++i;
        } else {
          unescaped.push_back(token[i]);
        }
      }
      token = unescaped;
    }
    if (!cur->is_object()) return nullptr;
    const auto& map = cur->get_ref<const Object::object_t&>();
    auto it = map.find(token);
    if (it == map.end()) return nullptr;
    cur = &it->second;
    if (!*slash) return cur;
    p = slash + 1;
  }
}

std::string GetString(const Object& o, const char* json_pointer) {
  const Object* v = Find(o, json_pointer);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

int64_t GetInt(const Object& o, const char* json_pointer) {
  const Object* v = Find(o, json_pointer);
  return v && v->is_number() ? v->get<int64_t>() : 0;
}

std::map<std::string, std::string> Labels(const Object& o) {
  std::map<std::string, std::string> out;
  const Object* l = Find(o, "/metadata/labels");
  if (l && l->is_object()) {
    for (auto it = l->begin(); it != l->end(); ++it) {
      if (it.value().is_string()) out[it.key()] = it.value().get<std::string>();
    }
  }
  return out;
}

std::string KeyOf(const Object& o) {
  std::string ns = Namespace(o);
  return ns.empty() ? Name(o) : ns + "/" + Name(o);
}

const char* VerbName(Verb v) {
  switch (v) {
    case Verb::kGet:
      return "get";
    case Verb::kList:
      return "list";
    case Verb::kWatch:
      return "watch";
    case Verb::kCreate:
      return "create";
    case Verb::kUpdate:
      return "update";
    case Verb::kPatch:
      return "patch";
    case Verb::kDelete:
      return "delete";
    case Verb::kDeleteCollection:
      return "deletecollection";
  }
  return "get";
}

const char* WatchEventTypeName(WatchEvent::Type t) {
  switch (t) {
    case WatchEvent::Type::kAdded:
      return "ADDED";
    case WatchEvent::Type::kModified:
      return "MODIFIED";
    case WatchEvent::Type::kDeleted:
      return "DELETED";
    case WatchEvent::Type::kBookmark:
      return "BOOKMARK";
    case WatchEvent::Type::kError:
      return "ERROR";
  }
  return "ERROR";
}

}  // namespace kubesim::api
