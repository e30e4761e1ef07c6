// The HTTP API under load and abuse (issue 6): oversized and malformed
// bodies, unknown paths, hundreds of concurrent watches, concurrent writers,
// and BOOKMARK events on the wire. The server runs in process on a free
// loopback port, driven by a WallClockPacer as `kubesim serve` is; clients
// are cpp-httplib's and raw sockets. Waits are bounded polls, never timed
// assertions.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "kubesim/cluster/cluster.h"
#include "kubesim/http/http_server.h"
#include "kubesim/sim/wall_clock_pacer.h"

namespace kubesim::http {
namespace {

using nlohmann::json;

bool PollUntil(const std::function<bool()>& done, std::chrono::seconds bound) {
  auto end = std::chrono::steady_clock::now() + bound;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

size_t ThreadCount() {
  size_t n = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/self/task", ec);
       it != std::filesystem::directory_iterator(); ++it) {
    ++n;
  }
  return n;
}

// A served one-worker cluster without system pods.
class Served {
 public:
  Served() {
    cluster::ClusterConfig config = cluster::ClusterConfig::Default(1);
    config.system_pods = false;
    auto c = cluster::Cluster::Start(config);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    cluster_ = std::move(*c);
    pacer_ = std::make_unique<WallClockPacer>(&cluster_->executor(), 1.0);
    HttpServerOptions options;
    options.port = 0;
    options.control_port = 0;
    auto s = HttpServer::Start(cluster_.get(), pacer_.get(), options);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    server_ = std::move(*s);
  }
  ~Served() {
    server_.reset();
    pacer_.reset();
    cluster_.reset();
  }
  int port() const { return server_->port(); }
  std::unique_ptr<httplib::Client> Client() const {
    auto cli = std::make_unique<httplib::Client>("127.0.0.1", port());
    cli->set_read_timeout(30, 0);
    cli->set_write_timeout(30, 0);
    return cli;
  }
  // Moves the simulated clock as POST /kubesim/v1/clock/advance does.
  void Advance(Duration d) {
    pacer_->RunExclusive([&] { cluster_->executor().AdvanceBy(d); });
  }

 private:
  std::unique_ptr<cluster::Cluster> cluster_;
  std::unique_ptr<WallClockPacer> pacer_;
  std::unique_ptr<HttpServer> server_;
};

// One watch over a raw socket: the chunked stream decoded into lines.
class RawWatch {
 public:
  RawWatch(int port, const std::string& path) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      close(fd_);
      fd_ = -1;
      return;
    }
    std::string req =
        "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n";
    if (send(fd_, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) {
      close(fd_);
      fd_ = -1;
    }
  }
  ~RawWatch() { Close(); }
  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }
  bool connected() const { return fd_ >= 0; }

  // Reads whatever is there, waiting at most `wait` for the first byte.
  void Read(std::chrono::milliseconds wait) {
    if (fd_ < 0) return;
    pollfd p{fd_, POLLIN, 0};
    int timeout = static_cast<int>(wait.count());
    while (poll(&p, 1, timeout) > 0) {
      char buf[65536];
      ssize_t n = recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) break;
      raw_.append(buf, static_cast<size_t>(n));
      timeout = 0;
    }
    Decode();
  }
  bool status_ok() const { return raw_.rfind("HTTP/1.1 200", 0) == 0; }
  const std::vector<std::string>& lines() const { return lines_; }
  // Reads until a line contains `needle`; false after `bound`.
  bool WaitFor(const std::string& needle, std::chrono::seconds bound) {
    return PollUntil(
        [&] {
          Read(std::chrono::milliseconds(100));
          for (const auto& l : lines_) {
            if (l.find(needle) != std::string::npos) return true;
          }
          return false;
        },
        bound);
  }

 private:
  // Chunked transfer coding: "<hex size>\r\n<data>\r\n"..., after headers.
  void Decode() {
    if (!in_body_) {
      size_t end = raw_.find("\r\n\r\n");
      if (end == std::string::npos) return;
      in_body_ = true;
      pos_ = end + 4;
    }
    for (;;) {
      size_t eol = raw_.find("\r\n", pos_);
      if (eol == std::string::npos) return;
      size_t size = std::stoul(raw_.substr(pos_, eol - pos_), nullptr, 16);
      if (raw_.size() < eol + 2 + size + 2) return;
      body_ += raw_.substr(eol + 2, size);
      pos_ = eol + 2 + size + 2;
      for (size_t nl; (nl = body_.find('\n')) != std::string::npos;) {
        lines_.push_back(body_.substr(0, nl));
        body_.erase(0, nl + 1);
      }
      if (size == 0) return;
    }
  }

  int fd_ = -1;
  std::string raw_;
  bool in_body_ = false;
  size_t pos_ = 0;
  std::string body_;
  std::vector<std::string> lines_;
};

