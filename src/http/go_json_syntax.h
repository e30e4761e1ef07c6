// Go's encoding/json syntax errors, so that a malformed request body gets
// the message kube-apiserver (a Go program) gives for it.
//
// kube-apiserver decodes bodies with encoding/json, which first runs its
// scanner (encoding/json/scanner.go) over the whole input and reports the
// first byte that cannot continue a JSON value: "invalid character 'b'
// looking for beginning of object key string", "unexpected end of JSON
// input", ... The wording depends on the scanner's state at that byte, so
// this is a port of that state machine rather than a reuse of
// nlohmann::json's (differently worded) parser errors.
#ifndef KUBESIM_HTTP_GO_JSON_SYNTAX_H_
#define KUBESIM_HTTP_GO_JSON_SYNTAX_H_

#include <optional>
#include <string>
#include <string_view>

namespace kubesim::http {

// The SyntaxError message json.Unmarshal gives for `data`; nullopt when
// `data` is one valid JSON value (surrounded by optional white space).
std::optional<std::string> GoJsonSyntaxError(std::string_view data);

// handlers/create.go summarizeData: `data` as text when it starts with '{',
// else hex-encoded; cut at `max_length` bytes with " ..." appended;
// "<empty>" for no data.
std::string SummarizeData(std::string_view data, size_t max_length);

}  // namespace kubesim::http

#endif  // KUBESIM_HTTP_GO_JSON_SYNTAX_H_
