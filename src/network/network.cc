// The simulated network and kube-proxy (contract: kubesim/network/network.h).
//
// curl's error lines are curl 7.88.1's (Debian 12), e.g. as captured with
// `curl http://127.0.0.1:9`:
//   curl: (7) Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect to server
//   curl: (6) Could not resolve host: nosuch
// and for an unanswered SYN (kernel ETIMEDOUT after tcp_syn_retries=6):
//   curl: (28) Failed to connect to H port P after 130000 ms: Couldn't connect to server

#include "kubesim/network/network.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/client/informer.h"

namespace kubesim::network {
namespace {

using api::Object;
using api::ObjectPtr;

constexpr char kServiceNameLabel[] = "kubernetes.io/service-name";
constexpr int kConnectTimeoutMs = 130000;

bool IsIpv4(const std::string& s) {
  unsigned a, b, c, d;
  char extra;
  return std::sscanf(s.c_str(), "%u.%u.%u.%u%c", &a, &b, &c, &d, &extra) == 4 && a < 256 &&
         b < 256 && c < 256 && d < 256;
}

Status Refused(const std::string& host, int port) {
  return Status::Unavailable("curl: (7) Failed to connect to " + host + " port " +
                             std::to_string(port) + " after 0 ms: Couldn't connect to server");
}

Status TimedOut(const std::string& host, int port) {
  return Status::Unavailable("curl: (28) Failed to connect to " + host + " port " +
                             std::to_string(port) + " after " + std::to_string(kConnectTimeoutMs) +
                             " ms: Couldn't connect to server");
}

// One node's kube-proxy: its own informers on Services and EndpointSlices.
class KubeProxy {
 public:
  KubeProxy(Executor* executor, std::unique_ptr<client::Client> client, const std::string& node)
      : client_(std::move(client)),
        loop_(executor->CreateDispatcher("kube-proxy/" + node)),
        services_(client_.get(), loop_.get(), api::kServices),
        slices_(client_.get(), loop_.get(), api::kEndpointSlices) {
    services_.Start();
    slices_.Start();
  }
  ~KubeProxy() {
    services_.Stop();
    slices_.Stop();
  }

  std::vector<ObjectPtr> Services() const { return services_.List(); }

  // The service port `svc` serves on `port` (by port, or by nodePort when
  // `node_port`); nullptr when none.
  static const Object* FindPort(const Object& svc, int port, bool node_port) {
    const Object* ports = api::Find(svc, "/spec/ports");
    if (!ports || !ports->is_array()) return nullptr;
    for (const Object& p : *ports) {
      if (api::GetString(p, "/protocol") != "TCP") continue;
      if (api::GetInt(p, node_port ? "/nodePort" : "/port") == port) return &p;
    }
    return nullptr;
  }

  // The next endpoint (pod IP, target port) of the service port, round robin
  // over the ready endpoints; false when there is none.
  bool Pick(const Object& svc, const Object& svc_port, std::string* ip, int* port) {
    const std::string ns = api::Namespace(svc), name = api::Name(svc);
    const std::string port_name = api::GetString(svc_port, "/name");
    std::vector<std::pair<std::string, int>> eps;
    for (const ObjectPtr& slice : slices_.List()) {
      if (api::Namespace(*slice) != ns) continue;
      const auto labels = api::Labels(*slice);
      auto it = labels.find(kServiceNameLabel);
      if (it == labels.end() || it->second != name) continue;
      int target = 0;
      const Object* ports = api::Find(*slice, "/ports");
      if (ports && ports->is_array()) {
        for (const Object& p : *ports) {
          if (api::GetString(p, "/name") == port_name) target = api::GetInt(p, "/port");
        }
      }
      if (target == 0) continue;
      const Object* endpoints = api::Find(*slice, "/endpoints");
      if (!endpoints || !endpoints->is_array()) continue;
      for (const Object& e : *endpoints) {
        const Object* ready = api::Find(e, "/conditions/ready");
        // A nil ready condition means ready (discovery/v1 EndpointConditions).
        if (ready && ready->is_boolean() && !ready->get<bool>()) continue;
        const Object* addrs = api::Find(e, "/addresses");
        if (addrs && addrs->is_array() && !addrs->empty() && (*addrs)[0].is_string()) {
          eps.push_back({(*addrs)[0].get<std::string>(), target});
        }
      }
    }
    if (eps.empty()) return false;
    std::sort(eps.begin(), eps.end());
    uint64_t& next = round_robin_[ns + "/" + name + ":" + port_name];
    const auto& chosen = eps[next++ % eps.size()];
    *ip = chosen.first;
    *port = chosen.second;
    return true;
  }

