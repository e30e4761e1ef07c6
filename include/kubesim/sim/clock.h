// The simulated clock: the only source of time in kubesim.
//
// No component reads the wall clock. Every component gets a `const Clock&`
// and asks it for Now(); timers are scheduled on a Dispatcher (executor.h),
// which fires them when the Executor moves this clock past their deadline.
//
// Thread-safety: Now() may be called from any thread.
#ifndef KUBESIM_SIM_CLOCK_H_
#define KUBESIM_SIM_CLOCK_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace kubesim {

// Instants are UTC with nanosecond resolution. The system_clock epoch is used
// only as a calendar (1970-01-01T00:00:00Z); nothing calls system_clock::now()
// outside the wall-clock pump in the interactive shell.
using Duration = std::chrono::nanoseconds;
using Time = std::chrono::time_point<std::chrono::system_clock, Duration>;

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// "2025-01-01T00:00:00Z" (RFC 3339, seconds precision, as metav1.Time).
std::string FormatRfc3339(Time t);
// "2025-01-01T00:00:00.000000Z" (metav1.MicroTime, used by Lease/Event).
std::string FormatRfc3339Micro(Time t);
// Parses either form above; returns false on malformed input.
bool ParseRfc3339(const std::string& text, Time* out);

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Time Now() const = 0;
};

// A clock that only moves when told to. Owned by the Executor.
class SimulatedClock final : public Clock {
 public:
  explicit SimulatedClock(Time start) : now_ns_(start.time_since_epoch().count()) {}
  Time Now() const override { return Time(Duration(now_ns_.load(std::memory_order_acquire))); }
  // REQUIRES: t >= Now(). Time never goes backwards.
  void Set(Time t) { now_ns_.store(t.time_since_epoch().count(), std::memory_order_release); }

 private:
  std::atomic<int64_t> now_ns_;
};

}  // namespace kubesim

#endif  // KUBESIM_SIM_CLOCK_H_