// Sends `request` on a new connection and reads the answer until the
// server closes it.
std::string RawExchange(int port, const std::string& request) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size())) {
    pollfd p{fd, POLLIN, 0};
    while (poll(&p, 1, 10000) > 0) {
      char buf[4096];
      ssize_t n = recv(fd, buf, sizeof(buf), 0);
      if (n <= 0) break;
      answer.append(buf, static_cast<size_t>(n));
    }
  }
  close(fd);
  return answer;
}

json PodJson(const std::string& name, const std::string& label = "yes") {
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata", {{"name", name}, {"labels", {{"load", label}}}}},
          {"spec", {{"containers", {{{"name", "c"}, {"image", "nginx"}}}}}}};
}

json ServiceJson(const std::string& name) {
  return {{"apiVersion", "v1"},
          {"kind", "Service"},
          {"metadata", {{"name", name}}},
          {"spec", {{"ports", {{{"port", 80}}}}}}};
}

TEST(HttpLoadTest, OversizedBodiesAre413AsKubeApiserverSays) {
  Served s;
  auto cli = s.Client();
  const json too_large = json::parse(R"({"kind":"Status","apiVersion":"v1","metadata":{},
      "status":"Failure","message":"Request entity too large: limit is 3145728",
      "reason":"RequestEntityTooLarge","code":413})");
  // One byte over 3 MiB, on each verb that reads a body.
  std::string big = json{{"apiVersion", "v1"}, {"kind", "Pod"}}.dump();
  big.insert(1, std::string(3 * 1024 * 1024 + 1 - big.size(), ' '));
  ASSERT_EQ(big.size(), 3u * 1024 * 1024 + 1);
  const std::string pods = "/api/v1/namespaces/default/pods";
  std::vector<httplib::Result> results;
  results.push_back(cli->Post(pods.c_str(), big, "application/json"));
  results.push_back(cli->Put((pods + "/x").c_str(), big, "application/json"));
  results.push_back(cli->Patch((pods + "/x").c_str(), big, "application/merge-patch+json"));
  results.push_back(cli->Delete((pods + "/x").c_str(), big, "application/json"));
  for (auto& r : results) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_EQ(json::parse(r->body), too_large) << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  }
  // Past what the HTTP layer reads at all (64 MiB) the answer is the same.
  std::string huge(65u << 20, ' ');
  auto r = cli->Post(pods.c_str(), huge, "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(json::parse(r->body), too_large) << r->body;
  // Exactly 3 MiB is read and decoded; a GET's body is never read; an
  // unknown path is 404 whatever the body.
  std::string fits = big.substr(1);
  r = cli->Post(pods.c_str(), fits, "application/json");
  ASSERT_TRUE(r);
  EXPECT_NE(r->status, 413) << r->body;
  r = cli->Post("/api/v1/namespaces/default/widgets", big, "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  // Nothing was written, and the server still serves.
  r = cli->Get(pods.c_str());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["items"].size(), 0u) << r->body;
}

