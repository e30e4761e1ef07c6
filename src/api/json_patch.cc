// JSON patch (RFC 6902) and JSON merge patch (RFC 7386) with the semantics of
// gopkg.in/evanphx/json-patch.v4, the library kube-apiserver applies them with
// (apiserver/pkg/endpoints/handlers/patch.go jsonPatcher.applyJSPatch):
// DecodePatch errors are 400 with encoding/json's text; Apply errors are 422.
#include <string>
#include <vector>

#include "kubesim/api/patch.h"

namespace kubesim::api {
namespace {

// patch.go maxJSONPatchOperations.
constexpr size_t kMaxJsonPatchOperations = 10000;

struct OpFailure {
  std::string message;
};

[[noreturn]] void Fail(std::string message) { throw OpFailure{std::move(message)}; }

// Splits a JSON pointer into unescaped tokens ("~1" -> "/", "~0" -> "~").
std::vector<std::string> ParsePointer(const std::string& path) {
  std::vector<std::string> tokens;
  if (path.empty()) return tokens;
  if (path[0] != '/') Fail("JSON pointer must be empty or start with a \"/\": " + path);
  size_t start = 1;
  while (true) {
    size_t slash = path.find('/', start);
    std::string raw =
        path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    std::string token;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size() && raw[i + 1] == '1') {
        token.push_back('/');
        ++i;
      } else if (raw[i] == '~' && i + 1 < raw.size() && raw[i + 1] == '0') {
        token.push_back('~');
        ++i;
      } else {
        token.push_back(raw[i]);
      }
    }
    tokens.push_back(std::move(token));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return tokens;
}

// An array index as evanphx parses it (strconv.Atoi; negative indices count
// from the end). `len_limit` is the largest valid index + 1.
int64_t ArrayIndex(const std::string& token, size_t size, size_t len_limit) {
  if (token.empty())
    Fail("Unable to access invalid index: " + token + ": invalid index referenced");
  size_t pos = 0;
  int64_t idx = 0;
  try {
    idx = std::stoll(token, &pos);
  } catch (...) {
    Fail("strconv.Atoi: parsing \"" + token + "\": invalid syntax");
  }
  if (pos != token.size()) Fail("strconv.Atoi: parsing \"" + token + "\": invalid syntax");
  if (idx < 0) {
    if (idx < -static_cast<int64_t>(size)) {
      Fail("Unable to access invalid index: " + token + ": invalid index referenced");
    }
    idx += static_cast<int64_t>(size);
  }
  if (idx >= static_cast<int64_t>(len_limit)) {
    Fail("Unable to access invalid index: " + token + ": invalid index referenced");
  }
  return idx;
}

// findObject: the container holding the last token, or nullptr.
Object* Parent(Object& doc, const std::vector<std::string>& tokens) {
  Object* cur = &doc;
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (cur->is_object()) {
      auto it = cur->find(tokens[i]);
      if (it == cur->end()) return nullptr;
      cur = &*it;
    } else if (cur->is_array()) {
      int64_t idx;
      try {
        idx = ArrayIndex(tokens[i], cur->size(), cur->size());
      } catch (const OpFailure&) {
        return nullptr;
      }
      cur = &(*cur)[static_cast<size_t>(idx)];
    } else {
      return nullptr;
    }
  }
  return cur;
}

const Object* Get(Object& doc, const std::string& path, const char* op) {
  std::vector<std::string> tokens = ParsePointer(path);
  if (tokens.empty()) return &doc;
  Object* parent = Parent(doc, tokens);
  const std::string& last = tokens.back();
  if (parent != nullptr && parent->is_object()) {
    auto it = parent->find(last);
    if (it != parent->end()) return &*it;
  } else if (parent != nullptr && parent->is_array()) {
    int64_t idx = ArrayIndex(last, parent->size(), parent->size());
    return &(*parent)[static_cast<size_t>(idx)];
  }
  Fail(std::string(op) + " operation does not apply: doc is missing path: \"" + path +
       "\": missing value");
}

void Add(Object& doc, const std::string& path, Object value) {
  std::vector<std::string> tokens = ParsePointer(path);
  if (tokens.empty()) {
    doc = std::move(value);
    return;
  }
  Object* parent = Parent(doc, tokens);
  if (parent == nullptr || !(parent->is_object() || parent->is_array())) {
    Fail("add operation does not apply: doc is missing path: \"" + path + "\": missing value");
  }
  const std::string& last = tokens.back();
  if (parent->is_object()) {
    (*parent)[last] = std::move(value);
    return;
  }
  if (last == "-") {
    parent->push_back(std::move(value));
    return;
  }
  int64_t idx = ArrayIndex(last, parent->size(), parent->size() + 1);
  parent->insert(parent->begin() + idx, std::move(value));
}

