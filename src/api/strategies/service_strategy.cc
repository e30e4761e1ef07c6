// v1 Service: pkg/registry/core/service/strategy.go, the REST storage's
// ClusterIP and NodePort allocation (pkg/registry/core/service/storage/
// alloc.go, ipallocator, portallocator), the v1 defaults
// (pkg/apis/core/v1/defaults.go SetDefaults_Service), a subset of
// ValidateService (pkg/apis/core/validation) and printService
// (pkg/printers/internalversion/printers.go).
//
// Allocation: kubeadm's default service CIDR 10.96.0.0/12 and the default
// NodePort range 30000-32767. Unlike upstream's random pick, kubesim hands
// out addresses and ports sequentially (10.96.0.1, 10.96.0.2, ...; 30000,
// 30001, ...) so runs repeat; a requested address or port is honoured when
// free. Released addresses are not reused within a run. The allocator state
// lives in the strategy (guarded by its mutex), as upstream's lives in the
// apiserver's memory backed by etcd.

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "strategies.h"

namespace kubesim::api::strategies {
namespace {

using Type = FieldError::Type;

constexpr int kNodePortMin = 30000;
constexpr int kNodePortMax = 32767;
// 10.96.0.0/12: 10.96.0.0 - 10.111.255.255.
constexpr uint32_t kCidrBase = (10u << 24) | (96u << 16);
constexpr uint32_t kCidrSize = 1u << 20;

bool ParseIpv4(const std::string& s, uint32_t* out) {
  unsigned a, b, c, d;
  char extra;
  if (std::sscanf(s.c_str(), "%u.%u.%u.%u%c", &a, &b, &c, &d, &extra) != 4) return false;
  if (a > 255 || b > 255 || c > 255 || d > 255) return false;
  *out = (a << 24) | (b << 16) | (c << 8) | d;
  return true;
}

std::string FormatIpv4(uint32_t ip) {
  return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 255) + "." +
         std::to_string((ip >> 8) & 255) + "." + std::to_string(ip & 255);
}

bool NeedsNodePorts(const std::string& type) {
  return type == "NodePort" || type == "LoadBalancer";
}

class ServiceStrategy final : public ResourceStrategy {
 public:
  ServiceStrategy() {
    info_.gvr = {"", "v1", "services"};
    info_.kind = "Service";
    info_.singular = "service";
    info_.namespaced = true;
    info_.short_names = {"svc"};
    info_.categories = {"all"};
    // Services serve no deletecollection.
    info_.verbs = {"create", "delete", "get", "list", "patch", "update", "watch"};
    info_.subresources = {"status"};
    info_.storage_prefix = "/registry/services/specs";
  }

  const ResourceInfo& info() const override { return info_; }
  NameRule name_rule() const override { return NameRule::kDns1123Label; }

  void PrepareForCreate(Object& obj) const override {
    obj["status"] = Object{{"loadBalancer", Object::object()}};
    Default(obj);
    Allocate(obj, nullptr);
  }

  void PrepareForUpdate(Object& obj, const Object& old_obj,
                        const std::string& subresource) const override {
    if (subresource == "status") {
      if (old_obj.contains("spec")) obj["spec"] = old_obj["spec"];
      return;
    }
    if (old_obj.contains("status")) obj["status"] = old_obj["status"];
    Default(obj);
    Allocate(obj, &old_obj);
  }

