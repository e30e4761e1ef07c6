#include "taints.h"

namespace kubesim::scheduler {
namespace {

std::string Str(const api::Object& o, const char* key) {
  if (!o.is_object()) return "";
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

bool Toleration::ToleratesTaint(const Taint& taint) const {
  if (!effect.empty() && effect != taint.effect) return false;
  if (!key.empty() && key != taint.key) return false;
  if (op.empty() || op == "Equal") return value == taint.value;
  if (op == "Exists") return true;
  return false;
}

std::vector<Taint> ParseTaints(const api::Object* taints) {
  std::vector<Taint> out;
  if (!taints || !taints->is_array()) return out;
  for (const api::Object& t : *taints) {
    out.push_back(Taint{Str(t, "key"), Str(t, "value"), Str(t, "effect")});
  }
  return out;
}

std::vector<Toleration> ParseTolerations(const api::Object* tolerations) {
  std::vector<Toleration> out;
  if (!tolerations || !tolerations->is_array()) return out;
  for (const api::Object& t : *tolerations) {
    out.push_back(Toleration{Str(t, "key"), Str(t, "operator"), Str(t, "value"), Str(t, "effect")});
  }
  return out;
}

bool TolerationsTolerateTaint(const std::vector<Toleration>& tolerations, const Taint& taint) {
  for (const Toleration& t : tolerations) {
    if (t.ToleratesTaint(taint)) return true;
  }
  return false;
}

}  // namespace kubesim::scheduler
