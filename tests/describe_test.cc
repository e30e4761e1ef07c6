// Tests for printers/describe.h (`kubectl describe` for pods, nodes and
// namespaces) and the shell's `describe` command.
//
// The expected texts follow k8s.io/kubectl/pkg/describe/describe.go
// (release-1.32): describePod, describeContainers (describeContainerBasicInfo,
// describeContainerState/describeStatus, describeResources,
// describeContainerProbe/DescribeProbe, describeContainerEnvFrom,
// describeContainerEnvVars, describeContainerVolumes), describeVolumes and
// the print*VolumeSource functions, printLabelsMultiline,
// printAnnotationsMultiline, printPodTolerationsMultiline,
// describeTopologySpreadConstraints, DescribeEvents (ordered as
// kubectl/pkg/util/event.SortableEvents, by lastTimestamp, with Go's
// pdqsort), describeNode, describeNodeLease, printNodeTaintsMultiline,
// describeNodeResource (resourcehelper.PodRequestsAndLimits) and
// describeNamespace, all laid out by tabbedString's tabwriter (minwidth 0,
// tabwidth 8, padding 2, padchar ' '). Every expected text was also compared
// byte for byte with kubectl v1.32.4 describing the same objects served by a
// stub API server (with its dates moved to this file's fixed clock).
#include "kubesim/printers/describe.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kubesim/sim/clock.h"
#include "shell_test_util.h"

namespace kubesim {
namespace {

using nlohmann::json;
using printers::DescribeNamespace;
using printers::DescribeNode;
using printers::DescribePod;

// The describing instant: 2025-01-01T12:00:00Z.
Time Now() {
  Time t;
  EXPECT_TRUE(ParseRfc3339("2025-01-01T12:00:00Z", &t));
  return t;
}

// A running pod, as the kubelet reports it: Burstable, one container, one
// emptyDir volume, the two default tolerations.
const char kRunningPod[] = R"json({
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {
    "name": "nginx",
    "namespace": "default",
    "uid": "4b5c6d7e-0000-4000-8000-000000000001",
    "resourceVersion": "812",
    "creationTimestamp": "2025-01-01T11:55:00Z",
    "labels": {
      "run": "nginx",
      "app": "web"
    },
    "annotations": {
      "kubesim.io/note": "hello"
    }
  },
  "spec": {
    "containers": [
      {
        "name": "nginx",
        "image": "nginx:1.27",
        "ports": [
          {
            "containerPort": 80,
            "protocol": "TCP"
          }
        ],
        "env": [
          {
            "name": "MODE",
            "value": "prod"
          }
        ],
        "resources": {
          "requests": {
            "cpu": "100m",
            "memory": "128Mi"
          },
          "limits": {
            "memory": "256Mi"
          }
        },
        "volumeMounts": [
          {
            "name": "cache",
            "mountPath": "/cache"
          }
        ],
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
        "imagePullPolicy": "IfNotPresent"
      }
    ],
    "volumes": [
      {
        "name": "cache",
        "emptyDir": {}
      }
    ],
    "restartPolicy": "Always",
    "terminationGracePeriodSeconds": 30,
    "dnsPolicy": "ClusterFirst",
    "serviceAccountName": "default",
    "serviceAccount": "default",
    "nodeName": "worker-1",
    "securityContext": {},
    "schedulerName": "default-scheduler",
    "tolerations": [
      {
        "key": "node.kubernetes.io/not-ready",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 300
      },
      {
        "key": "node.kubernetes.io/unreachable",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 300
      }
    ],
    "priority": 0,
    "enableServiceLinks": true,
    "preemptionPolicy": "PreemptLowerPriority"
  },
  "status": {
    "phase": "Running",
    "conditions": [
      {
        "type": "PodReadyToStartContainers",
        "status": "True",
        "lastProbeTime": null,
        "lastTransitionTime": "2025-01-01T11:55:10Z"
      },
      {
        "type": "Initialized",
        "status": "True",
        "lastProbeTime": null,
        "lastTransitionTime": "2025-01-01T11:55:01Z"
      },
      {
        "type": "Ready",
        "status": "True",
        "lastProbeTime": null,
        "lastTransitionTime": "2025-01-01T11:55:10Z"
      },
      {
        "type": "ContainersReady",
        "status": "True",
        "lastProbeTime": null,
        "lastTransitionTime": "2025-01-01T11:55:10Z"
      },
      {
        "type": "PodScheduled",
        "status": "True",
        "lastProbeTime": null,
        "lastTransitionTime": "2025-01-01T11:55:00Z"
      }
    ],
    "hostIP": "192.168.49.3",
    "hostIPs": [
      {
        "ip": "192.168.49.3"
      }
    ],
    "podIP": "10.244.1.5",
    "podIPs": [
      {
        "ip": "10.244.1.5"
      }
    ],
    "startTime": "2025-01-01T11:55:01Z",
    "containerStatuses": [
      {
        "name": "nginx",
        "state": {
          "running": {
            "startedAt": "2025-01-01T11:55:10Z"
          }
        },
        "lastState": {},
        "ready": true,
        "restartCount": 0,
        "image": "docker.io/library/nginx:1.27",
        "imageID": "docker.io/library/nginx@sha256:0a399eb16751829e1af26fea27b20c3ec28d7ab1fb72182879dcae1cca21206a",
        "containerID": "containerd://8f3e2a1b9c0d",
        "started": true
      }
    ],
    "qosClass": "Burstable"
  }
})json";

// Its events: one from the scheduler, one the kubelet saw twice.
const char kRunningPodEvents[] = R"json([
  {
    "apiVersion": "v1",
    "kind": "Event",
    "metadata": {
      "name": "nginx.17f0a1",
      "namespace": "default",
      "uid": "e-nginx.17f0a1",
      "resourceVersion": "900",
      "creationTimestamp": "2025-01-01T11:55:00Z"
    },
    "involvedObject": {
      "kind": "Pod",
      "name": "nginx",
      "uid": "4b5c6d7e-0000-4000-8000-000000000001",
      "apiVersion": "v1",
      "namespace": "default"
    },
    "reason": "Scheduled",
    "message": "Successfully assigned default/nginx to worker-1",
    "source": {
      "component": "default-scheduler"
    },
    "firstTimestamp": "2025-01-01T11:55:00Z",
    "lastTimestamp": "2025-01-01T11:55:00Z",
    "count": 1,
    "type": "Normal",
    "eventTime": null,
    "reportingComponent": "default-scheduler",
    "reportingInstance": ""
  },
  {
    "apiVersion": "v1",
    "kind": "Event",
    "metadata": {
      "name": "nginx.17f0a2",
      "namespace": "default",
      "uid": "e-nginx.17f0a2",
      "resourceVersion": "900",
      "creationTimestamp": "2025-01-01T11:55:05Z"
    },
    "involvedObject": {
      "kind": "Pod",
      "name": "nginx",
      "uid": "4b5c6d7e-0000-4000-8000-000000000001",
      "apiVersion": "v1",
      "namespace": "default"
    },
    "reason": "Pulled",
    "message": "Container image \"nginx:1.27\" already present on machine",
    "source": {
      "component": "kubelet",
      "host": "worker-1"
    },
    "firstTimestamp": "2025-01-01T11:55:05Z",
    "lastTimestamp": "2025-01-01T11:57:00Z",
    "count": 2,
    "type": "Normal",
    "eventTime": null,
    "reportingComponent": "kubelet",
    "reportingInstance": "worker-1"
  }
])json";

