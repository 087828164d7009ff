// Spellings of the pipeline model's enumerations, as the YAML file and output use them.
#include "config/pipeline.h"

namespace rapidbyte::config {

std::string DefaultCdcName(std::string_view pipeline, std::string_view schema,
                           std::string_view table) {
  std::string name = "rb_";
  for (std::string_view part : {pipeline, std::string_view("_"), schema, std::string_view("_"),
                                table}) {
    for (const char c : part) {
      const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      const bool keep = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') ||
                        lower == '_';
      name += keep ? lower : '_';
    }
  }
  constexpr std::size_t kMaxName = 63;  // PostgreSQL's NAMEDATALEN - 1
  if (name.size() <= kMaxName) return name;
  // FNV-1a of the whole name keeps two long names that share a prefix apart.
  std::uint32_t hash = 2166136261u;
  for (const char c : name) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  static const char* kHex = "0123456789abcdef";
  std::string suffix = "_";
  for (int shift = 28; shift >= 0; shift -= 4) suffix += kHex[(hash >> shift) & 0xf];
  return name.substr(0, kMaxName - suffix.size()) + suffix;
}

std::string_view Name(SyncMode v) {
  switch (v) {
    case SyncMode::kFullRefresh: return "full_refresh";
    case SyncMode::kIncremental: return "incremental";
    case SyncMode::kCdc: return "cdc";
  }
  return "?";
}

std::string_view Name(WriteMode v) {
  switch (v) {
    case WriteMode::kAppend: return "append";
    case WriteMode::kReplace: return "replace";
    case WriteMode::kUpsert: return "upsert";
  }
  return "?";
}

std::string_view Name(DataErrorPolicy v) {
  switch (v) {
    case DataErrorPolicy::kFail: return "fail";
    case DataErrorPolicy::kSkip: return "skip";
    case DataErrorPolicy::kDlq: return "dlq";
  }
  return "?";
}

std::string_view Name(NewColumnPolicy v) {
  switch (v) {
    case NewColumnPolicy::kAdd: return "add";
    case NewColumnPolicy::kIgnore: return "ignore";
    case NewColumnPolicy::kFail: return "fail";
  }
  return "?";
}

std::string_view Name(RemovedColumnPolicy v) {
  return v == RemovedColumnPolicy::kIgnore ? "ignore" : "fail";
}

std::string_view Name(TypeChangePolicy v) {
  switch (v) {
    case TypeChangePolicy::kCoerce: return "coerce";
    case TypeChangePolicy::kFail: return "fail";
    case TypeChangePolicy::kNull: return "null";
  }
  return "?";
}

std::string_view Name(NullabilityPolicy v) {
  return v == NullabilityPolicy::kAllow ? "allow" : "fail";
}

std::string_view Name(StateBackendKind v) {
  return v == StateBackendKind::kSqlite ? "sqlite" : "postgres";
}

std::string_view Name(Compression v) {
  switch (v) {
    case Compression::kNone: return "none";
    case Compression::kLz4: return "lz4";
    case Compression::kZstd: return "zstd";
  }
  return "?";
}

}  // namespace rapidbyte::config
