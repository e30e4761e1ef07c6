#include "kubelet_util.h"

#include <cctype>
#include <cstdio>

namespace kubesim::kubelet::internal {
namespace {

constexpr std::string_view kDefaultDomain = "docker.io";
constexpr std::string_view kLegacyDefaultDomain = "index.docker.io";
constexpr std::string_view kOfficialRepoPrefix = "library/";

// Splits "name[:tag][@digest]" into its parts.
void SplitReference(std::string_view ref, std::string_view* name, std::string_view* tag,
                    std::string_view* digest) {
  *digest = {};
  *tag = {};
  if (size_t at = ref.find('@'); at != std::string_view::npos) {
    *digest = ref.substr(at + 1);
    ref = ref.substr(0, at);
  }
  const size_t slash = ref.rfind('/');
  const size_t colon = ref.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    *tag = ref.substr(colon + 1);
    ref = ref.substr(0, colon);
  }
  *name = ref;
}

}  // namespace

std::string NormalizeImageRef(std::string_view image) {
  std::string_view name, tag, digest;
  SplitReference(image, &name, &tag, &digest);
  // splitDockerDomain: the first component is a registry host when it looks
  // like one (has '.' or ':', is "localhost", or has upper case letters).
  std::string domain;
  std::string remainder;
  const size_t slash = name.find('/');
  auto is_domain = [](std::string_view first) {
    if (first == "localhost") return true;
    for (char c : first) {
      if (c == '.' || c == ':' || std::isupper(static_cast<unsigned char>(c))) return true;
    }
    return false;
  };
  if (slash == std::string_view::npos || !is_domain(name.substr(0, slash))) {
    domain = kDefaultDomain;
    remainder = name;
  } else {
    domain = name.substr(0, slash);
    remainder = name.substr(slash + 1);
  }
  if (domain == kLegacyDefaultDomain) domain = kDefaultDomain;
  if (domain == kDefaultDomain && remainder.find('/') == std::string::npos) {
    remainder = std::string(kOfficialRepoPrefix) + remainder;
  }
  std::string out = domain + "/" + remainder;
  if (!tag.empty()) {
    out += ":" + std::string(tag);
  } else if (digest.empty()) {
    out += ":latest";  // TagNameOnly
  }
  if (!digest.empty()) out += "@" + std::string(digest);
  return out;
}

std::string ImageRepository(std::string_view normalized) {
  std::string_view name, tag, digest;
  SplitReference(normalized, &name, &tag, &digest);
  return std::string(name);
}

std::string ImageDigest(std::string_view image) {
  std::string_view name, tag, digest;
  SplitReference(image, &name, &tag, &digest);
  return std::string(digest);
}

std::string GoDurationString(Duration d) {
  // A port of time.Duration.String (src/time/time.go).
  int64_t v = d.count();
  if (v == 0) return "0s";
  const bool neg = v < 0;
  uint64_t u = neg ? static_cast<uint64_t>(-(v + 1)) + 1 : static_cast<uint64_t>(v);
  // Writes the fraction of v / 10^prec, trimming trailing zeros, and returns
  // v / 10^prec.
  auto fmt_frac = [](std::string* out, uint64_t value, int prec) -> uint64_t {
    std::string digits;
    bool print = false;
    for (int i = 0; i < prec; ++i) {
      const int digit = static_cast<int>(value % 10);
      print = print || digit != 0;
      if (print) digits.insert(digits.begin(), static_cast<char>('0' + digit));
      value /= 10;
    }
    if (print) *out = "." + digits + *out;
    return value;
  };
  std::string out;
  if (u < 1000000000ULL) {
    // Sub-second: ns, µs or ms with a fraction.
    int prec = 0;
    std::string unit;
    if (u < 1000ULL) {
      unit = "ns";
    } else if (u < 1000000ULL) {
      prec = 3;
      unit = "\xC2\xB5s";  // "µs"
    } else {
      prec = 6;
      unit = "ms";
    }
    out = unit;
    u = fmt_frac(&out, u, prec);
    out = std::to_string(u) + out;
  } else {
    out = "s";
    u = fmt_frac(&out, u, 9);
    out = std::to_string(u % 60) + out;
    u /= 60;
    if (u > 0) {
      out = std::to_string(u % 60) + "m" + out;
      u /= 60;
      if (u > 0) out = std::to_string(u) + "h" + out;
    }
  }
  return neg ? "-" + out : out;
}

std::string FormatIpv4(uint32_t ip) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%u.%u.%u.%u", (ip >> 24) & 0xff, (ip >> 16) & 0xff,
                (ip >> 8) & 0xff, ip & 0xff);
  return buf;
}

bool ParseIpv4(std::string_view text, uint32_t* out) {
  uint32_t ip = 0;
  int parts = 0;
  size_t i = 0;
  while (parts < 4) {
    if (i >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    uint32_t octet = 0;
    size_t digits = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      octet = octet * 10 + static_cast<uint32_t>(text[i] - '0');
      if (++digits > 3 || octet > 255) return false;
      ++i;
    }
    ip = (ip << 8) | octet;
    if (++parts < 4) {
      if (i >= text.size() || text[i] != '.') return false;
      ++i;
    }
  }
  if (i != text.size()) return false;
  *out = ip;
  return true;
}

bool IpAllocator::Init(std::string_view cidr) {
  valid_ = false;
  in_use_.clear();
  last_reserved_ = 0;
  const size_t slash = cidr.find('/');
  if (slash == std::string_view::npos) return false;
  uint32_t base = 0;
  if (!ParseIpv4(cidr.substr(0, slash), &base)) return false;
  int prefix = 0;
  const std::string_view bits = cidr.substr(slash + 1);
  if (bits.empty() || bits.size() > 2) return false;
  for (char c : bits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    prefix = prefix * 10 + (c - '0');
  }
  if (prefix > 30) return false;  // no room for gateway + one pod + broadcast
  const uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
  const uint32_t network = base & mask;
  const uint32_t broadcast = network | ~mask;
  first_ = network + 2;
  last_ = broadcast - 1;
  valid_ = first_ <= last_;
  return valid_;
}

std::string IpAllocator::Allocate() {
  if (!valid_) return "";
  const uint64_t size = uint64_t{last_} - first_ + 1;
  uint32_t candidate = last_reserved_ == 0 || last_reserved_ >= last_ ? first_ : last_reserved_ + 1;
  for (uint64_t tried = 0; tried < size; ++tried) {
    if (!in_use_.contains(candidate)) {
      in_use_.insert(candidate);
      last_reserved_ = candidate;
      return FormatIpv4(candidate);
    }
    candidate = candidate >= last_ ? first_ : candidate + 1;
  }
  return "";
}

void IpAllocator::Release(const std::string& ip) {
  uint32_t v = 0;
  if (ParseIpv4(ip, &v)) in_use_.erase(v);
}

}  // namespace kubesim::kubelet::internal