TEST(DescribePodTest, RunningPodWithTwoEvents) {
  std::vector<json> events = json::parse(kRunningPodEvents);
  // Events arrive in list order; DescribeEvents sorts them.
  std::swap(events[0], events[1]);
  // "Start Time" is time.RFC1123Z; "Age" is translateTimestampSince (5m for
  // the single event, "3m (x2 over 4m55s)" for count 2); "Host Port: 0/TCP"
  // because describeContainerHostPorts prints unset host ports as 0.
  EXPECT_EQ(DescribePod(json::parse(kRunningPod), events, Now()),
            R"txt(Name:             nginx
Namespace:        default
Priority:         0
Service Account:  default
Node:             worker-1/192.168.49.3
Start Time:       Wed, 01 Jan 2025 11:55:01 +0000
Labels:           app=web
                  run=nginx
Annotations:      kubesim.io/note: hello
Status:           Running
IP:               10.244.1.5
IPs:
  IP:  10.244.1.5
Containers:
  nginx:
    Container ID:   containerd://8f3e2a1b9c0d
    Image:          nginx:1.27
    Image ID:       docker.io/library/nginx@sha256:0a399eb16751829e1af26fea27b20c3ec28d7ab1fb72182879dcae1cca21206a
    Port:           80/TCP
    Host Port:      0/TCP
    State:          Running
      Started:      Wed, 01 Jan 2025 11:55:10 +0000
    Ready:          True
    Restart Count:  0
    Limits:
      memory:  256Mi
    Requests:
      cpu:     100m
      memory:  128Mi
    Environment:
      MODE:  prod
    Mounts:
      /cache from cache (rw)
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       True 
  ContainersReady             True 
  PodScheduled                True 
Volumes:
  cache:
    Type:        EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:      
    SizeLimit:   <unset>
QoS Class:       Burstable
Node-Selectors:  <none>
Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type    Reason     Age                 From               Message
  ----    ------     ----                ----               -------
  Normal  Scheduled  5m                  default-scheduler  Successfully assigned default/nginx to worker-1
  Normal  Pulled     3m (x2 over 4m55s)  kubelet            Container image "nginx:1.27" already present on machine
)txt");
}

TEST(DescribePodTest, ShowEventsFalseLeavesOutTheEventsSection) {
  std::string text = DescribePod(json::parse(kRunningPod), {}, Now(), /*show_events=*/false);
  EXPECT_EQ(text.find("Events:"), std::string::npos);
  EXPECT_NE(
      text.find("Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n"
                "                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n"),
      std::string::npos);
}

TEST(DescribePodTest, NoEventsPrintsNoneAlignedWithThePreviousBlock) {
  std::string text = DescribePod(json::parse(kRunningPod), {}, Now());
  // "Events:\t<none>" is one more row of the tabwriter block that starts at
  // the volume's fields.
  const std::string tail =
      "QoS Class:       Burstable\n"
      "Node-Selectors:  <none>\n"
      "Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n"
      "                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n"
      "Events:          <none>\n";
  ASSERT_GE(text.size(), tail.size());
  EXPECT_EQ(text.substr(text.size() - tail.size()), tail);
}

// A pending pod: no node, no IPs, no container statuses.
const char kPendingPod[] = R"json({
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {
    "name": "pending",
    "namespace": "default",
    "uid": "p-1",
    "creationTimestamp": "2025-01-01T11:59:30Z"
  },
  "spec": {
    "containers": [
      {
        "name": "c",
        "image": "nginx"
      }
    ],
    "schedulerName": "default-scheduler",
    "tolerations": []
  },
  "status": {
    "phase": "Pending",
    "conditions": [
      {
        "type": "PodScheduled",
        "status": "False",
        "reason": "Unschedulable",
        "message": "0/1 nodes are available"
      }
    ],
    "qosClass": "BestEffort"
  }
})json";

TEST(DescribePodTest, PendingPodWithoutNode) {
  EXPECT_EQ(DescribePod(json::parse(kPendingPod), {}, Now()), R"txt(Name:         pending
Namespace:    default
Node:         <none>
Labels:       <none>
Annotations:  <none>
Status:       Pending
IP:           
IPs:          <none>
Containers:
  c:
    Image:        nginx
    Port:         <none>
    Host Port:    <none>
    Environment:  <none>
    Mounts:       <none>
Conditions:
  Type           Status
  PodScheduled   False 
Volumes:         <none>
QoS Class:       BestEffort
Node-Selectors:  <none>
Tolerations:     <none>
Events:          <none>
)txt");
}

