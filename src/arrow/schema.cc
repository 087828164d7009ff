// KeyValueMetadata lookups and Field/Schema printing and validation.
#include "arrow/schema.h"

namespace rapidbyte::arrow {

std::optional<std::string_view> KeyValueMetadata::Get(std::string_view key) const {
  for (const KeyValue& kv : entries_) {
    if (kv.key == key) return std::string_view(kv.value);
  }
  return std::nullopt;
}

void KeyValueMetadata::Set(std::string_view key, std::string_view value) {
  for (KeyValue& kv : entries_) {
    if (kv.key == key) {
      kv.value = std::string(value);
      return;
    }
  }
  entries_.push_back({std::string(key), std::string(value)});
}

Field Field::With(std::string_view key, std::string_view value) const {
  Field copy = *this;
  copy.metadata_.Set(key, value);
  return copy;
}

std::string Field::ToString() const {
  std::string out = name_ + ": " + type_.ToString();
  if (!nullable_) out += " not null";
  return out;
}

int Schema::GetFieldIndex(std::string_view name) const {
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name() == name) return static_cast<int>(i);
  }
  return -1;
}

Status Schema::Validate() const {
  for (const Field& f : fields_) {
    Status st = f.type().Validate();
    if (!st.ok()) return st.WithContext("field '" + f.name() + "'");
  }
  return Status::OK();
}

std::string Schema::ToString() const {
  std::string out;
  for (const Field& f : fields_) {
    out += f.ToString();
    for (const KeyValue& kv : f.metadata().entries()) {
      out += "\n  -- " + kv.key + ": " + kv.value;
    }
    out += "\n";
  }
  for (const KeyValue& kv : metadata_.entries()) out += "-- " + kv.key + ": " + kv.value + "\n";
  return out;
}

}  // namespace rapidbyte::arrow
