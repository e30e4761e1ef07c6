// Seeded, platform-deterministic randomness.
//
// std::mt19937_64's output sequence is fixed by the standard for a given
// seed; the distributions in <random> are not, so Uniform() does its own
// rejection sampling on raw 64-bit draws.
#include "kubesim/sim/random.h"

#include <cassert>

namespace kubesim {
namespace {

// SplitMix64 finalizer: spreads nearby seeds (seed, seed+1, ...) apart.
uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

uint64_t Fnv1a64(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char ch : s) {
    h ^= ch;
    h *= 0x100000001b3ULL;
  }
  return h;
}

Random::Random(uint64_t seed, std::string_view stream)
    : engine_(SplitMix64(seed ^ Fnv1a64(stream))) {}

std::string Random::String(size_t n, std::string_view alphabet) {
  assert(!alphabet.empty());
  std::string out;
  if (alphabet.empty()) return out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(alphabet[Uniform(alphabet.size())]);
  return out;
}

}  // namespace kubesim
