// WorkQueue: client-go's workqueue (Type + delaying + rate limiting) on a
// Dispatcher. Every key that enters queue_ posts exactly one ProcessOne task,
// so the number of pending ProcessOne tasks equals queue_.size() (until
// ShutDown, after which leftover tasks find nothing and return).
#include "kubesim/client/work_queue.h"

#include <algorithm>
#include <utility>

namespace kubesim::client {
namespace {

// client-go's DefaultControllerRateLimiter exponential part.
constexpr Duration kBaseDelay = std::chrono::milliseconds(5);
constexpr Duration kMaxDelay = std::chrono::seconds(1000);

Duration BackoffFor(int failures) {
  // 5ms * 2^18 > 1000s already; avoid overflow for large counts.
  if (failures >= 30) return kMaxDelay;
  Duration d = kBaseDelay * (int64_t{1} << failures);
  return std::min(d, kMaxDelay);
}

}  // namespace

WorkQueue::WorkQueue(Dispatcher* loop, std::function<Status(const std::string&)> sync)
    : loop_(loop), sync_(std::move(sync)) {}

WorkQueue::~WorkQueue() { ShutDown(); }

void WorkQueue::Add(const std::string& key) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_down_) return;
    if (dirty_.contains(key)) return;  // Already waiting: collapse.
    dirty_.insert(key);
    // Being processed: Done() queues it again once the current sync returns.
    if (processing_.contains(key)) return;
    queue_.push_back(key);
  }
  loop_->Post([this, alive = std::weak_ptr<const int>(alive_)] {
    if (alive.lock()) ProcessOne();
  });
}

void WorkQueue::AddAfter(const std::string& key, Duration delay) {
  if (delay <= Duration::zero()) {
    Add(key);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_down_) return;
  }
  loop_->PostAfter(delay, [this, key, alive = std::weak_ptr<const int>(alive_)] {
    if (alive.lock()) Add(key);
  });
}

void WorkQueue::AddRateLimited(const std::string& key) {
  Duration delay;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_down_) return;
    int& failures = failures_[key];
    delay = BackoffFor(failures);
    ++failures;
  }
  AddAfter(key, delay);
}

void WorkQueue::Forget(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_.erase(key);
}

int WorkQueue::NumRequeues(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = failures_.find(key);
  return it == failures_.end() ? 0 : it->second;
}

size_t WorkQueue::Len() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

void WorkQueue::ShutDown() {
  std::lock_guard<std::mutex> lock(mu_);
  shut_down_ = true;
  queue_.clear();
  dirty_.clear();
}

void WorkQueue::ProcessOne() {
  std::string key;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_down_ || queue_.empty()) return;
    key = std::move(queue_.front());
    queue_.pop_front();
    processing_.insert(key);
    dirty_.erase(key);
  }

  Status status = sync_(key);
  if (status.ok()) {
    Forget(key);
  } else {
    AddRateLimited(key);
  }

  // Done(key): a key re-added while it was processed goes back in line.
  bool requeue = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    processing_.erase(key);
    if (!shut_down_ && dirty_.contains(key)) {
      queue_.push_back(key);
      requeue = true;
    }
  }
  if (requeue) {
    loop_->Post([this, alive = std::weak_ptr<const int>(alive_)] {
      if (alive.lock()) ProcessOne();
    });
  }
}

}  // namespace kubesim::client
