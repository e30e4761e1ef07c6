// ParseInt64 (kubesim/util/numbers.h).
#include "kubesim/util/numbers.h"

namespace kubesim {

bool ParseInt64(const std::string& text, int64_t* out) {
  try {
    size_t used = 0;
    int64_t v = std::stoll(text, &used);
    if (used != text.size()) return false;
    *out = v;
    return true;
  } catch (...) {  // std::invalid_argument, std::out_of_range
    return false;
  }
}

}  // namespace kubesim
