#include "kubesim/store/store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace kubesim::store {
namespace {

using std::chrono::milliseconds;

// Safety net for WaitAndPoll: tests end when all events are seen, not by time.
constexpr milliseconds kWaitTimeout{5000};
constexpr char kCompactedMessage[] = "mvcc: required revision has been compacted";

Revision MustPut(Store& s, const std::string& key, const std::string& value) {
  StatusOr<Revision> rev = s.Put(key, value);
  EXPECT_TRUE(rev.ok()) << rev.status().ToString();
  return rev.ok() ? *rev : 0;
}

std::unique_ptr<Watch> MustWatch(Store& s, const std::string& prefix, Revision start) {
  StatusOr<std::unique_ptr<Watch>> w = s.Watch(prefix, start);
  EXPECT_TRUE(w.ok()) << w.status().ToString();
  return w.ok() ? std::move(w).value() : nullptr;
}

std::vector<Event> MustPoll(Watch& w) {
  std::vector<Event> events;
  Status s = w.Poll(&events);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return events;
}

TEST(StoreTest, RevisionStartsAtOneAndBumpsOncePerWrite) {
  auto s = Store::CreateInMemory();
  EXPECT_EQ(s->CurrentRevision(), 1);
  EXPECT_EQ(MustPut(*s, "/a", "1"), 2);
  EXPECT_EQ(MustPut(*s, "/b", "1"), 3);
  EXPECT_EQ(*s->Delete("/a"), 4);
  EXPECT_EQ(s->CurrentRevision(), 4);

  // A failed delete writes nothing.
  EXPECT_EQ(s->Delete("/a").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(s->CurrentRevision(), 4);

  // A transaction touching three keys is one revision.
  StatusOr<TxnResult> txn = s->Txn(
      {},
      {{Op::Type::kPut, "/x", "1"}, {Op::Type::kPut, "/y", "1"}, {Op::Type::kDelete, "/b", ""}});
  ASSERT_TRUE(txn.ok());
  EXPECT_TRUE(txn->succeeded);
  EXPECT_EQ(txn->revision, 5);
  EXPECT_EQ(s->CurrentRevision(), 5);
  EXPECT_EQ(s->Get("/x")->mod_revision, 5);
  EXPECT_EQ(s->Get("/y")->mod_revision, 5);

  // A failed compare with no else-ops does not bump.
  txn = s->Txn({{"/x", 99}}, {{Op::Type::kPut, "/x", "2"}});
  ASSERT_TRUE(txn.ok());
  EXPECT_FALSE(txn->succeeded);
  EXPECT_EQ(txn->revision, 5);
  EXPECT_EQ(s->CurrentRevision(), 5);

  // Nor does a branch that only deletes absent keys.
  txn = s->Txn({}, {{Op::Type::kDelete, "/absent", ""}});
  ASSERT_TRUE(txn.ok());
  EXPECT_EQ(s->CurrentRevision(), 5);

  // A failed compare whose else-branch writes bumps once.
  txn = s->Txn({{"/x", 99}}, {}, {{Op::Type::kPut, "/z", "1"}});
  ASSERT_TRUE(txn.ok());
  EXPECT_FALSE(txn->succeeded);
  EXPECT_EQ(txn->revision, 6);
}

TEST(StoreTest, KeyRevisionsAndVersionAcrossLives) {
  auto s = Store::CreateInMemory();
  MustPut(*s, "/k", "v1");  // rev 2
  KeyValue kv = *s->Get("/k");
  EXPECT_EQ(kv.value, "v1");
  EXPECT_EQ(kv.create_revision, 2);
  EXPECT_EQ(kv.mod_revision, 2);
  EXPECT_EQ(kv.version, 1);

  MustPut(*s, "/other", "x");  // rev 3
  MustPut(*s, "/k", "v2");     // rev 4
  kv = *s->Get("/k");
  EXPECT_EQ(kv.value, "v2");
  EXPECT_EQ(kv.create_revision, 2);
  EXPECT_EQ(kv.mod_revision, 4);
  EXPECT_EQ(kv.version, 2);

  EXPECT_EQ(*s->Delete("/k"), 5);
  EXPECT_EQ(s->Get("/k").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(s->Delete("/k").status().code(), StatusCode::kNotFound);

  MustPut(*s, "/k", "v3");  // rev 6: a new life
  kv = *s->Get("/k");
  EXPECT_EQ(kv.value, "v3");
  EXPECT_EQ(kv.create_revision, 6);
  EXPECT_EQ(kv.mod_revision, 6);
  EXPECT_EQ(kv.version, 1);
}

TEST(StoreTest, ReadsAtOlderRevisions) {
  auto s = Store::CreateInMemory();
  MustPut(*s, "/k", "v1");            // 2
  MustPut(*s, "/k", "v2");            // 3
  ASSERT_TRUE(s->Delete("/k").ok());  // 4
  MustPut(*s, "/k", "v3");            // 5

  EXPECT_EQ(s->Get("/k", 1).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(s->Get("/k", 2)->value, "v1");
  EXPECT_EQ(s->Get("/k", 3)->value, "v2");
  EXPECT_EQ(s->Get("/k", 3)->version, 2);
  EXPECT_EQ(s->Get("/k", 4).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(s->Get("/k", 5)->value, "v3");
  EXPECT_EQ(s->Get("/k", 5)->create_revision, 5);

  StatusOr<RangeResult> r = s->Range("/", 3);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->revision, 3);
  ASSERT_EQ(r->kvs.size(), 1u);
  EXPECT_EQ(r->kvs[0].value, "v2");
  EXPECT_TRUE(s->Range("/", 4)->kvs.empty());

  StatusOr<KeyValue> future = s->Get("/k", 6);
  EXPECT_EQ(future.status().code(), StatusCode::kBadRequest);
  EXPECT_EQ(future.status().message(), "mvcc: required revision is a future revision");
  EXPECT_EQ(s->Range("/", 6).status().code(), StatusCode::kBadRequest);
}

TEST(StoreTest, RangePrefixSortedWithLimit) {
  auto s = Store::CreateInMemory();
  MustPut(*s, "/registry/pods/ns/c", "c");
  MustPut(*s, "/registry/pods/ns/a", "a");
  MustPut(*s, "/registry/pods/other/x", "x");
  MustPut(*s, "/registry/pods/ns/b", "b");
  MustPut(*s, "/registry/podsx/ns/z", "z");
  MustPut(*s, "/registry/minions/n1", "n");
  ASSERT_TRUE(s->Delete("/registry/pods/ns/b").ok());

  StatusOr<RangeResult> r = s->Range("/registry/pods/ns/");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->revision, s->CurrentRevision());
  ASSERT_EQ(r->kvs.size(), 2u);
  EXPECT_EQ(r->kvs[0].key, "/registry/pods/ns/a");
  EXPECT_EQ(r->kvs[1].key, "/registry/pods/ns/c");

  r = s->Range("/registry/pods/");
  ASSERT_TRUE(r.ok());
  std::vector<std::string> keys;
  for (const KeyValue& kv : r->kvs) keys.push_back(kv.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"/registry/pods/ns/a", "/registry/pods/ns/c",
                                            "/registry/pods/other/x"}));

  r = s->Range("/registry/pods/", 0, 2);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->kvs.size(), 2u);
  EXPECT_EQ(r->kvs[1].key, "/registry/pods/ns/c");