// Everything describePod knows how to print: a terminating controlled pod
// with init containers, probes of every kind, env from fields, resources,
// secrets and config maps, envFrom, every common volume type, readiness gates,
// topology spread constraints, long/multi-line/escaped annotations.
const char kKitchenSinkPod[] = R"json({
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {
    "name": "web-7d9c5-abcde",
    "namespace": "default",
    "uid": "k-1",
    "creationTimestamp": "2025-01-01T10:53:20Z",
    "deletionTimestamp": "2025-01-01T12:00:25Z",
    "deletionGracePeriodSeconds": 30,
    "labels": {
      "app": "web",
      "pod-template-hash": "7d9c5"
    },
    "annotations": {
      "long": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
      "multi": "line one\nline two\n",
      "kubectl.kubernetes.io/last-applied-configuration": "{}",
      "esc": "a\u001b[31mred\rb"
    },
    "ownerReferences": [
      {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "name": "web-7d9c5",
        "uid": "rs-1",
        "controller": true,
        "blockOwnerDeletion": true
      }
    ]
  },
  "spec": {
    "initContainers": [
      {
        "name": "init-db",
        "image": "busybox:1.36",
        "command": [
          "sh",
          "-c",
          "echo init\nsleep 1"
        ],
        "resources": {
          "requests": {
            "cpu": "1",
            "memory": "1Gi"
          },
          "limits": {
            "cpu": "1",
            "memory": "1Gi"
          }
        }
      }
    ],
    "containers": [
      {
        "name": "app",
        "image": "example.com/app:v2",
        "args": [
          "--port=8080",
          "--verbose"
        ],
        "ports": [
          {
            "containerPort": 8080,
            "protocol": "TCP",
            "name": "http"
          },
          {
            "containerPort": 9090,
            "hostPort": 19090,
            "protocol": "UDP"
          }
        ],
        "env": [
          {
            "name": "POD_NAME",
            "valueFrom": {
              "fieldRef": {
                "apiVersion": "v1",
                "fieldPath": "metadata.name"
              }
            }
          },
          {
            "name": "POD_IP",
            "valueFrom": {
              "fieldRef": {
                "apiVersion": "v1",
                "fieldPath": "status.podIP"
              }
            }
          },
          {
            "name": "CPU_LIMIT",
            "valueFrom": {
              "resourceFieldRef": {
                "resource": "limits.cpu",
                "divisor": "1m"
              }
            }
          },
          {
            "name": "MEM_REQ",
            "valueFrom": {
              "resourceFieldRef": {
                "containerName": "app",
                "resource": "requests.memory",
                "divisor": "1Mi"
              }
            }
          },
          {
            "name": "PASSWORD",
            "valueFrom": {
              "secretKeyRef": {
                "name": "db",
                "key": "password"
              }
            }
          },
          {
            "name": "COLOR",
            "valueFrom": {
              "configMapKeyRef": {
                "name": "ui",
                "key": "color",
                "optional": true
              }
            }
          },
          {
            "name": "MULTI",
            "value": "first\nsecond"
          }
        ],
        "envFrom": [
          {
            "configMapRef": {
              "name": "common"
            }
          },
          {
            "prefix": "S_",
            "secretRef": {
              "name": "creds",
              "optional": true
            }
          }
        ],
        "resources": {
          "requests": {
            "cpu": "500m",
            "memory": "256Mi"
          },
          "limits": {
            "cpu": "500m",
            "memory": "256Mi"
          }
        },
        "livenessProbe": {
          "httpGet": {
            "path": "/healthz",
            "port": 8080,
            "scheme": "HTTP"
          },
          "initialDelaySeconds": 3,
          "timeoutSeconds": 1,
          "periodSeconds": 10,
          "successThreshold": 1,
          "failureThreshold": 3
        },
        "readinessProbe": {
          "tcpSocket": {
            "port": "http"
          },
          "timeoutSeconds": 1,
          "periodSeconds": 5,
          "successThreshold": 1,
          "failureThreshold": 3
        },
        "startupProbe": {
          "exec": {
            "command": [
              "cat",
              "/tmp/ready"
            ]
          },
          "timeoutSeconds": 1,
          "periodSeconds": 10,
          "successThreshold": 1,
          "failureThreshold": 30
        },
        "volumeMounts": [
          {
            "name": "data",
            "mountPath": "/var/data",
            "subPath": "app"
          },
          {
            "name": "conf",
            "mountPath": "/etc/conf",
            "readOnly": true
          },
          {
            "name": "token",
            "mountPath": "/var/run/secrets/tokens",
            "readOnly": true
          }
        ],
        "securityContext": {
          "seccompProfile": {
            "type": "RuntimeDefault"
          }
        }
      },
      {
        "name": "sidecar",
        "image": "envoy:1.30",
        "resources": {
          "requests": {
            "cpu": "500m",
            "memory": "256Mi"
          },
          "limits": {
            "cpu": "500m",
            "memory": "256Mi"
          }
        },
        "readinessProbe": {
          "grpc": {
            "port": 9901,
            "service": ""
          },
          "timeoutSeconds": 1,
          "periodSeconds": 10,
          "successThreshold": 1,
          "failureThreshold": 3
        }
      }
    ],
    "volumes": [
      {
        "name": "data",
        "hostPath": {
          "path": "/srv/data",
          "type": "DirectoryOrCreate"
        }
      },
      {
        "name": "conf",
        "configMap": {
          "name": "app-conf",
          "defaultMode": 420
        }
      },
      {
        "name": "creds",
        "secret": {
          "secretName": "creds",
          "optional": true
        }
      },
      {
        "name": "token",
        "projected": {
          "sources": [
            {
              "serviceAccountToken": {
                "expirationSeconds": 3607,
                "path": "token"
              }
            },
            {
              "configMap": {
                "name": "kube-root-ca.crt",
                "items": [
                  {
                    "key": "ca.crt",
                    "path": "ca.crt"
                  }
                ]
              }
            },
            {
              "downwardAPI": {
                "items": [
                  {
                    "path": "namespace",
                    "fieldRef": {
                      "apiVersion": "v1",
                      "fieldPath": "metadata.namespace"
                    }
                  }
                ]
              }
            }
          ]
        }
      },
      {
        "name": "info",
        "downwardAPI": {
          "items": [
            {
              "path": "labels",
              "fieldRef": {
                "fieldPath": "metadata.labels"
              }
            },
            {
              "path": "cpu",
              "resourceFieldRef": {
                "containerName": "app",
                "resource": "limits.cpu"
              }
            }
          ]
        }
      },
      {
        "name": "claim",
        "persistentVolumeClaim": {
          "claimName": "data-claim",
          "readOnly": true
        }
      },
      {
        "name": "share",
        "nfs": {
          "server": "nfs.local",
          "path": "/exports"
        }
      },
      {
        "name": "csi-vol",
        "csi": {
          "driver": "inline.storage.example.com",
          "volumeAttributes": {
            "size": "1Gi",
            "tier": "gold"
          }
        }
      },
      {
        "name": "scratch",
        "emptyDir": {
          "medium": "Memory",
          "sizeLimit": "64Mi"
        }
      }
    ],
    "nodeName": "worker-1",
    "serviceAccountName": "web",
    "priorityClassName": "high",
    "priority": 1000,
    "securityContext": {
      "seccompProfile": {
        "type": "Localhost",
        "localhostProfile": "profiles/audit.json"
      }
    },
    "nodeSelector": {
      "disktype": "ssd",
      "kubernetes.io/os": "linux"
    },
    "tolerations": [
      {
        "operator": "Exists"
      },
      {
        "key": "dedicated",
        "operator": "Equal",
        "value": "web",
        "effect": "NoSchedule"
      },
      {
        "key": "node.kubernetes.io/not-ready",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 300
      }
    ],
    "topologySpreadConstraints": [
      {
        "maxSkew": 1,
        "topologyKey": "zone",
        "whenUnsatisfiable": "DoNotSchedule",
        "labelSelector": {
          "matchLabels": {
            "app": "web"
          },
          "matchExpressions": [
            {
              "key": "tier",
              "operator": "In",
              "values": [
                "fe",
                "be"
              ]
            }
          ]
        }
      },
      {
        "maxSkew": 2,
        "topologyKey": "kubernetes.io/hostname",
        "whenUnsatisfiable": "ScheduleAnyway"
      }
    ],
    "readinessGates": [
      {
        "conditionType": "example.com/feature-1"
      },
      {
        "conditionType": "example.com/feature-2"
      }
    ]
  },
  "status": {
    "phase": "Running",
    "reason": "",
    "message": "",
    "conditions": [
      {
        "type": "example.com/feature-1",
        "status": "False"
      },
      {
        "type": "Ready",
        "status": "False",
        "reason": "ContainersNotReady"
      }
    ],
    "hostIP": "192.168.49.3",
    "podIP": "10.244.1.9",
    "podIPs": [
      {
        "ip": "10.244.1.9"
      },
      {
        "ip": "fd00::9"
      }
    ],
    "startTime": "2025-01-01T10:53:30Z",
    "nominatedNodeName": "worker-2",
    "initContainerStatuses": [
      {
        "name": "init-db",
        "state": {
          "terminated": {
            "exitCode": 0,
            "reason": "Completed",
            "startedAt": "2025-01-01T10:53:35Z",
            "finishedAt": "2025-01-01T10:53:40Z",
            "containerID": "containerd://i1"
          }
        },
        "lastState": {},
        "ready": true,
        "restartCount": 0,
        "image": "busybox:1.36",
        "imageID": "docker.io/library/busybox@sha256:aa",
        "containerID": "containerd://i1"
      }
    ],
    "containerStatuses": [
      {
        "name": "app",
        "state": {
          "waiting": {
            "reason": "CrashLoopBackOff",
            "message": "back-off"
          }
        },
        "lastState": {
          "terminated": {
            "exitCode": 137,
            "signal": 9,
            "reason": "Error",
            "message": "killed",
            "startedAt": "2025-01-01T11:56:40Z",
            "finishedAt": "2025-01-01T11:58:20Z"
          }
        },
        "ready": false,
        "restartCount": 7,
        "image": "example.com/app:v2",
        "imageID": "",
        "containerID": "containerd://a1"
      },
      {
        "name": "sidecar",
        "state": {},
        "lastState": {},
        "ready": false,
        "restartCount": 0,
        "image": "envoy:1.30",
        "imageID": ""
      }
    ]
  }
})json";

