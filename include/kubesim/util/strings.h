// Small string helpers shared across areas.
#ifndef KUBESIM_UTIL_STRINGS_H_
#define KUBESIM_UTIL_STRINGS_H_

#include <string>
#include <string_view>

namespace kubesim {

// `s` without leading and trailing ASCII white space (space, \t, \n, \r,
// \v, \f), as Go's strings.TrimSpace does for ASCII text (kubectl trims
// event messages and describe output with it).
std::string TrimSpace(std::string_view s);

}  // namespace kubesim

#endif  // KUBESIM_UTIL_STRINGS_H_