  EXPECT_TRUE(s->Range("/nothing/")->kvs.empty());
  EXPECT_EQ(s->Range("")->kvs.size(), 5u);
}

TEST(StoreTest, TxnCreateIfAbsentAndUpdateIfUnchanged) {
  auto s = Store::CreateInMemory();
  // Create: mod_revision 0 means "absent".
  StatusOr<TxnResult> txn = s->Txn({{"/k", 0}}, {{Op::Type::kPut, "/k", "v1"}});
  ASSERT_TRUE(txn.ok());
  EXPECT_TRUE(txn->succeeded);
  EXPECT_TRUE(txn->current.empty());
  const Revision created = txn->revision;
  EXPECT_EQ(created, 2);

  // A second create fails and reports the existing object.
  txn = s->Txn({{"/k", 0}}, {{Op::Type::kPut, "/k", "other"}});
  ASSERT_TRUE(txn.ok());
  EXPECT_FALSE(txn->succeeded);
  ASSERT_EQ(txn->current.size(), 1u);
  EXPECT_EQ(txn->current[0].key, "/k");
  EXPECT_EQ(txn->current[0].value, "v1");
  EXPECT_EQ(txn->current[0].mod_revision, created);
  EXPECT_EQ(s->Get("/k")->value, "v1");

  // Update with the revision we read succeeds.
  txn = s->Txn({{"/k", created}}, {{Op::Type::kPut, "/k", "v2"}});
  ASSERT_TRUE(txn.ok());
  EXPECT_TRUE(txn->succeeded);
  EXPECT_EQ(s->Get("/k")->version, 2);

  // A stale update is a conflict that reports the current state.
  txn = s->Txn({{"/k", created}}, {{Op::Type::kPut, "/k", "stale"}});
  ASSERT_TRUE(txn.ok());
  EXPECT_FALSE(txn->succeeded);
  ASSERT_EQ(txn->current.size(), 1u);
  EXPECT_EQ(txn->current[0].value, "v2");
  EXPECT_EQ(txn->current[0].mod_revision, 3);
  EXPECT_EQ(s->Get("/k")->value, "v2");

  // Updating an absent key: current reports mod_revision 0.
  txn = s->Txn({{"/gone", 7}}, {{Op::Type::kPut, "/gone", "x"}});
  ASSERT_TRUE(txn.ok());
  EXPECT_FALSE(txn->succeeded);
  ASSERT_EQ(txn->current.size(), 1u);
  EXPECT_EQ(txn->current[0].key, "/gone");
  EXPECT_EQ(txn->current[0].mod_revision, 0);

  // Delete-if-unchanged.
  txn = s->Txn({{"/k", 3}}, {{Op::Type::kDelete, "/k", ""}});
  ASSERT_TRUE(txn.ok());
  EXPECT_TRUE(txn->succeeded);
  EXPECT_EQ(s->Get("/k").status().code(), StatusCode::kNotFound);

  // One branch may not write a key twice.
  EXPECT_EQ(s->Txn({}, {{Op::Type::kPut, "/d", "1"}, {Op::Type::kPut, "/d", "2"}}).status().code(),
            StatusCode::kBadRequest);
}

