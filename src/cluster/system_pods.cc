#include "system_pods.h"

#include "kubesim/api/gvr.h"
#include "kubesim/api/object_meta.h"
#include "kubesim/printers/yaml.h"

namespace kubesim::cluster {
namespace {

api::Object ParseOne(const std::string& yaml) {
  auto docs = printers::ParseYamlDocuments(yaml);
  // The manifests below are constants of this file: a parse failure is a
  // programming error caught by the tests, not user input.
  return docs.ok() && !docs->empty() ? docs->front() : api::Object::object();
}

// cmd/kubeadm/app/phases/etcd/local.go GetEtcdPodSpec and
// phases/controlplane/manifests.go GetStaticPodSpecs (kubeadm 1.32 with the
// default ClusterConfiguration: podSubnet 10.244.0.0/16 as the seed's
// config.yaml sets for Flannel, serviceSubnet 10.96.0.0/12). Probes and
// most flags are left out; images and requests are kubeadm's.
std::string StaticPodYaml(const std::string& component, const std::string& ip) {
  std::string image, cpu, memory, command, annotations;
  if (component == "etcd") {
    image = "registry.k8s.io/etcd:3.5.16-0";
    cpu = "100m";
    memory = "    memory: 100Mi\n";
    command =
        "    - etcd\n    - --advertise-client-urls=https://" + ip +
        ":2379\n    - --data-dir=/var/lib/etcd\n    - --listen-client-urls=https://127.0.0.1:2379,"
        "https://" +
        ip + ":2379\n    - --name=NODE\n";
    annotations = "    kubeadm.kubernetes.io/etcd.advertise-client-urls: https://" + ip + ":2379\n";
  } else if (component == "kube-apiserver") {
    image = "registry.k8s.io/kube-apiserver:v1.32.0";
    cpu = "250m";
    command = "    - kube-apiserver\n    - --advertise-address=" + ip +
              "\n    - --etcd-servers=https://127.0.0.1:2379\n"
              "    - --secure-port=6443\n    - --service-cluster-ip-range=10.96.0.0/12\n";
    annotations =
        "    kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint: " + ip + ":6443\n";
  } else if (component == "kube-controller-manager") {
    image = "registry.k8s.io/kube-controller-manager:v1.32.0";
    cpu = "200m";
    command =
        "    - kube-controller-manager\n    - --allocate-node-cidrs=true\n"
        "    - --cluster-cidr=10.244.0.0/16\n    - --leader-elect=true\n"
        "    - --service-cluster-ip-range=10.96.0.0/12\n";
  } else {
    image = "registry.k8s.io/kube-scheduler:v1.32.0";
    cpu = "100m";
    command = "    - kube-scheduler\n    - --bind-address=127.0.0.1\n    - --leader-elect=true\n";
  }
  return "apiVersion: v1\nkind: Pod\nmetadata:\n" +
         (annotations.empty() ? std::string() : "  annotations:\n" + annotations) +
         "  labels:\n    component: " + component +
         "\n    tier: control-plane\n  name: " + component +
         "\n  namespace: kube-system\nspec:\n  containers:\n  - command:\n" + command +
         "    image: " + image + "\n    imagePullPolicy: IfNotPresent\n    name: " + component +
         "\n    resources:\n      requests:\n        cpu: " + cpu + "\n" +
         (memory.empty() ? std::string() : "    " + memory) +
         "  hostNetwork: true\n"
         "  priorityClassName: system-node-critical\n  securityContext:\n    seccompProfile:\n"
         "      type: RuntimeDefault\n";
}

// cmd/kubeadm/app/phases/addons/dns/manifests.go (CoreDNS v1.11.3 in 1.32).
constexpr char kCoreDnsServiceAccount[] = R"(apiVersion: v1
kind: ServiceAccount
metadata:
  name: coredns
  namespace: kube-system
)";

constexpr char kCoreDnsDeployment[] = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
  labels:
    k8s-app: kube-dns
spec:
  replicas: 2
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 1
  selector:
    matchLabels:
      k8s-app: kube-dns
  template:
    metadata:
      labels:
        k8s-app: kube-dns
    spec:
      priorityClassName: system-cluster-critical
      serviceAccountName: coredns
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm:
              labelSelector:
                matchExpressions:
                - key: k8s-app
                  operator: In
                  values: ["kube-dns"]
              topologyKey: kubernetes.io/hostname
      tolerations:
      - key: CriticalAddonsOnly
        operator: Exists
      - key: node-role.kubernetes.io/control-plane
        effect: NoSchedule
      nodeSelector:
        kubernetes.io/os: linux
      containers:
      - name: coredns
        image: registry.k8s.io/coredns/coredns:v1.11.3
        imagePullPolicy: IfNotPresent
        resources:
          limits:
            memory: 170Mi
          requests:
            cpu: 100m
            memory: 70Mi
        args: [ "-conf", "/etc/coredns/Corefile" ]
        volumeMounts:
        - name: config-volume
          mountPath: /etc/coredns
          readOnly: true
        ports:
        - containerPort: 53
          name: dns
          protocol: UDP
        - containerPort: 53
          name: dns-tcp
          protocol: TCP
        - containerPort: 9153
          name: metrics
          protocol: TCP
        securityContext:
          allowPrivilegeEscalation: false
          capabilities:
            add:
            - NET_BIND_SERVICE
            drop:
            - ALL
          readOnlyRootFilesystem: true
      dnsPolicy: Default
      volumes:
        - name: config-volume
          configMap:
            name: coredns
            items:
            - key: Corefile
              path: Corefile
)";

