#include "kubesim/util/logging.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdio>
#include <ctime>

namespace kubesim {
namespace {

spdlog::level::level_enum ToSpd(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
      return spdlog::level::info;
    case LogLevel::kWarning:
      return spdlog::level::warn;
    case LogLevel::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

std::atomic<int> g_verbosity{0};

}  // namespace

void SetLogVerbosity(int verbosity) { g_verbosity.store(verbosity); }

bool LogEnabled(LogLevel level) {
  int v = g_verbosity.load(std::memory_order_relaxed);
  switch (level) {
    case LogLevel::kDebug:
      return v >= 4;
    case LogLevel::kInfo:
      return v >= 2;
    case LogLevel::kWarning:
    case LogLevel::kError:
      return v >= 1;
  }
  return false;
}

void Log(LogLevel level, Time now, std::string_view component, std::string_view message) {
  if (!LogEnabled(level)) return;
  // klog's header: Lmmdd hh:mm:ss.uuuuuu (k8s.io/klog/v2 klog.go formatHeader).
  static const char kLetters[] = {'D', 'I', 'W', 'E'};
  char letter = level == LogLevel::kDebug ? 'I' : kLetters[static_cast<int>(level)];
  auto since = now.time_since_epoch();
  std::time_t secs = std::chrono::duration_cast<std::chrono::seconds>(since).count();
  long micros = static_cast<long>(
      std::chrono::duration_cast<std::chrono::microseconds>(since).count() % 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char header[64];
  std::snprintf(header, sizeof(header), "%c%02d%02d %02d:%02d:%02d.%06ld", letter, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micros);
  spdlog::default_logger_raw()->log(ToSpd(level), "{} {}] {}", header, component, message);
}

}  // namespace kubesim
