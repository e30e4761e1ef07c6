// A bare API server (store, executor, built-in kinds, the `default`
// namespace) for tests that send Requests straight to ApiServer::Handle.
#ifndef KUBESIM_TESTS_API_SERVER_FIXTURE_H_
#define KUBESIM_TESTS_API_SERVER_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>

#include "kubesim/api/api_server.h"
#include "kubesim/api/gvr.h"
#include "kubesim/cluster/cluster.h"
#include "kubesim/store/store.h"

namespace kubesim::testing {

class ApiServerFixture : public ::testing::Test {
 protected:
  ApiServerFixture() {
    store_ = store::Store::CreateInMemory();
    executor_ = Executor::Create(cluster::ClusterConfig::DefaultStartTime());
    server_ = api::ApiServer::Create(store_.get(), executor_.get(), api::NewBuiltinRegistry(), {});
    api::Request r;
    r.verb = api::Verb::kCreate;
    r.gvr = api::kNamespaces;
    r.body = api::Object::parse(R"({"metadata":{"name":"default"}})");
    EXPECT_EQ(server_->Handle(r).code, 201);
  }
  ~ApiServerFixture() override { server_.reset(); }

  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Executor> executor_;
  std::unique_ptr<api::ApiServer> server_;
};

}  // namespace kubesim::testing

#endif  // KUBESIM_TESTS_API_SERVER_FIXTURE_H_
