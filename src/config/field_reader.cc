// FieldReader implementation: the wording of type and range messages lives here so that
// every field reports problems the same way.
#include "config/field_reader.h"

#include <algorithm>

#include "base/strings.h"
#include "config/byte_size.h"
#include "config/scalar.h"

namespace rapidbyte::config {

std::string ChildPath(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string ListNames(const std::vector<std::string>& names) { return Join(names, ", "); }

std::optional<std::size_t> ReadEnum(const Value& value, const std::string& path,
                                    const std::vector<std::string>& allowed, Problems& problems) {
  if (value.unresolved()) return std::nullopt;
  if (!value.is_scalar()) {
    problems.Add(path, "expected one of " + ListNames(allowed) + ", got " + value.DescribeKind());
    return std::nullopt;
  }
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    if (value.text() == allowed[i]) return i;
  }
  std::string message = value.Describe() + " is not one of " + ListNames(allowed);
  if (auto suggestion = SuggestClosest(value.text(), allowed)) {
    message += " (did you mean '" + *suggestion + "'?)";
  }
  problems.Add(path, message);
  return std::nullopt;
}

FieldReader::FieldReader(const Value* value, std::string path, std::vector<std::string> known_keys,
                         Problems& problems)
    : value_(value), path_(std::move(path)), known_(std::move(known_keys)), problems_(problems) {
  if (value_ != nullptr && !value_->is_map() && !value_->is_null()) {
    if (!value_->unresolved()) {
      problems_.Add(path_, "expected a map, got " + value_->DescribeKind());
    }
    value_ = nullptr;
  }
}

const Value* FieldReader::Get(std::string_view key) const {
  if (value_ == nullptr) return nullptr;
  const Value* v = value_->Find(key);
  if (v == nullptr || v->is_null() || v->unresolved()) return nullptr;
  // A plain scalar that reads as null by the core schema (e.g. "~" after substitution).
  if (v->is_scalar() && v->plain() && ResolvePlainScalar(v->text()) == ScalarType::kNull) {
    return nullptr;
  }
  return v;
}

bool FieldReader::Unresolved(std::string_view key) const {
  if (value_ == nullptr) return false;
  const Value* v = value_->Find(key);
  return v != nullptr && v->unresolved();
}

std::optional<std::string> FieldReader::String(std::string_view key, bool required) {
  const std::string path = ChildPath(path_, key);
  const Value* v = Get(key);
  if (v == nullptr) {
    if (required && !Unresolved(key)) problems_.Add(path, "required");
    return std::nullopt;
  }
  if (!v->is_scalar()) {
    problems_.Add(path, "expected a string, got " + v->DescribeKind());
    return std::nullopt;
  }
  return v->text();
}

std::optional<std::int64_t> FieldReader::Int(std::string_view key, std::int64_t fallback,
                                             std::int64_t min, std::optional<std::int64_t> max) {
  const std::string path = ChildPath(path_, key);
  const Value* v = Get(key);
  if (v == nullptr) return Unresolved(key) ? std::nullopt : std::optional(fallback);
  std::optional<std::int64_t> parsed;
  if (v->is_scalar() && v->plain()) parsed = ParseCoreInt(v->text());
  if (!parsed) {
    problems_.Add(path, "expected an integer, got " + v->DescribeKind());
    return std::nullopt;
  }
  const std::string shown = v->WithOrigin(std::to_string(*parsed));
  if (*parsed < min) {
    problems_.Add(path, "must be at least " + std::to_string(min) + ", got " + shown);
    return std::nullopt;
  }
  if (max && *parsed > *max) {
    problems_.Add(path, "must be at most " + std::to_string(*max) + ", got " + shown);
    return std::nullopt;
  }
  return parsed;
}

std::optional<std::uint64_t> FieldReader::Size(std::string_view key, std::uint64_t fallback,
                                               std::uint64_t min) {
  const std::string path = ChildPath(path_, key);
  const Value* v = Get(key);
  if (v == nullptr) return Unresolved(key) ? std::nullopt : std::optional(fallback);
  std::optional<std::uint64_t> parsed;
  if (v->is_scalar()) parsed = ParseByteSize(v->text());
  if (!parsed) {
    problems_.Add(path, v->DescribeKind() + " is not a byte size (examples: " +
                            std::string(kByteSizeExamples) + ")");
    return std::nullopt;
  }
  if (*parsed < min) {
    problems_.Add(path, "must be at least " + FormatByteSize(min) + ", got " +
                            v->WithOrigin(FormatByteSize(*parsed)));
    return std::nullopt;
  }
  return parsed;
}

std::optional<std::size_t> FieldReader::Enum(std::string_view key,
                                             const std::vector<std::string>& allowed,
                                             std::size_t fallback) {
  const Value* v = Get(key);
  if (v == nullptr) return Unresolved(key) ? std::nullopt : std::optional(fallback);
  return ReadEnum(*v, ChildPath(path_, key), allowed, problems_);
}

std::optional<std::vector<std::string>> FieldReader::StringList(std::string_view key,
                                                                bool non_empty,
                                                                std::string_view item_noun) {
  const std::string path = ChildPath(path_, key);
  const Value* v = Get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_list()) {
    problems_.Add(path, "expected a list of strings, got " + v->DescribeKind());
    return std::nullopt;
  }
  if (non_empty && v->items().empty()) {
    problems_.Add(path, "must not be empty");
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < v->items().size(); ++i) {
    const Value& item = v->items()[i];
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    if (item.unresolved()) {
      ok = false;
      continue;
    }
    if (!item.is_scalar() || item.text().empty()) {
      problems_.Add(item_path, "expected a non-empty string, got " + item.DescribeKind());
      ok = false;
      continue;
    }
    if (std::find(out.begin(), out.end(), item.text()) != out.end()) {
      problems_.Add(path, "duplicate " + std::string(item_noun) + " " + item.Describe());
      ok = false;
      continue;
    }
    out.push_back(item.text());
  }
  if (!ok) return std::nullopt;
  return out;
}

void FieldReader::ReportUnknownKeys() {
  if (value_ == nullptr) return;
  for (const auto& entry : value_->entries()) {
    if (entry.key.rfind("x-", 0) == 0) continue;
    if (std::find(known_.begin(), known_.end(), entry.key) != known_.end()) continue;
    std::string message = "unknown key";
    if (auto suggestion = SuggestClosest(entry.key, known_)) {
      message += " (did you mean '" + *suggestion + "'?)";
    }
    problems_.Add(ChildPath(path_, entry.key), message);
  }
}

}  // namespace rapidbyte::config