TEST(StoreTest, WatchFromRevisionReplaysHistoryThenLive) {
  auto s = Store::CreateInMemory();
  MustPut(*s, "/k", "v1");            // 2
  MustPut(*s, "/k", "v2");            // 3
  ASSERT_TRUE(s->Delete("/k").ok());  // 4

  auto w = MustWatch(*s, "/", 3);
  std::vector<Event> events = MustPoll(*w);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, Event::Type::kPut);
  EXPECT_EQ(events[0].revision(), 3);
  EXPECT_EQ(events[0].kv.value, "v2");
  EXPECT_EQ(events[0].kv.version, 2);
  ASSERT_TRUE(events[0].has_prev);
  EXPECT_EQ(events[0].prev.value, "v1");
  EXPECT_EQ(events[0].prev.mod_revision, 2);

  EXPECT_EQ(events[1].type, Event::Type::kDelete);
  EXPECT_EQ(events[1].revision(), 4);
  EXPECT_EQ(events[1].kv.key, "/k");
  EXPECT_EQ(events[1].kv.value, "v2");
  EXPECT_EQ(events[1].kv.create_revision, 2);
  EXPECT_EQ(events[1].kv.version, 2);
  ASSERT_TRUE(events[1].has_prev);
  EXPECT_EQ(events[1].prev.mod_revision, 3);

  EXPECT_TRUE(MustPoll(*w).empty());

  // Live: a re-create has no prev; a txn's events share its revision.
  MustPut(*s, "/k", "v3");                                                                   // 5
  ASSERT_TRUE(s->Txn({}, {{Op::Type::kPut, "/a", "1"}, {Op::Type::kPut, "/b", "1"}}).ok());  // 6
  events.clear();
  while (events.size() < 3) ASSERT_TRUE(w->WaitAndPoll(&events, kWaitTimeout).ok());
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].revision(), 5);
  EXPECT_FALSE(events[0].has_prev);
  EXPECT_EQ(events[0].kv.version, 1);
  EXPECT_EQ(events[1].revision(), 6);
  EXPECT_EQ(events[2].revision(), 6);
  EXPECT_EQ(events[1].kv.key, "/a");
  EXPECT_EQ(events[2].kv.key, "/b");

  // The whole history from the first revision.
  auto all = MustWatch(*s, "/", 1);
  events = MustPoll(*all);
  ASSERT_EQ(events.size(), 6u);
  for (size_t i = 1; i < events.size(); ++i) {
    EXPECT_LE(events[i - 1].revision(), events[i].revision());
  }
}

