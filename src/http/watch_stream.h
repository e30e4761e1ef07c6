// One HTTP watch: events from ApiServer::Watch queued by the API server's
// fan-out thread and written as a chunked stream of JSON lines
// {"type":"ADDED","object":{...}} by the connection's thread
// (k8s.io/apiserver/pkg/endpoints/handlers/watch.go).
#ifndef KUBESIM_HTTP_WATCH_STREAM_H_
#define KUBESIM_HTTP_WATCH_STREAM_H_

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <set>

#include "kubesim/api/types.h"
#include "kubesim/cluster/cluster.h"
#include "kubesim/sim/wall_clock_pacer.h"

namespace kubesim::http {

// Runs `work` as the Executor's driver through `pacer`, then lets the
// cluster run until idle; with no pacer (the interactive shell drives), just
// runs it: the API server is thread-safe, and what it posts runs at the
// shell's next pump tick.
void Drive(cluster::Cluster* cluster, WallClockPacer* pacer, const std::function<void()>& work);

class WatchStream {
 public:
  // Called by WatchStreams::Open.
  WatchStream(const api::Request& request, const api::ResourceStrategy* strategy,
              const Executor* executor);

  // The httplib chunked content provider: waits (up to a second of wall
  // time) for events and writes them. Returns false when the client went
  // away; calls sink.done() when the watch ends (timeoutSeconds, an ERROR
  // event, or Close()).
  bool Pump(httplib::DataSink& sink);

  // Ends the stream and the API server watch. Idempotent; thread-safe.
  void Close();

  // The sink handed to ApiServer::Watch: queues and returns.
  void Enqueue(const api::WatchEvent& event);
  void set_handle(std::unique_ptr<api::WatchHandle> handle);
  // The connection's socket, to notice a client that went away while no
  // events flow (httplib's DataSink only notices on a failed write).
  // -1 = unknown.
  void set_peer_fd(int fd) { peer_fd_ = fd; }

  // The line for one event (a Table with one row when the request asked
  // for tables, as `kubectl get -w` does).
  std::string EncodeEvent(const api::WatchEvent& event) const;

 private:
  const api::Request request_;
  const api::ResourceStrategy* const strategy_;
  const Executor* const executor_;
  const std::chrono::steady_clock::time_point deadline_;
  const bool table_;
  int peer_fd_ = -1;  // set before the first Pump

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<api::WatchEvent> events_;        // guarded by mu_
  bool closed_ = false;                       // guarded by mu_
  std::unique_ptr<api::WatchHandle> handle_;  // guarded by mu_
};

// The socket of the connection from 127.0.0.1:`remote_port` to our
// `local_port`, found among this process's descriptors; -1 if none.
int FindConnectionFd(int local_port, int remote_port);

// The open watches of a server, so shutdown can end them.
class WatchStreams {
 public:
  // Opens the API server watch for `request` (through Drive). Fails as
  // ApiServer::Watch fails, except 410 Expired, which kube-apiserver sends
  // as an ERROR event in a 200 stream (the stream then holds that event).
  StatusOr<std::shared_ptr<WatchStream>> Open(cluster::Cluster* cluster, WallClockPacer* pacer,
                                              const api::Request& request);
  void Close(const std::shared_ptr<WatchStream>& stream);
  void CloseAll();

 private:
  std::mutex mu_;
  std::set<std::shared_ptr<WatchStream>> open_;  // guarded by mu_
};

}  // namespace kubesim::http

#endif  // KUBESIM_HTTP_WATCH_STREAM_H_
