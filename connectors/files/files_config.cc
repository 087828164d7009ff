// Parsing of the dest-files config.
#include "connectors/files/files_config.h"

#include "config/byte_size.h"
#include "sdk/config_fields.h"

namespace rapidbyte::files {
namespace {

namespace fields = sdk::fields;
using protocol::Json;

// A size as pipeline files write them: a number of bytes or "256mb", "64 MiB", ...
sdk::Outcome<void> Size(const Json& config, const char* key, std::uint64_t min,
                        std::uint64_t* out) {
  const Json* value = protocol::GetMember(config, key);
  if (value == nullptr || value->is_null()) return {};
  std::optional<std::uint64_t> bytes;
  if (value->is_number_unsigned()) bytes = value->get<std::uint64_t>();
  if (value->is_string()) bytes = config::ParseByteSize(value->get<std::string>());
  if (!bytes || *bytes < min) {
    return sdk::ConfigError(std::string("config.") + key,
                            "must be a size of at least " + config::FormatByteSize(min) +
                                " (e.g. " + std::string(config::kByteSizeExamples) + "), got " +
                                protocol::Dump(*value));
  }
  *out = *bytes;
  return {};
}

sdk::Outcome<void> ParseS3(const Json& config, const std::string& url, FilesConfig* out) {
  const std::string rest = url.substr(5);  // after "s3://"
  const std::size_t slash = rest.find('/');
  S3Config& s3 = out->s3_config;
  s3.bucket = rest.substr(0, slash);
  if (slash != std::string::npos) s3.prefix = rest.substr(slash + 1);
  while (!s3.prefix.empty() && s3.prefix.back() == '/') s3.prefix.pop_back();
  if (s3.bucket.empty()) {
    return sdk::ConfigError("config.path", "s3:// needs a bucket: s3://bucket/prefix");
  }
  const Json* s3_json = protocol::GetMember(config, "s3");
  if (s3_json == nullptr || !s3_json->is_object()) {
    return sdk::ConfigError("config.s3", "is required for an s3:// path (endpoint, region, "
                                         "access_key_id, secret_access_key)");
  }
  s3.region = "us-east-1";
  RB_TRY(fields::String(*s3_json, "config.s3.", "endpoint", &s3.endpoint, true));
  RB_TRY(fields::String(*s3_json, "config.s3.", "region", &s3.region));
  RB_TRY(fields::String(*s3_json, "config.s3.", "access_key_id", &s3.access_key_id, true));
  RB_TRY(fields::String(*s3_json, "config.s3.", "secret_access_key", &s3.secret_access_key,
                        true));
  RB_TRY(fields::Bool(*s3_json, "config.s3.", "path_style", &s3.path_style));
  out->s3 = true;
  return {};
}

}  // namespace

const char* FormatName(Format format) {
  switch (format) {
    case Format::kCsv: return "csv";
    case Format::kJsonl: return "jsonl";
    default: return "parquet";
  }
}

const char* CompressionName(Compression compression) {
  switch (compression) {
    case Compression::kZstd: return "zstd";
    case Compression::kSnappy: return "snappy";
    case Compression::kGzip: return "gzip";
    default: return "none";
  }
}

std::string Extension(Format format, Compression compression) {
  std::string ext = std::string(".") + FormatName(format);
  if (format == Format::kParquet) return ext;
  if (compression == Compression::kZstd) ext += ".zst";
  if (compression == Compression::kGzip) ext += ".gz";
  return ext;
}

namespace {

// compression_level: zstd 1..19 (default 1), gzip 1..9 (default 6); no other codec has one.
sdk::Outcome<void> ParseLevel(const protocol::Json& config, FilesConfig* out) {
  const bool given = protocol::GetMember(config, "compression_level") != nullptr;
  switch (out->compression) {
    case Compression::kZstd: out->compression_level = 1; break;
    case Compression::kGzip: out->compression_level = 6; break;
    default:
      out->compression_level = 0;
      if (given) {
        return sdk::ConfigError("config.compression_level",
                                std::string("applies only to compression zstd (1..19) or gzip "
                                            "(1..9), not ") + CompressionName(out->compression));
      }
      return {};
  }
  std::int64_t level = out->compression_level;
  RB_TRY(fields::Int(config, "config.", "compression_level", &level, 1,
                     out->compression == Compression::kZstd ? 19 : 9));
  out->compression_level = static_cast<int>(level);
  return {};
}

}  // namespace

sdk::Outcome<FilesConfig> ParseFilesConfig(const Json& config) {
  FilesConfig out;
  RB_TRY(fields::String(config, "config.", "path", &out.path, true));
  if (out.path.rfind("s3://", 0) == 0) {
    RB_TRY(ParseS3(config, out.path, &out));
  } else if (out.path.find("://") != std::string::npos) {
    return sdk::ConfigError("config.path", "must be a local absolute directory or "
                                           "s3://bucket/prefix, got '" + out.path + "'");
  } else if (out.path.empty() || out.path[0] != '/') {
    return sdk::ConfigError("config.path",
                            "must be an absolute directory (or s3://bucket/prefix), got '" +
                                out.path + "'");
  } else {
    while (out.path.size() > 1 && out.path.back() == '/') out.path.pop_back();
  }
  RB_TRY(fields::Enum<Format>(config, "config.", "format",
                              {{"parquet", Format::kParquet}, {"csv", Format::kCsv},
                               {"jsonl", Format::kJsonl}},
                              &out.format));
  // Parquet pages are compressed inside the file (zstd by default); CSV and JSON Lines files
  // are plain unless asked.
  out.compression = out.format == Format::kParquet ? Compression::kZstd : Compression::kNone;
  if (out.format == Format::kParquet) {
    RB_TRY(fields::Enum<Compression>(config, "config.", "compression",
                                     {{"zstd", Compression::kZstd}, {"snappy", Compression::kSnappy},
                                      {"gzip", Compression::kGzip}, {"none", Compression::kNone}},
                                     &out.compression));
  } else {
    RB_TRY(fields::Enum<Compression>(config, "config.", "compression",
                                     {{"zstd", Compression::kZstd}, {"gzip", Compression::kGzip},
                                      {"none", Compression::kNone}},
                                     &out.compression));
  }
  RB_TRY(ParseLevel(config, &out));
  RB_TRY(Size(config, "file_size", std::uint64_t{1} << 20, &out.file_size));
  RB_TRY(Size(config, "row_group_size", std::uint64_t{64} << 10, &out.row_group_size));
  RB_TRY(fields::String(config, "config.", "null_value", &out.null_value));
  if (out.format != Format::kCsv && protocol::GetMember(config, "null_value") != nullptr) {
    return sdk::ConfigError("config.null_value", "applies only to format: csv");
  }
  return out;
}

}  // namespace rapidbyte::files