TEST(StoreTest, WatchFromZeroSeesOnlyLaterWrites) {
  auto s = Store::CreateInMemory();
  MustPut(*s, "/k", "old");
  auto w = MustWatch(*s, "/", 0);
  EXPECT_TRUE(MustPoll(*w).empty());
  const Revision rev = MustPut(*s, "/k", "new");
  std::vector<Event> events = MustPoll(*w);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].revision(), rev);
  EXPECT_EQ(events[0].kv.value, "new");
  EXPECT_EQ(events[0].prev.value, "old");

  // A start revision in the future waits for that revision.
  auto later = MustWatch(*s, "/", rev + 2);
  MustPut(*s, "/k", "skipped");
  EXPECT_TRUE(MustPoll(*later).empty());
  MustPut(*s, "/k", "seen");
  events = MustPoll(*later);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kv.value, "seen");
}

TEST(StoreTest, WatchFiltersByPrefix) {
  auto s = Store::CreateInMemory();
  auto w = MustWatch(*s, "/registry/pods/", 0);
  MustPut(*s, "/registry/pods/ns/a", "a");
  MustPut(*s, "/registry/minions/n1", "n");
  MustPut(*s, "/registry/podsx/z", "z");
  MustPut(*s, "/registry/pods/ns/b", "b");
  std::vector<Event> events = MustPoll(*w);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kv.key, "/registry/pods/ns/a");
  EXPECT_EQ(events[1].kv.key, "/registry/pods/ns/b");

  // WaitAndPoll is not woken for good by writes outside the prefix.
  MustPut(*s, "/registry/minions/n2", "n");
  std::vector<Event> none;
  ASSERT_TRUE(w->WaitAndPoll(&none, milliseconds(1)).ok());
  EXPECT_TRUE(none.empty());
}

TEST(StoreTest, CompactionMakesOlderRevisionsGone) {
  auto s = Store::CreateInMemory();
  MustPut(*s, "/k", "v1");            // 2
  MustPut(*s, "/k", "v2");            // 3
  MustPut(*s, "/d", "x");             // 4
  ASSERT_TRUE(s->Delete("/d").ok());  // 5
  MustPut(*s, "/k", "v3");            // 6

  ASSERT_TRUE(s->Compact(4).ok());
  EXPECT_EQ(s->CompactedRevision(), 4);
  for (Revision rev : {1, 2, 3}) {
    StatusOr<KeyValue> kv = s->Get("/k", rev);
    EXPECT_EQ(kv.status().code(), StatusCode::kGone) << rev;
    EXPECT_EQ(kv.status().message(), kCompactedMessage);
    EXPECT_EQ(s->Range("/", rev).status().code(), StatusCode::kGone);
    StatusOr<std::unique_ptr<Watch>> w = s->Watch("/", rev);
    EXPECT_EQ(w.status().code(), StatusCode::kGone);
    EXPECT_EQ(w.status().message(), kCompactedMessage);
  }
  // The compacted revision itself and later ones read as before (as etcd).
  EXPECT_EQ(s->Get("/k", 4)->value, "v2");
  EXPECT_EQ(s->Get("/k", 4)->version, 2);
  EXPECT_EQ(s->Get("/d", 4)->value, "x");
  EXPECT_EQ(s->Range("/", 4)->kvs.size(), 2u);
  EXPECT_EQ(s->Get("/k", 5)->value, "v2");
  EXPECT_EQ(s->Get("/d", 5).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(s->Get("/k")->value, "v3");
  EXPECT_EQ(s->Get("/k")->create_revision, 2);

  // Watching from the compacted revision replays the kept events and prevs.
  auto w = MustWatch(*s, "/", 4);
  std::vector<Event> events = MustPoll(*w);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].revision(), 4);
  EXPECT_EQ(events[0].kv.key, "/d");
  EXPECT_FALSE(events[0].has_prev);
  EXPECT_EQ(events[1].type, Event::Type::kDelete);
  EXPECT_EQ(events[1].prev.value, "x");
  EXPECT_EQ(events[2].kv.value, "v3");
  EXPECT_EQ(events[2].prev.value, "v2");
  w.reset();

  // Compacting at or below the compacted revision, or into the future.
  Status again = s->Compact(4);
  EXPECT_EQ(again.code(), StatusCode::kGone);
  EXPECT_EQ(again.message(), kCompactedMessage);
  EXPECT_EQ(s->Compact(3).code(), StatusCode::kGone);
  EXPECT_EQ(s->Compact(7).code(), StatusCode::kBadRequest);

  // Compacting at the current revision keeps reads and later writes working.
  ASSERT_TRUE(s->Compact(6).ok());
  EXPECT_EQ(s->Get("/k", 5).status().code(), StatusCode::kGone);
  EXPECT_EQ(s->Get("/k", 6)->value, "v3");
  EXPECT_EQ(s->Get("/k")->value, "v3");
  EXPECT_EQ(s->Range("/")->kvs.size(), 1u);
  MustPut(*s, "/d", "again");  // 7
  EXPECT_EQ(s->Get("/d")->create_revision, 7);
  EXPECT_EQ(s->Get("/d")->version, 1);
}

