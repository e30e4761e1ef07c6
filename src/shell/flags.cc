#include "flags.h"

namespace kubesim::shell {

void FlagSet::String(const std::string& name, char shorthand, std::string default_value) {
  specs_[name] = Spec{false, std::move(default_value)};
  if (shorthand) shorthands_[shorthand] = name;
}

void FlagSet::Bool(const std::string& name, char shorthand, bool default_value) {
  specs_[name] = Spec{true, default_value ? "true" : "false"};
  if (shorthand) shorthands_[shorthand] = name;
}

const FlagSet::Spec* FlagSet::Lookup(const std::string& name) const {
  auto it = specs_.find(name);
  return it == specs_.end() ? nullptr : &it->second;
}

std::string FlagSet::NameOf(char shorthand) const {
  auto it = shorthands_.find(shorthand);
  return it == shorthands_.end() ? "" : it->second;
}

Status FlagSet::Parse(const std::vector<std::string>& args) {
  // pflag's parseArgs / parseLongArg / parseShortArg (spf13/pflag flag.go).
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      positional_.insert(positional_.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (a.size() < 2 || a[0] != '-') {
      positional_.push_back(a);
      continue;
    }
    if (a[1] == '-') {
      std::string body = a.substr(2);
      auto eq = body.find('=');
      std::string name = body.substr(0, eq);
      const Spec* spec = Lookup(name);
      if (!spec) return Status::BadRequest("unknown flag: --" + name);
      std::string value;
      if (eq != std::string::npos) {
        value = body.substr(eq + 1);
      } else if (spec->is_bool) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return Status::BadRequest("flag needs an argument: --" + name);
      }
      if (spec->is_bool && value != "true" && value != "false") {
        return Status::BadRequest("invalid argument \"" + value + "\" for \"--" + name +
                                  "\" flag: strconv.ParseBool: parsing \"" + value +
                                  "\": invalid syntax");
      }
      values_[name].push_back(value);
      changed_[name] = true;
      continue;
    }
    // Shorthand cluster: -Aw, -nkube-system, -n=x, -o wide.
    for (size_t j = 1; j < a.size(); ++j) {
      char c = a[j];
      std::string name = NameOf(c);
      if (name.empty()) {
        return Status::BadRequest(std::string("unknown shorthand flag: '") + c + "' in " + a);
      }
      const Spec* spec = Lookup(name);
      if (spec->is_bool) {
        std::string value = "true";
        if (j + 1 < a.size() && a[j + 1] == '=') {
          value = a.substr(j + 2);
          j = a.size();
        }
        values_[name].push_back(value);
        changed_[name] = true;
        continue;
      }
      std::string value;
      if (j + 1 < a.size()) {
        value = a.substr(j + 1);
        if (!value.empty() && value[0] == '=') value = value.substr(1);
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return Status::BadRequest(std::string("flag needs an argument: '") + c + "' in -" + c);
      }
      values_[name].push_back(value);
      changed_[name] = true;
      break;
    }
  }
  return Status::Ok();
}

std::string FlagSet::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it != values_.end() && !it->second.empty()) return it->second.back();
  const Spec* spec = Lookup(name);
  return spec ? spec->default_value : "";
}

bool FlagSet::GetBool(const std::string& name) const { return Get(name) == "true"; }

std::vector<std::string> FlagSet::GetAll(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

}  // namespace kubesim::shell
