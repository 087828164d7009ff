// yaml-cpp adapter: converts yaml-cpp nodes into our Value tree, catching every yaml-cpp
// exception here so that none escapes into the rest of the program.
#include "config/yaml_reader.h"

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "base/strings.h"

namespace rapidbyte::config {
namespace {

// Limits against hostile documents: aliases can make a small file expand exponentially.
constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxNodes = 1'000'000;

// Environment references are substituted after parsing, but "${NAME}" contains '{' and
// '}', which YAML treats as flow indicators inside flow collections ({password: ${PW}}).
// Before parsing, the indicator characters inside each reference are swapped for
// private-use code points, and swapped back in every parsed key and scalar. Only the
// spelling of references changes, so the document's structure is what the user wrote.
constexpr std::string_view kIndicators = "{},[]";
const std::string_view kStandIns[] = {"\xEE\x80\x80", "\xEE\x80\x81", "\xEE\x80\x82",
                                      "\xEE\x80\x83", "\xEE\x80\x84"};  // U+E000..U+E004

bool HasStandIns(std::string_view text) {
  for (auto stand_in : kStandIns) {
    if (text.find(stand_in) != std::string_view::npos) return true;
  }
  return false;
}

std::string ProtectReferences(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t ref = text.find("${", i);
    if (ref == std::string_view::npos) break;
    const std::size_t close = text.find_first_of("}\n", ref + 2);
    if (close == std::string_view::npos || text[close] != '}') {
      out.append(text.substr(i, ref + 2 - i));
      i = ref + 2;
      continue;
    }
    out.append(text.substr(i, ref + 1 - i));  // up to and including '$'
    for (std::size_t k = ref + 1; k <= close; ++k) {
      const std::size_t which = kIndicators.find(text[k]);
      if (which == std::string_view::npos) {
        out.push_back(text[k]);
      } else {
        out.append(kStandIns[which]);
      }
    }
    i = close + 1;
  }
  out.append(text.substr(i));
  return out;
}

std::string RestoreReferences(std::string text) {
  if (text.find('\xEE') == std::string::npos) return text;
  for (std::size_t which = 0; which < kIndicators.size(); ++which) {
    std::size_t pos = 0;
    while ((pos = text.find(kStandIns[which], pos)) != std::string::npos) {
      text.replace(pos, kStandIns[which].size(), 1, kIndicators[which]);
      ++pos;
    }
  }
  return text;
}

Mark ToMark(const YAML::Mark& m) {
  if (m.is_null()) return {};
  return {m.line + 1, m.column + 1};
}

std::string Where(std::string_view file, Mark m) {
  return std::string(file) + ":" + std::to_string(m.line) + ":" + std::to_string(m.column);
}

class Converter {
 public:
  explicit Converter(std::string_view file) : file_(file) {}

  Value Convert(const YAML::Node& node, int depth) {
    const Mark mark = ToMark(node.Mark());
    if (++nodes_ > kMaxNodes) {
      Fail(mark, "document too large (more than " + std::to_string(kMaxNodes) +
                     " nodes after expanding aliases)");
      return Value::Null(mark);
    }
    if (depth > kMaxDepth) {
      Fail(mark, "document nested deeper than " + std::to_string(kMaxDepth) + " levels");
      return Value::Null(mark);
    }
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        return Value::Null(mark);
      case YAML::NodeType::Scalar:
        // yaml-cpp tags plain scalars "?" and quoted ones "!"; an explicit tag such as
        // !!str also makes the scalar a string.
        return Value::Scalar(RestoreReferences(node.Scalar()), node.Tag() == "?", mark);
      case YAML::NodeType::Sequence: {
        Value list = Value::List(mark);
        for (const auto& item : node) list.mutable_items().push_back(Convert(item, depth + 1));
        return list;
      }
      case YAML::NodeType::Map: {
        Value map = Value::Map(mark);
        for (auto it = node.begin(); it != node.end(); ++it) {
          const Mark key_mark = ToMark(it->first.Mark());
          if (!it->first.IsScalar()) {
            Fail(key_mark, "mapping keys must be plain strings");
            continue;
          }
          const std::string key = RestoreReferences(it->first.Scalar());
          bool duplicate = false;
          for (const auto& entry : map.entries()) {
            if (entry.key == key) {
              Fail(key_mark, "duplicate key '" + key + "' (first defined at line " +
                                 std::to_string(entry.key_mark.line) + ")");
              duplicate = true;
              break;
            }
          }
          if (duplicate) continue;
          map.mutable_entries().push_back({key, key_mark, Convert(it->second, depth + 1)});
        }
        return map;
      }
    }
    return Value::Null(mark);
  }

  void Fail(Mark mark, const std::string& message) {
    problems_.push_back(Where(file_, mark) + ": " + message);
  }

  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::string_view file_;
  std::size_t nodes_ = 0;
  std::vector<std::string> problems_;
};

}  // namespace

Result<Value> ParseYaml(std::string_view text, std::string_view file) {
  YAML::Node root;
  try {
    root = YAML::Load(HasStandIns(text) ? std::string(text) : ProtectReferences(text));
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument("Invalid YAML at " + Where(file, ToMark(e.mark)) + ": " +
                                   e.msg);
  } catch (const std::exception& e) {
    return Status::InvalidArgument("Invalid YAML in " + std::string(file) + ": " + e.what());
  }
  Converter converter(file);
  Value value;
  try {
    value = converter.Convert(root, 0);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument("Invalid YAML at " + Where(file, ToMark(e.mark)) + ": " +
                                   e.msg);
  }
  if (!converter.problems().empty()) {
    return Status::InvalidArgument("Invalid YAML in " + std::string(file) + ":\n  - " +
                                   Join(converter.problems(), "\n  - "));
  }
  return value;
}

}  // namespace rapidbyte::config