  std::vector<FieldError> Validate(const Object& obj) const override {
    std::vector<FieldError> errs;
    const std::string type = GetString(obj, "/spec/type");
    static const std::set<std::string> kTypes = {"ClusterIP", "NodePort", "LoadBalancer",
                                                 "ExternalName"};
    if (!kTypes.count(type)) {
      errs.push_back({Type::kNotSupported, "spec.type", type,
                      "supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", "
                      "\"NodePort\""});
    }
    const Object* ports = Find(obj, "/spec/ports");
    const bool has_ports = ports && ports->is_array() && !ports->empty();
    if (!has_ports && type != "ExternalName") {
      errs.push_back({Type::kRequired, "spec.ports", nullptr, ""});
    }
    if (has_ports) {
      std::set<std::string> names;
      for (size_t i = 0; i < ports->size(); ++i) {
        const Object& p = (*ports)[i];
        const std::string path = "spec.ports[" + std::to_string(i) + "]";
        const std::string name = Str(p, "name");
        if (ports->size() > 1 && name.empty()) {
          errs.push_back({Type::kRequired, path + ".name", nullptr, ""});
        } else if (!name.empty() && !names.insert(name).second) {
          errs.push_back({Type::kDuplicate, path + ".name", name, ""});
        }
        const Object* port = Find(p, "/port");
        if (!port || !port->is_number_integer() || port->get<int64_t>() < 1 ||
            port->get<int64_t>() > 65535) {
          errs.push_back({Type::kInvalid, path + ".port", port ? *port : Object(0),
                          "must be between 1 and 65535, inclusive"});
        }
        const std::string proto = Str(p, "protocol");
        if (proto != "TCP" && proto != "UDP" && proto != "SCTP") {
          errs.push_back({Type::kNotSupported, path + ".protocol", proto,
                          "supported values: \"SCTP\", \"TCP\", \"UDP\""});
        }
        const Object* tp = Find(p, "/targetPort");
        if (tp && tp->is_number_integer() &&
            (tp->get<int64_t>() < 1 || tp->get<int64_t>() > 65535)) {
          errs.push_back({Type::kInvalid, path + ".targetPort", *tp,
                          "must be between 1 and 65535, inclusive"});
        }
        const Object* np = Find(p, "/nodePort");
        if (np && np->is_number_integer() && np->get<int64_t>() != 0) {
          if (!NeedsNodePorts(type)) {
            errs.push_back({Type::kForbidden, path + ".nodePort", nullptr,
                            "may not be used when `type` is 'ClusterIP'"});
          } else if (np->get<int64_t>() < kNodePortMin || np->get<int64_t>() > kNodePortMax) {
            errs.push_back({Type::kInvalid, path + ".nodePort", *np,
                            "provided port is not in the valid range. The range of valid ports "
                            "is 30000-32767"});
          }
        }
      }
    }
    const std::string ip = GetString(obj, "/spec/clusterIP");
    uint32_t v = 0;
    if (!ip.empty() && ip != "None" && type != "ExternalName") {
      if (!ParseIpv4(ip, &v)) {
        errs.push_back({Type::kInvalid, "spec.clusterIPs[0]", ip,
                        "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"});
      } else if (v < kCidrBase || v >= kCidrBase + kCidrSize) {
        errs.push_back({Type::kInvalid, "spec.clusterIPs", Object::array({ip}),
                        "failed to allocate IP " + ip + ": the provided IP (" + ip +
                            ") is not in the valid range. The range of valid IPs is "
                            "10.96.0.0/12"});
      }
    }
    return errs;
  }

  std::vector<FieldError> ValidateUpdate(const Object& obj, const Object& old_obj) const override {
    std::vector<FieldError> errs = Validate(obj);
    const std::string old_ip = GetString(old_obj, "/spec/clusterIP");
    const std::string ip = GetString(obj, "/spec/clusterIP");
    if (!old_ip.empty() && ip != old_ip && GetString(obj, "/spec/type") != "ExternalName") {
      errs.push_back({Type::kInvalid, "spec.clusterIPs[0]", ip, "may not change once set"});
    }
    return errs;
  }

  Object TableColumns() const override {
    return Object::array({
        Column("Name", "string", "name", kNameDescription),
        Column("Type", "string", "", "The type of service."),
        Column("Cluster-IP", "string", "",
               "clusterIP is the IP address of the service and is usually assigned randomly."),
        Column("External-IP", "string", "",
               "externalIPs is a list of IP addresses for which nodes in the cluster will also "
               "accept traffic for this service."),
        Column("Port(s)", "string", "", "The list of ports that are exposed by this service."),
        Column("Age", "string", "", kCreationTimestampDescription),
        Column("Selector", "string", "",
               "Route service traffic to pods with label keys and values matching this "
               "selector.",
               1),
    });
  }

  // printService.
  Object TableCells(const Object& obj, Time now) const override {
    const std::string type = GetString(obj, "/spec/type");
    std::string internal_ip = "<none>";
    const Object* ips = Find(obj, "/spec/clusterIPs");
    if (ips && ips->is_array() && !ips->empty() && (*ips)[0].is_string()) {
      internal_ip = (*ips)[0].get<std::string>();
    }
    return Object::array({Name(obj), type, internal_ip, ExternalIp(obj, type), Ports(obj),
                          TranslateTimestampSince(obj, "/metadata/creationTimestamp", now),
                          Selector(obj)});
  }

 private:
  // SetDefaults_Service and the strategy's defaults.
  static void Default(Object& obj) {
    if (!obj.contains("spec") || !obj["spec"].is_object()) obj["spec"] = Object::object();
    Object& spec = obj["spec"];
    if (!spec.contains("type") || !spec["type"].is_string()) spec["type"] = "ClusterIP";
    const std::string type = spec["type"].get<std::string>();
    if (!spec.contains("sessionAffinity")) spec["sessionAffinity"] = "None";
    if (type != "ExternalName") {
      if (!spec.contains("ipFamilies")) spec["ipFamilies"] = Object::array({"IPv4"});
      if (!spec.contains("ipFamilyPolicy")) spec["ipFamilyPolicy"] = "SingleStack";
      if (!spec.contains("internalTrafficPolicy")) spec["internalTrafficPolicy"] = "Cluster";
    }
    if (NeedsNodePorts(type) && !spec.contains("externalTrafficPolicy")) {
      spec["externalTrafficPolicy"] = "Cluster";
    }
    if (type == "LoadBalancer" && !spec.contains("allocateLoadBalancerNodePorts")) {
      spec["allocateLoadBalancerNodePorts"] = true;
    }
    if (spec.contains("ports") && spec["ports"].is_array()) {
      for (Object& p : spec["ports"]) {
        if (!p.is_object()) continue;
        if (!p.contains("protocol")) p["protocol"] = "TCP";
        const Object* tp = Find(p, "/targetPort");
        const bool unset = !tp || tp->is_null() || (tp->is_number() && tp->get<int64_t>() == 0) ||
                           (tp->is_string() && tp->get<std::string>().empty());
        if (unset && p.contains("port")) p["targetPort"] = p["port"];
      }
    }
  }

