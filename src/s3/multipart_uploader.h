// MultipartUploader: streams one S3 object with bounded memory (SPEC §16.4). Append buffers up
// to `part_size` bytes and uploads each full buffer as the next part, one part at a time (so at
// most one part is buffered and one in flight: within SPEC's "at most two"). Finish either
// sends a single PutObject (the whole object smaller than a part) or uploads the tail and
// completes the upload. For exactly-once destinations, Seal uploads the tail without
// completing, so the upload id and the parts can be recorded in a commit record first; Complete
// (here, or S3Client::CompleteMultipartUpload in a later run) makes the object visible, Abort
// discards it. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/status.h"
#include "s3/client.h"

namespace rapidbyte::s3 {

inline constexpr std::size_t kMinPartSize = 5u << 20;        // S3's minimum (except the last)
inline constexpr std::size_t kDefaultPartSize = 8u << 20;
inline constexpr std::size_t kMaxPartSize = 5ull << 30;
inline constexpr int kMaxParts = 10000;

class MultipartUploader {
 public:
  /// `client` must outlive the uploader. `part_size` must be within [5 MiB, 5 GiB].
  static Result<std::unique_ptr<MultipartUploader>> Make(S3Client* client, std::string bucket,
                                                         std::string key,
                                                         std::size_t part_size = kDefaultPartSize);

  /// Buffer `data`, uploading every part that fills up (the first one starts the upload).
  Status Append(std::span<const std::uint8_t> data);
  /// Make the object visible: one PutObject when no part was uploaded and the data is smaller
  /// than a part, else Seal + Complete.
  Status Finish();
  /// Start the multipart upload if needed and upload the buffered tail as the last part; the
  /// object stays invisible. Afterwards upload_id() and parts() are final.
  Status Seal();
  /// Complete a sealed upload.
  Status Complete();
  /// Abort the multipart upload, if one was started (parts uploaded so far are discarded).
  Status Abort();

  const std::string& bucket() const { return bucket_; }
  const std::string& key() const { return key_; }
  /// Empty until the multipart upload starts.
  const std::string& upload_id() const { return upload_id_; }
  /// The parts uploaded so far, in order.
  const std::vector<CompletedPart>& parts() const { return parts_; }
  /// Bytes appended so far.
  std::uint64_t size() const { return size_; }

 private:
  MultipartUploader(S3Client* client, std::string bucket, std::string key,
                    std::size_t part_size)
      : client_(client), bucket_(std::move(bucket)), key_(std::move(key)), part_size_(part_size) {}
  Status UploadBuffered();

  S3Client* client_;
  std::string bucket_;
  std::string key_;
  std::size_t part_size_;
  std::vector<std::uint8_t> buffer_;
  std::string upload_id_;
  std::vector<CompletedPart> parts_;
  std::uint64_t size_ = 0;
  bool sealed_ = false;
  bool done_ = false;
};

}  // namespace rapidbyte::s3
