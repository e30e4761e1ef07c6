// Private to src/api: the stored form of an object, Object::dump() without
// its per-character cost. The API server encodes every object it writes to
// the store (two creates and a binding per scheduled pod); nlohmann's
// serializer pushes each byte of each string through a UTF-8 decoder and an
// output adapter, which made the encode a tenth of the scheduler benchmark's
// instructions.
#ifndef KUBESIM_SRC_API_COMPACT_JSON_H_
#define KUBESIM_SRC_API_COMPACT_JSON_H_

#include <string>

#include "kubesim/api/types.h"

namespace kubesim::api {

// Appends to *out exactly the bytes `value.dump()` gives (no indent,
// ensure_ascii off, strict UTF-8): keys in the object's order, strings
// escaped as nlohmann does ("\"", "\\", "\b", "\f", "\n", "\r", "\t", other
// control characters as lower-case "\u00xx", everything else as is).
// Values it does not write itself (floats, strings and keys with non-ASCII
// bytes, binary, discarded) are written by nlohmann, so they come out the
// same and invalid UTF-8 throws the same nlohmann::json::type_error (316);
// on a throw *out holds a prefix of the encoding. Thread-compatible.
void AppendCompactJson(const Object& value, std::string* out);

// AppendCompactJson into a new string.
std::string CompactJson(const Object& value);

}  // namespace kubesim::api

#endif  // KUBESIM_SRC_API_COMPACT_JSON_H_
