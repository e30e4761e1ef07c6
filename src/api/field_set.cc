// fieldpath.Set and its FieldsV1 form, after
// sigs.k8s.io/structured-merge-diff/v4/fieldpath/{set.go,serialize.go,
// serialize-pe.go,element.go}.
#include "field_set.h"

#include "compact_json.h"

namespace kubesim::api {

bool FieldSet::Empty() const {
  for (const auto& [pe, child] : children_) {
    if (child.member_ || !child.Empty()) return false;
  }
  return true;
}

void FieldSet::Insert(const FieldPath& path) {
  FieldSet* node = this;
  for (const auto& pe : path) node = &node->children_[pe];
  node->member_ = true;
}

bool FieldSet::Has(const FieldPath& path) const {
  const FieldSet* node = this;
  for (const auto& pe : path) {
    auto it = node->children_.find(pe);
    if (it == node->children_.end()) return false;
    node = &it->second;
  }
  return node->member_;
}

bool FieldSet::HasPrefix(const FieldPath& path) const {
  const FieldSet* node = this;
  for (const auto& pe : path) {
    auto it = node->children_.find(pe);
    if (it == node->children_.end()) return false;
    node = &it->second;
  }
  return node->member_ || !node->Empty();
}

void FieldSet::Union(const FieldSet& other) {
  member_ = member_ || other.member_;
  for (const auto& [pe, child] : other.children_) children_[pe].Union(child);
}

void FieldSet::Difference(const FieldSet& other) {
  if (other.member_) member_ = false;
  for (const auto& [pe, child] : other.children_) {
    auto it = children_.find(pe);
    if (it == children_.end()) continue;
    it->second.Difference(child);
  }
  Prune();
}

FieldSet FieldSet::Intersection(const FieldSet& other) const {
  FieldSet out;
  out.member_ = member_ && other.member_;
  for (const auto& [pe, child] : children_) {
    auto it = other.children_.find(pe);
    if (it == other.children_.end()) continue;
    FieldSet both = child.Intersection(it->second);
    if (both.member_ || !both.children_.empty()) out.children_.emplace(pe, std::move(both));
  }
  return out;
}

void FieldSet::FilterTop(const std::string& element, bool keep) {
  if (keep) {
    for (auto it = children_.begin(); it != children_.end();) {
      it = it->first == element ? std::next(it) : children_.erase(it);
    }
  } else {
    children_.erase(element);
  }
}

void FieldSet::Prune() {
  for (auto it = children_.begin(); it != children_.end();) {
    if (!it->second.member_ && it->second.children_.empty()) {
      it = children_.erase(it);
    } else {
      ++it;
    }
  }
}

void FieldSet::Iterate(const std::function<void(const FieldPath&)>& fn) const {
  FieldPath prefix;
  IterateFrom(prefix, fn);
}

void FieldSet::IterateFrom(FieldPath& prefix,
                           const std::function<void(const FieldPath&)>& fn) const {
  // set.go iteratePrefix: s.Members first, then s.Children.
  for (const auto& [pe, child] : children_) {
    if (!child.member_) continue;
    prefix.push_back(pe);
    fn(prefix);
    prefix.pop_back();
  }
  for (const auto& [pe, child] : children_) {
    if (child.children_.empty()) continue;
    prefix.push_back(pe);
    child.IterateFrom(prefix, fn);
    prefix.pop_back();
  }
}

Object FieldSet::ToFieldsV1() const {
  // serialize.go emitContentsV1: a member that is also a parent gets ".".
  Object out = Object::object();
  for (const auto& [pe, child] : children_) {
    if (!child.member_ && child.children_.empty()) continue;
    Object sub = child.ToFieldsV1();
    if (child.member_ && !child.children_.empty()) sub["."] = Object::object();
    out[pe] = std::move(sub);
  }
  return out;
}

StatusOr<FieldSet> FieldSet::FromFieldsV1(const Object& fields) {
  if (!fields.is_object()) return Status::BadRequest("expected an object for FieldsV1");
  FieldSet set;
  for (const auto& [key, value] : fields.items()) {
    if (key == ".") continue;  // handled by the parent
    if (key.size() < 2 || key[1] != ':' ||
        (key[0] != 'f' && key[0] != 'k' && key[0] != 'v' && key[0] != 'i')) {
      return Status::BadRequest("unknown path element prefix in " + key);
    }
    auto child = FromFieldsV1(value);
    if (!child.ok()) return child.status();
    child->member_ = value.empty() || value.contains(".");
    set.children_[key] = std::move(*child);
  }
  return set;
}

namespace {

// value.ToString: the JSON form of a value.
std::string ValueString(const Object& v) { return v.dump(); }

}  // namespace

std::string FieldPathString(const FieldPath& path) {
  // element.go PathElement.String.
  std::string out;
  for (const auto& pe : path) {
    const std::string rest = pe.substr(2);
    switch (pe[0]) {
      case 'f':
        out += "." + rest;
        break;
      case 'k': {
        Object key = Object::parse(rest, nullptr, false);
        out += "[";
        bool first = true;
        if (key.is_object()) {
          for (const auto& [k, v] : key.items()) {
            if (!first) out += ",";
            first = false;
            out += k + "=" + ValueString(v);
          }
        }
        out += "]";
        break;
      }
      case 'v':
        out += "[=" + rest + "]";
        break;
      default:
        out += "[" + rest + "]";
    }
  }
  return out;
}

std::string FieldElement(const std::string& name) { return "f:" + name; }
// CompactJson: dump()'s bytes, cheaper (one per list item per managed write).
std::string KeyElement(const Object& key_fields) { return "k:" + CompactJson(key_fields); }
std::string ValueElement(const Object& value) { return "v:" + CompactJson(value); }

}  // namespace kubesim::api