// Point lookups go through a hash index beside the ordered key map; this
// drives both through many writes, deletes, transactions and compactions
// (which erase fully deleted keys, later re-created) against a plain model,
// checking every key with Get, Txn compares and Range after each step.
TEST(StoreTest, PointLookupsStayConsistentThroughWritesAndCompaction) {
  auto s = Store::CreateInMemory();
  struct Live {
    std::string value;
    Revision create_revision;
    Revision mod_revision;
    int64_t version;
  };
  std::map<std::string, Live> model;
  std::vector<std::string> universe;
  // Enough keys, with long shared prefixes as the API server's, to make the
  // index rehash several times.
  for (int i = 0; i < 300; ++i) {
    universe.push_back("/registry/pods/some-namespace/pod-" + std::to_string(i));
  }
  std::mt19937 rng(42);
  auto check_all = [&](int step) {
    for (const std::string& key : universe) {
      StatusOr<KeyValue> kv = s->Get(key);
      // GetRevisions: Get's answer without the value.
      StatusOr<KeyValue> revs = s->GetRevisions(key);
      auto m = model.find(key);
      if (m == model.end()) {
        ASSERT_EQ(kv.status().code(), StatusCode::kNotFound) << step << " " << key;
        ASSERT_EQ(revs.status().code(), StatusCode::kNotFound) << step << " " << key;
        continue;
      }
      ASSERT_TRUE(revs.ok()) << step << " " << key;
      EXPECT_EQ(revs->key, key);
      EXPECT_EQ(revs->value, "") << step << " " << key;
      EXPECT_EQ(revs->create_revision, m->second.create_revision) << step << " " << key;
      EXPECT_EQ(revs->mod_revision, m->second.mod_revision) << step << " " << key;
      EXPECT_EQ(revs->version, m->second.version) << step << " " << key;
      ASSERT_TRUE(kv.ok()) << step << " " << key;
      EXPECT_EQ(kv->value, m->second.value) << step << " " << key;
      EXPECT_EQ(kv->create_revision, m->second.create_revision) << step << " " << key;
      EXPECT_EQ(kv->mod_revision, m->second.mod_revision) << step << " " << key;
      EXPECT_EQ(kv->version, m->second.version) << step << " " << key;
    }
    StatusOr<RangeResult> range = s->Range("/registry/");
    ASSERT_TRUE(range.ok());
    ASSERT_EQ(range->kvs.size(), model.size()) << step;
    auto m = model.begin();
    for (const KeyValue& kv : range->kvs) {
      EXPECT_EQ(kv.key, m->first) << step;
      EXPECT_EQ(kv.value, m->second.value) << step;
      ++m;
    }
  };
  for (int step = 0; step < 3000; ++step) {
    const std::string& key = universe[rng() % universe.size()];
    auto m = model.find(key);
    const Revision next = s->CurrentRevision() + 1;
    const std::string value = "v" + std::to_string(step);
    switch (rng() % 5) {
      case 0: {  // unconditional put
        ASSERT_EQ(MustPut(*s, key, value), next);
        if (m == model.end()) {
          model[key] = Live{value, next, next, 1};
        } else {
          m->second = Live{value, m->second.create_revision, next, m->second.version + 1};
        }
        break;
      }
      case 1: {  // delete
        StatusOr<Revision> rev = s->Delete(key);
        if (m == model.end()) {
          EXPECT_EQ(rev.status().code(), StatusCode::kNotFound) << step;
        } else {
          ASSERT_TRUE(rev.ok()) << step;
          EXPECT_EQ(*rev, next);
          model.erase(m);
        }
        break;
      }
      case 2: {  // create-if-absent, as the API server's create
        StatusOr<TxnResult> txn = s->Txn({{key, 0}}, {{Op::Type::kPut, key, value}});
        ASSERT_TRUE(txn.ok());
        EXPECT_EQ(txn->succeeded, m == model.end()) << step;
        if (m == model.end()) {
          model[key] = Live{value, next, next, 1};
        } else {
          ASSERT_EQ(txn->current.size(), 1u);
          EXPECT_EQ(txn->current[0].mod_revision, m->second.mod_revision) << step;
        }
        break;
      }
      case 3: {  // update- or delete-if-unchanged with the model's revision
        const Revision expected = m == model.end() ? 0 : m->second.mod_revision;
        const bool del = rng() % 2 == 0;
        StatusOr<TxnResult> txn =
            s->Txn({{key, expected}}, {{del ? Op::Type::kDelete : Op::Type::kPut, key, value}});
        ASSERT_TRUE(txn.ok());
        EXPECT_TRUE(txn->succeeded) << step;
        if (del) {
          if (m != model.end()) model.erase(m);
        } else if (m == model.end()) {
          model[key] = Live{value, next, next, 1};
        } else {
          m->second = Live{value, m->second.create_revision, next, m->second.version + 1};
        }
        break;
      }
      case 4: {  // compact at the current revision: drops fully deleted keys
        if (s->CurrentRevision() > s->CompactedRevision()) {
          ASSERT_TRUE(s->Compact(s->CurrentRevision()).ok()) << step;
        }
        break;
      }
    }
    if (step % 100 == 0) check_all(step);
  }
  check_all(3000);
}

