// ConnectionPool (connection_pool.h).
#include "connection_pool.h"

namespace kubesim::http {

ConnectionPool::ConnectionPool(size_t min_threads, size_t max_threads,
                               std::chrono::milliseconds idle_timeout)
    : min_threads_(min_threads), max_threads_(max_threads), idle_timeout_(idle_timeout) {
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < min_threads_; ++i) StartThreadLocked();
}

ConnectionPool::~ConnectionPool() { shutdown(); }

void ConnectionPool::StartThreadLocked() {
  ++starting_;
  threads_.emplace_back();
  auto self = std::prev(threads_.end());
  *self = std::thread([this, self] { Work(self); });
}

void ConnectionPool::enqueue(std::function<void()> fn) {
  JoinFinished();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shutdown_) return;
    jobs_.push_back(std::move(fn));
    // Every idle (or just started) worker may already be claimed by an
    // earlier job still in the queue: grow while queued jobs outnumber them.
    if (jobs_.size() > idle_ + starting_ && threads_.size() < max_threads_) StartThreadLocked();
  }
  cv_.notify_one();
}

void ConnectionPool::Work(std::list<std::thread>::iterator self) {
  std::unique_lock<std::mutex> lock(mu_);
  --starting_;
  for (;;) {
    ++idle_;
    bool has_job = cv_.wait_for(lock, idle_timeout_, [&] { return shutdown_ || !jobs_.empty(); });
    --idle_;
    if (!jobs_.empty()) {
      std::function<void()> job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      job();
      lock.lock();
      continue;
    }
    if (shutdown_) return;  // shutdown() joins threads_
    if (!has_job && threads_.size() > min_threads_) {
      // Idle too long above the minimum: leave, to be joined by the next
      // enqueue() or shutdown().
      finished_.splice(finished_.end(), threads_, self);
      return;
    }
  }
}

void ConnectionPool::JoinFinished() {
  std::list<std::thread> done;
  {
    std::lock_guard<std::mutex> lock(mu_);
    done.swap(finished_);
  }
  for (auto& t : done) {
    if (t.joinable()) t.join();
  }
}

void ConnectionPool::shutdown() {
  std::list<std::thread> all;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shutdown_ && threads_.empty() && finished_.empty()) return;
    shutdown_ = true;
  }
  cv_.notify_all();
  // Workers drain the queue, then return; none leaves threads_ once
  // shutdown_ is set, so threads_ is stable from here.
  {
    std::lock_guard<std::mutex> lock(mu_);
    all.swap(threads_);
    all.splice(all.end(), finished_);
  }
  for (auto& t : all) {
    if (t.joinable()) t.join();
  }
}

size_t ConnectionPool::threads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return threads_.size();
}

}  // namespace kubesim::http
