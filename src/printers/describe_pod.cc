// describePod and its helpers, ported from k8s.io/kubectl/pkg/describe/
// describe.go (release-1.32).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "describe_internal.h"
#include "kubesim/printers/describe.h"
#include "kubesim/printers/go_format.h"

namespace kubesim::printers {

using namespace describe_internal;

namespace {

// A set *bool printed with %v is a Go pointer address; kubectl 1.32's
// printProjectedVolumeSource prints exactly that. Its value is not
// reproducible, so a fixed address-shaped text stands in for it.
constexpr char kGoPointerText[] = "0xc000a1b2c8";

// %v of a *bool: "<nil>" or a pointer.
std::string BoolPtr(const Json& o, std::string_view key) {
  const Json* v = Get(o, key);
  return v && v->is_boolean() ? kGoPointerText : "<nil>";
}

// intstr.IntOrString.String().
std::string IntOrString(const Json* v) {
  if (!v) return "0";
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number()) return std::to_string(v->get<int64_t>());
  return "0";
}

// %v of a []string: "[a b c]".
std::string GoStringSlice(const Json& arr) {
  std::vector<std::string> parts;
  for (const Json& s : arr) parts.push_back(Scalar(s));
  return "[" + Join(parts, " ") + "]";
}

std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t nl = s.find('\n', start);
    if (nl == std::string::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
}

// net.JoinHostPort.
std::string JoinHostPort(const std::string& host, const std::string& port) {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + port;
  return host + ":" + port;
}

// DescribeProbe.
std::string DescribeProbe(const Json& probe) {
  std::string attrs = "delay=" + std::to_string(Int(probe, "initialDelaySeconds")) +
                      "s timeout=" + std::to_string(Int(probe, "timeoutSeconds")) +
                      "s period=" + std::to_string(Int(probe, "periodSeconds")) +
                      "s #success=" + std::to_string(Int(probe, "successThreshold")) +
                      " #failure=" + std::to_string(Int(probe, "failureThreshold"));
  if (const Json* exec = Get(probe, "exec"); exec && exec->is_object()) {
    return "exec " + GoStringSlice(Arr(*exec, "command")) + " " + attrs;
  }
  if (const Json* http = Get(probe, "httpGet"); http && http->is_object()) {
    std::string scheme = Str(*http, "scheme");
    for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string port = IntOrString(Get(*http, "port"));
    std::string host = port.empty() ? Str(*http, "host") : JoinHostPort(Str(*http, "host"), port);
    // url.URL.String() (without percent-escaping).
    std::string url;
    if (!scheme.empty()) url += scheme + ":";
    if (!scheme.empty() || !host.empty()) url += "//" + host;
    std::string path = Str(*http, "path");
    if (!path.empty() && path[0] != '/' && !host.empty()) url += "/";
    url += path;
    return "http-get " + url + " " + attrs;
  }
  if (const Json* tcp = Get(probe, "tcpSocket"); tcp && tcp->is_object()) {
    return "tcp-socket " + Str(*tcp, "host") + ":" + IntOrString(Get(*tcp, "port")) + " " + attrs;
  }
  if (const Json* grpc = Get(probe, "grpc"); grpc && grpc->is_object()) {
    return "grpc <pod>:" + std::to_string(Int(*grpc, "port")) + " " + Str(*grpc, "service") + " " +
           attrs;
  }
  return "unknown " + attrs;
}

// EnvValueRetriever: kubectl's scheme has no field label conversions for
// Pod, so ConvertFieldLabel (DefaultMetaV1FieldSelectorConversion) accepts
// only metadata.name and metadata.namespace; anything else resolves to "".
std::string ResolveFieldRef(const Json& pod, const Json& field_ref) {
  const std::string path = Str(field_ref, "fieldPath");
  if (path == "metadata.name") return Str(Obj(pod, "metadata"), "name");
  if (path == "metadata.namespace") return Str(Obj(pod, "metadata"), "namespace");
  return "";
}

// resourcehelper.ExtractContainerResourceValue.
bool ExtractContainerResourceValue(const Json& fs, const Json& container, std::string* out) {
  Quantity divisor = ParseQuantityOrZero(Get(fs, "divisor") ? fs["divisor"] : Json());
  if (divisor.IsZero()) divisor = Quantity::FromValue(1, QuantityFormat::kDecimalSI);
  const std::string res = Str(fs, "resource");
  const Json& resources = Obj(container, "resources");
  auto quantity = [&](const char* list, const std::string& name) {
    const Json& l = Obj(resources, list);
    return l.contains(name) ? ParseQuantityOrZero(l[name]) : Quantity();
  };
  auto ceil_div = [](int64_t a, int64_t b) {
    return static_cast<int64_t>(std::ceil(static_cast<double>(a) / static_cast<double>(b)));
  };
  std::string list, name;
  if (res.rfind("limits.", 0) == 0) {
    list = "limits";
    name = res.substr(7);
  } else if (res.rfind("requests.", 0) == 0) {
    list = "requests";
    name = res.substr(9);
  } else {
    return false;
  }
  if (name == "cpu") {
    *out =
        std::to_string(ceil_div(quantity(list.c_str(), name).MilliValue(), divisor.MilliValue()));
    return true;
  }
  if (name == "memory" || name == "ephemeral-storage" || name.rfind("hugepages-", 0) == 0) {
    *out = std::to_string(ceil_div(quantity(list.c_str(), name).Value(), divisor.Value()));
    return true;
  }
  return false;
}

// describeContainerPorts / describeContainerHostPorts.
std::string DescribePorts(const Json& ports, const char* field) {
  std::vector<std::string> parts;
  for (const Json& p : ports) {
    parts.push_back(std::to_string(Int(p, field)) + "/" + Str(p, "protocol"));
  }
  return Join(parts, ", ");
}

std::string StringOrNone(const std::string& s) { return s.empty() ? "<none>" : s; }

// describeStatus.
void DescribeStatus(const std::string& state_name, const Json& state, PrefixWriter& w) {
  const Json* running = Get(state, "running");
  const Json* waiting = Get(state, "waiting");
  const Json* terminated = Get(state, "terminated");
  if (running && running->is_object()) {
    w.Write(kLevel2, state_name + ":\tRunning\n");
    w.Write(kLevel3, "Started:\t" + Rfc1123zAt(*running, "startedAt") + "\n");
  } else if (waiting && waiting->is_object()) {
    w.Write(kLevel2, state_name + ":\tWaiting\n");
    if (!Str(*waiting, "reason").empty()) {
      w.Write(kLevel3, "Reason:\t" + Str(*waiting, "reason") + "\n");
    }
  } else if (terminated && terminated->is_object()) {
    w.Write(kLevel2, state_name + ":\tTerminated\n");
    if (!Str(*terminated, "reason").empty()) {
      w.Write(kLevel3, "Reason:\t" + Str(*terminated, "reason") + "\n");
    }
    if (!Str(*terminated, "message").empty()) {
      w.Write(kLevel3, "Message:\t" + Str(*terminated, "message") + "\n");
    }
    w.Write(kLevel3, "Exit Code:\t" + std::to_string(Int(*terminated, "exitCode")) + "\n");
    if (Int(*terminated, "signal") > 0) {
      w.Write(kLevel3, "Signal:\t" + std::to_string(Int(*terminated, "signal")) + "\n");
    }
    w.Write(kLevel3, "Started:\t" + Rfc1123zAt(*terminated, "startedAt") + "\n");
    w.Write(kLevel3, "Finished:\t" + Rfc1123zAt(*terminated, "finishedAt") + "\n");
  } else {
    w.Write(kLevel2, state_name + ":\tWaiting\n");
  }
}

void DescribeContainerEnvVars(const Json& pod, const Json& container, PrefixWriter& w) {
  const Json& env = Arr(container, "env");
  w.Write(kLevel2, std::string("Environment:") + (env.empty() ? "\t<none>" : "") + "\n");
  for (const Json& e : env) {
    const std::string name = Str(e, "name");
    const Json* value_from = Get(e, "valueFrom");
    if (!value_from || !value_from->is_object()) {
      auto lines = SplitLines(Str(e, "value"));
      for (size_t i = 0; i < lines.size(); ++i) {
        if (i == 0) {
          w.Write(kLevel3, name + ":\t" + lines[i] + "\n");
        } else {
          w.Write(kLevel3, "\t" + lines[i] + "\n");
        }
      }
      continue;
    }
    const Json& vf = *value_from;
    if (const Json* f = Get(vf, "fieldRef"); f && f->is_object()) {
      w.Write(kLevel3, name + ":\t" + ResolveFieldRef(pod, *f) + " (" + Str(*f, "apiVersion") +
                           ":" + Str(*f, "fieldPath") + ")\n");
    } else if (const Json* r = Get(vf, "resourceFieldRef"); r && r->is_object()) {
      std::string value;
      if (!ExtractContainerResourceValue(*r, container, &value)) value = "";
      const std::string resource = Str(*r, "resource");
      if (value == "0" && (resource == "limits.cpu" || resource == "limits.memory")) {
        value = "node allocatable";
      }
      w.Write(kLevel3, name + ":\t" + value + " (" + resource + ")\n");
    } else if (const Json* s = Get(vf, "secretKeyRef"); s && s->is_object()) {
      w.Write(kLevel3, name + ":\t<set to the key '" + Str(*s, "key") + "' in secret '" +
                           Str(*s, "name") +
                           "'>\tOptional: " + (Bool(*s, "optional") ? "true" : "false") + "\n");
    } else if (const Json* c = Get(vf, "configMapKeyRef"); c && c->is_object()) {
      w.Write(kLevel3, name + ":\t<set to the key '" + Str(*c, "key") + "' of config map '" +
                           Str(*c, "name") +
                           "'>\tOptional: " + (Bool(*c, "optional") ? "true" : "false") + "\n");
    }
  }
}

void DescribeContainerEnvFrom(const Json& container, PrefixWriter& w) {
  const Json& env_from = Arr(container, "envFrom");
  w.Write(kLevel2,
          std::string("Environment Variables from:") + (env_from.empty() ? "\t<none>" : "") + "\n");
  for (const Json& e : env_from) {
    std::string from, name;
    bool optional = false;
    if (const Json* c = Get(e, "configMapRef"); c && c->is_object()) {
      from = "ConfigMap";
      name = Str(*c, "name");
      optional = Bool(*c, "optional");
    } else if (const Json* s = Get(e, "secretRef"); s && s->is_object()) {
      from = "Secret";
      name = Str(*s, "name");
      optional = Bool(*s, "optional");
    }
    const std::string prefix = Str(e, "prefix");
    const std::string opt = optional ? "true" : "false";
    if (prefix.empty()) {
      w.Write(kLevel3, name + "\t" + from + "\tOptional: " + opt + "\n");
    } else {
      w.Write(kLevel3,
              name + "\t" + from + " with prefix '" + prefix + "'\tOptional: " + opt + "\n");
    }
  }
}

void DescribeContainerVolumes(const Json& container, PrefixWriter& w) {
  std::vector<Json> mounts(Arr(container, "volumeMounts").begin(),
                           Arr(container, "volumeMounts").end());
  const std::string none = mounts.empty() ? "\t<none>" : "";
  w.Write(kLevel2, "Mounts:" + none + "\n");
  GoSort(mounts, [](const Json& a, const Json& b) {  // SortableVolumeMounts
    return Str(a, "mountPath") < Str(b, "mountPath");
  });
  for (const Json& m : mounts) {
    std::vector<std::string> flags = {Bool(m, "readOnly") ? "ro" : "rw"};
    if (!Str(m, "subPath").empty()) flags.push_back("path=" + GoQuote(Str(m, "subPath")));
    w.Write(kLevel3,
            Str(m, "mountPath") + " from " + Str(m, "name") + " (" + Join(flags, ",") + ")\n");
  }
  std::vector<Json> devices(Arr(container, "volumeDevices").begin(),
                            Arr(container, "volumeDevices").end());
  if (!devices.empty()) {
    w.Write(kLevel2, "Devices:" + none + "\n");
    GoSort(devices, [](const Json& a, const Json& b) {  // SortableVolumeDevices
      return Str(a, "devicePath") < Str(b, "devicePath");
    });
    for (const Json& d : devices) {
      w.Write(kLevel3, Str(d, "devicePath") + " from " + Str(d, "name") + "\n");
    }
  }
}

// describeContainers(label, containers, statuses, EnvValueRetriever(pod), w, "").
// `space` is describeContainers' prefix: "  " in a pod template, where the
// label takes it and container names get one extra space (nameIndent).
void DescribeContainers(const std::string& label, const Json& pod, const Json& containers,
                        const Json& statuses, PrefixWriter& w, const std::string& space = "") {
  const std::string name_indent = space.empty() ? "" : " ";
  w.Write(kLevel0, space + label + ":" + (containers.empty() ? " <none>" : "") + "\n");
  for (const Json& container : containers) {
    const std::string name = Str(container, "name");
    const Json* status = nullptr;
    for (const Json& s : statuses) {
      if (Str(s, "name") == name) status = &s;  // the map keeps the last one
    }
    // describeContainerBasicInfo
    w.Write(kLevel1, name_indent + name + ":\n");
    if (status) w.Write(kLevel2, "Container ID:\t" + Str(*status, "containerID") + "\n");
    w.Write(kLevel2, "Image:\t" + Str(container, "image") + "\n");
    if (status) w.Write(kLevel2, "Image ID:\t" + Str(*status, "imageID") + "\n");
    const Json& ports = Arr(container, "ports");
    std::string port_string = DescribePorts(ports, "containerPort");
    if (port_string.find(',') != std::string::npos) {
      w.Write(kLevel2, "Ports:\t" + port_string + "\n");
    } else {
      w.Write(kLevel2, "Port:\t" + StringOrNone(port_string) + "\n");
    }
    std::string host_port_string = DescribePorts(ports, "hostPort");
    if (host_port_string.find(',') != std::string::npos) {
      w.Write(kLevel2, "Host Ports:\t" + host_port_string + "\n");
    } else {
      w.Write(kLevel2, "Host Port:\t" + StringOrNone(host_port_string) + "\n");
    }
    if (const Json* seccomp_ptr = Get(Obj(container, "securityContext"), "seccompProfile");
        seccomp_ptr && seccomp_ptr->is_object()) {
      const Json& seccomp = *seccomp_ptr;
      w.Write(kLevel2, "SeccompProfile:\t" + Str(seccomp, "type") + "\n");
      if (Str(seccomp, "type") == "Localhost") {
        w.Write(kLevel3, "LocalhostProfile:\t" + Str(seccomp, "localhostProfile") + "\n");
      }
    }
    // describeContainerCommand
    if (!Arr(container, "command").empty()) {
      w.Write(kLevel2, "Command:\n");
      for (const Json& c : Arr(container, "command")) {
        for (const auto& s : SplitLines(Scalar(c))) w.Write(kLevel3, s + "\n");
      }
    }
    if (!Arr(container, "args").empty()) {
      w.Write(kLevel2, "Args:\n");
      for (const Json& a : Arr(container, "args")) {
        for (const auto& s : SplitLines(Scalar(a))) w.Write(kLevel3, s + "\n");
      }
    }
    if (status) {
      // describeContainerState
      DescribeStatus("State", Obj(*status, "state"), w);
      const Json& last = Obj(*status, "lastState");
      if (const Json* t = Get(last, "terminated"); t && t->is_object()) {
        DescribeStatus("Last State", last, w);
      }
      w.Write(kLevel2, std::string("Ready:\t") + PrintBool(Bool(*status, "ready")) + "\n");
      w.Write(kLevel2, "Restart Count:\t" + std::to_string(Int(*status, "restartCount")) + "\n");
    }
    DescribeResources(Obj(container, "resources"), w, kLevel2);
    // describeContainerProbe
    for (const auto& [key, title] :
         {std::pair{"livenessProbe", "Liveness"}, std::pair{"readinessProbe", "Readiness"},
          std::pair{"startupProbe", "Startup"}}) {
      if (const Json* p = Get(container, key); p && p->is_object()) {
        w.Write(kLevel2, std::string(title) + ":\t" + DescribeProbe(*p) + "\n");
      }
    }
    if (!Arr(container, "envFrom").empty()) DescribeContainerEnvFrom(container, w);
    DescribeContainerEnvVars(pod, container, w);
    DescribeContainerVolumes(container, w);
  }
}

void PrintProjectedVolumeSource(const Json& projected, PrefixWriter& w) {
  w.Write(kLevel2,
          "Type:\tProjected (a volume that contains injected data from multiple sources)\n");
  for (const Json& source : Arr(projected, "sources")) {
    if (const Json* s = Get(source, "secret"); s && s->is_object()) {
      w.Write(kLevel2, "SecretName:\t" + Str(*s, "name") + "\n    SecretOptionalName:\t" +
                           BoolPtr(*s, "optional") + "\n");
    } else if (const Json* d = Get(source, "downwardAPI"); d && d->is_object()) {
      w.Write(kLevel2, "DownwardAPI:\ttrue\n");
    } else if (const Json* c = Get(source, "configMap"); c && c->is_object()) {
      w.Write(kLevel2, "ConfigMapName:\t" + Str(*c, "name") + "\n    ConfigMapOptional:\t" +
                           BoolPtr(*c, "optional") + "\n");
    } else if (const Json* t = Get(source, "serviceAccountToken"); t && t->is_object()) {
      w.Write(kLevel2,
              "TokenExpirationSeconds:\t" + std::to_string(Int(*t, "expirationSeconds")) + "\n");
    }
  }
}

// describeVolumes(volumes, w, "").
void DescribeVolumes(const Json& volumes, PrefixWriter& w, const std::string& space = "") {
  const std::string name_indent = space.empty() ? "" : " ";
  if (volumes.empty()) {
    w.Write(kLevel0, space + "Volumes:\t<none>\n");
    return;
  }
  w.Write(kLevel0, space + "Volumes:\n");
  for (const Json& volume : volumes) {
    w.Write(kLevel1, name_indent + Str(volume, "name") + ":\n");
    auto source = [&](const char* key) -> const Json* {
      const Json* v = Get(volume, key);
      return v && v->is_object() ? v : nullptr;
    };
    auto b = [](const Json& o, const char* key) { return Bool(o, key) ? "true" : "false"; };
    if (const Json* v = source("hostPath")) {
      std::string type = Get(*v, "type") && (*v)["type"].is_string() ? Str(*v, "type") : "<none>";
      w.Write(kLevel2, "Type:\tHostPath (bare host directory volume)\n    Path:\t" +
                           Str(*v, "path") + "\n    HostPathType:\t" + type + "\n");
    } else if (const Json* v = source("emptyDir")) {
      std::string size_limit = "<unset>";
      if (const Json* s = Get(*v, "sizeLimit"); s && !s->is_null()) {
        Quantity q = ParseQuantityOrZero(*s);
        if (q.Sign() > 0) size_limit = QuantityString(*s);
      }
      w.Write(
          kLevel2,
          "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t" +
              Str(*v, "medium") + "\n    SizeLimit:\t" + size_limit + "\n");
    } else if (const Json* v = source("gitRepo")) {
      w.Write(kLevel2,
              "Type:\tGitRepo (a volume that is pulled from git when the pod is created)\n"
              "    Repository:\t" +
                  Str(*v, "repository") + "\n    Revision:\t" + Str(*v, "revision") + "\n");
    } else if (const Json* v = source("secret")) {
      w.Write(kLevel2, "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t" +
                           Str(*v, "secretName") + "\n    Optional:\t" + b(*v, "optional") + "\n");
    } else if (const Json* v = source("configMap")) {
      w.Write(kLevel2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t" +
                           Str(*v, "name") + "\n    Optional:\t" + b(*v, "optional") + "\n");
    } else if (const Json* v = source("nfs")) {
      w.Write(kLevel2, "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t" +
                           Str(*v, "server") + "\n    Path:\t" + Str(*v, "path") +
                           "\n    ReadOnly:\t" + b(*v, "readOnly") + "\n");
    } else if (const Json* v = source("persistentVolumeClaim")) {
      w.Write(kLevel2,
              "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same "
              "namespace)\n    ClaimName:\t" +
                  Str(*v, "claimName") + "\n    ReadOnly:\t" + b(*v, "readOnly") + "\n");
    } else if (source("ephemeral")) {
      w.Write(kLevel2,
              "Type:\tEphemeralVolume (an inline specification for a volume that gets created "
              "and deleted with the pod)\n");
    } else if (const Json* v = source("downwardAPI")) {
      w.Write(kLevel2,
              "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n");
      for (const Json& item : Arr(*v, "items")) {
        if (const Json* f = Get(item, "fieldRef"); f && f->is_object()) {
          w.Write(kLevel3, Str(*f, "fieldPath") + " -> " + Str(item, "path") + "\n");
        }
        if (const Json* r = Get(item, "resourceFieldRef"); r && r->is_object()) {
          w.Write(kLevel3, Str(*r, "resource") + " -> " + Str(item, "path") + "\n");
        }
      }
    } else if (const Json* v = source("projected")) {
      PrintProjectedVolumeSource(*v, w);
    } else if (const Json* v = source("csi")) {
      w.Write(kLevel2,
              "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t" +
                  Str(*v, "driver") + "\n    FSType:\t" + Str(*v, "fsType") + "\n    ReadOnly:\t" +
                  b(*v, "readOnly") + "\n");
      // printCSIPersistentVolumeAttributesMultilineIndent
      auto attrs = StringMap(*v, "volumeAttributes");
      w.Write(kLevel2, "VolumeAttributes:\t");
      if (attrs.empty()) {
        w.WriteLine("<none>");
      } else {
        bool first = true;
        for (const auto& [key, value] : attrs) {
          if (!first) {
            w.Write(kLevel2, "");
            w.Write(kLevel2, "\t");
          }
          first = false;
          std::string line = key + "=" + value;
          if (line.size() > 140) {
            w.Write(kLevel2, line.substr(0, 140) + "...\n");
          } else {
            w.Write(kLevel2, line + "\n");
          }
        }
      }
    } else if (const Json* v = source("image")) {
      w.Write(kLevel2, "Type:\tImage (a container image or OCI artifact)\n    Reference:\t" +
                           Str(*v, "reference") + "\n    PullPolicy:\t" + Str(*v, "pullPolicy") +
                           "\n");
    } else {
      w.Write(kLevel1, "<unknown>\n");
    }
  }
}

// printTolerationsMultilineWithIndent(w, "", "Tolerations", "\t", tolerations).
void PrintTolerationsMultiline(PrefixWriter& w, const Json& input) {
  w.Write(kLevel0, "Tolerations:\t");
  if (input.empty()) {
    w.WriteLine("<none>");
    return;
  }
  std::vector<Json> tolerations(input.begin(), input.end());
  GoSort(tolerations, [](const Json& a, const Json& b) { return Str(a, "key") < Str(b, "key"); });
  for (size_t i = 0; i < tolerations.size(); ++i) {
    const Json& t = tolerations[i];
    if (i != 0) {
      w.Write(kLevel0, "");
      w.Write(kLevel0, "\t");
    }
    const std::string key = Str(t, "key"), value = Str(t, "value"), effect = Str(t, "effect");
    std::string line = key;
    if (!value.empty()) line += "=" + value;
    if (!effect.empty()) line += ":" + effect;
    if (Str(t, "operator") == "Exists" && value.empty()) {
      line += !key.empty() || !effect.empty() ? " op=Exists" : "op=Exists";
    }
    if (const Json* s = Get(t, "tolerationSeconds"); s && s->is_number()) {
      line += " for " + std::to_string(s->get<int64_t>()) + "s";
    }
    w.Write(kLevel0, line + "\n");
  }
}

// metav1.FormatLabelSelector: LabelSelectorAsSelector(...).String(), with
// requirements sorted by key (sort.Sort(ByKey)) and In/NotIn values sorted.
std::string FormatLabelSelector(const Json& sel) {
  std::vector<std::pair<std::string, std::string>> reqs;  // key, text
  for (const auto& [k, v] : Obj(sel, "matchLabels").items())
    reqs.emplace_back(k, k + "=" + Scalar(v));
  for (const Json& e : Arr(sel, "matchExpressions")) {
    const std::string key = Str(e, "key"), op = Str(e, "operator");
    std::vector<std::string> values;
    for (const Json& v : Arr(e, "values")) values.push_back(Scalar(v));
    std::sort(values.begin(), values.end());
    if (op == "In" || op == "NotIn") {
      reqs.emplace_back(key, key + (op == "In" ? " in (" : " notin (") + Join(values, ",") + ")");
    } else if (op == "Exists") {
      reqs.emplace_back(key, key);
    } else if (op == "DoesNotExist") {
      reqs.emplace_back(key, "!" + key);
    } else {
      return "<error>";
    }
  }
  GoSort(reqs, [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> parts;
  for (const auto& r : reqs) parts.push_back(r.second);
  std::string out = Join(parts, ",");
  return out.empty() ? "<none>" : out;
}

void DescribeTopologySpreadConstraints(const Json& input, PrefixWriter& w) {
  if (input.empty()) return;
  std::vector<Json> tscs(input.begin(), input.end());
  GoSort(tscs, [](const Json& a, const Json& b) {
    return Str(a, "topologyKey") < Str(b, "topologyKey");
  });
  w.Write(kLevel0, "Topology Spread Constraints:\t");
  for (size_t i = 0; i < tscs.size(); ++i) {
    const Json& t = tscs[i];
    if (i != 0) {
      w.Write(kLevel0, "");
      w.Write(kLevel0, "\t");
    }
    std::string line = Str(t, "topologyKey") + ":" + Str(t, "whenUnsatisfiable") +
                       " when max skew " + std::to_string(Int(t, "maxSkew")) + " is exceeded";
    if (const Json* s = Get(t, "labelSelector"); s && s->is_object()) {
      line += " for selector " + FormatLabelSelector(*s);
    }
    w.Write(kLevel0, line + "\n");
  }
}

// qos.GetPodQOS: status.qosClass, else ComputePodQOS.
std::string PodQos(const Json& pod) {
  const std::string status = Str(Obj(pod, "status"), "qosClass");
  if (!status.empty()) return status;
  const Json& spec = Obj(pod, "spec");
  std::map<std::string, Quantity> requests, limits;
  bool is_guaranteed = true;
  auto scan = [&](const Json& containers) {
    for (const Json& c : containers) {
      const Json& res = Obj(c, "resources");
      for (const auto& [name, q] : Obj(res, "requests").items()) {
        if (name != "cpu" && name != "memory") continue;
        Quantity v = ParseQuantityOrZero(q);
        if (v.Sign() > 0) requests[name].Add(v);
      }
      std::set<std::string> qos_limits_found;
      for (const auto& [name, q] : Obj(res, "limits").items()) {
        if (name != "cpu" && name != "memory") continue;
        Quantity v = ParseQuantityOrZero(q);
        if (v.Sign() > 0) {
          qos_limits_found.insert(name);
          limits[name].Add(v);
        }
      }
      if (qos_limits_found.size() != 2) is_guaranteed = false;
    }
  };
  scan(Arr(spec, "containers"));
  scan(Arr(spec, "initContainers"));
  if (requests.empty() && limits.empty()) return "BestEffort";
  if (is_guaranteed) {
    for (const auto& [name, req] : requests) {
      auto it = limits.find(name);
      if (it == limits.end() || it->second.Cmp(req) != 0) {
        is_guaranteed = false;
        break;
      }
    }
  }
  if (is_guaranteed && requests.size() == limits.size()) return "Guaranteed";
  return "Burstable";
}

}  // namespace

namespace describe_internal {

std::string LabelSelectorString(const Json& selector) { return FormatLabelSelector(selector); }

// DescribePodTemplate (k8s.io/kubectl/pkg/describe/describe.go): the nested
// sections take the "  " `space` argument (topology spread constraints and
// tolerations on every line, through the writer's line prefix); containers
// are described without statuses or an env resolver, so fieldRef values
// print empty.
void DescribePodTemplate(const Json& tmpl, PrefixWriter& w) {
  w.Write(kLevel0, "Pod Template:\n");
  const Json& meta = Obj(tmpl, "metadata");
  const Json& spec = Obj(tmpl, "spec");
  PrintLabelsMultiline(w, "  Labels", StringMap(meta, "labels"));
  if (!StringMap(meta, "annotations").empty()) {
    PrintAnnotationsMultiline(w, "  Annotations", StringMap(meta, "annotations"));
  }
  if (!Str(spec, "serviceAccountName").empty()) {
    w.Write(kLevel1, "Service Account:\t" + Str(spec, "serviceAccountName") + "\n");
  }
  const Json no_pod = Json::object();
  const Json no_statuses = Json::array();
  if (!Arr(spec, "initContainers").empty()) {
    DescribeContainers("Init Containers", no_pod, Arr(spec, "initContainers"), no_statuses, w,
                       "  ");
  }
  DescribeContainers("Containers", no_pod, Arr(spec, "containers"), no_statuses, w, "  ");
  DescribeVolumes(Arr(spec, "volumes"), w, "  ");
  w.set_line_prefix("  ");
  DescribeTopologySpreadConstraints(Arr(spec, "topologySpreadConstraints"), w);
  w.set_line_prefix("");
  if (!Str(spec, "priorityClassName").empty()) {
    w.Write(kLevel1, "Priority Class Name:\t" + Str(spec, "priorityClassName") + "\n");
  }
  PrintLabelsMultiline(w, "  Node-Selectors", StringMap(spec, "nodeSelector"));
  w.set_line_prefix("  ");
  PrintTolerationsMultiline(w, Arr(spec, "tolerations"));
  w.set_line_prefix("");
}

}  // namespace describe_internal

std::string DescribePod(const nlohmann::json& pod, const std::vector<nlohmann::json>& events,
                        Time now, bool show_events) {
  PrefixWriter w;
  const Json& meta = Obj(pod, "metadata");
  const Json& spec = Obj(pod, "spec");
  const Json& status = Obj(pod, "status");
  w.Write(kLevel0, "Name:\t" + Str(meta, "name") + "\n");
  w.Write(kLevel0, "Namespace:\t" + Str(meta, "namespace") + "\n");
  if (const Json* p = Get(spec, "priority"); p && p->is_number()) {
    w.Write(kLevel0, "Priority:\t" + std::to_string(p->get<int64_t>()) + "\n");
  }
  if (!Str(spec, "priorityClassName").empty()) {
    w.Write(kLevel0, "Priority Class Name:\t" + Str(spec, "priorityClassName") + "\n");
  }
  if (!Str(spec, "runtimeClassName").empty()) {
    w.Write(kLevel0, "Runtime Class Name:\t" + Str(spec, "runtimeClassName") + "\n");
  }
  if (!Str(spec, "serviceAccountName").empty()) {
    w.Write(kLevel0, "Service Account:\t" + Str(spec, "serviceAccountName") + "\n");
  }
  if (Str(spec, "nodeName").empty()) {
    w.Write(kLevel0, "Node:\t<none>\n");
  } else {
    w.Write(kLevel0, "Node:\t" + Str(spec, "nodeName") + "/" + Str(status, "hostIP") + "\n");
  }
  Time t;
  if (TimeAt(status, "startTime", &t)) {
    w.Write(kLevel0, "Start Time:\t" + FormatRfc1123z(t) + "\n");
  }
  PrintLabelsMultiline(w, "Labels", StringMap(meta, "labels"));
  PrintAnnotationsMultiline(w, "Annotations", StringMap(meta, "annotations"));
  const std::string phase = Str(status, "phase");
  if (TimeAt(meta, "deletionTimestamp", &t) && phase != "Failed" && phase != "Succeeded") {
    w.Write(kLevel0, "Status:\tTerminating (lasts " +
                         TimestampSinceAt(meta, "deletionTimestamp", now) + ")\n");
    w.Write(kLevel0, "Termination Grace Period:\t" +
                         std::to_string(Int(meta, "deletionGracePeriodSeconds")) + "s\n");
  } else {
    w.Write(kLevel0, "Status:\t" + phase + "\n");
  }
  if (!Str(status, "reason").empty()) w.Write(kLevel0, "Reason:\t" + Str(status, "reason") + "\n");
  if (!Str(status, "message").empty()) {
    w.Write(kLevel0, "Message:\t" + Str(status, "message") + "\n");
  }
  if (const Json* sp = Get(Obj(spec, "securityContext"), "seccompProfile"); sp && sp->is_object()) {
    w.Write(kLevel0, "SeccompProfile:\t" + Str(*sp, "type") + "\n");
    if (Str(*sp, "type") == "Localhost") {
      w.Write(kLevel0, "LocalhostProfile:\t" + Str(*sp, "localhostProfile") + "\n");
    }
  }
  w.Write(kLevel0, "IP:\t" + Str(status, "podIP") + "\n");
  // describePodIPs
  const Json& pod_ips = Arr(status, "podIPs");
  if (pod_ips.empty()) {
    w.Write(kLevel0, "IPs:\t<none>\n");
  } else {
    w.Write(kLevel0, "IPs:\n");
    for (const Json& ip : pod_ips) w.Write(kLevel1, "IP:\t" + Str(ip, "ip") + "\n");
  }
  // printController
  for (const Json& ref : Arr(meta, "ownerReferences")) {
    if (Bool(ref, "controller")) {
      w.Write(kLevel0, "Controlled By:\t" + Str(ref, "kind") + "/" + Str(ref, "name") + "\n");
      break;
    }
  }
  if (!Str(status, "nominatedNodeName").empty()) {
    w.Write(kLevel0, "NominatedNodeName:\t" + Str(status, "nominatedNodeName") + "\n");
  }
  if (!Arr(spec, "initContainers").empty()) {
    DescribeContainers("Init Containers", pod, Arr(spec, "initContainers"),
                       Arr(status, "initContainerStatuses"), w);
  }
  DescribeContainers("Containers", pod, Arr(spec, "containers"), Arr(status, "containerStatuses"),
                     w);
  if (!Arr(spec, "ephemeralContainers").empty()) {
    DescribeContainers("Ephemeral Containers", pod, Arr(spec, "ephemeralContainers"),
                       Arr(status, "ephemeralContainerStatuses"), w);
  }
  const Json& conditions = Arr(status, "conditions");
  if (!Arr(spec, "readinessGates").empty()) {
    w.Write(kLevel0, "Readiness Gates:\n  Type\tStatus\n");
    for (const Json& g : Arr(spec, "readinessGates")) {
      std::string gate_status = "<none>";
      for (const Json& c : conditions) {
        if (Str(c, "type") == Str(g, "conditionType")) {
          gate_status = Str(c, "status");
          break;
        }
      }
      w.Write(kLevel1, Str(g, "conditionType") + " \t" + gate_status + " \n");
    }
  }
  if (!conditions.empty()) {
    w.Write(kLevel0, "Conditions:\n  Type\tStatus\n");
    for (const Json& c : conditions) {
      w.Write(kLevel1, Str(c, "type") + " \t" + Str(c, "status") + " \n");
    }
  }
  DescribeVolumes(Arr(spec, "volumes"), w);
  w.Write(kLevel0, "QoS Class:\t" + PodQos(pod) + "\n");
  PrintLabelsMultiline(w, "Node-Selectors", StringMap(spec, "nodeSelector"));
  PrintTolerationsMultiline(w, Arr(spec, "tolerations"));
  DescribeTopologySpreadConstraints(Arr(spec, "topologySpreadConstraints"), w);
  if (show_events) DescribeEvents(events, w, now);
  return w.Finish();
}

}  // namespace kubesim::printers