TEST(DescribePodTest, KitchenSink) {
  // Notable upstream quirks reproduced here: "Terminating (lasts <invalid>)"
  // (the deletion timestamp is in the future); fieldRef env values resolve
  // only metadata.name/namespace (kubectl's scheme has no Pod field label
  // conversions); projected configMap sources print ConfigMapOptional: <nil>;
  // "\x1b" and "\r" are shown as ^[ and \r (printers.WriteEscaped); a
  // QoS class is computed when status.qosClass is empty.
  EXPECT_EQ(DescribePod(json::parse(kKitchenSinkPod), {}, Now()),
            R"txt(Name:                      web-7d9c5-abcde
Namespace:                 default
Priority:                  1000
Priority Class Name:       high
Service Account:           web
Node:                      worker-1/192.168.49.3
Start Time:                Wed, 01 Jan 2025 10:53:30 +0000
Labels:                    app=web
                           pod-template-hash=7d9c5
Annotations:               esc: a^[[31mred\rb
                           long:
                             xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...
                           multi:
                             line one
                             line two
Status:                    Terminating (lasts <invalid>)
Termination Grace Period:  30s
SeccompProfile:            Localhost
LocalhostProfile:          profiles/audit.json
IP:                        10.244.1.9
IPs:
  IP:               10.244.1.9
  IP:               fd00::9
Controlled By:      ReplicaSet/web-7d9c5
NominatedNodeName:  worker-2
Init Containers:
  init-db:
    Container ID:  containerd://i1
    Image:         busybox:1.36
    Image ID:      docker.io/library/busybox@sha256:aa
    Port:          <none>
    Host Port:     <none>
    Command:
      sh
      -c
      echo init
      sleep 1
    State:          Terminated
      Reason:       Completed
      Exit Code:    0
      Started:      Wed, 01 Jan 2025 10:53:35 +0000
      Finished:     Wed, 01 Jan 2025 10:53:40 +0000
    Ready:          True
    Restart Count:  0
    Limits:
      cpu:     1
      memory:  1Gi
    Requests:
      cpu:        1
      memory:     1Gi
    Environment:  <none>
    Mounts:       <none>
Containers:
  app:
    Container ID:    containerd://a1
    Image:           example.com/app:v2
    Image ID:        
    Ports:           8080/TCP, 9090/UDP
    Host Ports:      0/TCP, 19090/UDP
    SeccompProfile:  RuntimeDefault
    Args:
      --port=8080
      --verbose
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Message:      killed
      Exit Code:    137
      Signal:       9
      Started:      Wed, 01 Jan 2025 11:56:40 +0000
      Finished:     Wed, 01 Jan 2025 11:58:20 +0000
    Ready:          False
    Restart Count:  7
    Limits:
      cpu:     500m
      memory:  256Mi
    Requests:
      cpu:      500m
      memory:   256Mi
    Liveness:   http-get http://:8080/healthz delay=3s timeout=1s period=10s #success=1 #failure=3
    Readiness:  tcp-socket :http delay=0s timeout=1s period=5s #success=1 #failure=3
    Startup:    exec [cat /tmp/ready] delay=0s timeout=1s period=10s #success=1 #failure=30
    Environment Variables from:
      common  ConfigMap                Optional: false
      creds   Secret with prefix 'S_'  Optional: true
    Environment:
      POD_NAME:   web-7d9c5-abcde (v1:metadata.name)
      POD_IP:      (v1:status.podIP)
      CPU_LIMIT:  500 (limits.cpu)
      MEM_REQ:    256 (requests.memory)
      PASSWORD:   <set to the key 'password' in secret 'db'>   Optional: false
      COLOR:      <set to the key 'color' of config map 'ui'>  Optional: true
      MULTI:      first
                  second
    Mounts:
      /etc/conf from conf (ro)
      /var/data from data (rw,path="app")
      /var/run/secrets/tokens from token (ro)
  sidecar:
    Container ID:   
    Image:          envoy:1.30
    Image ID:       
    Port:           <none>
    Host Port:      <none>
    State:          Waiting
    Ready:          False
    Restart Count:  0
    Limits:
      cpu:     500m
      memory:  256Mi
    Requests:
      cpu:        500m
      memory:     256Mi
    Readiness:    grpc <pod>:9901  delay=0s timeout=1s period=10s #success=1 #failure=3
    Environment:  <none>
    Mounts:       <none>
Readiness Gates:
  Type                    Status
  example.com/feature-1   False 
  example.com/feature-2   <none> 
Conditions:
  Type                    Status
  example.com/feature-1   False 
  Ready                   False 
Volumes:
  data:
    Type:          HostPath (bare host directory volume)
    Path:          /srv/data
    HostPathType:  DirectoryOrCreate
  conf:
    Type:      ConfigMap (a volume populated by a ConfigMap)
    Name:      app-conf
    Optional:  false
  creds:
    Type:        Secret (a volume populated by a Secret)
    SecretName:  creds
    Optional:    true
  token:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    ConfigMapOptional:       <nil>
    DownwardAPI:             true
  info:
    Type:  DownwardAPI (a volume populated by information about the pod)
    Items:
      metadata.labels -> labels
      limits.cpu -> cpu
  claim:
    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)
    ClaimName:  data-claim
    ReadOnly:   true
  share:
    Type:      NFS (an NFS mount that lasts the lifetime of a pod)
    Server:    nfs.local
    Path:      /exports
    ReadOnly:  false
  csi-vol:
    Type:              CSI (a Container Storage Interface (CSI) volume source)
    Driver:            inline.storage.example.com
    FSType:            
    ReadOnly:          false
    VolumeAttributes:      size=1Gi
                           tier=gold
  scratch:
    Type:                     EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:                   Memory
    SizeLimit:                64Mi
QoS Class:                    Guaranteed
Node-Selectors:               disktype=ssd
                              kubernetes.io/os=linux
Tolerations:                  op=Exists
                              dedicated=web:NoSchedule
                              node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
Topology Spread Constraints:  kubernetes.io/hostname:ScheduleAnyway when max skew 2 is exceeded
                              zone:DoNotSchedule when max skew 1 is exceeded for selector app=web,tier in (be,fe)
Events:                       <none>
)txt");
}

TEST(DescribePodTest, PodNotFoundButEventsRemain) {
  std::vector<json> events = json::parse(kRunningPodEvents);
  EXPECT_EQ(printers::DescribePodNotFoundEvents("nginx", "pods \"nginx\" not found", events, Now()),
            "Pod 'nginx': error 'pods \"nginx\" not found', but found events.\n"
            "Events:\n"
            "  Type    Reason     Age                 From               Message\n"
            "  ----    ------     ----                ----               -------\n"
            "  Normal  Scheduled  5m                  default-scheduler  Successfully assigned "
            "default/nginx to worker-1\n"
            "  Normal  Pulled     3m (x2 over 4m55s)  kubelet            Container image "
            "\"nginx:1.27\" already present on machine\n");
}

const char kNode[] = R"json({
  "apiVersion": "v1",
  "kind": "Node",
  "metadata": {
    "name": "worker-1",
    "uid": "9a8b7c6d-0000-4000-8000-0000000000aa",
    "resourceVersion": "700",
    "creationTimestamp": "2024-12-29T11:00:00Z",
    "labels": {
      "beta.kubernetes.io/arch": "amd64",
      "beta.kubernetes.io/os": "linux",
      "kubernetes.io/arch": "amd64",
      "kubernetes.io/hostname": "worker-1",
      "kubernetes.io/os": "linux",
      "node-role.kubernetes.io/worker": ""
    },
    "annotations": {
      "node.alpha.kubernetes.io/ttl": "0",
      "volumes.kubernetes.io/controller-managed-attach-detach": "true"
    }
  },
  "spec": {
    "podCIDR": "10.244.1.0/24",
    "podCIDRs": [
      "10.244.1.0/24"
    ],
    "taints": [
      {
        "key": "dedicated",
        "value": "web",
        "effect": "NoSchedule"
      }
    ]
  },
  "status": {
    "capacity": {
      "cpu": "4",
      "ephemeral-storage": "102626232Ki",
      "hugepages-2Mi": "0",
      "memory": "8145364Ki",
      "pods": "110"
    },
    "allocatable": {
      "cpu": "4",
      "ephemeral-storage": "102626232Ki",
      "hugepages-2Mi": "0",
      "memory": "8145364Ki",
      "pods": "110"
    },
    "conditions": [
      {
        "type": "MemoryPressure",
        "status": "False",
        "lastHeartbeatTime": "2025-01-01T11:59:40Z",
        "lastTransitionTime": "2024-12-29T11:00:00Z",
        "reason": "KubeletHasSufficientMemory",
        "message": "kubelet has sufficient memory available"
      },
      {
        "type": "DiskPressure",
        "status": "False",
        "lastHeartbeatTime": "2025-01-01T11:59:40Z",
        "lastTransitionTime": "2024-12-29T11:00:00Z",
        "reason": "KubeletHasNoDiskPressure",
        "message": "kubelet has no disk pressure"
      },
      {
        "type": "PIDPressure",
        "status": "False",
        "lastHeartbeatTime": "2025-01-01T11:59:40Z",
        "lastTransitionTime": "2024-12-29T11:00:00Z",
        "reason": "KubeletHasSufficientPID",
        "message": "kubelet has sufficient PID available"
      },
      {
        "type": "Ready",
        "status": "True",
        "lastHeartbeatTime": "2025-01-01T11:59:40Z",
        "lastTransitionTime": "2024-12-29T11:00:10Z",
        "reason": "KubeletReady",
        "message": "kubelet is posting ready status"
      }
    ],
    "addresses": [
      {
        "type": "InternalIP",
        "address": "192.168.49.3"
      },
      {
        "type": "Hostname",
        "address": "worker-1"
      }
    ],
    "daemonEndpoints": {
      "kubeletEndpoint": {
        "Port": 10250
      }
    },
    "nodeInfo": {
      "machineID": "5f1c2d3e4a5b6c7d8e9f0a1b2c3d4e5f",
      "systemUUID": "5f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f",
      "bootID": "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d",
      "kernelVersion": "6.8.0-45-generic",
      "osImage": "Ubuntu 22.04.4 LTS",
      "containerRuntimeVersion": "containerd://1.7.22",
      "kubeletVersion": "v1.32.0",
      "kubeProxyVersion": "v1.32.0",
      "operatingSystem": "linux",
      "architecture": "amd64"
    }
  }
})json";

