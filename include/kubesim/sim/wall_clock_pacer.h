// Lets the simulated clock follow wall time in interactive use (the shell's
// terminal session, a served cluster), at an adjustable speed, and pause.
//
// Simulated time never moves by itself: the pacer's pump (or a caller)
// calls CatchUp(), which advances the Executor to
//   sim_base + (wall_now - wall_base) * speed     (or sim_base when paused).
// Commands run through RunExclusive(): the clock first catches up, stands
// still while the command runs, and the pacer then rebases on the
// simulated time the command left (a `sleep 5m` jumps the clock; the pump
// goes on from there).
//
// Thread-safety: every method may be called from any thread. At most one
// thread drives the Executor at a time (drive_mu_). Pause/Resume/SetSpeed may
// be called from inside RunExclusive's function (they never drive).
#ifndef KUBESIM_SIM_WALL_CLOCK_PACER_H_
#define KUBESIM_SIM_WALL_CLOCK_PACER_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "kubesim/sim/executor.h"
#include "kubesim/util/status.h"

namespace kubesim {

class WallClockPacer {
 public:
  using WallTime = std::chrono::steady_clock::time_point;
  using WallClock = std::function<WallTime()>;

  // `executor` must outlive the pacer. `speed` is simulated seconds per wall
  // second (> 0). `wall` is the wall clock (tests pass a fake one).
  WallClockPacer(
      Executor* executor, double speed,
      WallClock wall = [] { return std::chrono::steady_clock::now(); });
  // Stops the pump if it runs.
  ~WallClockPacer();

  WallClockPacer(const WallClockPacer&) = delete;
  WallClockPacer& operator=(const WallClockPacer&) = delete;

  // Advances the simulated clock to where wall time says it should be.
  void CatchUp();

  // Catches up, runs `fn` with the clock standing still, then rebases.
  void RunExclusive(const std::function<void()>& fn);

  // Freezes simulated time at its current (caught-up) value; commands and
  // `sleep` still move it. Idempotent.
  void Pause();
  // Lets simulated time follow wall time again from now. Idempotent.
  void Resume();
  // Changes the speed from now on. kBadRequest unless 0 < speed <= 1e6.
  Status SetSpeed(double speed);

  bool paused() const;
  double speed() const;

  // Starts a thread that calls CatchUp() every `period` of wall time, until
  // StopPump() or destruction. Idempotent.
  void StartPump(std::chrono::milliseconds period);
  void StopPump();

 private:
  // Where simulated time should be at wall time `now`. REQUIRES: state_mu_.
  Time TargetLocked(WallTime now) const;

  Executor* const executor_;
  const WallClock wall_;

  // Serializes everything that drives the Executor.
  std::mutex drive_mu_;

  mutable std::mutex state_mu_;
  double speed_;         // GUARDED_BY(state_mu_)
  bool paused_ = false;  // GUARDED_BY(state_mu_)
  WallTime wall_base_;   // GUARDED_BY(state_mu_)
  Time sim_base_;        // GUARDED_BY(state_mu_)

  std::mutex pump_mu_;
  std::condition_variable pump_cv_;  // used with pump_mu_
  bool pump_quit_ = false;           // GUARDED_BY(pump_mu_)
  std::thread pump_;                 // started/joined by the owner thread
};

}  // namespace kubesim

#endif  // KUBESIM_SIM_WALL_CLOCK_PACER_H_
