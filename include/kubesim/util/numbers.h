// Parsing numbers from user input without exceptions escaping.
#ifndef KUBESIM_UTIL_NUMBERS_H_
#define KUBESIM_UTIL_NUMBERS_H_

#include <cstdint>
#include <string>

namespace kubesim {

// The whole of `text` as a base-10 int64 (optional sign). False, leaving
// *out unchanged, for empty text, trailing characters or overflow.
bool ParseInt64(const std::string& text, int64_t* out);

}  // namespace kubesim

#endif  // KUBESIM_UTIL_NUMBERS_H_