const char kLease[] = R"json({
  "apiVersion": "coordination.k8s.io/v1",
  "kind": "Lease",
  "metadata": {
    "name": "worker-1",
    "namespace": "kube-node-lease",
    "uid": "l-1",
    "resourceVersion": "950",
    "creationTimestamp": "2024-12-29T11:00:00Z"
  },
  "spec": {
    "holderIdentity": "worker-1",
    "leaseDurationSeconds": 40,
    "renewTime": "2025-01-01T11:59:55.123456Z"
  }
})json";

// The pods on worker-1, in list order: kRunningPod, this kube-system pod, then
// kKitchenSinkPod.
const char kOtherPod[] = R"json({
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {
    "name": "busybox-sleeper",
    "namespace": "kube-system",
    "uid": "4b5c6d7e-0000-4000-8000-000000000002",
    "resourceVersion": "812",
    "creationTimestamp": "2025-01-01T10:00:00Z",
    "labels": {
      "run": "nginx",
      "app": "web"
    },
    "annotations": {
      "kubesim.io/note": "hello"
    }
  },
  "spec": {
    "containers": [
      {
        "name": "nginx",
        "image": "nginx:1.27",
        "ports": [
          {
            "containerPort": 80,
            "protocol": "TCP"
          }
        ],
        "env": [
          {
            "name": "MODE",
            "value": "prod"
          }
        ],
        "resources": {
          "requests": {
            "cpu": "250m",
            "memory": "64Mi"
          },
          "limits": {
            "cpu": "500m",
            "memory": "64Mi"
          }
        },
        "volumeMounts": [
          {
            "name": "cache",
            "mountPath": "/cache"
          }
        ],
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
        "imagePullPolicy": "IfNotPresent"
      }
    ],
    "volumes": [
      {
        "name": "cache",
        "emptyDir": {}
      }
    ],
    "restartPolicy": "Always",
    "terminationGracePeriodSeconds": 30,
    "dnsPolicy": "ClusterFirst",
    "serviceAccountName": "default",
    "serviceAccount": "default",
    "nodeName": "worker-1",
    "securityContext": {},
    "schedulerName": "default-scheduler",
    "tolerations": [
      {
        "key": "node.kubernetes.io/not-ready",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 300
      },
      {
        "key": "node.kubernetes.io/unreachable",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 300
      }
    ],
    "priority": 0,
    "enableServiceLinks": true,
    "preemptionPolicy": "PreemptLowerPriority"
  },
  "status": {
    "phase": "Running",
    "conditions": [
      {
        "type": "PodReadyToStartContainers",
        "status": "True",
        "lastProbeTime": null,
        "lastTransitionTime": "2025-01-01T11:55:10Z"
      },
      {
        "type": "Initialized",
        "status": "True",
        "lastProbeTime": null,
        "lastTransitionTime": "2025-01-01T11:55:01Z"
      },
      {
        "type": "Ready",
        "status": "True",
        "lastProbeTime": null,
        "lastTransitionTime": "2025-01-01T11:55:10Z"
      },
      {
        "type": "ContainersReady",
        "status": "True",
        "lastProbeTime": null,
        "lastTransitionTime": "2025-01-01T11:55:10Z"
      },
      {
        "type": "PodScheduled",
        "status": "True",
        "lastProbeTime": null,
        "lastTransitionTime": "2025-01-01T11:55:00Z"
      }
    ],
    "hostIP": "192.168.49.3",
    "hostIPs": [
      {
        "ip": "192.168.49.3"
      }
    ],
    "podIP": "10.244.1.5",
    "podIPs": [
      {
        "ip": "10.244.1.5"
      }
    ],
    "startTime": "2025-01-01T11:55:01Z",
    "containerStatuses": [
      {
        "name": "nginx",
        "state": {
          "running": {
            "startedAt": "2025-01-01T11:55:10Z"
          }
        },
        "lastState": {},
        "ready": true,
        "restartCount": 0,
        "image": "docker.io/library/nginx:1.27",
        "imageID": "docker.io/library/nginx@sha256:0a399eb16751829e1af26fea27b20c3ec28d7ab1fb72182879dcae1cca21206a",
        "containerID": "containerd://8f3e2a1b9c0d",
        "started": true
      }
    ],
    "qosClass": "Burstable"
  }
})json";

