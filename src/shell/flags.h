// kubectl's flag grammar (spf13/pflag): --name=value, --name value, -n value,
// -nvalue, -n=value, boolean flags with optional =true/false, "--" ends
// flags. Errors are worded as pflag's, which kubectl prints verbatim.
#ifndef KUBESIM_SHELL_FLAGS_H_
#define KUBESIM_SHELL_FLAGS_H_

#include <map>
#include <string>
#include <vector>

#include "kubesim/util/status.h"

namespace kubesim::shell {

class FlagSet {
 public:
  // A flag that takes a value. `shorthand` 0 for none.
  void String(const std::string& name, char shorthand, std::string default_value = "");
  // A boolean flag: present = true; "--name=false" sets false.
  void Bool(const std::string& name, char shorthand, bool default_value = false);

  // Parses `args` (without the command words); positional arguments are
  // collected in order. Errors as pflag: "unknown flag: --x",
  // "unknown shorthand flag: 'x' in -x", "flag needs an argument: --x".
  Status Parse(const std::vector<std::string>& args);

  const std::vector<std::string>& positional() const { return positional_; }
  std::string Get(const std::string& name) const;
  bool GetBool(const std::string& name) const;
  bool Changed(const std::string& name) const { return changed_.count(name) > 0; }
  // Every value given for a repeatable flag (e.g. --labels twice), in order.
  std::vector<std::string> GetAll(const std::string& name) const;

 private:
  struct Spec {
    bool is_bool = false;
    std::string default_value;
  };
  const Spec* Lookup(const std::string& name) const;
  std::string NameOf(char shorthand) const;

  std::map<std::string, Spec> specs_;
  std::map<char, std::string> shorthands_;
  std::map<std::string, std::vector<std::string>> values_;
  std::map<std::string, bool> changed_;
  std::vector<std::string> positional_;
};

}  // namespace kubesim::shell

#endif  // KUBESIM_SHELL_FLAGS_H_
