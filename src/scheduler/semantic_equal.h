// Private to src/scheduler: equality.Semantic.DeepEqual of two optional
// JSON fields as Go sees them once decoded. An absent field, null and an
// empty list are all the same nil slice; anything else compares by value.
#ifndef KUBESIM_SRC_SCHEDULER_SEMANTIC_EQUAL_H_
#define KUBESIM_SRC_SCHEDULER_SEMANTIC_EQUAL_H_

#include "kubesim/api/types.h"

namespace kubesim::scheduler {

inline bool SemanticallyEqual(const api::Object* a, const api::Object* b) {
  const bool a_empty = !a || a->is_null() || (a->is_array() && a->empty());
  const bool b_empty = !b || b->is_null() || (b->is_array() && b->empty());
  if (a_empty || b_empty) return a_empty == b_empty;
  return *a == *b;
}

}  // namespace kubesim::scheduler

#endif  // KUBESIM_SRC_SCHEDULER_SEMANTIC_EQUAL_H_
