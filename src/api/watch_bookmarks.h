// Watch bookmarks as kube-apiserver's watch cache sends them
// (k8s.io/apiserver/pkg/storage/cacher/cacher.go, cache_watcher.go).
//
// A watch that asked for them (allowWatchBookmarks=true, as every client-go
// reflector does) gets a BOOKMARK event roughly every minute
// (defaultBookmarkFrequency) and one 2 s before its deadline, so that a
// client can resume from a recent resourceVersion without the 410 of a
// compacted one. The event carries an empty object of the watched kind whose
// only set field is metadata.resourceVersion.
#ifndef KUBESIM_API_WATCH_BOOKMARKS_H_
#define KUBESIM_API_WATCH_BOOKMARKS_H_

#include <optional>

#include "kubesim/api/resource.h"
#include "kubesim/api/types.h"
#include "kubesim/sim/clock.h"
#include "kubesim/store/store.h"

namespace kubesim::api {

// cacher.go: defaultBookmarkFrequency.
inline constexpr Duration kBookmarkFrequency = std::chrono::minutes(1);

// The bookmark's object: what Go's encoding/json makes of `c.newFunc()` (the
// kind's zero value) after versioner.UpdateObject set resourceVersion. With
// k8s.io/api 1.32 (Go 1.23, no omitzero) that keeps
// "creationTimestamp":null and every field a zero struct or a non-omitempty
// tag leaves in, e.g. for a Pod
//   {"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"N",
//    "creationTimestamp":null},"spec":{"containers":null},"status":{}}
Object BookmarkObject(const ResourceInfo& info, store::Revision revision);

// cache_watcher.go nextBookmarkTime for a watch without sendInitialEvents:
// `now` + the frequency, or 2 s before `deadline` when that is sooner;
// nullopt when that moment is not after `now` (no more bookmarks).
std::optional<Time> NextBookmarkTime(Time now, std::optional<Time> deadline);

}  // namespace kubesim::api

#endif  // KUBESIM_API_WATCH_BOOKMARKS_H_