constexpr char kCoreDnsService[] = R"(apiVersion: v1
kind: Service
metadata:
  labels:
    k8s-app: kube-dns
    kubernetes.io/cluster-service: "true"
    kubernetes.io/name: "CoreDNS"
  name: kube-dns
  namespace: kube-system
  annotations:
    prometheus.io/port: "9153"
    prometheus.io/scrape: "true"
spec:
  clusterIP: 10.96.0.10
  ports:
  - name: dns
    port: 53
    protocol: UDP
    targetPort: 53
  - name: dns-tcp
    port: 53
    protocol: TCP
    targetPort: 53
  - name: metrics
    port: 9153
    protocol: TCP
    targetPort: 9153
  selector:
    k8s-app: kube-dns
)";

// cmd/kubeadm/app/phases/addons/proxy/manifests.go KubeProxyDaemonSet19
// (1.32: privileged).
constexpr char kKubeProxyServiceAccount[] = R"(apiVersion: v1
kind: ServiceAccount
metadata:
  name: kube-proxy
  namespace: kube-system
)";

constexpr char kKubeProxyDaemonSet[] = R"(apiVersion: apps/v1
kind: DaemonSet
metadata:
  labels:
    k8s-app: kube-proxy
  name: kube-proxy
  namespace: kube-system
spec:
  selector:
    matchLabels:
      k8s-app: kube-proxy
  updateStrategy:
    type: RollingUpdate
  template:
    metadata:
      labels:
        k8s-app: kube-proxy
    spec:
      priorityClassName: system-node-critical
      containers:
      - name: kube-proxy
        image: registry.k8s.io/kube-proxy:v1.32.0
        imagePullPolicy: IfNotPresent
        command:
        - /usr/local/bin/kube-proxy
        - --config=/var/lib/kube-proxy/config.conf
        - --hostname-override=$(NODE_NAME)
        securityContext:
          privileged: true
        volumeMounts:
        - mountPath: /var/lib/kube-proxy
          name: kube-proxy
        - mountPath: /run/xtables.lock
          name: xtables-lock
          readOnly: false
        - mountPath: /lib/modules
          name: lib-modules
          readOnly: true
        env:
          - name: NODE_NAME
            valueFrom:
              fieldRef:
                fieldPath: spec.nodeName
      hostNetwork: true
      serviceAccountName: kube-proxy
      volumes:
      - name: kube-proxy
        configMap:
          name: kube-proxy
      - name: xtables-lock
        hostPath:
          path: /run/xtables.lock
          type: FileOrCreate
      - name: lib-modules
        hostPath:
          path: /lib/modules
      tolerations:
      - key: CriticalAddonsOnly
        operator: Exists
      - operator: Exists
      nodeSelector:
        kubernetes.io/os: linux
)";

// flannel-io/flannel Documentation/kube-flannel.yml (v0.26), the CNI the
// seed walkthrough applies.
constexpr char kFlannelNamespace[] = R"(apiVersion: v1
kind: Namespace
metadata:
  labels:
    k8s-app: flannel
    pod-security.kubernetes.io/enforce: privileged
  name: kube-flannel
)";

constexpr char kFlannelServiceAccount[] = R"(apiVersion: v1
kind: ServiceAccount
metadata:
  labels:
    k8s-app: flannel
  name: flannel
  namespace: kube-flannel
)";

constexpr char kFlannelDaemonSet[] = R"(apiVersion: apps/v1
kind: DaemonSet
metadata:
  labels:
    app: flannel
    k8s-app: flannel
    tier: node
  name: kube-flannel-ds
  namespace: kube-flannel