 private:
  std::unique_ptr<client::Client> client_;
  std::unique_ptr<Dispatcher> loop_;
  client::Informer services_;
  client::Informer slices_;
  std::map<std::string, uint64_t> round_robin_;  // driver thread only
};

class NetworkImpl final : public Network {
 public:
  explicit NetworkImpl(NetworkDeps deps) : deps_(std::move(deps)) {}

  ~NetworkImpl() override { proxies_.clear(); }

  bool EnsureProxies() override {
    bool started = false;
    for (kubelet::Kubelet* k : deps_.kubelets()) {
      const std::string& node = k->config().name;
      if (proxies_.count(node)) continue;
      proxies_[node] =
          std::make_unique<KubeProxy>(deps_.executor, deps_.new_client("kube-proxy/" + node), node);
      started = true;
    }
    return started;
  }

  StatusOr<std::string> Curl(const std::string& url) override {
    if (EnsureProxies()) deps_.executor->RunUntilIdle();
    std::string rest = url;
    const auto scheme_end = rest.find("://");
    if (scheme_end != std::string::npos) {
      const std::string scheme = rest.substr(0, scheme_end);
      if (scheme == "https") {
        return Status::Unavailable("curl: (35) error:0A00010B:SSL routines::wrong version number");
      }
      if (scheme != "http") {
        return Status::Unavailable("curl: (1) Protocol \"" + scheme +
                                   "\" not supported or disabled in libcurl");
      }
      rest = rest.substr(scheme_end + 3);
    }
    const std::string authority = rest.substr(0, rest.find_first_of("/?#"));
    std::string host = authority;
    int port = 80;
    const auto colon = authority.rfind(':');
    if (colon != std::string::npos) {
      host = authority.substr(0, colon);
      const std::string p = authority.substr(colon + 1);
      if (!p.empty()) {
        port = 0;
        for (char c : p) {
          if (c < '0' || c > '9' || port > 65535) {
            return Status::Unavailable("curl: (3) URL using bad/illegal format or missing URL");
          }
          port = port * 10 + (c - '0');
        }
        if (port == 0 || port > 65535) {
          return Status::Unavailable("curl: (3) URL using bad/illegal format or missing URL");
        }
      }
    }
    if (host.empty() || host.find('@') != std::string::npos) {
      return Status::Unavailable("curl: (3) URL using bad/illegal format or missing URL");
    }

    kubelet::Kubelet* gateway = nullptr;
    for (kubelet::Kubelet* k : deps_.kubelets()) {
      if (k->running()) {
        gateway = k;
        break;
      }
    }
    std::string ip;
    if (IsIpv4(host)) {
      ip = host;
    } else if (!Resolve(host, gateway, &ip)) {
      return Status::Unavailable("curl: (6) Could not resolve host: " + host);
    }

    // A node's address.
    for (kubelet::Kubelet* k : deps_.kubelets()) {
      if (k->config().internal_ip != ip) continue;
      if (!k->running()) return TimedOut(host, port);
      KubeProxy& proxy = *proxies_.at(k->config().name);
      for (const ObjectPtr& svc : proxy.Services()) {
        const Object* sp = KubeProxy::FindPort(*svc, port, /*node_port=*/true);
        if (!sp) continue;
        std::string pod_ip;
        int target = 0;
        if (!proxy.Pick(*svc, *sp, &pod_ip, &target)) return Refused(host, port);
        return Deliver(pod_ip, target, host, port);
      }
      return Refused(host, port);
    }
    // A ClusterIP, through the gateway's kube-proxy.
    if (ip.rfind("10.", 0) == 0 && InServiceCidr(ip)) {
      if (!gateway) return TimedOut(host, port);
      KubeProxy& proxy = *proxies_.at(gateway->config().name);
      for (const ObjectPtr& svc : proxy.Services()) {
        if (api::GetString(*svc, "/spec/clusterIP") != ip) continue;
        const Object* sp = KubeProxy::FindPort(*svc, port, /*node_port=*/false);
        if (!sp) break;
        std::string pod_ip;
        int target = 0;
        if (!proxy.Pick(*svc, *sp, &pod_ip, &target)) return Refused(host, port);
        return Deliver(pod_ip, target, host, port);
      }
      return TimedOut(host, port);
    }
    // A pod's address (or nothing).
    return Deliver(ip, port, host, port);
  }