// The node's events: the node controller reports under the node UID, the
// kubelet under the node name; kubectl runs both searches and appends.
const char kNodeEvents[] = R"json([
  {
    "apiVersion": "v1",
    "kind": "Event",
    "metadata": {
      "name": "worker-1.3",
      "namespace": "default",
      "uid": "e-worker-1.3",
      "resourceVersion": "900",
      "creationTimestamp": "2024-12-29T11:00:10Z"
    },
    "involvedObject": {
      "kind": "Node",
      "name": "worker-1",
      "uid": "9a8b7c6d-0000-4000-8000-0000000000aa",
      "apiVersion": "v1"
    },
    "reason": "RegisteredNode",
    "message": "Node worker-1 event: Registered Node worker-1 in Controller",
    "source": {
      "component": "node-controller"
    },
    "firstTimestamp": "2024-12-29T11:00:10Z",
    "lastTimestamp": "2024-12-29T11:00:10Z",
    "count": 1,
    "type": "Normal",
    "eventTime": null,
    "reportingComponent": "node-controller",
    "reportingInstance": ""
  },
  {
    "apiVersion": "v1",
    "kind": "Event",
    "metadata": {
      "name": "worker-1.1",
      "namespace": "default",
      "uid": "e-worker-1.1",
      "resourceVersion": "900",
      "creationTimestamp": "2024-12-29T11:00:00Z"
    },
    "involvedObject": {
      "kind": "Node",
      "name": "worker-1",
      "uid": "worker-1",
      "apiVersion": "v1"
    },
    "reason": "Starting",
    "message": "Starting kubelet.",
    "source": {
      "component": "kubelet",
      "host": "worker-1"
    },
    "firstTimestamp": "2024-12-29T11:00:00Z",
    "lastTimestamp": "2024-12-29T11:00:00Z",
    "count": 1,
    "type": "Normal",
    "eventTime": null,
    "reportingComponent": "kubelet",
    "reportingInstance": "worker-1"
  },
  {
    "apiVersion": "v1",
    "kind": "Event",
    "metadata": {
      "name": "worker-1.2",
      "namespace": "default",
      "uid": "e-worker-1.2",
      "resourceVersion": "900",
      "creationTimestamp": "2024-12-29T11:00:00Z"
    },
    "involvedObject": {
      "kind": "Node",
      "name": "worker-1",
      "uid": "worker-1",
      "apiVersion": "v1"
    },
    "reason": "NodeHasSufficientMemory",
    "message": "Node worker-1 status is now: NodeHasSufficientMemory",
    "source": {
      "component": "kubelet",
      "host": "worker-1"
    },
    "firstTimestamp": "2024-12-29T11:00:00Z",
    "lastTimestamp": "2024-12-29T11:01:40Z",
    "count": 8,
    "type": "Normal",
    "eventTime": null,
    "reportingComponent": "kubelet",
    "reportingInstance": "worker-1"
  }
])json";

TEST(DescribeNodeTest, NodeWithLeasePodsAndEvents) {
  json lease = json::parse(kLease);
  // Non-terminated Pods rows are percentages of allocatable, truncated:
  // 100m of 4 CPUs is 2%, 128Mi of 8145364Ki is 1%; the empty column after
  // Name is describeNodeResource's "Name\t\t".
  std::vector<json> pods = {json::parse(kRunningPod), json::parse(kOtherPod),
                            json::parse(kKitchenSinkPod)};
  EXPECT_EQ(DescribeNode(json::parse(kNode), pods, &lease, json::parse(kNodeEvents), Now()),
            R"txt(Name:               worker-1
Roles:              worker
Labels:             beta.kubernetes.io/arch=amd64
                    beta.kubernetes.io/os=linux
                    kubernetes.io/arch=amd64
                    kubernetes.io/hostname=worker-1
                    kubernetes.io/os=linux
                    node-role.kubernetes.io/worker=
Annotations:        node.alpha.kubernetes.io/ttl: 0
                    volumes.kubernetes.io/controller-managed-attach-detach: true
CreationTimestamp:  Sun, 29 Dec 2024 11:00:00 +0000
Taints:             dedicated=web:NoSchedule
Unschedulable:      false
Lease:
  HolderIdentity:  worker-1
  AcquireTime:     <unset>
  RenewTime:       Wed, 01 Jan 2025 11:59:55 +0000
Conditions:
  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
  ----             ------  -----------------                 ------------------                ------                       -------
  MemoryPressure   False   Wed, 01 Jan 2025 11:59:40 +0000   Sun, 29 Dec 2024 11:00:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available
  DiskPressure     False   Wed, 01 Jan 2025 11:59:40 +0000   Sun, 29 Dec 2024 11:00:00 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure
  PIDPressure      False   Wed, 01 Jan 2025 11:59:40 +0000   Sun, 29 Dec 2024 11:00:00 +0000   KubeletHasSufficientPID      kubelet has sufficient PID available
  Ready            True    Wed, 01 Jan 2025 11:59:40 +0000   Sun, 29 Dec 2024 11:00:10 +0000   KubeletReady                 kubelet is posting ready status
Addresses:
  InternalIP:  192.168.49.3
  Hostname:    worker-1
Capacity:
  cpu:                4
  ephemeral-storage:  102626232Ki
  hugepages-2Mi:      0
  memory:             8145364Ki
  pods:               110
Allocatable:
  cpu:                4
  ephemeral-storage:  102626232Ki
  hugepages-2Mi:      0
  memory:             8145364Ki
  pods:               110
System Info:
  Machine ID:                 5f1c2d3e4a5b6c7d8e9f0a1b2c3d4e5f
  System UUID:                5f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f
  Boot ID:                    1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d
  Kernel Version:             6.8.0-45-generic
  OS Image:                   Ubuntu 22.04.4 LTS
  Operating System:           linux
  Architecture:               amd64
  Container Runtime Version:  containerd://1.7.22
  Kubelet Version:            v1.32.0
  Kube-Proxy Version:         v1.32.0
PodCIDR:                      10.244.1.0/24
PodCIDRs:                     10.244.1.0/24
Non-terminated Pods:          (3 in total)
  Namespace                   Name               CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----               ------------  ----------  ---------------  -------------  ---
  default                     nginx              100m (2%)     0 (0%)      128Mi (1%)       256Mi (3%)     5m
  kube-system                 busybox-sleeper    250m (6%)     500m (12%)  64Mi (0%)        64Mi (0%)      120m
  default                     web-7d9c5-abcde    1 (25%)       1 (25%)     1Gi (12%)        1Gi (12%)      66m
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests      Limits
  --------           --------      ------
  cpu                1350m (33%)   1500m (37%)
  memory             1216Mi (15%)  1344Mi (16%)
  ephemeral-storage  0 (0%)        0 (0%)
  hugepages-2Mi      0 (0%)        0 (0%)
Events:
  Type    Reason                   Age                From             Message
  ----    ------                   ----               ----             -------
  Normal  Starting                 3d1h               kubelet          Starting kubelet.
  Normal  RegisteredNode           3d                 node-controller  Node worker-1 event: Registered Node worker-1 in Controller
  Normal  NodeHasSufficientMemory  3d (x8 over 3d1h)  kubelet          Node worker-1 status is now: NodeHasSufficientMemory
)txt");
}

