// The thread pool that serves the HTTP connections: a cpp-httplib TaskQueue
// that grows with demand.
//
// cpp-httplib (0.11) serves each connection on one pool thread for the
// connection's whole life, and a watch stream is one long connection, so a
// fixed pool of N threads is starved by N open watches (`kubectl get -w`,
// client-go reflectors): every later request would wait in the queue. This
// pool keeps `min_threads` threads and starts another whenever a connection
// arrives while none is idle, up to `max_threads`; a thread above the
// minimum that stays idle for `idle_timeout` exits, so closed watches give
// their threads back. Only past `max_threads` busy connections does a new
// one wait in the queue for a free thread.
//
// Thread-safety: enqueue() may be called from any thread (httplib calls it
// from its accept loop). shutdown() runs the queued connections, then joins
// every thread; enqueue() after shutdown() drops the job.
#ifndef KUBESIM_HTTP_CONNECTION_POOL_H_
#define KUBESIM_HTTP_CONNECTION_POOL_H_

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <list>
#include <mutex>
#include <thread>

namespace kubesim::http {

class ConnectionPool final : public httplib::TaskQueue {
 public:
  // REQUIRES: 0 < min_threads <= max_threads.
  ConnectionPool(size_t min_threads, size_t max_threads, std::chrono::milliseconds idle_timeout);
  ~ConnectionPool() override;  // shutdown() if not yet done

  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

  // Threads alive now (busy or idle), for tests and docs.
  size_t threads() const;

 private:
  void StartThreadLocked();  // REQUIRES: mu_ held
  void Work(std::list<std::thread>::iterator self);
  void JoinFinished();  // joins threads that left Work; REQUIRES: mu_ not held

  const size_t min_threads_;
  const size_t max_threads_;
  const std::chrono::milliseconds idle_timeout_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;  // guarded by mu_
  std::list<std::thread> threads_;          // guarded by mu_: running workers
  std::list<std::thread> finished_;         // guarded by mu_: exited, not yet joined
  size_t idle_ = 0;                         // guarded by mu_: workers waiting for a job
  size_t starting_ = 0;                     // guarded by mu_: started, not yet in Work
  bool shutdown_ = false;                   // guarded by mu_
};

}  // namespace kubesim::http

#endif  // KUBESIM_HTTP_CONNECTION_POOL_H_
