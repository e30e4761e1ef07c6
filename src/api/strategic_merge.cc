// Strategic merge patch, following
// k8s.io/apimachinery/pkg/util/strategicpatch/patch.go (StrategicMergeMapPatch
// with MergeParallelList and IgnoreUnmatchedNulls, as kube-apiserver calls it
// from apiserver/pkg/endpoints/handlers/patch.go applyPatchToObject) function
// by function: mergeMap, mergePatchIntoOriginal ($setElementOrder),
// applyRetainKeysDirective, mergeSlice, mergeSliceWithSpecialElements,
// normalizeElementOrder, mergeSortedSlice. Error texts are
// apimachinery/pkg/util/mergepatch/errors.go's.
//
// Upstream then decodes the result into the typed object, which drops
// directive keys and nulls left in values copied from the patch; Clean()
// does the same here.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "kubesim/api/patch.h"
#include "patch_schema.h"

namespace kubesim::api {
namespace {

constexpr char kDirectiveMarker[] = "$patch";
constexpr char kRetainKeysDirective[] = "$retainKeys";
constexpr char kSetElementOrderPrefix[] = "$setElementOrder";
constexpr char kDeleteFromPrimitiveListPrefix[] = "$deleteFromPrimitiveList";

// A failure inside the merge; turned into a Status at the edge.
struct PatchFailure {
  StatusCode code;
  std::string message;
};

[[noreturn]] void Fail(StatusCode code, std::string message) {
  throw PatchFailure{code, std::move(message)};
}

// mergepatch/errors.go
constexpr char kErrBadPatchFormatForPrimitiveList[] = "invalid patch format of primitive list";
constexpr char kErrBadPatchFormatForRetainKeys[] = "invalid patch format of retainKeys";
constexpr char kErrBadPatchFormatForSetElementOrderList[] =
    "invalid patch format of setElementOrder list";
constexpr char kErrNoListOfLists[] = "lists of lists are not supported";

[[noreturn]] void FailNoMergeKey(const Object& m, const std::string& key) {
  Fail(StatusCode::kInternal,
       "map: " + GoFormatValue(m) + " does not contain declared merge key: " + key);
}

bool HasPrefix(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// extractKey: "$setElementOrder/containers" -> "containers".
std::string ExtractKey(const std::string& s, const std::string& prefix, const char* error) {
  size_t slash = s.find('/');
  if (slash == std::string::npos || s.substr(0, slash) != prefix)
    Fail(StatusCode::kBadRequest, error);
  return s.substr(slash + 1);
}

struct FieldMeta {
  std::string strategy;  // "merge", "replace" or "" (retainKeys stripped)
  std::string merge_key;
  const PatchType* type = nullptr;
};

// forkedjson.LookupPatchMetadata + extractRetainKeysPatchStrategy.
FieldMeta Lookup(const PatchType* t, const std::string& field) {
  FieldMeta m;
  if (t == nullptr) return m;
  auto it = t->fields.find(field);
  if (it == t->fields.end()) return m;
  m.merge_key = it->second.merge_key;
  m.type = it->second.type;
  const std::string& s = it->second.strategy;
  if (s == "merge" || s == "merge,retainKeys") m.strategy = "merge";
  if (s == "replace") m.strategy = "replace";
  return m;
}

// Drops what decoding into a Go struct would drop from a value taken from the
// patch: directive keys, and nulls (discardNullValuesFromPatch).
Object Clean(const Object& v) {
  if (v.is_object()) {
    Object out = Object::object();
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (!it.key().empty() && it.key()[0] == '$') continue;
      if (it.value().is_null()) continue;
      out[it.key()] = Clean(it.value());
    }
    return out;
  }
  if (v.is_array()) {
    Object out = Object::array();
    for (const auto& e : v) {
      if (e.is_object() && e.value(kDirectiveMarker, Object()) == "delete") continue;
      out.push_back(Clean(e));
    }
    return out;
  }
  return v;
}

// Go's reflect.TypeOf comparison on decoded JSON (ints are kept as int64 by
// UnmarshalCaseSensitivePreserveInts, others are float64).
int TypeClass(const Object& v) {
  if (v.is_object()) return 1;
  if (v.is_array()) return 2;
  if (v.is_string()) return 3;
  if (v.is_boolean()) return 4;
  if (v.is_number_float()) return 5;
  if (v.is_number()) return 6;
  return 0;
}

enum class ElemKind { kMap, kScalar };

// sliceElementType: lists of lists are refused.
ElemKind SliceElementKind(const Object& a, const Object& b) {
  const Object* first = nullptr;
  for (const Object* list : {&a, &b}) {
    if (!list->is_array()) continue;
    for (const auto& e : *list) {
      if (e.is_array()) Fail(StatusCode::kInvalid, kErrNoListOfLists);
      if (first == nullptr) first = &e;
    }
  }
  return first != nullptr && first->is_object() ? ElemKind::kMap : ElemKind::kScalar;
}

// Interface equality as Go's == on decoded values (ints and floats differ).
bool GoEqual(const Object& a, const Object& b) { return TypeClass(a) == TypeClass(b) && a == b; }

// index(): position of `v` in `l` by merge key (maps) or value.
int Index(const Object& l, const Object& v, const std::string& key, ElemKind kind) {
  auto val = [&](const Object& item) -> Object {
    if (kind != ElemKind::kMap) return item;
    if (!item.is_object()) return Object();
    auto it = item.find(key);
    return it == item.end() ? Object() : *it;
  };
  Object want = val(v);
  for (size_t i = 0; i < l.size(); ++i) {
    if (GoEqual(want, val(l[i]))) return static_cast<int>(i);
  }
  return -1;
}

void ValidateMergeKeyInLists(const std::string& key, const Object& list) {
  for (const auto& item : list) {
    if (!item.is_object()) {
      Fail(StatusCode::kInternal, "expected a map[string]interface {}, but received a " +
                                      std::string(item.is_string() ? "string" : "float64"));
    }
    if (!item.contains(key)) FailNoMergeKey(item, key);
  }
}

bool IsDeleteElement(const Object& v) {
  if (!v.is_object()) return false;
  auto it = v.find(kDirectiveMarker);
  return it != v.end() && *it == "delete";
}

// normalizeSliceOrder: sort.SliceStable with upstream's comparator, which is
// an insertion sort for lists of up to 20 items (Go's stable sort runs
// insertion sort on blocks of 20; longer lists are sorted the same way here).
Object NormalizeSliceOrder(Object to_sort, const Object& order, const std::string& key,
                           ElemKind kind) {
  Object to_delete = Object::array();
  if (kind == ElemKind::kMap) {
    ValidateMergeKeyInLists(key, to_sort);
    ValidateMergeKeyInLists(key, order);
    Object keep = Object::array();
    for (auto& v : to_sort) (IsDeleteElement(v) ? to_delete : keep).push_back(std::move(v));
    to_sort = std::move(keep);
  }
  auto less = [&](const Object& a, const Object& b) {
    int ia = Index(order, a, key, kind);
    if (ia >= 0) {
      int ib = Index(order, b, key, kind);
      if (ib >= 0) return ia < ib;
    }
    return true;
  };
  std::vector<Object> items(to_sort.begin(), to_sort.end());
  for (size_t i = 1; i < items.size(); ++i) {
    for (size_t j = i; j > 0 && less(items[j], items[j - 1]); --j)
      std::swap(items[j], items[j - 1]);
  }
  Object out = Object::array();
  for (auto& v : items) out.push_back(std::move(v));
  for (auto& v : to_delete) out.push_back(std::move(v));
  return out;
}

// mergeSortedSlice: interleaves server-only items (left) into patch items
// (right) by their positions in the live list.
Object MergeSortedSlice(const Object& left, const Object& right, const Object& server_order,
                        const std::string& key, ElemKind kind) {
  Object s = Object::array();
  size_t i = 0, j = 0;
  size_t size = left.size() + right.size();
  for (size_t k = 0; k < size; ++k) {
    if (i >= left.size() && j < right.size()) {
      s.push_back(right[j++]);
    } else if (j >= right.size() && i < left.size()) {
      s.push_back(left[i++]);
    } else {
      int li = Index(server_order, left[i], key, kind);
      int ri = Index(server_order, right[j], key, kind);
      if (li >= 0 && ri >= 0 && li < ri) {
        s.push_back(left[i++]);
      } else {
        s.push_back(right[j++]);
      }
    }
  }
  return s;
}

Object NormalizeElementOrder(const Object& patch, const Object& server_only,
                             const Object& patch_order, const Object& server_order,
                             const std::string& key, ElemKind kind) {
  Object p = NormalizeSliceOrder(patch, patch_order, key, kind);
  Object s = NormalizeSliceOrder(server_only, server_order, key, kind);
  return MergeSortedSlice(s, p, server_order, key, kind);
}

// partitionPrimitivesByPresentInList / partitionMapsByPresentInList.
void Partition(const Object& merged, const Object& by, const std::string& key, ElemKind kind,
               Object* in_patch, Object* server_only) {
  *in_patch = Object::array();
  *server_only = Object::array();
  for (const auto& v : merged) {
    if (kind == ElemKind::kMap) {
      if (!v.is_object()) Fail(StatusCode::kInternal, "expected a map[string]interface {}");
      if (!v.contains(key)) FailNoMergeKey(v, key);
    }
    (Index(by, v, key, kind) >= 0 ? *in_patch : *server_only).push_back(v);
  }
}

// deduplicateScalars, including its habit of moving the last item into the
// hole (normalizeElementOrder restores the order afterwards).
Object DeduplicateScalars(Object s) {
  std::vector<Object> v(s.begin(), s.end());
  int length = static_cast<int>(v.size()) - 1;
  for (int i = 0; i < length; ++i) {
    for (int j = i + 1; j <= length; ++j) {
      if (GoEqual(v[i], v[j])) {
        v[j] = v[length];
        v.resize(length);
        --length;
        --j;
      }
    }
  }
  Object out = Object::array();
  for (auto& e : v) out.push_back(std::move(e));
  return out;
}

Object MergeMap(Object original, Object patch, const PatchType* t);

Object MergeSlice(Object original, Object patch, const PatchType* elem_type, const std::string& key,
                  bool is_delete_list) {
  if (original.empty() && patch.empty()) return original;
  ElemKind kind = SliceElementKind(original, patch);
  Object merged;
  if (kind != ElemKind::kMap) {
    if (is_delete_list) {
      // deleteFromSlice
      Object out = Object::array();
      for (const auto& v : original) {
        if (Index(patch, v, "", ElemKind::kScalar) < 0) out.push_back(v);
      }
      return out;
    }
    Object both = original;
    for (const auto& v : patch) both.push_back(v);
    merged = DeduplicateScalars(std::move(both));
  } else {
    if (key.empty())
      Fail(StatusCode::kInternal, "cannot merge lists without merge key for type map");
    // mergeSliceWithSpecialElements
    Object plain = Object::array();
    bool replace = false;
    for (const auto& v : patch) {
      if (!v.is_object()) Fail(StatusCode::kInternal, "expected a map[string]interface {}");
      auto d = v.find(kDirectiveMarker);
      if (d == v.end()) {
        plain.push_back(v);
        continue;
      }
      if (*d == "delete") {
        auto mv = v.find(key);
        if (mv == v.end()) FailNoMergeKey(v, key);
        Object kept = Object::array();
        for (const auto& o : original) {
          if (!o.is_object()) Fail(StatusCode::kInternal, "value for key is not a map.");
          auto ok = o.find(key);
          if (ok != o.end() && GoEqual(*ok, *mv)) continue;
          kept.push_back(o);
        }
        original = std::move(kept);
      } else if (*d == "replace") {
        replace = true;
      } else if (*d == "merge") {
        Fail(StatusCode::kInternal, "merging lists cannot yet be specified in the patch");
      } else {
        Fail(StatusCode::kInternal,
             "unknown patch type: " + GoFormatValue(*d) + " in map: " + GoFormatValue(v));
      }
    }
    if (replace) {
      original = std::move(plain);
      patch = Object::array();
    } else {
      patch = std::move(plain);
    }
    // mergeSliceWithoutSpecialElements
    merged = original;
    for (const auto& v : patch) {
      auto mv = v.find(key);
      if (mv == v.end()) FailNoMergeKey(v, key);
      bool found = false;
      for (auto& o : merged) {
        if (!o.is_object()) Fail(StatusCode::kInternal, "value for key is not a map.");
        auto ok = o.find(key);
        if (ok != o.end() && GoEqual(*ok, *mv)) {
          o = MergeMap(o, v, elem_type);
          found = true;
          break;
        }
      }
      if (!found) merged.push_back(Clean(v));
    }
  }
  Object in_patch, server_only;
  Partition(merged, patch, key, kind, &in_patch, &server_only);
  return NormalizeElementOrder(in_patch, server_only, patch, original, key, kind);
}

// mergeSliceHandler
Object MergeSliceHandler(const Object& original, const Object& patch, const FieldMeta& meta,
                         bool is_delete_list) {
  if (!original.is_array() || !patch.is_array()) {
    Fail(StatusCode::kInternal, "expected a []interface {}");
  }
  if (meta.strategy == "merge") {
    return MergeSlice(original, patch, meta.type, meta.merge_key, is_delete_list);
  }
  return Clean(patch);
}

// applyRetainKeysDirective (MergeParallelList: the patch is being applied).
void ApplyRetainKeys(Object& original, Object& patch) {
  auto it = patch.find(kRetainKeysDirective);
  if (it == patch.end()) return;
  Object list = *it;
  patch.erase(it);
  if (!list.is_array()) Fail(StatusCode::kBadRequest, kErrBadPatchFormatForRetainKeys);
  auto retained = [&](const std::string& k) {
    for (const auto& v : list) {
      if (v.is_string() && v.get<std::string>() == k) return true;
    }
    return false;
  };
  for (auto p = patch.begin(); p != patch.end(); ++p) {
    if (p.value().is_null() || HasPrefix(p.key(), kDeleteFromPrimitiveListPrefix) ||
        HasPrefix(p.key(), kSetElementOrderPrefix)) {
      continue;
    }
    if (!retained(p.key())) Fail(StatusCode::kBadRequest, kErrBadPatchFormatForRetainKeys);
  }
  std::vector<std::string> drop;
  for (auto o = original.begin(); o != original.end(); ++o) {
    if (!retained(o.key())) drop.push_back(o.key());
  }
  for (const auto& k : drop) original.erase(k);
}

// validatePatchWithSetOrderList
void ValidateWithSetOrderList(const Object& patch_list, const Object& order,
                              const std::string& key) {
  if (order.empty() || patch_list.empty()) return;
  Object non_delete = Object::array();
  if (!key.empty()) {
    for (const auto& v : patch_list) {
      if (!v.is_object()) Fail(StatusCode::kInternal, "expected a map[string]interface {}");
      if (!IsDeleteElement(v)) non_delete.push_back(v);
    }
  } else {
    non_delete = patch_list;
  }
  size_t pi = 0, si = 0;
  while (pi < non_delete.size() && si < order.size()) {
    if (non_delete[pi].is_object() && non_delete[pi].contains(kDirectiveMarker)) {
      ++pi;
      continue;
    }
    bool equal;
    if (key.empty()) {
      equal = GoEqual(non_delete[pi], order[si]);
    } else {
      if (!order[si].is_object()) Fail(StatusCode::kInternal, "expected a map[string]interface {}");
      if (!non_delete[pi].contains(key)) FailNoMergeKey(non_delete[pi], key);
      if (!order[si].contains(key)) FailNoMergeKey(order[si], key);
      equal = GoEqual(non_delete[pi][key], order[si][key]);
    }
    if (equal) ++pi;
    ++si;
  }
  if (pi < non_delete.size() && si >= order.size()) {
    Fail(StatusCode::kInternal, "The order in patch list:\n" + GoFormatValue(patch_list) +
                                    "\n doesn't match $setElementOrder list:\n" +
                                    GoFormatValue(order) + "\n");
  }
}

// mergePatchIntoOriginal: $setElementOrder lists and the lists they order.
void MergePatchIntoOriginal(Object& original, Object& patch, const PatchType* t) {
  std::vector<std::string> order_keys;
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    if (HasPrefix(it.key(), kSetElementOrderPrefix)) order_keys.push_back(it.key());
  }
  for (const auto& order_key : order_keys) {
    Object order = patch[order_key];
    patch.erase(order_key);
    if (!order.is_array()) Fail(StatusCode::kInternal, "expected a []interface {}");
    std::string key =
        ExtractKey(order_key, kSetElementOrderPrefix, kErrBadPatchFormatForSetElementOrderList);
    bool found_original = original.contains(key);
    bool found_patch = patch.contains(key);
    Object original_list = Object::array(), patch_list = Object::array();
    if (found_original) {
      original_list = original[key];
      if (!original_list.is_array()) Fail(StatusCode::kInternal, "expected a []interface {}");
    }
    if (found_patch) {
      patch_list = patch[key];
      if (!patch_list.is_array()) Fail(StatusCode::kInternal, "expected a []interface {}");
    }
    FieldMeta meta = Lookup(t, key);
    ValidateWithSetOrderList(patch_list, order, meta.merge_key);
    Object merged;
    if (found_original && !found_patch) {
      merged = original_list;
    } else if (!found_original && found_patch) {
      merged = Clean(patch_list);
    } else if (found_original && found_patch) {
      merged = MergeSliceHandler(original_list, patch_list, meta, false);
    } else {
      continue;
    }
    if (original_list.empty() && patch_list.empty()) {
      original[key] = merged;
      patch.erase(key);
      continue;
    }
    ElemKind kind = SliceElementKind(original_list, patch_list);
    Object in_patch, server_only;
    Partition(merged, order, meta.merge_key, kind, &in_patch, &server_only);
    original[key] =
        NormalizeElementOrder(in_patch, server_only, order, original_list, meta.merge_key, kind);
    patch.erase(key);
  }
}

Object MergeMap(Object original, Object patch, const PatchType* t) {
  auto directive = patch.find(kDirectiveMarker);
  if (directive != patch.end()) {
    // handleDirectiveInMergeMap
    if (*directive == "replace") {
      patch.erase(kDirectiveMarker);
      return Clean(patch);
    }
    if (*directive == "delete") return Object::object();
    Fail(StatusCode::kInternal,
         "unknown patch type: " + GoFormatValue(*directive) + " in map: " + GoFormatValue(patch));
  }
  if (!original.is_object()) original = Object::object();
  ApplyRetainKeys(original, patch);
  MergePatchIntoOriginal(original, patch, t);
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    std::string k = it.key();
    const Object& patch_v = it.value();
    bool is_delete_list = false;
    if (HasPrefix(k, kDeleteFromPrimitiveListPrefix)) {
      k = ExtractKey(k, kDeleteFromPrimitiveListPrefix, kErrBadPatchFormatForPrimitiveList);
      is_delete_list = true;
    } else if (!k.empty() && k[0] == '$') {
      continue;  // no Go field has such a name: decoding would drop it
    }
    if (patch_v.is_null()) {
      original.erase(k);
      continue;  // IgnoreUnmatchedNulls
    }
    if (!original.contains(k)) {
      if (!is_delete_list) original[k] = Clean(patch_v);
      continue;
    }
    Object& orig_v = original[k];
    if (TypeClass(orig_v) != TypeClass(patch_v)) {
      orig_v = Clean(patch_v);
      continue;
    }
    FieldMeta meta = Lookup(t, k);
    if (orig_v.is_object()) {
      orig_v = meta.strategy == "replace" ? Clean(patch_v) : MergeMap(orig_v, patch_v, meta.type);
    } else if (orig_v.is_array()) {
      orig_v = MergeSliceHandler(orig_v, patch_v, meta, is_delete_list);
    } else {
      orig_v = patch_v;
    }
  }
  return original;
}