const char kBareNode[] = R"json({
  "apiVersion": "v1",
  "kind": "Node",
  "metadata": {
    "name": "worker-2",
    "uid": "n-2",
    "creationTimestamp": "2025-01-01T11:50:00Z",
    "labels": {
      "kubernetes.io/role": "infra",
      "node-role.kubernetes.io/control-plane": "",
      "node-role.kubernetes.io/": "x"
    }
  },
  "spec": {
    "unschedulable": true,
    "providerID": "kind://docker/kind/worker-2",
    "taints": [
      {
        "key": "node.kubernetes.io/unschedulable",
        "effect": "NoSchedule",
        "timeAdded": "2025-01-01T11:59:00Z"
      },
      {
        "key": "b",
        "value": "1",
        "effect": "NoExecute"
      },
      {
        "key": "a",
        "effect": "NoSchedule"
      }
    ]
  },
  "status": {
    "capacity": {
      "cpu": "2",
      "memory": "4Gi",
      "pods": "110",
      "nvidia.com/gpu": "2",
      "example.com/dongle": "1"
    },
    "conditions": [
      {
        "type": "Ready",
        "status": "Unknown",
        "lastHeartbeatTime": "2025-01-01T11:58:20Z",
        "lastTransitionTime": "2025-01-01T11:59:10Z",
        "reason": "NodeStatusUnknown",
        "message": "Kubelet stopped posting node status."
      }
    ],
    "addresses": [],
    "nodeInfo": {
      "architecture": "arm64",
      "operatingSystem": "linux"
    }
  }
})json";

// A pod with a GPU limit, a sidecar (restartable init container), a regular
// init container and pod overhead.
const char kGpuPod[] = R"json({
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {
    "name": "trainer",
    "namespace": "default",
    "uid": "g-1",
    "creationTimestamp": "2025-01-01T11:53:20Z"
  },
  "spec": {
    "containers": [
      {
        "name": "t",
        "image": "trainer",
        "resources": {
          "limits": {
            "nvidia.com/gpu": "1",
            "cpu": "3"
          }
        }
      }
    ],
    "schedulerName": "default-scheduler",
    "tolerations": [],
    "nodeName": "worker-2",
    "initContainers": [
      {
        "name": "side",
        "image": "s",
        "restartPolicy": "Always",
        "resources": {
          "requests": {
            "cpu": "200m",
            "memory": "100Mi"
          }
        }
      },
      {
        "name": "setup",
        "image": "s",
        "resources": {
          "requests": {
            "cpu": "1500m",
            "memory": "1Gi"
          }
        }
      }
    ],
    "overhead": {
      "cpu": "50m",
      "memory": "10Mi"
    }
  },
  "status": {
    "phase": "Running"
  }
})json";

// 23 events with many equal lastTimestamps, built as the stub server served
// them: sort.Sort is pdqsort (unstable), so their order is Go's exactly.
std::vector<json> ManyNodeEvents() {
  std::vector<json> events;
  Time now = Now();
  auto ts = [&](int seconds_before) { return FormatRfc3339(now - seconds(seconds_before)); };
  for (int i = 0; i < 23; ++i) {
    char name[32], reason[32];
    std::snprintf(name, sizeof(name), "worker-2.%02d", i);
    std::snprintf(reason, sizeof(reason), "Reason%02d", i);
    std::string component = i % 2 ? "kubelet" : "";
    events.push_back(
        {{"metadata", {{"name", name}, {"namespace", "default"}}},
         {"involvedObject", {{"kind", "Node"}, {"name", "worker-2"}, {"uid", "worker-2"}}},
         {"type", i % 3 ? "Warning" : "Normal"},
         {"reason", reason},
         {"message", "message " + std::to_string(i) + "  "},
         {"source", {{"component", component}, {"host", "worker-2"}}},
         {"reportingComponent", component},
         {"firstTimestamp", ts(600 - (i % 4) * 60)},
         {"lastTimestamp", ts(300 - (i % 5) * 60)},
         {"count", 1 + i % 3},
         {"eventTime", nullptr}});
  }
  // No source: the From column falls back to reportingComponent.
  events[5]["source"] = json::object();
  events[5]["reportingComponent"] = "node-lifecycle-controller";
  // A series: its last observation and count, sorted by lastTimestamp still.
  events[7]["series"] = {{"count", 4}, {"lastObservedTime", FormatRfc3339Micro(now - seconds(90))}};
  // A new-style event: no lastTimestamp (sorts first, Age "<unknown>").
  events[8]["eventTime"] = FormatRfc3339Micro(now - seconds(700) + milliseconds(500));
  events[8]["lastTimestamp"] = nullptr;
  events[8]["firstTimestamp"] = nullptr;
  return events;
}

