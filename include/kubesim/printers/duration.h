// Human-readable durations, as kubectl prints them (AGE, LAST SEEN, ...),
// and Go's time.Duration text form (flags such as --timeout=30s).
//
// Thread-safety: all functions are pure.
#ifndef KUBESIM_PRINTERS_DURATION_H_
#define KUBESIM_PRINTERS_DURATION_H_

#include <string>

#include "kubesim/sim/clock.h"
#include "kubesim/util/status.h"

namespace kubesim::printers {

// apimachinery pkg/util/duration.HumanDuration: ~2-3 significant figures.
// "<invalid>" for d < -1s (whole seconds truncated toward zero), "0s" for
// -1s..0s, then "59s", "119s", "2m", "3m20s", "10m", "179m", "3h", "7h59m",
// "8h", "47h", "2d", "7d23h", "8d", "729d", "2y", "7y364d", "8y".
std::string HumanDuration(Duration d);

// apimachinery pkg/util/duration.ShortHumanDuration: one unit only.
// "<invalid>" for d < -1s, "0s" for -1s..0s, then "59s", "59m", "23h",
// "364d", "1y".
std::string ShortHumanDuration(Duration d);

// Go's time.ParseDuration: "300ms", "-1.5h", "2h45m", "1m30s", "0".
// Units: ns, us, µs, μs, ms, s, m, h. Errors carry Go's exact messages,
// e.g. `time: invalid duration "x"`, `time: missing unit in duration "1"`,
// `time: unknown unit "d" in duration "1d"` (Status BadRequest).
StatusOr<Duration> ParseGoDuration(const std::string& text);

// Go's time.Duration.String(): "0s", "1.5s", "1m30s", "1h0m0s", "300ms",
// "1.2µs", "-2m3s".
std::string GoDurationString(Duration d);

}  // namespace kubesim::printers

#endif  // KUBESIM_PRINTERS_DURATION_H_
