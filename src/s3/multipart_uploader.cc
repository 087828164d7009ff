#include "s3/multipart_uploader.h"

#include <algorithm>

namespace rapidbyte::s3 {

Result<std::unique_ptr<MultipartUploader>> MultipartUploader::Make(S3Client* client,
                                                                   std::string bucket,
                                                                   std::string key,
                                                                   std::size_t part_size) {
  if (client == nullptr) return Status::InvalidArgument("MultipartUploader needs a client");
  if (part_size < kMinPartSize || part_size > kMaxPartSize) {
    return Status::InvalidArgument("S3 part size " + std::to_string(part_size) +
                                   " is outside [5 MiB, 5 GiB]");
  }
  if (key.empty()) return Status::InvalidArgument("S3 object key is empty");
  return std::unique_ptr<MultipartUploader>(
      new MultipartUploader(client, std::move(bucket), std::move(key), part_size));
}

Status MultipartUploader::UploadBuffered() {
  if (static_cast<int>(parts_.size()) >= kMaxParts) {
    return Status::ResourceExhausted("S3 object s3://" + bucket_ + "/" + key_ +
                                     " needs more than 10000 parts; raise the part size");
  }
  if (upload_id_.empty()) {
    RB_ASSIGN_OR_RETURN(upload_id_, client_->CreateMultipartUpload(bucket_, key_));
  }
  const int number = static_cast<int>(parts_.size()) + 1;
  RB_ASSIGN_OR_RETURN(std::string etag,
                      client_->UploadPart(bucket_, key_, upload_id_, number, buffer_));
  parts_.push_back({number, std::move(etag)});
  buffer_.clear();
  return Status::OK();
}

Status MultipartUploader::Append(std::span<const std::uint8_t> data) {
  if (sealed_ || done_) return Status::FailedPrecondition("S3 upload already finished");
  size_ += data.size();
  while (!data.empty()) {
    if (buffer_.capacity() < part_size_) buffer_.reserve(part_size_);
    const std::size_t take = std::min(data.size(), part_size_ - buffer_.size());
    buffer_.insert(buffer_.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(take));
    data = data.subspan(take);
    if (buffer_.size() == part_size_) RB_RETURN_NOT_OK(UploadBuffered());
  }
  return Status::OK();
}

Status MultipartUploader::Seal() {
  if (done_) return Status::FailedPrecondition("S3 upload already finished");
  if (sealed_) return Status::OK();
  // The tail (possibly empty when nothing was appended) is the last part.
  if (!buffer_.empty() || parts_.empty()) RB_RETURN_NOT_OK(UploadBuffered());
  buffer_.shrink_to_fit();
  sealed_ = true;
  return Status::OK();
}

Status MultipartUploader::Complete() {
  if (!sealed_) return Status::FailedPrecondition("S3 upload not sealed");
  if (done_) return Status::OK();
  RB_RETURN_NOT_OK(client_->CompleteMultipartUpload(bucket_, key_, upload_id_, parts_));
  done_ = true;
  return Status::OK();
}

Status MultipartUploader::Finish() {
  if (done_) return Status::OK();
  if (!sealed_ && upload_id_.empty()) {
    RB_ASSIGN_OR_RETURN(std::string etag, client_->PutObject(bucket_, key_, buffer_));
    (void)etag;
    buffer_.clear();
    buffer_.shrink_to_fit();
    done_ = true;
    return Status::OK();
  }
  RB_RETURN_NOT_OK(Seal());
  return Complete();
}

Status MultipartUploader::Abort() {
  buffer_.clear();
  buffer_.shrink_to_fit();
  done_ = true;
  if (upload_id_.empty()) return Status::OK();
  return client_->AbortMultipartUpload(bucket_, key_, upload_id_);
}

}  // namespace rapidbyte::s3