TEST(DescribeNodeTest, NodeWithoutLeaseExtendedResourcesAndManyEvents) {
  EXPECT_EQ(DescribeNode(json::parse(kBareNode), {json::parse(kGpuPod)}, nullptr, ManyNodeEvents(),
                         Now()),
            R"txt(Name:               worker-2
Roles:              control-plane,infra
Labels:             kubernetes.io/role=infra
                    node-role.kubernetes.io/=x
                    node-role.kubernetes.io/control-plane=
Annotations:        <none>
CreationTimestamp:  Wed, 01 Jan 2025 11:50:00 +0000
Taints:             b=1:NoExecute
                    a:NoSchedule
                    node.kubernetes.io/unschedulable:NoSchedule
Unschedulable:      true
Lease:              Failed to get lease: leases.coordination.k8s.io "worker-2" not found
Conditions:
  Type    Status    LastHeartbeatTime                 LastTransitionTime                Reason              Message
  ----    ------    -----------------                 ------------------                ------              -------
  Ready   Unknown   Wed, 01 Jan 2025 11:58:20 +0000   Wed, 01 Jan 2025 11:59:10 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
Addresses:
Capacity:
  cpu:                 2
  example.com/dongle:  1
  memory:              4Gi
  nvidia.com/gpu:      2
  pods:                110
System Info:
  Machine ID:                 
  System UUID:                
  Boot ID:                    
  Kernel Version:             
  OS Image:                   
  Operating System:           linux
  Architecture:               arm64
  Container Runtime Version:  
  Kubelet Version:            
  Kube-Proxy Version:         
ProviderID:                   kind://docker/kind/worker-2
Non-terminated Pods:          (1 in total)
  Namespace                   Name       CPU Requests  CPU Limits    Memory Requests  Memory Limits  Age
  ---------                   ----       ------------  ----------    ---------------  -------------  ---
  default                     trainer    1750m (87%)   3050m (152%)  1134Mi (27%)     0 (0%)         6m40s
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource            Requests      Limits
  --------            --------      ------
  cpu                 1750m (87%)   3050m (152%)
  memory              1134Mi (27%)  0 (0%)
  ephemeral-storage   0 (0%)        0 (0%)
  example.com/dongle  0             0
  nvidia.com/gpu      0             1
Events:
  Type     Reason    Age                      From                       Message
  ----     ------    ----                     ----                       -------
  Warning  Reason08  <unknown> (x3 over 11m)                             message 8
  Warning  Reason10  5m (x2 over 8m)                                     message 10
  Normal   Reason15  7m                       kubelet                    message 15
  Warning  Reason05  5m (x3 over 9m)          node-lifecycle-controller  message 5
  Warning  Reason20  5m (x3 over 10m)                                    message 20
  Normal   Reason00  10m                                                 message 0
  Warning  Reason11  4m (x3 over 7m)          kubelet                    message 11
  Normal   Reason21  9m                       kubelet                    message 21
  Normal   Reason06  8m                                                  message 6
  Warning  Reason01  4m (x2 over 9m)          kubelet                    message 1
  Warning  Reason16  4m (x2 over 10m)                                    message 16
  Warning  Reason17  3m (x3 over 9m)          kubelet                    message 17
  Warning  Reason22  3m (x2 over 8m)                                     message 22
  Warning  Reason02  3m (x3 over 8m)                                     message 2
  Warning  Reason07  90s (x4 over 7m)         kubelet                    message 7
  Normal   Reason12  10m                                                 message 12
  Normal   Reason03  7m                       kubelet                    message 3
  Warning  Reason13  2m (x2 over 9m)          kubelet                    message 13
  Normal   Reason18  8m                                                  message 18
  Normal   Reason09  9m                       kubelet                    message 9
  Warning  Reason14  60s (x3 over 8m)                                    message 14
  Warning  Reason19  60s (x2 over 7m)         kubelet                    message 19
  Warning  Reason04  60s (x2 over 10m)                                   message 4
)txt");
}

TEST(DescribeNodeTest, LeaseErrorIsShownOnTheLeaseLine) {
  std::string text =
      DescribeNode(json::parse(kBareNode), {}, nullptr, {}, Now(), true, "the server is on fire");
  EXPECT_NE(text.find("Lease:              Failed to get lease: the server is on fire\n"),
            std::string::npos);
  EXPECT_NE(text.find("Non-terminated Pods:          (0 in total)\n"), std::string::npos);
}

const char kNamespace[] = R"json({
  "apiVersion": "v1",
  "kind": "Namespace",
  "metadata": {
    "name": "team-a",
    "uid": "ns-1",
    "creationTimestamp": "2025-01-01T11:43:20Z",
    "labels": {
      "kubernetes.io/metadata.name": "team-a",
      "team": "a"
    },
    "annotations": {
      "owner": "alice"
    }
  },
  "spec": {
    "finalizers": [
      "kubernetes"
    ]
  },
  "status": {
    "phase": "Active"
  }
})json";

TEST(DescribeNamespaceTest, WithoutQuotasOrLimitRanges) {
  EXPECT_EQ(DescribeNamespace(json::parse(kNamespace)), R"txt(Name:         team-a
Labels:       kubernetes.io/metadata.name=team-a
              team=a
Annotations:  owner: alice
Status:       Active
)txt");
}

TEST(EventFieldSelectorTest, AsClientGoBuildsIt) {
  EXPECT_EQ(printers::EventFieldSelector("nginx", "default", "", "u-1"),
            "involvedObject.name=nginx,involvedObject.namespace=default,involvedObject.uid=u-1");
  EXPECT_EQ(printers::EventFieldSelector("worker-1", "", "Node", "worker-1"),
            "involvedObject.name=worker-1,involvedObject.namespace=,involvedObject.kind=Node,"
            "involvedObject.uid=worker-1");
  // fields.EscapeValue.
  EXPECT_EQ(printers::EventFieldSelector("a,b=c\\d", "ns", "", ""),
            "involvedObject.name=a\\,b\\=c\\\\d,involvedObject.namespace=ns");
}

// --- the shell command ---

TEST(DescribeCommandTest, NeedsAResourceType) {
  testing::ShellHarness h(1);
  auto r = h.Run("describe");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "error: You must specify the type of resource to describe. Use \"kubectl "
            "api-resources\" for a complete list of supported resources.\n");
}

TEST(DescribeCommandTest, UnknownTypeAndMissingObjects) {
  testing::ShellHarness h(1);
  auto r = h.Run("describe foo");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "error: the server doesn't have a resource type \"foo\"\n");
  r = h.Run("describe pod nope");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "Error from server (NotFound): pods \"nope\" not found\n");
  r = h.Run("describe pod/nope1 pod/nope2");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "Error from server (NotFound): pods \"nope1\" not found\n"
            "Error from server (NotFound): pods \"nope2\" not found\n");
  r = h.Run("describe pods -l app=none");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.err, "No resources found in default namespace.\n");
  r = h.Run("describe pods -A -l app=none");
  EXPECT_EQ(r.err, "No resources found\n");
}

TEST(DescribeCommandTest, DescribesAPodByNameAndByPrefix) {
  testing::ShellHarness h(1);
  ASSERT_EQ(h.Run("run web --image=nginx").code, 0);
  ASSERT_EQ(h.Run("wait --for=condition=Ready pod/web --timeout=60s").code, 0);
  auto r = h.Run("describe pod web");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("Name:             web\nNamespace:        default\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\nNode:             worker-1/"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nEvents:\n  Type    Reason"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("default-scheduler  Successfully assigned default/web to worker-1"),
            std::string::npos)
      << r.out;
  // The same text for pod/NAME, and for a name prefix (plus a newline).
  EXPECT_EQ(h.Run("describe pod/web").out, r.out);
  EXPECT_EQ(h.Run("describe pods we").out, r.out + "\n");
  // Several objects are separated by two blank lines.
  ASSERT_EQ(h.Run("run web2 --image=nginx").code, 0);
  std::string both = h.Run("describe pods").out;
  EXPECT_NE(both.find("\n\n\nName:             web2\n"), std::string::npos) << both;
}

TEST(DescribeCommandTest, DescribesNodesAndNotYetOtherKinds) {
  testing::ShellHarness h(1);
  auto r = h.Run("describe node worker-1");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("Name:               worker-1\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\nNon-terminated Pods:  "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nAllocated resources:\n"), std::string::npos) << r.out;
  r = h.Run("describe nodes");
  EXPECT_NE(r.out.find("Name:               control-plane\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n\n\nName:               worker-1\n"), std::string::npos) << r.out;
  r = h.Run("describe leases -n kube-node-lease");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "error: describe is not supported for Lease yet\n");
}

}  // namespace
}  // namespace kubesim
