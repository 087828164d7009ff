// Value construction and the descriptions used in validation messages.
#include "config/value.h"

#include "config/redact.h"

namespace rapidbyte::config {

Value Value::Scalar(std::string text, bool plain, Mark mark) {
  Value v;
  v.kind_ = Kind::kScalar;
  v.text_ = std::move(text);
  v.plain_ = plain;
  v.mark_ = mark;
  return v;
}

Value Value::Null(Mark mark) {
  Value v;
  v.mark_ = mark;
  return v;
}

Value Value::Map(Mark mark) {
  Value v;
  v.kind_ = Kind::kMap;
  v.mark_ = mark;
  return v;
}

Value Value::List(Mark mark) {
  Value v;
  v.kind_ = Kind::kList;
  v.mark_ = mark;
  return v;
}

const Value* Value::Find(std::string_view key) const {
  for (const auto& entry : entries_) {
    if (entry.key == key) return &entry.value;
  }
  return nullptr;
}

std::string Value::Describe() const {
  return WithOrigin("'" + RedactUrlPassword(text_) + "'");
}

std::string Value::WithOrigin(std::string shown) const {
  if (!from_env()) return shown;
  shown += " (the value of ";
  for (std::size_t i = 0; i < env_vars_.size(); ++i) {
    if (i > 0) shown += ", ";
    shown += "${" + env_vars_[i] + "}";
  }
  return shown + ")";
}

std::string Value::DescribeKind() const {
  switch (kind_) {
    case Kind::kNull: return "null";
    case Kind::kMap: return "a map";
    case Kind::kList: return "a list";
    case Kind::kScalar: return Describe();
  }
  return "a value";
}

}  // namespace rapidbyte::config