// A transaction's puts reuse its compares' lookups of the same keys (one hash
// per key per write). Checked against the plain path: the same branch applied
// by a compare-free Txn on a second store, whose puts look every key up
// afresh. Both stores must agree on every result, key, revision, version and
// watch event, through creates, updates, deletes, re-creates and compaction.
TEST(StoreTest, TxnReusingCompareLookupsMatchesPlainWrites) {
  auto with_compares = Store::CreateInMemory();
  auto plain = Store::CreateInMemory();
  auto watch_a = MustWatch(*with_compares, "/", 0);
  auto watch_b = MustWatch(*plain, "/", 0);
  std::vector<std::string> universe;
  for (int i = 0; i < 40; ++i) {
    universe.push_back("/registry/pods/some-namespace/pod-" + std::to_string(i));
  }
  std::mt19937 rng(7);
  auto pick = [&] { return universe[rng() % universe.size()]; };
  auto random_ops = [&](int step) {
    std::vector<Op> ops;
    const int n = static_cast<int>(rng() % 3);
    for (int i = 0; i < n; ++i) {
      std::string key = pick();
      bool repeated = false;
      for (const Op& op : ops) repeated = repeated || op.key == key;
      if (repeated) continue;  // etcd refuses a branch that writes a key twice
      const bool del = rng() % 4 == 0;
      ops.push_back(Op{del ? Op::Type::kDelete : Op::Type::kPut, key,
                       del ? "" : "v" + std::to_string(step) + "-" + std::to_string(i)});
    }
    return ops;
  };
  for (int step = 0; step < 4000; ++step) {
    std::vector<Compare> compares;
    const int n = 1 + static_cast<int>(rng() % 2);
    for (int i = 0; i < n; ++i) {
      std::string key = pick();
      StatusOr<KeyValue> kv = plain->Get(key);
      const Revision current = kv.ok() ? kv->mod_revision : 0;
      // Mostly the current revision (the compare holds), sometimes a stale one.
      Revision expected = current;
      if (rng() % 4 == 0) expected = rng() % 2 == 0 ? 0 : current + 1;
      compares.push_back(Compare{key, expected});
    }
    std::vector<Op> then_ops = random_ops(step);
    // Usually the then-branch writes the compared key, as the API server does.
    if (rng() % 3 != 0) {
      bool present = false;
      for (const Op& op : then_ops) present = present || op.key == compares[0].key;
      if (!present)
        then_ops.push_back(Op{Op::Type::kPut, compares[0].key, "c" + std::to_string(step)});
    }
    std::vector<Op> else_ops = random_ops(step + 100000);
    bool holds = true;
    for (const Compare& c : compares) {
      StatusOr<KeyValue> kv = plain->Get(c.key);
      holds = holds && (kv.ok() ? kv->mod_revision : 0) == c.mod_revision;
    }
    StatusOr<TxnResult> a = with_compares->Txn(compares, then_ops, else_ops);
    StatusOr<TxnResult> b = plain->Txn({}, holds ? then_ops : else_ops);
    ASSERT_TRUE(a.ok()) << step;
    ASSERT_TRUE(b.ok()) << step;
    EXPECT_EQ(a->succeeded, holds) << step;
    EXPECT_EQ(a->revision, b->revision) << step;
    // Every step: a watch left behind a compaction would die.
    std::vector<Event> ea = MustPoll(*watch_a);
    std::vector<Event> eb = MustPoll(*watch_b);
    ASSERT_EQ(ea.size(), eb.size()) << step;
    for (size_t i = 0; i < ea.size(); ++i) {
      EXPECT_EQ(ea[i].type, eb[i].type) << step;
      EXPECT_EQ(ea[i].kv.key, eb[i].kv.key) << step;
      EXPECT_EQ(ea[i].kv.value, eb[i].kv.value) << step;
      EXPECT_EQ(ea[i].kv.create_revision, eb[i].kv.create_revision) << step;
      EXPECT_EQ(ea[i].kv.mod_revision, eb[i].kv.mod_revision) << step;
      EXPECT_EQ(ea[i].kv.version, eb[i].kv.version) << step;
      EXPECT_EQ(ea[i].has_prev, eb[i].has_prev) << step;
      EXPECT_EQ(ea[i].prev.value, eb[i].prev.value) << step;
      EXPECT_EQ(ea[i].prev.mod_revision, eb[i].prev.mod_revision) << step;
    }
    if (rng() % 50 == 0 && plain->CurrentRevision() > plain->CompactedRevision()) {
      ASSERT_TRUE(with_compares->Compact(plain->CurrentRevision()).ok()) << step;
      ASSERT_TRUE(plain->Compact(plain->CurrentRevision()).ok()) << step;
    }
    if (step % 200 != 0) continue;
    StatusOr<RangeResult> ra = with_compares->Range("/");
    StatusOr<RangeResult> rb = plain->Range("/");
    ASSERT_TRUE(ra.ok() && rb.ok()) << step;
    EXPECT_EQ(ra->revision, rb->revision) << step;
    ASSERT_EQ(ra->kvs.size(), rb->kvs.size()) << step;
    for (size_t i = 0; i < ra->kvs.size(); ++i) {
      EXPECT_EQ(ra->kvs[i].key, rb->kvs[i].key) << step;
      EXPECT_EQ(ra->kvs[i].value, rb->kvs[i].value) << step;
      EXPECT_EQ(ra->kvs[i].create_revision, rb->kvs[i].create_revision) << step;
      EXPECT_EQ(ra->kvs[i].mod_revision, rb->kvs[i].mod_revision) << step;
      EXPECT_EQ(ra->kvs[i].version, rb->kvs[i].version) << step;
    }
  }
}