 private:
  static bool InServiceCidr(const std::string& ip) {
    unsigned a, b, c, d;
    if (std::sscanf(ip.c_str(), "%u.%u.%u.%u", &a, &b, &c, &d) != 4) return false;
    return a == 10 && b >= 96 && b < 112;
  }

  // CoreDNS (the kubernetes plugin) for services, the node network's DNS for
  // node names.
  bool Resolve(const std::string& host, kubelet::Kubelet* gateway, std::string* ip) {
    for (kubelet::Kubelet* k : deps_.kubelets()) {
      if (k->config().name == host && !k->config().internal_ip.empty()) {
        *ip = k->config().internal_ip;
        return true;
      }
    }
    std::string name = host, ns = "default";
    std::string h = host;
    const std::string suffix = ".svc.cluster.local";
    if (h.size() > suffix.size() &&
        h.compare(h.size() - suffix.size(), suffix.size(), suffix) == 0) {
      h = h.substr(0, h.size() - suffix.size());
    } else if (h.size() > 4 && h.compare(h.size() - 4, 4, ".svc") == 0) {
      h = h.substr(0, h.size() - 4);
    }
    const auto dot = h.find('.');
    if (dot != std::string::npos) {
      name = h.substr(0, dot);
      ns = h.substr(dot + 1);
      if (ns.find('.') != std::string::npos) return false;
    } else {
      name = h;
    }
    if (!gateway) return false;
    auto it = proxies_.find(gateway->config().name);
    if (it == proxies_.end()) return false;
    for (const ObjectPtr& svc : it->second->Services()) {
      if (api::Name(*svc) != name || api::Namespace(*svc) != ns) continue;
      const std::string cip = api::GetString(*svc, "/spec/clusterIP");
      if (cip.empty() || cip == "None") return false;
      *ip = cip;
      return true;
    }
    return false;
  }

  // The connection reaches pod IP `pod_ip`:`port`; errors name what curl
  // connected to (`host`:`curl_port`).
  StatusOr<std::string> Deliver(const std::string& pod_ip, int port, const std::string& host,
                                int curl_port) {
    for (kubelet::Kubelet* k : deps_.kubelets()) {
      for (const kubelet::RunningPod& pod : k->RunningPods()) {
        if (pod.ip != pod_ip) continue;
        if (!k->running()) return TimedOut(host, curl_port);
        if (!pod.ports.empty() &&
            std::find(pod.ports.begin(), pod.ports.end(), port) == pod.ports.end()) {
          return Refused(host, curl_port);
        }
        return "Hello, " + pod.name + "\n";
      }
    }
    return TimedOut(host, curl_port);
  }

  NetworkDeps deps_;
  std::map<std::string, std::unique_ptr<KubeProxy>> proxies_;  // by node
};

}  // namespace

std::unique_ptr<Network> Network::Create(NetworkDeps deps) {
  return std::make_unique<NetworkImpl>(std::move(deps));
}

}  // namespace kubesim::network
