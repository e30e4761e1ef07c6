// The wall-clock pacer (interactive clock) on a fake wall clock: no test
// here waits on real time.
#include "kubesim/sim/wall_clock_pacer.h"

#include <gtest/gtest.h>

#include "shell_test_util.h"

namespace kubesim {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

class FakeWall {
 public:
  WallClockPacer::WallClock clock() {
    return [this] { return now_; };
  }
  void Advance(std::chrono::steady_clock::duration d) { now_ += d; }

 private:
  WallClockPacer::WallTime now_{};
};

TEST(WallClockPacerTest, FollowsWallTimeAtItsSpeed) {
  auto executor = Executor::Create(Time(seconds(1000)));
  FakeWall wall;
  WallClockPacer pacer(executor.get(), 1, wall.clock());
  wall.Advance(seconds(10));
  pacer.CatchUp();
  EXPECT_EQ(executor->Now(), Time(seconds(1010)));

  ASSERT_TRUE(pacer.SetSpeed(30).ok());
  wall.Advance(seconds(2));
  pacer.CatchUp();
  EXPECT_EQ(executor->Now(), Time(seconds(1070)));
  EXPECT_EQ(pacer.speed(), 30);
}

TEST(WallClockPacerTest, PauseFreezesAndResumeGoesOnFromThere) {
  auto executor = Executor::Create(Time(seconds(0)));
  FakeWall wall;
  WallClockPacer pacer(executor.get(), 2, wall.clock());
  wall.Advance(seconds(5));
  pacer.Pause();  // should be at 10s now, even before a CatchUp
  EXPECT_TRUE(pacer.paused());
  wall.Advance(minutes(10));
  pacer.CatchUp();
  EXPECT_EQ(executor->Now(), Time(seconds(10)));

  pacer.Resume();
  EXPECT_FALSE(pacer.paused());
  wall.Advance(seconds(3));
  pacer.CatchUp();
  EXPECT_EQ(executor->Now(), Time(seconds(16)));
}

TEST(WallClockPacerTest, CommandsRebaseTheClock) {
  auto executor = Executor::Create(Time(seconds(0)));
  FakeWall wall;
  WallClockPacer pacer(executor.get(), 1, wall.clock());
  wall.Advance(seconds(1));
  pacer.RunExclusive([&] {
    EXPECT_EQ(executor->Now(), Time(seconds(1)));  // caught up first
    executor->AdvanceBy(minutes(5));               // `sleep 5m`
    wall.Advance(seconds(7));                      // time spent in the command does not count
  });
  EXPECT_EQ(executor->Now(), Time(seconds(301)));
  wall.Advance(seconds(2));
  pacer.CatchUp();
  EXPECT_EQ(executor->Now(), Time(seconds(303)));
}

TEST(WallClockPacerTest, SteeringFromInsideACommandDoesNotDeadlock) {
  auto executor = Executor::Create(Time(seconds(0)));
  FakeWall wall;
  WallClockPacer pacer(executor.get(), 1, wall.clock());
  pacer.RunExclusive([&] {
    pacer.Pause();
    ASSERT_TRUE(pacer.SetSpeed(4).ok());
  });
  wall.Advance(seconds(9));
  pacer.CatchUp();
  EXPECT_EQ(executor->Now(), Time(seconds(0)));
  pacer.Resume();
  wall.Advance(seconds(1));
  pacer.CatchUp();
  EXPECT_EQ(executor->Now(), Time(seconds(4)));
}

TEST(WallClockPacerTest, RejectsSpeedsOutOfRange) {
  auto executor = Executor::Create(Time(seconds(0)));
  FakeWall wall;
  WallClockPacer pacer(executor.get(), 1, wall.clock());
  EXPECT_EQ(pacer.SetSpeed(0).code(), StatusCode::kBadRequest);
  EXPECT_EQ(pacer.SetSpeed(-2).code(), StatusCode::kBadRequest);
  EXPECT_EQ(pacer.SetSpeed(2e6).code(), StatusCode::kBadRequest);
  EXPECT_EQ(pacer.speed(), 1);
}

TEST(WallClockPacerTest, PumpStartsAndStops) {
  // Only checks the thread's lifecycle; the pump's effect on time is the
  // CatchUp tested above.
  auto executor = Executor::Create(Time(seconds(0)));
  FakeWall wall;
  WallClockPacer pacer(executor.get(), 1, wall.clock());
  pacer.StartPump(milliseconds(1));
  pacer.StartPump(milliseconds(1));  // idempotent
  pacer.StopPump();
  pacer.StopPump();
  SUCCEED();
}

// The shell's `clock` command with and without a pacer.
TEST(ClockCommandTest, PauseResumeSpeedInATerminal) {
  testing::ShellHarness h;
  FakeWall wall;
  h.EnablePacer(wall.clock());
  const std::string start = h.Run("clock").out;
  EXPECT_EQ(start, "2025-01-01T00:00:00Z\n");

  auto r = h.Run("clock pause");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out,
            "Clock paused at 2025-01-01T00:00:00Z (`sleep` still moves it; `clock resume` lets it "
            "run)\n");
  wall.Advance(minutes(3));
  EXPECT_EQ(h.Run("clock").out, "2025-01-01T00:00:00Z\n");  // nothing drives it meanwhile

  r = h.Run("clock speed 60");
  EXPECT_EQ(r.out, "Clock speed 60x: one wall second is 60 simulated seconds (paused)\n");
  r = h.Run("clock resume");
  EXPECT_EQ(r.out, "Clock running at 60x wall time from 2025-01-01T00:00:00Z\n");

  r = h.Run("clock speed fast");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "error: clock speed: invalid number \"fast\"\n");
  r = h.Run("clock speed 0");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "error: clock speed: speed must be a number greater than 0 and at most 1e6\n");
  r = h.Run("clock stop");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "error: unknown clock command \"stop\": use `clock`, `clock pause`, `clock resume` or "
            "`clock speed X`\n");
}

TEST(ClockCommandTest, ScriptsRefuseToLetTheClockRun) {
  testing::ShellHarness h;
  auto r = h.Run("clock pause");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "error: clock pause: the clock follows wall time only in an interactive terminal; "
            "scripts move it with `sleep` and `wait`\n");
  EXPECT_EQ(h.Run("clock").out, "2025-01-01T00:00:00Z\n");
}

}  // namespace
}  // namespace kubesim
