#include "kubesim/sim/wall_clock_pacer.h"

#include <algorithm>

namespace kubesim {

WallClockPacer::WallClockPacer(Executor* executor, double speed, WallClock wall)
    : executor_(executor),
      wall_(std::move(wall)),
      speed_(speed),
      wall_base_(wall_()),
      sim_base_(executor->Now()) {}

WallClockPacer::~WallClockPacer() { StopPump(); }

Time WallClockPacer::TargetLocked(WallTime now) const {
  if (paused_) return sim_base_;
  auto elapsed = std::max(now - wall_base_, WallTime::duration::zero());
  return sim_base_ + std::chrono::duration_cast<Duration>(elapsed * speed_);
}

void WallClockPacer::CatchUp() {
  std::lock_guard<std::mutex> drive(drive_mu_);
  Time target;
  {
    std::lock_guard<std::mutex> lock(state_mu_);
    target = TargetLocked(wall_());
  }
  executor_->AdvanceTo(target);
}

void WallClockPacer::RunExclusive(const std::function<void()>& fn) {
  std::lock_guard<std::mutex> drive(drive_mu_);
  Time target;
  {
    std::lock_guard<std::mutex> lock(state_mu_);
    target = TargetLocked(wall_());
  }
  executor_->AdvanceTo(target);
  fn();
  std::lock_guard<std::mutex> lock(state_mu_);
  wall_base_ = wall_();
  sim_base_ = executor_->Now();
}

void WallClockPacer::Pause() {
  std::lock_guard<std::mutex> lock(state_mu_);
  if (paused_) return;
  WallTime now = wall_();
  // Freeze where the clock should be now; the next CatchUp gets there.
  sim_base_ = std::max(TargetLocked(now), executor_->Now());
  wall_base_ = now;
  paused_ = true;
}

void WallClockPacer::Resume() {
  std::lock_guard<std::mutex> lock(state_mu_);
  if (!paused_) return;
  sim_base_ = std::max(sim_base_, executor_->Now());
  wall_base_ = wall_();
  paused_ = false;
}

Status WallClockPacer::SetSpeed(double speed) {
  if (!(speed > 0 && speed <= 1e6)) {
    return Status(StatusCode::kBadRequest, "speed must be a number greater than 0 and at most 1e6");
  }
  std::lock_guard<std::mutex> lock(state_mu_);
  WallTime now = wall_();
  sim_base_ = std::max(TargetLocked(now), executor_->Now());
  wall_base_ = now;
  speed_ = speed;
  return Status();
}

bool WallClockPacer::paused() const {
  std::lock_guard<std::mutex> lock(state_mu_);
  return paused_;
}

double WallClockPacer::speed() const {
  std::lock_guard<std::mutex> lock(state_mu_);
  return speed_;
}

void WallClockPacer::StartPump(std::chrono::milliseconds period) {
  if (pump_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(pump_mu_);
    pump_quit_ = false;
  }
  pump_ = std::thread([this, period] {
    std::unique_lock<std::mutex> lock(pump_mu_);
    while (!pump_quit_) {
      pump_cv_.wait_for(lock, period);
      if (pump_quit_) break;
      lock.unlock();
      CatchUp();
      lock.lock();
    }
  });
}

void WallClockPacer::StopPump() {
  if (!pump_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(pump_mu_);
    pump_quit_ = true;
  }
  pump_cv_.notify_all();
  pump_.join();
}

}  // namespace kubesim