// Each malformed body, per verb and content type, and unknown paths: the
// status code, Content-Type and body kube-apiserver 1.32 answers.
TEST(HttpLoadTest, MalformedBodiesAndUnknownPathsGetKubeApiserversAnswers) {
  Served s;
  auto cli = s.Client();
  auto created =
      cli->Post("/api/v1/namespaces/default/pods", PodJson("web").dump(), "application/json");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  const std::string pods = "/api/v1/namespaces/default/pods";
  const std::string web = pods + "/web";
  auto status = [](int code, const std::string& reason, const std::string& message) {
    json st = {{"kind", "Status"},    {"apiVersion", "v1"}, {"metadata", json::object()},
               {"status", "Failure"}, {"message", message}, {"code", code}};
    if (!reason.empty()) st["reason"] = reason;
    return st.dump();
  };
  auto bad = [&](const std::string& message) { return status(400, "BadRequest", message); };
  auto unrecognized = [&](const std::string& error, const std::string& summary) {
    return bad("the object provided is unrecognized (must be of type Pod): " + error + " (" +
               summary + ")");
  };
  const std::string parse = "couldn't get version/kind; json parse error: ";
  const std::string not_found =
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404})";
  struct Row {
    std::string method, path, content_type, body;
    int code;
    std::string want;  // JSON compared as JSON, else text
  };
  const std::vector<Row> rows = {
      // create: Go's json scanner errors, with summarizeData's (30 bytes).
      {"POST", pods, "application/json", "{bad", 400,
       unrecognized(parse + "invalid character 'b' looking for beginning of object key string",
                    "{bad")},
      {"POST", pods, "application/json", R"({"apiVersion":"v1","kind":"Pod",)", 400,
       unrecognized(parse + "unexpected end of JSON input",
                    R"({"apiVersion":"v1","kind":"Pod ...)")},
      {"POST", pods, "application/json", "not json", 400,
       unrecognized(parse + "invalid character 'o' in literal null (expecting 'u')",
                    "6e6f74206a736f6e")},
      {"POST", pods, "application/json", R"({"metadata":{"name":"x"}}})", 400,
       unrecognized(parse + "invalid character '}' after top-level value",
                    R"({"metadata":{"name":"x"}}})")},
      {"POST", pods, "application/json", "[1,2]", 400,
       unrecognized(parse +
                        "json: cannot unmarshal array into Go value of type struct { APIVersion "
                        "string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string "
                        "\"json:\\\"kind,omitempty\\\"\" }",
                    "5b312c325d")},
      {"POST", pods, "application/yaml", "kind: Pod\nmetadata: name: x\n", 400,
       unrecognized("error converting YAML to JSON: yaml: line 2: mapping values are not allowed "
                    "in this context",
                    "6b696e643a20506f640a6d657461646174613a206e616d653a20780a")},
      {"POST", pods, "text/plain", "{}", 415,
       status(415, "UnsupportedMediaType",
              "the body of the request was in an unknown format - accepted media types include: "
              "application/json, application/yaml, application/vnd.kubernetes.protobuf")},
      // update
      {"PUT", web, "application/json", R"({"metadata":)", 400,
       unrecognized(parse + "unexpected end of JSON input", R"({"metadata":)")},
      {"PUT", web, "application/json", R"({"metadata":{"name":"web",}})", 400,
       unrecognized(parse + "invalid character '}' looking for beginning of object key string",
                    R"({"metadata":{"name":"web",}})")},
      // patch, per patch type
      {"PATCH", web, "application/merge-patch+json", "{bad", 400, bad("Invalid JSON Patch")},
      // The object is read before the patch is decoded: a missing one is 404.
      {"PATCH", pods + "/nope", "application/merge-patch+json", "{bad", 404,
       R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"nope\" not found","reason":"NotFound","details":{"name":"nope","kind":"pods"},"code":404})"},
      {"PATCH", web, "application/strategic-merge-patch+json", R"({"metadata":{"labels":{"a":1}})",
       400, bad("unexpected end of JSON input")},
      {"PATCH", web, "application/json-patch+json", R"([{"op":"add",}])", 400,
       bad("invalid character '}' looking for beginning of object key string")},
      {"PATCH", web + "?fieldManager=t", "application/apply-patch+yaml", "a: b: c\n", 400,
       bad("error decoding YAML: error converting YAML to JSON: yaml: line 1: mapping values are "
           "not allowed in this context")},
      {"PATCH", web, "application/json", "{}", 415,
       status(415, "UnsupportedMediaType",
              "the body of the request was in an unknown format - accepted media types include: "
              "application/json-patch+json, application/merge-patch+json, "
              "application/strategic-merge-patch+json, application/apply-patch+yaml")},
      // delete: DeleteOptions that do not decode are a plain error, 500.
      {"DELETE", web, "application/json", "{bad", 500,
       status(500, "", parse + "invalid character 'b' looking for beginning of object key string")},
      // unknown paths
      {"GET", "/api/v1/namespaces/default/widgets", "", "", 404, not_found},
      {"POST", "/api/v1/namespaces/default/widgets", "application/json", "{bad", 404, not_found},
      {"GET", "/apis/apps/v1/widgets", "", "", 404, not_found},
      {"GET", "/apis/nosuch.io/v1/things", "", "", 404, "404 page not found\n"},
      {"GET", "/foo", "", "", 404, "404 page not found\n"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.method + " " + row.path + " [" + row.content_type + "] " + row.body);
    httplib::Headers headers;
    if (!row.content_type.empty()) headers.emplace("Content-Type", row.content_type);
    httplib::Request req;
    req.method = row.method;
    req.path = row.path;
    req.headers = headers;
    req.body = row.body;
    auto r = cli->send(req);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, row.code);
    if (row.want.front() == '{') {
      EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
      EXPECT_EQ(json::parse(r->body), json::parse(row.want)) << r->body;
    } else {
      EXPECT_EQ(r->get_header_value("Content-Type"), "text/plain; charset=utf-8");
      EXPECT_EQ(r->body, row.want);
    }
  }
  // None of it changed the pod (the scheduler and kubelet do): no patch
  // reached it and it is not being deleted.
  auto r = cli->Get(web.c_str());
  ASSERT_TRUE(r);
  json pod = json::parse(r->body);
  EXPECT_EQ(pod["metadata"]["labels"], json({{"load", "yes"}})) << r->body;
  EXPECT_FALSE(pod["metadata"].contains("deletionTimestamp")) << r->body;
  // A body without Content-Type is JSON (NegotiateInputSerializer takes the
  // first supported type); cpp-httplib's client would add text/plain, so
  // this one goes over a raw socket.
  const std::string body = "{bad";
  std::string answer = RawExchange(s.port(), "POST " + pods +
                                                 " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                 "Connection: close\r\nContent-Length: " +
                                                 std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(answer.rfind("HTTP/1.1 400 ", 0), 0u) << answer;
  size_t at = answer.find("\r\n\r\n");
  ASSERT_NE(at, std::string::npos) << answer;
  EXPECT_EQ(
      json::parse(answer.substr(at + 4)),
      json::parse(unrecognized(
          parse + "invalid character 'b' looking for beginning of object key string", "{bad")));
}

