// Component logs, klog-style, through spdlog: one line per event, stamped
// with the simulated time, e.g.
//   I0101 00:00:31.000000 kube-scheduler] "Successfully bound pod to node" pod="default/nginx"
//   node="worker-1"
// Off by default (the screen shows only command output); `kubesim --v=2`
// shows info lines, `--v=4` debug lines too, on stderr.
//
// Thread-safety: safe from any thread (spdlog's loggers are thread-safe).
#ifndef KUBESIM_UTIL_LOGGING_H_
#define KUBESIM_UTIL_LOGGING_H_

#include <string_view>

#include "kubesim/sim/clock.h"

namespace kubesim {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

// kubectl-style verbosity: 0 (default) prints nothing, 1 warnings, 2 info,
// 4 debug. Library users (tests, benchmarks) stay quiet unless they ask.
void SetLogVerbosity(int verbosity);

// Whether a line at `level` would be printed (skip building costly messages).
bool LogEnabled(LogLevel level);
void Log(LogLevel level, Time now, std::string_view component, std::string_view message);

inline void LogInfo(Time now, std::string_view component, std::string_view message) {
  Log(LogLevel::kInfo, now, component, message);
}
inline void LogDebug(Time now, std::string_view component, std::string_view message) {
  Log(LogLevel::kDebug, now, component, message);
}

}  // namespace kubesim

#endif  // KUBESIM_UTIL_LOGGING_H_
