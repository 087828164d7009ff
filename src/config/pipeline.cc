// Spellings of the pipeline model's enumerations, as the YAML file and output use them.
#include "config/pipeline.h"

namespace rapidbyte::config {

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