  // The REST storage's allocation: ClusterIP and NodePorts. On update,
  // what was allocated stays.
  void Allocate(Object& obj, const Object* old_obj) const {
    Object& spec = obj["spec"];
    const std::string type = spec["type"].get<std::string>();
    std::lock_guard<std::mutex> lock(mu_);
    if (type != "ExternalName") {
      std::string ip = GetString(obj, "/spec/clusterIP");
      if (ip.empty() && old_obj) ip = GetString(*old_obj, "/spec/clusterIP");
      if (ip.empty()) {
        while (next_ip_ < kCidrSize - 1 && used_ips_.count(kCidrBase + next_ip_)) ++next_ip_;
        ip = FormatIpv4(kCidrBase + next_ip_);
        used_ips_.insert(kCidrBase + next_ip_);
      } else {
        uint32_t v;
        if (ParseIpv4(ip, &v)) used_ips_.insert(v);
      }
      spec["clusterIP"] = ip;
      spec["clusterIPs"] = Object::array({ip});
    }
    if (!spec.contains("ports") || !spec["ports"].is_array()) return;
    for (Object& p : spec["ports"]) {
      if (!p.is_object()) continue;
      if (!NeedsNodePorts(type)) {
        p.erase("nodePort");
        continue;
      }
      int64_t np = GetInt(p, "/nodePort");
      if (np == 0 && old_obj) {
        const Object* old_ports = Find(*old_obj, "/spec/ports");
        if (old_ports && old_ports->is_array()) {
          for (const Object& op : *old_ports) {
            if (GetInt(op, "/port") == GetInt(p, "/port") &&
                Str(op, "protocol") == Str(p, "protocol")) {
              np = GetInt(op, "/nodePort");
            }
          }
        }
      }
      if (np == 0) {
        while (next_port_ <= kNodePortMax && used_ports_.count(next_port_)) ++next_port_;
        np = next_port_;
      }
      used_ports_.insert(static_cast<int>(np));
      p["nodePort"] = np;
    }
  }

  static std::string ExternalIp(const Object& obj, const std::string& type) {
    std::vector<std::string> ips;
    const Object* ext = Find(obj, "/spec/externalIPs");
    if (ext && ext->is_array()) {
      for (const auto& e : *ext) {
        if (e.is_string()) ips.push_back(e.get<std::string>());
      }
    }
    if (type == "ExternalName") return GetString(obj, "/spec/externalName");
    if (type == "LoadBalancer") {
      const Object* ingress = Find(obj, "/status/loadBalancer/ingress");
      if (ingress && ingress->is_array()) {
        for (const auto& i : *ingress) {
          if (!Str(i, "ip").empty()) ips.push_back(Str(i, "ip"));
          if (!Str(i, "hostname").empty()) ips.push_back(Str(i, "hostname"));
        }
      }
      if (ips.empty()) return "<pending>";
    }
    if (ips.empty()) return "<none>";
    std::string out;
    for (const auto& ip : ips) out += (out.empty() ? "" : ",") + ip;
    return out;
  }

  // makePortString.
  static std::string Ports(const Object& obj) {
    const Object* ports = Find(obj, "/spec/ports");
    std::string out;
    if (!ports || !ports->is_array()) return "<none>";
    for (const Object& p : *ports) {
      std::string s = std::to_string(GetInt(p, "/port"));
      if (GetInt(p, "/nodePort") > 0) s += ":" + std::to_string(GetInt(p, "/nodePort"));
      s += "/" + Str(p, "protocol");
      out += (out.empty() ? "" : ",") + s;
    }
    return out.empty() ? "<none>" : out;
  }

  // labels.FormatLabels of spec.selector.
  static std::string Selector(const Object& obj) {
    const Object* sel = Find(obj, "/spec/selector");
    std::string out;
    if (sel && sel->is_object()) {
      for (auto it = sel->begin(); it != sel->end(); ++it) {
        if (!it.value().is_string()) continue;
        out += (out.empty() ? "" : ",") + it.key() + "=" + it.value().get<std::string>();
      }
    }
    return out.empty() ? "<none>" : out;
  }

  ResourceInfo info_;
  mutable std::mutex mu_;
  mutable uint32_t next_ip_ = 1;          // guarded by mu_: offset in the CIDR
  mutable std::set<uint32_t> used_ips_;   // guarded by mu_
  mutable int next_port_ = kNodePortMin;  // guarded by mu_
  mutable std::set<int> used_ports_;      // guarded by mu_
};

}  // namespace

std::unique_ptr<ResourceStrategy> NewServiceStrategy() {
  return std::make_unique<ServiceStrategy>();
}

}  // namespace kubesim::api::strategies
