// HttpServer (kubesim/http/http_server.h) on cpp-httplib.
//
// Upstream shapes: k8s.io/apiserver/pkg/endpoints/handlers/ (rest.go, get.go
// list/watch, watch.go: chunked JSON event stream, one event per line;
// response.go: Warning headers "299 - \"msg\""), k8s.io/apiserver/pkg/server/
// healthz (plain "ok").
#include "kubesim/http/http_server.h"

#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

#include "connection_pool.h"
#include "discovery.h"
#include "kubesim/api/errors.h"
#include "kubesim/printers/duration.h"
#include "openapi.h"
#include "routing.h"
#include "watch_stream.h"

namespace kubesim::http {

void Drive(cluster::Cluster* cluster, WallClockPacer* pacer, const std::function<void()>& work) {
  if (pacer == nullptr) {
    work();
    return;
  }
  pacer->RunExclusive([&] {
    work();
    // Let the cluster react before the next request, as after a shell command.
    cluster->executor().RunUntilIdle();
  });
}

namespace {

using api::Object;

constexpr char kJson[] = "application/json";

// k8s.io/apiserver/pkg/server/config.go: MaxRequestBodyBytes, the limit
// handlers/rest.go limitedReadBody puts on create, update, patch and delete
// bodies.
constexpr size_t kMaxRequestBodyBytes = 3 * 1024 * 1024;
// What cpp-httplib itself reads at most: a larger body is skipped unread
// and answered 413 (with the same Status, by the error handler).
constexpr size_t kHttplibPayloadMax = 64 << 20;

// Connection threads (connection_pool.h): each open watch holds one for its
// life, so the pool grows on demand. The maximum bounds the threads (8 MiB
// of reserved, mostly untouched, stack each) and so the concurrent
// connections served at once; past it, new connections wait for a free
// thread. docs/kubectl.md explains the limit.
constexpr size_t kMinConnectionThreads = 8;
constexpr size_t kMaxConnectionThreads = 2048;
constexpr std::chrono::seconds kIdleThreadTimeout(5);

// cpp-httplib 0.11 listens with a backlog of 5: a burst of new connections
// (hundreds of watches opening at once, a load generator) overflows it, and
// the kernel drops SYNs, which clients retry only after a second. Go's
// net.Listen, which kube-apiserver uses, takes the system's somaxconn; so
// does kubesim, by calling listen() again on the bound socket (Linux then
// only raises the backlog).
void WidenListenBacklog(int port) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    int fd = std::atoi(entry.path().filename().c_str());
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    int listening = 0;
    socklen_t optlen = sizeof(listening);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) continue;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &optlen) != 0 || !listening) continue;
    int bound =
        addr.ss_family == AF_INET    ? ntohs(reinterpret_cast<const sockaddr_in&>(addr).sin_port)
        : addr.ss_family == AF_INET6 ? ntohs(reinterpret_cast<const sockaddr_in6&>(addr).sin6_port)
                                     : 0;
    if (bound == port) listen(fd, SOMAXCONN);
  }
}

// apimachinery errors.NewRequestEntityTooLargeError("limit is N").
Object RequestEntityTooLarge() {
  return Object{
      {"kind", "Status"},
      {"apiVersion", "v1"},
      {"metadata", Object::object()},
      {"status", "Failure"},
      {"message", "Request entity too large: limit is " + std::to_string(kMaxRequestBodyBytes)},
      {"reason", "RequestEntityTooLarge"},
      {"code", 413}};
}