// Txn takes its ops by value: a caller done with them moves them in, and the
// store keeps their values whole.
TEST(StoreTest, TxnWithMovedOpsStoresTheirValues) {
  auto s = Store::CreateInMemory();
  std::vector<Op> ops;
  ops.push_back(Op{Op::Type::kPut, "/k", std::string(1000, 'x')});
  StatusOr<TxnResult> txn = s->Txn({{"/k", 0}}, std::move(ops));
  ASSERT_TRUE(txn.ok());
  EXPECT_TRUE(txn->succeeded);
  StatusOr<KeyValue> kv = s->Get("/k");
  ASSERT_TRUE(kv.ok());
  EXPECT_EQ(kv->value, std::string(1000, 'x'));
  EXPECT_EQ(kv->version, 1);
  EXPECT_EQ(kv->create_revision, 2);
}

TEST(StoreTest, WatcherBehindCompactionIsGone) {
  auto s = Store::CreateInMemory();
  auto behind = MustWatch(*s, "/a/", 0);
  auto at_edge = MustWatch(*s, "/b/", 0);
  auto quiet = MustWatch(*s, "/quiet/", 0);
  MustPut(*s, "/a/1", "x");  // 2
  MustPut(*s, "/a/2", "x");  // 3
  MustPut(*s, "/b/1", "x");  // 4
  ASSERT_TRUE(s->Compact(4).ok());

  std::vector<Event> events;
  Status st = behind->Poll(&events);
  EXPECT_EQ(st.code(), StatusCode::kGone);
  EXPECT_EQ(st.message(), kCompactedMessage);
  EXPECT_TRUE(events.empty());
  // The watch stays dead.
  MustPut(*s, "/a/3", "x");
  EXPECT_EQ(behind->Poll(&events).code(), StatusCode::kGone);
  EXPECT_EQ(behind->WaitAndPoll(&events, milliseconds(1)).code(), StatusCode::kGone);

  // Its unread event is at the compacted revision, which is kept.
  events = MustPoll(*at_edge);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].revision(), 4);

  // A watch none of whose events were dropped lives on.
  MustPut(*s, "/quiet/1", "x");
  events = MustPoll(*quiet);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kv.key, "/quiet/1");
}

