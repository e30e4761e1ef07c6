#include "node_selector.h"

#include <algorithm>
#include <charconv>

namespace kubesim::scheduler {
namespace {

const api::Object* Member(const api::Object& o, const char* key) {
  if (!o.is_object()) return nullptr;
  auto it = o.find(key);
  return it == o.end() ? nullptr : &*it;
}

std::string Str(const api::Object& o, const char* key) {
  const api::Object* v = Member(o, key);
  return v && v->is_string() ? v->get<std::string>() : "";
}

bool ParseInt64(const std::string& s, int64_t* out) {
  // strconv.ParseInt(s, 10, 64): optional sign, digits only.
  if (s.empty()) return false;
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  if (*begin == '+') ++begin;
  auto [ptr, ec] = std::from_chars(begin, end, *out);
  return ec == std::errc() && ptr == end && begin != end;
}

}  // namespace

NodeSelectorTerm::NodeSelectorTerm(const api::Object& term) {
  auto parse = [&](const char* field, std::vector<Requirement>* out) {
    const api::Object* list = Member(term, field);
    if (!list || !list->is_array()) return;
    for (const api::Object& r : *list) {
      Requirement req{Str(r, "key"), Str(r, "operator"), {}};
      if (const api::Object* values = Member(r, "values"); values && values->is_array()) {
        for (const api::Object& v : *values) {
          if (v.is_string()) req.values.push_back(v.get<std::string>());
        }
      }
      out->push_back(std::move(req));
    }
  };
  parse("matchExpressions", &expressions_);
  parse("matchFields", &fields_);
  empty_ = expressions_.empty() && fields_.empty();
  // nodeSelectorRequirementsAsSelector / ...AsFieldSelector: malformed
  // requirements make the whole term an error (which matches nothing).
  for (const Requirement& r : expressions_) {
    if (r.op == "In" || r.op == "NotIn") {
      if (r.values.empty()) parse_error_ = true;
    } else if (r.op == "Exists" || r.op == "DoesNotExist") {
      if (!r.values.empty()) parse_error_ = true;
    } else if (r.op == "Gt" || r.op == "Lt") {
      int64_t v;
      if (r.values.size() != 1 || !ParseInt64(r.values[0], &v)) parse_error_ = true;
    } else {
      parse_error_ = true;
    }
  }
  for (const Requirement& r : fields_) {
    if ((r.op != "In" && r.op != "NotIn") || r.values.size() != 1) parse_error_ = true;
  }
}

bool NodeSelectorTerm::Matches(const Labels& labels, const std::string& node_name) const {
  if (parse_error_ || empty_) return false;
  for (const Requirement& r : expressions_) {
    auto it = labels.find(r.key);
    const bool has = it != labels.end();
    if (r.op == "In") {
      if (!has || std::find(r.values.begin(), r.values.end(), it->second) == r.values.end()) {
        return false;
      }
    } else if (r.op == "NotIn") {
      if (has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end()) {
        return false;
      }
    } else if (r.op == "Exists") {
      if (!has) return false;
    } else if (r.op == "DoesNotExist") {
      if (has) return false;
    } else {  // Gt, Lt
      int64_t label_value, bound;
      if (!has || !ParseInt64(it->second, &label_value)) return false;
      ParseInt64(r.values[0], &bound);
      if (r.op == "Gt" ? !(label_value > bound) : !(label_value < bound)) return false;
    }
  }
  for (const Requirement& r : fields_) {
    // extractNodeFields: only metadata.name is set.
    const std::string value = r.key == "metadata.name" ? node_name : "";
    if ((r.op == "In") != (value == r.values[0])) return false;
  }
  return true;
}

NodeSelector::NodeSelector(const api::Object& selector) {
  const api::Object* terms = Member(selector, "nodeSelectorTerms");
  if (!terms || !terms->is_array()) return;
  for (const api::Object& t : *terms) {
    NodeSelectorTerm term(t);
    if (!term.empty()) terms_.push_back(std::move(term));
  }
}

bool NodeSelector::Matches(const Labels& labels, const std::string& node_name) const {
  for (const NodeSelectorTerm& t : terms_) {
    if (t.Matches(labels, node_name)) return true;
  }
  return false;
}

RequiredNodeAffinity::RequiredNodeAffinity(const api::Object& pod) {
  const api::Object* spec = Member(pod, "spec");
  if (!spec) return;
  if (const api::Object* sel = Member(*spec, "nodeSelector"); sel && sel->is_object()) {
    for (auto it = sel->begin(); it != sel->end(); ++it) {
      node_selector_[it.key()] = it->is_string() ? it->get<std::string>() : "";
    }
  }
  const api::Object* affinity = Member(*spec, "affinity");
  const api::Object* node_affinity = affinity ? Member(*affinity, "nodeAffinity") : nullptr;
  const api::Object* required =
      node_affinity ? Member(*node_affinity, "requiredDuringSchedulingIgnoredDuringExecution")
                    : nullptr;
  if (required && required->is_object()) required_.emplace(*required);
}

bool RequiredNodeAffinity::Matches(const Labels& labels, const std::string& node_name) const {
  for (const auto& [k, v] : node_selector_) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  return !required_ || required_->Matches(labels, node_name);
}

PreferredSchedulingTerms::PreferredSchedulingTerms(const api::Object* terms) {
  if (!terms || !terms->is_array()) return;
  for (const api::Object& t : *terms) {
    const api::Object* weight = Member(t, "weight");
    int64_t w = weight && weight->is_number_integer() ? weight->get<int64_t>() : 0;
    const api::Object* pref = Member(t, "preference");
    if (w == 0 || !pref) continue;
    NodeSelectorTerm term(*pref);
    if (term.empty()) continue;
    terms_.emplace_back(std::move(term), w);
  }
}

int64_t PreferredSchedulingTerms::Score(const Labels& labels, const std::string& node_name) const {
  int64_t score = 0;
  for (const auto& [term, weight] : terms_) {
    if (term.Matches(labels, node_name)) score += weight;
  }
  return score;
}

}  // namespace kubesim::scheduler
