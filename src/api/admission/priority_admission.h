// Private to src/api: the built-in admission plugins kubesim runs.
#ifndef KUBESIM_SRC_API_ADMISSION_PRIORITY_ADMISSION_H_
#define KUBESIM_SRC_API_ADMISSION_PRIORITY_ADMISSION_H_

#include <memory>

#include "kubesim/api/admission.h"
#include "kubesim/api/gvr.h"

namespace kubesim::api::admission {

// plugin/pkg/admission/priority (see priority_admission.cc).
std::unique_ptr<AdmissionPlugin> NewPriorityPlugin();

}  // namespace kubesim::api::admission

#endif  // KUBESIM_SRC_API_ADMISSION_PRIORITY_ADMISSION_H_