TEST(HttpLoadTest, BookmarksOnTheWireOnlyWhenAsked) {
  Served s;
  RawWatch with(s.port(), "/api/v1/namespaces/default/pods?watch=true&allowWatchBookmarks=true");
  RawWatch without(s.port(), "/api/v1/namespaces/default/pods?watch=true");
  ASSERT_TRUE(with.connected() && without.connected());
  ASSERT_TRUE(PollUntil(
      [&] {
        with.Read(std::chrono::milliseconds(50));
        without.Read(std::chrono::milliseconds(50));
        return with.status_ok() && without.status_ok();
      },
      std::chrono::seconds(20)));
  // A pod in another namespace moves the pods cache without an event here.
  auto cli = s.Client();
  auto r = cli->Post("/api/v1/namespaces/kube-system/pods", PodJson("elsewhere").dump(),
                     "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  // The scheduler and kubelet go on writing that pod for a while: the
  // bookmark carries the last pods revision before it (one minute after the
  // watch opened), the highest of the pods' own.
  s.Advance(std::chrono::seconds(59));
  r = cli->Get("/api/v1/pods");
  ASSERT_TRUE(r);
  int64_t last = 0;
  const json pod_list = json::parse(r->body);
  for (const auto& pod : pod_list["items"]) {
    last =
        std::max<int64_t>(last, std::stoll(pod["metadata"]["resourceVersion"].get<std::string>()));
  }
  std::string rv = std::to_string(last);
  with.Read(std::chrono::milliseconds(100));
  EXPECT_TRUE(with.lines().empty()) << with.lines().at(0);
  s.Advance(std::chrono::seconds(2));
  ASSERT_TRUE(with.WaitFor("BOOKMARK", std::chrono::seconds(20)));
  // kube-apiserver 1.32's bookmark: the zero Pod with only resourceVersion set.
  EXPECT_EQ(json::parse(with.lines().at(0)),
            json::parse(R"({"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1",
                "metadata":{"resourceVersion":")" +
                        rv + R"(","creationTimestamp":null},"spec":{"containers":null},
                "status":{}}})"))
      << with.lines().at(0);
  // The other watch is alive (it sees the next pod) but got no bookmark.
  r = cli->Post("/api/v1/namespaces/default/pods", PodJson("here").dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_TRUE(without.WaitFor("\"here\"", std::chrono::seconds(20)));
  for (const auto& l : without.lines()) EXPECT_EQ(l.find("BOOKMARK"), std::string::npos) << l;
}

TEST(HttpLoadTest, FiveHundredWatchesStayOpenWhileRequestsAreServed) {
  Served s;
  const size_t baseline = ThreadCount();
  constexpr int kWatches = 500;
  std::vector<std::unique_ptr<RawWatch>> watches;
  for (int i = 0; i < kWatches; ++i) {
    watches.push_back(
        std::make_unique<RawWatch>(s.port(), "/api/v1/namespaces/default/pods?watch=true"));
    ASSERT_TRUE(watches.back()->connected()) << i;
  }
  ASSERT_TRUE(PollUntil(
      [&] {
        for (auto& w : watches) {
          if (!w->status_ok()) w->Read(std::chrono::milliseconds(0));
          if (!w->status_ok()) return false;
        }
        return true;
      },
      std::chrono::seconds(120)));
  // Every watch holds a connection thread, and ordinary requests are still
  // answered beside them.
  // (The pool's 8 idle threads took the first watches.)
  EXPECT_GE(ThreadCount(), baseline + kWatches - 8);
  auto cli = s.Client();
  for (int i = 0; i < 20; ++i) {
    auto r = cli->Get("/api/v1/nodes");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  auto r =
      cli->Post("/api/v1/namespaces/default/pods", PodJson("probe").dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  // Each of the 500 streams carries the new pod.
  int saw = 0;
  for (auto& w : watches) {
    if (w->WaitFor("\"probe\"", std::chrono::seconds(30))) ++saw;
  }
  EXPECT_EQ(saw, kWatches);
  // Closing them gives the threads back (idle ones above the minimum leave
  // after 5 s) and the server goes on serving.
  watches.clear();
  EXPECT_TRUE(PollUntil([&] { return ThreadCount() < baseline + 50; }, std::chrono::seconds(60)))
      << ThreadCount() << " threads, " << baseline << " before the watches";
  r = cli->Get("/api/v1/nodes");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST(HttpLoadTest, ConcurrentWritersLoseNothingAndConflictsAre409) {
  Served s;
  {
    auto cli = s.Client();
    auto r = cli->Post("/api/v1/namespaces",
                       R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"counter"}})",
                       "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
  }
  const json conflict = json::parse(R"({"kind":"Status","apiVersion":"v1","metadata":{},
      "status":"Failure","message":"Operation cannot be fulfilled on namespaces \"counter\": the object has been modified; please apply your changes to the latest version and try again",
      "reason":"Conflict","details":{"name":"counter","kind":"namespaces"},"code":409})");
  constexpr int kThreads = 8;
  constexpr int kRounds = 25;
  std::atomic<int> increments{0}, conflicts{0}, failures{0};
  std::vector<std::string> problems[kThreads];
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto cli = s.Client();
      auto fail = [&](const std::string& what, const httplib::Result& r) {
        ++failures;
        problems[t].push_back(what + ": " +
                              (r ? std::to_string(r->status) + " " + r->body : "no response"));
      };
      for (int i = 0; i < kRounds; ++i) {
        std::string id = std::to_string(t) + "-" + std::to_string(i);
        auto r = cli->Post("/api/v1/namespaces/default/pods", PodJson("p-" + id).dump(),
                           "application/json");
        if (!r || r->status != 201) fail("create pod " + id, r);
        r = cli->Get(("/api/v1/namespaces/default/pods/p-" + id).c_str());
        if (!r || r->status != 200) fail("get pod " + id, r);
        r = cli->Post("/api/v1/namespaces/default/services", ServiceJson("s-" + id).dump(),
                      "application/json");
        if (!r || r->status != 201) fail("create service " + id, r);
        // Read-modify-write of one shared object: stale writes must be 409s.
        for (;;) {
          r = cli->Get("/api/v1/namespaces/counter");
          if (!r || r->status != 200) {
            fail("get counter", r);
            break;
          }
          json ns = json::parse(r->body);
          int n = std::stoi(ns["metadata"].value("annotations", json::object()).value("n", "0"));
          ns["metadata"]["annotations"]["n"] = std::to_string(n + 1);
          r = cli->Put("/api/v1/namespaces/counter", ns.dump(), "application/json");
          if (r && r->status == 200) {
            ++increments;
            break;
          }
          if (r && r->status == 409 && json::parse(r->body) == conflict) {
            ++conflicts;
            continue;
          }
          fail("put counter", r);
          break;
        }
        if (i % 2 == 1) {
          r = cli->Delete(("/api/v1/namespaces/default/services/s-" + id).c_str());
          if (!r || r->status != 200) fail("delete service " + id, r);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& p : problems) {
    for (const auto& line : p) ADD_FAILURE() << line;
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(increments.load(), kThreads * kRounds);

  // Every acknowledged write is there, every acknowledged delete is gone.
  auto cli = s.Client();
  auto r = cli->Get("/api/v1/namespaces/counter");
  ASSERT_TRUE(r);
  EXPECT_EQ(json::parse(r->body)["metadata"]["annotations"]["n"],
            std::to_string(kThreads * kRounds));
  r = cli->Get("/api/v1/namespaces/default/pods?labelSelector=load%3Dyes");
  ASSERT_TRUE(r);
  std::set<std::string> pods, services, want_pods, want_services;
  const json pod_list = json::parse(r->body);
  for (const auto& item : pod_list["items"])
    pods.insert(item["metadata"]["name"].get<std::string>());
  r = cli->Get("/api/v1/namespaces/default/services");
  ASSERT_TRUE(r);
  const json service_list = json::parse(r->body);
  for (const auto& item : service_list["items"]) {
    services.insert(item["metadata"]["name"].get<std::string>());
  }
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kRounds; ++i) {
      std::string id = std::to_string(t) + "-" + std::to_string(i);
      want_pods.insert("p-" + id);
      if (i % 2 == 0) want_services.insert("s-" + id);
    }
  }
  EXPECT_EQ(pods, want_pods);
  services.erase("kubernetes");
  EXPECT_EQ(services, want_services);
  RecordProperty("conflicts", conflicts.load());
}

}  // namespace
}  // namespace kubesim::http