std::string Dump(const Object& o) {
  return o.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void WriteJson(httplib::Response& res, int code, const Object& body) {
  res.status = code;
  res.set_content(Dump(body), kJson);
}

// Writes an api::Response as kube-apiserver would.
void WriteApiResponse(httplib::Response& res, const api::Response& r, const std::string& server) {
  for (const auto& w : r.warnings) res.set_header("Warning", "299 - " + api::GoQuote(w));
  if (r.code == 0) {
    // The simulated kube-apiserver is stopped: the monitor closes the API
    // port within 50 ms; a request that raced it cannot be dropped by
    // cpp-httplib without an answer, so it gets 503 (docs/kubectl.md).
    api::Response down = api::ServiceUnavailable(
        "the kube-apiserver is stopped (kubesim: `start apiserver`, or POST "
        "/kubesim/v1/components/apiserver/start); a real client would see: The connection to "
        "the server " +
        server + " was refused");
    WriteJson(res, 503, down.body);
    return;
  }
  res.status = r.code;
  if (r.content_type == "text/plain" || r.content_type.rfind("text/plain", 0) == 0) {
    res.set_content(r.body.is_string() ? r.body.get<std::string>() : Dump(r.body), "text/plain");
    return;
  }
  res.set_content(Dump(r.body), r.content_type.empty() ? kJson : r.content_type);
}

// A path no handler serves. Under an installed group/version (/api/v1/...,
// /apis/G/V/...) go-restful's container answers, through the apiserver's
// serviceErrorHandler: NewGenericServerResponse(404, ...), a Status whose
// details are empty but present. Anything else falls through to the
// notfoundhandler (k8s.io/apiserver/pkg/util/notfoundhandler), which is
// Go's http.NotFound: "404 page not found" as text.
void WriteNotFound(httplib::Response& res, const api::ResourceRegistry& registry,
                   const std::string& path) {
  for (const api::ResourceStrategy* s : registry.All()) {
    const api::GroupVersionResource& gvr = s->info().gvr;
    std::string root =
        gvr.group.empty() ? "/api/" + gvr.version : "/apis/" + gvr.group + "/" + gvr.version;
    if (path.rfind(root, 0) == 0 && (path.size() == root.size() || path[root.size()] == '/')) {
      WriteJson(res, 404,
                Object{{"kind", "Status"},
                       {"apiVersion", "v1"},
                       {"metadata", Object::object()},
                       {"status", "Failure"},
                       {"message", "the server could not find the requested resource"},
                       {"reason", "NotFound"},
                       {"details", Object::object()},
                       {"code", 404}});
      return;
    }
  }
  res.status = 404;
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_content("404 page not found\n", "text/plain; charset=utf-8");
}

Object SimStatus(const Status& s, const std::string& message) {
  if (!s.ok()) return api::FromStatus(s).body;
  return Object{{"kind", "Status"},
                {"apiVersion", "v1"},
                {"metadata", Object::object()},
                {"status", "Success"},
                {"message", message}};
}

class HttpServerImpl final : public HttpServer {
 public:
  HttpServerImpl(cluster::Cluster* cluster, WallClockPacer* pacer, HttpServerOptions options)
      : cluster_(cluster), pacer_(pacer), options_(std::move(options)) {}

  ~HttpServerImpl() override {
    {
      std::lock_guard<std::mutex> lock(monitor_mu_);
      quit_ = true;
    }
    monitor_cv_.notify_all();
    if (monitor_.joinable()) monitor_.join();
    watches_.CloseAll();
    StopListener(api_);
    StopListener(control_);
  }

  Status Listen() {
    api_ = NewListener(/*api=*/true);
    port_ = Bind(*api_->server, options_.port);
    if (port_ <= 0) {
      return Status(StatusCode::kUnavailable,
                    "cannot listen on " + options_.address + ":" + std::to_string(options_.port));
    }
    control_ = NewListener(/*api=*/false);
    control_port_ = Bind(*control_->server, options_.control_port);
    if (control_port_ <= 0) {
      return Status(StatusCode::kUnavailable, "cannot listen on " + options_.address + ":" +
                                                  std::to_string(options_.control_port));
    }
    StartListener(*api_);
    StartListener(*control_);
    monitor_ = std::thread([this] { Monitor(); });
    return Status::Ok();
  }

  int port() const override { return port_; }
  int control_port() const override { return control_port_; }
  std::string url() const override { return "http://" + HostPort(); }
  std::string control_url() const override {
    return "http://" + options_.address + ":" + std::to_string(control_port_) + "/kubesim/v1";
  }

 private:
  std::string HostPort() const { return options_.address + ":" + std::to_string(port_); }

  void Serve(const httplib::Request& req, httplib::Response& res) {
    const std::string& path = req.path;
    if (path == "/healthz" || path == "/readyz" || path == "/livez") {
      bool up = cluster_->api_server().serving();
      res.status = up ? 200 : 503;
      res.set_content(
          up ? "ok" : "[-]etcd failed: reason withheld\n" + path.substr(1) + " check failed",
          "text/plain; charset=utf-8");
      return;
    }
    if (path.rfind("/kubesim/v1/", 0) == 0) {
      ServeControl(req, res);
      return;
    }
    if (!cluster_->api_server().serving()) {
      // Discovery and /version are served by the same (stopped) process.
      api::Response down;
      down.code = 0;
      WriteApiResponse(res, down, HostPort());
      return;
    }
    if (path == "/version" || path == "/version/") {
      res.status = 200;
      res.set_content(VersionInfoJson(), kJson);
      return;
    }
    if (path == "/openapi/v2") {
      // An empty schema: kubectl's client-side validation accepts it and
      // leaves field validation to the server (kubectl-wire.md).
      res.status = 200;
      res.set_content("", "application/octet-stream");
      return;
    }
    const api::ResourceRegistry& registry = cluster_->api_server().registry();
    if (req.method == "GET") {
      if (auto doc = DiscoveryDocument(registry, path, HostPort())) {
        WriteJson(res, 200, *doc);
        return;
      }
      // Paths-only OpenAPI v3, for kubectl's fieldValidation check (openapi.h).
      if (auto doc = OpenApiV3Document(registry, path)) {
        WriteJson(res, 200, *doc);
        return;
      }
    }
    HttpInput in;
    in.method = req.method;
    in.path = path;
    for (const auto& [k, v] : req.params) in.params.emplace(k, v);
    in.content_type = req.get_header_value("Content-Type");
    in.accept = req.get_header_value("Accept");
    in.user_agent = req.get_header_value("User-Agent");
    // handlers/rest.go limitedReadBody: a body over the limit fails before
    // it is decoded, once the path is known to name a resource.
    const bool too_large = req.body.size() > kMaxRequestBodyBytes;
    if (!too_large) in.body = req.body;
    auto routed = RouteResourceRequest(registry, in);
    if (!routed || registry.Find(routed->request.gvr) == nullptr) {
      WriteNotFound(res, registry, path);
      return;
    }
    if (routed->error && routed->body_error && routed->request.verb == api::Verb::kPatch &&
        routed->request.content_type != api::kApplyPatch) {
      // handlers/patch.go applies a patch to the object it has read, so a
      // malformed patch of a missing object is that object's 404 (apply
      // patches create what is missing, and fail on the body either way).
      api::Request get = routed->request;
      get.verb = api::Verb::kGet;
      get.subresource.clear();
      get.body = api::Object();
      api::Response current;
      Drive(cluster_, pacer_, [&] { current = cluster_->api_server().Handle(get); });
      if (current.code == 404) routed->error = std::move(current);
    }
    if (routed->error) {
      WriteApiResponse(res, *routed->error, HostPort());
      return;
    }
    const api::Verb verb = routed->request.verb;
    if (too_large && verb != api::Verb::kGet && verb != api::Verb::kList &&
        verb != api::Verb::kWatch) {
      WriteJson(res, 413, RequestEntityTooLarge());
      return;
    }
    if (routed->request.verb == api::Verb::kWatch) {
      ServeWatch(req, routed->request, res);
      return;
    }
    api::Response r;
    Drive(cluster_, pacer_, [&] { r = cluster_->api_server().Handle(routed->request); });
    WriteApiResponse(res, r, HostPort());
  }

  void ServeWatch(const httplib::Request& req, const api::Request& request,
                  httplib::Response& res) {
    auto stream = watches_.Open(cluster_, pacer_, request);
    if (!stream.ok()) {
      api::Response err = api::FromStatus(stream.status());
      if (!cluster_->api_server().serving()) err.code = 0;
      WriteApiResponse(res, err, HostPort());
      return;
    }
    std::shared_ptr<WatchStream> w = *stream;
    w->set_peer_fd(FindConnectionFd(req.local_port, req.remote_port));
    res.status = 200;
    // "application/json;stream=watch" (the media type kube-apiserver's
    // OpenAPI gives watches) also keeps httplib from gzipping the stream,
    // which would hold events back in the compressor.
    res.set_chunked_content_provider(
        "application/json;stream=watch",
        [w](size_t, httplib::DataSink& sink) { return w->Pump(sink); },
        [this, w](bool) { watches_.Close(w); });
  }

  void ServeControl(const httplib::Request& req, httplib::Response& res);

  cluster::Cluster* const cluster_;
  WallClockPacer* const pacer_;
  const HttpServerOptions options_;
  WatchStreams watches_;
  // One listening socket and its httplib server.
  struct Listener {
    std::unique_ptr<httplib::Server> server;
    std::thread thread;
  };
  std::unique_ptr<Listener> NewListener(bool api) {
    auto l = std::make_unique<Listener>();
    l->server = std::make_unique<httplib::Server>();
    httplib::Server& srv = *l->server;
    // Watches hold a thread each for their lifetime: a pool that grows, so
    // hundreds of watches do not starve ordinary requests.
    srv.new_task_queue = [] {
      return new ConnectionPool(kMinConnectionThreads, kMaxConnectionThreads,
                                std::chrono::milliseconds(kIdleThreadTimeout));
    };
    srv.set_keep_alive_max_count(1000);
    // Go's net package sets TCP_NODELAY on every connection; without it a
    // response written in two parts (headers, body) waits for the client's
    // delayed ACK, ~40 ms per request on Linux.
    srv.set_tcp_nodelay(true);
    // Short, so closing the API port (a stopped kube-apiserver) does not
    // wait long for idle keep-alive connections.
    srv.set_keep_alive_timeout(1);
    srv.set_payload_max_length(kHttplibPayloadMax);
    // cpp-httplib's own 413 (a body past kHttplibPayloadMax) has no body.
    httplib::Server::HandlerWithResponse on_error = [](const httplib::Request&,
                                                       httplib::Response& res) {
      if (res.status != 413 || !res.body.empty()) {
        return httplib::Server::HandlerResponse::Unhandled;
      }
      res.set_content(Dump(RequestEntityTooLarge()), kJson);
      return httplib::Server::HandlerResponse::Handled;
    };
    srv.set_error_handler(std::move(on_error));
    httplib::Server::Handler handler;
    if (api) {
      handler = [this](const httplib::Request& req, httplib::Response& res) { Serve(req, res); };
    } else {
      handler = [this](const httplib::Request& req, httplib::Response& res) {
        if (req.path.rfind("/kubesim/v1/", 0) == 0) {
          ServeControl(req, res);
        } else {
          WriteJson(res, 404,
                    SimStatus(Status(StatusCode::kNotFound,
                                     "this port serves only kubesim's controls (/kubesim/v1/...)"),
                              ""));
        }
      };
    }
    srv.Get(".*", handler);
    srv.Post(".*", handler);
    srv.Put(".*", handler);
    srv.Patch(".*", handler);
    srv.Delete(".*", handler);
    return l;
  }
  // Binds `port` (0 = any); the bound port, or 0.
  int Bind(httplib::Server& srv, int port) {
    int bound = 0;
    if (port == 0) {
      int p = srv.bind_to_any_port(options_.address);
      bound = p < 0 ? 0 : p;
    } else {
      bound = srv.bind_to_port(options_.address, port) ? port : 0;
    }
    if (bound > 0) WidenListenBacklog(bound);
    return bound;
  }
  void StartListener(Listener& l) {
    httplib::Server* srv = l.server.get();
    l.thread = std::thread([srv] { srv->listen_after_bind(); });
  }
  void StopListener(std::unique_ptr<Listener>& l) {
    if (!l) return;
    l->server->stop();
    if (l->thread.joinable()) l->thread.join();
    l.reset();
  }

  // A stopped kube-apiserver refuses connections: while the API server is
  // not serving, the API port is closed (kubectl prints "The connection to
  // the server ... was refused"), and reopened when it serves again. The
  // control port stays open so the simulator can start it again.
  void Monitor() {
    std::unique_lock<std::mutex> lock(monitor_mu_);
    while (!quit_) {
      monitor_cv_.wait_for(lock, std::chrono::milliseconds(50));
      if (quit_) break;
      bool serving = cluster_->api_server().serving();
      if (!serving && api_) {
        StopListener(api_);
      } else if (serving && !api_) {
        auto l = NewListener(/*api=*/true);
        if (Bind(*l->server, port_) == port_) {  // else retry at the next tick
          StartListener(*l);
          api_ = std::move(l);
        }
      }
    }
  }

  std::unique_ptr<Listener> api_;      // owned by Listen, then the monitor thread
  std::unique_ptr<Listener> control_;  // set by Listen
  std::thread monitor_;
  std::mutex monitor_mu_;
  std::condition_variable monitor_cv_;
  bool quit_ = false;  // guarded by monitor_mu_
  int port_ = 0;
  int control_port_ = 0;
};

// /kubesim/v1: the simulator's own controls (SimulatorControl), not
// Kubernetes API calls. docs/kubectl.md lists them.
void HttpServerImpl::ServeControl(const httplib::Request& req, httplib::Response& res) {
  std::string rest = req.path.substr(std::string("/kubesim/v1/").size());
  std::vector<std::string> seg;
  for (size_t i = 0; i <= rest.size();) {
    size_t j = rest.find('/', i);
    if (j == std::string::npos) j = rest.size();
    if (j > i) seg.push_back(rest.substr(i, j - i));
    i = j + 1;
  }
  auto clock_doc = [&] {
    return Object{{"now", FormatRfc3339(cluster_->executor().Now())}, {"speed", options_.speed}};
  };
  if (seg.size() == 1 && seg[0] == "clock" && req.method == "GET") {
    Object doc;
    doc = clock_doc();
    WriteJson(res, 200, doc);
    return;
  }
  if (pacer_ == nullptr && req.method == "POST") {
    // `kubesim --serve`: the terminal session drives the simulation.
    WriteJson(res, 409,
              SimStatus(Status(StatusCode::kConflict,
                               "the interactive shell drives this simulation: use its commands "
                               "(sleep, node stop|start, stop|start COMPONENT)"),
                        ""));
    return;
  }
  if (seg.size() == 2 && seg[0] == "clock" && seg[1] == "advance" && req.method == "POST") {
    auto d = printers::ParseGoDuration(req.get_param_value("duration"));
    if (!d.ok() || *d < Duration::zero()) {
      WriteJson(res, 400,
                api::BadRequest("duration: want a Go duration such as 30s or 5m, got \"" +
                                req.get_param_value("duration") + "\"")
                    .body);
      return;
    }
    Object doc;
    pacer_->RunExclusive([&] {
      cluster_->executor().AdvanceBy(*d);
      doc = clock_doc();
    });
    WriteJson(res, 200, doc);
    return;
  }
  if (req.method != "POST" || seg.size() != 3) {
    WriteJson(res, 404,
              SimStatus(Status(StatusCode::kNotFound,
                               "no such kubesim control: " + req.method + " " + req.path),
                        ""));
    return;
  }
  const std::string& name = seg[1];
  const std::string& action = seg[2];
  Status st(StatusCode::kNotFound, "no such kubesim control: " + req.method + " " + req.path);
  if (seg[0] == "nodes") {
    pacer_->RunExclusive([&] {
      if (action == "stop") st = cluster_->StopNode(name);
      if (action == "start") st = cluster_->StartNode(name);
      if (action == "delete") st = cluster_->DeleteNode(name);
      if (action == "add") {
        kubelet::NodeConfig node;
        node.name = name;
        st = cluster_->AddNode(node);
      }
    });
  } else if (seg[0] == "components" && (action == "stop" || action == "start")) {
    pacer_->RunExclusive([&] {
      st = action == "stop" ? cluster_->StopComponent(name) : cluster_->StartComponent(name);
    });
  }
  Object body = SimStatus(st, seg[0].substr(0, seg[0].size() - 1) + " " + name + " " + action +
                                  (action == "stop"  ? "ped"
                                   : action == "add" ? "ed"
                                                     : "ed"));
  WriteJson(res, st.ok() ? 200 : api::FromStatus(st).code, body);
}

}  // namespace

StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(cluster::Cluster* cluster,
                                                        WallClockPacer* pacer,
                                                        const HttpServerOptions& options) {
  auto server = std::make_unique<HttpServerImpl>(cluster, pacer, options);
  Status st = server->Listen();
  if (!st.ok()) return st;
  return std::unique_ptr<HttpServer>(std::move(server));
}

std::string KubeconfigYaml(const std::string& server_url) {
  return "apiVersion: v1\n"
         "kind: Config\n"
         "clusters:\n"
         "- name: kubesim\n"
         "  cluster:\n"
         "    server: " +
         server_url +
         "\n"
         "contexts:\n"
         "- name: kubesim\n"
         "  context:\n"
         "    cluster: kubesim\n"
         "    user: kubesim\n"
         "    namespace: default\n"
         "current-context: kubesim\n"
         "users:\n"
         "- name: kubesim\n"
         "  user: {}\n";
}

}  // namespace kubesim::http