spec:
  selector:
    matchLabels:
      app: flannel
      k8s-app: flannel
  template:
    metadata:
      labels:
        app: flannel
        k8s-app: flannel
        tier: node
    spec:
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
              - key: kubernetes.io/os
                operator: In
                values:
                - linux
      containers:
      - args:
        - --ip-masq
        - --kube-subnet-mgr
        command:
        - /opt/bin/flanneld
        env:
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        - name: POD_NAMESPACE
          valueFrom:
            fieldRef:
              fieldPath: metadata.namespace
        - name: EVENT_QUEUE_DEPTH
          value: "5000"
        image: docker.io/flannel/flannel:v0.26.1
        name: kube-flannel
        resources:
          requests:
            cpu: 100m
            memory: 50Mi
        securityContext:
          capabilities:
            add:
            - NET_ADMIN
            - NET_RAW
          privileged: false
        volumeMounts:
        - mountPath: /run/flannel
          name: run
        - mountPath: /etc/kube-flannel/
          name: flannel-cfg
        - mountPath: /run/xtables.lock
          name: xtables-lock
      hostNetwork: true
      initContainers:
      - args:
        - -f
        - /flannel
        - /opt/cni/bin/flannel
        command:
        - cp
        image: docker.io/flannel/flannel-cni-plugin:v1.5.1-flannel2
        name: install-cni-plugin
        volumeMounts:
        - mountPath: /opt/cni/bin
          name: cni-plugin
      - args:
        - -f
        - /etc/kube-flannel/cni-conf.json
        - /etc/cni/net.d/10-flannel.conflist
        command:
        - cp
        image: docker.io/flannel/flannel:v0.26.1
        name: install-cni
        volumeMounts:
        - mountPath: /etc/cni/net.d
          name: cni
        - mountPath: /etc/kube-flannel/
          name: flannel-cfg
      priorityClassName: system-node-critical
      serviceAccountName: flannel
      tolerations:
      - effect: NoSchedule
        operator: Exists
      volumes:
      - hostPath:
          path: /run/flannel
        name: run
      - hostPath:
          path: /opt/cni/bin
        name: cni-plugin
      - hostPath:
          path: /etc/cni/net.d
        name: cni
      - configMap:
          name: kube-flannel-cfg
        name: flannel-cfg
      - hostPath:
          path: /run/xtables.lock
          type: FileOrCreate
        name: xtables-lock
)";

const api::GroupVersionResource& GvrOf(const api::Object& obj) {
  const std::string kind = obj.value("kind", "");
  if (kind == "Namespace") return api::kNamespaces;
  if (kind == "ServiceAccount") return api::kServiceAccounts;
  if (kind == "Service") return api::kServices;
  if (kind == "Deployment") return api::kDeployments;
  return api::kDaemonSets;
}

bool PodReady(const api::Object& pod) {
  if (api::GetString(pod, "/status/phase") != "Running") return false;
  const api::Object* conds = api::Find(pod, "/status/conditions");
  if (!conds || !conds->is_array()) return false;
  for (const auto& c : *conds) {
    if (c.value("type", "") == "Ready") return c.value("status", "") == "True";
  }
  return false;
}

}  // namespace

std::vector<api::Object> ControlPlaneStaticPods(const kubelet::NodeConfig& node) {
  std::vector<api::Object> out;
  for (const char* c : {"etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"}) {
    std::string yaml = StaticPodYaml(c, node.internal_ip);
    if (auto pos = yaml.find("--name=NODE"); pos != std::string::npos)
      yaml.replace(pos, 11, "--name=" + node.name);
    out.push_back(ParseOne(yaml));
  }
  return out;
}

Status CreateManifests(client::Client& client, const std::vector<api::Object>& objects) {
  for (const api::Object& obj : objects) {
    auto created = client.Create(GvrOf(obj), api::Namespace(obj), obj);
    if (!created.ok() && created.status().code() != StatusCode::kAlreadyExists) {
      return created.status();
    }
  }
  return Status::Ok();
}

Status ApplyAddons(client::Client& client) {
  std::vector<api::Object> objects;
  for (const char* yaml :
       {kCoreDnsServiceAccount, kCoreDnsDeployment, kCoreDnsService, kKubeProxyServiceAccount,
        kKubeProxyDaemonSet, kFlannelNamespace, kFlannelServiceAccount, kFlannelDaemonSet}) {
    objects.push_back(ParseOne(yaml));
  }
  return CreateManifests(client, objects);
}

bool SystemPodsReady(client::Client& client) {
  // CoreDNS comes up last (its pods wait for the scheduler and an image
  // pull): one cheap GET before listing every pod.
  auto dns = client.Get(api::kDeployments, "kube-system", "coredns");
  if (!dns.ok()) return false;
  if (api::GetInt(*dns, "/status/availableReplicas") != api::GetInt(*dns, "/spec/replicas")) {
    return false;
  }
  for (const char* ns : {"kube-system", "kube-flannel"}) {
    auto pods = client.List(api::kPods, ns);
    if (!pods.ok()) return false;
    for (const auto& p : (*pods)["items"]) {
      if (!PodReady(p)) return false;
    }
  }
  return true;
}

}  // namespace kubesim::cluster
