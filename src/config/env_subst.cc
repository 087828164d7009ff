// Environment substitution. Works on parsed scalars only, so a variable's value can never
// change the document's structure.
#include "config/env_subst.h"

#include <cstdlib>

namespace rapidbyte::config {
namespace {

bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

void NoteMissing(SubstitutionReport& report, const std::string& name, const std::string& path) {
  for (auto& [missing_name, paths] : report.missing) {
    if (missing_name == name) {
      for (const auto& p : paths) {
        if (p == path) return;
      }
      paths.push_back(path);
      return;
    }
  }
  report.missing.push_back({name, {path}});
}

void SubstituteScalar(Value& value, const std::string& path, const EnvLookup& env,
                      SubstitutionReport& report) {
  const std::string& in = value.text();
  if (in.find('$') == std::string::npos) return;
  std::string out;
  std::size_t i = 0;
  while (i < in.size()) {
    if (in.compare(i, 3, "$${") == 0) {
      out += "${";
      i += 3;
      continue;
    }
    if (in.compare(i, 2, "${") != 0) {
      out.push_back(in[i++]);
      continue;
    }
    const std::size_t close = in.find('}', i + 2);
    const std::string_view body =
        close == std::string::npos ? std::string_view(in).substr(i + 2)
                                   : std::string_view(in).substr(i + 2, close - i - 2);
    const std::size_t default_at = body.find(":-");
    const std::string_view name = body.substr(0, default_at);
    bool valid_name = !name.empty() && IsNameStart(name[0]);
    for (char c : name) valid_name = valid_name && IsNameChar(c);
    if (close == std::string::npos || !valid_name) {
      const std::string shown(std::string_view(in).substr(i, close == std::string::npos
                                                                  ? std::string::npos
                                                                  : close - i + 1));
      report.problems.push_back(path + ": invalid variable reference '" + shown +
                                "' (expected ${NAME} or ${NAME:-default}; NAME is a letter "
                                "or '_' followed by letters, digits or '_'; write $${ for a "
                                "literal ${)");
      value.set_unresolved();
      return;
    }
    const std::optional<std::string> found = env(name);
    if (default_at != std::string_view::npos && (!found || found->empty())) {
      out += body.substr(default_at + 2);
      value.set_substituted();
    } else if (!found) {
      NoteMissing(report, std::string(name), path);
      value.set_unresolved();
    } else {
      out += *found;
      // Not a secret for coming from the environment: the key, the connector's schema
      // or a URL decide that (SPEC §10.4 as amended by #22).
      value.add_env_var(std::string(name));
    }
    i = close + 1;
  }
  value.set_text(std::move(out));
}

}  // namespace

EnvLookup ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

std::string SubstitutionReport::MissingMessage() const {
  if (missing.empty()) return "";
  std::string out = "Missing environment variable(s): ";
  for (std::size_t i = 0; i < missing.size(); ++i) {
    if (i > 0) out += ", ";
    out += missing[i].first + " (";
    for (std::size_t k = 0; k < missing[i].second.size(); ++k) {
      if (k > 0) out += ", ";
      out += missing[i].second[k];
    }
    out += ")";
  }
  return out;
}

void SubstituteEnvironment(Value& value, const std::string& path, const EnvLookup& env,
                           SubstitutionReport& report) {
  switch (value.kind()) {
    case Value::Kind::kScalar:
      SubstituteScalar(value, path, env, report);
      break;
    case Value::Kind::kMap:
      for (auto& entry : value.mutable_entries()) {
        SubstituteEnvironment(entry.value, path.empty() ? entry.key : path + "." + entry.key,
                              env, report);
      }
      break;
    case Value::Kind::kList: {
      auto& items = value.mutable_items();
      for (std::size_t i = 0; i < items.size(); ++i) {
        SubstituteEnvironment(items[i], path + "[" + std::to_string(i) + "]", env, report);
      }
      break;
    }
    case Value::Kind::kNull:
      break;
  }
}

}  // namespace rapidbyte::config
