// kube-apiserver's field manager over JSON objects. See field_manager.h for
// the upstream files; each walker below names the one it follows.
#include "field_manager.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "kubesim/api/errors.h"
#include "kubesim/api/object_meta.h"
#include "ssa_schema.h"

namespace kubesim::api {
namespace {

using Shape = SsaType::Shape;

const Object& EmptyObject() {
  static const Object* o = new Object(Object::object());
  return *o;
}
const Object& NullValue() {
  static const Object* o = new Object(nullptr);
  return *o;
}

// stripmeta.go: fields no manager ever owns.
bool StrippedMetadataField(const std::string& key) {
  static const std::set<std::string>* meta = new std::set<std::string>{
      "name",        "namespace",  "creationTimestamp", "selfLink",       "uid",
      "clusterName", "generation", "managedFields",     "resourceVersion"};
  return meta->count(key) > 0;
}
bool Stripped(const FieldPath& path, const std::string& key) {
  if (path.empty()) return key == "apiVersion" || key == "kind";
  if (path.size() == 1 && path[0] == "f:metadata") return StrippedMetadataField(key);
  return false;
}

SsaField ChildField(const SsaType* t, const std::string& key) {
  if (t == nullptr || t->shape != Shape::kStruct) return {};
  auto it = t->fields.find(key);
  return it == t->fields.end() ? SsaField{} : it->second;
}

// The Go zero value's form of a field its parent always carries.
const Object* ZeroValue(const SsaField& f) {
  if (!f.zero_present) return nullptr;
  if (f.type != nullptr && (f.type->shape == Shape::kMapList || f.type->shape == Shape::kSetList)) {
    return &NullValue();
  }
  if (f.type != nullptr && f.type->shape == Shape::kAtomic) return &NullValue();
  return &EmptyObject();
}

bool IsList(const SsaType* t) {
  return t != nullptr && (t->shape == Shape::kMapList || t->shape == Shape::kSetList);
}

// typed/helpers.go listItemToPathElement: the item's key fields (with their
// schema defaults) or, for a set, its value.
std::string ItemElement(const Object& item, const SsaType* list) {
  if (list->shape == Shape::kSetList) return ValueElement(item);
  Object key = Object::object();
  for (const auto& k : list->keys) {
    if (item.is_object() && item.contains(k)) {
      key[k] = item[k];
    } else if (auto d = list->key_defaults.find(k); d != list->key_defaults.end()) {
      key[k] = d->second;
    }
  }
  return KeyElement(key);
}

// Items of a list by path element, first occurrence only, in list order.
struct IndexedList {
  std::vector<std::string> order;
  std::map<std::string, const Object*> items;
};
IndexedList Index(const Object* list, const SsaType* t) {
  IndexedList out;
  if (list == nullptr || !list->is_array()) return out;
  for (const auto& item : *list) {
    std::string pe = ItemElement(item, t);
    if (out.items.emplace(pe, &item).second) out.order.push_back(pe);
  }
  return out;
}

// typed/tofieldset.go.
void ToSet(const Object& v, const SsaType* t, FieldPath& path, FieldSet& out) {
  if (v.is_object()) {
    if (t != nullptr && t->shape == Shape::kAtomic) {
      out.Insert(path);
      return;
    }
    for (const auto& [key, child] : v.items()) {
      if (Stripped(path, key)) continue;
      path.push_back(FieldElement(key));
      ToSet(child, ChildField(t, key).type, path, out);
      path.pop_back();
    }
    return;
  }
  if (v.is_array()) {
    if (!IsList(t)) {
      out.Insert(path);
      return;
    }
    std::set<std::string> seen;
    for (const auto& item : v) {
      std::string pe = ItemElement(item, t);
      if (!seen.insert(pe).second) continue;
      path.push_back(pe);
      if (t->shape == Shape::kMapList) ToSet(item, t->elem, path, out);
      out.Insert(path);
      path.pop_back();
    }
    return;
  }
  if (!path.empty()) out.Insert(path);
}

struct Comparison {
  FieldSet added, modified, removed;
  bool Empty() const { return added.Empty() && modified.Empty() && removed.Empty(); }
};

// typed.TypedValue.Compare (the merging walker with a comparison rule and
// its post-item hook): leaves are added, removed or modified; a map, struct
// or list item present on one side only is itself added or removed (the
// "." of FieldsV1). Equal subtrees are skipped whole, which keeps a status
// write's cost to what it changed.
void Compare(const Object* l, const Object* r, const SsaType* t, FieldPath& path, Comparison& c) {
  if (l != nullptr && r != nullptr && *l == *r) return;
  auto leaf = [&] {
    if (l == nullptr) {
      c.added.Insert(path);
    } else if (r == nullptr) {
      c.removed.Insert(path);
    } else {
      c.modified.Insert(path);
    }
  };
  auto post = [&] {
    if (path.empty()) return;
    if (l == nullptr) {
      c.added.Insert(path);
    } else if (r == nullptr) {
      c.removed.Insert(path);
    }
  };
  auto absent_or = [](const Object* v, bool (Object::*is)() const) {
    return v == nullptr || v->is_null() || (v->*is)();
  };
  const bool lobj = l != nullptr && l->is_object(), robj = r != nullptr && r->is_object();
  const bool larr = l != nullptr && l->is_array(), rarr = r != nullptr && r->is_array();
  if ((lobj || robj) && absent_or(l, &Object::is_object) && absent_or(r, &Object::is_object)) {
    if (t != nullptr && t->shape == Shape::kAtomic) return leaf();
    const bool lempty = !lobj || l->empty(), rempty = !robj || r->empty();
    if (lempty && rempty) return leaf();  // emptyPromoteToLeaf
    // Zip the two sorted key sets.
    auto li = lobj ? l->begin() : EmptyObject().begin();
    auto le = lobj ? l->end() : EmptyObject().end();
    auto ri = robj ? r->begin() : EmptyObject().begin();
    auto re = robj ? r->end() : EmptyObject().end();
    while (li != le || ri != re) {
      std::string key;
      const Object* lc = nullptr;
      const Object* rc = nullptr;
      if (ri == re || (li != le && li.key() < ri.key())) {
        key = li.key();
        lc = &*li++;
      } else if (li == le || ri.key() < li.key()) {
        key = ri.key();
        rc = &*ri++;
      } else {
        key = li.key();
        lc = &*li++;
        rc = &*ri++;
      }
      if (Stripped(path, key)) continue;
      SsaField f = ChildField(t, key);
      if (lc == nullptr && lobj) lc = ZeroValue(f);
      if (rc == nullptr && robj) rc = ZeroValue(f);
      if (lc == nullptr && rc == nullptr) continue;
      path.push_back(FieldElement(key));
      Compare(lc, rc, f.type, path, c);
      path.pop_back();
    }
    return post();
  }
  if ((larr || rarr) && absent_or(l, &Object::is_array) && absent_or(r, &Object::is_array)) {
    if (!IsList(t)) return leaf();
    const bool lempty = !larr || l->empty(), rempty = !rarr || r->empty();
    if (lempty && rempty) return leaf();
    IndexedList li = Index(l, t), ri = Index(r, t);
    const SsaType* elem = t->shape == Shape::kMapList ? t->elem : nullptr;
    auto visit = [&](const std::string& pe) {
      auto lit = li.items.find(pe);
      auto rit = ri.items.find(pe);
      path.push_back(pe);
      Compare(lit == li.items.end() ? nullptr : lit->second,
              rit == ri.items.end() ? nullptr : rit->second, elem, path, c);
      path.pop_back();
    };
    for (const auto& pe : ri.order) visit(pe);
    for (const auto& pe : li.order) {
      if (!ri.items.count(pe)) visit(pe);
    }
    return post();
  }
  leaf();
}

Object Merge(const Object& l, const Object& r, const SsaType* t);

// typed/merge.go visitListItems: the result follows the applied order, with
// the live-only items kept where they were.
Object MergeList(const Object& l, const Object& r, const SsaType* t) {
  IndexedList lhs = Index(&l, t), rhs = Index(&r, t);
  const SsaType* elem = t->shape == Shape::kMapList ? t->elem : nullptr;
  std::vector<std::string> shared;
  for (const auto& pe : rhs.order) {
    if (lhs.items.count(pe)) shared.push_back(pe);
  }
  size_t next_shared_i = 0;
  const std::string* next_shared = shared.empty() ? nullptr : &shared[next_shared_i++];
  auto advance = [&] {
    next_shared = next_shared_i < shared.size() ? &shared[next_shared_i++] : nullptr;
  };
  auto merge_item = [&](const std::string& pe) {
    auto lit = lhs.items.find(pe);
    auto rit = rhs.items.find(pe);
    if (lit == lhs.items.end()) return *rit->second;
    if (rit == rhs.items.end()) return *lit->second;
    return t->shape == Shape::kMapList ? Merge(*lit->second, *rit->second, elem) : *rit->second;
  };
  Object out = Object::array();
  const size_t llen = lhs.order.size(), rlen = rhs.order.size();
  for (size_t li = 0, ri = 0; li < llen || ri < rlen;) {
    if (li < llen && ri < rlen) {
      const std::string& pe = lhs.order[li];
      if (pe == rhs.order[ri]) {
        out.push_back(merge_item(pe));
        ++li;
        ++ri;
        advance();
        continue;
      }
      if (rhs.items.count(pe) && next_shared != nullptr && *next_shared != pe) {
        ++li;  // a shared item, but not the one wanted in this round
        continue;
      }
    }
    if (li < llen) {
      const std::string& pe = lhs.order[li];
      if (!rhs.items.count(pe)) {
        out.push_back(merge_item(pe));
        ++li;
        continue;
      }
    }
    if (ri < rlen) {
      const std::string& pe = rhs.order[ri];
      out.push_back(merge_item(pe));
      ++ri;
      if (next_shared != nullptr && *next_shared == pe) advance();
    }
  }
  return out;
}

// typed.TypedValue.Merge with the applied configuration on the right:
// structs merge field by field, associative lists item by item, everything
// else (scalars, atomic values) is taken from the right.
Object Merge(const Object& l, const Object& r, const SsaType* t) {
  if (t != nullptr && t->shape == Shape::kAtomic) return r;
  if (l.is_object() && r.is_object()) {
    Object out = l;
    for (const auto& [key, rv] : r.items()) {
      auto it = l.find(key);
      out[key] = it == l.end() ? rv : Merge(*it, rv, ChildField(t, key).type);
    }
    return out;
  }
  if (l.is_array() && r.is_array() && IsList(t)) return MergeList(l, r, t);
  return r;
}

// typed.TypedValue.RemoveItems for one path; a map or list left empty goes
// too, as Go's omitempty would drop it.
bool RemovePath(Object& v, const FieldPath& path, size_t i, const SsaType* t) {
  const std::string& pe = path[i];
  const bool last = i + 1 == path.size();
  if (pe.compare(0, 2, "f:") == 0) {
    if (!v.is_object()) return false;
    auto it = v.find(pe.substr(2));
    if (it == v.end()) return false;
    if (last) {
      v.erase(it);
      return true;
    }
    bool removed = RemovePath(*it, path, i + 1, ChildField(t, it.key()).type);
    if (removed && (it->is_object() || it->is_array()) && it->empty()) v.erase(it);
    return removed;
  }
  if (!v.is_array() || !IsList(t)) return false;
  for (size_t idx = 0; idx < v.size(); ++idx) {
    if (ItemElement(v[idx], t) != pe) continue;
    if (last) {
      v.erase(idx);
      return true;
    }
    return RemovePath(v[idx], path, i + 1, t->shape == Shape::kMapList ? t->elem : nullptr);
  }
  return false;
}

// The reset fields of the strategies (GetResetFields): the main resource
// never owns status, a status write never owns spec.
void FilterReset(const FieldManagerScope& scope, const std::string& subresource, FieldSet& s) {
  if (!scope.status_reset) return;
  if (subresource.empty()) s.FilterTop("f:status", /*keep=*/false);
  if (subresource == "status") s.FilterTop("f:spec", /*keep=*/false);
}

Comparison CompareObjects(const FieldManagerScope& scope, const std::string& subresource,
                          const Object& live, const Object& obj) {
  Comparison c;
  FieldPath path;
  Compare(&live, &obj, SsaSchemaForKind(scope.kind), path, c);
  FilterReset(scope, subresource, c.added);
  FilterReset(scope, subresource, c.modified);
  FilterReset(scope, subresource, c.removed);
  return c;
}

std::string Str(const Object& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

// managedfields.go BuildManagerIdentifier: the JSON of the entry without
// fields, time, and (for appliers) apiVersion, in Go's field order.
std::string ManagerIdentifier(const ManagedEntry& e) {
  std::string s = "{";
  auto add = [&](const char* k, const std::string& v) {
    if (v.empty()) return;
    if (s.size() > 1) s += ",";
    s += std::string("\"") + k + "\":" + Object(v).dump();
  };
  add("manager", e.manager);
  add("operation", e.operation);
  add("apiVersion", e.operation == "Apply" ? "" : e.api_version);
  add("subresource", e.subresource);
  return s + "}";
}

// conflict.go printManager.
std::string PrintManager(const ManagedEntry& e) {
  std::string s = GoQuote(e.manager);
  if (!e.subresource.empty()) s += " with subresource " + GoQuote(e.subresource);
  if (e.operation == "Update") s += " using " + e.api_version;
  return s;
}

Object ConflictStatus(const std::vector<std::pair<const ManagedEntry*, FieldSet>>& conflicts) {
  // conflict.go NewConflictError, getConflictMessage; errors.NewApplyConflict.
  Object causes = Object::array();
  std::map<std::string, std::pair<const ManagedEntry*, std::vector<std::string>>> by_manager;
  size_t count = 0;
  for (const auto& [entry, set] : conflicts) {
    auto& slot = by_manager[ManagerIdentifier(*entry)];
    slot.first = entry;
    set.Iterate([&](const FieldPath& p) {
      std::string field = FieldPathString(p);
      causes.push_back({{"reason", "FieldManagerConflict"},
                        {"message", "conflict with " + PrintManager(*entry)},
                        {"field", field}});
      slot.second.push_back(field);
      ++count;
    });
  }
  std::string message;
  if (count == 1) {
    const auto& only = by_manager.begin()->second;
    message = "Apply failed with 1 conflict: conflict with " + PrintManager(*only.first) + ": " +
              only.second[0];
  } else {
    std::string lines;
    for (const auto& [id, slot] : by_manager) {
      if (!lines.empty()) lines += "\n";
      lines += "conflicts with " + PrintManager(*slot.first) + ":";
      for (const auto& f : slot.second) lines += "\n- " + f;
    }
    message = "Apply failed with " + std::to_string(count) + " conflicts: " + lines;
  }
  return {{"kind", "Status"},
          {"apiVersion", "v1"},
          {"metadata", Object::object()},
          {"status", "Failure"},
          {"message", message},
          {"reason", "Conflict"},
          {"details", {{"causes", std::move(causes)}}},
          {"code", 409}};
}

// Whether the FieldsV1 tree `fields` has `path` as a member.
bool FieldsV1Has(const Object& fields, const FieldPath& path) {
  const Object* node = &fields;
  for (const auto& pe : path) {
    if (!node->is_object()) return false;
    auto it = node->find(pe);
    if (it == node->end()) return false;
    node = &*it;
  }
  return node->is_object() && (node->empty() || node->contains("."));
}

// The common repeated write (a heartbeat, a lease renewal, a status
// refresh): the writer's entry already owns every field it changed and no
// other entry owns any of them, so only that entry's time moves. Answers the
// stored entries with the time set (re-sorted), or null when the general
// path is needed. Equivalent to it, without decoding and re-encoding FieldsV1.
Object TouchOwnEntry(const Object& live_mf, const FieldSet& self, const std::string& manager,
                     const std::string& api_version, const std::string& subresource,
                     const std::string& now) {
  if (!live_mf.is_array()) return Object();
  int mine = -1;
  for (size_t i = 0; i < live_mf.size(); ++i) {
    const Object& e = live_mf[i];
    if (!e.is_object()) return Object();
    auto f = e.find("fieldsV1");
    if (f == e.end()) return Object();
    const bool is_mine = Str(e, "manager") == manager && Str(e, "operation") == "Update" &&
                         Str(e, "apiVersion") == api_version &&
                         Str(e, "subresource") == subresource;
    if (is_mine) mine = static_cast<int>(i);
    bool ok = true;
    self.Iterate([&](const FieldPath& p) { ok = ok && FieldsV1Has(*f, p) == is_mine; });
    if (!ok) return Object();
  }
  if (mine < 0) return Object();
  Object out = live_mf;
  out[mine]["time"] = now;
  std::stable_sort(out.begin(), out.end(), [](const Object& p, const Object& q) {
    auto key = [](const Object& e) {
      return std::make_tuple(Str(e, "operation"), Str(e, "time"), Str(e, "manager"),
                             Str(e, "apiVersion"), Str(e, "subresource"));
    };
    return key(p) < key(q);
  });
  return out;
}

constexpr char kLastApplied[] = "kubectl.kubernetes.io/last-applied-configuration";

// lastappliedmanager.go allowedConflictsFromLastApplied: the fields of the
// last-applied configuration whose live values still match it.
FieldSet AllowedFromLastApplied(const FieldManagerScope& scope, const Object& live) {
  const Object* text = Find(live, "/metadata/annotations");
  if (text == nullptr || !text->is_object()) return {};
  auto it = text->find(kLastApplied);
  if (it == text->end() || !it->is_string() || it->get<std::string>().empty()) return {};
  Object last = Object::parse(it->get<std::string>(), nullptr, /*allow_exceptions=*/false);
  if (!last.is_object() || Str(last, "apiVersion") != scope.api_version) return {};
  FieldSet allowed = ObjectFieldSet(scope.kind, last);
  Comparison c;
  FieldPath path;
  Compare(&last, &live, SsaSchemaForKind(scope.kind), path, c);
  allowed.Difference(c.modified);
  allowed.Difference(c.added);
  allowed.Difference(c.removed);
  return allowed;
}

void EraseEmpty(std::vector<ManagedEntry>& entries) {
  entries.erase(std::remove_if(entries.begin(), entries.end(),
                               [](const ManagedEntry& e) { return e.fields.Empty(); }),
                entries.end());
}

// The FieldPath of a JSON pointer of AdmissionSetFields ("/spec/priority").
FieldPath PointerPath(const std::string& pointer) {
  FieldPath path;
  for (size_t start = 1; start < pointer.size();) {
    size_t end = pointer.find('/', start);
    if (end == std::string::npos) end = pointer.size();
    path.push_back(FieldElement(pointer.substr(start, end - start)));
    start = end + 1;
  }
  return path;
}

// The admission-set fields (AdmissionSetFields) the client did not send in
// `request_body`: set by admission, not by the manager, so not its own.
std::vector<FieldPath> UnsentAdmissionSetFields(const std::string& kind,
                                                const Object& request_body) {
  std::vector<FieldPath> out;
  for (const auto& pointer : AdmissionSetFields(kind)) {
    if (Find(request_body, pointer.c_str()) == nullptr) out.push_back(PointerPath(pointer));
  }
  return out;
}

// The create fast path of UpdateManagedFields (a write over no live object
// that sends no managedFields): the Compare walk above specialised to a left
// side that is absent, null or {} (the only left values a create's walk
// meets: the root's {} and the zero values ZeroValue gives below it),
// writing FieldsV1 directly instead of building FieldSets and encoding them.
// It gives exactly what the general path gives (tested against it in
// field_manager_test); it spares a create the FieldSet trees, their copies
// and ToFieldsV1, most of the manager's cost per pod.
//
// Where `out` is this node's FieldsV1 (an object of its members and
// parents) and the result says whether the node itself is a member (added
// or modified: both become the manager's).
enum class WalkLevel { kRoot, kMetadata, kOther };  // what Stripped needs of the path

bool CreateFieldsV1(const Object* l, const Object& r, const SsaType* t, WalkLevel level,
                    Object& out) {
  if (l != nullptr && *l == r) return false;
  const bool lobj = l != nullptr && l->is_object();
  const bool robj = r.is_object();
  const bool l_absent_or_null = l == nullptr || l->is_null();
  // A member child goes in as {} (a leaf) or with "." beside its children
  // (serialize.go emitContentsV1); a non-member only for its children.
  // Inserted with a hint: an object's children come in key order (and "f:"
  // keeps it), so each goes at the end; "." sorts before every element.
  // Keys are unique here (object keys; list items deduplicated below).
  auto emit = [&out](std::string pe, bool member, Object child) {
    if (!member && child.empty()) return;
    if (member && !child.empty()) {
      auto& m = child.get_ref<Object::object_t&>();
      m.emplace_hint(m.begin(), ".", Object::object());
    }
    auto& m = out.get_ref<Object::object_t&>();
    m.emplace_hint(m.end(), std::move(pe), std::move(child));
  };
  if ((lobj || robj) && (l_absent_or_null || lobj) && (r.is_null() || robj)) {
    if (t != nullptr && t->shape == Shape::kAtomic) return true;
    if (!robj || r.empty()) return true;  // emptyPromoteToLeaf
    for (const auto& [key, child] : r.items()) {
      if (level == WalkLevel::kRoot ? (key == "apiVersion" || key == "kind")
                                    : level == WalkLevel::kMetadata && StrippedMetadataField(key)) {
        continue;  // Stripped
      }
      SsaField f = ChildField(t, key);
      const Object* lc = lobj ? ZeroValue(f) : nullptr;
      const WalkLevel next =
          level == WalkLevel::kRoot && key == "metadata" ? WalkLevel::kMetadata : WalkLevel::kOther;
      Object sub = Object::object();
      const bool member = CreateFieldsV1(lc, child, f.type, next, sub);
      emit(FieldElement(key), member, std::move(sub));
    }
    return l == nullptr;
  }
  if (r.is_array() && l_absent_or_null) {
    if (!IsList(t)) return true;
    if (r.empty()) return true;
    const SsaType* elem = t->shape == Shape::kMapList ? t->elem : nullptr;
    std::set<std::string> seen;  // Index: the first item of each element
    for (const auto& item : r) {
      std::string pe = ItemElement(item, t);
      if (!seen.insert(pe).second) continue;
      Object sub = Object::object();
      const bool member = CreateFieldsV1(nullptr, item, elem, WalkLevel::kOther, sub);
      emit(std::move(pe), member, std::move(sub));
    }
    return l == nullptr;
  }
  return true;
}

// FieldSet::Difference of the single path `path` on FieldsV1 `fields`: the
// node loses its membership, and nodes left with neither membership nor
// children go, up to the root (Difference's Prune at every level). True
// when `fields` changed.
bool RemoveMember(Object& fields, const FieldPath& path, size_t i) {
  auto it = fields.find(path[i]);
  if (it == fields.end()) return false;
  Object& node = *it;
  if (i + 1 == path.size()) {
    if (node.contains(".")) {
      node.erase(".");  // a member parent: its children stay
      return true;
    }
    if (node.empty()) {
      fields.erase(it);  // a member leaf
      return true;
    }
    return false;  // a parent only, not a member
  }
  if (!RemoveMember(node, path, i + 1)) return false;
  // Below `node` a member went: a parent left with only "." is a leaf, one
  // left with nothing goes.
  if (node.empty()) {
    fields.erase(it);
  } else if (node.size() == 1 && node.contains(".")) {
    node = Object::object();
  }
  return true;
}

}  // namespace

// UpdateManagedFields, with the create fast path or (tests) without it.
static void UpdateManagedFieldsImpl(const FieldManagerScope& scope, const Object* live, Object& obj,
                                    const std::string& manager, const std::string& subresource,
                                    const std::string& now, const Object* request_body,
                                    bool allow_create_fast_path);

bool ManagedEntry::SameManager(const ManagedEntry& o) const {
  return manager == o.manager && operation == o.operation && subresource == o.subresource &&
         (operation == "Apply" || api_version == o.api_version);
}

StatusOr<std::vector<ManagedEntry>> DecodeManagedFields(const Object& obj) {
  std::vector<ManagedEntry> out;
  const Object* list = Find(obj, "/metadata/managedFields");
  if (list == nullptr || list->is_null()) return out;
  if (!list->is_array()) return Status::BadRequest("managedFields must be a list");
  for (size_t i = 0; i < list->size(); ++i) {
    const Object& e = (*list)[i];
    if (!e.is_object()) return Status::BadRequest("managedFields entries must be objects");
    ManagedEntry entry;
    entry.operation = Str(e, "operation");
    if (entry.operation != "Apply" && entry.operation != "Update") {
      return Status::BadRequest("operation must be `Apply` or `Update`");
    }
    entry.api_version = Str(e, "apiVersion");
    if (entry.api_version.empty()) return Status::BadRequest("apiVersion must not be empty");
    const std::string type = Str(e, "fieldsType");
    if (type.empty()) {
      return Status::BadRequest("missing fieldsType in managed fields entry " + std::to_string(i));
    }
    if (type != "FieldsV1") {
      return Status::BadRequest("invalid fieldsType " + GoQuote(type) +
                                " in managed fields entry " + std::to_string(i));
    }
    entry.manager = Str(e, "manager");
    entry.subresource = Str(e, "subresource");
    entry.time = Str(e, "time");
    if (auto it = e.find("fieldsV1"); it != e.end() && !it->is_null()) {
      auto set = FieldSet::FromFieldsV1(*it);
      if (!set.ok()) return set.status();
      entry.fields = std::move(*set);
    }
    // Entries are keyed by manager identity: a later duplicate wins.
    auto same = std::find_if(out.begin(), out.end(),
                             [&](const ManagedEntry& o) { return o.SameManager(entry); });
    if (same != out.end()) {
      *same = std::move(entry);
    } else {
      out.push_back(std::move(entry));
    }
  }
  return out;
}

void EncodeManagedFields(std::vector<ManagedEntry> entries, Object& obj) {
  if (entries.empty()) {
    if (obj.contains("metadata") && obj["metadata"].is_object()) {
      obj["metadata"].erase("managedFields");
    }
    return;
  }
  std::sort(entries.begin(), entries.end(), [](const ManagedEntry& p, const ManagedEntry& q) {
    if (p.operation != q.operation) return p.operation < q.operation;
    // Same-format RFC3339 UTC stamps order as their seconds; none is 0.
    if (p.time != q.time) return p.time < q.time;
    if (p.manager != q.manager) return p.manager < q.manager;
    if (p.api_version != q.api_version) return p.api_version < q.api_version;
    return p.subresource < q.subresource;
  });
  Object list = Object::array();
  for (const auto& e : entries) {
    Object o = {{"operation", e.operation},
                {"apiVersion", e.api_version},
                {"fieldsType", "FieldsV1"},
                {"fieldsV1", e.fields.ToFieldsV1()}};
    if (!e.manager.empty()) o["manager"] = e.manager;
    if (!e.time.empty()) o["time"] = e.time;
    if (!e.subresource.empty()) o["subresource"] = e.subresource;
    list.push_back(std::move(o));
  }
  obj["metadata"]["managedFields"] = std::move(list);
}

std::string ManagerOrUserAgent(const std::string& field_manager, const std::string& user_agent) {
  if (!field_manager.empty()) return field_manager;
  std::string out;
  for (char ch : user_agent) {
    if (ch == '/') break;
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) continue;  // not printable
    if (out.size() >= 128) break;
    out.push_back(ch);
  }
  return out;
}

FieldSet ObjectFieldSet(const std::string& kind, const Object& obj) {
  FieldSet out;
  FieldPath path;
  ToSet(obj, SsaSchemaForKind(kind), path, out);
  return out;
}

Object RequestBodyPresence(const std::string& kind, const Object& body) {
  Object out = Object::object();
  for (const auto& pointer : AdmissionSetFields(kind)) {
    if (Find(body, pointer.c_str()) == nullptr) continue;
    // The pointers are plain object paths (/spec/<field>): no escapes, no
    // array indices, so json_pointer builds the same path as objects.
    out[Object::json_pointer(pointer)] = nullptr;
  }
  return out;
}

void UpdateManagedFields(const FieldManagerScope& scope, const Object* live, Object& obj,
                         const std::string& manager, const std::string& subresource,
                         const std::string& now, const Object* request_body) {
  UpdateManagedFieldsImpl(scope, live, obj, manager, subresource, now, request_body,
                          /*allow_create_fast_path=*/true);
}

void UpdateManagedFieldsWithoutFastPathForTest(const FieldManagerScope& scope, const Object* live,
                                               Object& obj, const std::string& manager,
                                               const std::string& subresource,
                                               const std::string& now, const Object* request_body) {
  UpdateManagedFieldsImpl(scope, live, obj, manager, subresource, now, request_body,
                          /*allow_create_fast_path=*/false);
}

static void UpdateManagedFieldsImpl(const FieldManagerScope& scope, const Object* live, Object& obj,
                                    const std::string& manager, const std::string& subresource,
                                    const std::string& now, const Object* request_body,
                                    bool allow_create_fast_path) {
  if (live == nullptr && subresource.empty() && allow_create_fast_path &&
      Find(obj, "/metadata/managedFields") == nullptr) {
    // handlers/create.go over an empty object: one Update entry with what
    // the create sets (or none), computed by the fast path.
    Object fields = Object::object();
    CreateFieldsV1(&EmptyObject(), obj, SsaSchemaForKind(scope.kind), WalkLevel::kRoot, fields);
    if (scope.status_reset) fields.erase("f:status");  // FilterReset
    if (request_body != nullptr) {
      for (const FieldPath& path : UnsentAdmissionSetFields(scope.kind, *request_body)) {
        RemoveMember(fields, path, 0);
      }
    }
    if (fields.empty()) {
      if (obj.contains("metadata") && obj["metadata"].is_object()) {
        obj["metadata"].erase("managedFields");
      }
      return;
    }
    // EncodeManagedFields of the one entry.
    Object entry = {{"operation", "Update"},
                    {"apiVersion", scope.api_version},
                    {"fieldsType", "FieldsV1"},
                    {"fieldsV1", std::move(fields)}};
    if (!manager.empty()) entry["manager"] = manager;
    if (!now.empty()) entry["time"] = now;
    obj["metadata"]["managedFields"] = Object::array({std::move(entry)});
    return;
  }
  const Object& old = live != nullptr ? *live : EmptyObject();
  Comparison c = CompareObjects(scope, subresource, old, obj);
  // Moved, not copied: only c.removed is read below.
  FieldSet self = std::move(c.added);
  self.Union(c.modified);
  if (request_body != nullptr) {
    for (const FieldPath& path : UnsentAdmissionSetFields(scope.kind, *request_body)) {
      FieldSet one;
      one.Insert(path);
      self.Difference(one);
    }
  }
  // decodeLiveOrNew: a subresource write keeps live's entries; the main
  // resource honours what the client sent.
  const Object* sent = subresource.empty() ? Find(obj, "/metadata/managedFields") : nullptr;
  const Object* live_mf = live != nullptr ? Find(*live, "/metadata/managedFields") : nullptr;
  const bool sent_differs = sent != nullptr && (live_mf == nullptr || *sent != *live_mf);
  if (self.Empty() && c.removed.Empty() && !sent_differs) {
    // No field changes hands: live's entries stay as they are (an update
    // that takes no fields keeps its old time, managedfieldsupdater.go).
    if (live_mf != nullptr) {
      obj["metadata"]["managedFields"] = *live_mf;
    } else if (obj.contains("metadata") && obj["metadata"].is_object()) {
      obj["metadata"].erase("managedFields");
    }
    return;
  }
  if (c.removed.Empty() && !sent_differs && live_mf != nullptr) {
    Object touched = TouchOwnEntry(*live_mf, self, manager, scope.api_version, subresource, now);
    if (!touched.is_null()) {
      obj["metadata"]["managedFields"] = std::move(touched);
      return;
    }
  }
  std::vector<ManagedEntry> entries;
  bool decided = false;
  if (sent != nullptr && sent->is_array()) {
    // isResetManagedFields: [] or [{}] resets.
    if (sent->empty() || (sent->size() == 1 && (*sent)[0].is_object() && (*sent)[0].empty())) {
      decided = true;
    } else if (auto d = DecodeManagedFields(obj); d.ok() && !d->empty()) {
      entries = std::move(*d);
      decided = true;
    }
  }
  if (!decided && live != nullptr) {
    if (auto d = DecodeManagedFields(*live); d.ok()) entries = std::move(*d);
  }
  // update.go update(): what this write changed leaves the other entries,
  // what it removed leaves every entry.
  for (auto& e : entries) {
    e.fields.Difference(self);
    e.fields.Difference(c.removed);
  }
  EraseEmpty(entries);
  if (!self.Empty()) {
    ManagedEntry mine{manager, "Update", scope.api_version, subresource, now, std::move(self)};
    auto same = std::find_if(entries.begin(), entries.end(),
                             [&](const ManagedEntry& o) { return o.SameManager(mine); });
    if (same != entries.end()) {
      same->fields.Union(mine.fields);
      same->time = now;
    } else {
      entries.push_back(std::move(mine));
    }
  }
  EncodeManagedFields(std::move(entries), obj);
}

ApplyResult ApplyConfiguration(const FieldManagerScope& scope, const Object& live,
                               const Object& config, const std::string& manager, bool force,
                               const std::string& now) {
  const SsaType* schema = SsaSchemaForKind(scope.kind);
  std::vector<ManagedEntry> entries;
  if (auto d = DecodeManagedFields(live); d.ok()) entries = std::move(*d);
  FieldSet applied = ObjectFieldSet(scope.kind, config);
  FilterReset(scope, "", applied);

  ApplyResult result;
  result.object = Merge(live, config, schema);

  // update.go Apply: the configuration becomes the applier's set.
  ManagedEntry probe{manager, "Apply", scope.api_version, "", "", {}};
  auto mine = std::find_if(entries.begin(), entries.end(),
                           [&](const ManagedEntry& o) { return o.SameManager(probe); });
  FieldSet last;
  if (mine != entries.end()) {
    last = std::move(mine->fields);
    mine->fields = applied;
    mine->api_version = scope.api_version;
  } else {
    probe.fields = applied;
    entries.push_back(std::move(probe));
  }
  // update.go prune: what the applier owned before, no longer applies and
  // nobody else owns (nor anything below it) is removed.
  if (!last.Empty()) {
    FieldSet owned;
    for (const auto& e : entries) owned.Union(e.fields);
    FieldSet gone = last;
    gone.Difference(owned);
    gone.Iterate([&](const FieldPath& p) {
      if (!owned.HasPrefix(p)) RemovePath(result.object, p, 0, schema);
    });
  }
  // update.go update(): the other managers lose what this apply changed,
  // which is a conflict unless forced.
  Comparison c = CompareObjects(scope, "", live, result.object);
  FieldSet changed = c.added;
  changed.Union(c.modified);
  std::vector<std::pair<const ManagedEntry*, FieldSet>> conflicts;
  for (const auto& e : entries) {
    if (e.SameManager(ManagedEntry{manager, "Apply", "", "", "", {}})) continue;
    FieldSet both = e.fields.Intersection(changed);
    if (!both.Empty()) conflicts.emplace_back(&e, std::move(both));
  }
  if (!force && !conflicts.empty() && manager == "kubectl") {
    // lastappliedmanager.go: `kubectl apply --server-side` over an object
    // that client-side apply manages is not a conflict on the fields the
    // last-applied annotation holds with their live values.
    FieldSet allowed = AllowedFromLastApplied(scope, live);
    for (auto& [entry, set] : conflicts) set.Difference(allowed);
    conflicts.erase(std::remove_if(conflicts.begin(), conflicts.end(),
                                   [](const auto& c) { return c.second.Empty(); }),
                    conflicts.end());
  }
  if (!force && !conflicts.empty()) {
    return ApplyResult{409, ConflictStatus(conflicts), false};
  }
  for (auto& e : entries) {
    if (e.SameManager(ManagedEntry{manager, "Apply", "", "", "", {}})) continue;
    e.fields.Difference(changed);
    e.fields.Difference(c.removed);
  }
  EraseEmpty(entries);
  result.changed = !c.Empty();
  if (!result.changed) {
    // Changes the strategy would drop (status) do not count either.
    Object a = live, b = result.object;
    if (a.contains("metadata")) a["metadata"].erase("managedFields");
    if (b.contains("metadata")) b["metadata"].erase("managedFields");
    result.changed = a != b;
  }
  if (result.changed) {
    for (auto& e : entries) {
      if (e.SameManager(ManagedEntry{manager, "Apply", "", "", "", {}})) e.time = now;
    }
  }
  // lastappliedupdater.go: kubectl's server-side apply keeps an existing
  // last-applied annotation in step with what it applied.
  if (manager == "kubectl") {
    const Object* ann = Find(result.object, "/metadata/annotations");
    if (ann != nullptr && ann->is_object() && ann->contains(kLastApplied)) {
      Object applied_config = config;
      if (Object* a = applied_config.contains("metadata") && applied_config["metadata"].is_object()
                          ? &applied_config["metadata"]
                          : nullptr;
          a != nullptr && a->contains("annotations") && (*a)["annotations"].is_object()) {
        (*a)["annotations"].erase(kLastApplied);
        if ((*a)["annotations"].empty()) a->erase("annotations");
      }
      result.object["metadata"]["annotations"][kLastApplied] = applied_config.dump();
    }
  }
  EncodeManagedFields(std::move(entries), result.object);
  return result;
}

}  // namespace kubesim::api