void FormatGo(const Object& v, std::ostringstream& out) {
  if (v.is_null()) {
    out << "<nil>";
  } else if (v.is_object()) {
    out << "map[";
    bool first = true;
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (!first) out << ' ';
      first = false;
      out << it.key() << ':';
      FormatGo(it.value(), out);
    }
    out << ']';
  } else if (v.is_array()) {
    out << '[';
    for (size_t i = 0; i < v.size(); ++i) {
      if (i > 0) out << ' ';
      FormatGo(v[i], out);
    }
    out << ']';
  } else if (v.is_string()) {
    out << v.get<std::string>();
  } else if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::floor(d) == d && std::fabs(d) < 1e21) {
      out << static_cast<int64_t>(d);
    } else {
      out << d;
    }
  } else {
    out << v.dump();
  }
}

}  // namespace

std::string GoFormatValue(const Object& v) {
  std::ostringstream out;
  FormatGo(v, out);
  return out.str();
}

StatusOr<Object> ApplyStrategicMergePatch(const Object& doc, const Object& patch,
                                          const std::string& kind) {
  if (!patch.is_object()) {
    // kjson.UnmarshalCaseSensitivePreserveInts into a map.
    std::string type = patch.is_array()     ? "array"
                       : patch.is_string()  ? "string"
                       : patch.is_number()  ? "number"
                       : patch.is_boolean() ? "bool"
                                            : "null";
    if (patch.is_null()) return doc;
    return Status::BadRequest("json: cannot unmarshal " + type +
                              " into Go value of type map[string]interface {}");
  }
  try {
    return MergeMap(doc, patch, PatchSchemaForKind(kind));
  } catch (const PatchFailure& f) {
    return Status(f.code, f.message);
  } catch (const std::exception& e) {
    return Status::Internal(e.what());
  }
}

}  // namespace kubesim::api