void Remove(Object& doc, const std::string& path) {
  std::vector<std::string> tokens = ParsePointer(path);
  Object* parent = tokens.empty() ? nullptr : Parent(doc, tokens);
  if (parent == nullptr || !(parent->is_object() || parent->is_array())) {
    Fail("remove operation does not apply: doc is missing path: \"" + path + "\": missing value");
  }
  const std::string& last = tokens.back();
  if (parent->is_object()) {
    if (parent->erase(last) == 0) {
      Fail("error in remove for path: \"" + path + "\": Unable to remove nonexistent key: " + last +
           ": missing value");
    }
    return;
  }
  int64_t idx = ArrayIndex(last, parent->size(), parent->size());
  parent->erase(static_cast<size_t>(idx));
}

void Replace(Object& doc, const std::string& path, Object value) {
  std::vector<std::string> tokens = ParsePointer(path);
  if (tokens.empty()) {
    doc = std::move(value);
    return;
  }
  Object* parent = Parent(doc, tokens);
  if (parent == nullptr || !(parent->is_object() || parent->is_array())) {
    Fail("replace operation does not apply: doc is missing path: " + path + ": missing value");
  }
  const std::string& last = tokens.back();
  if (parent->is_object()) {
    if (!parent->contains(last)) {
      Fail("replace operation does not apply: doc is missing key: " + path + ": missing value");
    }
    (*parent)[last] = std::move(value);
    return;
  }
  int64_t idx = ArrayIndex(last, parent->size(), parent->size());
  (*parent)[static_cast<size_t>(idx)] = std::move(value);
}

std::string StringMember(const Object& op, const char* name, const char* missing) {
  auto it = op.find(name);
  if (it == op.end() || it->is_null()) Fail(missing);
  if (!it->is_string()) {
    Fail("json: cannot unmarshal " + std::string(it->type_name()) +
         " into Go value of type string");
  }
  return it->get<std::string>();
}

}  // namespace

StatusOr<Object> ApplyJsonPatch(const Object& doc, const Object& patch) {
  // DecodePatch: a JSON array of objects.
  if (!patch.is_array()) {
    std::string type = patch.is_object() ? "object" : patch.is_string() ? "string" : "number";
    return Status::BadRequest("json: cannot unmarshal " + type +
                              " into Go value of type jsonpatch.Patch");
  }
  for (const auto& op : patch) {
    if (!op.is_object()) {
      std::string type = op.is_array() ? "array" : op.is_string() ? "string" : "number";
      return Status::BadRequest("json: cannot unmarshal " + type +
                                " into Go value of type jsonpatch.Operation");
    }
  }
  if (patch.size() > kMaxJsonPatchOperations) {
    return Status(StatusCode::kRequestEntityTooLarge,
                  "The allowed maximum operations in a JSON patch is " +
                      std::to_string(kMaxJsonPatchOperations) + ", got " +
                      std::to_string(patch.size()));
  }
  Object out = doc;
  try {
    for (const auto& op : patch) {
      auto kind_it = op.find("op");
      std::string kind =
          kind_it != op.end() && kind_it->is_string() ? kind_it->get<std::string>() : "unknown";
      Object value = op.contains("value") ? op["value"] : Object();
      if (kind == "add") {
        Add(out, StringMember(op, "path", "add operation failed to decode path"), value);
      } else if (kind == "remove") {
        Remove(out, StringMember(op, "path", "remove operation failed to decode path"));
      } else if (kind == "replace") {
        Replace(out, StringMember(op, "path", "replace operation failed to decode path"), value);
      } else if (kind == "move") {
        std::string from = StringMember(op, "from", "move operation failed to decode from");
        std::string path = StringMember(op, "path", "move operation failed to decode path");
        Object moved = *Get(out, from, "move");
        Remove(out, from);
        Add(out, path, std::move(moved));
      } else if (kind == "copy") {
        std::string from = StringMember(op, "from", "copy operation failed to decode from");
        std::string path = StringMember(op, "path", "copy operation failed to decode path");
        Object copied = *Get(out, from, "copy");
        Add(out, path, std::move(copied));
      } else if (kind == "test") {
        std::string path = StringMember(op, "path", "test operation failed to decode path");
        const Object* have = nullptr;
        try {
          have = Get(out, path, "test");
        } catch (const OpFailure&) {
          have = nullptr;
        }
        // evanphx: a missing path equals a null value.
        bool equal = have == nullptr ? value.is_null() : *have == value;
        if (!equal) Fail("testing value " + path + " failed: test failed");
      } else {
        Fail("Unexpected kind: " + kind);
      }
    }
  } catch (const OpFailure& f) {
    return Status::Invalid(f.message);
  } catch (const std::exception& e) {
    return Status::Invalid(e.what());
  }
  return out;
}

StatusOr<Object> ApplyMergePatch(const Object& doc, const Object& patch) {
  if (!patch.is_object()) return Status::BadRequest("Invalid JSON Patch");
  Object out = doc;
  out.merge_patch(patch);
  return out;
}

}  // namespace kubesim::api
