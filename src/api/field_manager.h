// Private to src/api: kube-apiserver's field manager
// (k8s.io/apimachinery/pkg/util/managedfields/internal: fieldmanager.go,
// structuredmerge.go, managedfieldsupdater.go, stripmeta.go, conflict.go,
// managedfields.go; sigs.k8s.io/structured-merge-diff/v4 merge/update.go and
// typed/{compare,merge,tofieldset,remove}.go). It keeps
// `metadata.managedFields` on every write the API server makes for a client
// (create, update, patch, the status and scale subresources) and implements
// server-side apply: merge, ownership, conflicts, force, pruning.
//
// The functions are pure (no store, no clock): the caller passes the time.
// Thread-compatible.
#ifndef KUBESIM_SRC_API_FIELD_MANAGER_H_
#define KUBESIM_SRC_API_FIELD_MANAGER_H_

#include <string>
#include <vector>

#include "field_set.h"
#include "kubesim/api/types.h"

namespace kubesim::api {

// One managedFields entry, decoded.
struct ManagedEntry {
  std::string manager;
  std::string operation;  // "Apply" or "Update"
  std::string api_version;
  std::string subresource;
  std::string time;  // RFC3339; "" when absent
  FieldSet fields;

  // BuildManagerIdentifier: appliers are one manager across apiVersions.
  bool SameManager(const ManagedEntry& o) const;
};

// Decodes metadata.managedFields (absent = none). Errors as upstream's
// DecodeManagedFields: an unknown operation, an empty apiVersion, a
// fieldsType other than FieldsV1, malformed fieldsV1.
StatusOr<std::vector<ManagedEntry>> DecodeManagedFields(const Object& obj);
// Writes them back sorted as sortEncodedManagedFields (operation, time,
// manager, apiVersion, subresource); none erases metadata.managedFields.
void EncodeManagedFields(std::vector<ManagedEntry> entries, Object& obj);

// The kind-level facts the manager needs.
struct FieldManagerScope {
  std::string kind;
  std::string api_version;   // "apps/v1"
  bool status_reset = true;  // the main resource ignores status (ResetFields)
};

// The manager of a non-apply write: `?fieldManager=`, else the User-Agent
// up to its first '/' (handlers/rest.go managerOrUserAgent,
// prefixFromUserAgent: printable characters, at most 128).
std::string ManagerOrUserAgent(const std::string& field_manager, const std::string& user_agent);

// FieldManager.UpdateNoErrors: records `manager`'s write of `obj` over
// `live` (nullptr for a create) in obj's metadata.managedFields. For the main
// resource, managedFields the client sent are honoured (an empty list resets
// them; absent or undecodable ones fall back to live's); a subresource write
// keeps live's. Fields that changed move to `manager` (one Update entry per
// manager, subresource and apiVersion, its time `now` when it took fields);
// removed fields leave every entry. `request_body`, for creates, is the body
// as the client sent it: fields admission sets (AdmissionSetFields) are not
// the client's unless it sent them.
void UpdateManagedFields(const FieldManagerScope& scope, const Object* live, Object& obj,
                         const std::string& manager, const std::string& subresource,
                         const std::string& now, const Object* request_body = nullptr);

// What UpdateManagedFields reads of a create's `request_body`: an object
// with, for each AdmissionSetFields pointer present in `body`, that path set
// to null (only presence matters). Passing it as request_body gives the same
// managedFields as passing `body`, so a server can take the client's body
// instead of copying it.
Object RequestBodyPresence(const std::string& kind, const Object& body);

// UpdateManagedFields without its create fast path: the general walk the
// fast path must equal (field_manager_test compares the two).
void UpdateManagedFieldsWithoutFastPathForTest(const FieldManagerScope& scope, const Object* live,
                                               Object& obj, const std::string& manager,
                                               const std::string& subresource,
                                               const std::string& now,
                                               const Object* request_body = nullptr);

// The outcome of ApplyConfiguration.
struct ApplyResult {
  int code = 200;        // 200, or 409 with `object` the metav1 Status of the conflicts
  Object object;         // the merged object with its managedFields
  bool changed = false;  // the object (not only managedFields) differs from live
};

// FieldManager.Apply: merges the applied configuration `config` into `live`
// (an empty object {} when the object does not exist yet) as
// structured-merge-diff does (structs field by field, associative lists item
// by item by key, atomic values whole), makes the configuration's field set
// `manager`'s Apply entry, removes fields the manager applied before, no
// longer applies and nobody else owns, and checks the fields it changes
// against the other managers: conflicts are a 409 ("Apply failed with 1
// conflict: conflict with \"kubectl\" with subresource \"scale\" using
// apps/v1: .spec.replicas") unless `force`, which takes them over.
// Precondition: config is an object without metadata.managedFields.
ApplyResult ApplyConfiguration(const FieldManagerScope& scope, const Object& live,
                               const Object& config, const std::string& manager, bool force,
                               const std::string& now);

// The field set of a value as typed.ToFieldSet, without the fields
// stripmeta.go never tracks (apiVersion, kind, metadata.name, uid, ...).
FieldSet ObjectFieldSet(const std::string& kind, const Object& obj);

}  // namespace kubesim::api

#endif  // KUBESIM_SRC_API_FIELD_MANAGER_H_
