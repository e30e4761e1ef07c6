// Private to src/kubelet: small pure helpers the simulated kubelet needs
// (image references as containerd names them, Go's time.Duration text, the
// host-local IPAM plugin's address choice). Public contract:
// kubesim/kubelet/kubelet.h.
//
// Thread-safety: the functions are pure; an IpAllocator is used by its
// owner's loop only.
#ifndef KUBESIM_SRC_KUBELET_KUBELET_UTIL_H_
#define KUBESIM_SRC_KUBELET_KUBELET_UTIL_H_

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "kubesim/sim/clock.h"

namespace kubesim::kubelet::internal {

// The fully qualified reference containerd reports for `image`
// (github.com/distribution/reference ParseNormalizedNamed + TagNameOnly):
// "nginx" -> "docker.io/library/nginx:latest", "user/app:1" ->
// "docker.io/user/app:1", "registry.k8s.io/pause:3.10" unchanged,
// "nginx@sha256:..." -> "docker.io/library/nginx@sha256:...".
std::string NormalizeImageRef(std::string_view image);

// The repository of a normalized reference, without tag or digest:
// "docker.io/library/nginx:1.25" -> "docker.io/library/nginx".
std::string ImageRepository(std::string_view normalized);

// The digest of a reference ("sha256:..."), or "" when it has none.
std::string ImageDigest(std::string_view image);

// Go's time.Duration.String(): "0s", "796ms", "2.345s", "1m2.5s", "1h0m0s",
// "1.5µs".
std::string GoDurationString(Duration d);

// The CNI host-local IPAM plugin's allocation over one IPv4 range
// (plugins/ipam/host-local/backend/allocator): addresses from network+2
// (network+1 is the bridge gateway) to broadcast-1, handed out round-robin
// after the last one reserved, so a released address is not reused until
// the range wraps around.
class IpAllocator {
 public:
  // Parses "10.244.1.0/24". Returns false (and allocates nothing) for
  // anything but an IPv4 CIDR with room for at least one pod.
  bool Init(std::string_view cidr);
  // The next free address, "" when the range is exhausted or not set.
  std::string Allocate();
  void Release(const std::string& ip);

 private:
  bool valid_ = false;
  uint32_t first_ = 0, last_ = 0;  // inclusive range of pod addresses
  uint32_t last_reserved_ = 0;     // 0: none yet
  std::set<uint32_t> in_use_;
};

std::string FormatIpv4(uint32_t ip);
bool ParseIpv4(std::string_view text, uint32_t* out);

}  // namespace kubesim::kubelet::internal

#endif  // KUBESIM_SRC_KUBELET_KUBELET_UTIL_H_
