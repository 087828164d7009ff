// The S3 FileStore of dest-files (SPEC §16.4): objects <prefix>/<stream>/<run>-0-<n>.<ext>,
// each a multipart upload completed only after the commit record
// <prefix>/<stream>/_rapidbyte/commit.json (one PutObject, atomic) names its upload id and
// parts. Network through the host (sdk::HostStream), sleeping through WASI. Guest only.
#pragma once

#include <memory>

#include "base/status.h"
#include "connectors/files/file_store.h"
#include "connectors/files/files_config.h"
#include "sdk/outcome.h"

namespace rapidbyte::files {

sdk::Outcome<std::unique_ptr<FileStore>> MakeS3Store(const S3Config& config);

/// HeadBucket for `rapidbyte check`: OK, or the typed error (BUCKET_NOT_FOUND, ACCESS_DENIED,
/// ENDPOINT_UNREACHABLE, ...) naming the bucket and endpoint.
sdk::Outcome<void> CheckS3Bucket(const S3Config& config);

/// The ConnectorError of an error Status from src/s3: its own category and code when it
/// carries one (s3/errors.h), else S3_REQUEST_FAILED.
sdk::ConnectorError S3ErrorOf(const Status& status);

}  // namespace rapidbyte::files