TEST(StoreTest, CommitListenerCalledOncePerWrite) {
  auto s = Store::CreateInMemory();
  std::vector<Revision> seen;
  Store* raw = s.get();
  s->AddCommitListener([&seen, raw](Revision rev) {
    seen.push_back(rev);
    // Outside the store lock: calling back into the store must not deadlock.
    EXPECT_GE(raw->CurrentRevision(), rev);
    EXPECT_TRUE(raw->Range("/").ok());
  });
  MustPut(*s, "/a", "1");
  ASSERT_TRUE(s->Txn({}, {{Op::Type::kPut, "/b", "1"}, {Op::Type::kPut, "/c", "1"}}).ok());
  ASSERT_TRUE(s->Delete("/a").ok());
  ASSERT_TRUE(s->Txn({{"/b", 0}}, {{Op::Type::kPut, "/b", "2"}}).ok());  // fails: no write
  EXPECT_FALSE(s->Delete("/a").ok());
  ASSERT_TRUE(s->Compact(2).ok());
  EXPECT_EQ(seen, (std::vector<Revision>{2, 3, 4}));
}

TEST(StoreTest, ConcurrentWritersAndWatchers) {
  constexpr int kWriters = 4;
  constexpr int kPutsPerWriter = 10000;
  constexpr int kKeysPerWriter = 100;
  constexpr int kTotal = kWriters * kPutsPerWriter;
  auto s = Store::CreateInMemory();
  std::atomic<int> listener_calls{0};
  s->AddCommitListener([&](Revision) { listener_calls.fetch_add(1); });

  // Each watcher checks its own stream; results are read after join.
  struct WatcherResult {
    int events = 0;
    bool in_order_without_gaps = true;
    Status status;
  };
  std::vector<WatcherResult> results(2);
  std::vector<std::unique_ptr<Watch>> watches;
  for (size_t i = 0; i < results.size(); ++i) watches.push_back(MustWatch(*s, "/w/", 0));
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      WatcherResult& r = results[i];
      Revision last = 1;
      std::vector<Event> events;
      while (r.events < kTotal) {
        events.clear();
        r.status = watches[i]->WaitAndPoll(&events, kWaitTimeout);
        if (!r.status.ok()) return;
        if (events.empty()) return;  // timed out: the test fails below
        for (const Event& e : events) {
          // Every write is its own revision, so revisions must be consecutive.
          if (e.revision() != last + 1) r.in_order_without_gaps = false;
          last = e.revision();
          ++r.events;
        }
      }
    });
  }
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&s, w] {
      for (int i = 0; i < kPutsPerWriter; ++i) {
        std::string key = "/w/" + std::to_string(w) + "/" + std::to_string(i % kKeysPerWriter);
        if (!s->Put(key, std::to_string(i)).ok()) return;
      }
    });
  }
  for (std::thread& t : threads) t.join();

  EXPECT_EQ(s->CurrentRevision(), 1 + kTotal);
  EXPECT_EQ(listener_calls.load(), kTotal);
  StatusOr<RangeResult> all = s->Range("/w/");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->kvs.size(), static_cast<size_t>(kWriters * kKeysPerWriter));
  for (const KeyValue& kv : all->kvs) {
    EXPECT_EQ(kv.version, kPutsPerWriter / kKeysPerWriter) << kv.key;
  }
  for (const WatcherResult& r : results) {
    EXPECT_TRUE(r.status.ok()) << r.status.ToString();
    EXPECT_EQ(r.events, kTotal);
    EXPECT_TRUE(r.in_order_without_gaps);
  }
}

}  // namespace
}  // namespace kubesim::store
