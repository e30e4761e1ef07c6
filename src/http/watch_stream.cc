// WatchStream and WatchStreams (watch_stream.h).
#include "watch_stream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <filesystem>

#include "kubesim/api/errors.h"
#include "kubesim/api/resource.h"

namespace kubesim::http {
namespace {

using api::Object;

// kube-apiserver gives a watch without timeoutSeconds a random duration in
// [--min-request-timeout, 2x) = [30m, 60m) (handlers/get.go); kubesim takes
// the lower bound, in wall time.
constexpr int64_t kDefaultWatchSeconds = 1800;

std::chrono::steady_clock::time_point Deadline(const api::Request& r) {
  int64_t s = r.timeout_seconds > 0 ? r.timeout_seconds : kDefaultWatchSeconds;
  return std::chrono::steady_clock::now() + std::chrono::seconds(s);
}

}  // namespace

WatchStream::WatchStream(const api::Request& request, const api::ResourceStrategy* strategy,
                         const Executor* executor)
    : request_(request),
      strategy_(strategy),
      executor_(executor),
      deadline_(Deadline(request)),
      table_(strategy != nullptr && request.accept.find("as=Table") != std::string::npos) {}

void WatchStream::Enqueue(const api::WatchEvent& event) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    events_.push_back(event);
  }
  cv_.notify_all();
}

void WatchStream::set_handle(std::unique_ptr<api::WatchHandle> handle) {
  std::lock_guard<std::mutex> lock(mu_);
  handle_ = std::move(handle);
}

void WatchStream::Close() {
  std::unique_ptr<api::WatchHandle> handle;
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    handle = std::move(handle_);
  }
  cv_.notify_all();
  if (handle) handle->Stop();  // outside mu_: Stop waits for a sink call in progress
}

std::string WatchStream::EncodeEvent(const api::WatchEvent& event) const {
  Object object = event.object ? *event.object : Object::object();
  if (table_ && event.type != api::WatchEvent::Type::kError) {
    // Same shape as ApiServer's tables for get/list: one row per object,
    // PartialObjectMetadata in the row unless includeObject says otherwise.
    std::string rv = object.contains("metadata") && object["metadata"].is_object()
                         ? object["metadata"].value("resourceVersion", "")
                         : "";
    Object table = {{"kind", "Table"},
                    {"apiVersion", "meta.k8s.io/v1"},
                    {"metadata", {{"resourceVersion", rv}}},
                    {"columnDefinitions", strategy_->TableColumns()},
                    {"rows", Object::array()}};
    if (event.type != api::WatchEvent::Type::kBookmark) {
      Object row = {{"cells", strategy_->TableCells(object, executor_->Now())}};
      if (request_.include_object == "Object") {
        row["object"] = object;
      } else if (request_.include_object != "None") {
        row["object"] = {{"kind", "PartialObjectMetadata"},
                         {"apiVersion", "meta.k8s.io/v1"},
                         {"metadata", object.value("metadata", Object::object())}};
      }
      table["rows"].push_back(std::move(row));
    }
    object = std::move(table);
  }
  Object line = {{"type", api::WatchEventTypeName(event.type)}, {"object", std::move(object)}};
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

int FindConnectionFd(int local_port, int remote_port) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    int fd = std::atoi(entry.path().filename().c_str());
    sockaddr_storage local{}, peer{};
    socklen_t llen = sizeof(local), plen = sizeof(peer);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &llen) != 0) continue;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &plen) != 0) continue;
    auto port_of = [](const sockaddr_storage& a) {
      if (a.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(a).sin_port);
      if (a.ss_family == AF_INET6) {
        return ntohs(reinterpret_cast<const sockaddr_in6&>(a).sin6_port);
      }
      return static_cast<uint16_t>(0);
    };
    if (port_of(local) == local_port && port_of(peer) == remote_port) return fd;
  }
  return -1;
}

bool WatchStream::Pump(httplib::DataSink& sink) {
  std::deque<api::WatchEvent> batch;
  bool closed = false;
  {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(1), [&] { return closed_ || !events_.empty(); });
    batch.swap(events_);
    closed = closed_;
  }
  if (peer_fd_ >= 0 && batch.empty()) {
    // An idle stream whose client closed: recv sees EOF (0) or an error.
    char c;
    ssize_t n = recv(peer_fd_, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      return false;
    }
  }
  bool end = closed || std::chrono::steady_clock::now() >= deadline_;
  for (const auto& e : batch) {
    std::string line = EncodeEvent(e);
    if (!sink.write(line.data(), line.size())) return false;
    if (e.type == api::WatchEvent::Type::kError) {
      end = true;
      break;
    }
  }
  if (end) sink.done();
  return true;
}

StatusOr<std::shared_ptr<WatchStream>> WatchStreams::Open(cluster::Cluster* cluster,
                                                          WallClockPacer* pacer,
                                                          const api::Request& request) {
  api::ApiServer& server = cluster->api_server();
  auto stream = std::make_shared<WatchStream>(request, server.registry().Find(request.gvr),
                                              &cluster->executor());
  StatusOr<std::unique_ptr<api::WatchHandle>> handle =
      Status(StatusCode::kInternal, "watch not opened");
  // The API server learns the watch's deadline too, for the bookmark it
  // sends 2 s before it (cache_watcher.go nextBookmarkTime).
  api::Request with_deadline = request;
  if (with_deadline.timeout_seconds <= 0) with_deadline.timeout_seconds = kDefaultWatchSeconds;
  Drive(cluster, pacer, [&] {
    handle =
        server.Watch(with_deadline, [stream](const api::WatchEvent& e) { stream->Enqueue(e); });
  });
  if (!handle.ok()) {
    api::Response err = api::FromStatus(handle.status());
    if (err.code != 410) return handle.status();
    // handlers/watch.go: an expired resourceVersion is an ERROR event.
    api::WatchEvent e;
    e.type = api::WatchEvent::Type::kError;
    e.object = api::Share(err.body);
    stream->Enqueue(e);
  } else {
    stream->set_handle(std::move(*handle));
  }
  std::lock_guard<std::mutex> lock(mu_);
  open_.insert(stream);
  return stream;
}

void WatchStreams::Close(const std::shared_ptr<WatchStream>& stream) {
  stream->Close();
  std::lock_guard<std::mutex> lock(mu_);
  open_.erase(stream);
}

void WatchStreams::CloseAll() {
  std::set<std::shared_ptr<WatchStream>> open;
  {
    std::lock_guard<std::mutex> lock(mu_);
    open.swap(open_);
  }
  for (const auto& s : open) s->Close();
}

}  // namespace kubesim::http
