// Pipeline files written for the user (see pipeline_scaffold.h).
#include "cli/pipeline_scaffold.h"

#include <algorithm>
#include <regex>

#include "base/strings.h"
#include "config/stream_patterns.h"

namespace rapidbyte::cli {
namespace {

using nlohmann::json;

std::string Str(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool Matches(const std::string& entry, const std::string& schema, const std::string& table,
             const std::string& default_schema) {
  if (entry.find('.') != std::string::npos) return config::GlobMatch(entry, schema + "." + table);
  return schema == default_schema && config::GlobMatch(entry, table);
}

ScaffoldStream FromCatalog(const json& s) {
  ScaffoldStream out;
  out.name = Str(s, "name");
  out.kind = Str(s, "kind");
  bool incremental = false;
  if (const auto m = s.find("supported_sync_modes"); m != s.end() && m->is_array()) {
    incremental = std::find(m->begin(), m->end(), json("incremental")) != m->end();
  }
  if (incremental) out.cursor = Str(s, "source_defined_cursor");
  if (const auto k = s.find("source_defined_primary_key"); k != s.end() && k->is_array()) {
    for (const json& c : *k) {
      if (c.is_string()) out.key.push_back(c.get<std::string>());
    }
  }
  return out;
}

std::string DoubleQuoted(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static const char* kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[(c >> 4) & 0xf];
      out += kHex[c & 0xf];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string FlowList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + YamlScalar(items[i]);
  return out + "]";
}

// A config map as block YAML at `indent` spaces, scalars as written (so `${VAR}` stays a
// reference and no substituted value is written).
void RenderValue(const config::Value& v, int indent, std::string& out) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  for (const auto& e : v.entries()) {
    out += pad + YamlScalar(e.key) + ":";
    if (e.value.is_map()) {
      out += "\n";
      RenderValue(e.value, indent + 2, out);
    } else if (e.value.is_list()) {
      std::vector<std::string> items;
      for (const auto& item : e.value.items()) items.push_back(item.text());
      out += " " + FlowList(items) + "\n";
    } else if (e.value.is_null()) {
      out += " null\n";
    } else {
      out += " " + (e.value.plain() ? e.value.text() : YamlScalar(e.value.text())) + "\n";
    }
  }
}

void RenderStreams(const Scaffold& s, std::string& out) {
  const bool upsert = s.write_mode == "upsert";
  const bool replace = s.write_mode == "replace";
  for (const ScaffoldStream& st : s.streams) {
    std::string note = st.kind.empty() ? "" : st.kind;
    note += st.key.empty() ? ", no primary key" : ", primary key " + Join(st.key, ", ");
    out += "    - name: " + YamlScalar(st.name) + "  # " + note + "\n";
    if (!st.cursor.empty() && !replace) {
      out += "      sync_mode: incremental   # reads only rows whose cursor grew\n";
      out += "      cursor_field: " + YamlScalar(st.cursor) + "\n";
    } else if (st.cursor.empty()) {
      out += "      # full refresh: no timestamp or serial column to use as a cursor\n";
    }
    if (upsert && !st.key.empty()) out += "      primary_key: " + FlowList(st.key) + "\n";
  }
}

}  // namespace

Result<std::vector<ScaffoldStream>> ChooseStreams(const json& catalog,
                                                  const std::vector<std::string>& selection,
                                                  const std::string& default_schema) {
  std::vector<ScaffoldStream> out;
  std::vector<bool> used(selection.size(), false);
  std::vector<std::string> all;
  const auto streams = catalog.find("streams");
  if (streams != catalog.end() && streams->is_array()) {
    for (const json& s : *streams) {
      if (!s.is_object()) continue;
      ScaffoldStream st = FromCatalog(s);
      const std::size_t dot = st.name.find('.');
      if (dot == std::string::npos) continue;
      all.push_back(st.name);
      bool chosen = selection.empty();
      for (std::size_t i = 0; i < selection.size(); ++i) {
        if (Matches(selection[i], st.name.substr(0, dot), st.name.substr(dot + 1), default_schema)) {
          chosen = used[i] = true;
        }
      }
      if (chosen) out.push_back(std::move(st));
    }
  }
  for (std::size_t i = 0; i < selection.size(); ++i) {
    if (!used[i]) {
      return Status::InvalidArgument(
          "--streams: '" + selection[i] + "' matches no table or view of the source (it has: " +
          (all.empty() ? std::string("none") : Join(all, ", ")) + ")");
    }
  }
  if (out.empty()) return Status::InvalidArgument("the source has no table or view to read");
  return out;
}

std::string DefaultWriteMode(const std::vector<ScaffoldStream>& streams) {
  const bool all_keyed = std::all_of(streams.begin(), streams.end(),
                                     [](const ScaffoldStream& s) { return !s.key.empty(); });
  return all_keyed ? "upsert" : "append";
}

Status CheckWriteMode(const std::vector<ScaffoldStream>& streams, const std::string& write_mode) {
  if (write_mode != "append" && write_mode != "replace" && write_mode != "upsert") {
    return Status::InvalidArgument("--write-mode: '" + write_mode +
                                   "' is not one of append, replace, upsert");
  }
  std::vector<std::string> keyless;
  for (const auto& s : streams) {
    if (s.key.empty()) keyless.push_back(s.name);
  }
  if (write_mode == "upsert" && !keyless.empty()) {
    return Status::InvalidArgument("--write-mode: upsert needs a primary key, and " +
                                   Join(keyless, ", ") +
                                   " have none; choose append or replace, or leave them out");
  }
  return Status::OK();
}

std::string RenderScaffold(const Scaffold& s) {
  std::string out;
  std::size_t start = 0;
  while (start < s.comment.size()) {
    std::size_t end = s.comment.find('\n', start);
    if (end == std::string::npos) end = s.comment.size();
    out += "# " + s.comment.substr(start, end - start) + "\n";
    start = end + 1;
  }
  out += "version: \"1.0\"\npipeline: " + YamlScalar(s.name) + "\nsource:\n  use: " +
         YamlScalar(s.source_use) + "\n  config:\n";
  RenderValue(s.source_config, 4, out);
  out += "  streams:\n";
  RenderStreams(s, out);
  out += "destination:\n  use: " + YamlScalar(s.dest_use) + "\n  config:\n";
  RenderValue(s.dest_config, 4, out);
  out += "  write_mode: " + s.write_mode + "\n";
  return out;
}

std::string YamlScalar(std::string_view text) {
  // Plain only when YAML's core schema reads it back as this string: no indicator
  // characters, and not a number, boolean or null.
  static const std::regex kPlain(
      "[A-Za-z0-9_][A-Za-z0-9_./-]*|\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[A-Za-z0-9_./-]*)?\\}");
  static const std::regex kTyped(
      "[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+|"
      "true|false|yes|no|on|off|null|y|n",
      std::regex::icase);
  const std::string s(text);
  if (std::regex_match(s, kPlain) && !std::regex_match(s, kTyped)) return s;
  return DoubleQuoted(s);
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string item(text.substr(start, end - start));
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) out.push_back(std::move(item));
    start = end + 1;
  }
  return out;
}

}  // namespace rapidbyte::cli
