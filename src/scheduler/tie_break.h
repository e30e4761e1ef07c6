// selectHost's tie break (pkg/scheduler/schedule_one.go selectHost: the k-th
// node with the top score replaces the pick when rand.Intn(k) == 0), drawn
// from the scheduler's seeded Random.
//
// Thread-safety: uses `random`, which has none; call from its owner's loop.
#ifndef KUBESIM_SRC_SCHEDULER_TIE_BREAK_H_
#define KUBESIM_SRC_SCHEDULER_TIE_BREAK_H_

#include <cstdint>

#include "kubesim/sim/random.h"

namespace kubesim::scheduler {

// Exactly `random->Uniform(n) == 0`, drawing the same numbers from `random`
// (so placements and every later draw are unchanged). REQUIRES: n > 0.
//
// Why not Uniform itself: on an empty cluster every scored node ties, so
// this runs once per scored node and cycle. Uniform computes its rejection
// bound 2^64 mod n with a 64-bit division on every call; that bound is
// below n, so a draw >= n (all but about n / 2^64 of them) is accepted
// without computing it, leaving one division per draw, inline.
inline bool UniformDrawIsZero(Random* random, uint64_t n) {
  if (n <= 1) return true;  // Uniform(1) is 0 without a draw
  if ((n & (n - 1)) == 0) return (random->Next() & (n - 1)) == 0;
  for (;;) {
    const uint64_t x = random->Next();
    // Uniform accepts x >= (2^64 - n) mod n, a bound < n.
    if (x >= n || x >= (0 - n) % n) return x % n == 0;
  }
}

}  // namespace kubesim::scheduler

#endif  // KUBESIM_SRC_SCHEDULER_TIE_BREAK_H_
