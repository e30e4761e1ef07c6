// Seeded randomness. Nothing in kubesim calls rand() or std::random_device:
// every component that needs randomness is handed a Random seeded from the
// run's --seed and the component's name, so runs repeat exactly.
//
// Thread-safety: none; each owner uses its own Random from its own loop.
#ifndef KUBESIM_SIM_RANDOM_H_
#define KUBESIM_SIM_RANDOM_H_

#include <cassert>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace kubesim {

class Random {
 public:
  // A generator for the stream named `stream` of the run seeded with `seed`:
  // distinct streams are independent and each is fixed by (seed, stream).
  Random(uint64_t seed, std::string_view stream);

  uint64_t Next() { return engine_(); }
  // Uniform in [0, n), by rejection sampling on raw draws: draws below
  // 2^64 mod n are rejected, so the accepted range is a multiple of n and
  // `x % n` exactly uniform. REQUIRES: n > 0.
  //
  // Inline, and the bound (a 64-bit division) is computed only for a draw
  // below n: the bound is below n, so any larger draw (all but about n/2^64
  // of them) is accepted without it. The scheduler's tie break calls this
  // once per tied node and cycle.
  uint64_t Uniform(uint64_t n) {
    assert(n > 0);
    if (n <= 1) return 0;
    if ((n & (n - 1)) == 0) return Next() & (n - 1);
    for (;;) {
      const uint64_t x = Next();
      if (x >= n || x >= (0 - n) % n) return x % n;
    }
  }
  // `n` characters drawn from `alphabet`.
  std::string String(size_t n, std::string_view alphabet);

 private:
  std::mt19937_64 engine_;
};

// FNV-1a 64 of `s`, used to derive stream seeds.
uint64_t Fnv1a64(std::string_view s);

}  // namespace kubesim

#endif  // KUBESIM_SIM_RANDOM_H_
