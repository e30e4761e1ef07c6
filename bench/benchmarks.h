// Benchmarks run by bench/main.cc; each returns its figure.
#ifndef KUBESIM_BENCH_BENCHMARKS_H_
#define KUBESIM_BENCH_BENCHMARKS_H_

// Put() calls per second on `n` distinct keys, one thread, small values.
double StorePutsPerSecond(int n);

#endif  // KUBESIM_BENCH_BENCHMARKS_H_
